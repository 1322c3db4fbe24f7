#!/usr/bin/env bash
# The pipeline's sustained rate with audio and text together (BENCHMARKS.md, "Audio"): N copies of the demo call with
# audio (samples/audio/make-call.sh: 75 s, agent and customer channels as 8 kHz mu-law WAV, 9 transcript turns) are
# produced unpaced under a fresh topic prefix, then one `emotion run` (new group, new database) reads them all.
# Prints audio seconds and segments per second from the first message produced to the last conversation written.
#   scripts/audio-bench.sh [N=16]      (the local broker keeps 5 MiB per partition; the run reads while they are produced)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
N="${1:-16}"
"$REPO/scripts/setup.sh"
"$REPO/scripts/clickhouse.sh" start >/dev/null
"$REPO/scripts/broker.sh" start >/dev/null
BOOT="$(cat "$EMOTION_HOME/broker/bootstrap")"
CH_PORT="${CLICKHOUSE_HTTP_PORT:-8123}"
DB="audio_bench_$(date +%s)"
CH="Host=127.0.0.1;Port=$CH_PORT;Database=$DB;Username=default;JsonReadMode=None;JsonWriteMode=None"
PREFIX="abench$(date +%s)."
DIR="$EMOTION_HOME/audio-bench"
rm -rf "$DIR"; mkdir -p "$DIR/calls"
"$REPO/samples/audio/make-call.sh" "$DIR/one" >/dev/null
: >"$DIR/calls/calls.jsonl"
for i in $(seq -w 1 "$N"); do
  id="audio-bench-$i"
  for ch in agent customer; do sox "$DIR/one/es-audio-001.$ch.wav" -r 8000 -e mu-law -b 8 "$DIR/calls/$id.$ch.wav"; done
  sed "s/es-audio-001/$id/" "$DIR/one/calls.jsonl" >>"$DIR/calls/calls.jsonl"
done
SECONDS_PER_CALL=$(soxi -D "$DIR/one/es-audio-001.agent.wav")
emotion migrate --clickhouse "$CH" >/dev/null
log "starting the pipeline (new group, new database); producing $N calls with audio unpaced once it has its partitions"
# The topics exist before the run subscribes (an empty start marker creates them), so its first assignment has them all.
for t in transcripts events audio; do printf 'x|\n' | kcat -P -b "$BOOT" -t "$PREFIX$t" -K'|' -Z 2>/dev/null || true; done
emotion run --bootstrap-servers "$BOOT" --clickhouse "$CH" --topic-prefix "$PREFIX" --group "g-$PREFIX" --exit-when-idle 3 >"$DIR/run.log" 2>&1 &
RUN_PID=$!
for _ in $(seq 1 600); do grep -q 'Consuming' "$DIR/run.log" && break; sleep 0.2; done
start=$(date +%s.%N)
emotion replay "$DIR/calls/calls.jsonl" --audio "$DIR/calls" --audio-chunk-ms 500 --speed 0 --bootstrap-servers "$BOOT" --topic-prefix "$PREFIX" | tail -1
wait $RUN_PID
end=$(date +%s.%N)
q() { curl -s "http://127.0.0.1:$CH_PORT/?database=$DB" --data-binary "$1"; }
convs=$(q "SELECT count() FROM conversations FINAL")
segs=$(q "SELECT count() FROM utterances FINAL")
windows=$(q "SELECT count() FROM audio_windows FINAL")
awk -v n="$N" -v s="$SECONDS_PER_CALL" -v t0="$start" -v t1="$end" -v c="$convs" -v g="$segs" -v a="$windows" 'BEGIN {
  audio = n * s * 2; wall = t1 - t0 - 3;
  printf "conversations %d of %d, utterances %d of %d, audio windows %d of %d; audio %.0f channel-seconds (%.0f call-seconds)\n", c, n, g, 9 * n, a, 9 * n, audio, audio / 2;
  printf "from the first message produced to the last conversation written (the 3 s idle exit taken off): %.1f s\n", wall;
  printf "sustained: %.0f audio channel-seconds/s (%.0f call-seconds/s), %.1f transcript segments/s, %.2f conversations/s\n", audio / wall, audio / 2 / wall, g / wall, c / wall;
}'
curl -s "http://127.0.0.1:$CH_PORT/" --data-binary "DROP DATABASE IF EXISTS $DB" >/dev/null
