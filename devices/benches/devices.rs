//! Benchmarks issue #3 asks for, printed as p50/p99: the time from the emulated PN532
//! answering InListPassiveTarget to the tap event (what libnfc and our code add), and the
//! time to encode a long receipt to ESC/POS (and to render its preview).
//! Run with `cargo bench -p iki-devices --bench devices`.

use std::time::{Duration, Instant};

use iki_core::receipt::{Receipt, ReceiptKind};
use iki_devices::printer::preview::render;
use iki_devices::printer::{PaperWidth, ReceiptFonts, encode};
use iki_devices::reader::pn532_emulator::{EmulatedCard, Pn532Emulator};
use iki_devices::reader::{LibnfcReader, PollTiming, ReaderEvent, spawn};

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort_unstable();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3;
    println!("{what:<52} n={:>5}  p50 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms", samples.len(), at(0.5), at(0.99), at(1.0));
}

fn main() {
    let taps: usize = std::env::var("BENCH_TAPS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);

    // 1. Tap latency through libnfc over a pseudo-terminal.
    let chip = Pn532Emulator::start().expect("PN532 emulator");
    let timing = PollTiming { interval: Duration::from_millis(2), removal_polls: 1, ..PollTiming::default() };
    let handle = spawn(LibnfcReader::new(chip.connstring()), timing);
    let mut latencies = Vec::new();
    for i in 0..taps as u64 {
        let b = i.to_be_bytes();
        chip.present(EmulatedCard::ntag([0x04, 0xBE, b[3], b[4], b[5], b[6], b[7]]));
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match handle.next_event(deadline.saturating_duration_since(Instant::now())) {
                Some(ReaderEvent::Tap { at, .. }) => {
                    let answered = chip.last_target_answer().expect("the chip answered");
                    latencies.push(at.saturating_duration_since(answered));
                    break;
                }
                Some(_) => {}
                None => panic!("no tap {i}"),
            }
        }
        chip.remove();
        std::thread::sleep(Duration::from_millis(15));
    }
    report("PN532 answer → tap event (libnfc + our code)", latencies);

    // 2. Encoding a long receipt.
    let fonts = ReceiptFonts::system().expect("receipt fonts");
    let mut long = Receipt::new(ReceiptKind::Test, 1).logo().heading("ご利用明細");
    for i in 0..150 {
        long = long.pair(format!("{i:03} 壱岐牛コロッケ 郷ノ浦"), "150 pt");
    }
    for _ in 0..10 {
        long = long.text("한국어 안내: 이키시에 오신 것을 환영합니다");
    }
    long = long.total("合計", "22,500 pt").qr("IKI1:COUPON:IKI-7KQ2-M9XD");
    let mut encode_times = Vec::new();
    let mut bytes = 0;
    for _ in 0..100 {
        let started = Instant::now();
        bytes = encode(&long, PaperWidth::Mm80, Some(&fonts)).bytes.len();
        encode_times.push(started.elapsed());
    }
    report(&format!("encode a {}-line receipt to ESC/POS ({bytes} bytes)", long.lines.len()), encode_times);
    let preview_times = (0..20)
        .map(|_| {
            let started = Instant::now();
            let _ = render(&long, PaperWidth::Mm80, &fonts);
            started.elapsed()
        })
        .collect();
    report("render the same receipt's preview", preview_times);
}
