//! The README's main job: the kiosk demo runs to the end in both languages, records its
//! actions in a real store and leaves the books balanced.

use std::process::Command;

#[test]
fn the_demo_runs_in_japanese_and_english() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, expect) in [
        ("ja", "記録したイベント 12 / outbox 0 / ledger Σ = 0 pt"),
        ("en", "events recorded 12 / outbox 0 / ledger Σ = 0 pt"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_iki-kiosk"))
            .args(["walkthrough", "--lang", lang, "--data-dir"])
            .arg(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(out.status.success(), "{lang}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains(expect), "{lang}:\n{stdout}");
        assert!(stdout.contains("IKI1:COUPON:IKI-"), "a coupon was issued");
        let pictures: Vec<_> = std::fs::read_dir(dir.path().join("receipts")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(pictures.len(), 8, "{lang}: one picture per printed receipt: {pictures:?}");
        assert!(stdout.contains("simulated:demo: Ok"), "{stdout}");
        let server = if lang == "ja" { "サーバー: イベント 12 件 / 台帳 Σ = 0 pt" } else { "server: 12 events / ledger Σ = 0 pt" };
        assert!(stdout.contains(server), "every event reached the hub once: {stdout}");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_iki-kiosk")).args(["walkthrough", "--lang", "fr"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("use ja or en"));
}
