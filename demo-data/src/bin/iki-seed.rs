//! `iki-seed`: creates a kiosk store with the demo island and N synthetic citizens.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use iki_demo_data::{SyntheticLoad, demo_morning, island, load_island};
use iki_store::Store;

/// Fill a kiosk database with Iki's places, catalogue and themes, the demo citizens, and
/// as many synthetic citizens as asked.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The SQLite file to create or add to.
    #[arg(long, default_value = "iki-kiosk.sqlite3")]
    database: PathBuf,
    /// How many synthetic citizens to add (500000 is the city's 2030 target).
    #[arg(long, default_value_t = 1_000)]
    citizens: u64,
    /// The kiosk this database belongs to.
    #[arg(long, default_value = "GNR1")]
    kiosk: String,
    /// Seed for the synthetic citizens.
    #[arg(long, default_value_t = 2030)]
    seed: u64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut store = Store::open(&args.database).with_context(|| format!("opening {}", args.database.display()))?;
    load_island(&mut store, &island(demo_morning()), &args.kiosk).context("loading the demo island")?;
    let started = Instant::now();
    let cards = SyntheticLoad { seed: args.seed, count: args.citizens }
        .run(&mut store, |n| eprintln!("  {n} citizens …"))
        .context("loading synthetic citizens (synthetic cards depend only on the citizen's number, so a database seeded with another --seed already holds them; use a new --database)")?;
    let total = store.read(|tx| tx.citizen_count())?;
    println!(
        "{}: {} synthetic citizens with {cards} cards loaded in {:.1} s (loading the same seed again changes nothing); {total} citizens in the directory",
        args.database.display(),
        args.citizens,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
