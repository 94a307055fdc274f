//! Admin desktop for hall staff: a Tauri 2 app over the hub's staff API. `desk` does the
//! work (sign-in, the citizen desk) through `iki_sync::staff_client`; `commands` are the
//! thin Tauri commands the frontend in `ui/` calls. No SQL and no business rules here.

pub mod commands;
pub mod desk;

use std::sync::Arc;

/// Where the hub is: `IKI_HUB_URL` (default `http://127.0.0.1:8080`), and `IKI_HUB_CA`, a
/// PEM certificate to trust for it.
pub fn hub_from_env() -> (String, Option<std::path::PathBuf>) {
    let url = std::env::var("IKI_HUB_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    (url, std::env::var_os("IKI_HUB_CA").map(Into::into))
}

/// Opens the admin window until it is closed.
pub fn run(desk: desk::Desk) -> tauri::Result<()> {
    tauri::Builder::default()
        .manage(commands::Shared(Arc::new(desk)))
        .invoke_handler(tauri::generate_handler![
            commands::sign_in,
            commands::sign_out,
            commands::who,
            commands::search_citizens,
            commands::citizen,
            commands::adjust_points,
        ])
        .run(tauri::generate_context!())
}
