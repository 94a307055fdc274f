#!/usr/bin/env bash
# Installs what building and testing Iki Circle needs on Debian 12, idempotently.
# Sourced by demo.sh and test.sh; safe to run on its own.
set -euo pipefail

# Debian packages the build and the tests need:
#   build-essential, pkg-config   C compiler for the bundled SQLite and libnfc, pkg-config for -sys crates
#   cmake, libclang-dev           libnfc's vendored build and its bindings (nfc1)
#   libasound2-dev                ALSA, for sound through rodio
#   libpcsclite-dev               PC/SC card readers
#   pcscd, vsmartcard-vpcd        the PC/SC daemon and a virtual reader driver, for the PC/SC tests
#   libfontconfig1-dev            font discovery for the kiosk's Slint screens
#   fonts-morisawa-bizud-gothic   BIZ UD Gothic: the kiosk's screens, receipt raster lines and previews
#   fonts-noto-cjk                Noto Sans CJK: Korean and Chinese on receipts
#   xvfb, xauth                   a display for the kiosk demo and the screen tests on a headless machine
#   libwebkit2gtk-4.1-dev         WebKitGTK, the admin desktop's (Tauri) web view
#   webkit2gtk-driver             WebKitWebDriver, which drives the admin desktop in its end-to-end test
#   lintian, curl, grim, x11-utils the install test: checking the Debian packages, talking to the installed hub,
#                                 a screenshot of the kiosk session under cage, the admin window (xwininfo)
IKI_DEBIAN_PACKAGES=(build-essential pkg-config ca-certificates cmake libclang-dev libasound2-dev libpcsclite-dev pcscd vsmartcard-vpcd libfontconfig1-dev fonts-morisawa-bizud-gothic fonts-noto-cjk xvfb xauth libwebkit2gtk-4.1-dev webkit2gtk-driver lintian curl grim x11-utils)

missing=()
for pkg in "${IKI_DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "setup: these Debian packages are missing: ${missing[*]}" >&2
        echo "setup: run this script as root (or with sudo) once to install them." >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Rust toolchain: Debian 12's own rustc (1.63) is too old for edition 2024.
if [[ -x "$HOME/.cargo/bin/cargo" ]]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "setup: cargo was not found. Iki Circle needs Rust 1.85 or newer (edition 2024);" >&2
    echo "setup: Debian 12's rustc is too old. Install the stable toolchain with rustup, then run this again." >&2
    exit 1
fi

# One shared build directory outside the clone, reused between runs and clones (a cache:
# cargo rebuilds whatever changed). Non-root users without access build in ./target.
if [[ -z "${CARGO_TARGET_DIR:-}" ]]; then
    cache=/var/cache/iki-circle/target
    if mkdir -p "$cache" 2>/dev/null && [[ -w "$cache" ]]; then
        export CARGO_TARGET_DIR="$cache"
    fi
fi

# tauri-driver: the WebDriver server the admin desktop's end-to-end test drives the app
# through (it hands the session to WebKitWebDriver). Installed once into ~/.cargo/bin.
if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "setup: installing tauri-driver (once)" >&2
    cargo install tauri-driver --locked --quiet
fi
