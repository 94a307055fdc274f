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
