//! The kiosk window, headless (Slint's testing backend with the software renderer), over
//! the real kiosk services, the real printing thread (preview printer, or an ESC/POS
//! printer on TCP that reports paper out) and the demo island. Every flow is driven
//! through accessible labels, as a screen reader or a finger would: check-in, points with
//! the PIN and its lockout, voting with results, rides and cancelling, registration on the
//! on-screen keyboard, guests, the staff screen, the inactivity warning and return,
//! bounced presses, a printer out of paper, and the hub out of reach.
//!
//! On every screen, in all four languages, nothing may be laid out outside the window or
//! its button, and every button must be at least 16 mm at the configured density.
//!
//! `IKI_SCREENSHOTS=docs/screenshots cargo test -p iki-kiosk --test ui` refreshes the
//! screenshots the README shows.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery, TestingBackend, TestingBackendOptions};
use iki_core::{CardUid, Rules};
use iki_demo_data::{DemoIsland, demo_morning, island, load_island};
use iki_devices::health::{DeviceStatus, Health};
use iki_devices::printer::fonts::ReceiptFonts;
use iki_devices::printer::status::PrinterStatus;
use iki_devices::printer::{PaperWidth, PreviewPrinter, Printer, PrinterConnection, ReceiptPrinter, Spool};
use iki_devices::sound::Cue;
use iki_kiosk::live::{LiveParts, LivePort, Ticks};
use iki_kiosk::ui::{Screen, Session, bind, render_png, set_dpi, show};
use iki_kiosk::{Kiosk, KioskWindow};
use iki_kiosk_services::{HubLink, KioskServices, ManualClock};
use iki_store::Store;
use slint::ComponentHandle;

const DPI: f32 = 96.0;
const STAFF_PIN: &str = "2580";

struct Rig {
    window: KioskWindow,
    session: Rc<RefCell<Session<LivePort>>>,
    ticks: Rc<Cell<u64>>,
    hub: HubLink,
    demo: DemoIsland,
    services: Arc<KioskServices>,
    spool_dir: PathBuf,
    _dir: tempfile::TempDir,
}

enum PrinterKind {
    Preview,
    /// An ESC/POS printer on TCP that answers every status request with "paper out".
    PaperOut,
}

fn rig(printer: PrinterKind) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let demo = island(demo_morning());
    let mut store = Store::open(dir.path().join("kiosk.sqlite3")).unwrap();
    load_island(&mut store, &demo, "GNR1").unwrap();
    let hub = HubLink::default();
    hub.set_reachable(true);
    let services = Arc::new(KioskServices::new(store, Rules::default(), Arc::new(ManualClock::new(demo_morning())), hub.clone()));
    let spool_dir = dir.path().join("spool");
    let spool = Spool::open(&spool_dir).unwrap();
    let printer: Box<dyn Printer> = match printer {
        PrinterKind::Preview => {
            Box::new(PreviewPrinter::new(dir.path().join("receipts"), PaperWidth::Mm58, ReceiptFonts::system().unwrap(), spool))
        }
        PrinterKind::PaperOut => {
            let address = iki_devices::printer::emulator::serve_tcp(PrinterStatus { paper_out: true, ..PrinterStatus::default() }).unwrap();
            Box::new(ReceiptPrinter::new(PrinterConnection::Tcp { address }, PaperWidth::Mm80, None, spool))
        }
    };
    let ticks = Rc::new(Cell::new(0));
    let mut salt = [0u8; 16];
    salt[0] = 7;
    let port = LivePort::new(LiveParts {
        services: services.clone(),
        hub: hub.clone(),
        printer,
        sound: None,
        reader_status: Arc::new(|| DeviceStatus { device: "simulated:test".into(), health: Health::Ok }),
        staff_pin_hash: iki_core::secret::hash_secret(STAFF_PIN, &salt),
        enrol: None,
        ticks: Ticks::Manual(ticks.clone()),
    });
    let session = Rc::new(RefCell::new(Session::new(port)));
    let window = KioskWindow::new().unwrap();
    window.window().set_size(slint::PhysicalSize::new(1920, 1080));
    set_dpi(&window, DPI);
    window.show().unwrap();
    bind(&window, session.clone());
    show(&window, session.borrow().model());
    Rig { window, session, ticks, hub, demo, services, spool_dir, _dir: dir }
}

