#!/usr/bin/env bash
# The main job: builds and runs the touch kiosk on the demo island (embedded defaults):
# its own hub on loopback, the demo cards on screen (keys 1–6 tap them), receipts shown
# and saved as PNG. With no display (an SSH session, a CI machine) it runs under Xvfb and
# plays a tour by itself, saving each screen in demo-output/screens/.
# Usage: ./scripts/demo.sh [--autoplay] [--fullscreen] [--data-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --locked --release -p iki-kiosk
kiosk="$CARGO_TARGET_DIR/release/iki-kiosk"
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    echo "demo: no display here, so the kiosk runs under Xvfb and plays its tour by itself"
    exec xvfb-run -a -s "-screen 0 2300x1080x24" "$kiosk" demo --autoplay "$@"
fi
exec "$kiosk" demo "$@"
