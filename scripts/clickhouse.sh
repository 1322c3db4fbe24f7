#!/usr/bin/env bash
# Local ClickHouse server for development and tests.
#
#   scripts/clickhouse.sh start     install if missing, start (idempotent), wait for SELECT 1,
#                                   print the connection string on stdout (messages go to stderr)
#   scripts/clickhouse.sh stop      stop the server this script started
#   scripts/clickhouse.sh status    exit 0 and print pid/ports when running, exit 3 otherwise
#   scripts/clickhouse.sh client    clickhouse-client against the local server (extra args passed on)
#   scripts/clickhouse.sh credentials pipeline|reader
#                                   the connection string of a least-privilege user (docs/privacy.md, "Access"):
#                                   emotion_pipeline writes and migrates the emotion database only; emotion_reader
#                                   only reads it (readonly). Their passwords are generated once into
#                                   $EMOTION_HOME/clickhouse/credentials (mode 0600); users.xml holds their SHA-256.
#
# State (data, tmp, logs, user_files, pid, generated config) lives under $EMOTION_HOME/clickhouse,
# default <repo>/.local/clickhouse. Ports: CLICKHOUSE_HTTP_PORT (8123), CLICKHOUSE_TCP_PORT (9000).
# Usage in scripts:  export EMOTION_CLICKHOUSE="$(scripts/clickhouse.sh start)"
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
TEMPLATE_DIR="$SCRIPT_DIR/clickhouse"
STATE_ROOT="${EMOTION_HOME:-$REPO_ROOT/.local}"
CH_HOME="$STATE_ROOT/clickhouse"
CONF_DIR="$CH_HOME/conf"
PID_FILE="$CH_HOME/clickhouse-server.pid"
HTTP_PORT="${CLICKHOUSE_HTTP_PORT:-8123}"
TCP_PORT="${CLICKHOUSE_TCP_PORT:-9000}"
DATABASE="${CLICKHOUSE_DATABASE:-emotion}"
START_TIMEOUT_S="${CLICKHOUSE_START_TIMEOUT:-90}"

log() { echo "clickhouse.sh: $*" >&2; }
die() { log "$*"; exit 1; }

connection_string() {
    echo "Host=127.0.0.1;Port=${HTTP_PORT};Database=${DATABASE};Username=default;JsonReadMode=None;JsonWriteMode=None"
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        die "need root (or passwordless sudo) to run: $*"
    fi
}

ensure_installed() {
    if command -v clickhouse-server >/dev/null 2>&1 && command -v clickhouse-client >/dev/null 2>&1; then
        return 0
    fi
    # clickhouse-server lives in /usr/sbin, which a non-root PATH may lack.
    if [ -x /usr/sbin/clickhouse-server ] && command -v clickhouse-client >/dev/null 2>&1; then
        PATH="$PATH:/usr/sbin"
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "clickhouse-server is not installed and apt-get is unavailable; install ClickHouse and retry"
    log "installing clickhouse-server and clickhouse-client (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q clickhouse-server clickhouse-client </dev/null >&2; then
        log "package not found or index stale; running apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >&2
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q clickhouse-server clickhouse-client </dev/null >&2
    fi
    PATH="$PATH:/usr/sbin"
    command -v clickhouse-server >/dev/null 2>&1 || die "clickhouse-server still not found after installing"
}

running_pid() {
    [ -f "$PID_FILE" ] || return 1
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    [ -n "$pid" ] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # Guard against a recycled pid: the process must be a clickhouse server.
    if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q clickhouse; then
        return 1
    fi
    echo "$pid"
}

