//! Device health as the kiosk's staff screen and the hub show it.

use serde::{Deserialize, Serialize};

/// How a device is doing, with a reason a member of staff can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "health", content = "reason", rename_all = "snake_case")]
pub enum Health {
    Ok,
    /// Works, but needs attention soon (paper nearly out, reader reconnected after errors).
    Degraded(String),
    /// Cannot be used now (unplugged, paper out, cover open, no sound card).
    Missing(String),
}

impl Health {
    pub fn is_ok(&self) -> bool {
        matches!(self, Health::Ok)
    }
}

/// One device's health, named the way its configuration names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceStatus {
    pub device: String,
    pub health: Health,
}
