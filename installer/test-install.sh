#!/usr/bin/env bash
# The install test, on this machine itself (as root): build the packages from the dev
# build, lintian them, install them, start the hub as its service user, create a staff
# account and a place, register a citizen, enrol a kiosk headlessly, record a check-in
# that reaches the hub, run the kiosk session's own command (cage on a headless output)
# and look at the screen, open the admin desktop's window, back up while serving, restore into a fresh hub, upgrade to a
# rebuilt package (the database kept and backed up first), remove and purge — data kept.
#
# It only touches /var/lib/iki-hub, /var/lib/iki-kiosk and /var/backups/iki-hub when they
# are absent or were made by an earlier run of this test (marked); real data stops it.
# Systemd need not be running: the hub is started the way its unit starts it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[[ $(id -u) -eq 0 ]] || { echo "test-install: run as root" >&2; exit 1; }
debs="$(mktemp -d)"
work="$(mktemp -d)"
hub_pid=""
cage_pid=""
xvfb_pid=""
cleanup() {
    [[ -n $hub_pid ]] && kill "$hub_pid" 2>/dev/null || true
    [[ -n $cage_pid ]] && kill "$cage_pid" 2>/dev/null || true
    pkill -u nobody -x iki-admin 2>/dev/null || true
    [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$debs" "$work"
}
trap cleanup EXIT
say() { echo "test-install: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
marker=.iki-install-test

# Earlier runs of this test leave their data (the packages never delete it); real data
# stops the test.
for dir in /var/lib/iki-hub /var/lib/iki-kiosk /var/backups/iki-hub; do
    if [[ -d $dir ]] && [[ -n "$(ls -A "$dir")" ]] && [[ ! -e $dir/$marker ]]; then
        fail "$dir holds data this test did not make; not touching it"
    fi
done
dpkg --purge iki-hub iki-kiosk iki-admin >/dev/null 2>&1 || true
rm -rf /var/lib/iki-hub /var/lib/iki-kiosk /var/backups/iki-hub

say "building the packages (version 0.1.0)"
"$root/installer/build-debs.sh" --profile dev --version 0.1.0 --out "$debs" >/dev/null
for deb in "$debs"/*.deb; do
    if lintian --tag-display-limit 0 "$deb" 2>/dev/null | grep '^[EW]:'; then fail "lintian errors or warnings in $(basename "$deb")"; fi
done
say "lintian: no errors, no warnings"

say "installing"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "$debs"/iki-hub_0.1.0_*.deb "$debs"/iki-kiosk_0.1.0_*.deb "$debs"/iki-admin_0.1.0_*.deb >/dev/null
for dir in /var/lib/iki-hub /var/lib/iki-kiosk /var/backups/iki-hub; do touch "$dir/$marker"; done
getent passwd iki-hub >/dev/null || fail "no iki-hub user"
getent passwd iki-kiosk >/dev/null || fail "no iki-kiosk user"
[[ $(stat -c '%U:%G %a' /var/lib/iki-hub) == "iki-hub:iki-hub 750" ]] || fail "/var/lib/iki-hub is $(stat -c '%U:%G %a' /var/lib/iki-hub)"
[[ $(stat -c '%U:%G %a' /etc/iki-hub/hub.env) == "root:iki-hub 640" ]] || fail "hub.env is $(stat -c '%U:%G %a' /etc/iki-hub/hub.env)"
[[ $(stat -c '%U:%G %a' /etc/iki-kiosk/kiosk.toml) == "root:iki-kiosk 640" ]] || fail "kiosk.toml is $(stat -c '%U:%G %a' /etc/iki-kiosk/kiosk.toml)"
id -nG iki-kiosk | grep -qw dialout || fail "iki-kiosk is not in dialout"
[[ -f /lib/systemd/system/iki-hub.service && -f /lib/systemd/system/iki-hub-backup.timer ]] || fail "no hub units"
command -v iki-devices >/dev/null || fail "no iki-devices"
for page in iki-hub iki-hub-backup iki-hub-restore iki-kiosk iki-kiosk-enrol iki-devices iki-admin; do
    [[ -f /usr/share/man/man1/$page.1.gz ]] || fail "no manual page $page(1)"
done
[[ -f /lib/udev/rules.d/60-iki-kiosk.rules && -f /lib/modprobe.d/iki-kiosk-blacklist-nfc.conf ]] || fail "no udev rules or blacklist"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /lib/systemd/system/iki-hub.service /lib/systemd/system/iki-hub-backup.service \
        /lib/systemd/system/iki-hub-backup.timer /lib/systemd/system/iki-kiosk.service 2>"$work/verify" || { cat "$work/verify" >&2; fail "systemd-analyze verify"; }
    # The kiosk's power settings are part of systemd's merged configuration.
    systemd-analyze cat-config systemd/sleep.conf | grep -qx 'AllowSuspend=no' || fail "the kiosk may still suspend"
    systemd-analyze cat-config systemd/logind.conf | grep -qx 'HandlePowerKey=ignore' || fail "the power key still acts"
fi
grep -q 'consoleblank - - - - 0' /usr/lib/tmpfiles.d/iki-kiosk.conf || fail "the console may still blank"

db=/var/lib/iki-hub/hub.sqlite3
password='a long manager password'
say "creating a manager and starting the hub as iki-hub"
echo "$password" | runuser -u iki-hub -- iki-hub create-staff --database "$db" --username aiko --role manager >/dev/null
start_hub() { # database → sets hub_pid and url
    # As its unit runs it: as iki-hub (setpriv execs, so the signal reaches the hub).
    setpriv --reuid iki-hub --regid iki-hub --init-groups iki-hub serve --listen 127.0.0.1:0 --database "$1" >"$work/hub.out" 2>"$work/hub.err" &
    hub_pid=$!
    for _ in $(seq 1 100); do grep -q 'listening on' "$work/hub.out" 2>/dev/null && break; sleep 0.1; done
    url="http://$(sed -n 's/^listening on //p' "$work/hub.out")"
    [[ $url != http:// ]] || { cat "$work/hub.err" >&2; fail "the hub did not start"; }
}
stop_hub() { kill -INT "$hub_pid"; wait "$hub_pid" || true; hub_pid=""; }
sign_in() { # → sets token for the hub at $url
    token="$(curl -sS --fail-with-body -H 'content-type: application/json' --data "{\"username\":\"aiko\",\"password\":\"$password\"}" "$url/v1/staff/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
}
start_hub "$db"
api() { # method path [json] → body
    curl -sS --fail-with-body -X "$1" -H "authorization: Bearer $token" -H 'content-type: application/json' ${3:+--data "$3"} "$url$2"
}
sign_in
[[ -n $token ]] || fail "sign-in"

say "a place, a citizen with a card, an enrolment code"
place=019b74ec-4581-786c-8b66-000000000001
api POST /v1/staff/places "{\"id\":\"$place\",\"kind\":\"ferry_port\",\"code\":\"GNR\",\"name\":{\"ja\":\"郷ノ浦港\",\"en\":\"Gōnoura Port\"},\"location\":{\"lat\":33.749,\"lon\":129.691},\"checkin_points\":10,\"pin_threshold\":300}" >/dev/null
card=felica:0114C0FFEE00A001
citizen="$(api POST /v1/staff/citizens "{\"kind\":\"resident\",\"nickname\":\"うみ\",\"home_region\":\"JP-42\",\"age_band\":\"60s\",\"card\":\"$card\"}" | sed -n 's/.*"citizen":"\([^"]*\)".*/\1/p')"
[[ -n $citizen ]] || fail "registering a citizen"
code="$(api POST /v1/staff/enrolment-codes "{\"place\":\"$place\",\"kiosk_code\":\"GNR1\"}" | sed -n 's/.*"code":"\([^"]*\)".*/\1/p')"

say "enrolling the kiosk headlessly and checking a card in"
kiosk_without_pin() { runuser -u iki-kiosk -- iki-kiosk enrol --config /etc/iki-kiosk/kiosk.toml --code x 2>&1 || true; }
kiosk_without_pin | grep -q 'staff_pin_hash must be an argon2id hash' || fail "a kiosk without its own staff PIN should not start"
pin_hash="$(echo 24681357 | iki-kiosk hash-pin)"
sed -i -e "s|^staff_pin_hash = .*|staff_pin_hash = \"$pin_hash\"|" /etc/iki-kiosk/kiosk.toml
grep -q '^# hub_url' /etc/iki-kiosk/kiosk.toml || fail "the packaged kiosk.toml names a hub (first start should ask)"
runuser -u iki-kiosk -- iki-kiosk enrol --config /etc/iki-kiosk/kiosk.toml --hub "$url" --code "$code" | grep -q 'enrolled as kiosk GNR1' || fail "enrolling"
runuser -u iki-kiosk -- iki-kiosk check-in --config /etc/iki-kiosk/kiosk.toml --card "$card" >"$work/checkin"
grep -q 'sent to the hub; 0 events waiting' "$work/checkin" || { cat "$work/checkin" >&2; fail "the check-in"; }
api GET "/v1/staff/citizens/$citizen" | grep -q '"reason":"check_in"' || fail "the hub has no check-in"
[[ $(stat -c '%U' /var/lib/iki-kiosk/kiosk.sqlite3) == iki-kiosk ]] || fail "the kiosk store's owner"

say "the kiosk session: the unit's cage command, full screen, gone when the kiosk stops"
session="$(sed -n 's/^ExecStart=//p' /lib/systemd/system/iki-kiosk.service)"
[[ $session == "/usr/bin/cage "* ]] || fail "the kiosk unit does not start cage: $session"
xdg="$(mktemp -d /tmp/iki-kiosk-xdg.XXXXXX)" # its own (the work folder is root's alone)
chown iki-kiosk:iki-kiosk "$xdg"
# As its unit runs it, as iki-kiosk; a headless wlroots output (1280×720) stands in for
# the screen, so the kiosk is scaled as it would be for a 1280×720 screen.
# shellcheck disable=SC2086 # the unit's command line, split into words as systemd does
# (Through sh, which says nothing of how cage ends: cage 0.1.4 aborts as it tears down.)
sh -c '"$@" || true' sh setpriv --reuid iki-kiosk --regid iki-kiosk --init-groups env XDG_RUNTIME_DIR="$xdg" \
    WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman SLINT_SCALE_FACTOR=0.6667 $session >"$work/cage.log" 2>&1 &
cage_pid=$!
for _ in $(seq 1 300); do grep -q 'waiting screen shown' "$work/cage.log" && break; sleep 0.1; done
grep -q 'waiting screen shown' "$work/cage.log" || { cat "$work/cage.log" >&2; fail "the kiosk did not come up under cage"; }
sleep 1
shoot() { # format, file: a screenshot taken as the session's user
    runuser -u iki-kiosk -- env XDG_RUNTIME_DIR="$xdg" WAYLAND_DISPLAY=wayland-0 grim -t "$1" "$xdg/shot"
    mv "$xdg/shot" "$2"
}
shoot ppm "$work/session.ppm"
# What cage leaves uncovered is black (all bytes 0); the kiosk's screen has no black.
size=$(stat -c %s "$work/session.ppm")
lit=$(tr -d '\000' <"$work/session.ppm" | wc -c)
(( lit * 100 >= size * 99 )) || fail "the kiosk does not fill the screen ($lit of $size bytes lit)"
if [[ -n ${IKI_SCREENSHOTS:-} ]]; then
    shoot png "$work/session.png"
    cp "$work/session.png" "$root/$IKI_SCREENSHOTS/kiosk-under-cage.png"
fi
pkill -u iki-kiosk -x iki-kiosk || fail "no kiosk process under cage"
running() { local state; state="$(ps -o stat= -p "$1" 2>/dev/null)"; [[ -n $state && $state != Z* ]]; }
for _ in $(seq 1 50); do running "$cage_pid" || break; sleep 0.1; done
! running "$cage_pid" || fail "cage went on without the kiosk (systemd would not restart it)"
wait "$cage_pid" || true
cage_pid=""
rm -rf "$xdg"

say "the admin desktop from the package: its window opens on a private X display"
display=":$((190 + RANDOM % 10))"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
admin_home="$(mktemp -d /tmp/iki-admin-home.XXXXXX)"
chown nobody:nogroup "$admin_home"
admin_window() { DISPLAY=$display xwininfo -root -tree 2>/dev/null | grep -q 'Iki Circle Admin'; }
sh -c '"$@" || true' sh setpriv --reuid nobody --regid nogroup --clear-groups \
    env HOME="$admin_home" DISPLAY="$display" IKI_HUB_URL="$url" /usr/bin/iki-admin >"$work/admin.log" 2>&1 &
for _ in $(seq 1 150); do admin_window && break; sleep 0.2; done
admin_window || { cat "$work/admin.log" >&2; fail "the admin desktop's window did not open"; }
sleep 2
pgrep -u nobody -x iki-admin >/dev/null || { cat "$work/admin.log" >&2; fail "the admin desktop stopped"; }
pkill -u nobody -x iki-admin
kill "$xvfb_pid"
wait "$xvfb_pid" 2>/dev/null || true
xvfb_pid=""
rm -rf "$admin_home"

say "backing up while the hub serves, restoring into a fresh hub"
runuser -u iki-hub -- iki-hub backup --database "$db" --to /var/backups/iki-hub --keep 3 >"$work/backup"
backup="$(sed -n 's/^backed up to //p' "$work/backup")"
[[ -f $backup ]] || fail "no backup file"
runuser -u iki-kiosk -- iki-kiosk backup --config /etc/iki-kiosk/kiosk.toml --to /var/lib/iki-kiosk/kiosk-backup.sqlite3 >/dev/null
stop_hub
fresh=/var/lib/iki-hub/restored
install -d -o iki-hub -g iki-hub "$fresh"
runuser -u iki-hub -- iki-hub restore --from "$backup" --database "$fresh/hub.sqlite3" >/dev/null
start_hub "$fresh/hub.sqlite3"
sign_in
api GET "/v1/staff/citizens/$citizen" | grep -q '"reason":"check_in"' || fail "the restored hub lacks the check-in"
stop_hub

say "upgrading to 0.1.0+1"
"$root/installer/build-debs.sh" --profile dev --version 0.1.0+1 --no-build --out "$debs" >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$debs"/iki-hub_0.1.0+1_*.deb "$debs"/iki-kiosk_0.1.0+1_*.deb >/dev/null
[[ $(dpkg-query -W -f '${Version}' iki-hub) == 0.1.0+1 ]] || fail "not upgraded"
[[ -f /var/backups/iki-hub/before-upgrade-from-0.1.0.sqlite3 ]] || fail "no backup before the upgrade"
rooted="$(find /var/lib/iki-hub /var/backups/iki-hub -user root ! -name "$marker")"
[[ -z $rooted ]] || fail "files the hub cannot use are owned by root: $rooted"
grep -qF "staff_pin_hash = \"$pin_hash\"" /etc/iki-kiosk/kiosk.toml || fail "the kiosk's configuration was not kept"
start_hub "$db"
sign_in
api GET "/v1/staff/citizens/$citizen" | grep -q '"reason":"check_in"' || fail "the upgraded hub lost the check-in"
stop_hub

say "removing and purging: the data stays"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq iki-hub iki-kiosk iki-admin >/dev/null
[[ -f $db && -f /var/lib/iki-kiosk/kiosk.sqlite3 && -f $backup ]] || fail "removing deleted data"
dpkg --purge iki-hub iki-kiosk >/dev/null
[[ -f $db && -f /var/lib/iki-kiosk/kiosk.sqlite3 && -f $backup ]] || fail "purging deleted data"
say "passed"
