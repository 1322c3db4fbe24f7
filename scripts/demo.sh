#!/usr/bin/env bash
# The main job on the embedded default: local ClickHouse + local Kafka-protocol broker, the bundled sample
# conversations replayed through Kafka, the pipeline scoring them into ClickHouse, and a summary.
# Production points every command at a real Kafka cluster and ClickHouse instead (see README).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SPEED="${SPEED:-40}"
SAMPLES="${1:-$REPO/samples/conversations.jsonl}"

"$REPO/scripts/setup.sh"
# The emotion commands below talk to the ClickHouse started here (its ports may be moved with CLICKHOUSE_HTTP_PORT and
# CLICKHOUSE_TCP_PORT), unless EMOTION_CLICKHOUSE already names one.
CH_CONNECTION="$("$REPO/scripts/clickhouse.sh" start)"
export EMOTION_CLICKHOUSE="${EMOTION_CLICKHOUSE:-$CH_CONNECTION}"
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

# The web console's users, one per role (made once, with passwords kept in $EMOTION_HOME/access/demo-logins, mode 0600).
# Once users exist 'emotion report' needs an API key: the demo admin's is issued (again) for the reports below.
LOGINS="$EMOTION_HOME/access/demo-logins"
mkdir -p "$EMOTION_HOME/access" "$EMOTION_HOME/console"
if [ ! -s "$LOGINS" ]; then
  ( umask 077
    for spec in "demo-qa qa_analyst banco-andino" "demo-coach coach banco-andino" "demo-cliente client banco-andino" \
                "demo-supervisor supervisor banco-andino" "demo-admin admin -"; do
      echo "$spec $(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | cut -c1-12)"
    done >"$LOGINS" )
fi
known="$(emotion users list | cut -f1)"
while read -r name role tenant password; do
  grep -qx "$name" <<<"$known" || emotion users add "$name" --role "$role" $([ "$tenant" != - ] && echo --tenant "$tenant") >/dev/null
  emotion users password "$name" --password "$password" >/dev/null
done <"$LOGINS"
EMOTION_API_KEY="$(emotion users key demo-admin --replace)"
export EMOTION_API_KEY

emotion report client
log "case triage: request, complaint, claim, and first-contact resolution against each class's target"
emotion report triage
log "moments of truth: the customer's valence before and after each (identity check, price, payment plan, transfer, hold, resolution)"
emotion report moments
log "anticipation candidates: contact reasons ranked by negative emotion, volume and predictability, with what would have prevented them"
emotion report anticipation --top 5

log "starting the web console (emotion serve) in the background"
CONSOLE_URL="http://127.0.0.1:${EMOTION_CONSOLE_PORT:-5080}"
CONSOLE_PID="$EMOTION_HOME/console/pid"
if [ -f "$CONSOLE_PID" ] && kill -0 "$(cat "$CONSOLE_PID")" 2>/dev/null; then kill "$(cat "$CONSOLE_PID")"; sleep 1; fi
nohup dotnet "$EMOTION_DLL" serve --urls "$CONSOLE_URL" >"$EMOTION_HOME/console/serve.log" 2>&1 &
echo $! >"$CONSOLE_PID"
for _ in $(seq 1 60); do curl -fs -o /dev/null "$CONSOLE_URL/login" && break; sleep 1; done
curl -fs -o /dev/null "$CONSOLE_URL/login" || die "the console did not start; log: $EMOTION_HOME/console/serve.log"

cat <<MSG

Web console: $CONSOLE_URL   (Spanish by default; ES/EN at the top right)
$(while read -r name role tenant password; do printf '  %-11s %-14s user %-16s password %s\n' "$role" "$([ "$tenant" != - ] && echo "$tenant" || echo "every tenant")" "$name" "$password"; done <"$LOGINS")
Stop it with: kill \$(cat $CONSOLE_PID)
Users now exist, so 'emotion report' needs an API key:  export EMOTION_API_KEY=$EMOTION_API_KEY

Results are in ClickHouse database 'emotion' on http://127.0.0.1:${CLICKHOUSE_HTTP_PORT:-8123} (tables utterances, conversations,
conversation_phases, conversation_drivers, alerts, ...). Try:
  ./emotion report conversation <conversation_id>     the emotion curve of one conversation
  ./emotion report conversation es-audio-001 --png c.png   the call with audio: voice per turn, arousal band
  ./emotion report agent --period week                 agents' conversion, drivers and focus areas
  ./emotion report moments --agent <agent_id>          moments of truth, that agent against the team
  ./emotion analyze samples/conversations.jsonl        the same scoring without Kafka or ClickHouse
  scripts/clickhouse.sh client                          SQL console
The broker and ClickHouse keep running; stop them with scripts/broker.sh stop and scripts/clickhouse.sh stop.
Pipeline log: $RUN_LOG
MSG
