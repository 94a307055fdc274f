#!/usr/bin/env bash
# The whole test suite: unit, property, migration, flow and crash tests, and a check that
# the benchmarks still build. Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# The PC/SC test talks to pcscd through vsmartcard's virtual reader, which listens on
# 127.0.0.1:35963 once pcscd has loaded the driver. Start (or restart) pcscd until it does.
vpcd_listening() { (exec 3<>/dev/tcp/127.0.0.1/35963) 2>/dev/null; }
if ! vpcd_listening; then
    pkill -x pcscd 2>/dev/null || true
    sleep 0.5
    pcscd
    for _ in $(seq 1 50); do vpcd_listening && break; sleep 0.1; done
    vpcd_listening || { echo "test: pcscd did not load the virtual reader (vsmartcard-vpcd)" >&2; exit 1; }
fi

cargo test --locked --workspace
# The benchmarks still compile. They are built here in the test profile, reusing the build
# above (a release build would add minutes); `cargo bench` measures them in release.
cargo test --locked --workspace --benches --no-run --profile test
# The Debian packages: built, lintian-clean, installed on this machine, used, backed up,
# restored, upgraded and removed with their data kept (installer/test-install.sh).
if [[ $(id -u) -eq 0 ]]; then
    installer/test-install.sh
else
    echo "test: the install test needs root; run ./scripts/test.sh as root to include it" >&2
fi
