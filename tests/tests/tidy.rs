//! Tidy checks over the source tree: every Rust file opens with a `//!` line saying what it
//! is for, and no crate but the store (and tests) mentions SQL.

use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_says_what_it_is_for() {
    let mut files = Vec::new();
    rust_files(&workspace_root(), &mut files);
    assert!(files.len() > 20);
    let missing: Vec<_> = files
        .iter()
        .filter(|f| !std::fs::read_to_string(f).unwrap().starts_with("//!"))
        .map(|f| f.strip_prefix(workspace_root()).unwrap().display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a leading //! line: {missing:?}");
}

/// Fails if any source file of `crates` mentions one of `needles`.
fn assert_no_mention(crates: &[&str], needles: &[&str], belongs: &str) {
    let root = workspace_root();
    let mut files = Vec::new();
    for krate in crates {
        rust_files(&root.join(krate).join("src"), &mut files);
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for needle in needles {
            assert!(!text.contains(needle), "{} mentions {needle}: {belongs}", f.display());
        }
    }
}

#[test]
fn only_the_store_knows_sql() {
    assert_no_mention(
        &["core", "kiosk-services", "kiosk", "demo-data", "devices", "sync", "hub", "hub-store", "admin-desktop"],
        &["rusqlite", "SELECT ", "INSERT INTO"],
        "SQL belongs in the stores",
    );
}

#[test]
fn only_devices_knows_the_hardware() {
    assert_no_mention(
        &["core", "store", "kiosk-services", "kiosk", "demo-data", "sync", "hub", "admin-desktop"],
        &["nfc1", "serialport", "rodio", "evdev", "pcsc::", "alsa"],
        "hardware belongs in devices",
    );
}

#[test]
fn only_sync_and_the_hub_know_http() {
    assert_no_mention(
        &["core", "store", "kiosk-services", "kiosk", "demo-data", "devices", "hub-store", "hub-store-sqlite", "admin-desktop"],
        &["reqwest", "axum", "hyper"],
        "HTTP belongs in sync and the hub",
    );
}
