//! Sound: cues and voice prompts played through rodio (ALSA) on a thread of their own, so
//! playing never blocks the caller. Without an audio device the kiosk logs one line and
//! carries on silent.

pub mod cues;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

pub use cues::Cue;

use crate::health::Health;

/// Voice-prompt slots. A recording per language goes in `assets/voice/<lang>/<slot>.wav`;
/// a missing one falls back to the slot's cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prompt {
    /// "Please touch your card here."
    TapYourCard,
    /// "Welcome."
    Welcome,
    /// "Thank you."
    ThankYou,
    /// "Please try again."
    TryAgain,
    /// "Please take your receipt."
    TakeYourReceipt,
}

impl Prompt {
    pub const ALL: [Prompt; 5] = [Prompt::TapYourCard, Prompt::Welcome, Prompt::ThankYou, Prompt::TryAgain, Prompt::TakeYourReceipt];

    pub fn slot(self) -> &'static str {
        match self {
            Prompt::TapYourCard => "tap-your-card",
            Prompt::Welcome => "welcome",
            Prompt::ThankYou => "thank-you",
            Prompt::TryAgain => "try-again",
            Prompt::TakeYourReceipt => "take-your-receipt",
        }
    }

    /// The cue played when the prompt has no recording.
    pub fn fallback(self) -> Cue {
        match self {
            Prompt::TapYourCard => Cue::Attention,
            Prompt::Welcome | Prompt::TakeYourReceipt => Cue::TapAccepted,
            Prompt::ThankYou => Cue::Confirmation,
            Prompt::TryAgain => Cue::Error,
        }
    }
}

/// What to play, resolved to WAV bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sound {
    pub name: String,
    pub wav: Arc<Vec<u8>>,
}

/// Where sounds come from: the cues in `assets/sounds/` (synthesised when absent) and the
/// voice prompts in `assets/voice/<lang>/`.
#[derive(Debug, Clone)]
pub struct SoundLibrary {
    assets: PathBuf,
}

impl SoundLibrary {
    pub fn new(assets: impl Into<PathBuf>) -> Self {
        Self { assets: assets.into() }
    }

    pub fn cue(&self, cue: Cue) -> Sound {
        let path = self.assets.join("sounds").join(cue.file_name());
        let wav = std::fs::read(&path).unwrap_or_else(|_| cues::wav(cue));
        Sound { name: cue.file_name().to_owned(), wav: Arc::new(wav) }
    }

    /// The prompt's recording in `lang`, or its cue when there is none.
    pub fn prompt(&self, prompt: Prompt, lang: &str) -> Sound {
        let path = self.prompt_path(prompt, lang);
        match std::fs::read(&path) {
            Ok(wav) => Sound { name: format!("{lang}/{}", prompt.slot()), wav: Arc::new(wav) },
            Err(_) => self.cue(prompt.fallback()),
        }
    }

    pub fn prompt_path(&self, prompt: Prompt, lang: &str) -> PathBuf {
        self.assets.join("voice").join(lang).join(format!("{}.wav", prompt.slot()))
    }

    pub fn assets(&self) -> &Path {
        &self.assets
    }
}

enum Command {
    Play(Sound),
    Volume(f32),
}

/// The kiosk's loudspeaker. Cheap to clone; every call returns at once.
#[derive(Clone)]
pub struct Speaker {
    tx: Sender<Command>,
    health: Arc<Mutex<Health>>,
    played: Arc<Mutex<Vec<String>>>,
}

impl Speaker {
    /// Opens the default audio device on a thread of its own. With no device, one line is
    /// logged and every later call is a no-op: the kiosk carries on silent.
    pub fn open(volume: f32) -> Self {
        let (tx, rx) = channel();
        let health = Arc::new(Mutex::new(Health::Missing("audio not started yet".into())));
        let played = Arc::new(Mutex::new(Vec::new()));
        let (h, p) = (health.clone(), played.clone());
        let (ready_tx, ready_rx) = channel();
        std::thread::Builder::new()
            .name("speaker".into())
            .spawn(move || play_loop(rx, volume, &h, &p, ready_tx))
            .expect("spawning the speaker thread");
        // Wait (briefly) for the device to open, so health is known to the caller.
        let _ = ready_rx.recv_timeout(std::time::Duration::from_secs(3));
        Self { tx, health, played }
    }

    pub fn play(&self, sound: Sound) {
        let _ = self.tx.send(Command::Play(sound));
    }

    /// Volume from 0.0 (silent) to 1.0.
    pub fn set_volume(&self, volume: f32) {
        let _ = self.tx.send(Command::Volume(volume));
    }

    pub fn health(&self) -> Health {
        self.health.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Names of the sounds handed to the device so far (for the diagnostic tool and tests).
    pub fn played(&self) -> Vec<String> {
        self.played.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

fn play_loop(rx: Receiver<Command>, volume: f32, health: &Mutex<Health>, played: &Mutex<Vec<String>>, ready: Sender<()>) {
    let set = |h: Health| *health.lock().unwrap_or_else(|p| p.into_inner()) = h;
    let mut sink = match rodio::DeviceSinkBuilder::open_default_sink() {
        Ok(sink) => sink,
        Err(e) => {
            tracing::warn!("no audio device ({e}); the kiosk carries on without sound");
            set(Health::Missing(format!("no audio device: {e}")));
            let _ = ready.send(());
            // Drain commands so senders never block or fail.
            for _ in rx {}
            return;
        }
    };
    sink.log_on_drop(false);
    let player = rodio::Player::connect_new(sink.mixer());
    player.set_volume(volume.clamp(0.0, 1.0));
    set(Health::Ok);
    let _ = ready.send(());
    for command in rx {
        match command {
            Command::Volume(v) => player.set_volume(v.clamp(0.0, 1.0)),
            Command::Play(sound) => match rodio::Decoder::new(std::io::Cursor::new(sound.wav.as_ref().clone())) {
                Ok(source) => {
                    player.append(source);
                    played.lock().unwrap_or_else(|p| p.into_inner()).push(sound.name);
                }
                Err(e) => {
                    tracing::warn!("sound {} could not be decoded: {e}", sound.name);
                    set(Health::Degraded(format!("sound {} could not be decoded", sound.name)));
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_prompts_fall_back_to_cues_and_recordings_win() {
        let dir = tempfile::tempdir().unwrap();
        let lib = SoundLibrary::new(dir.path());
        assert_eq!(lib.prompt(Prompt::ThankYou, "ja").name, "confirmation.wav");
        let path = lib.prompt_path(Prompt::ThankYou, "ja");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, cues::wav(Cue::TapAccepted)).unwrap();
        assert_eq!(lib.prompt(Prompt::ThankYou, "ja").name, "ja/thank-you");
        assert_eq!(lib.prompt(Prompt::ThankYou, "en").name, "confirmation.wav");
    }
}
