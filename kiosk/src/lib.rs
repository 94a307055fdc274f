//! The kiosk program's library: the Slint views (compiled from `ui/`), the controller that
//! turns kiosk-service outcomes into what a screen shows, and the adapter that is the only
//! code touching the generated Slint types.

pub mod ui;

slint::include_modules!();
