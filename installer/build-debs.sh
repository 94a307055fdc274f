#!/usr/bin/env bash
# Builds the Debian packages iki-hub, iki-kiosk and iki-admin from this workspace with
# dpkg-deb: binaries stripped, run-time dependencies found by dpkg-shlibdeps plus the
# packages named below, maintainer scripts from installer/debian/<package>/.
#
# Usage: installer/build-debs.sh [--profile release|dev] [--version 0.1.0] [--out DIR] [--no-build]
#   --profile   the cargo profile to package (default release; the install test packages
#               the dev build it already has)
#   --version   the package version (default: the workspace version)
#   --out       where the .deb files go (default target-debs/ in the workspace)
#   --no-build  package the binaries already built for that profile
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
profile=release
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)"
out="$root/target-debs"
build=1
while (($#)); do
    case "$1" in
        --profile) profile="$2"; shift 2 ;;
        --version) version="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        *) echo "build-debs: unknown option $1" >&2; exit 2 ;;
    esac
done
target="${CARGO_TARGET_DIR:-$root/target}"
bin_dir="$target/$([[ $profile == dev ]] && echo debug || echo "$profile")"
arch="$(dpkg --print-architecture)"
maintainer="Iki Circle team <iki-circle@city.iki.example>"

if ((build)); then
    cargo build --locked --profile "$profile" -p iki-hub -p iki-kiosk -p iki-devices -p iki-admin-desktop --bins
fi
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# stage PACKAGE: a fresh staging root for PACKAGE.
stage() { rm -rf "${work:?}/$1"; mkdir -p "$work/$1/DEBIAN"; echo "$work/$1"; }

# put SRC DEST MODE: a file into the staging root. (Configuration files with secrets are
# shipped 0644 and tightened to 0640 by the postinst, once the system user exists.)
put() { install -D -m "$3" "$1" "$2"; }

# docs PACKAGE DIR README: copyright, changelog and the README every package carries.
docs() {
    local pkg="$1" dir="$2" readme="$3" doc="$2/usr/share/doc/$1"
    install -d "$doc"
    cat >"$doc/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: iki-circle
Source: https://github.com/iki-circle/iki-circle

Files: *
Copyright: 2026 Iki City and the Iki Circle contributors
License: MIT or Apache-2.0
 Iki Circle is dual-licensed under the MIT licence or the Apache Licence 2.0, at your
 option. On Debian systems the Apache Licence 2.0 is in
 /usr/share/common-licenses/Apache-2.0. The MIT licence:
 .
 Permission is hereby granted, free of charge, to any person obtaining a copy of this
 software and associated documentation files (the "Software"), to deal in the Software
 without restriction, including without limitation the rights to use, copy, modify,
 merge, publish, distribute, sublicense, and/or sell copies of the Software, and to
 permit persons to whom the Software is furnished to do so, subject to the following
 conditions:
 .
 The above copyright notice and this permission notice shall be included in all copies
 or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
 INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
 PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT
 HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
 CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR
 THE USE OR OTHER DEALINGS IN THE SOFTWARE.
EOF
    printf '%s (%s) bookworm; urgency=medium\n\n  * Built from the Iki Circle workspace.\n\n -- %s  %s\n' \
        "$pkg" "$version" "$maintainer" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(date +%s)}")" | gzip -9n >"$doc/changelog.gz"
    install -m 0644 "$readme" "$doc/README.md"
}

