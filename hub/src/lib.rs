//! The hub: the island's central HTTP server. Kiosks enrol and sync through it; hall staff
//! work through its staff API. It is the authority for balances, ballots, stock and rides.
//!
//! Handlers know HTTP and the [`HubStore`] trait, never SQL; storage calls run on the
//! blocking pool so a slow disk never stalls the async threads.

mod api;
mod auth;
mod error;
pub mod reports;
pub mod tls;

use std::future::Future;
use std::sync::Arc;

use iki_core::Timestamp;
use iki_hub_store::HubStore;

pub use api::{OPENAPI, route_table, router};
pub use auth::{hash_password, new_enrolment_code, new_secret, secret_hash};
pub use error::ApiFailure;

/// What every handler shares.
#[derive(Clone)]
pub struct Hub {
    pub store: Arc<dyn HubStore>,
}

impl Hub {
    pub fn new(store: Arc<dyn HubStore>) -> Self {
        Self { store }
    }

    pub fn now(&self) -> Timestamp {
        wall_clock()
    }

    /// Runs a storage call on the blocking pool.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn HubStore) -> iki_hub_store::Result<T> + Send + 'static,
    ) -> Result<T, ApiFailure> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .map_err(|e| ApiFailure::internal(format!("storage task failed: {e}")))?
            .map_err(ApiFailure::from)
    }
}

/// Serves the hub on `listener` until `shutdown` completes; requests in flight finish first.
pub async fn serve(listener: tokio::net::TcpListener, hub: Hub, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
    axum::serve(listener, router(hub)).with_graceful_shutdown(shutdown).await
}

/// Serves the hub over TLS (see [`tls::server_config`]).
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    config: Arc<rustls::ServerConfig>,
    hub: Hub,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(tls::TlsListener::new(listener, config)?, router(hub)).with_graceful_shutdown(shutdown).await
}

/// The real time, which the hub goes by.
fn wall_clock() -> Timestamp {
    Timestamp(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64))
}

/// The demo island as the hub's directory. Its dialogue themes close 14 to 60 days after
/// the demo morning, but a hub judges "after close" by its own, real clock: so each closes
/// no sooner than 60 days from now, and ballots cast in a demo are never late.
pub fn demo_directory() -> iki_hub_store::Directory {
    let mut island = iki_demo_data::island(iki_demo_data::demo_morning());
    let soonest = wall_clock().plus_days(60);
    for theme in &mut island.themes {
        theme.closes_at = theme.closes_at.max(soonest);
    }
    let revoked_cards = island.citizens.iter().flat_map(|c| c.revoked.clone()).collect();
    iki_hub_store::Directory {
        places: island.places,
        kiosks: island.kiosks,
        stops: island.stops,
        items: island.items,
        themes: island.themes,
        citizens: island
            .citizens
            .into_iter()
            .map(|c| (c.citizen, c.cards.into_iter().chain(c.revoked.iter().map(|(r, _)| *r)).collect(), c.pin_hash))
            .collect(),
        revoked_cards,
    }
}
