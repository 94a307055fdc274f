//! The hub's routes, all under `/v1`: kiosk enrolment and sync, and the staff API. The
//! route table below is the one source of the router and of the check that the OpenAPI
//! document (`hub/openapi.json`, served at `/v1/openapi.json`) describes every route.

mod desk;
mod kiosk;
mod replies;
mod staff;

use axum::Router;
use axum::http::header;
use axum::routing::{MethodRouter, get, post};

use crate::Hub;

/// The OpenAPI document, served as it is in the repository.
pub const OPENAPI: &str = include_str!("../../openapi.json");

/// Every route: (method, path, handler).
fn routes() -> Vec<(&'static str, &'static str, MethodRouter<Hub>)> {
    vec![
        ("GET", "/v1/health", get(|| async { "ok" })),
        ("GET", "/v1/openapi.json", get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) })),
        ("POST", "/v1/enrol", post(kiosk::enrol)),
        ("POST", "/v1/sync/push", post(kiosk::push)),
        ("GET", "/v1/sync/pull", get(kiosk::pull)),
        ("POST", "/v1/kiosk/health", post(kiosk::health)),
        ("POST", "/v1/staff/login", post(staff::login)),
        ("POST", "/v1/staff/enrolment-codes", post(staff::create_enrolment_code)),
        ("POST", "/v1/staff/kiosks/{kiosk}/revoke", post(staff::revoke_kiosk)),
        ("POST", "/v1/staff/cards/{card}/revoke", post(staff::revoke_card)),
        ("GET", "/v1/staff/flags", get(staff::flags)),
        ("GET", "/v1/staff/lockouts", get(desk::lockouts)),
        ("GET", "/v1/staff/audit", get(staff::audit)),
        ("GET", "/v1/staff/citizens", get(desk::search_citizens)),
        ("POST", "/v1/staff/citizens", post(desk::register_citizen)),
        ("GET", "/v1/staff/citizens/{citizen}", get(desk::citizen_file)),
        ("POST", "/v1/staff/citizens/{citizen}", post(desk::edit_citizen)),
        ("POST", "/v1/staff/citizens/{citizen}/cards", post(desk::issue_card)),
        ("POST", "/v1/staff/citizens/{citizen}/pin", post(desk::reset_pin)),
        ("POST", "/v1/staff/citizens/{citizen}/points", post(desk::adjust_points)),
        ("POST", "/v1/staff/coupons/verify", post(desk::verify_coupon)),
        ("GET", "/v1/staff/rides", get(desk::rides)),
        ("POST", "/v1/staff/rides/{ride}", post(desk::update_ride)),
        ("GET", "/v1/staff/reports/visits", get(desk::visits)),
        ("GET", "/v1/staff/reports/progress", get(desk::progress)),
        ("GET", "/v1/staff/open-data/visits.csv", get(desk::open_data_visits)),
        ("GET", "/v1/staff/kiosks", get(desk::kiosks)),
        ("GET", "/v1/staff/places", get(desk::places)),
        ("POST", "/v1/staff/places", post(desk::put_place)),
        ("GET", "/v1/staff/catalogue", get(desk::items)),
        ("POST", "/v1/staff/catalogue", post(desk::put_item)),
        ("GET", "/v1/staff/themes", get(desk::themes)),
        ("GET", "/v1/staff/stops", get(desk::stops)),
        ("GET", "/v1/staff/reports/growth", get(desk::growth)),
        ("GET", "/v1/staff/reports/regions", get(desk::regions)),
        ("POST", "/v1/staff/themes", post(desk::put_theme)),
        ("POST", "/v1/staff/themes/{theme}/close", post(desk::close_theme)),
        ("GET", "/v1/staff/themes/{theme}/results", get(desk::theme_results)),
        ("POST", "/v1/staff/themes/{theme}/ballots", post(desk::paper_ballot)),
        ("GET", "/v1/staff/reports/engagement", get(desk::engagement)),
    ]
}

/// (method, path) of every route, for the OpenAPI check.
pub fn route_table() -> Vec<(&'static str, &'static str)> {
    routes().into_iter().map(|(m, p, _)| (m, p)).collect()
}

pub fn router(hub: Hub) -> Router {
    routes()
        .into_iter()
        .fold(Router::new(), |r, (_, path, handler)| r.route(path, handler))
        .layer(axum::middleware::from_fn_with_state(hub.clone(), replies::replay_or_run))
        .with_state(hub)
}
