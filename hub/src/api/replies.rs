//! Staff writes sent again are answered again, not applied again: a `POST` under
//! `/v1/staff/` carrying an `Idempotency-Key` header has its successful answer kept for a
//! day under (staff member, key), and the same key brings back that answer, marked with
//! `Idempotent-Replayed: true`. The admin desktop sends one key per action, and the same key
//! when staff press "send again" after an answer was lost.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use iki_hub_store::StaffReply;

use crate::Hub;
use crate::auth::StaffCaller;
use crate::error::ApiFailure;

/// The request header a client sets.
pub const KEY_HEADER: &str = "idempotency-key";
/// The answer's header when it is a kept one.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
/// Staff answers are small JSON; anything bigger is passed on without being kept.
const MAX_KEPT: usize = 256 * 1024;

pub async fn replay_or_run(State(hub): State<Hub>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if request.method() != Method::POST || !path.starts_with("/v1/staff/") || path == "/v1/staff/login" {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(KEY_HEADER).map(|v| v.to_str().map(str::to_owned)) else {
        return next.run(request).await;
    };
    let key = match key {
        Ok(key) if (8..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') => key,
        _ => return ApiFailure::bad_request("An Idempotency-Key is 8 to 100 letters, digits, '-' or '_'.").into_response(),
    };
    let (mut parts, body) = request.into_parts();
    // Who is asking decides whose answers are looked at; without a valid session the
    // route itself refuses, as it would without a key.
    let Ok(staff) = StaffCaller::from_request_parts(&mut parts, &hub).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let what = format!("POST {path}");
    let (by, lookup) = (staff.id, key.clone());
    match hub.db(move |s| s.staff_reply(by, &lookup)).await {
        Ok(Some(kept)) if kept.request == what => return replayed(kept),
        Ok(Some(_)) => {
            return ApiFailure::new(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused", "This Idempotency-Key was already used for another request.")
                .into_response();
        }
        Ok(None) => {}
        Err(e) => return e.into_response(),
    }
    let response = next.run(Request::from_parts(parts, body)).await;
    if !response.status().is_success() {
        // Nothing was applied (each write is one transaction): sending again may.
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_KEPT).await else {
        return ApiFailure::internal("the answer could not be read to be kept").into_response();
    };
    let reply = StaffReply { request: what, status: parts.status.as_u16(), body: bytes.to_vec() };
    let now = hub.now();
    if let Err(e) = hub.db(move |s| s.keep_staff_reply(by, &key, &reply, now)).await {
        // The write is done; only a later "send again" would not be recognised.
        tracing::warn!("a staff answer could not be kept for its idempotency key: {}", e.message);
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replayed(kept: StaffReply) -> Response {
    let status = StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK);
    let mut response = Response::builder().status(status);
    if !kept.body.is_empty() {
        response = response.header(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
        .header(REPLAYED_HEADER, HeaderValue::from_static("true"))
        .body(Body::from(kept.body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}
