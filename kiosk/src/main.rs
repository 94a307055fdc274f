//! `iki-kiosk`: the kiosk program. `demo` runs the touch kiosk on the demo island with its
//! own hub; `run` runs a real kiosk from its configuration; `walkthrough` prints a scripted
//! morning in the terminal; `hash-pin` makes the staff PIN's hash for the configuration.

mod demo;
mod walkthrough;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};
use iki_core::Rules;
use iki_devices::Devices;
use iki_devices::config::DevicesConfig;
use iki_kiosk::app::{self, AppOptions};
use iki_kiosk::config::KioskConfig;
use iki_kiosk::live::{EnrolTarget, LiveParts, LivePort};
use iki_kiosk_services::{HubLink, KioskServices, SystemClock};
use iki_store::Store;
use iki_sync::runner::SyncTiming;

#[derive(Parser)]
#[command(version, about = "Iki Circle kiosk")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write this program's manual pages (one per command) into DIR, for the Debian packages.
    #[command(hide = true)]
    Man { dir: std::path::PathBuf },
    /// The touch kiosk at Gōnoura port on the demo island: its own hub on loopback, the
    /// demo cards on screen (keys 1–6 tap them), receipts shown as pictures and saved as
    /// PNG, sound. Everything is recorded in a real kiosk store under --data-dir.
    Demo {
        /// Where the demo's databases and receipts go (recreated at each run).
        #[arg(long, default_value = "demo-output")]
        data_dir: PathBuf,
        /// The folder with the kiosk's sounds.
        #[arg(long, default_value = "assets")]
        assets: PathBuf,
        /// Fill the screen, as a kiosk does.
        #[arg(long)]
        fullscreen: bool,
        /// Play a tour by itself (taps, a coupon, a ride, a newcomer), save each screen
        /// under --data-dir/screens, sync, check the books and exit.
        #[arg(long)]
        autoplay: bool,
    },
    /// A kiosk in the field, from its configuration file.
    Run {
        #[arg(long, default_value = "/etc/iki-kiosk/kiosk.toml")]
        config: PathBuf,
    },
    /// The scripted morning at Gōnoura port, printed in the terminal (no window).
    Walkthrough {
        #[arg(long, default_value = "demo-output")]
        data_dir: PathBuf,
        /// ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
        #[arg(long, default_value = "assets")]
        assets: PathBuf,
    },
    /// Enrols this kiosk with the hub by a one-time code, without the screen (for
    /// installers; the staff screen does the same).
    Enrol {
        #[arg(long, default_value = "/etc/iki-kiosk/kiosk.toml")]
        config: PathBuf,
        /// The hub's address, e.g. https://hub.iki.example (default: hub_url in kiosk.toml).
        #[arg(long)]
        hub: Option<String>,
        /// The code from the admin desktop's "places and kiosks", e.g. 1A2B-3C4D-5E6F.
        #[arg(long)]
        code: String,
    },
    /// Checks a card in without the screen and sends it to the hub at once (for installers
    /// trying a new kiosk, and for the install test).
    CheckIn {
        #[arg(long, default_value = "/etc/iki-kiosk/kiosk.toml")]
        config: PathBuf,
        /// The card number, e.g. felica:0114B3A1C2D3E4F5.
        #[arg(long)]
        card: String,
    },
    /// Copies the kiosk's store, consistently, while the kiosk runs.
    Backup {
        #[arg(long, default_value = "/etc/iki-kiosk/kiosk.toml")]
        config: PathBuf,
        #[arg(long)]
        to: PathBuf,
    },
    /// Reads a staff PIN (4–8 digits) from standard input and prints its argon2id hash
    /// for `staff_pin_hash` in kiosk.toml.
    HashPin,
}

