#!/usr/bin/env bash
# The whole test suite: unit, property, migration, flow and crash tests, and a check that
# the benchmarks still build. Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --locked --release --benches -p iki-kiosk-services -p iki-devices
cargo test --locked --workspace
