//! End to end: the real `iki-admin` app on a private Xvfb display, driven through WebDriver
//! (tauri-driver handing the session to WebKitWebDriver) against a real hub on loopback.
//! A wrong password, then sign-in; a citizen registered with a card tapped on the
//! simulated staff reader; a theme created; a ride dispatched; the open data exported; the
//! hub going away mid-work, the entry kept and sent again. Each screen is photographed
//! into `IKI_SCREENSHOTS` (the workspace's `docs/screenshots`) when that is set.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use iki_core::{CardUid, Needs, RideStatus, RideTime};
use iki_hub_store::HubStore;
use iki_kiosk_services::RideOrder;
use iki_system_tests::rig::{MANAGER, STAFF, TestHub, TestKiosk};
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A child process (and its process group: tauri-driver's WebKitWebDriver and the app)
/// stopped when the test ends, however it ends.
struct Running(Child);

impl Running {
    fn start(command: &mut Command) -> std::io::Result<Self> {
        use std::os::unix::process::CommandExt;
        command.process_group(0).spawn().map(Self)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        std::thread::sleep(Duration::from_millis(300));
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.0.wait();
    }
}

/// A private X display on the first free number from :140.
fn xvfb() -> (Running, String) {
    let n = (140..180)
        .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() && !Path::new(&format!("/tmp/.X{n}-lock")).exists())
        .expect("a free X display number");
    let running = Running::start(
        Command::new("Xvfb").args([format!(":{n}").as_str(), "-screen", "0", "1400x1000x24", "-nolisten", "tcp"]).stdout(Stdio::null()).stderr(Stdio::null()),
    )
    .expect("Xvfb (scripts/setup.sh installs xvfb)");
    let socket = format!("/tmp/.X11-unix/X{n}");
    let until = Instant::now() + Duration::from_secs(10);
    while !Path::new(&socket).exists() {
        assert!(Instant::now() < until, "Xvfb :{n} did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    (running, format!(":{n}"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    [home.join(".cargo/bin/tauri-driver")]
        .into_iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("tauri-driver"))
}

/// Just enough of a W3C WebDriver client.
struct Browser {
    base: String,
    http: reqwest::blocking::Client,
}

impl Browser {
    fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut request = self.http.request(method, &url);
        if let Some(b) = body {
            request = request.json(&b);
        }
        let answer: Value = request.send().unwrap_or_else(|e| panic!("{url}: {e}")).json().unwrap();
        if let Some(error) = answer["value"].get("error") {
            panic!("{path}: {error} {}", answer["value"]["message"]);
        }
        answer["value"].clone()
    }

    fn run(&self, script: &str, args: Value) -> Value {
        self.send(reqwest::Method::POST, "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    fn find(&self, css: &str) -> String {
        self.wait(&format!("document.querySelector({css:?}) !== null"), css);
        let e = self.send(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css})));
        e[ELEMENT].as_str().unwrap().to_owned()
    }

    fn click(&self, css: &str) {
        self.visible(css);
        let e = self.find(css);
        self.send(reqwest::Method::POST, &format!("/element/{e}/click"), Some(json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        self.visible(css);
        let e = self.find(css);
        self.send(reqwest::Method::POST, &format!("/element/{e}/clear"), Some(json!({})));
        self.send(reqwest::Method::POST, &format!("/element/{e}/value"), Some(json!({"text": text})));
    }

    /// Sets an input the way a date picker would (WebDriver cannot type into those).
    fn set(&self, css: &str, value: &str) {
        self.find(css);
        self.run("const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('input', {bubbles: true}));", json!([css, value]));
    }

    fn text(&self, css: &str) -> String {
        self.run("return document.querySelector(arguments[0]).textContent", json!([css])).as_str().unwrap_or_default().to_owned()
    }

    fn value(&self, css: &str) -> String {
        self.run("return document.querySelector(arguments[0]).value", json!([css])).as_str().unwrap_or_default().to_owned()
    }

    /// Waits until `condition` (a JS expression) holds.
    fn wait(&self, condition: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.run(&format!("return !!({condition})"), json!([])) == Value::Bool(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let shown = self.run("const p = document.querySelector('#problem'); return p && !p.hidden ? p.textContent : ''", json!([]));
        let reader = self.run("return JSON.stringify(readerLog) + ' focus: ' + (document.activeElement && document.activeElement.id)", json!([]));
        panic!("waited 30 s for {what}: {condition}; the problem shown: {shown}; the reader said: {reader}");
    }

    fn visible(&self, css: &str) {
        self.wait(&format!("(() => {{ const e = document.querySelector({css:?}); return e && e.getClientRects().length > 0; }})()"), css);
    }

    /// Photographs the window scrolled to the top.
    fn screenshot(&self, name: &str) {
        self.screenshot_of(name, "body");
    }

    /// Photographs the window scrolled to `css`.
    fn screenshot_of(&self, name: &str, css: &str) {
        let Some(dir) = std::env::var_os("IKI_SCREENSHOTS") else { return };
        self.run("document.querySelector(arguments[0]).scrollIntoView({block: 'start'}); window.scrollBy(0, -70)", json!([css]));
        // Let charts and fonts settle.
        std::thread::sleep(Duration::from_millis(400));
        let png = self.send(reqwest::Method::GET, "/screenshot", None);
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap()).unwrap();
        let dir = workspace().join(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("admin-{name}.png")), png).unwrap();
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

#[test]
fn hall_staff_work_through_the_real_app() {
    let hub = TestHub::start();
    let exports = tempfile::tempdir().unwrap();
    // A ride waiting for dispatch, requested at a kiosk.
    let token = hub.login(STAFF);
    let kiosk = TestKiosk::enrol(&hub, &token, "GNR", "GNR1E");
    kiosk.hub_link.set_reachable(true);
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    let hana = CardUid::parse("felica:0114B3A1C2D3E4F5").unwrap();
    let order = RideOrder { destination: island.stop("Iki Hospital").id, when: RideTime::Now, passengers: 1, needs: Needs { wheelchair: true, assistance: false } };
    let ride = kiosk.services.request_ride(&hana, &order).unwrap().ride;
    // Today's visits, for the dashboard and the reports.
    kiosk.clock.set(iki_admin_desktop::desk::now());
    kiosk.services.check_in(&hana).unwrap();
    for region in [Some("KR"), Some("JP-13"), None] {
        kiosk.services.check_in_guest(region).unwrap();
    }
    kiosk.sync();

    let (_x, display) = xvfb();
    let (port, native) = (free_port(), free_port());
    let _driver = Running::start(
        Command::new(tauri_driver())
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("DISPLAY", &display)
            .env("IKI_HUB_URL", &hub.url)
            .env("IKI_READER", "simulated")
            .env("IKI_EXPORT_DIR", exports.path())
            .env("HOME", exports.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit()),
    )
    .expect("tauri-driver (scripts/setup.sh installs it)");
    let http = iki_system_tests::rig::http();
    let root = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while http.get(format!("{root}/status")).send().is_err() {
        assert!(Instant::now() < deadline, "tauri-driver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let capabilities = json!({"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": {"application": env!("CARGO_BIN_EXE_iki-admin")}}}});
    let session: Value = http.post(format!("{root}/session")).json(&capabilities).send().unwrap().json().unwrap();
    let id = session["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {session}")).to_owned();
    let b = Browser { base: format!("{root}/session/{id}"), http };

    // Sign in: a wrong password is explained, the right one opens the dashboard.
    b.visible("#signin-form");
    b.screenshot("signin");
    b.type_into("#username", STAFF.0);
    b.type_into("#password", "wrong");
    b.click("#signin-button");
    b.visible("#problem");
    assert_eq!(b.text("#problem-text"), "ユーザー名またはパスワードが違います。");
    b.type_into("#password", STAFF.1);
    b.click("#signin-button");
    b.visible("#dashboard svg");
    assert!(b.text("#who").contains(STAFF.0));
    b.visible("#sim");
    b.screenshot("dashboard");

    // Register a citizen, the card tapped on the simulated reader.
    b.click("nav [data-screen=citizens]");
    b.click("#new-citizen");
    b.type_into("#register-form [name=nickname]", "うみねこ");
    b.type_into("#register-form [name=home_region]", "JP-40");
    b.click("#register-form [name=card]");
    b.click("#sim-blank");
    b.wait("document.querySelector('#register-form [name=card]').value.startsWith('iso14443a:')", "the tapped card in the form");
    let card = b.value("#register-form [name=card]");
    b.screenshot("register");
    b.click("#register-button");
    b.visible("#file");
    b.wait("document.querySelector('#file-name').textContent.includes('うみねこ')", "the new citizen's file");
    assert!(b.text("#file-cards").contains(&card));
    let found = hub.store.search_citizens(&card, 5).unwrap();
    assert_eq!(found.len(), 1, "the hub has the citizen with the card");
    assert_eq!(found[0].citizen.nickname.to_string(), "うみねこ");
    b.screenshot_of("citizen", "#file");

    // Entries are kept as typed, but never a PIN.
    b.type_into("#reason", "下書き");
    b.type_into("#new-pin", "4321");
    let stored = b.run("return JSON.stringify(localStorage)", json!([])).as_str().unwrap().to_owned();
    assert!(stored.contains("下書き") && !stored.contains("pin\\\":"), "{stored}");
    b.set("#reason", "");

    // Tapping the same card on the citizen screen finds them.
    b.set("#query", "");
    b.run("document.activeElement.blur()", json!([]));
    b.type_into("#sim-card", &card);
    b.click("#sim-tap");
    b.wait(&format!("document.querySelector('#query').value === {card:?}"), "the tapped card searched");

    // The catalogue, as tiles.
    b.click("nav [data-screen=catalogue]");
    b.visible("#items .tile");
    b.screenshot("catalogue");

    // Create a theme.
    b.click("nav [data-screen=themes]");
    b.type_into("#theme-form [name=title_ja]", "港の待合室");
    b.type_into("#theme-form [name=title_en]", "Port waiting room");
    b.type_into("#theme-form [name=question_ja]", "何を置きますか？");
    b.type_into("#theme-form [name=question_en]", "What should it have?");
    b.set("#theme-form [name=options]", "本棚 / Bookshelf\n充電器 / Chargers\n");
    // Open now, by the real clock the app and the hub go by.
    let today = iki_admin_desktop::desk::now();
    b.set("#theme-form [name=opens]", &format!("{}T09:00", today.plus_days(-3).local_day()));
    b.set("#theme-form [name=closes]", &format!("{}T17:00", today.plus_days(57).local_day()));
    b.screenshot("themes");
    b.click("#theme-button");
    b.visible("#theme-results");
    b.wait("document.querySelector('#result-title').textContent.includes('港の待合室')", "the new theme's results");
    assert!(hub.store.themes().unwrap().iter().any(|t| t.title.en == "Port waiting room"));
    b.screenshot_of("theme-results", "#theme-results");

    // Dispatch the ride.
    b.click("nav [data-screen=rides]");
    let form = format!("#ride-{}", ride.id);
    b.visible(&form);
    b.type_into(&format!("{form} [name=vehicle]"), "壱岐 500 あ 12-34");
    b.type_into(&format!("{form} [name=driver]"), "松本");
    b.screenshot("rides");
    b.click(&format!("{form} button"));
    // The confirmation names the ride once the hub has taken the update (the board's own
    // status menu also says 配車済み, so the board's text alone proves nothing).
    b.wait(&format!("!document.querySelector('#done').hidden && document.querySelector('#done').textContent.includes({:?})", ride.number), "the ride dispatched");
    let dispatched = hub.store.rides(true).unwrap();
    assert_eq!((dispatched[0].status, dispatched[0].vehicle.as_deref()), (RideStatus::Assigned, Some("壱岐 500 あ 12-34")));

    // Places and kiosks: an enrolment code with its QR.
    b.click("nav [data-screen=sites]");
    assert!(b.run("return document.querySelector('#place-form').hidden", json!([])).as_bool().unwrap(), "places are for managers");
    b.type_into("#enrol-form [name=kiosk_code]", "GNR5");
    b.click("#enrol-button");
    b.visible("#enrol-qr svg");
    assert_eq!(b.text("#enrol-text").len(), 14);
    b.screenshot("sites");

    // Reports and the open-data export, with its preview.
    b.click("nav [data-screen=reports]");
    // A month to today: the visits recorded above, whatever day the test runs.
    let today = iki_admin_desktop::desk::now();
    b.set("#from", &today.plus_days(-30).local_day().to_string());
    b.set("#to", &today.local_day().to_string());
    b.click("#report-button");
    b.visible("#report");
    b.click("#export-button");
    b.visible("#export-done");
    b.visible("#csv-preview");
    let csv = std::fs::read_dir(exports.path()).unwrap().filter_map(Result::ok).find(|e| e.file_name().to_string_lossy().starts_with("iki-visits-"));
    let csv = std::fs::read_to_string(csv.expect("the exported file").path()).unwrap();
    assert!(csv.starts_with("date,place_code,place_name,visitor,visits\n"), "{csv}");
    b.screenshot_of("reports", "#report");

    // Coupons: an unknown code is said plainly.
    b.click("nav [data-screen=coupons]");
    b.type_into("#coupon-code", "IKI-0000-0000");
    b.click("#coupon-button");
    b.visible("#coupon-answer");
    assert!(b.text("#coupon-answer").starts_with('✗'));
    b.screenshot("coupons");

    // Staff do not see the audit log; a manager does, with the staff member's writes.
    assert!(b.run("return document.querySelector('[data-screen=audit]').hidden", json!([])).as_bool().unwrap());
    b.click("#signout");
    b.visible("#signin-form");
    b.type_into("#username", MANAGER.0);
    b.type_into("#password", MANAGER.1);
    b.click("#signin-button");
    b.visible("nav [data-screen=audit]");
    b.click("nav [data-screen=audit]");
    b.wait("document.querySelector('#audit-log').textContent.includes('市民登録')", "the registration in the audit log");
    assert!(b.text("#audit-log").contains(STAFF.0));
    b.screenshot("audit");

    // A manager adds a community hall on the places screen.
    b.click("nav [data-screen=sites]");
    b.visible("#place-form");
    b.type_into("#place-form [name=code]", "YNM");
    b.set("#place-form [name=kind]", "community_hall");
    b.type_into("#place-form [name=name_ja]", "湯ノ本公民館");
    b.type_into("#place-form [name=name_en]", "Yunomoto Community Hall");
    b.type_into("#place-form [name=lat]", "33.82");
    b.type_into("#place-form [name=lon]", "129.68");
    b.type_into("#place-form [name=checkin_points]", "15");
    b.type_into("#place-form [name=pin_threshold]", "500");
    b.click("#place-button");
    b.wait("document.querySelector('#site-list').textContent.includes('湯ノ本公民館')", "the new hall listed");
    assert!(hub.store.places().unwrap().iter().any(|p| p.code == "YNM" && p.checkin_points.value() == 15), "the hub has the hall");
    b.screenshot("places");

    // The hub goes away mid-work: the adjustment is kept, and "send again" is offered.
    b.click("nav [data-screen=citizens]");
    b.type_into("#query", "うみねこ");
    b.click("#search-button");
    b.visible("#file");
    drop(hub);
    b.type_into("#amount", "50");
    b.type_into("#reason", "港の清掃ボランティア");
    b.click("#adjust-button");
    b.visible("#retry");
    assert!(b.text("#problem-text").contains("つながりません"), "{}", b.text("#problem-text"));
    assert_eq!((b.value("#amount"), b.value("#reason")), ("50".to_owned(), "港の清掃ボランティア".to_owned()), "the entry is kept");
    b.screenshot_of("hub-down", "#adjust-form");

    // Signing out returns to sign-in.
    b.click("#signout");
    b.visible("#signin-form");
    b.send(reqwest::Method::DELETE, "", None);
}
