//! The hub: the island's central server and the authority for balances, ballots, stock and rides.
//!
//! Not built yet — issue 4 (axum HTTP server, kiosk enrolment, staff API, exactly-once
//! event ingestion keyed by kiosk and sequence). This crate exports nothing until it works.
