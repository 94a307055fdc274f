//! The kiosk's screens: a controller over the kiosk (through [`KioskPort`], so tests can
//! use a fake), the plain [`ScreenModel`] it produces, and the adapter that shows the
//! model in the Slint window.

mod adapter;
mod controller;
mod model;
mod port;
mod problem;
mod snapshot;

pub use adapter::{bind, send_refusal, send_tap, set_dpi, show, show_demo_cards};
pub use controller::{Action, HOME_REGIONS, Pacing, Session};
pub use model::{Bar, Choice, PrintState, Screen, ScreenModel};
pub use port::{EnrolFailure, KioskPort, Notice, StaffStatus, StatusLine};
pub use problem::Problem;
pub use snapshot::render_png;
