//! Benchmarks issue #4 asks for, printed with their figures:
//! 1. hub ingest with 200 kiosks pushing concurrently on loopback (events/s, batch p50/p99),
//!    beside the raw SQLite batch-insert rate with the same settings in the same run;
//! 2. a kiosk back after a week offline at a busy port (5,000 events): time to catch up;
//! 3. a new kiosk's first sync of a 500,000-citizen directory: time and peak kiosk memory
//!    (the kiosk runs as a child process so its memory is its own).
//! 4. the desk's citizen search by nickname prefix in that directory (p50/p99), and the
//!    admin dashboard's growth series (from the registration-day index) and progress counts.
//! Run with `cargo bench -p iki-hub --bench sync` (BENCH_CITIZENS=… to change the directory).

use std::sync::Arc;
use std::time::{Duration, Instant};

use iki_core::{Actor, EVENT_SCHEMA_VERSION, Event, EventId, KioskId, LocalDay, Payload, SeededIds, Timestamp};
use iki_hub::{Hub, demo_directory, new_secret, secret_hash};
use iki_hub_store::{Directory, HubStore};
use iki_hub_store_sqlite::SqliteHubStore;
use iki_store::Store;
use iki_sync::client::SyncClient;
use iki_sync::protocol::PushRequest;

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort_unstable();
    samples[((samples.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Serves `store` on loopback in a runtime of its own; returns the URL.
fn serve(store: Arc<SqliteHubStore>) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            iki_hub::serve(listener, Hub::new(store), std::future::pending()).await.unwrap();
        });
    });
    format!("http://{}", rx.recv().unwrap())
}

/// Enrols a kiosk directly in the store; returns its id and credential.
fn enrol(store: &SqliteHubStore, place: iki_core::PlaceId, code: &str, ids: &mut SeededIds) -> (KioskId, String) {
    let now = Timestamp(1_790_000_000_000);
    let enrolment = new_secret();
    let staff = iki_core::StaffId::new(ids);
    store.create_enrolment(staff, &secret_hash(&enrolment), place, code, now.plus_days(1), now).unwrap();
    let credential = new_secret();
    let (kiosk, _) = store.enrol(&secret_hash(&enrolment), &secret_hash(&credential), KioskId::new(ids), now).unwrap().unwrap();
    (kiosk.id, credential)
}

fn guest_events(kiosk: KioskId, place: iki_core::PlaceId, seqs: std::ops::Range<u64>, ids: &mut SeededIds) -> Vec<Event> {
    seqs.map(|seq| Event {
        id: EventId::new(ids),
        kiosk,
        seq,
        device_time: Timestamp(1_790_000_000_000 + seq as i64),
        actor: Actor::Guest,
        schema: EVENT_SCHEMA_VERSION,
        payload: Payload::GuestCheckedIn { place, day: LocalDay(20_700), home_region: None },
    })
    .collect()
}

