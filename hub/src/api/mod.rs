//! The hub's routes, all under `/v1`: kiosk enrolment and sync, and the staff API.

mod kiosk;
mod staff;

use axum::Router;
use axum::routing::{get, post};

use crate::Hub;

pub fn router(hub: Hub) -> Router {
    Router::new()
        .route("/v1/health", get(|| async { "ok" }))
        .route("/v1/enrol", post(kiosk::enrol))
        .route("/v1/sync/push", post(kiosk::push))
        .route("/v1/sync/pull", get(kiosk::pull))
        .route("/v1/staff/login", post(staff::login))
        .route("/v1/staff/enrolment-codes", post(staff::create_enrolment_code))
        .route("/v1/staff/kiosks/{kiosk}/revoke", post(staff::revoke_kiosk))
        .route("/v1/staff/cards/{card}/revoke", post(staff::revoke_card))
        .route("/v1/staff/flags", get(staff::flags))
        .route("/v1/staff/audit", get(staff::audit))
        .with_state(hub)
}
