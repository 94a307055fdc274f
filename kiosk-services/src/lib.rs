//! Kiosk services: what a kiosk does when a person taps, chooses and confirms — with no UI.
//!
//! Each service reads what it needs from the store, asks the core's rules, and records
//! the resulting event in one durable transaction before it returns. What it returns is
//! everything a screen and a receipt need. The kiosk UI and the tests call these; they
//! hold no SQL and no HTTP.

mod clock;
mod coupon;
mod outcomes;
pub mod receipts;
mod services;

pub use clock::{Clock, HubLink, ManualClock, RandomIds, SystemClock};
pub use outcomes::*;
pub use services::KioskServices;

use iki_core::RuleError;
use iki_store::StoreError;

/// Why a service did not do what was asked. A rule error means nothing was recorded
/// (except a wrong PIN, which is recorded so the lockout holds).
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    /// Stable key for translations and logs.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Rule(e) => e.code(),
            ServiceError::Store(StoreError::DiskFull) => "store.disk_full",
            ServiceError::Store(StoreError::Busy) => "store.busy",
            ServiceError::Store(StoreError::NotProvisioned) => "store.not_provisioned",
            ServiceError::Store(StoreError::SchemaTooNew { .. }) => "store.schema_too_new",
            ServiceError::Store(StoreError::Corrupt(_)) => "store.corrupt",
            ServiceError::Store(StoreError::CardTaken { .. }) => "store.card_taken",
            ServiceError::Store(StoreError::Sqlite(_)) => "store.failed",
        }
    }

    pub fn rule(&self) -> Option<&RuleError> {
        match self {
            ServiceError::Rule(e) => Some(e),
            ServiceError::Store(_) => None,
        }
    }
}
