//! Admin desktop for hall staff: will be a Tauri 2 app over the hub's staff API.
//!
//! Not built yet — issue 6. It will hold no SQL and no business rules: Tauri commands call
//! a small client of the hub's staff API. This crate exports nothing until it works.