impl Rig {
    fn elements(&self, label: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_accessible_label(&self.window, label).filter(|e| e.is_valid()).collect()
    }

    fn sees(&self, label: &str) -> bool {
        !self.elements(label).is_empty()
    }

    #[track_caller]
    fn expect(&self, label: &str) {
        assert!(self.sees(label), "“{label}” is not on the {:?} screen", self.screen());
    }

    /// Everything on screen with a label containing `part` (for texts with numbers in them).
    fn find_text(&self, part: &str) -> Option<String> {
        ElementQuery::from_root(&self.window)
            .match_descendants()
            .find_all()
            .into_iter()
            .filter_map(|e| e.accessible_label())
            .find(|label| label.contains(part))
            .map(|label| label.to_string())
    }

    #[track_caller]
    fn expect_part(&self, part: &str) -> String {
        self.find_text(part).unwrap_or_else(|| panic!("nothing containing “{part}” on the {:?} screen", self.screen()))
    }

    fn screen(&self) -> Screen {
        self.session.borrow().model().screen
    }

    /// A press a second after the last one.
    #[track_caller]
    fn press(&self, label: &str) {
        self.ticks.set(self.ticks.get() + 1_000);
        self.press_now(label);
    }

    /// A press at once (a bounce, if it repeats the last).
    #[track_caller]
    fn press_now(&self, label: &str) {
        let e = self.elements(label).into_iter().find(|e| e.accessible_role() != Some(AccessibleRole::Text));
        let e = e.unwrap_or_else(|| panic!("no button “{label}” on the {:?} screen", self.screen()));
        e.invoke_accessible_default_action();
    }

    /// Presses one key per character (PIN pad digits, keyboard keys).
    fn keys(&self, text: &str) {
        for c in text.chars() {
            self.press(&c.to_string());
        }
    }

    fn tap(&self, card: &CardUid) {
        self.ticks.set(self.ticks.get() + 1_000);
        self.window.global::<Kiosk>().invoke_card_tapped(card.to_string().into());
    }

    fn tick(&self) {
        let model = self.session.borrow_mut().tick().clone();
        show(&self.window, &model);
    }

