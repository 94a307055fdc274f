//! The admin desktop's client of the hub's staff API: sign in, then the citizen desk.
//! Every failure is a [`StaffError`] whose message tells hall staff what to do; none of
//! them is a panic or a raw HTTP status.

use iki_core::{CardUid, CitizenId};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::http_client;
use crate::protocol::ApiError;
use crate::staff::{
    Adjustment, Balance, CardRequest, CitizenCreated, CitizenFile, CitizenHit, LoginRequest, LoginResponse, NewCitizen,
    PinRequest, RevokeCardRequest, Role,
};

/// Why a staff request did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    #[error("The island's server cannot be reached ({0}). Your entry is kept; try again when the connection is back.")]
    Unreachable(String),
    #[error("The user name or password is not right.")]
    WrongPassword,
    #[error("{0}")]
    TooManyAttempts(String),
    #[error("Your session has ended. Please sign in again.")]
    SignedOut,
    #[error("{0}")]
    NotAllowed(String),
    #[error("{0}")]
    NotFound(String),
    /// The hub refused the request as it stands (`code` names the rule); the message says
    /// what to change.
    #[error("{message}")]
    Refused { code: String, message: String },
    #[error("The island's server had a problem ({0}). Please try again in a moment.")]
    Server(String),
}

impl StaffError {
    /// Whether the same request may succeed later unchanged (keep the edit and retry).
    pub fn is_retryable(&self) -> bool {
        matches!(self, StaffError::Unreachable(_) | StaffError::Server(_))
    }
}

/// A signed-in (or not yet signed-in) member of staff's connection to the hub.
pub struct StaffClient {
    base: String,
    http: reqwest::blocking::Client,
    session: Option<LoginResponse>,
}

impl StaffClient {
    /// A client of the hub at `base` (`https://hub.iki.example`), trusting the PEM
    /// certificate `ca` in addition to none (HTTP) — as the kiosk's client does.
    pub fn new(base: &str, ca: Option<&std::path::Path>) -> Result<Self, StaffError> {
        let http = http_client(ca).map_err(|e| StaffError::Server(e.to_string()))?;
        Ok(Self { base: base.trim_end_matches('/').to_owned(), http, session: None })
    }

    pub fn role(&self) -> Option<Role> {
        self.session.as_ref().map(|s| s.role)
    }

    pub fn signed_in(&self) -> bool {
        self.session.is_some()
    }

    pub fn sign_out(&mut self) {
        self.session = None;
    }

    pub fn login(&mut self, username: &str, password: &str) -> Result<Role, StaffError> {
        let request = self.http.post(self.url("/v1/staff/login")).json(&LoginRequest { username: username.to_owned(), password: password.to_owned() });
        let session: LoginResponse = answer(request.send(), true)?;
        let role = session.role;
        self.session = Some(session);
        Ok(role)
    }

    /// Citizens whose nickname begins with `query`, or the one with that id or card number.
    pub fn search_citizens(&self, query: &str) -> Result<Vec<CitizenHit>, StaffError> {
        self.get("/v1/staff/citizens", &[("q", query)])
    }

    pub fn citizen(&self, citizen: CitizenId) -> Result<CitizenFile, StaffError> {
        self.get(&format!("/v1/staff/citizens/{citizen}"), &[])
    }

    pub fn register_citizen(&self, new: &NewCitizen) -> Result<CitizenId, StaffError> {
        self.post::<_, CitizenCreated>("/v1/staff/citizens", new).map(|c| c.citizen)
    }

    /// Gives a citizen a card (tapped on the staff reader).
    pub fn issue_card(&self, citizen: CitizenId, card: &CardUid) -> Result<(), StaffError> {
        self.post_empty(&format!("/v1/staff/citizens/{citizen}/cards"), &CardRequest { card: *card })
    }

    /// Stops a lost card, optionally naming the card that replaces it.
    pub fn revoke_card(&self, card: &CardUid, replaced_by: Option<&CardUid>) -> Result<(), StaffError> {
        self.post_empty(&format!("/v1/staff/cards/{card}/revoke"), &RevokeCardRequest { replaced_by: replaced_by.copied() })
    }

    pub fn reset_pin(&self, citizen: CitizenId, pin: &str) -> Result<(), StaffError> {
        self.post_empty(&format!("/v1/staff/citizens/{citizen}/pin"), &PinRequest { pin: pin.to_owned() })
    }

    /// Adds (or with a negative amount, removes) points, with the reason the audit log keeps.
    pub fn adjust_points(&self, citizen: CitizenId, amount: i64, reason: &str) -> Result<Balance, StaffError> {
        self.post(&format!("/v1/staff/citizens/{citizen}/points"), &Adjustment { amount, reason: reason.to_owned() })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn token(&self) -> Result<&str, StaffError> {
        self.session.as_ref().map(|s| s.token.as_str()).ok_or(StaffError::SignedOut)
    }

    fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> Result<T, StaffError> {
        let url = reqwest::Url::parse_with_params(&self.url(path), query).map_err(|e| StaffError::Server(format!("the hub's address is not usable: {e}")))?;
        answer(self.http.get(url).bearer_auth(self.token()?).send(), false)
    }

    fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T, StaffError> {
        answer(self.http.post(self.url(path)).bearer_auth(self.token()?).json(body).send(), false)
    }

    fn post_empty<B: Serialize>(&self, path: &str, body: &B) -> Result<(), StaffError> {
        let response = self.http.post(self.url(path)).bearer_auth(self.token()?).json(body).send();
        let response = response.map_err(|e| StaffError::Unreachable(e.to_string()))?;
        if response.status().is_success() { Ok(()) } else { Err(failure(response, false)) }
    }
}

fn answer<T: DeserializeOwned>(response: reqwest::Result<reqwest::blocking::Response>, signing_in: bool) -> Result<T, StaffError> {
    let response = response.map_err(|e| StaffError::Unreachable(e.to_string()))?;
    if response.status().is_success() {
        return response.json().map_err(|e| StaffError::Server(format!("an answer that could not be read: {e}")));
    }
    Err(failure(response, signing_in))
}

fn failure(response: reqwest::blocking::Response, signing_in: bool) -> StaffError {
    let status = response.status();
    let (code, message) = match response.json::<ApiError>() {
        Ok(e) => (e.error, e.message),
        Err(_) => (String::new(), status.canonical_reason().unwrap_or("error").to_owned()),
    };
    match status.as_u16() {
        401 if signing_in => StaffError::WrongPassword,
        401 => StaffError::SignedOut,
        429 => StaffError::TooManyAttempts(message),
        403 => StaffError::NotAllowed(message),
        404 => StaffError::NotFound(message),
        500..=599 => StaffError::Server(format!("{status}: {message}")),
        _ => StaffError::Refused { code, message },
    }
}
