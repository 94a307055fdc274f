//! The kiosk's screens: a controller over the kiosk services (through [`KioskPort`], so
//! tests can use a fake) and the adapter that shows its [`ScreenModel`] in the window.

mod adapter;
mod controller;
mod snapshot;

pub use adapter::{bind, show};
pub use controller::{KioskPort, Screen, ScreenModel, ServicesPort, Session};
pub use snapshot::render_png;