    /// Waits for the printing thread to finish the receipt in hand.
    fn printed(&self) -> String {
        for _ in 0..200 {
            self.tick();
            let state = self.session.borrow().model().print.state.clone();
            if state != "printing" {
                return state;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("the receipt never finished printing");
    }

    fn cues(&self) -> Vec<Cue> {
        self.session.borrow().port().cues()
    }

    fn events(&self) -> u64 {
        self.services.store().read(|tx| tx.event_count()).unwrap()
    }

    fn card(&self, nickname: &str) -> CardUid {
        self.demo.citizen(nickname).cards[0]
    }

    /// Checks the layout in every language, and saves the screenshots (Japanese and
    /// English; for the waiting screen all four).
    fn check(&self, name: &str, shots: &Shots) {
        let language = self.session.borrow().model().language.clone();
        for (lang, button) in [("ja", "日本語"), ("en", "English"), ("ko", "한국어"), ("zh", "中文")] {
            self.press_now(button);
            if lang == "ja" || lang == "en" || name == "waiting" {
                shots.save(&self.window, &format!("{name}-{lang}"));
            }
            fits(&self.window, &format!("{name} ({lang})"));
        }
        let back = match language.as_str() {
            "en" => "English",
            "ko" => "한국어",
            "zh" => "中文",
            _ => "日本語",
        };
        self.press_now(back);
    }
}

struct Shots(Option<PathBuf>);

impl Shots {
    fn save(&self, window: &KioskWindow, name: &str) {
        let png = render_png(window).unwrap();
        assert!(png.len() > 10_000, "{name}: the screen has content");
        if let Some(dir) = &self.0 {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
        }
    }
}

/// Nothing laid out outside the window; every button's words inside the button; every
/// button at least 16 mm both ways at the configured density.
#[track_caller]
fn fits(window: &KioskWindow, what: &str) {
    let (w, h) = (1920.0_f32, 1080.0_f32);
    let min_px = 16.0 / 25.4 * DPI - 0.5;
    let all = ElementQuery::from_root(window).match_descendants().find_all();
    let mut buttons = Vec::new();
    let mut texts = Vec::new();
    for e in &all {
        let (size, pos) = (e.size(), e.absolute_position());
        if size.width <= 0.0 || size.height <= 0.0 || e.computed_opacity() == 0.0 {
            continue;
        }
        let label = e.accessible_label().unwrap_or_default().to_string();
        if std::env::var_os("IKI_FITS_DEBUG").is_some() {
            eprintln!("{what}: {:?} {label:?} {pos:?} {size:?}", e.type_name());
        }
        assert!(
            pos.x >= -0.5 && pos.y >= -0.5 && pos.x + size.width <= w + 0.5 && pos.y + size.height <= h + 0.5,
            "{what}: “{label}” ({:?}) lies outside the window at {pos:?} {size:?}",
            e.type_name()
        );
        match e.accessible_role() {
            Some(AccessibleRole::Button) | Some(AccessibleRole::Checkbox) => {
                if std::env::var_os("IKI_FITS_DEBUG").is_some() {
                    eprintln!("{what}: {label} {size:?} {pos:?}");
                }
                assert!(
                    size.width >= min_px && size.height >= min_px,
                    "{what}: the button “{label}” is {size:?}, smaller than 16 mm at {DPI} dpi"
                );
                buttons.push((label, pos, size));
            }
            _ if e.type_name().as_deref() == Some("Text") => texts.push((label, pos, size)),
            _ => {}
        }
    }
    for (label, pos, size) in &texts {
        let centre = (pos.x + size.width / 2.0, pos.y + size.height / 2.0);
        let holder = buttons.iter().find(|(_, p, s)| centre.0 >= p.x && centre.0 <= p.x + s.width && centre.1 >= p.y && centre.1 <= p.y + s.height);
        if let Some((button, p, s)) = holder {
            assert!(
                pos.x >= p.x - 0.5 && pos.x + size.width <= p.x + s.width + 0.5 && pos.y >= p.y - 0.5 && pos.y + size.height <= p.y + s.height + 0.5,
                "{what}: the words “{label}” spill out of the button “{button}”"
            );
        }
    }
}

#[test]
fn every_kiosk_flow_works_through_the_screen() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .unwrap();
    // A relative folder is taken from the workspace's root, where the README is.
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let shots = Shots(std::env::var_os("IKI_SCREENSHOTS").map(|dir| root.join(dir)));

    check_in_and_points(&shots);
    pin_lockout();
    voting(&shots);
    rides(&shots);
    newcomers(&shots);
    staff(&shots);
    inactivity_and_bounces(&shots);
    printer_out_of_paper();
    offline(&shots);
    first_start_enrols_with_the_hub();
}

fn check_in_and_points(shots: &Shots) {
    let r = rig(PrinterKind::Preview);
    r.expect("カードをここにタッチしてください");
    r.expect("郷ノ浦港");
    r.check("waiting", shots);
    assert!(r.sees("Please touch your card here") || r.sees("カードをここにタッチしてください"));

    let sakura = r.card("さくら");
    r.tap(&sakura);
    r.expect("ようこそ、さくらさん！");
    r.expect("チェックインしました：+10 ポイント");
    r.expect("壱岐へようこそボーナス：+500 ポイント");
    r.expect("ポイント残高：510 pt");
    assert_eq!(r.printed(), "printed", "the check-in receipt prints");
    r.expect("レシートをお取りください。");
    assert!(r.cues().starts_with(&[Cue::TapAccepted, Cue::Confirmation]));
    r.check("greeting", shots);

    // Points: the catalogue, an item over the PIN threshold, a wrong PIN, the right one.
    r.press("ポイントを使う");
    assert_eq!(r.screen(), Screen::Catalogue);
    r.expect("壱岐焼酎 ミニボトル");
    r.check("catalogue", shots);
    r.press("生うに 瓶詰め");
    r.expect_part("1,500 pt");
    assert_eq!(r.screen(), Screen::Catalogue, "too dear: explained, not chosen");
    assert_eq!(r.cues().last(), Some(&Cue::Error));
    r.press("壱岐焼酎 ミニボトル");
    assert_eq!(r.screen(), Screen::ConfirmItem);
    r.expect("500 pt を使いますか？");
    r.check("confirm-item", shots);
    r.press("はい、ポイントを使う");
    assert_eq!(r.screen(), Screen::Pin);
    r.check("pin", shots);
    r.keys("1111");
    r.expect("4 桁中 4 桁入力済み");
    r.press("OK");
    r.expect_part("PINが違います");
    r.expect_part("あと 2 回");
    r.keys("2468");
    r.press("OK");
    assert_eq!(r.screen(), Screen::Coupon);
    let code = r.session.borrow().model().coupon_code.clone();
    assert!(!code.is_empty());
    r.expect(&format!("クーポン番号：{code}"));
    r.expect("残りのポイント：10 pt");
    assert_eq!(r.printed(), "printed");
    assert!(r.session.borrow().model().print.preview.as_ref().is_some_and(|p| p.exists()), "the coupon's picture");
    r.check("coupon", shots);

    // Back to the greeting: the balance as it is now, the check-in not repeated.
    r.press("← もどる");
    assert_eq!(r.screen(), Screen::Greeted);
    r.expect("ポイント残高：10 pt");
    assert!(!r.sees("チェックインしました：+10 ポイント"));
    r.press("はじめにもどる");
    assert_eq!(r.screen(), Screen::Waiting);

    // The same card again today.
    r.tap(&sakura);
    r.expect("今日はもうチェックイン済みです。");

    // A stopped card is refused with words, on the waiting screen.
    let lost = r.demo.citizen("健").revoked[0].0;
    r.tap(&lost);
    assert_eq!(r.screen(), Screen::Waiting);
    r.expect_part("このカードは利用が停止されています");
}

fn pin_lockout() {
    let r = rig(PrinterKind::Preview);
    r.tap(&r.card("さくら"));
    r.press("ポイントを使う");
    r.press("壱岐焼酎 ミニボトル");
    r.press("はい、ポイントを使う");
    for attempt in 0..3 {
        r.keys("9999");
        r.press("OK");
        if attempt < 2 {
            r.expect_part("PINが違います");
        }
    }
    r.expect_part("ロックしました");
    assert!(r.session.borrow().model().pin_locked);
    assert!(!r.sees("OK"), "no PIN pad while locked");
    // The right PIN does not open a locked card either.
    r.press("← もどる");
    r.press("はい、ポイントを使う");
    r.keys("2468");
    r.press("OK");
    r.expect_part("ロックしました");
    assert_ne!(r.screen(), Screen::Coupon);
}

fn voting(shots: &Shots) {
    let r = rig(PrinterKind::Preview);
    r.tap(&r.card("ハナ"));
    r.expect_part("件のテーマで投票を受け付けています");
    r.press("投票する");
    assert_eq!(r.screen(), Screen::Themes);
    r.check("themes", shots);
    r.press("港の待合室の使い方");
    assert_eq!(r.screen(), Screen::Ballot);
    r.expect("港の待合室で、何がいちばんあるとうれしいですか？");
    r.check("ballot", shots);
    r.press("この内容で投票する");
    assert_eq!(r.screen(), Screen::Ballot, "nothing chosen: explained");
    r.expect_part("選んでください");
    let first = r.session.borrow().model().choices[0].label.clone();
    let second = r.session.borrow().model().choices[1].label.clone();
    r.press(&first);
    assert!(r.session.borrow().model().choices[0].selected);
    r.press("この内容で投票する");
    assert_eq!(r.screen(), Screen::BallotDone);
    r.expect("投票しました。ありがとうございます！");
    r.expect("これまでの投票");
    r.check("ballot-done", shots);

    // Changing the vote before the theme closes is explained and replaces the first.
    r.press("← もどる");
    r.press("投票する");
    r.press("港の待合室の使い方");
    r.expect_part("新しく投票すると前の投票と入れ替わります");
    r.press(&second);
    r.press("この内容で投票する");
    r.expect("投票を変更しました。ありがとうございます！");
    let results = r.session.borrow().model().results.clone();
    assert_eq!(results.iter().map(|b| b.votes).sum::<u32>(), 1, "one ballot per person: {results:?}");
    assert!(results.iter().any(|b| b.mine && b.votes == 1));
}

fn rides(shots: &Shots) {
    let r = rig(PrinterKind::Preview);
    let hana = r.card("ハナ");
    r.tap(&hana);
    r.press("乗り物を呼ぶ");
    assert_eq!(r.screen(), Screen::RideWhere);
    r.expect("港");
    r.expect("病院");
    r.check("ride-where", shots);
    r.press("壱岐病院");
    assert_eq!(r.screen(), Screen::RideWhen);
    r.expect("今すぐ");
    r.check("ride-when", shots);
    r.press("今すぐ");
    assert_eq!(r.screen(), Screen::RideDetails);
    r.press("ひとり増やす");
    r.press("車いすスペース");
    r.expect("2 人");
    r.check("ride-details", shots);
    r.press("次へ");
    assert_eq!(r.screen(), Screen::RideConfirm);
    r.expect("行き先：壱岐病院");
    r.expect("人数：2");
    r.check("ride-confirm", shots);
    r.press("はい、予約する");
    assert_eq!(r.screen(), Screen::RideDone);
    let number = r.session.borrow().model().ride_number.clone();
    assert!(number.starts_with("GNR1-"), "{number}");
    r.expect(&format!("配車番号：{number}"));
    assert_eq!(r.printed(), "printed");
    r.check("ride-done", shots);

    // The next tap shows the ride's status, and it can be cancelled with one confirmation.
    r.press("はじめにもどる");
    r.tap(&hana);
    r.expect_part(&format!("{number}（壱岐病院）"));
    r.expect_part("配車を待っています");
    r.press("配車を取り消す");
    assert_eq!(r.screen(), Screen::CancelRide);
    r.check("cancel-ride", shots);
    r.press("はい、取り消す");
    assert_eq!(r.screen(), Screen::Greeted);
    r.expect("配車を取り消しました。");
    assert!(!r.sees("配車を取り消す"));
}

fn newcomers(shots: &Shots) {
    let r = rig(PrinterKind::Preview);
    let newcomer = CardUid::parse("iso14443a:04C0FFEE123456").unwrap();
    r.tap(&newcomer);
    assert_eq!(r.screen(), Screen::Welcome);
    r.expect("壱岐へようこそ！");
    r.check("welcome", shots);
    r.press("e-市民になる");
    assert_eq!(r.screen(), Screen::Consent);
    r.check("consent", shots);
    r.press("同意する");
    assert_eq!(r.screen(), Screen::Nickname);
    r.press("次へ");
    r.expect_part("ニックネームを入れてください");
    for key in ["み", "な", "と", "か"] {
        r.press(key);
    }
    r.press("゛");
    let typed = r.session.borrow().model().typed.clone();
    assert_eq!(typed, "みなとが", "the voicing mark joins the last kana");
    r.press("消す");
    r.press("英字キー");
    r.press("K");
    assert_eq!(r.session.borrow().model().typed, "みなとK");
    r.check("nickname", shots);
    r.press("次へ");
    assert_eq!(r.screen(), Screen::HomeRegion);
    r.check("home-region", shots);
    r.press("東京");
    assert_eq!(r.screen(), Screen::AgeBand);
    r.check("age-band", shots);
    let before = r.events();
    r.press("30代");
    assert_eq!(r.screen(), Screen::Registered);
    r.expect("壱岐へようこそ、みなとKさん！e-市民になりました。");
    assert_eq!(r.events(), before + 1, "the registration is recorded");
    r.check("registered", shots);
    r.press("チェックインする");
    assert_eq!(r.screen(), Screen::Greeted);
    r.expect("ようこそ、みなとKさん！");

    // A guest, from an unknown card and from the waiting screen.
    r.press("はじめにもどる");
    let stranger = CardUid::parse("felica:0114000000000099").unwrap();
    r.tap(&stranger);
    r.press("ゲストとしてチェックイン");
    assert_eq!(r.screen(), Screen::GuestDone);
    r.expect("ご来場ありがとうございます！");
    r.check("guest-done", shots);
    r.press("はじめにもどる");
    r.press("ゲストとしてチェックイン");
    r.expect_part("本日のゲスト：2");
}

fn staff(shots: &Shots) {
    let r = rig(PrinterKind::Preview);
    r.tap(&r.card("さくら"));
    assert_eq!(r.printed(), "printed");
    r.press("はじめにもどる");
    r.press("係員メニュー（2秒長押し）");
    assert_eq!(r.screen(), Screen::StaffPin);
    r.check("staff-pin", shots);
    r.keys("1234");
    r.press("OK");
    r.expect_part("係員PINが違います");
    r.keys(STAFF_PIN);
    r.press("OK");
    assert_eq!(r.screen(), Screen::Staff);
    r.expect("島のサーバーへの送信待ち：1");
    r.expect_part("simulated:test");
    r.expect_part("preview printer");
    r.check("staff", shots);
    r.press("最後のレシートを再印刷");
    assert_eq!(r.printed(), "printed", "the last receipt printed again");
    r.press("大きく");
    assert_eq!(r.session.borrow().model().volume, 80);
    r.press("English");
    r.press("Start in this language");
    r.expect("Saved as the starting language.");
    r.press("日本語");
    // Both survive a restart: a new session over the same store starts in English at 80 %.
    let saved = r.services.store().read(|tx| Ok::<_, iki_store::StoreError>((tx.setting("language")?, tx.setting("volume")?))).unwrap();
    assert_eq!(saved, (Some("en".into()), Some("80".into())));
    r.press("この言語で始める");
    r.press("この端末を登録");
    assert_eq!(r.screen(), Screen::StaffEnrol);
    // No hub address is known yet: the keys type the address, with the keys it needs.
    assert_eq!(r.session.borrow().model().field, "hub");
    assert_eq!(r.session.borrow().model().keyboard, "address");
    r.press("登録する");
    r.expect_part("島のサーバーのアドレスを入力してください");
    r.keys("hub:x");
    r.press("登録する");
    r.expect_part("このアドレスは使えません");
    for _ in 0..2 {
        r.press("消す");
    }
    r.keys(".iki.example");
    assert_eq!(r.session.borrow().model().typed_hub, "hub.iki.example");
    r.check("staff-enrol", shots);
    r.press("登録する");
    r.expect_part("登録コードを入力してください");
    assert_eq!(r.session.borrow().model().field, "code", "the keys now type the code");
    assert_eq!(r.session.borrow().model().keyboard, "digits");
    r.press("A");
    r.press("1");
    r.press("登録する");
    assert_eq!(r.session.borrow().model().typed_hub, "https://hub.iki.example", "the address as it will be used");
    // This rig has no store to enrol: the reason comes back from the port.
    r.tick();
    r.expect_part("登録できませんでした");

    // Three wrong staff PINs pause the staff screen.
    r.press("はじめにもどる");
    r.press("係員メニュー（2秒長押し）");
    for _ in 0..3 {
        r.keys("0000");
        r.press("OK");
    }
    r.expect_part("5分");
}

fn inactivity_and_bounces(shots: &Shots) {
    let r = rig(PrinterKind::Preview);
    let sakura = r.card("さくら");
    r.tap(&sakura);
    let recorded = r.events();
    r.press("ポイントを使う");
    // A minute without a touch: the warning, with a way to stay.
    r.ticks.set(r.ticks.get() + 61_000);
    r.tick();
    assert!(r.session.borrow().model().idle_warning);
    r.expect_part("秒後に最初の画面にもどります");
    assert_eq!(r.cues().last(), Some(&Cue::Attention));
    shots.save(&r.window, "idle-warning-ja");
    r.press("もう少し使う");
    assert!(!r.session.borrow().model().idle_warning);
    assert_eq!(r.screen(), Screen::Catalogue, "still where they were");
    // Then no touch at all: back to waiting, with what was recorded still recorded.
    r.ticks.set(r.ticks.get() + 81_000);
    r.tick();
    assert_eq!(r.screen(), Screen::Waiting);
    assert_eq!(r.events(), recorded);

    // A bounce: "use my points" pressed twice at once records one redemption.
    r.tap(&sakura);
    r.press("ポイントを使う");
    r.press("壱岐牛コロッケ");
    let before = r.events();
    r.press("はい、ポイントを使う");
    assert_eq!(r.screen(), Screen::Coupon);
    r.press_now("← もどる");
    assert_eq!(r.screen(), Screen::Coupon, "a press meant for the last screen is ignored");
    assert_eq!(r.events(), before + 1);
    // Pressing the same thing twice quickly counts once.
    r.press("← もどる");
    r.press("ポイントを使う");
    r.press("壱岐牛コロッケ");
    r.press("← もどる");
    assert_eq!(r.screen(), Screen::Catalogue);
    r.ticks.set(r.ticks.get() + 400);
    r.press_now("← もどる");
    assert_eq!(r.screen(), Screen::Catalogue, "the same button again within 0.6 s is a bounce");
}

fn printer_out_of_paper() {
    let r = rig(PrinterKind::PaperOut);
    r.tap(&r.card("さくら"));
    assert_eq!(r.printed(), "printer.paper_out");
    r.press("ポイントを使う");
    r.press("壱岐牛コロッケ");
    r.press("はい、ポイントを使う");
    assert_eq!(r.screen(), Screen::Coupon, "the coupon is recorded whatever the printer does");
    assert_eq!(r.printed(), "printer.paper_out");
    r.expect("プリンターの用紙が切れています。レシートは保存されました。係員が再印刷できます。");
    assert_eq!(r.cues().last(), Some(&Cue::Error));
    let kept = Spool::open(&r.spool_dir).unwrap().pending().unwrap();
    assert_eq!(kept.len(), 2, "both receipts are kept for a reprint");
}

fn offline(shots: &Shots) {
    let r = rig(PrinterKind::Preview);
    r.hub.set_reachable(false);
    r.tick();
    r.expect("オフラインです：記録はこの端末に保存され、あとで送られます");
    shots.save(&r.window, "waiting-offline-ja");
    r.tap(&r.card("さくら"));
    r.press("ポイントを使う");
    r.press("壱岐焼酎 ミニボトル");
    r.press("はい、ポイントを使う");
    r.keys("2468");
    r.press("OK");
    assert_eq!(r.screen(), Screen::Coupon, "spent offline, within the allowance");
    let outbox = r.services.store().read(|tx| tx.outbox_len()).unwrap();
    assert_eq!(outbox, 2, "the check-in and the coupon wait for the hub");
}

/// A kiosk that has never been enrolled opens on the staff PIN; staff type the one-time
/// code from the admin desktop and the kiosk enrols with a real hub on loopback, pulls the
/// island and is ready for cards.
fn first_start_enrols_with_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let hub = iki_kiosk::embedded_hub::EmbeddedHub::start(dir.path()).unwrap();
    let demo = island(demo_morning());
    let code = hub.enrolment_code(demo.place("ASB").id, "ASB1").unwrap();
    let db = dir.path().join("kiosk.sqlite3");
    let link = HubLink::default();
    let services = Arc::new(KioskServices::new(Store::open(&db).unwrap(), Rules::default(), Arc::new(ManualClock::new(demo_morning())), link.clone()));
    let ticks = Rc::new(Cell::new(0));
    let port = LivePort::new(LiveParts {
        services,
        hub: link,
        printer: Box::new(PreviewPrinter::new(dir.path().join("receipts"), PaperWidth::Mm58, ReceiptFonts::system().unwrap(), Spool::open(dir.path().join("spool")).unwrap())),
        sound: None,
        reader_status: Arc::new(|| DeviceStatus { device: "simulated:test".into(), health: Health::Ok }),
        staff_pin_hash: iki_core::secret::hash_secret(STAFF_PIN, &[3; 16]),
        enrol: Some(iki_kiosk::live::EnrolTarget { store_path: db.clone(), default_hub: None, ca: None }),
        ticks: Ticks::Manual(ticks.clone()),
    });
    assert!(!port.enrolled());
    let session = Rc::new(RefCell::new(Session::new(port)));
    session.borrow_mut().needs_enrolment();
    let window = KioskWindow::new().unwrap();
    window.window().set_size(slint::PhysicalSize::new(1920, 1080));
    window.show().unwrap();
    bind(&window, session.clone());
    show(&window, session.borrow().model());
    let r = Rig { window, session, ticks, hub: HubLink::default(), demo, services: Arc::new(KioskServices::new(Store::open(&db).unwrap(), Rules::default(), Arc::new(ManualClock::new(demo_morning())), HubLink::default())), spool_dir: dir.path().join("spool"), _dir: tempfile::tempdir().unwrap() };
    assert_eq!(r.screen(), Screen::StaffPin, "a kiosk not yet enrolled opens for staff");
    r.keys(STAFF_PIN);
    r.press("OK");
    r.press("この端末を登録");
    // A first start knows no hub: staff type its address on the screen's keys. First a
    // port where nothing listens, then a wrong code, then both right.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    r.keys(&format!("http://{closed}"));
    r.press("登録コード");
    r.keys(&code);
    assert_eq!(r.session.borrow().model().typed, code);
    r.press("登録する");
    r.expect("登録しています…");
    let answered = |r: &Rig| {
        for _ in 0..400 {
            r.tick();
            let model = r.session.borrow().model().clone();
            if model.note == "staff.enrolled" || !model.problem.code.is_empty() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("enrolment never answered");
    };
    answered(&r);
    r.expect_part(&format!("http://{closed} から応答がありません"));
    assert!(!r.session.borrow().port().enrolled(), "nothing is kept from a failed enrolment");
    r.press("島のサーバーのアドレス");
    while !r.session.borrow().model().typed_hub.is_empty() {
        r.press("消す");
    }
    r.keys(&hub.url);
    r.press("登録コード");
    r.press("消す");
    r.press(if code.ends_with('0') { "1" } else { "0" });
    r.press("登録する");
    answered(&r);
    r.expect_part("このコードを受け付けませんでした");
    r.press("消す");
    r.keys(&code[code.len() - 1..]);
    r.press("登録する");
    r.press("登録する"); // again while the first is on its way: the code is not spent twice
    answered(&r);
    r.expect("この端末を登録しました。");
    std::thread::sleep(std::time::Duration::from_millis(300));
    r.tick();
    assert_eq!(r.session.borrow().model().problem.code, "", "no second enrolment was tried");
    assert_eq!(r.session.borrow().model().kiosk_code, "ASB1");
    r.expect("芦辺港");
    assert!(r.session.borrow().port().enrolled());
    // The pulled island is there: a demo card checks in.
    r.press("はじめにもどる");
    r.tap(&r.card("さくら"));
    r.expect("ようこそ、さくらさん！");
    // The kiosk remembers the hub it enrolled with: enrolling again offers that address.
    r.press("はじめにもどる");
    r.press("係員メニュー（2秒長押し）");
    r.keys(STAFF_PIN);
    r.press("OK");
    r.press("この端末を登録");
    assert_eq!(r.session.borrow().model().typed_hub, hub.url);
    assert_eq!(r.session.borrow().model().field, "code");
}
