#!/usr/bin/env bash
# End-to-end Bluetooth: the CLI's real btleplug path, and the desktop app's
# (the library's `DesktopBluetooth` with `sensors().pair/sync`, feature
# `desktop`), against the simulated sensor served as a BlueZ GATT
# peripheral, all on bluezoo (a BlueZ D-Bus mock) on a private D-Bus. No
# radio needed.
#
#   adapter hci0 (central)  <- second-heart devices …  (btleplug)
#                           <- bindings/tests/desktop_bluetooth.rs (btleplug)
#   adapter hci1 (peripheral) <- sim-peripheral           (bluer + SimSensor)
#
# bluezoo 1.0.2 cannot make a second connection in one process (stale
# objects), so it is restarted between commands; the peripheral registers
# again and keeps its records. Every process started here is stopped on exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. tests/lib/setup.sh

step "Bluetooth end to end: setting up D-Bus, bluezoo and the simulated sensor"
command -v dbus-daemon >/dev/null || apt_install dbus
venv=target/ble-venv
if [ ! -x "$venv/bin/bluezoo" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q bluezoo==1.0.2
fi
cargo build -q --locked -p second-heart-cli -p second-heart-sim-peripheral
# The desktop app's path: the library with `desktop`, driven through its FFI objects.
desktop_tests=$(cargo test -q --locked -p second-heart-ffi --features desktop --test desktop_bluetooth \
  --no-run --message-format=json | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "desktop_bluetooth" and m.get("executable"):
        print(m["executable"])')
cli=target/debug/second-heart
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP_E2E:-}" ] && cp -r "$work" /tmp/e2e-kept; rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "BLE e2e FAILED: $*" >&2
  echo "--- bluezoo log (tail)" >&2; tail -30 "$work/bluezoo.log" >&2 || true
  echo "--- peripheral log (tail)" >&2; tail -30 "$work/peripheral.err" >&2 || true
  exit 1
}

dbus-daemon --session --address="unix:path=$work/bus" --nofork --nopidfile >"$work/dbus.log" 2>&1 &
pids+=($!)
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus"
for _ in $(seq 50); do [ -S "$work/bus" ] && break; sleep 0.1; done

bluezoo_pid=""
start_bluezoo() {
  "$venv/bin/bluezoo" -vv --auto-enable --scan-interval 1 \
    -a 00:00:00:00:00:01 -a 00:00:00:00:00:02 >>"$work/bluezoo.log" 2>&1 &
  bluezoo_pid=$!
  pids+=("$bluezoo_pid")
}
ready_count() { grep -c '^ready$' "$work/peripheral.out" 2>/dev/null || true; }
wait_ready() {
  local want=$1
  for _ in $(seq 100); do
    [ "$(ready_count)" -ge "$want" ] && return 0
    sleep 0.1
  done
  fail "the peripheral did not register (ready $(ready_count), wanted $want)"
}
registrations=0
released_count() { grep -c '^released$' "$work/peripheral.out" 2>/dev/null || true; }
restart_bluezoo() {
  local released
  released=$(released_count)
  kill -USR1 "$peripheral_pid"
  for _ in $(seq 50); do [ "$(released_count)" -gt "$released" ] && break; sleep 0.1; done
  kill "$bluezoo_pid"; wait "$bluezoo_pid" 2>/dev/null || true
  start_bluezoo
  sleep 0.5
  kill -USR1 "$peripheral_pid"
  registrations=$((registrations + 1))
  wait_ready "$registrations"
}

start_bluezoo
target/debug/sim-peripheral --adapter hci1 --serial SH-E2E-0001 --hours 12 --stall-after-bytes 6000 \
  >"$work/peripheral.out" 2>"$work/peripheral.err" &
peripheral_pid=$!
pids+=("$peripheral_pid")
registrations=1
wait_ready 1

