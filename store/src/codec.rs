//! Conversions between core types and SQLite columns.

use iki_core::{CardUid, Timestamp};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Result, StoreError};

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("cannot encode: {e}")))
}

pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("cannot decode: {e}")))
}

/// Parses a column holding one of the core's `FromStr` types (ids, cards).
pub(crate) fn parse<T: std::str::FromStr>(text: &str, what: &str) -> Result<T> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("bad {what} “{text}”")))
}

pub(crate) fn card(text: &str) -> Result<CardUid> {
    parse(text, "card id")
}

pub(crate) fn ts(ms: i64) -> Timestamp {
    Timestamp(ms)
}
