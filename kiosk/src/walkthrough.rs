//! The terminal walkthrough: a scripted morning at Gōnoura port, printed screen by screen.
//!
//! Every step calls the real kiosk services on a real SQLite store; what is printed is
//! what they returned. Cards are tapped on the simulated reader (through the same polling
//! loop as real readers), receipts go to the preview printer as PNG files, and the sound
//! cues play when the machine has a sound card. The clock is the demo's
//! (2026-12-04 09:30 JST) so the run is the same every time.

use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use iki_core::{AgeBand, CardUid, Localised, Needs, Points, RideTime, Rules, Timestamp};
use iki_demo_data::{demo_morning, island};
use iki_core::receipt::Receipt;
use iki_devices::Devices;
use iki_devices::config::DevicesConfig;
use iki_devices::sound::Cue;
use iki_kiosk_services::receipts::{self, Lang as ReceiptLang};
use iki_kiosk_services::{HubLink, KioskServices, ManualClock, Registration, RideOrder, ServiceError};
use iki_store::Store;
use iki_sync::client::SyncClient;

use iki_kiosk::embedded_hub::EmbeddedHub;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn parse(tag: &str) -> anyhow::Result<Self> {
        match tag {
            "ja" => Ok(Lang::Ja),
            "en" => Ok(Lang::En),
            other => bail!("language “{other}” is not available in the terminal walkthrough; use ja or en"),
        }
    }

    fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        if self == Lang::Ja { ja } else { en }
    }

    fn name(self, text: &Localised) -> String {
        text.get(if self == Lang::Ja { "ja" } else { "en" }).to_owned()
    }

    fn receipts(self) -> ReceiptLang {
        if self == Lang::Ja { ReceiptLang::Ja } else { ReceiptLang::En }
    }
}

struct Screen<'a> {
    services: &'a KioskServices,
    devices: RefCell<Devices>,
    lang: Lang,
}

impl Screen<'_> {
    fn title(&self, ja: &str, en: &str) {
        println!("\n━━ {} ━━ {}", self.lang.pick(ja, en), self.services.now());
    }

    fn say(&self, ja: impl AsRef<str>, en: impl AsRef<str>) {
        println!("   {}", self.lang.pick(ja.as_ref(), en.as_ref()));
    }

    fn refused(&self, err: &ServiceError) {
        // Translations of every message arrive with the kiosk UI (issue 5); the code is stable.
        self.devices.borrow().cue(Cue::Error);
        println!("   ✗ [{}] {err}", err.code());
    }

    /// Holds `card` on the simulated reader until the reader reports the tap, then takes it away.
    fn tap(&self, card: CardUid) -> anyhow::Result<CardUid> {
        let devices = self.devices.borrow();
        let cards = devices.simulated_cards().context("the demo runs on the simulated reader")?;
        cards.present(card);
        let tapped = devices.reader.next_tap(Duration::from_secs(3)).context("the simulated reader reported no tap")?;
        cards.remove();
        devices.cue(Cue::TapAccepted);
        // Long enough for the reader to see the card gone, so the next tap is a new one.
        std::thread::sleep(Duration::from_millis(200));
        Ok(tapped)
    }

    fn print(&self, receipt: Option<Receipt>) {
        let Some(receipt) = receipt else { return };
        let mut devices = self.devices.borrow_mut();
        match devices.printer.print(&receipt) {
            Ok(_) => {
                devices.cue(Cue::Confirmation);
                println!("   🧾 {} #{:06} → {}", receipt.kind.as_str(), receipt.number, devices.printer.describe());
            }
            Err(e) => println!("   ✗ [{}] {e}", e.code()),
        }
    }
}

