//! The admin desktop's client of the hub's staff API: sign in, then every desk — citizens,
//! catalogue, themes, rides, places and kiosks, reports and open data, coupons, audit.
//! Every failure is a [`StaffError`] whose message tells hall staff what to do; none of
//! them is a panic or a raw HTTP status.

use std::cell::RefCell;

use iki_core::{CardUid, CatalogueItem, CitizenId, KioskId, LocalDay, Place, PlaceId, RideId, Stop, Theme, ThemeId};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::http_client;
use crate::protocol::ApiError;
use crate::staff::{
    Adjustment, AuditEntry, Balance, CardRequest, CitizenCreated, CitizenEdit, CitizenFile, CitizenHit, CouponCheck, CouponRequest,
    DispatchRide, Engagement, EnrolmentCode, EnrolmentCodeRequest, FlagRecord, GrowthPoint, KioskStatus, Lockout, LoginRequest, LoginResponse,
    NewCitizen, PaperBallot, PinRequest, Progress, RegionCount, RevokeCardRequest, RideUpdate, Role, ThemeResults, VisitCount,
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

thread_local! {
    static REQUEST_KEY: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f` with every staff write it makes carrying idempotency key `key`: the hub applies
/// a write once per key and answers a repeat with the first answer. One key per action that
/// staff take; the same key when they send that action again after an answer was lost.
pub fn idempotently<R>(key: Option<&str>, f: impl FnOnce() -> R) -> R {
    let previous = REQUEST_KEY.with(|k| k.replace(key.map(str::to_owned)));
    let out = f();
    REQUEST_KEY.with(|k| *k.borrow_mut() = previous);
    out
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

    /// Changes the given fields of a citizen's record.
    pub fn edit_citizen(&self, citizen: CitizenId, edit: &CitizenEdit) -> Result<(), StaffError> {
        self.post_empty(&format!("/v1/staff/citizens/{citizen}"), edit)
    }

    /// Checks a coupon code from a receipt; a valid one is marked used.
    pub fn verify_coupon(&self, code: &str) -> Result<CouponCheck, StaffError> {
        self.post("/v1/staff/coupons/verify", &CouponRequest { code: code.to_owned() })
    }

    /// The dispatch board: rides still to run, or with `all`, every ride.
    pub fn rides(&self, all: bool) -> Result<Vec<DispatchRide>, StaffError> {
        self.get("/v1/staff/rides", if all { &[("all", "true")] } else { &[] })
    }

    pub fn update_ride(&self, ride: RideId, update: &RideUpdate) -> Result<DispatchRide, StaffError> {
        self.post(&format!("/v1/staff/rides/{ride}"), update)
    }

    /// Check-ins per place, day and kind of visitor, both days included.
    pub fn visits(&self, from: LocalDay, to: LocalDay) -> Result<Vec<VisitCount>, StaffError> {
        self.get("/v1/staff/reports/visits", &[("from", &from.to_string()), ("to", &to.to_string())])
    }

    /// Check-ins per home region and kind of visitor, both days included.
    pub fn regions(&self, from: LocalDay, to: LocalDay) -> Result<Vec<RegionCount>, StaffError> {
        self.get("/v1/staff/reports/regions", &[("from", &from.to_string()), ("to", &to.to_string())])
    }

    pub fn progress(&self) -> Result<Progress, StaffError> {
        self.get("/v1/staff/reports/progress", &[])
    }

    pub fn growth(&self) -> Result<Vec<GrowthPoint>, StaffError> {
        self.get("/v1/staff/reports/growth", &[])
    }

    pub fn engagement(&self) -> Result<Engagement, StaffError> {
        self.get("/v1/staff/reports/engagement", &[])
    }

    /// The open-data CSV (aggregated; small cells suppressed by the hub), written to `out`
    /// as it arrives, with `progress(bytes so far, total if the hub said)`.
    pub fn open_data_visits(
        &self,
        from: LocalDay,
        to: LocalDay,
        out: &mut dyn std::io::Write,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<u64, StaffError> {
        use std::io::Read;
        let url = self.query_url("/v1/staff/open-data/visits.csv", &[("from", &from.to_string()), ("to", &to.to_string())])?;
        let mut response = self.http.get(url).bearer_auth(self.token()?).send().map_err(|e| StaffError::Unreachable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(failure(response, false));
        }
        let total = response.content_length();
        let (mut buf, mut done) = (vec![0u8; 64 * 1024], 0u64);
        loop {
            let n = response.read(&mut buf).map_err(|e| StaffError::Unreachable(e.to_string()))?;
            if n == 0 {
                return Ok(done);
            }
            out.write_all(&buf[..n]).map_err(|e| StaffError::Server(format!("the file could not be written: {e}")))?;
            done += n as u64;
            progress(done, total);
        }
    }

    pub fn kiosks(&self) -> Result<Vec<KioskStatus>, StaffError> {
        self.get("/v1/staff/kiosks", &[])
    }

    pub fn places(&self) -> Result<Vec<Place>, StaffError> {
        self.get("/v1/staff/places", &[])
    }

    /// Adds or changes a place (managers only).
    pub fn put_place(&self, place: &Place) -> Result<(), StaffError> {
        self.post_empty("/v1/staff/places", place)
    }

    pub fn stops(&self) -> Result<Vec<Stop>, StaffError> {
        self.get("/v1/staff/stops", &[])
    }

    /// A one-time code for enrolling a new kiosk at `place`.
    pub fn enrolment_code(&self, place: PlaceId, kiosk_code: &str) -> Result<EnrolmentCode, StaffError> {
        self.post("/v1/staff/enrolment-codes", &EnrolmentCodeRequest { place, kiosk_code: kiosk_code.to_owned() })
    }

    /// Stops a kiosk's credential: its next sync is refused.
    pub fn revoke_kiosk(&self, kiosk: KioskId) -> Result<(), StaffError> {
        self.post_empty(&format!("/v1/staff/kiosks/{kiosk}/revoke"), &())
    }

    pub fn items(&self) -> Result<Vec<CatalogueItem>, StaffError> {
        self.get("/v1/staff/catalogue", &[])
    }

    pub fn put_item(&self, item: &CatalogueItem) -> Result<(), StaffError> {
        self.post_empty("/v1/staff/catalogue", item)
    }

    pub fn themes(&self) -> Result<Vec<Theme>, StaffError> {
        self.get("/v1/staff/themes", &[])
    }

    pub fn put_theme(&self, theme: &Theme) -> Result<(), StaffError> {
        self.post_empty("/v1/staff/themes", theme)
    }

    pub fn close_theme(&self, theme: ThemeId) -> Result<(), StaffError> {
        self.post_empty(&format!("/v1/staff/themes/{theme}/close"), &())
    }

    pub fn theme_results(&self, theme: ThemeId) -> Result<ThemeResults, StaffError> {
        self.get(&format!("/v1/staff/themes/{theme}/results"), &[])
    }

    /// Records a paper ballot cast at an in-hall session (origin `staff`).
    pub fn paper_ballot(&self, theme: ThemeId, ballot: &PaperBallot) -> Result<(), StaffError> {
        self.post_empty(&format!("/v1/staff/themes/{theme}/ballots"), ballot)
    }

    pub fn flags(&self) -> Result<Vec<FlagRecord>, StaffError> {
        self.get("/v1/staff/flags", &[])
    }

    /// Cards locked at kiosks by wrong PINs in the last day.
    pub fn lockouts(&self) -> Result<Vec<Lockout>, StaffError> {
        self.get("/v1/staff/lockouts", &[])
    }

    /// Every staff write, for managers.
    /// Up to `limit` audit entries older than entry `before` (the newest when `None`),
    /// newest first (managers only).
    pub fn audit(&self, before: Option<u64>, limit: usize) -> Result<Vec<AuditEntry>, StaffError> {
        let (before, limit) = (before.map(|b| b.to_string()), limit.to_string());
        let mut query = vec![("limit", limit.as_str())];
        if let Some(before) = &before {
            query.push(("before", before.as_str()));
        }
        self.get("/v1/staff/audit", &query)
    }

    fn query_url(&self, path: &str, query: &[(&str, &str)]) -> Result<reqwest::Url, StaffError> {
        reqwest::Url::parse_with_params(&self.url(path), query).map_err(|e| StaffError::Server(format!("the hub's address is not usable: {e}")))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn token(&self) -> Result<&str, StaffError> {
        self.session.as_ref().map(|s| s.token.as_str()).ok_or(StaffError::SignedOut)
    }

    fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> Result<T, StaffError> {
        let url = self.query_url(path, query)?;
        answer(self.http.get(url).bearer_auth(self.token()?).send(), false)
    }

    /// A write, with this thread's idempotency key when one is set (see [`idempotently`]).
    fn write<B: Serialize>(&self, path: &str, body: &B) -> Result<reqwest::blocking::RequestBuilder, StaffError> {
        let request = self.http.post(self.url(path)).bearer_auth(self.token()?).json(body);
        Ok(match REQUEST_KEY.with(|k| k.borrow().clone()) {
            Some(key) => request.header("Idempotency-Key", key),
            None => request,
        })
    }

    fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T, StaffError> {
        answer(self.write(path, body)?.send(), false)
    }

    fn post_empty<B: Serialize>(&self, path: &str, body: &B) -> Result<(), StaffError> {
        let response = self.write(path, body)?.send();
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
