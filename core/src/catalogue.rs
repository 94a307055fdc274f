//! The points catalogue: what citizens can spend points on, with cost and stock.

use serde::{Deserialize, Serialize};

use crate::ids::ItemId;
use crate::points::Points;
use crate::text::Localised;
use crate::time::Timestamp;

/// How the kiosk groups catalogue cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemCategory {
    Transport,
    LocalProduct,
    Workspace,
    Experience,
}

/// How many are left: a count, or no limit (e.g. a ferry discount).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stock", content = "count", rename_all = "snake_case")]
pub enum Stock {
    Limited(u32),
    Unlimited,
}

impl Stock {
    pub fn is_available(self) -> bool {
        !matches!(self, Stock::Limited(0))
    }

    /// The stock after one is taken, or `None` when none is left.
    pub fn take_one(self) -> Option<Stock> {
        match self {
            Stock::Limited(0) => None,
            Stock::Limited(n) => Some(Stock::Limited(n - 1)),
            Stock::Unlimited => Some(Stock::Unlimited),
        }
    }

    pub fn as_count(self) -> Option<u32> {
        match self {
            Stock::Limited(n) => Some(n),
            Stock::Unlimited => None,
        }
    }
}

/// Something in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueItem {
    pub id: ItemId,
    pub name: Localised,
    pub category: ItemCategory,
    pub cost: Points,
    pub stock: Stock,
    /// Who honours the coupon, e.g. "Kyushu Yusen" or a shochu distillery.
    pub merchant: String,
    /// When the item can be redeemed; `None` means no bound on that side.
    pub available_from: Option<Timestamp>,
    pub available_until: Option<Timestamp>,
}

impl CatalogueItem {
    pub fn is_offered_at(&self, now: Timestamp) -> bool {
        self.available_from.is_none_or(|t| t <= now) && self.available_until.is_none_or(|t| now < t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stock_counts_down_to_none() {
        assert_eq!(Stock::Limited(1).take_one(), Some(Stock::Limited(0)));
        assert_eq!(Stock::Limited(0).take_one(), None);
        assert_eq!(Stock::Unlimited.take_one(), Some(Stock::Unlimited));
        assert!(!Stock::Limited(0).is_available());
    }
}
