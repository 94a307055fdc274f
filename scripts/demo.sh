#!/usr/bin/env bash
# The main job: builds and runs the kiosk demo on the demo island (embedded defaults).
# Usage: ./scripts/demo.sh [--lang en]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo run --locked --release -p iki-kiosk -- demo "$@"
