//! The kiosk's sync client: pushes the outbox in sequence order and pulls the change feed,
//! over HTTP with reqwest. Everything it does to the store is transactional, so stopping
//! it at any moment loses nothing and a restart resumes where it stopped.

use std::time::Duration;

use iki_core::Timestamp;
use iki_store::{Store, StoreError, Tx};

use crate::protocol::{Change, EnrolRequest, EnrolResponse, Outcome, PullResponse, PushRequest, PushResponse};

/// Events per push.
pub const PUSH_BATCH: usize = 500;
/// Changes per pull page.
pub const PULL_PAGE: usize = 5_000;
const CURSOR_KEY: &str = "pull_cursor";

/// Why a sync step failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("The island's server cannot be reached ({0}); the kiosk keeps working and will try again.")]
    Unreachable(String),
    #[error("The island's server refused this kiosk ({0}). Staff need to enrol it again.")]
    Refused(String),
    #[error("The island's server answered something unexpected: {0}")]
    Protocol(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Whether trying again later can help (the network, the server) — unlike a revoked kiosk.
    pub fn is_retryable(&self) -> bool {
        matches!(self, SyncError::Unreachable(_) | SyncError::Store(StoreError::Busy))
    }
}

/// What one push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReport {
    pub sent: usize,
    pub accepted: usize,
    pub duplicates: usize,
    pub flagged: usize,
    pub rejected: usize,
    pub server_time: Option<Timestamp>,
}

/// What one pull did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullReport {
    pub applied: usize,
    pub revocations: usize,
    pub cursor: u64,
    /// Events put back in the outbox because the hub no longer held them (a restored hub).
    pub requeued: u64,
}

/// A kiosk's connection to the hub.
pub struct SyncClient {
    base: String,
    credential: String,
    http: reqwest::blocking::Client,
}

/// An HTTP client for talking to the hub: plain HTTP, or HTTPS trusting the certificates
/// in `ca` (a PEM file: the hub's own certificate or the CA that signed it). TLS is rustls
/// with the ring provider, configured here so no process-wide default is needed.
pub fn http_client(ca: Option<&std::path::Path>) -> Result<reqwest::blocking::Client, SyncError> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    if let Some(path) = ca {
        let certs = CertificateDer::pem_file_iter(path)
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|e| SyncError::Protocol(format!("the hub's certificate {} could not be read: {e}", path.display())))?;
        for cert in certs {
            roots.add(cert).map_err(|e| SyncError::Protocol(format!("the hub's certificate is not usable: {e}")))?;
        }
    }
    let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| SyncError::Protocol(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::blocking::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| SyncError::Protocol(format!("the HTTP client could not be built: {e}")))
}

/// Why a typed hub address cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubAddressError {
    #[error("no address was given")]
    Empty,
    #[error("{0:?} is not a web address such as https://hub.iki.example")]
    Invalid(String),
}