# finish PACKAGE DIR DEPENDS SECTION SUMMARY DESCRIPTION: control, conffiles, md5sums, .deb.
finish() {
    local pkg="$1" dir="$2" extra="$3" section="$4" summary="$5" description="$6"
    if [[ -d "$root/installer/debian/$pkg" ]]; then
        for script in "$root/installer/debian/$pkg"/*; do [[ -e $script ]] && install -m 0755 "$script" "$dir/DEBIAN/"; done
    fi
    if [[ -d "$dir/etc" ]]; then
        (cd "$dir" && find etc -type f | sort | sed 's|^|/|') >"$dir/DEBIAN/conffiles"
    fi
    # Run-time libraries of the binaries, as Debian names them.
    mkdir -p "$work/shlibs/debian"
    printf 'Source: iki-circle\n\nPackage: %s\nArchitecture: any\n' "$pkg" >"$work/shlibs/debian/control"
    local shlibs
    shlibs="$(cd "$work/shlibs" && dpkg-shlibdeps -O "$dir"/usr/bin/* 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
    local size
    size="$(du -sk --exclude=DEBIAN "$dir" | cut -f1)"
    cat >"$dir/DEBIAN/control" <<EOF
Package: $pkg
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: ${shlibs}${extra:+, $extra}
Section: $section
Priority: optional
Homepage: https://github.com/iki-circle/iki-circle
Description: $summary
$(printf '%s\n' "$description" | fold -s -w 78 | sed 's/ *$//; s/^/ /')
EOF
    (cd "$dir" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) >"$dir/DEBIAN/md5sums"
    find "$dir" -type d -exec chmod 0755 {} +
    dpkg-deb --root-owner-group -Zxz --build "$dir" "$out/${pkg}_${version}_${arch}.deb" >/dev/null
    echo "$out/${pkg}_${version}_${arch}.deb"
}

binary() { put "$bin_dir/$1" "$2/usr/bin/$1" 0755; strip --strip-unneeded "$2/usr/bin/$1"; }

# manuals PROGRAM DIR: the program's own manual pages (one per command), compressed.
manuals() {
    install -d "$2/usr/share/man/man1"
    "$bin_dir/$1" man "$2/usr/share/man/man1"
    gzip -9n "$2"/usr/share/man/man1/"$1"*.1
}

# --- iki-hub ---
d="$(stage iki-hub)"
binary iki-hub "$d"
manuals iki-hub "$d"
put "$root/installer/systemd/iki-hub.service" "$d/lib/systemd/system/iki-hub.service" 0644
put "$root/installer/systemd/iki-hub-backup.service" "$d/lib/systemd/system/iki-hub-backup.service" 0644
put "$root/installer/systemd/iki-hub-backup.timer" "$d/lib/systemd/system/iki-hub-backup.timer" 0644
put "$root/installer/config/hub.env" "$d/etc/iki-hub/hub.env" 0644
put "$root/hub/openapi.json" "$d/usr/share/iki-hub/openapi.json" 0644
docs iki-hub "$d" "$root/installer/README.md"
finish iki-hub "$d" "adduser, ca-certificates" net \
    "Iki Circle hub: the island's server for kiosks and hall staff" \
    "The central server of Iki Circle, Iki City's e-citizen kiosks: kiosks enrol with it and sync their check-ins, point redemptions, ballots and ride requests exactly once; hall staff work through its staff API from the admin desktop. One SQLite database in /var/lib/iki-hub, served by a hardened systemd unit, backed up nightly by a timer into /var/backups/iki-hub."

# --- iki-kiosk ---
d="$(stage iki-kiosk)"
binary iki-kiosk "$d"
binary iki-devices "$d"
manuals iki-kiosk "$d"
manuals iki-devices "$d"
put "$root/installer/systemd/iki-kiosk.service" "$d/lib/systemd/system/iki-kiosk.service" 0644
put "$root/installer/udev/60-iki-kiosk.rules" "$d/lib/udev/rules.d/60-iki-kiosk.rules" 0644
put "$root/installer/modprobe/iki-kiosk-blacklist-nfc.conf" "$d/lib/modprobe.d/iki-kiosk-blacklist-nfc.conf" 0644
put "$root/installer/systemd/iki-kiosk-sleep.conf" "$d/usr/lib/systemd/sleep.conf.d/iki-kiosk.conf" 0644
put "$root/installer/systemd/iki-kiosk-logind.conf" "$d/usr/lib/systemd/logind.conf.d/iki-kiosk.conf" 0644
put "$root/installer/systemd/iki-kiosk-tmpfiles.conf" "$d/usr/lib/tmpfiles.d/iki-kiosk.conf" 0644
# Shipped without a staff PIN: the kiosk will not start until staff set their own.
install -d "$d/etc/iki-kiosk"
sed -e 's|^staff_pin_hash = .*|staff_pin_hash = ""|' \
    -e 's|^# CHANGE THIS: the hash below is of the example PIN 2580.|# REQUIRED: the kiosk does not start until this is set.|' \
    "$root/assets/config/kiosk.example.toml" >"$d/etc/iki-kiosk/kiosk.toml"
chmod 0644 "$d/etc/iki-kiosk/kiosk.toml"
grep -q '^staff_pin_hash = ""' "$d/etc/iki-kiosk/kiosk.toml" || { echo "build-debs: kiosk.toml's PIN line changed; update this script" >&2; exit 1; }
put "$root/assets/config/devices.example.toml" "$d/etc/iki-kiosk/devices.toml" 0644
for f in "$root"/assets/sounds/*; do put "$f" "$d/usr/share/iki-circle/assets/sounds/$(basename "$f")" 0644; done
docs iki-kiosk "$d" "$root/installer/README.md"
finish iki-kiosk "$d" "adduser, udev, cage, libwayland-client0, libxkbcommon0, fonts-morisawa-bizud-gothic, fonts-noto-cjk" misc \
    "Iki Circle kiosk: e-citizen check-in, points, voting and rides" \
    "The touch kiosk of Iki Circle for Iki City's telework centre, ferry ports and community halls: visitors tap an NFC card to check in, spend the island's points, vote in citizens' dialogues and book on-demand rides, in Japanese, English, Korean and Chinese, with large targets and sound for elderly users. It works offline and syncs to the hub. Boots full screen under the cage compositor on tty1."

# --- iki-admin ---
d="$(stage iki-admin)"
binary iki-admin "$d"
install -d "$d/usr/share/man/man1"
gzip -9n <"$root/installer/man/iki-admin.1" >"$d/usr/share/man/man1/iki-admin.1.gz"
put "$root/admin-desktop/icons/icon.png" "$d/usr/share/icons/hicolor/256x256/apps/iki-admin.png" 0644
install -d "$d/usr/share/applications"
cat >"$d/usr/share/applications/iki-admin.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Name=Iki Circle Admin
Name[ja]=壱岐サークル 管理
Comment=Hall staff's desk: citizens, themes, rides, kiosks and reports
Comment[ja]=係員の画面：市民・対話テーマ・配車・端末・報告
Exec=iki-admin
Icon=iki-admin
Terminal=false
Categories=Office;
EOF
docs iki-admin "$d" "$root/installer/README.md"
finish iki-admin "$d" "fonts-morisawa-bizud-gothic | fonts-noto-cjk" misc \
    "Iki Circle admin desktop for hall staff" \
    "The desktop app hall staff use with Iki Circle's hub: a dashboard, citizens and their cards (tapped on a reader at the desk), the points catalogue, dialogue themes and paper ballots, the ride dispatch board, places and kiosk enrolment codes, reports and the open-data export, coupon checks and the audit log. Japanese first, with English."
