//! A PN532 emulator on a pseudo-terminal: plays the reader chip so the real libnfc path
//! (`pn532_uart:/dev/pts/N`) can be tested and demonstrated without hardware.
//!
//! It answers the PN532 frames libnfc sends (open, init, InListPassiveTarget for ISO
//! 14443-A and FeliCa, presence checks, close) from the card currently "on" it, and can
//! garble a frame, send a wrong checksum or fall silent, to test the error paths.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::pty::openpty;
use nix::sys::termios::{SetArg, cfmakeraw, tcgetattr, tcsetattr};

/// A card as the emulated chip sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmulatedCard {
    Iso14443a { atqa: [u8; 2], sak: u8, uid: Vec<u8> },
    Felica { idm: [u8; 8], pmm: [u8; 8], system_code: [u8; 2] },
}

impl EmulatedCard {
    /// An NTAG / MIFARE Ultralight (ATQA 00 44, SAK 00) with a 7-byte UID.
    pub fn ntag(uid: [u8; 7]) -> Self {
        EmulatedCard::Iso14443a { atqa: [0x00, 0x44], sak: 0x00, uid: uid.to_vec() }
    }

    /// A FeliCa card (transit IC card) with its IDm.
    pub fn felica(idm: [u8; 8]) -> Self {
        EmulatedCard::Felica { idm, pmm: [0x10, 0x0B, 0x4B, 0x42, 0x84, 0x85, 0xD0, 0xFF], system_code: [0x00, 0x03] }
    }
}

/// A fault to inject into the next answer about a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A frame whose header is broken.
    Garble,
    /// A well-formed frame with a wrong data checksum.
    BadChecksum,
}

#[derive(Default)]
struct State {
    card: Option<EmulatedCard>,
    fault: Option<Fault>,
    silent: bool,
    registers: HashMap<u16, u8>,
    /// When the last InListPassiveTarget answer naming a card was written.
    last_target_answer: Option<Instant>,
}

/// The emulator. Dropping it stops the thread and closes the pseudo-terminal.
pub struct Pn532Emulator {
    slave_path: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    // Kept open for the emulator's life: with no slave open, the master reads EIO.
    _slave: OwnedFd,
}

impl Pn532Emulator {
    pub fn start() -> io::Result<Self> {
        let pty = openpty(None, None).map_err(io::Error::from)?;
        // Raw before libnfc opens it, so nothing is echoed back after libnfc closes it.
        let mut t = tcgetattr(&pty.slave).map_err(io::Error::from)?;
        cfmakeraw(&mut t);
        tcsetattr(&pty.slave, SetArg::TCSANOW, &t).map_err(io::Error::from)?;
        let slave_path = nix::unistd::ttyname(&pty.slave).map_err(io::Error::from)?.display().to_string();
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let master = File::from(pty.master);
        let thread = {
            let (state, stop) = (state.clone(), stop.clone());
            std::thread::Builder::new().name("pn532 emulator".into()).spawn(move || serve(master, &state, &stop))?
        };
        Ok(Self { slave_path, state, stop, thread: Some(thread), _slave: pty.slave })
    }

    /// The libnfc connection string that reaches this emulator.
    pub fn connstring(&self) -> String {
        format!("pn532_uart:{}", self.slave_path)
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn present(&self, card: EmulatedCard) {
        self.with(|s| s.card = Some(card));
    }

    pub fn remove(&self) {
        self.with(|s| s.card = None);
    }

    pub fn inject(&self, fault: Fault) {
        self.with(|s| s.fault = Some(fault));
    }

    /// Stops answering anything (as an unplugged reader), or starts again.
    pub fn set_silent(&self, silent: bool) {
        self.with(|s| s.silent = silent);
    }

    /// When the chip last answered InListPassiveTarget with a card.
    pub fn last_target_answer(&self) -> Option<Instant> {
        self.with(|s| s.last_target_answer)
    }
}

impl Drop for Pn532Emulator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

const ACK: [u8; 6] = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00];

/// A chip-to-host frame: `00 00 ff LEN LCS d5 payload DCS 00`.
fn frame(payload: &[u8]) -> Vec<u8> {
    let len = (payload.len() + 1) as u8;
    let sum = payload.iter().fold(0xD5u8, |a, b| a.wrapping_add(*b));
    let mut f = vec![0x00, 0x00, 0xFF, len, len.wrapping_neg(), 0xD5];
    f.extend_from_slice(payload);
    f.extend_from_slice(&[sum.wrapping_neg(), 0x00]);
    f
}

fn serve(mut master: File, state: &Mutex<State>, stop: &AtomicBool) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 512];
    while !stop.load(Ordering::SeqCst) {
        let readable = {
            let mut fds = [PollFd::new(master.as_fd(), PollFlags::POLLIN)];
            poll(&mut fds, PollTimeout::from(20u8)).unwrap_or(0) > 0
        };
        if !readable {
            continue;
        }
        match master.read(&mut chunk) {
            Ok(0) => continue,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            // EIO: no slave open right now (between libnfc's close and open).
            Err(_) => {
                std::thread::sleep(std::time::Duration::from_millis(10));
                continue;
            }
        }
        while let Some((command, params)) = next_frame(&mut buf) {
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            if s.silent {
                continue;
            }
            let (reply, about_card) = answer(&mut s, command, &params);
            let mut out = ACK.to_vec();
            let mut body = frame(&reply);
            match (about_card, s.fault) {
                (true, Some(Fault::Garble)) => {
                    body[5] = 0x42; // not d5
                    s.fault = None;
                }
                (true, Some(Fault::BadChecksum)) => {
                    let dcs = body.len() - 2;
                    body[dcs] = body[dcs].wrapping_add(1);
                    s.fault = None;
                }
                _ => {}
            }
            out.extend_from_slice(&body);
            if command == 0x4A && reply.get(1) == Some(&1) {
                s.last_target_answer = Some(Instant::now());
            }
            drop(s);
            if master.write_all(&out).is_err() {
                break;
            }
        }
    }
}

