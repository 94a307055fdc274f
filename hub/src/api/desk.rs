//! Staff routes for the desk: citizens, cards, PINs, point adjustments, coupons, the ride
//! dispatch board, reports, the open-data export and kiosk health.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use iki_core::rules::check_pin_format;
use iki_core::{Citizen, CitizenId, HomeRegion, LocalDay, Nickname, RideId};
use iki_hub_store::{CouponCheck, DispatchRide, KioskStatus, RideUpdate, VisitCount};
use serde::Deserialize;

use iki_sync::staff::{
    Adjustment, Balance, CardRequest, CitizenCreated, CitizenEdit, CitizenFile, CitizenHit, CitizenSearch, CouponRequest, NewCitizen, PaperBallot,
    Period, PinRequest, Progress,
};

use crate::auth::{StaffCaller, hash_password};
use crate::error::ApiJson;
use crate::{ApiFailure, Hub, reports};

/// The largest single adjustment staff may make, either way.
pub const MAX_ADJUSTMENT: i64 = 100_000;
/// The city's 2030 goal.
pub const CITIZEN_TARGET: u64 = 500_000;

fn rule(e: iki_core::RuleError) -> ApiFailure {
    ApiFailure::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string())
}

pub async fn register_citizen(State(hub): State<Hub>, staff: StaffCaller, ApiJson(req): ApiJson<NewCitizen>) -> Result<Json<CitizenCreated>, ApiFailure> {
    let now = hub.now();
    let mut random = [0u8; 10];
    getrandom::fill(&mut random).map_err(ApiFailure::internal)?;
    let citizen = Citizen {
        id: CitizenId::from_uuid(iki_core::ids::uuid_v7(now.0.max(0) as u64, random)),
        kind: req.kind,
        nickname: Nickname::parse(&req.nickname).map_err(rule)?,
        home_region: HomeRegion::parse(&req.home_region).map_err(rule)?,
        age_band: req.age_band,
        registered_at: now,
    };
    let id = citizen.id;
    hub.db(move |s| s.register_citizen(staff.id, &citizen, req.card.as_ref(), now)).await?;
    Ok(Json(CitizenCreated { citizen: id }))
}

/// How many citizens one search returns at most.
pub const SEARCH_LIMIT: usize = 50;

pub async fn search_citizens(State(hub): State<Hub>, _staff: StaffCaller, Query(q): Query<CitizenSearch>) -> Result<Json<Vec<CitizenHit>>, ApiFailure> {
    Ok(Json(hub.db(move |s| s.search_citizens(&q.q, SEARCH_LIMIT)).await?))
}

pub async fn citizen_file(State(hub): State<Hub>, _staff: StaffCaller, Path(citizen): Path<CitizenId>) -> Result<Json<CitizenFile>, ApiFailure> {
    match hub.db(move |s| s.citizen_file(citizen)).await? {
        Some(file) => Ok(Json(file)),
        None => Err(ApiFailure::not_found("No citizen has that id.")),
    }
}

pub async fn edit_citizen(State(hub): State<Hub>, staff: StaffCaller, Path(id): Path<CitizenId>, ApiJson(edit): ApiJson<CitizenEdit>) -> Result<StatusCode, ApiFailure> {
    let mut citizen = hub.db(move |s| s.citizen(id)).await?.ok_or_else(|| ApiFailure::not_found("No citizen has that id."))?;
    if let Some(kind) = edit.kind {
        citizen.kind = kind;
    }
    if let Some(n) = edit.nickname {
        citizen.nickname = Nickname::parse(&n).map_err(rule)?;
    }
    if let Some(r) = edit.home_region {
        citizen.home_region = HomeRegion::parse(&r).map_err(rule)?;
    }
    if let Some(a) = edit.age_band {
        citizen.age_band = a;
    }
    let now = hub.now();
    hub.db(move |s| s.update_citizen(staff.id, &citizen, now)).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn issue_card(State(hub): State<Hub>, staff: StaffCaller, Path(citizen): Path<CitizenId>, ApiJson(req): ApiJson<CardRequest>) -> Result<StatusCode, ApiFailure> {
    let now = hub.now();
    if hub.db(move |s| s.issue_card(staff.id, &req.card, citizen, now)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiFailure::new(StatusCode::CONFLICT, "card_taken", "This card already belongs to another citizen. Stop it there first."))
    }
}

pub async fn reset_pin(State(hub): State<Hub>, staff: StaffCaller, Path(citizen): Path<CitizenId>, ApiJson(req): ApiJson<PinRequest>) -> Result<StatusCode, ApiFailure> {
    check_pin_format(&req.pin).map_err(rule)?;
    let hash = tokio::task::spawn_blocking(move || hash_password(&req.pin)).await.map_err(ApiFailure::internal)?;
    let now = hub.now();
    if hub.db(move |s| s.reset_pin(staff.id, citizen, &hash, now)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiFailure::not_found("No citizen has that id."))
    }
}

