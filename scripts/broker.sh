#!/usr/bin/env bash
# Local Kafka-protocol broker for the embedded default and the integration tests.
#   scripts/broker.sh start [emotion broker options...]   build if needed, start in the background, print the address
#   scripts/broker.sh stop                                  stop it (SIGTERM, then SIGKILL after 10 s)
#   scripts/broker.sh status                                print the address and exit 0 if it answers, else exit 1
# State lives in $EMOTION_HOME/broker (default <repo>/.local/broker): pid, log, bootstrap (the address file).
# EMOTION_BROKER_PORT=N starts it on a fixed port (see 'emotion broker --help').
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${EMOTION_HOME:-$ROOT/.local}"
DIR="$LOCAL/broker"
PIDFILE="$DIR/pid"
LOG="$DIR/broker.log"
ADDR="$DIR/bootstrap"
DLL="$ROOT/src/Host/bin/Release/net10.0/emotion.dll"
KCAT="${KCAT:-$(command -v kcat || command -v kafkacat || true)}"

running() {
    [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

answers() {
    local addr="$1"
    if [[ -n "$KCAT" ]]; then
        "$KCAT" -L -b "$addr" -m 3 >/dev/null 2>&1
    else
        # No kcat: settle for a TCP connect to the first broker.
        local hp="${addr%%,*}"
        (exec 3<>"/dev/tcp/${hp%:*}/${hp##*:}") 2>/dev/null
    fi
}

needs_build() {
    [[ ! -f "$DLL" ]] && return 0
    # Rebuild when any source of the host or its project references is newer than the binary.
    [[ -n "$(find "$ROOT/src" \( -name '*.cs' -o -name '*.csproj' \) -newer "$DLL" -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]] && return 0
    [[ "$ROOT/Directory.Packages.props" -nt "$DLL" ]] && return 0
    return 1
}

start() {
    mkdir -p "$DIR"
    if running; then
        if [[ -f "$ADDR" ]] && answers "$(cat "$ADDR")"; then
            echo "$(cat "$ADDR")"
            return 0
        fi
        echo "broker.sh: pid $(cat "$PIDFILE") is running but does not answer; stopping it" >&2
        stop
    fi
    if needs_build; then
        echo "broker.sh: building src/Host (Release)" >&2
        if ! dotnet build "$ROOT/src/Host" -c Release -nologo -v quiet >"$DIR/build.log" 2>&1; then
            if [[ -f "$DLL" ]]; then
                # Someone's work in progress elsewhere in src/ must not keep the broker from starting.
                echo "broker.sh: build failed (see $DIR/build.log); starting the previous build" >&2
            else
                echo "broker.sh: build failed, see $DIR/build.log" >&2
                tail -n 20 "$DIR/build.log" >&2
                return 1
            fi
        fi
    fi
    rm -f "$ADDR"
    local args=("$@")
    if [[ -n "${EMOTION_BROKER_PORT:-}" ]]; then args+=(--port "$EMOTION_BROKER_PORT"); fi
    # setsid: the broker outlives this shell and a Ctrl-C in the caller's terminal.
    EMOTION_HOME="$LOCAL" setsid dotnet "$DLL" broker --address-file "$ADDR" "${args[@]}" >"$LOG" 2>&1 < /dev/null &
    echo $! >"$PIDFILE"
    local deadline=$((SECONDS + 60))
    while (( SECONDS < deadline )); do
        if ! running; then
            echo "broker.sh: broker exited during start-up; log:" >&2
            cat "$LOG" >&2
            rm -f "$PIDFILE"
            return 1
        fi
        if [[ -f "$ADDR" ]] && answers "$(cat "$ADDR")"; then
            echo "$(cat "$ADDR")"
            return 0
        fi
        sleep 0.2
    done
    echo "broker.sh: broker did not answer within 60 s; log: $LOG" >&2
    stop
    return 1
}

stop() {
    if ! running; then
        rm -f "$PIDFILE"
        echo "broker.sh: not running" >&2
        return 0
    fi
    local pid
    pid="$(cat "$PIDFILE")"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "broker.sh: pid $pid ignored SIGTERM; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE" "$ADDR"
    echo "broker.sh: stopped" >&2
}

status() {
    if running && [[ -f "$ADDR" ]] && answers "$(cat "$ADDR")"; then
        echo "$(cat "$ADDR")"
        return 0
    fi
    echo "broker.sh: not running" >&2
    return 1
}

cmd="${1:-}"
shift || true
case "$cmd" in
    start) start "$@" ;;
    stop) stop ;;
    status) status ;;
    restart) stop; start "$@" ;;
    *) echo "usage: $0 start [emotion broker options]|stop|status|restart" >&2; exit 2 ;;
esac