db="$work/e2e.db"
sh() { "$cli" --db "$db" devices --adapter hci0 --scan-seconds 5 "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
count_rows() {
  python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows, distinct, top = c.execute(
    "SELECT count(*), count(DISTINCT seq), coalesce(max(seq), 0) FROM sensor_record WHERE device_serial = 'SH-E2E-0001'").fetchone()
print(rows, distinct, top)
PY
}
passed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }

# 1. Scan finds the sensor on the other adapter.
sh scan --json >"$work/scan.json" || fail "scan failed"
kind=$(json "[f['kind'] for f in d if f['id'] == '00:00:00:00:00:02'][0]" <"$work/scan.json") || fail "scan did not find the sensor: $(cat "$work/scan.json")"
[ "$kind" = second_heart_sensor ] || fail "scan saw kind $kind"
ok "scan finds the simulated sensor"

# 2. Pairing: the sensor hangs mid-transfer. The sync gives up with a clear
#    error, keeping the records that arrived intact.
if sh pair 00:00:00:00:00:02 --json >"$work/pair1.json" 2>"$work/pair1.err"; then
  fail "the first pairing should have failed on the hung sensor"
fi
grep -q "gave up after" "$work/pair1.err" || fail "unclear error: $(cat "$work/pair1.err")"
read -r rows distinct top < <(count_rows)
[ "$rows" -gt 0 ] && [ "$rows" = "$distinct" ] && [ "$top" = "$rows" ] ||
  fail "after the hang: $rows rows, $distinct distinct, top $top"
ok "a sensor that hangs mid-sync ends the sync with a clear error, $rows records kept"
first=$rows

# 3. Pairing again resumes where it stopped: nothing lost, nothing doubled.
restart_bluezoo
sh pair 00:00:00:00:00:02 --json >"$work/pair2.json" || fail "pairing failed: $(cat "$work/pair2.json")"
stored=$(json "d['records_stored']" <"$work/pair2.json")
duplicates=$(json "d['duplicates_ignored']" <"$work/pair2.json")
high=$(json "d['high_water']" <"$work/pair2.json")
read -r rows distinct top < <(count_rows)
[ "$duplicates" = 0 ] || fail "$duplicates records came twice"
[ "$rows" = "$distinct" ] && [ "$rows" = "$high" ] && [ "$top" = "$high" ] ||
  fail "after resuming: $rows rows, $distinct distinct, top $top, high-water $high"
[ $((first + stored)) = "$rows" ] || fail "$first + $stored != $rows"
ok "pairing resumes: $first + $stored = $rows records, each once, 1..$high without a hole"

# 4. A later sync of every paired sensor fetches only what is new.
restart_bluezoo
sh sync --json >"$work/sync.json" || fail "sync failed: $(cat "$work/sync.json")"
again=$(json "d[0]['records_stored']" <"$work/sync.json")
read -r rows distinct top < <(count_rows)
[ "$rows" = "$distinct" ] && [ "$rows" = "$top" ] || fail "after sync: $rows rows, $distinct distinct"
[ "$again" -lt 10 ] || fail "a sync right after pairing fetched $again records"
ok "sync by serial fetches only the new records ($again)"

# 5. Live: cadence (RSC) and calf-pump frames stream.
restart_bluezoo
sh live SH-E2E-0001 --seconds 3 --json >"$work/live.jsonl" || fail "live failed"
frames=$(grep -c '"frame"' "$work/live.jsonl" || true)
cadences=$(grep -c '"cadence"' "$work/live.jsonl" || true)
[ "$frames" -ge 2 ] && [ "$cadences" -ge 1 ] || fail "live: $frames frames, $cadences cadence readings"
ok "live streams $frames pump frames and $cadences cadence readings"

# 6. Another sensor answering at the paired address is never synced, never
#    told to delete anything and never added: the sync names both serials.
released=$(released_count)
kill -USR1 "$peripheral_pid"
for _ in $(seq 50); do [ "$(released_count)" -gt "$released" ] && break; sleep 0.1; done
kill "$peripheral_pid"; wait "$peripheral_pid" 2>/dev/null || true
kill "$bluezoo_pid"; wait "$bluezoo_pid" 2>/dev/null || true
start_bluezoo
sleep 0.5
target/debug/sim-peripheral --adapter hci1 --serial SH-E2E-OTHER --hours 2 \
  >>"$work/peripheral.out" 2>"$work/other.err" &
