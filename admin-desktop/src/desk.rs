//! What the admin desktop does for hall staff, without any window: sign in, find citizens,
//! open a citizen's file, adjust points. Each operation returns either its result or a
//! [`Problem`] the screen can put into words (by its `code`) and knows whether to retry.
//! The Tauri commands are one-line wrappers over this; the tests call it directly.

use std::sync::Mutex;

use iki_core::CitizenId;
use iki_sync::staff::CitizenFile;
use iki_sync::staff_client::{StaffClient, StaffError};
use serde::Serialize;

/// Why something did not happen, for the screen: a stable `code` the frontend translates,
/// the hub's own words in `message`, and whether the same request may work later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: String,
    pub message: String,
    pub retryable: bool,
}

impl Problem {
    fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into(), retryable: false }
    }
}

impl From<StaffError> for Problem {
    fn from(e: StaffError) -> Self {
        let code = match &e {
            StaffError::Unreachable(_) => "unreachable",
            StaffError::WrongPassword => "wrong_password",
            StaffError::TooManyAttempts(_) => "too_many_attempts",
            StaffError::SignedOut => "signed_out",
            StaffError::NotAllowed(_) => "not_allowed",
            StaffError::NotFound(_) => "not_found",
            StaffError::Refused { code, .. } => code.as_str(),
            StaffError::Server(_) => "server",
        };
        Problem { code: code.to_owned(), message: e.to_string(), retryable: e.is_retryable() }
    }
}

/// Who signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedIn {
    pub username: String,
    /// `staff` or `manager`: what the screens offer.
    pub role: String,
}

/// One row of the citizen search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitizenRow {
    pub id: String,
    pub nickname: String,
    /// `resident` or `e_citizen`.
    pub kind: String,
    pub home_region: String,
    /// Cards in use (stopped ones are in the file).
    pub cards: Vec<String>,
    pub balance: i64,
}

/// The desk's connection to the hub, shared by every window command.
pub struct Desk {
    client: Mutex<StaffClient>,
    username: Mutex<Option<String>>,
}

impl Desk {
    /// A desk talking to the hub at `hub_url`, trusting the PEM certificate `ca` if given.
    pub fn new(hub_url: &str, ca: Option<&std::path::Path>) -> Result<Self, Problem> {
        Ok(Self { client: Mutex::new(StaffClient::new(hub_url, ca)?), username: Mutex::new(None) })
    }

    fn client(&self) -> std::sync::MutexGuard<'_, StaffClient> {
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn sign_in(&self, username: &str, password: &str) -> Result<SignedIn, Problem> {
        let username = username.trim();
        if username.is_empty() || password.is_empty() {
            return Err(Problem::new("missing_credentials", "Please enter your user name and password."));
        }
        let role = self.client().login(username, password)?;
        *self.username.lock().unwrap_or_else(|p| p.into_inner()) = Some(username.to_owned());
        Ok(SignedIn { username: username.to_owned(), role: role.as_str().to_owned() })
    }

    pub fn sign_out(&self) {
        self.client().sign_out();
        *self.username.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Who is signed in, if anyone.
    pub fn who(&self) -> Option<SignedIn> {
        let role = self.client().role()?;
        let username = self.username.lock().unwrap_or_else(|p| p.into_inner()).clone()?;
        Some(SignedIn { username, role: role.as_str().to_owned() })
    }

    /// By the beginning of a nickname, a citizen number, or a card number.
    pub fn search(&self, query: &str) -> Result<Vec<CitizenRow>, Problem> {
        let hits = self.client().search_citizens(query.trim())?;
        Ok(hits
            .into_iter()
            .map(|h| CitizenRow {
                id: h.citizen.id.to_string(),
                nickname: h.citizen.nickname.to_string(),
                kind: kind(h.citizen.kind).to_owned(),
                home_region: h.citizen.home_region.as_str().to_owned(),
                cards: h.cards.iter().filter(|c| c.revoked_at.is_none()).map(|c| c.uid.to_string()).collect(),
                balance: h.balance.value(),
            })
            .collect())
    }

    pub fn citizen(&self, id: &str) -> Result<CitizenFile, Problem> {
        let id: CitizenId = id.trim().parse().map_err(|_| Problem::new("bad_citizen_id", "That is not a citizen number."))?;
        Ok(self.client().citizen(id)?)
    }

    /// Adds or removes points with a reason (kept in the hub's audit log); returns the balance.
    pub fn adjust_points(&self, id: &str, amount: i64, reason: &str) -> Result<i64, Problem> {
        let id: CitizenId = id.trim().parse().map_err(|_| Problem::new("bad_citizen_id", "That is not a citizen number."))?;
        Ok(self.client().adjust_points(id, amount, reason)?.balance.value())
    }
}

fn kind(k: iki_core::CitizenKind) -> &'static str {
    match k {
        iki_core::CitizenKind::Resident => "resident",
        iki_core::CitizenKind::ECitizen => "e_citizen",
    }
}
