//! The kiosk's sound cues, synthesised here (no third-party recordings): short, soft tones
//! an elderly ear can tell apart — rising for "accepted", a three-note chord for "done",
//! falling and lower for "something is wrong", two even pulses for "please look".

use std::io::Cursor;

/// A sound cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// A card was read.
    TapAccepted,
    /// Something was recorded or printed.
    Confirmation,
    /// Something needs attention (a timeout warning, a PIN to enter).
    Attention,
    /// Something went wrong; the screen explains.
    Error,
}

impl Cue {
    pub const ALL: [Cue; 4] = [Cue::TapAccepted, Cue::Confirmation, Cue::Attention, Cue::Error];

    /// The asset's file name in `assets/sounds/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Cue::TapAccepted => "tap-accepted.wav",
            Cue::Confirmation => "confirmation.wav",
            Cue::Attention => "attention.wav",
            Cue::Error => "error.wav",
        }
    }

    /// (frequency in Hz, length in ms) per note; 0 Hz is a pause.
    fn notes(self) -> &'static [(f32, u32)] {
        match self {
            Cue::TapAccepted => &[(880.0, 80), (1318.5, 110)],
            Cue::Confirmation => &[(1046.5, 110), (1318.5, 110), (1568.0, 220)],
            Cue::Attention => &[(659.3, 160), (0.0, 90), (659.3, 160)],
            Cue::Error => &[(440.0, 200), (329.6, 280)],
        }
    }
}

pub const SAMPLE_RATE: u32 = 22_050;

/// The cue's samples: sine notes with 8 ms fades (no clicks), at half scale.
pub fn samples(cue: Cue) -> Vec<i16> {
    let fade = (SAMPLE_RATE as f32 * 0.008) as usize;
    let mut out = Vec::new();
    for &(freq, ms) in cue.notes() {
        let n = (SAMPLE_RATE * ms / 1000) as usize;
        for i in 0..n {
            let envelope = (i.min(n - 1 - i) as f32 / fade as f32).min(1.0);
            let t = i as f32 / SAMPLE_RATE as f32;
            let v = if freq > 0.0 { (t * freq * std::f32::consts::TAU).sin() * envelope * 0.5 } else { 0.0 };
            out.push((v * f32::from(i16::MAX)) as i16);
        }
    }
    out
}

/// The cue as a 16-bit mono WAV file.
pub fn wav(cue: Cue) -> Vec<u8> {
    let spec = hound::WavSpec { channels: 1, sample_rate: SAMPLE_RATE, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut bytes = Cursor::new(Vec::new());
    {
        let mut w = hound::WavWriter::new(&mut bytes, spec).expect("writing a WAV header to memory");
        for s in samples(cue) {
            w.write_sample(s).expect("writing WAV samples to memory");
        }
        w.finalize().expect("finishing a WAV in memory");
    }
    bytes.into_inner()
}
