//! Crash safety: a child process records kiosk actions in a loop and is killed with SIGKILL
//! at random moments, many times. After each kill every action it reported as recorded is
//! in the store exactly once, the log has no gaps, the books balance and SQLite's
//! integrity check passes.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use iki_core::Points;
use iki_store::{Store, StoreError};

const ROUNDS: u64 = 30;

/// A small deterministic generator, so a failure can be replayed.
fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    *state >> 33
}

#[test]
fn every_reported_action_survives_sigkill_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.sqlite3");
    let mut reported: Vec<u64> = Vec::new();
    let mut rng = 0x1D1_u64;
    for round in 0..ROUNDS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash-writer"))
            .arg(&db)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        assert_eq!(rx.recv_timeout(Duration::from_secs(60)).expect("writer starts"), "ready");
        std::thread::sleep(Duration::from_millis(20 + next_random(&mut rng) % 400));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        let this_round: Vec<u64> =
            rx.try_iter().filter_map(|l| l.strip_prefix("recorded ").map(|s| s.parse().unwrap())).collect();
        reported.extend(&this_round);

        let mut store = Store::open(&db).unwrap();
        store.integrity_check().unwrap();
        let (count, max_seq, outbox, total) = store
            .read(|tx| {
                for &seq in &reported {
                    assert!(tx.event_at(seq)?.is_some(), "round {round}: reported event {seq} was lost");
                }
                Ok::<_, StoreError>((tx.event_count()?, tx.next_seq()? - 1, tx.outbox_len()?, tx.ledger_total()?))
            })
            .unwrap();
        assert_eq!(count, max_seq, "round {round}: the log has no gaps and no repeats");
        assert_eq!(outbox, count, "round {round}: every event is queued for the hub once");
        assert_eq!(total, Points::ZERO, "round {round}: the books balance");
        let mut distinct = reported.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), reported.len(), "round {round}: an action was reported twice");
        assert!(count >= reported.len() as u64);
        assert!(count - reported.len() as u64 <= round + 1, "at most one unreported commit per kill");
    }
    eprintln!("{} actions reported durable across {ROUNDS} SIGKILLs; all present exactly once", reported.len());
    assert!(reported.len() > 100, "the writer made progress: {} actions", reported.len());
}