fn main() {
    if std::env::var("BENCH_ROLE").as_deref() == Ok("first-sync") {
        return first_sync_child();
    }
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let store = Arc::new(SqliteHubStore::open(dir.path().join("hub.sqlite3")).unwrap());
    store.load_directory(&demo_directory()).unwrap();
    let place = iki_demo_data::island(iki_demo_data::demo_morning()).place("GNR").id;
    let url = serve(store.clone());
    let mut ids = SeededIds::new(42, 1_790_000_000_000);

    // 1. 200 kiosks pushing concurrently.
    let (kiosks, batches, per_batch) = (200u64, 10u64, 100u64);
    let enrolled: Vec<(KioskId, String)> = (0..kiosks).map(|i| enrol(&store, place, &format!("B{i}"), &mut ids)).collect();
    let work: Vec<(String, Vec<Vec<Event>>)> = enrolled
        .iter()
        .map(|(id, cred)| {
            let all = guest_events(*id, place, 1..batches * per_batch + 1, &mut ids);
            (cred.clone(), all.chunks(per_batch as usize).map(<[Event]>::to_vec).collect())
        })
        .collect();
    let started = Instant::now();
    let threads: Vec<_> = work
        .into_iter()
        .map(|(cred, batches)| {
            let url = url.clone();
            std::thread::spawn(move || {
                let http = iki_sync::client::http_client(None).unwrap();
                batches
                    .into_iter()
                    .map(|events| {
                        let t = Instant::now();
                        let r = http.post(format!("{url}/v1/sync/push")).bearer_auth(&cred).json(&PushRequest { events }).send().unwrap();
                        assert!(r.status().is_success());
                        t.elapsed()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let elapsed = started.elapsed();
    let total = kiosks * batches * per_batch;
    assert_eq!(store.event_count().unwrap(), total);
    println!(
        "hub ingest, {kiosks} kiosks × {batches} batches of {per_batch}: {total} events in {:.2} s = {:.0} events/s; batch p50 {:.1} ms, p99 {:.1} ms",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        percentile(&mut latencies, 0.5),
        percentile(&mut latencies, 0.99)
    );

    // Raw SQLite, same pragmas, batches of the same size.
    let raw = rusqlite::Connection::open(dir.path().join("raw.sqlite3")).unwrap();
    raw.pragma_update(None, "journal_mode", "WAL").unwrap();
    raw.pragma_update(None, "synchronous", "FULL").unwrap();
    raw.execute("CREATE TABLE t (k TEXT, seq INTEGER, id TEXT UNIQUE, body TEXT, PRIMARY KEY (k, seq))", []).unwrap();
    let body = serde_json::to_string(&guest_events(enrolled[0].0, place, 1..2, &mut ids)[0]).unwrap();
    let mut raw = raw;
    let started = Instant::now();
    for b in 0..(total / per_batch) {
        let tx = raw.transaction().unwrap();
        for i in 0..per_batch {
            tx.execute("INSERT INTO t VALUES ('k', ?1, ?2, ?3)", rusqlite::params![(b * per_batch + i) as i64, format!("{b}-{i}"), body]).unwrap();
        }
        tx.commit().unwrap();
    }
    let raw_elapsed = started.elapsed();
    println!("raw SQLite batch insert, same pragmas: {:.0} rows/s", total as f64 / raw_elapsed.as_secs_f64());

    // 2. A week offline at a busy port: 5,000 events to catch up.
    let (kiosk, credential) = enrol(&store, place, "WEEK", &mut ids);
    let kiosk_dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let mut kiosk_store = Store::open(kiosk_dir.path().join("kiosk.sqlite3")).unwrap();
    let island = iki_demo_data::island(iki_demo_data::demo_morning());
    kiosk_store
        .transact(|tx| {
            for p in &island.places {
                tx.put_place(p)?;
            }
            tx.put_kiosk(&iki_core::Kiosk { id: kiosk, place, code: "WEEK".into(), label: "week".into() })?;
            tx.set_identity(kiosk)?;
            for e in guest_events(kiosk, place, 1..5_001, &mut ids) {
                tx.append(e.id, e.device_time, e.actor, e.payload)?;
            }
            Ok::<_, iki_store::StoreError>(())
        })
        .unwrap();
    let client = SyncClient::new(&url, &credential);
    let started = Instant::now();
    let report = client.push(&mut kiosk_store).unwrap();
    println!("catch-up after a week offline: {} events pushed in {:.2} s", report.sent, started.elapsed().as_secs_f64());

    // 3. First sync of a big directory, the kiosk in a child process.
    let citizens: u64 = std::env::var("BENCH_CITIZENS").ok().and_then(|v| v.parse().ok()).unwrap_or(500_000);
    let big_dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let big = Arc::new(SqliteHubStore::open(big_dir.path().join("hub.sqlite3")).unwrap());
    let mut directory: Directory = demo_directory();
    let mut cids = SeededIds::new(2030, 1_735_657_200_000);
    directory.citizens.extend((0..citizens).map(|i| {
        let (c, cards) = iki_demo_data::synthetic_citizen(2030, i, &mut cids);
        (c, cards, None)
    }));
    let started = Instant::now();
    big.load_directory(&directory).unwrap();
    println!("hub directory of {citizens} citizens loaded in {:.1} s", started.elapsed().as_secs_f64());
    // 4. The desk's citizen search in that directory: the first two characters of a nickname.
    let prefixes: Vec<String> = directory.citizens.iter().step_by(501).map(|(c, _, _)| c.nickname.as_str().chars().take(2).collect()).collect();
    let mut took: Vec<Duration> = prefixes
        .iter()
        .map(|p| {
            let start = Instant::now();
            let hits = big.search_citizens(p, 50).unwrap();
            let elapsed = start.elapsed();
            assert!(!hits.is_empty(), "{p}");
            elapsed
        })
        .collect();
    took.sort_unstable();
    println!(
        "desk search by nickname prefix in {citizens} citizens (up to 50 hits with cards and balance): n={} p50 {:.2} ms p99 {:.2} ms",
        took.len(),
        took[took.len() / 2].as_secs_f64() * 1e3,
        took[took.len() * 99 / 100].as_secs_f64() * 1e3
    );
    let mut took: Vec<Duration> = (0..9)
        .map(|_| {
            let start = Instant::now();
            let growth = big.growth().unwrap();
            let counts = big.citizen_counts().unwrap();
            let elapsed = start.elapsed();
            assert_eq!(growth.last().map(|g| g.residents + g.e_citizens), Some(counts.iter().map(|(_, n)| n).sum()));
            elapsed
        })
        .collect();
    took.sort_unstable();
    println!(
        "dashboard growth series + progress counts over {citizens} citizens: n=9 median {:.0} ms max {:.0} ms",
        took[4].as_secs_f64() * 1e3,
        took[8].as_secs_f64() * 1e3
    );
    drop(directory);
    let (_, credential) = enrol(&big, place, "NEW1", &mut ids);
    let big_url = serve(big);
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env("BENCH_ROLE", "first-sync")
        .env("BENCH_URL", &big_url)
        .env("BENCH_CREDENTIAL", &credential)
        .env("BENCH_DIR", kiosk_dir.path())
        .output()
        .unwrap();
    print!("{}", String::from_utf8_lossy(&out.stdout));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The kiosk side of the first sync, in its own process.
fn first_sync_child() {
    let url = std::env::var("BENCH_URL").unwrap();
    let credential = std::env::var("BENCH_CREDENTIAL").unwrap();
    let dir = std::path::PathBuf::from(std::env::var("BENCH_DIR").unwrap());
    let mut store = Store::open(dir.join("first-sync.sqlite3")).unwrap();
    let client = SyncClient::new(&url, &credential);
    let started = Instant::now();
    let mut last_report = Instant::now();
    let report = client
        .pull(&mut store, |applied, remaining| {
            if last_report.elapsed() > Duration::from_secs(5) {
                eprintln!("  {applied} changes applied, {remaining} to go");
                last_report = Instant::now();
            }
        })
        .unwrap();
    let citizens = store.read(|tx| tx.citizen_count()).unwrap();
    println!(
        "first sync of a new kiosk: {} changes ({citizens} citizens) in {:.1} s, peak kiosk memory {:.0} MB",
        report.applied,
        started.elapsed().as_secs_f64(),
        peak_rss_mb()
    );
}