/// Takes the next complete host frame out of `buf`: `(command, params)`. Skips wake-up
/// bytes, host ACKs and frames with bad lengths or checksums.
fn next_frame(buf: &mut Vec<u8>) -> Option<(u8, Vec<u8>)> {
    loop {
        let start = buf.windows(2).position(|w| w == [0x00, 0xFF])?;
        if buf.len() < start + 4 {
            return None;
        }
        let (len, lcs) = (buf[start + 2], buf[start + 3]);
        if len == 0 && lcs == 0xFF {
            buf.drain(..start + 4);
            continue;
        }
        if len.wrapping_add(lcs) != 0 || len < 2 {
            buf.drain(..start + 2);
            continue;
        }
        let end = start + 4 + usize::from(len) + 2;
        if buf.len() < end {
            return None;
        }
        let data = buf[start + 4..start + 4 + usize::from(len)].to_vec();
        let dcs = buf[start + 4 + usize::from(len)];
        buf.drain(..end);
        if data[0] != 0xD4 || data.iter().fold(dcs, |a, b| a.wrapping_add(*b)) != 0 {
            continue;
        }
        return Some((data[1], data[2..].to_vec()));
    }
}

/// The chip's reply payload (after `d5`), and whether it is about a card (where faults go).
fn answer(s: &mut State, command: u8, params: &[u8]) -> (Vec<u8>, bool) {
    let mut reply = vec![command + 1];
    let mut about_card = false;
    match command {
        0x00 => reply.extend_from_slice(params),       // Diagnose: echo
        0x02 => reply.extend_from_slice(&[0x32, 0x01, 0x06, 0x07]), // firmware: PN532 v1.6
        0x06 => {
            for pair in params.chunks(2) {
                let addr = u16::from(pair[0]) << 8 | u16::from(*pair.get(1).unwrap_or(&0));
                reply.push(*s.registers.get(&addr).unwrap_or(&0));
            }
        }
        0x08 => {
            for triple in params.chunks(3) {
                if let [hi, lo, value] = *triple {
                    s.registers.insert(u16::from(hi) << 8 | u16::from(lo), value);
                }
            }
        }
        0x44 | 0x52 | 0x16 => reply.push(0x00), // InDeselect, InRelease, PowerDown: status OK
        0x4A => {
            about_card = true;
            let brty = params.get(1).copied().unwrap_or(0);
            let init = params.get(2..).unwrap_or(&[]);
            match (&s.card, brty) {
                (Some(EmulatedCard::Iso14443a { atqa, sak, uid }), 0) if init.is_empty() || init.ends_with(uid) => {
                    reply.extend_from_slice(&[0x01, 0x01, atqa[0], atqa[1], *sak, uid.len() as u8]);
                    reply.extend_from_slice(uid);
                }
                (Some(EmulatedCard::Felica { idm, pmm, system_code }), 1 | 2) => {
                    reply.extend_from_slice(&[0x01, 0x01, 0x14, 0x01]);
                    reply.extend_from_slice(idm);
                    reply.extend_from_slice(pmm);
                    reply.extend_from_slice(system_code);
                }
                _ => reply.push(0x00),
            }
        }
        0x40 => {
            // InDataExchange: an NTAG READ of page 0, or a FeliCa Request Response.
            about_card = true;
            let data = params.get(1..).unwrap_or(&[]);
            match (&s.card, data.first()) {
                (Some(EmulatedCard::Iso14443a { .. }), Some(0x30)) => {
                    reply.push(0x00);
                    reply.extend_from_slice(&[0u8; 16]);
                }
                (Some(EmulatedCard::Felica { idm, .. }), Some(0x0A)) if data.get(2..10) == Some(&idm[..]) => {
                    reply.extend_from_slice(&[0x00, 0x0B, 0x05]);
                    reply.extend_from_slice(idm);
                    reply.push(0x00);
                }
                _ => reply.push(0x01), // timeout: the card is gone
            }
        }
        0x42 => {
            about_card = true;
            if s.card.is_some() { reply.extend_from_slice(&[0x00, 0xA3]) } else { reply.push(0x01) }
        }
        0x60 => reply.push(0x00), // InAutoPoll: nothing found
        _ => {}                   // SAMConfiguration, SetParameters, RFConfiguration …: bare acknowledgement
    }
    (reply, about_card)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_through_the_parser() {
        // A host frame for GetFirmwareVersion, preceded by wake-up bytes and a host ACK.
        let mut host = vec![0x55, 0x55, 0x00, 0x00, 0x00];
        host.extend_from_slice(&ACK);
        host.extend_from_slice(&[0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD4, 0x02, 0x2A, 0x00]);
        assert_eq!(next_frame(&mut host), Some((0x02, vec![])));
        assert!(host.is_empty());
        let f = frame(&[0x03, 0x32, 0x01, 0x06, 0x07]);
        assert_eq!(f, vec![0x00, 0x00, 0xFF, 0x06, 0xFA, 0xD5, 0x03, 0x32, 0x01, 0x06, 0x07, 0xE8, 0x00]);
    }
}
