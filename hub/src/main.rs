//! `iki-hub`: runs the hub, or adds a staff account to its database.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use iki_core::StaffId;
use iki_hub::{Hub, demo_directory, hash_password, serve};
use iki_hub_store::{HubStore, Role};
use iki_hub_store_sqlite::SqliteHubStore;

#[derive(Parser)]
#[command(version, about = "Iki Circle hub")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write this program's manual pages (one per command) into DIR, for the Debian packages.
    #[command(hide = true)]
    Man { dir: std::path::PathBuf },
    /// Serve the hub.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// The hub's SQLite database (created if missing).
        #[arg(long, default_value = "iki-hub.sqlite3")]
        database: PathBuf,
        /// Load the demo island's places, kiosks, catalogue, themes and citizens into a new
        /// (empty) database.
        #[arg(long)]
        demo: bool,
        /// Serve HTTPS with this PEM certificate chain (needs --tls-key).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The PEM private key of --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Copy the database, consistently, while the hub serves (for the backup timer).
    Backup {
        #[arg(long, default_value = "iki-hub.sqlite3")]
        database: PathBuf,
        /// A file, or a folder to put `iki-hub-YYYYMMDD-HHMMSS.sqlite3` in.
        #[arg(long)]
        to: PathBuf,
        /// With a folder: keep only this many of the newest backups in it.
        #[arg(long)]
        keep: Option<usize>,
    },
    /// Put a backup in place of the database (stop the hub first). The replaced database is
    /// kept beside it.
    Restore {
        #[arg(long)]
        from: PathBuf,
        #[arg(long, default_value = "iki-hub.sqlite3")]
        database: PathBuf,
    },
    /// Add a staff account; the password is read from the first line of standard input.
    CreateStaff {
        #[arg(long, default_value = "iki-hub.sqlite3")]
        database: PathBuf,
        #[arg(long)]
        username: String,
        /// staff or manager.
        #[arg(long, default_value = "staff")]
        role: String,
    },
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_writer(std::io::stderr).init();
    match Cli::parse().command {
        Command::Man { dir } => Ok(clap_mangen::generate_to(<Cli as clap::CommandFactory>::command(), dir)?),
        Command::Serve { listen, database, demo, tls_cert, tls_key } => {
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(iki_hub::tls::server_config(&cert, &key)?),
                _ => None,
            };
            let store = SqliteHubStore::open(&database).with_context(|| format!("opening {}", database.display()))?;
            if demo && store.is_empty()? {
                store.load_directory(&demo_directory()).context("loading the demo island")?;
            }
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
                tracing::info!("hub listening on {}", listener.local_addr()?);
                // Print the bound address for scripts and tests that ask for port 0.
                println!("listening on {}", listener.local_addr()?);
                let shutdown = async {
                    let _ = tokio::signal::ctrl_c().await;
                    tracing::info!("shutting down after the requests in flight");
                };
                let hub = Hub::new(Arc::new(store));
                match tls {
                    Some(config) => iki_hub::serve_tls(listener, config, hub, shutdown).await?,
                    None => serve(listener, hub, shutdown).await?,
                }
                anyhow::Ok(())
            })
        }
        Command::Backup { database, to, keep } => {
            anyhow::ensure!(database.exists(), "there is no hub database at {}", database.display());
            let store = SqliteHubStore::open_existing(&database)?;
            let file = if to.is_dir() { to.join(backup_name(std::time::SystemTime::now())) } else { to.clone() };
            store.backup_to(&file).with_context(|| format!("backing up to {}", file.display()))?;
            println!("backed up to {}", file.display());
            if let (Some(keep), true) = (keep, to.is_dir()) {
                for old in old_backups(&to, keep)? {
                    std::fs::remove_file(&old).with_context(|| format!("removing the old backup {}", old.display()))?;
                    println!("removed the old backup {}", old.display());
                }
            }
            Ok(())
        }
        Command::Restore { from, database } => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
            match SqliteHubStore::restore(&from, &database, now)? {
                Some(kept) => println!("restored {} to {}; the database it replaced is kept as {}", from.display(), database.display(), kept.display()),
                None => println!("restored {} to {}", from.display(), database.display()),
            }
            Ok(())
        }
        Command::CreateStaff { database, username, role } => {
            let role = Role::parse(&role).context("role must be staff or manager")?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            anyhow::ensure!(password.chars().count() >= 12, "a staff password needs at least 12 characters");
            let store = SqliteHubStore::open(&database)?;
            let mut random = [0u8; 10];
            getrandom::fill(&mut random)?;
            let id = StaffId::from_uuid(iki_core::ids::uuid_v7(
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as u64,
                random,
            ));
            store.create_staff(id, &username, &hash_password(password), role)?;
            println!("staff account {username} ({}) created", role.as_str());
            Ok(())
        }
    }
}

/// `iki-hub-20261204-183000.sqlite3`: Japan time, so names sort by time.
fn backup_name(at: std::time::SystemTime) -> String {
    let ms = at.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    let t = iki_core::Timestamp::from_unix_ms(ms);
    let minute = t.local_minute_of_day();
    let day = t.local_day().to_string().replace('-', "");
    format!("iki-hub-{day}-{:02}{:02}{:02}.sqlite3", minute / 60, minute % 60, ms / 1000 % 60)
}

/// The backups in `dir` beyond the newest `keep` (by name, which sorts by time).
fn old_backups(dir: &std::path::Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut backups: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("iki-hub-") && n.ends_with(".sqlite3")))
        .collect();
    backups.sort();
    let excess = backups.len().saturating_sub(keep.max(1));
    Ok(backups.into_iter().take(excess).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_names_sort_by_time() {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_376_607); // 2026-12-04 09:30:07 UTC
        assert_eq!(backup_name(at), "iki-hub-20261204-183007.sqlite3");
        assert_eq!(backup_name(std::time::UNIX_EPOCH), "iki-hub-19700101-090000.sqlite3");
    }
}
