//! The real printer path: ESC/POS bytes over a serial port (a pseudo-terminal whose other
//! end plays an Epson-style printer), over TCP 9100 and into a USB printer device file —
//! with status queries, paper out, cover open, a silent printer and an unplugged one.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use iki_core::receipt::{Receipt, ReceiptKind};
use iki_devices::printer::decode::{PrinterOp, decode, text_lines};
use iki_devices::printer::{PaperWidth, PrintError, Printer, PrinterConnection, PrinterStatus, ReceiptFonts, ReceiptPrinter, Spool};

/// A printer on the far end of a byte stream: answers `DLE EOT n` from its status, and
/// collects each complete job (a decodable stream ending in a cut).
#[derive(Clone, Default)]
struct FakePrinter {
    status: Arc<Mutex<PrinterStatus>>,
    silent: Arc<AtomicBool>,
    jobs: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicBool>,
}

impl FakePrinter {
    fn serve(&self, mut link: impl Read + Write + Send + 'static) -> std::thread::JoinHandle<()> {
        let me = self.clone();
        std::thread::spawn(move || {
            let mut buf: Vec<u8> = Vec::new();
            let mut chunk = [0u8; 4096];
            while !me.stop.load(Ordering::SeqCst) {
                match link.read(&mut chunk) {
                    Ok(0) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    Err(e) if matches!(e.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock) => continue,
                    Err(_) => return,
                }
                loop {
                    if buf.len() >= 3 && buf[0] == 0x10 && buf[1] == 0x04 {
                        let n = usize::from(buf[2]);
                        if !me.silent.load(Ordering::SeqCst) {
                            let answer = me.status.lock().unwrap().answers()[n - 1];
                            link.write_all(&[answer]).unwrap();
                        }
                        buf.drain(..3);
                        continue;
                    }
                    match decode(&buf) {
                        Ok(ops) if ops.last() == Some(&PrinterOp::Cut) && !buf.is_empty() => {
                            me.jobs.lock().unwrap().push(std::mem::take(&mut buf));
                        }
                        _ => break,
                    }
                }
            }
        })
    }

    fn set(&self, status: PrinterStatus) {
        *self.status.lock().unwrap() = status;
    }

    fn jobs(&self) -> Vec<Vec<u8>> {
        self.jobs.lock().unwrap().clone()
    }

    /// The jobs once there are `n` of them (waiting up to five seconds for the last bytes).
    fn wait_for_jobs(&self, n: usize) -> Vec<Vec<u8>> {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while self.jobs().len() < n && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.jobs()
    }
}

fn coupon() -> Receipt {
    Receipt::new(ReceiptKind::Coupon, 42)
        .logo()
        .heading("交換クーポン")
        .big("壱岐焼酎 ミニボトル")
        .pair("クーポン番号", "IKI-7KQ2-M9XD")
        .qr("IKI1:COUPON:IKI-7KQ2-M9XD")
        .total("残高", "10 pt")
}

fn fonts() -> Option<ReceiptFonts> {
    Some(ReceiptFonts::system().expect("receipt fonts are installed by setup"))
}

struct SerialRig {
    printer: ReceiptPrinter,
    fake: FakePrinter,
    _slave: serialport::TTYPort,
    _dir: tempfile::TempDir,
}

fn serial_rig() -> SerialRig {
    let (mut master, slave) = serialport::TTYPort::pair().expect("a pseudo-terminal pair");
    use serialport::SerialPort;
    master.set_timeout(Duration::from_millis(20)).unwrap();
    let fake = FakePrinter::default();
    fake.serve(master);
    let dir = tempfile::tempdir().unwrap();
    let path = slave.name().expect("the slave end has a path");
    let printer = ReceiptPrinter::new(
        PrinterConnection::Serial { path, baud: 38_400 },
        PaperWidth::Mm58,
        fonts(),
        Spool::open(dir.path()).unwrap(),
    );
    SerialRig { printer, fake, _slave: slave, _dir: dir }
}