pub async fn adjust_points(State(hub): State<Hub>, staff: StaffCaller, Path(citizen): Path<CitizenId>, ApiJson(req): ApiJson<Adjustment>) -> Result<Json<Balance>, ApiFailure> {
    let reason = req.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(ApiFailure::bad_request("Please give a reason for the adjustment; it is kept in the audit log."));
    }
    if req.amount == 0 || req.amount.abs() > MAX_ADJUSTMENT {
        return Err(ApiFailure::bad_request(format!("An adjustment is between 1 and {MAX_ADJUSTMENT} points, up or down.")));
    }
    let now = hub.now();
    let expires_at = now.plus_days(365);
    match hub.db(move |s| s.adjust_points(staff.id, citizen, req.amount, &reason, expires_at, now)).await? {
        Some(balance) => Ok(Json(Balance { balance })),
        None => Err(ApiFailure::not_found("No citizen has that id.")),
    }
}

pub async fn verify_coupon(State(hub): State<Hub>, staff: StaffCaller, ApiJson(req): ApiJson<CouponRequest>) -> Result<Json<CouponCheck>, ApiFailure> {
    let code = req.code.trim().to_uppercase();
    let now = hub.now();
    Ok(Json(hub.db(move |s| s.verify_coupon(staff.id, &code, now)).await?))
}

#[derive(Deserialize)]
pub struct RidesQuery {
    #[serde(default)]
    all: bool,
}

pub async fn rides(State(hub): State<Hub>, _staff: StaffCaller, Query(q): Query<RidesQuery>) -> Result<Json<Vec<DispatchRide>>, ApiFailure> {
    Ok(Json(hub.db(move |s| s.rides(!q.all)).await?))
}

pub async fn update_ride(State(hub): State<Hub>, staff: StaffCaller, Path(ride): Path<RideId>, ApiJson(update): ApiJson<RideUpdate>) -> Result<Json<DispatchRide>, ApiFailure> {
    let now = hub.now();
    match hub.db(move |s| s.update_ride(staff.id, ride, &update, now)).await? {
        None => Err(ApiFailure::not_found("No ride has that id.")),
        Some(Err(e)) => Err(ApiFailure::new(StatusCode::CONFLICT, e.code(), e.to_string())),
        Some(Ok(r)) => Ok(Json(r)),
    }
}

fn day(text: &str) -> Result<LocalDay, ApiFailure> {
    LocalDay::parse(text).ok_or_else(|| ApiFailure::bad_request(format!("“{text}” is not a date like 2026-12-04.")))
}

fn period(p: &Period) -> Result<(LocalDay, LocalDay), ApiFailure> {
    let (from, to) = (day(&p.from)?, day(&p.to)?);
    if to < from || to.0 - from.0 > 366 {
        return Err(ApiFailure::bad_request("The period must run forwards and be at most a year."));
    }
    Ok((from, to))
}

pub async fn visits(State(hub): State<Hub>, _staff: StaffCaller, Query(p): Query<Period>) -> Result<Json<Vec<VisitCount>>, ApiFailure> {
    let (from, to) = period(&p)?;
    Ok(Json(hub.db(move |s| s.visits(from, to)).await?))
}

pub async fn progress(State(hub): State<Hub>, _staff: StaffCaller) -> Result<Json<Progress>, ApiFailure> {
    let counts = hub.db(|s| s.citizen_counts()).await?;
    let get = |k: &str| counts.iter().find(|(kind, _)| kind == k).map_or(0, |(_, n)| *n);
    let (residents, e_citizens) = (get("resident"), get("e_citizen"));
    Ok(Json(Progress { residents, e_citizens, total: residents + e_citizens, target: CITIZEN_TARGET }))
}

pub async fn open_data_visits(State(hub): State<Hub>, _staff: StaffCaller, Query(p): Query<Period>) -> Result<impl IntoResponse, ApiFailure> {
    let (from, to) = period(&p)?;
    let (visits, places) = hub.db(move |s| Ok((s.visits(from, to)?, s.places()?))).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"iki-visits.csv\"")],
        reports::visits_csv(&visits, &places),
    ))
}

pub async fn kiosks(State(hub): State<Hub>, _staff: StaffCaller) -> Result<Json<Vec<KioskStatus>>, ApiFailure> {
    Ok(Json(hub.db(|s| s.kiosks()).await?))
}


