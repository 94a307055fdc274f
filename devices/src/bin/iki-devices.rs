//! `iki-devices`: look at the kiosk's devices — list readers and ports, print a test
//! receipt, wait for a tap, play the sounds, and (for developers) regenerate the cues.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use iki_core::receipt::{Receipt, ReceiptKind};
use iki_devices::printer::preview::{render, to_png};
use iki_devices::printer::{PaperWidth, Printer, PrinterConnection, ReceiptFonts, ReceiptPrinter, Spool};
use iki_devices::reader::pn532_emulator::{EmulatedCard, Pn532Emulator};
use iki_devices::reader::wedge::{WedgeDigits, WedgeFormat};
use iki_devices::reader::{LibnfcReader, PcscReader, PollTiming, ReaderEvent, ReaderHandle, WedgeReader, spawn};
use iki_devices::sound::cues::{self, Cue};
use iki_devices::sound::{SoundLibrary, Speaker};

#[derive(Parser)]
#[command(version, about = "Check an Iki Circle kiosk's card reader, receipt printer and sound")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write this program's manual pages (one per command) into DIR, for the Debian packages.
    #[command(hide = true)]
    Man { dir: std::path::PathBuf },
    /// List serial ports, USB printers, input devices and PC/SC readers.
    List,
    /// Print a test receipt. PRINTER: serial:/dev/ttyUSB0[:baud], usb:/dev/usb/lp0,
    /// tcp:host:9100 or preview:out.png.
    PrintTest {
        #[arg(long)]
        printer: String,
        #[arg(long, default_value = "80mm")]
        paper: String,
    },
    /// Wait for a card and print its identifier. READER: libnfc:<connstring>, pcsc[:name],
    /// wedge:/dev/input/…[:hex|decimal], or emulated (a PN532 emulator with a demo card).
    WaitTap {
        #[arg(long)]
        reader: String,
        #[arg(long, default_value_t = 30)]
        seconds: u64,
    },
    /// Play every cue through the default audio device.
    SoundCheck {
        #[arg(long, default_value = "assets")]
        assets: PathBuf,
    },
    /// Write the synthesised cues as WAV files (developers: regenerate assets/sounds).
    GenerateCues {
        #[arg(long, default_value = "assets/sounds")]
        out: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber_init();
    match Cli::parse().command {
        Command::Man { dir } => Ok(clap_mangen::generate_to(<Cli as clap::CommandFactory>::command(), dir)?),
        Command::List => list(),
        Command::PrintTest { printer, paper } => print_test(&printer, &paper),
        Command::WaitTap { reader, seconds } => wait_tap(&reader, Duration::from_secs(seconds)),
        Command::SoundCheck { assets } => sound_check(&assets),
        Command::GenerateCues { out } => {
            std::fs::create_dir_all(&out)?;
            for cue in Cue::ALL {
                let path = out.join(cue.file_name());
                std::fs::write(&path, cues::wav(cue)).with_context(|| format!("writing {}", path.display()))?;
                println!("wrote {}", path.display());
            }
            Ok(())
        }
    }
}

/// Log lines (warnings and up) on stderr.
fn tracing_subscriber_init() {
    tracing_subscriber::fmt().with_max_level(tracing::Level::WARN).with_writer(std::io::stderr).with_target(false).without_time().init();
}

fn list() -> anyhow::Result<()> {
    println!("Serial ports:");
    match serialport::available_ports() {
        Ok(ports) if ports.is_empty() => println!("  (none)"),
        Ok(ports) => ports.iter().for_each(|p| println!("  {}  {:?}", p.port_name, p.port_type)),
        Err(e) => println!("  cannot list: {e}"),
    }
    println!("USB printers:");
    let lps: Vec<_> = std::fs::read_dir("/dev/usb").into_iter().flatten().flatten().filter(|e| e.file_name().to_string_lossy().starts_with("lp")).collect();
    if lps.is_empty() {
        println!("  (none)");
    }
    lps.iter().for_each(|e| println!("  {}", e.path().display()));
    println!("Input devices (keyboard-wedge readers are among them):");
    let inputs: Vec<_> = evdev::enumerate().collect();
    if inputs.is_empty() {
        println!("  (none readable)");
    }
    for (path, device) in inputs {
        println!("  {}  {}", path.display(), device.name().unwrap_or("?"));
    }
    println!("PC/SC readers:");
    match pcsc::Context::establish(pcsc::Scope::User) {
        Ok(ctx) => match ctx.list_readers_owned() {
            Ok(r) if r.is_empty() => println!("  (none)"),
            Ok(r) => r.iter().for_each(|n| println!("  {}", n.to_string_lossy())),
            Err(e) => println!("  cannot list: {e}"),
        },
        Err(e) => println!("  PC/SC service not available ({e}); start pcscd"),
    }
    Ok(())
}

