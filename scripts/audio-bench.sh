#!/usr/bin/env bash
# The pipeline's sustained rate with audio and text together (BENCHMARKS.md, "Audio"): N copies of the demo call with
# audio (samples/audio/make-call.sh: 75 s, agent and customer channels as 8 kHz mu-law WAV, 9 transcript turns) are
# produced unpaced under a fresh topic prefix, then one `emotion run` (new group, new database) reads them all.
# Prints audio seconds and segments per second of processing: from the first utterance scored to the last conversation
# finalized (ClickHouse's clocks), and the run's whole wall time.
#   scripts/audio-bench.sh [N=8]       (the local broker keeps 5 MiB per partition: keep N x 1.2 MB of audio under it)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
N="${1:-8}"
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
log "producing $N calls with audio (unpaced) under prefix $PREFIX"
emotion replay "$DIR/calls/calls.jsonl" --audio "$DIR/calls" --audio-chunk-ms 500 --speed 0 --bootstrap-servers "$BOOT" --topic-prefix "$PREFIX" | tail -1
log "running the pipeline over them"
start=$(date +%s.%N)
emotion run --bootstrap-servers "$BOOT" --clickhouse "$CH" --topic-prefix "$PREFIX" --group "g-$PREFIX" --exit-when-idle 3 >"$DIR/run.log" 2>&1
end=$(date +%s.%N)
q() { curl -s "http://127.0.0.1:$CH_PORT/?database=$DB" --data-binary "$1"; }
convs=$(q "SELECT count() FROM conversations FINAL")
segs=$(q "SELECT count() FROM utterances FINAL")
windows=$(q "SELECT count() FROM audio_windows FINAL")
window_s=$(q "SELECT (toUInt64(max(finalized_at)) * 1000 - (SELECT min(scored_at_ms) FROM utterances)) / 1000 FROM conversations")
awk -v n="$N" -v s="$SECONDS_PER_CALL" -v w="$window_s" -v t0="$start" -v t1="$end" -v c="$convs" -v g="$segs" -v a="$windows" 'BEGIN {
  audio = n * s * 2; wall = t1 - t0 - 3;
  printf "conversations %d, utterances %d, audio windows %d, audio %.0f channel-seconds (%.0f call-seconds)\n", c, g, a, audio, audio / 2;
  printf "processing window (first utterance scored -> last conversation finalized): %.1f s: %.0f audio channel-seconds/s (%.0fx real time per channel), %.1f segments/s\n", w, audio / w, audio / w, g / w;
  printf "whole run (start-up, group join and the 3 s idle exit excluded only for the idle): %.1f s: %.0f audio channel-seconds/s, %.1f segments/s\n", wall, audio / wall, g / wall;
}'
curl -s "http://127.0.0.1:$CH_PORT/" --data-binary "DROP DATABASE IF EXISTS $DB" >/dev/null
