#!/usr/bin/env bash
# The pipeline's sustained rate with audio and text together (BENCHMARKS.md, "Audio"): N copies of the demo call with
# audio (samples/audio/make-call.sh: 75 s, agent and customer channels as 8 kHz mu-law WAV, 9 transcript turns) are
# produced unpaced under a fresh topic prefix, then one `emotion run` (new group, new database) reads them all.
# Prints audio seconds and segments per second from the first message produced to the last conversation written with its
# audio. A short run is mostly fixed costs (the first batch through a fresh process: model, JIT, first ClickHouse writes):
# run several sizes and take the slope for the sustained rate (BENCHMARKS.md, "Audio").
#   scripts/audio-bench.sh [N=16]      (the local broker keeps 5 MiB per partition; the run reads while they are produced)
# With Logging__LogLevel__Emotion.Pipeline=Debug in the environment, run.log shows where the loop's time went each second.
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
q() { curl -s "http://127.0.0.1:$CH_PORT/?database=$DB" --data-binary "$1"; }
# The replay runs beside this loop and notes when it exited; it prints how long it produced ("in X s"), so the first message
# was produced X s before that (its own start-up, reading and cutting the WAV files, is not the pipeline's work).
( emotion replay "$DIR/calls/calls.jsonl" --audio "$DIR/calls" --audio-chunk-ms 500 --speed 0 --bootstrap-servers "$BOOT" --topic-prefix "$PREFIX" \
    >"$DIR/replay.log" 2>&1; date +%s.%N >"$DIR/replay.end" ) &
REPLAY_PID=$!
# The end: ClickHouse holds all N conversations and the audio windows of all N (polled every 0.2 s; the windows of a
# conversation are written before its conversation row, and a conversation finalized before its audio came is written
# again with it).
end=""
while kill -0 "$RUN_PID" 2>/dev/null; do
  if [ "$(q "SELECT uniqExact(conversation_id) FROM conversations")" -ge "$N" ] 2>/dev/null \
     && [ "$(q "SELECT uniqExact(conversation_id) FROM audio_windows")" -ge "$N" ] 2>/dev/null; then
    end=$(date +%s.%N); break
  fi
  sleep 0.2
done
wait "$REPLAY_PID"
tail -1 "$DIR/replay.log"
wait "$RUN_PID"
[ -n "$end" ] || die "emotion run exited before ClickHouse held all $N conversations with audio; see $DIR/run.log"
produced=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$DIR/replay.log" | tail -1)
start=$(awk -v e="$(cat "$DIR/replay.end")" -v p="$produced" 'BEGIN { printf "%.3f", e - p }')
convs=$(q "SELECT count() FROM conversations FINAL")
segs=$(q "SELECT count() FROM utterances FINAL")
windows=$(q "SELECT count() FROM audio_windows FINAL")
reopened=$(grep -c 'reopens finalized conversation' "$DIR/run.log" || true)
# (only seen with debug logging on, see above)
[ "$reopened" -gt 0 ] && echo "conversations finalized before their audio was read and reopened by it: $reopened"
awk -v n="$N" -v s="$SECONDS_PER_CALL" -v t0="$start" -v t1="$end" -v c="$convs" -v g="$segs" -v a="$windows" -v p="$produced" 'BEGIN {
  audio = n * s * 2; wall = t1 - t0;
  printf "conversations %d of %d, utterances %d of %d, audio windows %d of %d; audio %.0f channel-seconds (%.0f call-seconds); produced in %.1f s\n", c, n, g, 9 * n, a, 9 * n, audio, audio / 2, p;
  printf "from the first message produced to the last conversation written with its audio: %.1f s\n", wall;
  printf "overall: %.0f audio channel-seconds/s (%.0f call-seconds/s), %.1f transcript segments/s, %.2f conversations/s\n", audio / wall, audio / 2 / wall, g / wall, c / wall;
}'
curl -s "http://127.0.0.1:$CH_PORT/" --data-binary "DROP DATABASE IF EXISTS $DB" >/dev/null
