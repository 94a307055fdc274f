//! The Tauri commands the frontend calls: each hands its work to [`Desk`] on a blocking
//! thread (the hub is across the network; the window never waits on it).

use std::sync::Arc;

use iki_core::{CatalogueItem, Theme};
use iki_sync::staff::{CitizenEdit, CitizenFile, CouponCheck, DispatchRide, NewCitizen, RideUpdate, ThemeResults};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use crate::desk::{AuditPage, Board, CitizenRow, CsvPreview, Dashboard, Desk, EnrolmentCodeView, Exported, Problem, Reports, SignedIn, Sites, ThemeDraft};
use crate::reader::StaffReader;

/// The desk and the staff reader, shared between commands.
pub struct Shared {
    pub desk: Arc<Desk>,
    pub reader: Option<Arc<StaffReader>>,
}

async fn off_thread<T: Send + 'static>(shared: &State<'_, Shared>, f: impl FnOnce(&Desk) -> Result<T, Problem> + Send + 'static) -> Result<T, Problem> {
    let desk = shared.desk.clone();
    tauri::async_runtime::spawn_blocking(move || f(&desk))
        .await
        .unwrap_or_else(|e| Err(Problem { code: "internal".into(), message: e.to_string(), retryable: true }))
}

/// `desk!(name(arg: Type, …) -> Output => |d| body)`: a command running `body` off the
/// window's thread. Every command also takes the frontend's `requestId`, one per action and
/// the same when staff send the action again: the hub applies each write once per id.
macro_rules! desk {
    ($name:ident($($arg:ident: $ty:ty),*) -> $out:ty => |$d:ident| $body:expr) => {
        #[tauri::command]
        pub async fn $name(shared: State<'_, Shared>, request_id: Option<String>, $($arg: $ty),*) -> Result<$out, Problem> {
            off_thread(&shared, move |$d: &Desk| iki_sync::staff_client::idempotently(request_id.as_deref(), || $body)).await
        }
    };
}

desk!(sign_in(username: String, password: String) -> SignedIn => |d| d.sign_in(&username, &password));
desk!(sign_out() -> () => |d| { d.sign_out(); Ok(()) });
desk!(who() -> Option<SignedIn> => |d| Ok(d.who()));
desk!(dashboard() -> Dashboard => |d| d.dashboard(crate::desk::now()));
desk!(search_citizens(query: String) -> Vec<CitizenRow> => |d| d.search(&query));
desk!(citizen(id: String) -> CitizenFile => |d| d.citizen(&id));
desk!(register_citizen(citizen: NewCitizen) -> String => |d| d.register(&citizen));
desk!(edit_citizen(id: String, edit: CitizenEdit) -> () => |d| d.edit_citizen(&id, &edit));
desk!(issue_card(id: String, card: String) -> () => |d| d.issue_card(&id, &card));
desk!(replace_card(id: String, lost: String, replacement: Option<String>) -> () => |d| d.replace_card(&id, &lost, replacement.as_deref()));
desk!(reset_pin(id: String, pin: String) -> () => |d| d.reset_pin(&id, &pin));
desk!(adjust_points(id: String, amount: i64, reason: String) -> i64 => |d| d.adjust_points(&id, amount, &reason));
desk!(items() -> Vec<CatalogueItem> => |d| d.items());
desk!(put_item(item: serde_json::Value) -> () => |d| d.put_item(item));
desk!(put_place(place: serde_json::Value) -> () => |d| d.put_place(place));
desk!(themes() -> Vec<Theme> => |d| d.themes());
desk!(create_theme(draft: ThemeDraft) -> String => |d| d.create_theme(draft));
desk!(close_theme(id: String) -> () => |d| d.close_theme(&id));
desk!(theme_results(id: String) -> ThemeResults => |d| d.theme_results(&id));
desk!(paper_ballot(id: String, citizen: String, choices: Vec<u8>) -> () => |d| d.paper_ballot(&id, &citizen, choices));
desk!(export_theme(id: String) -> Exported => |d| d.theme_results_csv(&id));
desk!(board(all: bool) -> Board => |d| d.board(all));
desk!(update_ride(id: String, update: RideUpdate) -> DispatchRide => |d| d.update_ride(&id, &update));
desk!(sites() -> Sites => |d| d.sites());
desk!(enrolment_code(place: String, kiosk_code: String) -> EnrolmentCodeView => |d| d.enrolment_code(&place, &kiosk_code));
desk!(revoke_kiosk(id: String) -> () => |d| d.revoke_kiosk(&id));
desk!(reports(from: String, to: String) -> Reports => |d| d.reports(&from, &to));
desk!(open_data_preview(from: String, to: String) -> CsvPreview => |d| d.open_data_preview(&from, &to));
desk!(verify_coupon(code: String) -> CouponCheck => |d| d.verify_coupon(&code));
desk!(audit(before: Option<u64>) -> AuditPage => |d| d.audit(before));

/// How far an export has come, sent as the `export-progress` event.
#[derive(Clone, Serialize)]
struct ExportProgress {
    bytes: u64,
    total: Option<u64>,
}

#[tauri::command]
pub async fn export_open_data(app: AppHandle, shared: State<'_, Shared>, from: String, to: String) -> Result<Exported, Problem> {
    off_thread(&shared, move |d| {
        d.export_open_data(&from, &to, &mut |bytes, total| {
            let _ = app.emit("export-progress", ExportProgress { bytes, total });
        })
    })
    .await
}

/// The staff reader as the window shows it.
#[derive(Serialize)]
pub struct ReaderInfo {
    /// `none` (typed numbers only), `simulated` or `hardware`.
    pub kind: &'static str,
    pub device: Option<String>,
    pub ok: bool,
    pub reason: Option<String>,
}

#[tauri::command]
pub fn reader_info(shared: State<'_, Shared>) -> ReaderInfo {
    match &shared.reader {
        None => ReaderInfo { kind: "none", device: None, ok: false, reason: None },
        Some(r) => {
            let status = (r.status)();
            let reason = match status.health {
                iki_devices::Health::Ok => None,
                iki_devices::Health::Degraded(r) | iki_devices::Health::Missing(r) => Some(r),
            };
            let kind = if r.simulated.is_some() { "simulated" } else { "hardware" };
            ReaderInfo { kind, ok: reason.is_none(), device: Some(status.device), reason }
        }
    }
}

/// Simulated reader only: lays `card` (or a new blank card) on the reader.
#[tauri::command]
pub fn simulate_tap(shared: State<'_, Shared>, card: Option<String>) -> Result<String, Problem> {
    let reader = shared.reader.as_ref().ok_or_else(|| Problem::new("no_reader", "This desk has no card reader."))?;
    let card = card.filter(|c| !c.trim().is_empty()).unwrap_or_else(crate::reader::blank_card);
    reader.simulate_tap(&card).map_err(|e| Problem::new("bad_card", e))?;
    Ok(card)
}
