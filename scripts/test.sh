#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against the real local ClickHouse and Kafka-protocol
# broker that this script starts (and stops again when it started them).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$REPO/scripts/setup.sh"
started=()
if ! "$REPO/scripts/clickhouse.sh" status >/dev/null 2>&1; then "$REPO/scripts/clickhouse.sh" start; started+=(clickhouse); fi
if ! "$REPO/scripts/broker.sh" status >/dev/null 2>&1; then "$REPO/scripts/broker.sh" start; started+=(broker); fi
cleanup() { for s in "${started[@]}"; do "$REPO/scripts/$s.sh" stop || true; done; }
trap cleanup EXIT

export EMOTION_BOOTSTRAP_SERVERS="$(cat "$EMOTION_HOME/broker/bootstrap")"
export EMOTION_CLICKHOUSE="${EMOTION_CLICKHOUSE:-Host=127.0.0.1;Port=${CLICKHOUSE_HTTP_PORT:-8123};Username=default;JsonReadMode=None;JsonWriteMode=None}"
log "broker $EMOTION_BOOTSTRAP_SERVERS, ClickHouse ${EMOTION_CLICKHOUSE%%;Username*}"

results="$EMOTION_HOME/test-results"
rm -rf "$results"
status=0
dotnet test "$REPO/Emotion.sln" -nologo -v q --logger "console;verbosity=normal" --logger "trx" --results-directory "$results" "$@" || status=$?

# One closing line for every runner: 'N passed, N failed, N skipped', summed over the TRX files.
python3 - "$results" <<'PY' || true
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
failed = []
for path in glob.glob(sys.argv[1] + "/*.trx"):
    root = ET.parse(path).getroot()
    for r in root.findall(".//{*}UnitTestResult"):
        if r.get("outcome") in ("Failed", "Error", "Timeout"):
            msg = r.find(".//{*}ErrorInfo/{*}Message")
            first = (msg.text or "").strip().splitlines()[:6] if msg is not None else []
            failed.append((r.get("testName"), r.get("duration"), first))
    c = root.find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
# The failures again at the very end, where a CI log's tail shows them.
for name, duration, first in failed:
    print(f"FAILED {name} ({duration})")
    for line in first: print("    " + line[:300])
print(f"tests: {p} passed, {f} failed, {s} skipped")
PY
exit $status
