//! Sync between kiosks and the hub: the versioned wire format (`protocol`), shared with the
//! hub, and the kiosk's background client (`client`, feature `client`), the only kiosk code
//! that speaks HTTP.

pub mod protocol;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod runner;
