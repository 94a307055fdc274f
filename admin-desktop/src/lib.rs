//! Admin desktop for hall staff: a Tauri 2 app over the hub's staff API. `desk` does the
//! work through `iki_sync::staff_client`; `reader` listens to the staff PC's card reader
//! through `iki_devices`; `commands` are the thin Tauri commands the frontend in `ui/`
//! calls; `qr` draws enrolment codes. No SQL and no business rules here.

pub mod commands;
pub mod desk;
pub mod qr;
pub mod reader;

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{Emitter, Manager};

/// Where the admin desktop connects and saves, from the environment.
pub struct Settings {
    /// `IKI_HUB_URL`, default `http://127.0.0.1:8080`.
    pub hub_url: String,
    /// `IKI_HUB_CA`: a PEM certificate to trust for the hub.
    pub hub_ca: Option<PathBuf>,
    /// `IKI_EXPORT_DIR`, default `~/Documents/iki-circle`: open-data and result files.
    pub exports: PathBuf,
    /// `IKI_READER`: see [`reader::ReaderChoice::parse`].
    pub reader: reader::ReaderChoice,
}

impl Settings {
    pub fn from_env() -> Result<Self, String> {
        let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
        Ok(Self {
            hub_url: std::env::var("IKI_HUB_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into()),
            hub_ca: std::env::var_os("IKI_HUB_CA").map(Into::into),
            exports: std::env::var_os("IKI_EXPORT_DIR").map_or_else(|| home.join("Documents").join("iki-circle"), PathBuf::from),
            reader: reader::ReaderChoice::from_env()?,
        })
    }
}

/// Opens the admin window until it is closed.
pub fn run(settings: Settings) -> Result<(), String> {
    let desk = desk::Desk::new(&settings.hub_url, settings.hub_ca.as_deref(), settings.exports).map_err(|p| p.message)?;
    tauri::Builder::default()
        .setup(move |app| {
            let handle = app.handle().clone();
            let reader = reader::StaffReader::start(&settings.reader, move |note| {
                let _ = handle.emit("reader", note);
            });
            app.manage(commands::Shared { desk: Arc::new(desk), reader: reader.map(Arc::new) });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::sign_in,
            commands::sign_out,
            commands::who,
            commands::dashboard,
            commands::search_citizens,
            commands::citizen,
            commands::register_citizen,
            commands::edit_citizen,
            commands::issue_card,
            commands::replace_card,
            commands::reset_pin,
            commands::adjust_points,
            commands::items,
            commands::put_item,
            commands::put_place,
            commands::themes,
            commands::create_theme,
            commands::close_theme,
            commands::theme_results,
            commands::paper_ballot,
            commands::export_theme,
            commands::board,
            commands::update_ride,
            commands::sites,
            commands::enrolment_code,
            commands::revoke_kiosk,
            commands::reports,
            commands::open_data_preview,
            commands::export_open_data,
            commands::verify_coupon,
            commands::audit,
            commands::reader_info,
            commands::simulate_tap,
        ])
        .run(tauri::generate_context!())
        .map_err(|e| format!("the window could not open: {e}"))
}