#[test]
fn a_coupon_prints_over_a_serial_port_in_shift_jis_with_its_qr_and_cut() {
    let mut rig = serial_rig();
    let report = rig.printer.print(&coupon()).expect("prints");
    assert!(!report.status_unknown && !report.paper_near_end);
    let jobs = rig.fake.wait_for_jobs(1);
    assert_eq!(jobs.len(), 1);
    assert!(jobs[0].windows(2).any(|w| w == [0x1C, 0x26]), "Kanji mode is switched on");
    let ops = decode(&jobs[0]).unwrap();
    let lines = text_lines(&ops);
    assert!(lines.contains(&"壱岐焼酎 ミニボトル".to_string()), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("クーポン番号") && l.ends_with("IKI-7KQ2-M9XD")));
    assert!(ops.iter().any(|o| matches!(o, PrinterOp::Qr { payload, .. } if payload == "IKI1:COUPON:IKI-7KQ2-M9XD")));
    assert_eq!(ops.last(), Some(&PrinterOp::Cut));
    assert!(rig.printer.spool().pending().unwrap().is_empty());
    assert_eq!(rig.printer.health(), iki_devices::Health::Ok);
    // Staff reprint the last receipt.
    rig.printer.reprint_last().unwrap().expect("there is a last receipt");
    assert_eq!(rig.fake.wait_for_jobs(2).len(), 2);
}

#[test]
fn paper_out_and_cover_open_keep_the_receipt_until_it_can_print() {
    let mut rig = serial_rig();
    rig.fake.set(PrinterStatus { paper_out: true, offline: true, ..Default::default() });
    let err = rig.printer.print(&coupon()).unwrap_err();
    assert!(matches!(err, PrintError::PaperOut), "{err}");
    assert!(err.receipt_kept());
    assert_eq!(err.to_string(), "The printer is out of paper — your receipt is saved; staff can reprint it.");
    assert!(matches!(rig.printer.health(), iki_devices::Health::Missing(_)));

    rig.fake.set(PrinterStatus { cover_open: true, offline: true, ..Default::default() });
    assert!(matches!(rig.printer.print_pending().unwrap_err(), PrintError::CoverOpen));
    assert_eq!(rig.printer.spool().pending().unwrap().len(), 1);
    std::thread::sleep(Duration::from_millis(100));
    assert!(rig.fake.jobs().is_empty(), "nothing was sent to a printer that could not print");

    rig.fake.set(PrinterStatus { paper_near_end: true, ..Default::default() });
    assert_eq!(rig.printer.print_pending().unwrap(), 1);
    assert_eq!(rig.fake.wait_for_jobs(1).len(), 1);
    assert!(rig.printer.spool().pending().unwrap().is_empty());
    assert!(matches!(rig.printer.health(), iki_devices::Health::Degraded(_)), "paper nearly out");
}

#[test]
fn a_printer_that_never_answers_status_still_prints() {
    let mut rig = serial_rig();
    rig.fake.silent.store(true, Ordering::SeqCst);
    let report = rig.printer.print(&coupon()).unwrap();
    assert!(report.status_unknown);
    assert_eq!(rig.fake.wait_for_jobs(1).len(), 1);
}

#[test]
fn an_unplugged_printer_is_reported_and_the_receipt_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut printer = ReceiptPrinter::new(
        PrinterConnection::Serial { path: "/dev/ttyIKI-not-here".into(), baud: 9_600 },
        PaperWidth::Mm80,
        None,
        Spool::open(dir.path()).unwrap(),
    );
    let err = printer.print(&coupon()).unwrap_err();
    assert!(matches!(err, PrintError::Unreachable(_)));
    assert!(err.to_string().contains("your receipt is saved"));
    assert_eq!(printer.spool().pending().unwrap().len(), 1);
}

#[test]
fn network_printer_on_tcp_9100() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let fake = FakePrinter::default();
    let serving = fake.clone();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
        serving.serve(stream).join().unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let mut printer = ReceiptPrinter::new(PrinterConnection::Tcp { address }, PaperWidth::Mm80, fonts(), Spool::open(dir.path()).unwrap());
    let report = printer.print(&coupon()).unwrap();
    assert!(!report.status_unknown);
    let jobs = fake.wait_for_jobs(1);
    assert_eq!(jobs.len(), 1);
    assert!(text_lines(&decode(&jobs[0]).unwrap()).contains(&"壱岐焼酎 ミニボトル".to_string()));
}

#[test]
fn usb_printer_device_file_gets_the_job() {
    // A one-way USB printer cannot answer status; a plain file behaves the same way.
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("lp0");
    std::fs::write(&device, b"").unwrap();
    let mut printer = ReceiptPrinter::new(
        PrinterConnection::UsbLp { path: device.display().to_string() },
        PaperWidth::Mm58,
        fonts(),
        Spool::open(dir.path().join("spool")).unwrap(),
    );
    let report = printer.print(&coupon()).unwrap();
    assert!(report.status_unknown);
    let written = std::fs::read(&device).unwrap();
    // The status requests went first, then the job.
    let job_start = written.windows(2).position(|w| w == [0x1B, b'@']).unwrap();
    assert_eq!(decode(&written[job_start..]).unwrap().last(), Some(&PrinterOp::Cut));
}
