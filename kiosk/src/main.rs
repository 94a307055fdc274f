//! `iki-kiosk`: the kiosk program. Today it runs the terminal demo of the kiosk services;
//! the Slint touch UI replaces the screens in issue 5.

mod demo;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(version, about = "Iki Circle kiosk")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// A morning at Gōnoura port on the demo island: taps, a registration, a guest, a
    /// redemption with PIN, votes and rides, each recorded durably in a real kiosk store.
    Demo {
        /// Where the demo's kiosk database is written (recreated at each run).
        #[arg(long, default_value = "demo-output")]
        data_dir: PathBuf,
        /// Screen language: ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Demo { data_dir, lang } => demo::run(&data_dir, demo::Lang::parse(&lang)?),
    }
}
