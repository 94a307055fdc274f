//! The kiosk program's library: the Slint views (compiled from `ui/`), the controller that
//! turns what people press into kiosk-service calls and screens, the adapter that is the
//! only code touching the generated Slint types, and the live port over the real services,
//! devices and sync.

pub mod app;
pub mod config;
pub mod embedded_hub;
pub mod live;
pub mod ui;

slint::include_modules!();
