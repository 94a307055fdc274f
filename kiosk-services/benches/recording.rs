//! Benchmarks the figures issue #2 asks for, printed as p50/p99:
//! recording a check-in end to end with the store's durability settings, a raw SQLite
//! insert with the same settings in the same run, and card look-up in a 500,000-citizen
//! directory. Run with `cargo bench -p iki-kiosk-services --bench recording`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use iki_core::Rules;
use iki_demo_data::{SyntheticLoad, demo_morning, island, load_island, synthetic_card};
use iki_kiosk_services::{HubLink, KioskServices, ManualClock};
use iki_store::Store;

struct Figures(Vec<Duration>);

impl Figures {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort_unstable();
        sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
    }

    fn print(&self, what: &str) -> Duration {
        let p99 = self.percentile(0.99);
        println!(
            "{what:<58} n={:>6}  p50 {:>9.3} ms  p99 {:>9.3} ms  max {:>9.3} ms",
            self.0.len(),
            ms(self.percentile(0.5)),
            ms(p99),
            ms(self.percentile(1.0))
        );
        p99
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// Where the databases go: on the build's disk (not a tmpfs), so fsync costs what it costs.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("scratch directory")
}

fn main() {
    let check_ins: usize = std::env::var("BENCH_CHECKINS").ok().and_then(|v| v.parse().ok()).unwrap_or(3_000);
    let directory: u64 = std::env::var("BENCH_CITIZENS").ok().and_then(|v| v.parse().ok()).unwrap_or(500_000);
    let dir = scratch();

    // 1. A check-in end to end: card look-up, rules, event + projections + outbox, fsync'd commit.
    let mut store = Store::open(dir.path().join("kiosk.sqlite3")).unwrap();
    println!("durability: (journal_mode, synchronous) = {:?}", store.durability().unwrap());
    let demo = island(demo_morning());
    load_island(&mut store, &demo, "GNR1").unwrap();
    SyntheticLoad { seed: 7, count: check_ins as u64 + 100 }.run(&mut store, |_| {}).unwrap();
    let services = KioskServices::new(store, Rules::default(), Arc::new(ManualClock::new(demo_morning())), HubLink::default());
    for i in 0..100 {
        services.check_in(&synthetic_card(i)).unwrap();
    }
    let recorded = Figures(
        (100..100 + check_ins as u64)
            .map(|i| {
                let (out, took) = time(|| services.check_in(&synthetic_card(i)).unwrap());
                assert!(out.recorded.is_some());
                took
            })
            .collect(),
    );
    let checkin_p99 = recorded.print("check-in recorded end to end (KioskServices::check_in)");

    // 2. The same machine's raw SQLite insert, same settings, one row per transaction.
    let raw = rusqlite::Connection::open(dir.path().join("raw.sqlite3")).unwrap();
    raw.pragma_update(None, "journal_mode", "WAL").unwrap();
    raw.pragma_update(None, "synchronous", "FULL").unwrap();
    raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", []).unwrap();
    let body = "x".repeat(420);
    let mut insert = raw.prepare("INSERT INTO t (body) VALUES (?1)").unwrap();
    let inserts = Figures((0..check_ins).map(|_| time(|| insert.execute([&body]).unwrap()).1).collect());
    let raw_p99 = inserts.print("raw SQLite insert, one row per commit (same pragmas)");
    println!("ratio check-in / raw insert at p99: {:.2}", ms(checkin_p99) / ms(raw_p99));

    // 3. Card look-up in a 500,000-citizen directory.
    let mut big = Store::open(dir.path().join("directory.sqlite3")).unwrap();
    load_island(&mut big, &demo, "GNR1").unwrap();
    let (cards, took) = time(|| SyntheticLoad { seed: 2030, count: directory }.run(&mut big, |_| {}).unwrap());
    println!("directory: {directory} citizens with {cards} cards loaded in {:.1} s", took.as_secs_f64());
    let mut rng = 0x5EED_u64;
    let mut pick = || {
        rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (rng >> 33) % directory
    };
    let lookups = Figures(
        (0..100_000)
            .map(|_| {
                let card = synthetic_card(pick());
                let (found, took) = time(|| big.read(|tx| tx.card(&card)).unwrap());
                assert!(found.is_some());
                took
            })
            .collect(),
    );
    lookups.print(&format!("card look-up in a {directory}-citizen directory"));
    let services = KioskServices::new(big, Rules::default(), Arc::new(ManualClock::new(demo_morning())), HubLink::default());
    let identify = Figures(
        (0..100_000).map(|_| time(|| services.identify(&synthetic_card(pick())).unwrap()).1).collect(),
    );
    identify.print("tap to greeting: card + citizen (KioskServices::identify)");
}
