//! Whole-system tests of Iki Circle. The tests live in `tests/`; `src/bin/` holds the
//! helper programs they drive (e.g. `crash-writer`, killed with SIGKILL mid-write), and
//! this library the shared rigs: a real hub on a loopback port, enrolled kiosks.

pub mod proxy;
pub mod rig;
