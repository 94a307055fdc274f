//! `iki-kiosk`: the kiosk program. Today it runs the terminal demo of the kiosk services;
//! the Slint touch UI replaces the screens in issue 5.

mod demo;
mod embedded_hub;

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
    /// A morning at Gōnoura port on the demo island: taps on the simulated reader, a
    /// registration, a guest, a redemption with PIN, votes and rides, each recorded durably
    /// in a real kiosk store, with receipts written as PNG pictures.
    Demo {
        /// Where the demo's kiosk database is written (recreated at each run).
        #[arg(long, default_value = "demo-output")]
        data_dir: PathBuf,
        /// Screen language: ja (default) or en.
        #[arg(long, default_value = "ja")]
        lang: String,
        /// The folder with the kiosk's sounds (missing files fall back to synthesised cues).
        #[arg(long, default_value = "assets")]
        assets: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Demo { data_dir, lang, assets } => demo::run(&data_dir, &assets, demo::Lang::parse(&lang)?),
    }
}
