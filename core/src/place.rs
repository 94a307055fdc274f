//! Places with kiosks (telework centre, ferry ports, community halls) and ride destinations.

use serde::{Deserialize, Serialize};

use crate::ids::{KioskId, PlaceId, StopId};
use crate::points::Points;
use crate::text::Localised;

/// What a place with kiosks is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    TeleworkCentre,
    FerryPort,
    CommunityHall,
}

impl PlaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::TeleworkCentre => "telework_centre",
            PlaceKind::FerryPort => "ferry_port",
            PlaceKind::CommunityHall => "community_hall",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [PlaceKind::TeleworkCentre, PlaceKind::FerryPort, PlaceKind::CommunityHall]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// WGS 84 latitude and longitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

/// A place where kiosks stand, with its own check-in and redemption settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: PlaceId,
    pub kind: PlaceKind,
    /// Short code printed on receipts and ride numbers, e.g. `GNR`.
    pub code: String,
    pub name: Localised,
    pub location: Coordinates,
    /// Points a citizen earns for the first check-in here on a local day.
    pub checkin_points: Points,
    /// Redemptions costing more than this need the citizen's PIN.
    pub pin_threshold: Points,
}

/// A kiosk terminal standing at a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kiosk {
    pub id: KioskId,
    pub place: PlaceId,
    /// Short code unique across the island, e.g. `GNR1`; prefixes ride numbers.
    pub code: String,
    pub label: String,
}

/// What kind of destination a stop is; the kiosk groups destination buttons by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopKind {
    Port,
    Hospital,
    TownHall,
    Sight,
    Other,
}

impl StopKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StopKind::Port => "port",
            StopKind::Hospital => "hospital",
            StopKind::TownHall => "town_hall",
            StopKind::Sight => "sight",
            StopKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [StopKind::Port, StopKind::Hospital, StopKind::TownHall, StopKind::Sight, StopKind::Other]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// A destination of on-demand transport.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub id: StopId,
    pub kind: StopKind,
    pub name: Localised,
    pub location: Coordinates,
}
