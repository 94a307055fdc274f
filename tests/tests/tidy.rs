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

#[test]
fn only_the_store_knows_sql() {
    let root = workspace_root();
    let mut files = Vec::new();
    for krate in ["core", "kiosk-services", "kiosk", "demo-data", "devices", "sync", "hub", "hub-store", "admin-desktop"] {
        rust_files(&root.join(krate).join("src"), &mut files);
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for needle in ["rusqlite", "SELECT ", "INSERT INTO"] {
            assert!(!text.contains(needle), "{} mentions {needle}: SQL belongs in the stores", f.display());
        }
    }
}

#[test]
fn only_devices_knows_the_hardware() {
    let root = workspace_root();
    let mut files = Vec::new();
    for krate in ["core", "store", "kiosk-services", "kiosk", "demo-data", "sync", "hub", "admin-desktop"] {
        rust_files(&root.join(krate).join("src"), &mut files);
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for needle in ["nfc1", "serialport", "rodio", "evdev", "pcsc::", "alsa"] {
            assert!(!text.contains(needle), "{} mentions {needle}: hardware belongs in devices", f.display());
        }
    }
}

#[test]
fn only_sync_and_the_hub_know_http() {
    let root = workspace_root();
    let mut files = Vec::new();
    for krate in ["core", "store", "kiosk-services", "kiosk", "demo-data", "devices", "hub-store", "hub-store-sqlite", "admin-desktop"] {
        rust_files(&root.join(krate).join("src"), &mut files);
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for needle in ["reqwest", "axum", "hyper"] {
            assert!(!text.contains(needle), "{} mentions {needle}: HTTP belongs in sync and the hub", f.display());
        }
    }
}