fn test_receipt() -> Receipt {
    Receipt::new(ReceiptKind::Test, 0)
        .logo()
        .heading("テスト印刷")
        .centred("Iki Circle · 壱岐市")
        .rule()
        .text("日本語: 郷ノ浦港 芦辺港 印通寺港")
        .text("半角ｶﾀｶﾅ ABC abc 0123 ¥500")
        .text("한국어: 이키시에 오신 것을 환영합니다")
        .text("中文: 欢迎来到壹岐")
        .text("JIS X 0208 外: 麵 髙 ①")
        .pair("合計", "1,234 pt")
        .qr("IKI1:TEST")
        .feed(1)
}

fn paper(text: &str) -> anyhow::Result<PaperWidth> {
    match text {
        "58mm" => Ok(PaperWidth::Mm58),
        "80mm" => Ok(PaperWidth::Mm80),
        other => bail!("paper “{other}”: use 58mm or 80mm"),
    }
}

fn print_test(spec: &str, paper_text: &str) -> anyhow::Result<()> {
    let paper = paper(paper_text)?;
    let fonts = ReceiptFonts::system().ok();
    let (kind, rest) = spec.split_once(':').context("PRINTER must look like serial:/dev/ttyUSB0")?;
    let connection = match kind {
        "preview" => {
            let fonts = fonts.context("the preview needs the receipt fonts (fonts-morisawa-bizud-gothic, fonts-noto-cjk)")?;
            std::fs::write(rest, to_png(&render(&test_receipt(), paper, &fonts)))?;
            println!("wrote {rest}");
            return Ok(());
        }
        "serial" => {
            let (path, baud) = match rest.rsplit_once(':') {
                Some((p, b)) if b.parse::<u32>().is_ok() => (p.to_owned(), b.parse()?),
                _ => (rest.to_owned(), 38_400),
            };
            PrinterConnection::Serial { path, baud }
        }
        "usb" => PrinterConnection::UsbLp { path: rest.to_owned() },
        "tcp" => PrinterConnection::Tcp { address: rest.to_owned() },
        other => bail!("unknown printer kind “{other}”"),
    };
    let spool_dir = std::env::temp_dir().join("iki-devices-test-spool");
    let mut printer = ReceiptPrinter::new(connection, paper, fonts, Spool::open(&spool_dir)?);
    match printer.status() {
        Ok(Some(s)) => println!("status: {:?} → {:?}", s, s.health()),
        Ok(None) => println!("status: the printer does not answer status requests"),
        Err(e) => println!("status: {e}"),
    }
    let report = printer.print(&test_receipt())?;
    println!("printed {} bytes on {} (substituted: {:?})", report.bytes, printer.describe(), report.substituted);
    Ok(())
}

fn wait_tap(spec: &str, within: Duration) -> anyhow::Result<()> {
    let (kind, rest) = spec.split_once(':').unwrap_or((spec, ""));
    let timing = PollTiming::default();
    let mut emulator = None;
    let handle: ReaderHandle = match kind {
        "libnfc" => spawn(LibnfcReader::new(rest), timing),
        "pcsc" => spawn(PcscReader::new((!rest.is_empty()).then(|| rest.to_owned())), timing),
        "wedge" => {
            let (path, digits) = match rest.rsplit_once(':') {
                Some((p, "decimal")) => (p, WedgeDigits::Decimal),
                Some((p, "hex")) => (p, WedgeDigits::Hex),
                _ => (rest, WedgeDigits::Hex),
            };
            spawn(WedgeReader::new(path, WedgeFormat { digits, ..WedgeFormat::default() }), timing)
        }
        "emulated" => {
            let chip = Pn532Emulator::start()?;
            println!("PN532 emulator at {}", chip.connstring());
            let handle = spawn(LibnfcReader::new(chip.connstring()), timing);
            chip.present(EmulatedCard::felica([0x01, 0x14, 0xB3, 0xA1, 0xC2, 0xD3, 0xE4, 0xF5]));
            emulator = Some(chip);
            handle
        }
        other => bail!("unknown reader kind “{other}”"),
    };
    println!("waiting up to {} s for a card on {} …", within.as_secs(), handle.status().device);
    let deadline = std::time::Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match handle.next_event(left) {
            Some(ReaderEvent::Tap { uid, .. }) => {
                println!("tap: {uid}");
                drop(emulator);
                return Ok(());
            }
            Some(ReaderEvent::Rejected { reason, .. }) => println!("card refused: {reason}"),
            Some(ReaderEvent::Health { health, .. }) => println!("reader: {health:?}"),
            None => break,
        }
    }
    bail!("no card was presented within {} s", within.as_secs())
}

fn sound_check(assets: &std::path::Path) -> anyhow::Result<()> {
    let speaker = Speaker::open(0.8);
    println!("sound: {:?}", speaker.health());
    let library = SoundLibrary::new(assets);
    for cue in Cue::ALL {
        speaker.play(library.cue(cue));
    }
    // Give the player thread a moment to take the sounds.
    std::thread::sleep(Duration::from_millis(300));
    println!("played: {:?}", speaker.played());
    Ok(())
}
