//! The real PC/SC path: pcscd with the vsmartcard virtual reader (vpcd) driver, and a
//! virtual contactless card speaking the vpcd protocol on its TCP port. The reader reads
//! the card's identifier with `GET DATA` (FF CA 00 00 00), like an RC-S300 or ACR122U.
//!
//! Needs pcscd running with vsmartcard-vpcd installed; `./scripts/test.sh` sees to both.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use iki_devices::Health;
use iki_devices::reader::{PcscReader, PollTiming, ReaderEvent, spawn};

/// vpcd's port for the first virtual reader ("Virtual PCD 00 00").
const VPCD_PORT: u16 = 35963;

/// A virtual card: answers Get ATR with a PC/SC Part 3 contactless ATR and GET DATA with
/// its identifier, until dropped (which takes it off the reader).
struct VirtualCard {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl VirtualCard {
    fn insert(uid: Vec<u8>) -> Self {
        let mut stream = TcpStream::connect(("127.0.0.1", VPCD_PORT))
            .expect("pcscd with vsmartcard-vpcd must be running (./scripts/test.sh starts it)");
        stream.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            // ATR of a contactless card behind a PC/SC Part 3 reader.
            let atr = [0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6A];
            while !flag.load(Ordering::SeqCst) {
                let mut len = [0u8; 2];
                match stream.read_exact(&mut len) {
                    Ok(()) => {}
                    Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => continue,
                    Err(_) => return,
                }
                let mut msg = vec![0u8; usize::from(u16::from_be_bytes(len))];
                stream.set_read_timeout(None).unwrap();
                if stream.read_exact(&mut msg).is_err() {
                    return;
                }
                stream.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
                let answer: Option<Vec<u8>> = match msg.as_slice() {
                    [0x04] => Some(atr.to_vec()),
                    [_] => None, // power off, power on, reset: no answer
                    [0xFF, 0xCA, 0x00, 0x00, 0x00] => Some([uid.as_slice(), &[0x90, 0x00]].concat()),
                    _ => Some(vec![0x6D, 0x00]),
                };
                if let Some(a) = answer {
                    let mut out = (a.len() as u16).to_be_bytes().to_vec();
                    out.extend_from_slice(&a);
                    if stream.write_all(&out).is_err() {
                        return;
                    }
                }
            }
        });
        Self { stop, thread: Some(thread) }
    }
}

impl Drop for VirtualCard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn next_tap(handle: &iki_devices::reader::ReaderHandle, within: Duration) -> String {
    let deadline = Instant::now() + within;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match handle.next_event(left) {
            Some(ReaderEvent::Tap { uid, .. }) => return uid.to_string(),
            Some(e) => seen.push(e),
            None => break,
        }
    }
    panic!("no tap within {within:?}; saw {seen:?}");
}

#[test]
fn felica_then_mifare_through_pcscd() {
    let handle = spawn(PcscReader::new(Some("Virtual PCD 00 00".into())), PollTiming::default());
    match handle.next_event(Duration::from_secs(5)) {
        Some(ReaderEvent::Health { health: Health::Ok, .. }) => {}
        other => panic!("the virtual PC/SC reader did not open: {other:?} (is pcscd running with vsmartcard-vpcd?)"),
    }
    let felica = VirtualCard::insert(vec![0x01, 0x14, 0xB3, 0xA1, 0xC2, 0xD3, 0xE4, 0xF5]);
    assert_eq!(next_tap(&handle, Duration::from_secs(10)), "felica:0114B3A1C2D3E4F5");
    drop(felica);
    std::thread::sleep(Duration::from_millis(1_500));
    let _mifare = VirtualCard::insert(vec![0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6]);
    assert_eq!(next_tap(&handle, Duration::from_secs(10)), "iso14443a:04A1B2C3D4E5F6");
}
