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
# Ctrl-C, SIGTERM or closing the terminal (SIGHUP) stops them all, and however the script ends
# the temporary folder is removed.
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
sup=""
# Runs however the script ends: a signal, a failed step under `set -e` (haproxy -c refusing the
# config, a non-zero `wait`) or supervisord exiting. Trapping INT and TERM alone left the
# temporary folder behind on any error, and everything running when the terminal was closed.
cleanup() {
  # A second Ctrl-C must not cut this short and leave half of it running: supervisord stops
  # its processes within their stopwaitsecs and then kills them.
  trap '' INT TERM HUP
  if [ -n "$sup" ]; then
    kill -TERM "$sup" 2>/dev/null || true
    wait "$sup" 2>/dev/null || true
    # supervisord runs in a session of its own (setsid below); anything still in that session
    # is a child it could not stop (it was killed itself): stopped here, not left orphaned.
    # KILL after 10 s (supervisord's stopwaitsecs): a replica whose log pipe died with
    # supervisord no longer exits on TERM (seen in tests/test_browser_replicas.py).
    if pkill -TERM -s "$sup" 2>/dev/null; then
      for _ in $(seq 20); do pgrep -s "$sup" >/dev/null || break; sleep 0.5; done
      pkill -KILL -s "$sup" 2>/dev/null || true
    fi
  fi
  if [ -n "$made_run_dir" ]; then rm -rf "$made_run_dir"; fi
}
trap cleanup EXIT
# Asked to stop (Ctrl-C, SIGTERM, the terminal closed): a clean stop, status 0; the EXIT trap
# does the stopping.
trap 'exit 0' INT TERM HUP

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
# Checked before anything starts. `haproxy -c -q` failed silently, so its words are kept and
# shown under ours (a bad PORT or PROXY_BIND is the usual cause).
if ! checked="$("$HAPROXY" -c -f "$cfg" 2>&1)"; then
  echo "serve_replicas: HAProxy refuses its config (deploy/haproxy.cfg, listening on $ATLAS_PROXY_BIND); check PORT and PROXY_BIND. HAProxy says:" >&2
  echo "$checked" >&2
  exit 2
fi

# supervisord in its own session: Ctrl-C reaches this script only, which asks supervisord to
# stop everything in order (HAProxy first, then the replicas), rather than every process
# getting the signal at once while supervisord is still restarting them.
setsid "$ROOT/.venv/bin/supervisord" -c deploy/supervisord.conf &
sup=$!
echo "supervisord (pid $sup) runs them; status: ATLAS_RUN_DIR=$ATLAS_RUN_DIR .venv/bin/supervisorctl -c deploy/supervisord.conf status"
echo "HAProxy on $ATLAS_PROXY_BIND in front of $N replica(s): http://127.0.0.1:$PORT"
# supervisord's own status is the script's; the EXIT trap cleans up either way.
status=0
wait "$sup" || status=$?
exit "$status"
