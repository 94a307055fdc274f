//! A fault-injecting HTTP proxy between a kiosk and the hub: for each request it may pass
//! it on, drop the connection before or after the hub has answered (so the hub committed
//! but the kiosk never heard), send the request twice, answer 503 itself or after the hub
//! committed, or be slow. Faults come from a seeded generator, so a failure can be replayed.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    Pass,
    DropBeforeHub,
    DropAfterHub,
    Duplicate,
    ServiceUnavailable,
    ServiceUnavailableAfterHub,
    Slow,
}

/// The proxy; dropping it stops accepting.
pub struct FaultProxy {
    pub url: String,
    stop: Arc<AtomicBool>,
    pub injected: Arc<Mutex<Vec<Fault>>>,
}

/// One HTTP/1.1 message (request or response) as bytes: head and a Content-Length body.
fn read_message(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Vec<u8>>> {
    let mut head = Vec::new();
    let mut content_length = 0usize;
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line).to_ascii_lowercase();
        if let Some(v) = text.strip_prefix("content-length:") {
            content_length = v.trim().parse().unwrap_or(0);
        }
        head.extend_from_slice(&line);
        if line == b"\r\n" {
            break;
        }
    }
    let mut body = vec![0u8; content_length];
    reader.read_exact(&mut body)?;
    head.extend_from_slice(&body);
    Ok(Some(head))
}

fn exchange(upstream: &mut Option<(TcpStream, BufReader<TcpStream>)>, hub: SocketAddr, request: &[u8]) -> io::Result<Vec<u8>> {
    if upstream.is_none() {
        let s = TcpStream::connect(hub)?;
        *upstream = Some((s.try_clone()?, BufReader::new(s)));
    }
    let (w, r) = upstream.as_mut().expect("connected above");
    w.write_all(request)?;
    read_message(r)?.ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "the hub closed the connection"))
}

impl FaultProxy {
    /// Proxies to `hub`; `fault_permille` of requests get a fault, chosen by `seed`.
    pub fn start(hub: SocketAddr, seed: u64, fault_permille: u64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let injected = Arc::new(Mutex::new(Vec::new()));
        let rng = Arc::new(AtomicU64::new(seed));
        let (stop2, injected2) = (stop.clone(), injected.clone());
        std::thread::spawn(move || {
            while !stop2.load(Ordering::SeqCst) {
                let client = match listener.accept() {
                    Ok((c, _)) => c,
                    Err(_) => {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    }
                };
                client.set_nonblocking(false).unwrap();
                let (rng, injected) = (rng.clone(), injected2.clone());
                std::thread::spawn(move || {
                    let mut writer = client.try_clone().unwrap();
                    let mut reader = BufReader::new(client);
                    let mut upstream = None;
                    while let Ok(Some(request)) = read_message(&mut reader) {
                        let r = rng.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::SeqCst);
                        let r = (r ^ (r >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 20;
                        let fault = if r % 1000 >= fault_permille {
                            Fault::Pass
                        } else {
                            [
                                Fault::DropBeforeHub,
                                Fault::DropAfterHub,
                                Fault::Duplicate,
                                Fault::ServiceUnavailable,
                                Fault::ServiceUnavailableAfterHub,
                                Fault::Slow,
                            ][(r / 1000 % 6) as usize]
                        };
                        injected.lock().unwrap().push(fault);
                        let unavailable = b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n";
                        let result = match fault {
                            Fault::Pass => exchange(&mut upstream, hub, &request).and_then(|resp| writer.write_all(&resp)),
                            Fault::DropBeforeHub => return,
                            Fault::DropAfterHub => {
                                let _ = exchange(&mut upstream, hub, &request);
                                return;
                            }
                            Fault::Duplicate => exchange(&mut upstream, hub, &request)
                                .and_then(|_| exchange(&mut upstream, hub, &request))
                                .and_then(|resp| writer.write_all(&resp)),
                            Fault::ServiceUnavailable => writer.write_all(unavailable),
                            Fault::ServiceUnavailableAfterHub => {
                                exchange(&mut upstream, hub, &request).and_then(|_| writer.write_all(unavailable))
                            }
                            Fault::Slow => {
                                std::thread::sleep(Duration::from_millis(300));
                                exchange(&mut upstream, hub, &request).and_then(|resp| writer.write_all(&resp))
                            }
                        };
                        if result.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self { url, stop, injected }
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}
