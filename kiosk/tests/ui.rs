//! The kiosk window, headless (Slint's testing backend with the software renderer), over
//! the real kiosk services on the demo island: the waiting screen in Japanese, a tap that
//! greets and shows points, the language buttons, "start over", an unknown card; and
//! screenshots of each screen in each language.
//!
//! `IKI_SCREENSHOTS=docs/screenshots cargo test -p iki-kiosk --test ui` refreshes the
//! screenshots the README shows.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use i_slint_backend_testing::{ElementHandle, TestingBackend, TestingBackendOptions};
use iki_core::{CardUid, Rules};
use iki_demo_data::{demo_morning, island, load_island};
use iki_kiosk::KioskWindow;
use iki_kiosk::ui::{ServicesPort, Session, bind, render_png, show};
use iki_kiosk_services::{HubLink, KioskServices, ManualClock};
use iki_store::Store;
use slint::ComponentHandle;

fn visible(window: &KioskWindow, label: &str) -> bool {
    ElementHandle::find_by_accessible_label(window, label).next().is_some()
}

fn click(window: &KioskWindow, label: &str) {
    let button = ElementHandle::find_by_accessible_label(window, label).next().unwrap_or_else(|| panic!("no “{label}” on screen"));
    button.invoke_accessible_default_action();
}

#[test]
fn the_kiosk_window_greets_a_tap_in_four_languages() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .unwrap();
    let demo = island(demo_morning());
    let mut store = Store::open_in_memory().unwrap();
    load_island(&mut store, &demo, "GNR1").unwrap();
    let hub = HubLink::default();
    hub.set_reachable(true);
    let services = Box::leak(Box::new(KioskServices::new(store, Rules::default(), Arc::new(ManualClock::new(demo_morning())), hub.clone())));
    let session = Rc::new(RefCell::new(Session::new(ServicesPort { services, hub })));

    let window = KioskWindow::new().unwrap();
    window.window().set_size(slint::PhysicalSize::new(1280, 800));
    window.show().unwrap();
    bind(&window, session.clone());
    show(&window, session.borrow().model());

    let shots = std::env::var_os("IKI_SCREENSHOTS").map(std::path::PathBuf::from);
    let shoot = |name: &str| {
        let png = render_png(&window).unwrap();
        assert!(png.len() > 10_000, "{name}: the screen has content");
        if let Some(dir) = &shots {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
        }
    };

    // Japanese first.
    assert!(visible(&window, "カードをここにタッチしてください"), "the waiting screen in Japanese");
    assert!(visible(&window, "郷ノ浦港"));
    shoot("waiting-ja");

    let sakura = demo.citizen("さくら").cards[0];
    let model = session.borrow_mut().tap(&sakura).clone();
    show(&window, &model);
    assert!(visible(&window, "ようこそ、さくらさん！"));
    assert!(visible(&window, "チェックインしました：+10 ポイント"));
    assert!(visible(&window, "壱岐へようこそボーナス：+500 ポイント"));
    assert!(visible(&window, "ポイント残高：510 pt"));
    assert!(visible(&window, "ポイントを使う") && visible(&window, "乗り物を呼ぶ") && visible(&window, "はじめにもどる"));
    shoot("greeting-ja");

    click(&window, "はじめにもどる");
    assert!(visible(&window, "カードをここにタッチしてください"), "back to waiting");

    for (lang, button, waiting, welcome, start_over) in [
        ("en", "English", "Please touch your card here", "Welcome, さくら!", "Start over"),
        ("ko", "한국어", "카드를 여기에 대 주세요", "さくら님, 환영합니다!", "처음으로"),
        ("zh", "中文", "请在这里刷卡", "さくら，欢迎！", "返回开始"),
    ] {
        click(&window, button);
        assert!(visible(&window, waiting), "{lang}: {waiting}");
        shoot(&format!("waiting-{lang}"));
        let model = session.borrow_mut().tap(&sakura).clone();
        show(&window, &model);
        assert!(visible(&window, welcome), "{lang}: {welcome}");
        shoot(&format!("greeting-{lang}"));
        click(&window, start_over);
        assert!(visible(&window, waiting), "{lang}: back to waiting");
    }

    // Back to Japanese; the same card again is "already checked in", an unknown card a plain message.
    click(&window, "日本語");
    let again = session.borrow_mut().tap(&sakura).clone();
    show(&window, &again);
    assert!(visible(&window, "今日はもうチェックイン済みです。"));
    let stranger = CardUid::parse("felica:0114000000000099").unwrap();
    let refused = session.borrow_mut().tap(&stranger).clone();
    show(&window, &refused);
    assert!(visible(&window, "カードをここにタッチしてください"));
    assert!(refused.message.contains("not registered"), "{}", refused.message);
}
