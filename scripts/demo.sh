#!/usr/bin/env bash
# The main job on the embedded default: local ClickHouse + local Kafka-protocol broker, the bundled sample
# conversations replayed through Kafka, the pipeline scoring them into ClickHouse, and a summary.
# Production points every command at a real Kafka cluster and ClickHouse instead (see README).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SPEED="${SPEED:-40}"
SAMPLES="${1:-$REPO/samples/conversations.jsonl}"

"$REPO/scripts/setup.sh"
"$REPO/scripts/clickhouse.sh" start
"$REPO/scripts/broker.sh" start
emotion migrate

log "starting the pipeline (emotion run) in the background"
RUN_LOG="$EMOTION_HOME/run.log"
emotion run --exit-when-idle 8 --summary >"$RUN_LOG" 2>&1 &
RUN_PID=$!
trap 'kill $RUN_PID 2>/dev/null || true' EXIT

# One call with audio beside its transcript (espeak-ng speech made here; docs/audio.md), replayed at 4x real time.
AUDIO_DIR="$EMOTION_HOME/demo-audio"
log "making a call with audio (espeak-ng, sox) in $AUDIO_DIR and replaying it with its audio at 4x real time"
"$REPO/samples/audio/make-call.sh" "$AUDIO_DIR" >/dev/null
emotion replay "$AUDIO_DIR/calls.jsonl" --audio "$AUDIO_DIR" --speed 4 >"$EMOTION_HOME/replay-audio.log" 2>&1 &
AUDIO_PID=$!

log "replaying $(wc -l <"$SAMPLES") sample conversations through Kafka at ${SPEED}x real time"
emotion replay "$SAMPLES" --speed "$SPEED" --stagger 2
wait $AUDIO_PID || { cat "$EMOTION_HOME/replay-audio.log"; die "the audio replay failed"; }

log "waiting for the pipeline to finalize every conversation"
wait $RUN_PID || { cat "$RUN_LOG"; die "the pipeline failed; log: $RUN_LOG"; }
trap - EXIT
cat "$RUN_LOG"

emotion report client
cat <<MSG

Results are in ClickHouse database 'emotion' on http://127.0.0.1:8123 (tables utterances, conversations,
conversation_phases, conversation_drivers, alerts, ...). Try:
  ./emotion report conversation <conversation_id>     the emotion curve of one conversation
  ./emotion report conversation es-audio-001 --png c.png   the call with audio: voice per turn, arousal band
  ./emotion report agent --period week                 agents' conversion, drivers and focus areas
  ./emotion analyze samples/conversations.jsonl        the same scoring without Kafka or ClickHouse
  scripts/clickhouse.sh client                          SQL console
The broker and ClickHouse keep running; stop them with scripts/broker.sh stop and scripts/clickhouse.sh stop.
Pipeline log: $RUN_LOG
MSG
