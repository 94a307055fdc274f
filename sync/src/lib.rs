//! Sync between kiosks and the hub: the versioned wire formats (`protocol` for kiosks,
//! `staff` for the staff API), shared with the hub; the kiosk's background client
//! (`client`, feature `client`), the only kiosk code that speaks HTTP; and the admin
//! desktop's client of the staff API (`staff_client`, feature `client`).

pub mod protocol;
pub mod staff;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod runner;
#[cfg(feature = "client")]
pub mod staff_client;