fn main() -> anyhow::Result<()> {
    let started = Instant::now();
    tracing_subscriber::fmt().with_writer(std::io::stderr).init();
    match Cli::parse().command {
        Command::Man { dir } => Ok(clap_mangen::generate_to(<Cli as clap::CommandFactory>::command(), dir)?),
        Command::Demo { data_dir, assets, fullscreen, autoplay } => demo::run(&data_dir, &assets, fullscreen, autoplay, started),
        Command::Run { config } => run(&config, started),
        Command::Enrol { config, hub, code } => {
            let config = KioskConfig::load(&config)?;
            let typed = hub.or(config.hub_url.clone()).context("no hub address: give --hub or set hub_url in kiosk.toml")?;
            let hub = iki_sync::client::hub_address(&typed).context("the hub's address")?;
            std::fs::create_dir_all(&config.data_dir).with_context(|| format!("creating {}", config.data_dir.display()))?;
            let target = enrol_target(&config);
            let kiosk = target.enrol(&hub, code.trim()).with_context(|| format!("enrolling with the hub at {hub}"))?;
            println!("enrolled as kiosk {kiosk}");
            Ok(())
        }
        Command::CheckIn { config, card } => {
            let config = KioskConfig::load(&config)?;
            let card = iki_core::CardUid::parse(card.trim())?;
            let services = KioskServices::new(Store::open(config.store_path())?, Rules::default(), Arc::new(SystemClock), HubLink::default());
            let outcome = services.check_in(&card)?;
            match outcome.recorded {
                Some(r) => println!("checked in {} (receipt {}): +{} points, balance {}", outcome.greeting.nickname, r.receipt_no, r.points.value() + r.port_bonus.value(), outcome.balance.value()),
                None => println!("{} had already checked in here today; balance {}", outcome.greeting.nickname, outcome.balance.value()),
            }
            let mut store = services.store();
            let client = iki_sync::client::SyncClient::from_store(&mut store, config.hub_ca.as_deref())?
                .context("this kiosk is not enrolled; run `iki-kiosk enrol` first")?;
            client.push(&mut store).context("sending to the hub")?;
            println!("sent to the hub; {} events waiting", store.read(|tx| tx.outbox_len())?);
            Ok(())
        }
        Command::Backup { config, to } => {
            let config = KioskConfig::load(&config)?;
            let db = config.store_path();
            anyhow::ensure!(db.exists(), "there is no kiosk store at {}", db.display());
            Store::open(&db)?.backup_to(&to).with_context(|| format!("backing up to {}", to.display()))?;
            println!("backed up to {}", to.display());
            Ok(())
        }
        Command::Walkthrough { data_dir, lang, assets } => walkthrough::run(&data_dir, &assets, walkthrough::Lang::parse(&lang)?),
        Command::HashPin => {
            let mut pin = String::new();
            std::io::stdin().read_line(&mut pin)?;
            let pin = pin.trim();
            anyhow::ensure!((4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()), "a staff PIN is 4 to 8 digits");
            let mut salt = [0u8; iki_core::secret::SALT_LEN];
            getrandom::fill(&mut salt).context("the operating system's random source failed")?;
            println!("{}", iki_core::secret::hash_secret(pin, &salt));
            Ok(())
        }
    }
}

fn run(path: &std::path::Path, started: Instant) -> anyhow::Result<()> {
    let config = KioskConfig::load(path)?;
    let devices_text = std::fs::read_to_string(&config.devices).with_context(|| format!("reading {}", config.devices.display()))?;
    let devices = Devices::start(&DevicesConfig::from_toml(&devices_text)?).context("starting the devices")?;
    std::fs::create_dir_all(&config.data_dir).with_context(|| format!("creating {}", config.data_dir.display()))?;
    let db = config.store_path();
    let hub = HubLink::default();
    let services = Arc::new(KioskServices::new(
        Store::open(&db).with_context(|| format!("opening {}", db.display()))?,
        Rules::default(),
        Arc::new(SystemClock),
        hub.clone(),
    ));
    let (parts, reader, simulated) = LiveParts::from_devices(devices, services, hub, config.staff_pin_hash.clone(), Some(enrol_target(&config)));
    let port = LivePort::new(parts);
    port.start_sync(SyncTiming::default())?;
    let demo = simulated.map(|cards| (cards, Vec::new()));
    app::run(port, reader, AppOptions { dpi: config.screen_dpi, fullscreen: config.fullscreen, demo, startup_probe: Some(started), autoplay: None })
}

/// How this kiosk enrols: its store, and the hub address kiosk.toml suggests.
fn enrol_target(config: &KioskConfig) -> EnrolTarget {
    EnrolTarget { store_path: config.store_path(), default_hub: config.hub_url.clone(), ca: config.hub_ca.clone() }
}
