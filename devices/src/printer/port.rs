//! Where ESC/POS bytes go: a serial port, a USB printer device file (`/dev/usb/lp*`) or a
//! network printer on TCP port 9100.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// How a printer is connected, as the kiosk's configuration names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "connection", rename_all = "snake_case")]
pub enum PrinterConnection {
    Serial { path: String, baud: u32 },
    UsbLp { path: String },
    Tcp { address: String },
}

impl PrinterConnection {
    pub fn describe(&self) -> String {
        match self {
            PrinterConnection::Serial { path, baud } => format!("serial {path} at {baud} baud"),
            PrinterConnection::UsbLp { path } => format!("USB printer {path}"),
            PrinterConnection::Tcp { address } => format!("network printer {address}"),
        }
    }

    pub fn open(&self) -> io::Result<Box<dyn PrinterPort>> {
        Ok(match self {
            PrinterConnection::Serial { path, baud } => Box::new(SerialPort::open(path, *baud)?),
            PrinterConnection::UsbLp { path } => Box::new(UsbLpPort::open(path)?),
            PrinterConnection::Tcp { address } => Box::new(TcpPort::connect(address)?),
        })
    }
}

/// A byte link to a printer.
pub trait PrinterPort: Send {
    /// Sends bytes and waits until they have left the computer.
    fn send(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Sends a real-time request (`DLE EOT n`) and returns the one-byte answer, or `None`
    /// if the printer did not answer within `timeout` (many cheap printers never do).
    fn ask(&mut self, request: &[u8], timeout: Duration) -> io::Result<Option<u8>>;
}

/// A printer on a serial port (or a USB-serial adapter).
pub struct SerialPort {
    port: Box<dyn serialport::SerialPort>,
}

impl SerialPort {
    pub fn open(path: &str, baud: u32) -> io::Result<Self> {
        let port = serialport::new(path, baud).timeout(Duration::from_millis(50)).open().map_err(io::Error::from)?;
        Ok(Self { port })
    }

    fn drain(&mut self) {
        let mut junk = [0u8; 64];
        while matches!(self.port.bytes_to_read(), Ok(n) if n > 0) {
            if self.port.read(&mut junk).is_err() {
                break;
            }
        }
    }
}

impl PrinterPort for SerialPort {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        // Large raster jobs take a while at 9600 baud: write in chunks, retrying timeouts.
        let mut rest = bytes;
        let deadline = Instant::now() + Duration::from_secs(60);
        while !rest.is_empty() {
            match self.port.write(rest) {
                Ok(0) => return Err(io::Error::new(io::ErrorKind::WriteZero, "the printer stopped accepting data")),
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == io::ErrorKind::TimedOut && Instant::now() < deadline => {}
                Err(e) => return Err(e),
            }
        }
        self.port.flush()
    }

    fn ask(&mut self, request: &[u8], timeout: Duration) -> io::Result<Option<u8>> {
        self.drain();
        self.send(request)?;
        let deadline = Instant::now() + timeout;
        let mut b = [0u8; 1];
        while Instant::now() < deadline {
            match self.port.read(&mut b) {
                Ok(1) => return Ok(Some(b[0])),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {}
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }
}

/// A USB printer through the kernel's `usblp` driver. Reads block without a timeout on
/// bidirectional printers and fail on one-way ones, so answers are awaited with `poll`.
pub struct UsbLpPort {
    file: File,
}

impl UsbLpPort {
    pub fn open(path: &str) -> io::Result<Self> {
        Ok(Self { file: OpenOptions::new().read(true).write(true).open(path)? })
    }

    fn readable(&self, timeout: Duration) -> io::Result<bool> {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        let mut fds = [PollFd::new(self.file.as_fd(), PollFlags::POLLIN)];
        let ms = PollTimeout::try_from(timeout.as_millis().min(10_000) as u16).unwrap_or(PollTimeout::ZERO);
        Ok(poll(&mut fds, ms).map_err(io::Error::from)? > 0)
    }
}

impl PrinterPort for UsbLpPort {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.file.flush()
    }

    fn ask(&mut self, request: &[u8], timeout: Duration) -> io::Result<Option<u8>> {
        let mut junk = [0u8; 64];
        while self.readable(Duration::ZERO)? {
            match self.file.read(&mut junk) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
        self.send(request)?;
        if !self.readable(timeout)? {
            return Ok(None);
        }
        let mut b = [0u8; 1];
        match self.file.read(&mut b) {
            Ok(1) => Ok(Some(b[0])),
            // One-way printers (EINVAL) and files (EOF) cannot answer.
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::InvalidInput => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A network printer (raw TCP, port 9100).
pub struct TcpPort {
    stream: TcpStream,
}

impl TcpPort {
    pub fn connect(address: &str) -> io::Result<Self> {
        let addrs: Vec<SocketAddr> = address.to_socket_addrs()?.collect();
        let addr = addrs.first().ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no address for {address}")))?;
        let stream = TcpStream::connect_timeout(addr, Duration::from_secs(3))?;
        stream.set_write_timeout(Some(Duration::from_secs(30)))?;
        stream.set_nodelay(true)?;
        Ok(Self { stream })
    }
}

impl PrinterPort for TcpPort {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    fn ask(&mut self, request: &[u8], timeout: Duration) -> io::Result<Option<u8>> {
        self.stream.set_nonblocking(true)?;
        let mut junk = [0u8; 64];
        while let Ok(n) = self.stream.read(&mut junk) {
            if n == 0 {
                break;
            }
        }
        self.stream.set_nonblocking(false)?;
        self.send(request)?;
        self.stream.set_read_timeout(Some(timeout.max(Duration::from_millis(1))))?;
        let mut b = [0u8; 1];
        match self.stream.read(&mut b) {
            Ok(1) => Ok(Some(b[0])),
            Ok(_) => Err(io::Error::new(io::ErrorKind::ConnectionAborted, "the printer closed the connection")),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