peripheral_pid=$!
pids+=("$peripheral_pid")
registrations=$((registrations + 1))
wait_ready "$registrations"
if sh sync SH-E2E-0001 --json >"$work/wrong.json" 2>"$work/wrong.err"; then
  fail "a sync reached SH-E2E-OTHER in place of SH-E2E-0001 and succeeded"
fi
grep -q "connected to sensor SH-E2E-OTHER, not SH-E2E-0001" "$work/wrong.err" ||
  fail "unclear: $(cat "$work/wrong.err")"
other=$(python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("SELECT count(*) FROM sensor_device WHERE serial = 'SH-E2E-OTHER'").fetchone()[0]
      + c.execute("SELECT count(*) FROM sensor_record WHERE device_serial = 'SH-E2E-OTHER'").fetchone()[0])
PY
)
[ "$other" = 0 ] || fail "SH-E2E-OTHER entered the database ($other rows)"
# The first sensor logged the deletes its syncs asked for; the other none.
grep -q "told to delete" "$work/peripheral.err" ||
  fail "the paired sensor's syncs should have logged their deletes"
if grep -q "told to delete" "$work/other.err"; then
  fail "SH-E2E-OTHER was told to delete: $(grep "told to delete" "$work/other.err")"
fi
ok "another sensor at the paired address is refused, naming both serials; nothing stored or deleted"

# 7. Forget deletes the pairing and the records, and says so first.
sh forget SH-E2E-0001 2>/dev/null && fail "forget without --yes should refuse"
sh forget SH-E2E-0001 --yes --json >/dev/null || fail "forget failed"
read -r rows _ _ < <(count_rows)
[ "$rows" = 0 ] || fail "forget left $rows records"
ok "forget asks first, then removes the sensor and its records"

# 8. The desktop app's path, through the library's FFI objects: scan (one
#    cancelled once the sensor shows up), pair, then a later sync. The
#    sensor answering now is SH-E2E-OTHER; a fresh database pairs it.
desktop() {
  SECOND_HEART_BLE_ADAPTER=hci0 SECOND_HEART_BLE_SENSOR=00:00:00:00:00:02 \
    SECOND_HEART_BLE_DB="$work/desktop.db" "$desktop_tests" --ignored --exact "$@" >>"$work/desktop.log" 2>&1 ||
    fail "desktop Bluetooth test $*: $(tail -20 "$work/desktop.log")"
}
restart_bluezoo
desktop scan_then_pair
restart_bluezoo
desktop sync_the_paired_sensor
DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/nothing" desktop without_bluez_the_adapter_is_unavailable
ok "the desktop app's DesktopBluetooth scans (and stops when cancelled), pairs and syncs through sensors()"

# 9. No such adapter, and no D-Bus at all: clear messages, no panic.
out=$("$cli" --db "$db" devices --adapter hci7 scan 2>&1) && fail "hci7 should not exist"
grep -q "no Bluetooth adapter called hci7" <<<"$out" || fail "unclear: $out"
out=$(DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/nothing" "$cli" --db "$db" devices scan 2>&1) && fail "scan without D-Bus should fail"
grep -q "cannot reach the Bluetooth service" <<<"$out" || fail "unclear: $out"
grep -qi "panick" <<<"$out" && fail "panicked: $out"
ok "no adapter and no D-Bus give clear messages"

# 10. bluezoo can report success while registering nothing: its log must be clean.
if grep -E "ERROR|Traceback" "$work/bluezoo.log" >/dev/null; then
  fail "bluezoo logged errors"
fi
ok "bluezoo logged no errors"
echo "Bluetooth end to end: $passed passed, 0 failed"
