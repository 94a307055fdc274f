//! The real libnfc path: libnfc opens `pn532_uart:<pty>` while a PN532 emulator plays the
//! chip on the other end. A MIFARE/NTAG card is presented, held, removed, then a FeliCa
//! card; garbled frames, wrong checksums and a silent reader give errors and a reconnect,
//! never a hang or a panic.

use std::time::{Duration, Instant};

use iki_core::CardUid;
use iki_devices::Health;
use iki_devices::reader::pn532_emulator::{EmulatedCard, Fault, Pn532Emulator};
use iki_devices::reader::{LibnfcReader, PollTiming, ReaderEvent, ReaderHandle, spawn};

fn timing() -> PollTiming {
    PollTiming {
        interval: Duration::from_millis(20),
        removal_polls: 2,
        backoff_first: Duration::from_millis(100),
        backoff_max: Duration::from_millis(400),
    }
}

/// Waits for an event matching `want`, failing with everything seen if none comes.
fn expect(handle: &ReaderHandle, within: Duration, what: &str, want: impl Fn(&ReaderEvent) -> bool) -> ReaderEvent {
    let deadline = Instant::now() + within;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match handle.next_event(left) {
            Some(e) if want(&e) => return e,
            Some(e) => seen.push(e),
            None => break,
        }
    }
    panic!("no {what} within {within:?}; saw {seen:#?}");
}

fn tap_of(e: &ReaderEvent) -> Option<CardUid> {
    if let ReaderEvent::Tap { uid, .. } = e { Some(*uid) } else { None }
}

#[test]
fn mifare_then_felica_through_libnfc() {
    let chip = Pn532Emulator::start().unwrap();
    let handle = spawn(LibnfcReader::new(chip.connstring()), timing());
    expect(&handle, Duration::from_secs(5), "reader ready", |e| matches!(e, ReaderEvent::Health { health: Health::Ok, .. }));

    chip.present(EmulatedCard::ntag([0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6]));
    let tap = expect(&handle, Duration::from_secs(3), "NTAG tap", |e| tap_of(e).is_some());
    assert_eq!(tap_of(&tap).unwrap().to_string(), "iso14443a:04A1B2C3D4E5F6");

    // Held on the reader: presence checks keep it, no second tap.
    std::thread::sleep(Duration::from_millis(400));
    while let Some(e) = handle.next_event(Duration::from_millis(10)) {
        assert!(tap_of(&e).is_none(), "a held card tapped twice: {e:?}");
    }

    chip.remove();
    std::thread::sleep(Duration::from_millis(300));
    chip.present(EmulatedCard::felica([0x01, 0x14, 0xB3, 0xA1, 0xC2, 0xD3, 0xE4, 0xF5]));
    let tap = expect(&handle, Duration::from_secs(3), "FeliCa tap", |e| tap_of(e).is_some());
    assert_eq!(tap_of(&tap).unwrap().to_string(), "felica:0114B3A1C2D3E4F5");

    // Removed and presented again: a new tap.
    chip.remove();
    std::thread::sleep(Duration::from_millis(1_500));
    chip.present(EmulatedCard::felica([0x01, 0x14, 0xB3, 0xA1, 0xC2, 0xD3, 0xE4, 0xF5]));
    expect(&handle, Duration::from_secs(3), "second FeliCa tap", |e| tap_of(e).is_some());
}

#[test]
fn garbled_frames_and_bad_checksums_are_errors_then_the_reader_recovers() {
    let chip = Pn532Emulator::start().unwrap();
    let handle = spawn(LibnfcReader::new(chip.connstring()), timing());
    expect(&handle, Duration::from_secs(5), "reader ready", |e| matches!(e, ReaderEvent::Health { health: Health::Ok, .. }));
    for fault in [Fault::Garble, Fault::BadChecksum] {
        chip.inject(fault);
        chip.present(EmulatedCard::ntag([0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]));
        let degraded = expect(&handle, Duration::from_secs(3), "garbled report", |e| {
            matches!(e, ReaderEvent::Health { health: Health::Degraded(_), .. })
        });
        let ReaderEvent::Health { health: Health::Degraded(reason), .. } = degraded else { unreachable!() };
        assert!(reason.contains("garbled"), "{reason}");
        let tap = expect(&handle, Duration::from_secs(3), "tap after the fault", |e| tap_of(e).is_some());
        assert_eq!(tap_of(&tap).unwrap().to_string(), "iso14443a:04112233445566");
        chip.remove();
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn an_unusable_card_is_rejected_with_a_reason() {
    let chip = Pn532Emulator::start().unwrap();
    let handle = spawn(LibnfcReader::new(chip.connstring()), timing());
    // A 4-byte random UID (first byte 08) changes at every tap: it cannot identify anyone.
    chip.present(EmulatedCard::Iso14443a { atqa: [0x00, 0x04], sak: 0x08, uid: vec![0x08, 0x12, 0x34, 0x56] });
    let e = expect(&handle, Duration::from_secs(5), "rejection", |e| matches!(e, ReaderEvent::Rejected { .. }));
    let ReaderEvent::Rejected { reason, .. } = e else { unreachable!() };
    assert!(reason.contains("different number at every tap"), "{reason}");
}

#[test]
fn a_silent_reader_is_reported_missing_and_reconnected_when_it_answers_again() {
    let chip = Pn532Emulator::start().unwrap();
    let handle = spawn(LibnfcReader::new(chip.connstring()), timing());
    expect(&handle, Duration::from_secs(5), "reader ready", |e| matches!(e, ReaderEvent::Health { health: Health::Ok, .. }));
    chip.set_silent(true);
    let started = Instant::now();
    let missing = expect(&handle, Duration::from_secs(5), "missing report", |e| {
        matches!(e, ReaderEvent::Health { health: Health::Missing(_), .. })
    });
    let ReaderEvent::Health { health: Health::Missing(reason), .. } = missing else { unreachable!() };
    assert!(reason.contains("did not answer") || reason.contains("not found"), "{reason}");
    assert!(started.elapsed() < Duration::from_secs(5), "reported promptly, no hang");
    chip.set_silent(false);
    expect(&handle, Duration::from_secs(10), "reconnected", |e| matches!(e, ReaderEvent::Health { health: Health::Ok, .. }));
    chip.present(EmulatedCard::ntag([0x04, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]));
    expect(&handle, Duration::from_secs(3), "tap after reconnect", |e| tap_of(e).is_some());
}

#[test]
fn nothing_listening_is_not_found() {
    let handle = spawn(LibnfcReader::new("pn532_uart:/dev/ttyIKI-not-here"), timing());
    let e = expect(&handle, Duration::from_secs(5), "missing", |e| matches!(e, ReaderEvent::Health { health: Health::Missing(_), .. }));
    let ReaderEvent::Health { health: Health::Missing(reason), .. } = e else { unreachable!() };
    assert!(reason.contains("was not found") && reason.contains("plugged in"), "{reason}");
}
