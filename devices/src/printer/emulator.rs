//! An ESC/POS printer on a loopback TCP port, for tests and benchmarks: it takes whatever
//! is sent and answers every `DLE EOT n` status request as a printer in the given state
//! would. Beside the real printers, never instead of them.

use std::io::{Read, Write};
use std::net::TcpListener;

use crate::printer::status::PrinterStatus;

/// Starts the emulator on its own thread; returns its `address` for
/// [`PrinterConnection::Tcp`](crate::printer::PrinterConnection::Tcp).
pub fn serve_tcp(state: PrinterStatus) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?.to_string();
    let answers = state.answers();
    std::thread::Builder::new().name("escpos emulator".into()).spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            // Only the tail that may hold an unfinished request is kept between reads.
            let mut pending = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                pending.extend_from_slice(&buf[..n]);
                while let Some(at) = pending.windows(2).position(|w| w == [0x10, 0x04]) {
                    if pending.len() < at + 3 {
                        break;
                    }
                    let which = usize::from(pending[at + 2]).clamp(1, 4);
                    if stream.write_all(&[answers[which - 1]]).is_err() {
                        break;
                    }
                    pending.drain(..at + 3);
                }
                if pending.len() > 2 && !pending.ends_with(&[0x10]) && !pending.ends_with(&[0x10, 0x04]) {
                    pending.clear();
                }
            }
        }
    })?;
    Ok(address)
}