pub fn run(data_dir: &Path, assets: &Path, lang: Lang) -> anyhow::Result<()> {
    std::fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let db = data_dir.join("kiosk.sqlite3");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let demo = island(demo_morning());
    // The demo's own hub; the kiosk enrols with a one-time code and pulls the island from it.
    let hub_server = EmbeddedHub::start(data_dir)?;
    let mut store = Store::open(&db).with_context(|| format!("opening {}", db.display()))?;
    let code = hub_server.enrolment_code(demo.place("GNR").id, "GNR1")?;
    let client = SyncClient::enrol(&hub_server.url, &code, &mut store).context("enrolling with the demo hub")?;
    let pulled = client.pull(&mut store, |_, _| {})?;
    println!("{} {} ({} {})", lang.pick("島のサーバー:", "island server:"), hub_server.url, pulled.applied, lang.pick("件の情報を受信", "changes pulled"));
    let hub = HubLink::default();
    hub.set_reachable(true);
    let services = KioskServices::new(store, Rules::default(), Arc::new(ManualClock::new(demo_morning())), hub.clone());
    let receipts_dir = data_dir.join("receipts");
    let _ = std::fs::remove_dir_all(&receipts_dir);
    let _ = std::fs::remove_dir_all(data_dir.join("spool"));
    let devices = Devices::start(&DevicesConfig::demo(data_dir, assets)).context("starting the demo's devices")?;
    let s = Screen { services: &services, devices: RefCell::new(devices), lang };
    let at = services.now();
    let rl = lang.receipts();
    let here = services.store().read(|tx| tx.identity())?;
    println!("Iki Circle — {} ({})  {}", lang.name(&here.place.name), here.kiosk.code, db.display());

    let sakura = demo.citizen("さくら").cards[0];
    let hana = demo.citizen("ハナ").cards[0];

    s.title("タップ: さくら さん (e-市民・福岡)", "Tap: Sakura (e-citizen, Fukuoka)");
    let out = services.check_in(&s.tap(sakura)?)?;
    if let Some(r) = out.recorded {
        s.say(format!("ようこそ、{}さん！ {}", out.greeting.nickname, lang.name(&out.place)), format!("Welcome, {}! {}", out.greeting.nickname, lang.name(&out.place)));
        s.say(format!("チェックイン +{}　初上陸ボーナス +{}　（受付番号 {}）", r.points, r.port_bonus, r.receipt_no), format!("Checked in +{}, first-arrival bonus +{} (receipt {})", r.points, r.port_bonus, r.receipt_no));
    }
    s.say(format!("残高 {}", out.balance), format!("Balance {}", out.balance));
    s.print(receipts::check_in(&out, at, rl));

    s.title("もう一度タップ", "Same card again");
    let again = services.check_in(&s.tap(sakura)?)?;
    if again.recorded.is_none() {
        s.say("今日はもうチェックイン済みです。", "You have already checked in here today.");
    }

    s.title("交換: 壱岐焼酎 ミニボトル（400 pt を超えるので PIN が必要）", "Redeem: Iki shōchū mini bottle (over 400 pt: PIN needed)");
    let shochu = demo.item("Iki shōchū, mini bottle").id;
    for pin in [None, Some("1111"), Some("2468")] {
        match services.redeem(&sakura, shochu, pin) {
            Ok(r) => {
                s.say(format!("PIN OK — クーポン {}（{}）", r.coupon_code, r.merchant), format!("PIN accepted — coupon {} ({})", r.coupon_code, r.merchant));
                s.say(format!("QR: {}　残高 {}", r.qr_payload, r.balance_after), format!("QR: {}  balance {}", r.qr_payload, r.balance_after));
                s.print(Some(receipts::coupon(&r, &here.place.name, rl)));
            }
            Err(e) => s.refused(&e),
        }
    }

    s.title("交換: 壱岐牛コロッケ", "Redeem: Iki beef croquette");
    if let Err(e) = services.redeem(&sakura, demo.item("Iki beef croquette").id, None) {
        s.refused(&e);
    }

    s.title("投票: 港の待合室の使い方", "Vote: using the port waiting rooms");
    let theme = &demo.themes[0];
    services.cast_ballot(&hana, theme.id, &[0])?;
    let first = services.cast_ballot(&sakura, theme.id, &[1])?;
    s.say(format!("「{}」に投票しました。", lang.name(&first.chosen[0])), format!("You voted for “{}”.", lang.name(&first.chosen[0])));
    let second = services.cast_ballot(&sakura, theme.id, &[2])?;
    s.print(Some(receipts::ballot(&second, &here.place.name, at, rl)));
    if second.replaced {
        s.say(format!("投票を「{}」に変更しました（締切 {} まで変更できます）。", lang.name(&second.chosen[0]), second.closes_at), format!("Changed your vote to “{}” (you can change it until {}).", lang.name(&second.chosen[0]), second.closes_at));
    }
    for (option, votes) in second.results.unwrap_or_default() {
        println!("   {:<24} {}", lang.name(&option), "█".repeat(votes as usize * 4) + &format!(" {votes}"));
    }
    let residents_only = &demo.themes[1];
    if let Err(e) = services.cast_ballot(&sakura, residents_only.id, &[0]) {
        s.refused(&e);
    }

    s.title("タップ: ハナ さん (島民) — 病院へ車いすで", "Tap: Hana (resident) — to the hospital, wheelchair");
    s.print(receipts::check_in(&services.check_in(&s.tap(hana)?)?, at, rl));
    let order = RideOrder { destination: demo.stop("Iki Hospital").id, when: RideTime::Now, passengers: 1, needs: Needs { wheelchair: true, assistance: true } };
    let ride = services.request_ride(&hana, &order)?;
    s.print(Some(receipts::ride(&ride, at, rl)));
    s.say(format!("配車番号 {}: {} → {}（{}）", ride.ride.number, lang.name(&ride.ride.pickup), lang.name(&ride.ride.destination), ride.ride.pickup_at), format!("Ride {}: {} → {} ({})", ride.ride.number, lang.name(&ride.ride.pickup), lang.name(&ride.ride.destination), ride.ride.pickup_at));
    let late = RideOrder { when: RideTime::Slot(Timestamp::at_local(demo_morning().local_day(), 21 * 60)), ..order };
    if let Err(e) = services.request_ride(&hana, &late) {
        s.refused(&e);
    }
    let summary = services.summary(&hana)?;
    s.say(format!("次のタップで表示: {} 件の配車、投票できるテーマ {} 件、残高 {}", summary.rides.len(), summary.open_themes.len(), summary.balance), format!("Next tap shows: {} ride(s), {} open theme(s), balance {}", summary.rides.len(), summary.open_themes.len(), summary.balance));

    s.title("知らないカード → e-市民登録", "Unknown card → e-citizen registration");
    let newcomer = CardUid::parse("iso14443a:04C0FFEE123456")?;
    if let Err(e) = services.check_in(&s.tap(newcomer)?) {
        s.refused(&e);
    }
    let reg = services.register_e_citizen(&newcomer, &Registration { nickname: "みなと".into(), home_region: "JP-13".into(), age_band: AgeBand::Thirties, consent: true, pin: None })?;
    s.print(Some(receipts::registration(&reg, &here.place.name, at, rl)));
    let welcome = services.check_in(&newcomer)?;
    s.say(format!("{}さんを登録しました。残高 {}", reg.greeting.nickname, welcome.balance), format!("Registered {}. Balance {}", reg.greeting.nickname, welcome.balance));

    s.title("ゲストとしてチェックイン", "Guest check-in");
    let guest = services.check_in_guest(Some("KR"))?;
    s.print(Some(receipts::guest(&guest, at, rl)));
    s.say(format!("ようこそ壱岐へ！ 本日のゲスト {} 人目", guest.guests_today), format!("Welcome to Iki! Guest number {} today", guest.guests_today));

    s.title("ネットワークが切れたとき: みなと さんが交換", "The island's link is down: Minato redeems");
    hub.set_reachable(false);
    let ferry = demo.item("Ferry / jetfoil ¥500 discount").id;
    for _ in 0..2 {
        match services.redeem(&newcomer, ferry, None) {
            Ok(r) => {
                s.say(format!("オフラインで交換しました {}（つながったら送信）", r.coupon_code), format!("Redeemed offline {} (sent when the link is back)", r.coupon_code));
                s.print(Some(receipts::coupon(&r, &here.place.name, rl)));
            }
            Err(e) => s.refused(&e),
        }
    }
    let pending = services.summary(&newcomer)?.pending_offline_spend;
    s.say(format!("送信待ち {pending}（カードごとの上限 {}）", services.rules().offline_allowance), format!("Waiting to send: {pending} (limit per card {})", services.rules().offline_allowance));

    s.title("ネットワークが戻ったとき", "The link is back");
    hub.set_reachable(true);
    let pushed = client.push(&mut services.store())?;
    s.say(
        format!("{} 件を島のサーバーへ送信（受理 {}、要確認 {}、重複 {}）", pushed.sent, pushed.accepted, pushed.flagged, pushed.duplicates),
        format!("{} events sent to the island server ({} accepted, {} flagged, {} duplicates)", pushed.sent, pushed.accepted, pushed.flagged, pushed.duplicates),
    );
    use iki_hub_store::HubStore;
    let (hub_events, hub_total) = (hub_server.store.event_count()?, hub_server.store.ledger_total()?);
    s.say(format!("サーバー: イベント {hub_events} 件 / 台帳 Σ = {hub_total}"), format!("server: {hub_events} events / ledger Σ = {hub_total}"));
    if hub_total != Points::ZERO {
        bail!("the hub's books do not balance: {hub_total}");
    }

    let mut store = services.store();
    store.integrity_check()?;
    let (events, outbox, total) = store.read(|tx| Ok::<_, iki_store::StoreError>((tx.event_count()?, tx.outbox_len()?, tx.ledger_total()?)))?;
    println!("\n{} {events} / outbox {outbox} / ledger Σ = {}", lang.pick("記録したイベント", "events recorded"), total);
    if total != Points::ZERO {
        bail!("the books do not balance: {total}");
    }
    println!("{} {}", lang.pick("レシートの画像:", "receipt pictures:"), receipts_dir.display());
    for status in s.devices.borrow().status() {
        println!("   {}: {:?}", status.device, status.health);
    }
    Ok(())
}