pub async fn put_item(State(hub): State<Hub>, staff: StaffCaller, ApiJson(item): ApiJson<iki_core::CatalogueItem>) -> Result<StatusCode, ApiFailure> {
    if !item.cost.is_positive() {
        return Err(ApiFailure::bad_request("An item costs at least 1 point."));
    }
    if item.name.ja.trim().is_empty() || item.name.en.trim().is_empty() {
        return Err(ApiFailure::bad_request("Please give the item a name in Japanese and in English."));
    }
    let now = hub.now();
    hub.db(move |s| s.put_item(staff.id, &item, now)).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn put_theme(State(hub): State<Hub>, staff: StaffCaller, ApiJson(theme): ApiJson<iki_core::Theme>) -> Result<StatusCode, ApiFailure> {
    theme.validate().map_err(rule)?;
    let now = hub.now();
    hub.db(move |s| s.put_theme(staff.id, &theme, now)).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn close_theme(State(hub): State<Hub>, staff: StaffCaller, Path(id): Path<iki_core::ThemeId>) -> Result<StatusCode, ApiFailure> {
    let now = hub.now();
    let mut theme = hub.db(move |s| s.theme(id)).await?.ok_or_else(|| ApiFailure::not_found("No theme has that id."))?;
    if theme.closes_at > now {
        theme.closes_at = now.max(theme.opens_at);
        hub.db(move |s| s.put_theme(staff.id, &theme, now)).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn theme_results(State(hub): State<Hub>, _staff: StaffCaller, Path(id): Path<iki_core::ThemeId>) -> Result<Json<iki_hub_store::ThemeResults>, ApiFailure> {
    hub.db(move |s| s.theme_results(id)).await?.map(Json).ok_or_else(|| ApiFailure::not_found("No theme has that id."))
}

pub async fn paper_ballot(
    State(hub): State<Hub>,
    staff: StaffCaller,
    Path(id): Path<iki_core::ThemeId>,
    ApiJson(req): ApiJson<PaperBallot>,
) -> Result<StatusCode, ApiFailure> {
    let now = hub.now();
    let (theme, citizen) = hub.db(move |s| Ok((s.theme(id)?, s.citizen(req.citizen)?))).await?;
    let theme = theme.ok_or_else(|| ApiFailure::not_found("No theme has that id."))?;
    let citizen = citizen.ok_or_else(|| ApiFailure::not_found("No citizen has that id."))?;
    let choices = theme.check_ballot(citizen.kind, &req.choices, now).map_err(rule)?;
    hub.db(move |s| s.paper_ballot(staff.id, id, citizen.id, &choices, now)).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn engagement(State(hub): State<Hub>, _staff: StaffCaller) -> Result<Json<iki_hub_store::Engagement>, ApiFailure> {
    Ok(Json(hub.db(|s| s.engagement()).await?))
}

pub async fn places(State(hub): State<Hub>, _staff: StaffCaller) -> Result<Json<Vec<iki_core::Place>>, ApiFailure> {
    Ok(Json(hub.db(|s| s.places()).await?))
}

pub async fn put_place(State(hub): State<Hub>, staff: StaffCaller, ApiJson(place): ApiJson<iki_core::Place>) -> Result<StatusCode, ApiFailure> {
    staff.require_manager()?;
    if place.code.is_empty() || place.code.len() > 8 || !place.code.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(ApiFailure::bad_request("A place code is 1 to 8 capital letters, e.g. GNR."));
    }
    if !(-90.0..=90.0).contains(&place.location.lat) || !(-180.0..=180.0).contains(&place.location.lon) || place.checkin_points.value() < 0 {
        return Err(ApiFailure::bad_request("The place's coordinates or check-in points are out of range."));
    }
    let now = hub.now();
    match hub.db(move |s| s.put_place(staff.id, &place, now)).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(e) if e.error == "conflict" => Err(ApiFailure::new(StatusCode::CONFLICT, "place_code_taken", e.message)),
        Err(e) => Err(e),
    }
}

pub async fn items(State(hub): State<Hub>, _staff: StaffCaller) -> Result<Json<Vec<iki_core::CatalogueItem>>, ApiFailure> {
    Ok(Json(hub.db(|s| s.items()).await?))
}

pub async fn themes(State(hub): State<Hub>, _staff: StaffCaller) -> Result<Json<Vec<iki_core::Theme>>, ApiFailure> {
    Ok(Json(hub.db(|s| s.themes()).await?))
}

pub async fn stops(State(hub): State<Hub>, _staff: StaffCaller) -> Result<Json<Vec<iki_core::Stop>>, ApiFailure> {
    Ok(Json(hub.db(|s| s.stops()).await?))
}

/// PIN lockouts at kiosks in the last 24 hours, for the dashboard's flags.
pub async fn lockouts(State(hub): State<Hub>, _staff: StaffCaller) -> Result<Json<Vec<iki_sync::staff::Lockout>>, ApiFailure> {
    let since = hub.now().plus_minutes(-24 * 60);
    let attempts = iki_core::Rules::default().pin_attempts;
    Ok(Json(hub.db(move |s| s.lockouts(since, attempts)).await?))
}

pub async fn regions(State(hub): State<Hub>, _staff: StaffCaller, Query(p): Query<Period>) -> Result<Json<Vec<iki_sync::staff::RegionCount>>, ApiFailure> {
    let (from, to) = period(&p)?;
    Ok(Json(hub.db(move |s| s.regions(from, to)).await?))
}

pub async fn growth(State(hub): State<Hub>, _staff: StaffCaller) -> Result<Json<Vec<iki_sync::staff::GrowthPoint>>, ApiFailure> {
    Ok(Json(hub.db(|s| s.growth()).await?))
}
