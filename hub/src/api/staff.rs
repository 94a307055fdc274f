//! Staff routes: sign-in (rate limited), kiosk enrolment codes and revocation, card
//! revocation, flags and the audit log. Every write is audited by the store.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use iki_core::secret::verify_secret;
use iki_core::{CardUid, KioskId};
use iki_hub_store::{AuditEntry, FlagRecord};
use iki_sync::staff::{EnrolmentCode, EnrolmentCodeRequest, LoginRequest, LoginResponse, RevokeCardRequest};

use crate::auth::{StaffCaller, new_enrolment_code, new_secret, secret_hash};
use crate::error::ApiJson;
use crate::{ApiFailure, Hub};

/// Wrong passwords in a row before sign-in pauses for that account.
pub const MAX_FAILED_LOGINS: u32 = 5;
pub const LOGIN_PAUSE_MINUTES: i64 = 15;
const SESSION_HOURS: i64 = 12;
const ENROLMENT_CODE_HOURS: i64 = 24;

pub async fn login(State(hub): State<Hub>, ApiJson(req): ApiJson<LoginRequest>) -> Result<Json<LoginResponse>, ApiFailure> {
    let wrong = || ApiFailure::unauthorized("The user name or password is not right.");
    let username = req.username.trim().to_owned();
    let account = hub.db(move |s| s.staff_by_username(&username)).await?;
    let Some(account) = account else {
        // Spend the same time as a real check, so names cannot be guessed by timing.
        let _ = tokio::task::spawn_blocking(move || verify_secret(&req.password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).await;
        return Err(wrong());
    };
    let now = hub.now();
    if account.failed_logins >= MAX_FAILED_LOGINS
        && account.last_failed_at.is_some_and(|t| now < t.plus_minutes(LOGIN_PAUSE_MINUTES))
    {
        return Err(ApiFailure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("Too many wrong passwords for this account. Please wait {LOGIN_PAUSE_MINUTES} minutes, or ask a manager."),
        ));
    }
    let hash = account.password_hash.clone();
    let ok = tokio::task::spawn_blocking(move || verify_secret(&req.password, &hash)).await.map_err(ApiFailure::internal)?;
    let id = account.id;
    hub.db(move |s| s.record_login(id, ok, now)).await?;
    if !ok {
        tracing::info!(staff = %id, "wrong password");
        return Err(wrong());
    }
    let token = new_secret();
    let token_hash = secret_hash(&token);
    let expires_at = now.plus_minutes(SESSION_HOURS * 60);
    hub.db(move |s| s.create_session(id, &token_hash, expires_at)).await?;
    Ok(Json(LoginResponse { token, role: account.role, expires_at }))
}

pub async fn create_enrolment_code(
    State(hub): State<Hub>,
    staff: StaffCaller,
    ApiJson(req): ApiJson<EnrolmentCodeRequest>,
) -> Result<Json<EnrolmentCode>, ApiFailure> {
    let kiosk_code = req.kiosk_code.trim().to_owned();
    if kiosk_code.is_empty() || kiosk_code.len() > 16 || !kiosk_code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ApiFailure::bad_request("A kiosk code is 1 to 16 letters and digits, e.g. GNR3."));
    }
    let code = new_enrolment_code();
    let (code_hash, now) = (secret_hash(&code), hub.now());
    let expires_at = now.plus_minutes(ENROLMENT_CODE_HOURS * 60);
    hub.db(move |s| s.create_enrolment(staff.id, &code_hash, req.place, &kiosk_code, expires_at, now)).await?;
    Ok(Json(EnrolmentCode { code, expires_at }))
}

pub async fn revoke_kiosk(State(hub): State<Hub>, staff: StaffCaller, Path(kiosk): Path<KioskId>) -> Result<StatusCode, ApiFailure> {
    let now = hub.now();
    if hub.db(move |s| s.revoke_kiosk(staff.id, kiosk, now)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiFailure::not_found("No active kiosk has that id."))
    }
}

pub async fn revoke_card(
    State(hub): State<Hub>,
    staff: StaffCaller,
    Path(card): Path<String>,
    body: Option<Json<RevokeCardRequest>>,
) -> Result<StatusCode, ApiFailure> {
    let card = CardUid::parse(&card).map_err(|e| ApiFailure::bad_request(e.to_string()))?;
    let replaced_by = body.and_then(|Json(b)| b.replaced_by);
    let now = hub.now();
    if hub.db(move |s| s.revoke_card(staff.id, &card, replaced_by.as_ref(), now)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiFailure::not_found("No active card has that number."))
    }
}

pub async fn flags(State(hub): State<Hub>, _staff: StaffCaller) -> Result<Json<Vec<FlagRecord>>, ApiFailure> {
    Ok(Json(hub.db(|s| s.flags()).await?))
}

/// `?limit=N[&before=ID]`: a page, newest first, of the entries before entry ID. Without
/// `limit`: the whole log, oldest first, as v1 first served it.
#[derive(serde::Deserialize)]
pub struct AuditQuery {
    before: Option<u64>,
    limit: Option<usize>,
}

/// The most entries one page carries.
const AUDIT_PAGE_MAX: usize = 500;

pub async fn audit(State(hub): State<Hub>, staff: StaffCaller, Query(q): Query<AuditQuery>) -> Result<Json<Vec<AuditEntry>>, ApiFailure> {
    staff.require_manager()?;
    Ok(Json(match q.limit {
        Some(limit) => hub.db(move |s| s.audit_page(q.before, limit.clamp(1, AUDIT_PAGE_MAX))).await?,
        None => hub.db(|s| s.audit_log()).await?,
    }))
}
