//! Who is calling: kiosks by their enrolment credential, staff by a session token. Both
//! are random secrets stored only as SHA-256 hashes; staff passwords as argon2id.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use iki_core::secret::{SALT_LEN, hash_secret};
use iki_core::{Kiosk, StaffId};
use iki_hub_store::Role;
use sha2::{Digest, Sha256};

use crate::{ApiFailure, Hub};

/// A fresh random secret (32 bytes, hex).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A one-time kiosk enrolment code, short enough to type on a kiosk's keyboard:
/// 12 hexadecimal characters in groups of four (`3F9A-07C2-B1DE`), 48 random bits, valid
/// once and for a day.
pub fn new_enrolment_code() -> String {
    let secret = new_secret();
    format!("{}-{}-{}", &secret[0..4], &secret[4..8], &secret[8..12]).to_uppercase()
}

/// The SHA-256 hash under which a high-entropy secret (credential, token, code) is stored.
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// An argon2id hash of a staff password with a fresh salt.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).expect("the operating system's random source failed");
    hash_secret(password, &salt)
}

fn bearer(parts: &Parts) -> Result<&str, ApiFailure> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiFailure::unauthorized("Sign in first: this request carries no credential."))
}

/// An enrolled, not revoked kiosk.
pub struct KioskCaller(pub Kiosk);

impl FromRequestParts<Hub> for KioskCaller {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, hub: &Hub) -> Result<Self, ApiFailure> {
        let hash = secret_hash(bearer(parts)?);
        let account = hub
            .db(move |s| s.kiosk_by_credential(&hash))
            .await?
            .ok_or_else(|| ApiFailure::unauthorized("This kiosk's credential is not known. Enrol the kiosk with a code from staff."))?;
        if account.revoked {
            return Err(ApiFailure::forbidden("This kiosk has been revoked. Ask staff for a new enrolment code."));
        }
        let (id, now) = (account.kiosk.id, hub.now());
        hub.db(move |s| s.touch_kiosk(id, now)).await?;
        Ok(Self(account.kiosk))
    }
}

/// A signed-in member of staff. Once found for a request it rides along in the request's
/// extensions, so a second extraction (a middleware, then the handler) asks no one.
#[derive(Clone)]
pub struct StaffCaller {
    pub id: StaffId,
    pub role: Role,
}

impl FromRequestParts<Hub> for StaffCaller {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, hub: &Hub) -> Result<Self, ApiFailure> {
        if let Some(known) = parts.extensions.get::<StaffCaller>() {
            return Ok(known.clone());
        }
        let hash = secret_hash(bearer(parts)?);
        let now = hub.now();
        let (id, role) = hub
            .db(move |s| s.session(&hash, now))
            .await?
            .ok_or_else(|| ApiFailure::unauthorized("Your session has ended or is not valid. Please sign in again."))?;
        let caller = Self { id, role };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

impl StaffCaller {
    pub fn require_manager(&self) -> Result<(), ApiFailure> {
        if self.role == Role::Manager { Ok(()) } else { Err(ApiFailure::forbidden("Only a manager can do this.")) }
    }
}
