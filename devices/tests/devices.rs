//! The devices started from configuration, and the diagnostic command: the demo set-up
//! taps through the simulated reader and prints PNG receipts; readers that are not there
//! are reported missing with a reason, never a hang.

use std::process::Command;
use std::time::Duration;

use iki_core::CardUid;
use iki_core::receipt::{Receipt, ReceiptKind};
use iki_devices::config::DevicesConfig;
use iki_devices::reader::{PcscReader, PollTiming, ReaderEvent, WedgeReader, spawn};
use iki_devices::{Devices, Health};

#[test]
fn demo_devices_tap_and_print_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = DevicesConfig::demo(dir.path(), concat!(env!("CARGO_MANIFEST_DIR"), "/../assets"));
    config.sound.enabled = false;
    let mut devices = Devices::start(&config).unwrap();
    let cards = devices.simulated_cards().expect("the demo has simulated cards").clone();
    let card = CardUid::parse("felica:0114B3A1C2D3E4F5").unwrap();
    cards.present(card);
    assert_eq!(devices.reader.next_tap(Duration::from_secs(2)), Some(card));
    devices.printer.print(&Receipt::new(ReceiptKind::Test, 7).heading("テスト")).unwrap();
    let png = dir.path().join("receipts/000007-test.png");
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"), "{}", png.display());
    let status = devices.status();
    assert_eq!(status.len(), 3);
    assert_eq!(status[0].health, Health::Ok, "{status:?}");
    assert!(matches!(&status[2].health, Health::Missing(r) if r.contains("turned off")));
}

#[test]
fn missing_pcsc_and_wedge_readers_say_why() {
    let timing = PollTiming { backoff_first: Duration::from_millis(50), ..PollTiming::default() };
    for handle in [spawn(PcscReader::new(Some("No Such Reader".into())), timing), spawn(WedgeReader::new("/dev/input/iki-none", Default::default()), timing)] {
        match handle.next_event(Duration::from_secs(5)) {
            Some(ReaderEvent::Health { health: Health::Missing(reason), .. }) => {
                assert!(
                    reason.contains("pcscd is not running") || reason.contains("no such PC/SC reader") || reason.contains("iki-none"),
                    "{reason}"
                );
            }
            other => panic!("expected a missing reader, got {other:?}"),
        }
    }
}

#[test]
fn the_diagnostic_command_reads_a_card_through_libnfc_and_prints_a_test_receipt() {
    let bin = env!("CARGO_BIN_EXE_iki-devices");
    let out = Command::new(bin).args(["wait-tap", "--reader", "emulated", "--seconds", "10"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("tap: felica:0114B3A1C2D3E4F5"), "{stdout}");

    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("test.png");
    let out = Command::new(bin).args(["print-test", "--paper", "58mm", "--printer"]).arg(format!("preview:{}", png.display())).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));

    let out = Command::new(bin).args(["print-test", "--printer", "serial:/dev/ttyIKI-none"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("your receipt is saved"));
}
