//! Sound: every shipped cue decodes and is exactly what the project's synthesiser makes;
//! the cues play through a real (null) ALSA device; without any device the kiosk logs one
//! line and carries on silent.

use std::path::PathBuf;
use std::process::Command;

use iki_devices::sound::cues::{self, Cue, SAMPLE_RATE};

fn assets() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets")
}

#[test]
fn every_shipped_cue_decodes_and_matches_the_synthesiser() {
    for cue in Cue::ALL {
        let path = assets().join("sounds").join(cue.file_name());
        let shipped = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(shipped, cues::wav(cue), "{} differs from `iki-devices generate-cues`", path.display());
        let decoded = rodio::Decoder::new(std::io::Cursor::new(shipped)).expect("decodes");
        use rodio::Source;
        assert_eq!(decoded.sample_rate().get(), SAMPLE_RATE);
        let samples: Vec<f32> = decoded.collect();
        assert!(samples.len() > SAMPLE_RATE as usize / 10, "{cue:?} lasts over 0.1 s");
        let peak = samples.iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!((0.3..=0.6).contains(&peak), "{cue:?} is audible but not harsh: peak {peak}");
    }
}

fn sound_check(alsa_config: &str) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_iki-devices"))
        .args(["sound-check", "--assets"])
        .arg(assets())
        .env("ALSA_CONFIG_PATH", PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join(alsa_config))
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn cues_play_through_a_null_alsa_device() {
    let (ok, stdout, stderr) = sound_check("alsa-null.conf");
    assert!(ok, "{stderr}");
    assert!(stdout.contains("sound: Ok"), "{stdout}");
    assert!(stdout.contains(r#"played: ["tap-accepted.wav", "confirmation.wav", "attention.wav", "error.wav"]"#), "{stdout}");
}

#[test]
fn no_audio_device_is_one_log_line_and_silence() {
    let (ok, stdout, stderr) = sound_check("alsa-none.conf");
    assert!(ok, "the program carries on: {stderr}");
    assert!(stdout.contains("sound: Missing"), "{stdout}");
    assert!(stdout.contains("played: []"), "{stdout}");
    let ours: Vec<_> = stderr.lines().filter(|l| l.contains("no audio device")).collect();
    assert_eq!(ours.len(), 1, "exactly one line of our own: {stderr}");
    assert!(ours[0].contains("carries on without sound"));
}