/// The hub's address as staff typed it, made canonical: `https://` is assumed when no
/// scheme is given, only `http` and `https` are accepted, and a trailing `/` is dropped.
/// A path is kept (a hub behind a reverse proxy); a query, fragment or password is not.
pub fn hub_address(typed: &str) -> Result<String, HubAddressError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(HubAddressError::Empty);
    }
    let invalid = || HubAddressError::Invalid(typed.to_owned());
    let with_scheme = if typed.contains("://") { typed.to_owned() } else { format!("https://{typed}") };
    let url = reqwest::Url::parse(&with_scheme).map_err(|_| invalid())?;
    let plain = url.query().is_none() && url.fragment().is_none() && url.username().is_empty() && url.password().is_none();
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) || !plain {
        return Err(invalid());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn default_client() -> reqwest::blocking::Client {
    http_client(None).expect("a client without extra certificates always builds")
}

fn unreachable(e: reqwest::Error) -> SyncError {
    SyncError::Unreachable(e.to_string())
}

/// Turns an HTTP answer into the body, or the error it stands for.
fn answer<T: serde::de::DeserializeOwned>(response: reqwest::blocking::Response) -> Result<T, SyncError> {
    let status = response.status();
    if status.is_success() {
        return response.json().map_err(|e| SyncError::Protocol(e.to_string()));
    }
    let message = response
        .json::<crate::protocol::ApiError>()
        .map(|e| e.message)
        .unwrap_or_else(|_| status.canonical_reason().unwrap_or("error").to_owned());
    Err(match status.as_u16() {
        401 | 403 => SyncError::Refused(message),
        500..=599 | 408 | 429 => SyncError::Unreachable(format!("{status}: {message}")),
        _ => SyncError::Protocol(format!("{status}: {message}")),
    })
}

impl SyncClient {
    /// Exchanges a one-time enrolment code for this kiosk's identity and credential, and
    /// makes `store` that kiosk's store.
    pub fn enrol(base: &str, code: &str, store: &mut Store) -> Result<Self, SyncError> {
        Self::enrol_with(default_client(), base, code, store)
    }

    /// [`enrol`](Self::enrol) with a particular HTTP client (e.g. one trusting the hub's certificate).
    pub fn enrol_with(http: reqwest::blocking::Client, base: &str, code: &str, store: &mut Store) -> Result<Self, SyncError> {
        let base = base.trim_end_matches('/').to_owned();
        let response = http.post(format!("{base}/v1/enrol")).json(&EnrolRequest { code: code.to_owned() }).send().map_err(unreachable)?;
        let enrolled: EnrolResponse = answer(response)?;
        store.transact(|tx| {
            tx.put_place(&enrolled.place)?;
            tx.put_kiosk(&enrolled.kiosk)?;
            tx.set_identity(enrolled.kiosk.id)?;
            tx.set_sync_value("hub_url", &base)?;
            tx.set_sync_value("credential", &enrolled.credential)?;
            Ok::<_, StoreError>(())
        })?;
        Ok(Self { base, credential: enrolled.credential, http })
    }

    /// The client of an enrolled store (`None` if it was never enrolled); `ca` is the hub's
    /// certificate when it serves HTTPS with its own.
    pub fn from_store(store: &mut Store, ca: Option<&std::path::Path>) -> Result<Option<Self>, SyncError> {
        let (base, credential) = store.read(|tx| Ok::<_, StoreError>((tx.sync_value("hub_url")?, tx.sync_value("credential")?)))?;
        let http = http_client(ca)?;
        Ok(base.zip(credential).map(|(base, credential)| Self { base, credential, http }))
    }

    pub fn new(base: &str, credential: &str) -> Self {
        Self::with_client(base, credential, default_client())
    }

    /// A client with a particular HTTP client (e.g. one trusting the hub's certificate).
    pub fn with_client(base: &str, credential: &str, http: reqwest::blocking::Client) -> Self {
        Self { base: base.trim_end_matches('/').to_owned(), credential: credential.to_owned(), http }
    }

    /// Sends the outbox in sequence order, batch by batch, until it is empty. Each batch's
    /// results are recorded in one transaction; a batch whose answer was lost is simply
    /// sent again (the hub answers `Duplicate`).
    pub fn push(&self, store: &mut Store) -> Result<PushReport, SyncError> {
        let mut report = PushReport::default();
        loop {
            let events = store.outbox_batch(0, PUSH_BATCH)?;
            if events.is_empty() {
                return Ok(report);
            }
            let response = self
                .http
                .post(format!("{}/v1/sync/push", self.base))
                .bearer_auth(&self.credential)
                .json(&PushRequest { events: events.clone() })
                .send()
                .map_err(unreachable)?;
            let answer: PushResponse = answer(response)?;
            if answer.results.len() != events.len() || answer.results.iter().zip(&events).any(|(r, e)| r.seq != e.seq) {
                return Err(SyncError::Protocol("the push results do not match the events sent".into()));
            }
            report.sent += events.len();
            report.server_time = Some(answer.server_time);
            store.transact(|tx| {
                for r in &answer.results {
                    match &r.outcome {
                        Outcome::Accepted => report.accepted += 1,
                        Outcome::Duplicate => report.duplicates += 1,
                        Outcome::Flagged { .. } => report.flagged += 1,
                        Outcome::Rejected { reason } => {
                            report.rejected += 1;
                            tx.reject(r.seq, reason, answer.server_time)?;
                            continue;
                        }
                    }
                    tx.acknowledge(&[r.seq])?;
                }
                Ok::<_, StoreError>(())
            })?;
        }
    }

    /// Tells the hub how this kiosk is (devices, outbox, sync), for the staff's kiosk list.
    pub fn report_health(&self, report: &crate::protocol::KioskHealth) -> Result<(), SyncError> {
        let response = self
            .http
            .post(format!("{}/v1/kiosk/health", self.base))
            .bearer_auth(&self.credential)
            .json(report)
            .send()
            .map_err(unreachable)?;
        if response.status().is_success() {
            Ok(())
        } else {
            // Not a success: `answer` turns the status and message into the error.
            answer::<serde::de::IgnoredAny>(response).map(|_| ())
        }
    }

    /// Pulls the change feed from where it stopped until it is caught up; `progress` hears
    /// (changes applied so far, changes remaining) after every page.
    pub fn pull(&self, store: &mut Store, mut progress: impl FnMut(usize, u64)) -> Result<PullReport, SyncError> {
        let mut report = PullReport::default();
        let mut cursor: u64 = store.read(|tx| tx.sync_value(CURSOR_KEY))?.and_then(|c| c.parse().ok()).unwrap_or(0);
        loop {
            let response = self
                .http
                .get(format!("{}/v1/sync/pull?cursor={cursor}&limit={PULL_PAGE}", self.base))
                .bearer_auth(&self.credential)
                .send()
                .map_err(unreachable)?;
            let page: PullResponse = answer(response)?;
            let requeued = store.transact(|tx| {
                // Revocations first (the card must stop at once), and again after the page
                // in case the page issued a card that is already revoked.
                for change in page.revocations.iter().chain(&page.changes).chain(&page.revocations) {
                    apply(tx, change)?;
                }
                tx.set_sync_value(CURSOR_KEY, &page.cursor.to_string())?;
                page.held_through.map_or(Ok(0), |held| tx.requeue_after(held))
            })?;
            if requeued > 0 {
                tracing::warn!(requeued, held_through = page.held_through, "the hub lacks events it had acknowledged (restored from a backup?); sending them again");
            }
            report.requeued += requeued;
            report.applied += page.changes.len();
            report.revocations = page.revocations.len();
            report.cursor = page.cursor;
            progress(report.applied, page.remaining);
            if page.remaining == 0 || page.cursor == cursor {
                return Ok(report);
            }
            cursor = page.cursor;
        }
    }
}

/// Mirrors one change of the hub's directory into the kiosk store.
fn apply(tx: &mut Tx<'_>, change: &Change) -> Result<(), StoreError> {
    match change {
        Change::Place { place } => tx.put_place(place),
        Change::Kiosk { kiosk } => tx.put_kiosk(kiosk),
        Change::Stop { stop } => tx.put_stop(stop),
        Change::Item { item } => tx.put_item(item),
        Change::Theme { theme } => tx.put_theme(theme),
        Change::Citizen { citizen, pin_hash } => tx.put_citizen(citizen, pin_hash.as_deref()),
        Change::CardIssued { card, citizen, at } => tx.mirror_card(card, *citizen, *at),
        Change::CardRevoked { card, at, replaced_by } => tx.revoke_card(card, *at, replaced_by.as_ref()).map(|_| ()),
        Change::PortArrival { citizen, at } => tx.mark_port_arrival(*citizen, *at),
        Change::Ride { ride, status, vehicle, eta } => tx.update_ride_from_hub(*ride, *status, vehicle.as_deref(), *eta),
        Change::Wallet { citizen, wallet, marks } => {
            let me = tx.identity()?.kiosk.id;
            let mark = marks.iter().find(|(k, _)| *k == me).map_or(0, |(_, m)| *m);
            tx.put_hub_wallet(*citizen, wallet, mark)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_hub_address_is_made_canonical_or_refused() {
        assert_eq!(hub_address(" hub.iki.example ").unwrap(), "https://hub.iki.example");
        assert_eq!(hub_address("http://192.168.10.5:8443/").unwrap(), "http://192.168.10.5:8443");
        assert_eq!(hub_address("https://city.iki.example/hub/").unwrap(), "https://city.iki.example/hub");
        assert_eq!(hub_address("HTTPS://Hub.Iki.Example").unwrap(), "https://hub.iki.example");
        assert_eq!(hub_address("   "), Err(HubAddressError::Empty));
        for bad in ["ftp://hub.iki.example", "https://", "hub iki", "https://hub.iki.example/?a=1", "https://u:p@hub.iki.example", "http://:80"] {
            assert!(matches!(hub_address(bad), Err(HubAddressError::Invalid(_))), "{bad} is refused");
        }
    }
}
