#!/usr/bin/env bash
# Memory of a long `emotion run`: streams N synthetic segments through the real binaries (replay -> local broker ->
# emotion run -> local ClickHouse) and samples the run's resident memory (VmRSS) against the rows it has written,
# then keeps sampling once every conversation is finalized. A pipeline that keeps finalized conversations grows
# with the stream; a bounded one stays flat. Prints a table and writes the samples as CSV.
#
#   scripts/memory-bench.sh [--segments 200000] [--turns 12] [--chunk 1000] [--settle 60] [--out .local/membench/samples.csv]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

segments=200000 turns=12 out="$EMOTION_HOME/membench/samples.csv" settle=60 chunk=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --segments) segments="$2"; shift 2 ;;
    --turns) turns="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --chunk) chunk="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
conversations=$(( segments / turns ))
build_release
"$REPO/scripts/clickhouse.sh" status >/dev/null 2>&1 || die "ClickHouse is not running: scripts/clickhouse.sh start"
"$REPO/scripts/broker.sh" status >/dev/null 2>&1 || die "the broker is not running: scripts/broker.sh start"
bootstrap="$(cat "$EMOTION_HOME/broker/bootstrap")"
run_id="$(date +%s)"
db="emotion_membench_$run_id"
prefix="mb$run_id."
ch="Host=127.0.0.1;Port=${CLICKHOUSE_HTTP_PORT:-8123};Database=$db;Username=default;JsonReadMode=None;JsonWriteMode=None"
dir="$(dirname "$out")"; mkdir -p "$dir"
input="$dir/conversations-$run_id.jsonl"

log "writing $conversations synthetic conversations of $turns turns ($((conversations * turns)) segments)"
/usr/bin/python3 - "$conversations" "$turns" "$input" <<'PY'
import json, random, sys
n, turns, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rnd = random.Random(7)
agent = ["buenos dias le atiende", "me indica su numero de cliente", "ya lo reviso en el sistema", "le aplique el ajuste",
         "hello this is the billing team", "let me check that for you", "i have refunded the charge", "anything else today"]
customer = ["me cobraron dos veces este mes", "no tengo internet desde ayer", "gracias ya me aparece", "estoy cansado de llamar",
            "my card was charged twice", "the app keeps crashing", "thanks that fixed it", "this is the third time i call"]
with open(path, "w") as f:
    for i in range(n):
        t, out = 0.0, []
        for k in range(turns):
            words = rnd.choice(agent if k % 2 == 0 else customer) + " " + " ".join(rnd.choice(["eh", "mire", "ok", "pues", "so"]) for _ in range(rnd.randint(0, 3)))
            d = 1.5 + len(words) / 12
            out.append({"speaker": "agent" if k % 2 == 0 else "customer", "start_s": round(t, 2), "end_s": round(t + d, 2), "text": words})
            t += d + 0.4
        f.write(json.dumps({"conversation_id": f"mb-{i:06d}", "tenant": "bench", "agent_id": f"ag-{i % 40}", "language": "es",
                            "channel": "call", "turns": out}) + "\n")
PY

log "starting emotion run (database $db, topics $prefix*)"
dotnet "$EMOTION_DLL" run --bootstrap-servers "$bootstrap" --clickhouse "$ch" --group "membench-$run_id" --topic-prefix "$prefix" \
  >"$dir/run-$run_id.log" 2>&1 &
run_pid=$!
trap 'kill $run_pid 2>/dev/null || true; wait $run_pid 2>/dev/null || true' EXIT

query() { curl -sf "http://127.0.0.1:${CLICKHOUSE_HTTP_PORT:-8123}/" --data-binary "$1" 2>/dev/null || echo 0; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$run_pid/status" 2>/dev/null || echo 0; }
echo "seconds,rss_mb,utterance_rows,conversations" > "$out"
start=$(date +%s)
sample() {
  local u c
  u=$(query "SELECT count() FROM $db.utterances WHERE version > 1" | tr -dc 0-9); u=${u:-0}
  c=$(query "SELECT count() FROM $db.conversations" | tr -dc 0-9); c=${c:-0}
  echo "$(( $(date +%s) - start )),$(rss_mb),$u,$c" >> "$out"
  echo "$c"
}
sleep 8; sample >/dev/null
log "idle RSS $(rss_mb) MB; replaying in chunks of $chunk conversations, each once the previous one is finalized"
# The embedded broker keeps about 5 MiB per partition: a stream produced far ahead of the consumer would be cut by
# its retention, so the replay waits for each chunk to be finalized (the pipeline still sees thousands in flight).
split -l "$chunk" -d -a 4 "$input" "$dir/chunk-$run_id-"
sent=0
for part in "$dir"/chunk-"$run_id"-*; do
  dotnet "$EMOTION_DLL" replay "$part" --bootstrap-servers "$bootstrap" --topic-prefix "$prefix" --speed 0 >/dev/null 2>>"$dir/replay-$run_id.log"
  sent=$(( sent + $(wc -l < "$part") ))
  rm -f "$part"
  while true; do
    sleep 2
    done_convs=$(sample)
    kill -0 "$run_pid" 2>/dev/null || die "emotion run exited; see $dir/run-$run_id.log"
    [ "$done_convs" -ge "$(( sent - chunk / 2 ))" ] && break
    [ $(( $(date +%s) - start )) -gt 5400 ] && die "not finished after 90 minutes"
  done
done
while [ "$(sample)" -lt "$conversations" ]; do
  sleep 2
  [ $(( $(date +%s) - start )) -gt 5400 ] && die "not finished after 90 minutes"
done
log "every conversation finalized; sampling $settle s more"
for _ in $(seq 1 $(( settle / 2 ))); do sleep 2; sample >/dev/null; done

/usr/bin/python3 - "$out" "$segments" <<'PY'
import csv, sys
rows = [dict((k, int(v)) for k, v in r.items()) for r in csv.DictReader(open(sys.argv[1]))]
total = int(sys.argv[2])
print(f"{'point':>28} {'seconds':>8} {'RSS MB':>7} {'rows':>8}")
def at(label, r): print(f"{label:>28} {r['seconds']:>8} {r['rss_mb']:>7} {r['utterance_rows']:>8}")
at("idle, before the stream", rows[0])
for frac in (0.25, 0.5, 0.75, 1.0):
    r = next((r for r in rows if r["utterance_rows"] >= frac * total), rows[-1])
    at(f"{int(frac * 100)}% of segments written", r)
at("end, all finalized + settle", rows[-1])
print(f"peak RSS {max(r['rss_mb'] for r in rows)} MB")
PY
log "samples: $out"
query "DROP DATABASE IF EXISTS $db" >/dev/null
rm -f "$input"
