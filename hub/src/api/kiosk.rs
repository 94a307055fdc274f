//! Kiosk routes: enrolment with a one-time code, pushing the outbox, pulling the change feed.

use axum::Json;
use axum::extract::{Query, State};
use iki_core::KioskId;
use iki_sync::protocol::{EnrolRequest, EnrolResponse, PullResponse, PushRequest, PushResponse};
use serde::Deserialize;

use crate::auth::{KioskCaller, new_secret, secret_hash};
use crate::error::ApiJson;
use crate::{ApiFailure, Hub};

/// The most events one push may carry.
pub const MAX_BATCH: usize = 1_000;
/// The most changes one pull returns.
pub const MAX_PAGE: usize = 5_000;

pub async fn enrol(State(hub): State<Hub>, ApiJson(req): ApiJson<EnrolRequest>) -> Result<Json<EnrolResponse>, ApiFailure> {
    let code_hash = secret_hash(req.code.trim());
    let credential = new_secret();
    let credential_hash = secret_hash(&credential);
    let mut random = [0u8; 10];
    getrandom::fill(&mut random).map_err(ApiFailure::internal)?;
    let id = KioskId::from_uuid(iki_core::ids::uuid_v7(hub.now().0.max(0) as u64, random));
    let now = hub.now();
    let (kiosk, place) = hub
        .db(move |s| s.enrol(&code_hash, &credential_hash, id, now))
        .await?
        .ok_or_else(|| ApiFailure::forbidden("This enrolment code is not valid: it may be mistyped, used already, or expired. Ask staff for a new one."))?;
    tracing::info!(kiosk = %kiosk.id, code = %kiosk.code, "kiosk enrolled");
    Ok(Json(EnrolResponse { kiosk, place, credential }))
}

pub async fn push(State(hub): State<Hub>, KioskCaller(kiosk): KioskCaller, ApiJson(req): ApiJson<PushRequest>) -> Result<Json<PushResponse>, ApiFailure> {
    if req.events.len() > MAX_BATCH {
        return Err(ApiFailure::bad_request(format!("A push may carry at most {MAX_BATCH} events.")));
    }
    let now = hub.now();
    let id = kiosk.id;
    let results = hub.db(move |s| s.ingest(id, &req.events, now)).await?;
    Ok(Json(PushResponse { results, server_time: now }))
}

#[derive(Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    cursor: u64,
    limit: Option<usize>,
}

pub async fn pull(State(hub): State<Hub>, KioskCaller(kiosk): KioskCaller, Query(q): Query<PullQuery>) -> Result<Json<PullResponse>, ApiFailure> {
    let limit = q.limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE);
    let id = kiosk.id;
    let (page, held) = hub.db(move |s| Ok::<_, iki_hub_store::StoreError>((s.feed(q.cursor, limit)?, s.kiosk_high_seq(id)?))).await?;
    Ok(Json(PullResponse {
        revocations: page.revocations,
        changes: page.changes,
        cursor: page.cursor,
        remaining: page.remaining,
        server_time: hub.now(),
        held_through: Some(held),
    }))
}

/// What a kiosk reports about itself (devices, outbox, sync lag), shown on the staff's kiosk list.
pub async fn health(State(hub): State<Hub>, KioskCaller(kiosk): KioskCaller, ApiJson(report): ApiJson<serde_json::Value>) -> Result<axum::http::StatusCode, ApiFailure> {
    if report.to_string().len() > 16_384 {
        return Err(ApiFailure::bad_request("A health report is at most 16 KiB."));
    }
    let now = hub.now();
    hub.db(move |s| s.record_kiosk_health(kiosk.id, &report, now)).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