select_one() {
    if command -v curl >/dev/null 2>&1; then
        [ "$(curl -sS --max-time 2 "http://127.0.0.1:${HTTP_PORT}/?query=SELECT%201" 2>/dev/null || true)" = "1" ]
    else
        [ "$(clickhouse-client --host 127.0.0.1 --port "$TCP_PORT" --query 'SELECT 1' 2>/dev/null || true)" = "1" ]
    fi
}

CREDENTIALS="$CH_HOME/credentials"

# Passwords of the least-privilege users, made once (random, 32 characters) and kept in $CREDENTIALS (0600).
ensure_credentials() {
    mkdir -p "$CH_HOME"
    if [ ! -s "$CREDENTIALS" ]; then
        (
            umask 077
            for u in pipeline reader; do
                printf '%s=%s\n' "$u" "$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
            done >"$CREDENTIALS"
        )
    fi
    chmod 600 "$CREDENTIALS"
}

password_of() { sed -n "s/^$1=//p" "$CREDENTIALS"; }

sha256_of() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

render_config() {
    mkdir -p "$CONF_DIR" "$CH_HOME/data" "$CH_HOME/tmp" "$CH_HOME/logs" "$CH_HOME/user_files" "$CH_HOME/format_schemas"
    ensure_credentials
    local t pipeline_sha reader_sha
    pipeline_sha="$(sha256_of "$(password_of pipeline)")"
    reader_sha="$(sha256_of "$(password_of reader)")"
    for t in config.xml users.xml; do
        sed -e "s|@HOME@|$CH_HOME|g" \
            -e "s|@CONF_DIR@|$CONF_DIR|g" \
            -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
            -e "s|@TCP_PORT@|$TCP_PORT|g" \
            -e "s|@DATABASE@|$DATABASE|g" \
            -e "s|@PIPELINE_SHA256@|$pipeline_sha|g" \
            -e "s|@READER_SHA256@|$reader_sha|g" \
            "$TEMPLATE_DIR/$t.template" >"$CONF_DIR/$t"
    done
}

cmd_credentials() {
    local who="${1:-}"
    case "$who" in
        pipeline|reader) ;;
        *) echo "usage: $0 credentials pipeline|reader" >&2; exit 2 ;;
    esac
    [ -s "$CREDENTIALS" ] || die "no credentials yet: run '$0 start' first (they are made when the config is written)"
    echo "Host=127.0.0.1;Port=${HTTP_PORT};Database=${DATABASE};Username=emotion_${who};Password=$(password_of "$who");JsonReadMode=None;JsonWriteMode=None"
}

cmd_start() {
    ensure_installed
    if pid="$(running_pid)"; then
        if select_one; then
            log "already running (pid $pid, http $HTTP_PORT, tcp $TCP_PORT)"
            # users.xml is reloaded by the running server: a template that gained users takes effect without a restart.
            render_config
            connection_string
            return 0
        fi
        log "pid $pid exists but does not answer yet; waiting"
    else
        if select_one; then
            die "another server already answers on 127.0.0.1:${HTTP_PORT} (not started by this script); stop it or set CLICKHOUSE_HTTP_PORT/CLICKHOUSE_TCP_PORT"
        fi
        render_config
        log "starting clickhouse-server (state in $CH_HOME, http $HTTP_PORT, tcp $TCP_PORT)"
        # Own session and no stdin/tty, so it survives the calling shell and works under CI.
        (
            cd "$CH_HOME"
            exec setsid clickhouse-server --config-file="$CONF_DIR/config.xml" \
                </dev/null >>"$CH_HOME/logs/stdout.log" 2>&1
        ) &
        echo $! >"$PID_FILE"
        pid="$(cat "$PID_FILE")"
    fi
    local deadline=$((SECONDS + START_TIMEOUT_S))
    until select_one; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            log "server exited during start; last log lines:"
            tail -n 30 "$CH_HOME/logs/clickhouse-server.err.log" "$CH_HOME/logs/stdout.log" >&2 2>/dev/null || true
            exit 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            die "server did not answer SELECT 1 on port $HTTP_PORT within ${START_TIMEOUT_S}s; see $CH_HOME/logs"
        fi
        sleep 0.5
    done
    log "ready (pid $pid)"
    connection_string
}

cmd_stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        log "not running"
        return 0
    fi
    log "stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "pid $pid ignored SIGTERM for 60s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.5
    done
    rm -f "$PID_FILE"
    log "stopped"
}

cmd_status() {
    local pid
    if pid="$(running_pid)" && select_one; then
        echo "running pid=$pid http=$HTTP_PORT tcp=$TCP_PORT home=$CH_HOME"
        connection_string
        return 0
    fi
    echo "not running (home=$CH_HOME)"
    return 3
}

cmd_client() {
    ensure_installed
    exec clickhouse-client --host 127.0.0.1 --port "$TCP_PORT" "$@"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    client) shift; cmd_client "$@" ;;
    credentials) shift; cmd_credentials "$@" ;;
    *) echo "usage: $0 start|stop|status|client [clickhouse-client args]|credentials pipeline|reader" >&2; exit 2 ;;
esac
