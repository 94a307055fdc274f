//! The Tauri commands the frontend calls: each hands its work to [`Desk`] on a blocking
//! thread (the hub is across the network; the window never waits on it).

use std::sync::Arc;

use iki_sync::staff::CitizenFile;
use tauri::State;

use crate::desk::{CitizenRow, Desk, Problem, SignedIn};

/// The desk, shared between commands.
pub struct Shared(pub Arc<Desk>);

async fn off_thread<T: Send + 'static>(desk: &State<'_, Shared>, f: impl FnOnce(&Desk) -> Result<T, Problem> + Send + 'static) -> Result<T, Problem> {
    let desk = desk.0.clone();
    tauri::async_runtime::spawn_blocking(move || f(&desk))
        .await
        .unwrap_or_else(|e| Err(Problem { code: "internal".into(), message: e.to_string(), retryable: true }))
}

#[tauri::command]
pub async fn sign_in(desk: State<'_, Shared>, username: String, password: String) -> Result<SignedIn, Problem> {
    off_thread(&desk, move |d| d.sign_in(&username, &password)).await
}

#[tauri::command]
pub async fn sign_out(desk: State<'_, Shared>) -> Result<(), Problem> {
    off_thread(&desk, |d| Ok(d.sign_out())).await
}

#[tauri::command]
pub async fn who(desk: State<'_, Shared>) -> Result<Option<SignedIn>, Problem> {
    off_thread(&desk, |d| Ok(d.who())).await
}

#[tauri::command]
pub async fn search_citizens(desk: State<'_, Shared>, query: String) -> Result<Vec<CitizenRow>, Problem> {
    off_thread(&desk, move |d| d.search(&query)).await
}

#[tauri::command]
pub async fn citizen(desk: State<'_, Shared>, id: String) -> Result<CitizenFile, Problem> {
    off_thread(&desk, move |d| d.citizen(&id)).await
}

#[tauri::command]
pub async fn adjust_points(desk: State<'_, Shared>, id: String, amount: i64, reason: String) -> Result<i64, Problem> {
    off_thread(&desk, move |d| d.adjust_points(&id, amount, &reason)).await
}
