#!/usr/bin/env bash
# Serve the atlas from N Streamlit processes behind HAProxy: scripts/serve_replicas.sh [N]
#
#   PORT                           where HAProxy listens (default 8500)
#   PROXY_BIND                     HAProxy's address (default 0.0.0.0: this is the team deployment)
#   REPLICA_BASE_PORT              first replica's port (default 8501; replicas on 127.0.0.1)
#   STREAMLIT_SERVER_COOKIE_SECRET shared by every replica; generated for this start if unset
#   ATLAS_RUN_DIR                  logs and the supervisor's socket (default: a new temporary folder)
#
# Every process runs under supervisord (deploy/supervisord.conf), which restarts any that dies;
# Ctrl-C (or SIGTERM to this script) stops them all and removes the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

N="${1:-${N:-2}}"
PORT="${PORT:-8500}"
BASE="${REPLICA_BASE_PORT:-8501}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "serve_replicas: N must be a positive whole number, not '$N'" >&2; exit 2; }
[[ "$BASE" =~ ^[1-9][0-9]*$ ]] || { echo "serve_replicas: REPLICA_BASE_PORT must be a port number, not '$BASE'" >&2; exit 2; }
# Debian installs it in /usr/sbin, which is not on a normal user's PATH.
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
[ -x "$HAPROXY" ] || { echo "serve_replicas: haproxy is missing; run scripts/setup.sh (apt-get install haproxy)" >&2; exit 2; }
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || { echo "serve_replicas: .venv is missing; run make setup" >&2; exit 2; }

# One secret for all replicas: cookies one replica signs must be valid on the others.
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
  STREAMLIT_SERVER_COOKIE_SECRET="$("$PY" -c 'import secrets; print(secrets.token_hex(32))')"
fi
export STREAMLIT_SERVER_COOKIE_SECRET

made_run_dir=""
if [ -z "${ATLAS_RUN_DIR:-}" ]; then
  ATLAS_RUN_DIR="$(mktemp -d -t atlas-replicas-XXXXXX)"
  made_run_dir="$ATLAS_RUN_DIR"
fi
mkdir -p "$ATLAS_RUN_DIR"

cfg="$ATLAS_RUN_DIR/haproxy.cfg"
cp deploy/haproxy.cfg "$cfg"
for i in $(seq 1 "$N"); do
  port=$((BASE + i - 1))
  printf '    server r%d 127.0.0.1:%d check cookie r%d\n' "$i" "$port" "$i" >>"$cfg"
  echo "replica r$i on 127.0.0.1:$port (log $ATLAS_RUN_DIR/replica-$port.log)"
done

export ATLAS_ROOT="$ROOT" ATLAS_PYTHON="$PY" ATLAS_REPLICAS="$N" REPLICA_BASE_PORT="$BASE"
export ATLAS_HAPROXY="$HAPROXY" ATLAS_HAPROXY_CFG="$cfg" ATLAS_RUN_DIR
export ATLAS_PROXY_BIND="${PROXY_BIND:-0.0.0.0}:$PORT"
"$HAPROXY" -c -q -f "$cfg"

# supervisord in its own session: Ctrl-C reaches this script only, which asks supervisord to
# stop everything in order (HAProxy first, then the replicas), rather than every process
# getting the signal at once while supervisord is still restarting them.
setsid "$ROOT/.venv/bin/supervisord" -c deploy/supervisord.conf &
sup=$!
stop() {
  trap - INT TERM
  kill -TERM "$sup" 2>/dev/null || true
  wait "$sup" 2>/dev/null || true
  [ -n "$made_run_dir" ] && rm -rf "$made_run_dir"
  exit 0
}
trap stop INT TERM
echo "supervisord (pid $sup) runs them; status: ATLAS_RUN_DIR=$ATLAS_RUN_DIR .venv/bin/supervisorctl -c deploy/supervisord.conf status"
echo "HAProxy on $ATLAS_PROXY_BIND in front of $N replica(s): http://127.0.0.1:$PORT"
wait "$sup"
status=$?
[ -n "$made_run_dir" ] && rm -rf "$made_run_dir"
exit "$status"
