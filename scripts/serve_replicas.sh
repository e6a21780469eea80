#!/usr/bin/env bash
# Serve the atlas from N Streamlit processes behind HAProxy: scripts/serve_replicas.sh [N]
#
#   PORT                           where HAProxy listens (default 8500, all interfaces)
#   REPLICA_BASE_PORT              first replica's port (default 8501; replicas on 127.0.0.1)
#   STREAMLIT_SERVER_COOKIE_SECRET shared by every replica; generated for this start if unset
#
# Stops every process it started on Ctrl-C or when any of them exits.
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-${N:-2}}"
PORT="${PORT:-8500}"
BASE="${REPLICA_BASE_PORT:-8501}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "serve_replicas: N must be a positive whole number, not '$N'" >&2; exit 2; }
# Debian installs it in /usr/sbin, which is not on a normal user's PATH.
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
[ -x "$HAPROXY" ] || { echo "serve_replicas: haproxy is missing; run scripts/setup.sh (apt-get install haproxy)" >&2; exit 2; }

# One secret for all replicas: cookies one replica signs must be valid on the others.
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
  STREAMLIT_SERVER_COOKIE_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
fi
export STREAMLIT_SERVER_COOKIE_SECRET

run_dir="$(mktemp -d -t atlas-replicas-XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$run_dir"
}
trap cleanup EXIT INT TERM

cfg="$run_dir/haproxy.cfg"
cp deploy/haproxy.cfg "$cfg"
for i in $(seq 1 "$N"); do
  port=$((BASE + i - 1))
  # geo.serve pins the server's own address before Streamlit could look it up on the network.
  UV_PYTHON_DOWNLOADS=never python3 -m uv run python -m geo.serve run app.py \
    --server.port "$port" --server.address 127.0.0.1 --server.headless true \
    >"$run_dir/replica-$i.log" 2>&1 &
  pids+=($!)
  printf '    server r%d 127.0.0.1:%d check cookie r%d\n' "$i" "$port" "$i" >>"$cfg"
  echo "replica r$i on 127.0.0.1:$port (log $run_dir/replica-$i.log)"
done

# HAProxy takes a replica that refuses its first check for down until two checks pass: start
# it once every replica answers its health check.
for i in $(seq 1 "$N"); do
  port=$((BASE + i - 1))
  for _ in $(seq 1 240); do
    python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/_stcore/health', timeout=2)" 2>/dev/null && break
    sleep 0.5
  done
done

export ATLAS_PROXY_BIND="${PROXY_BIND:-0.0.0.0}:$PORT"
"$HAPROXY" -c -q -f "$cfg"
"$HAPROXY" -db -f "$cfg" &
pids+=($!)
echo "HAProxy on $ATLAS_PROXY_BIND in front of $N replica(s): http://127.0.0.1:$PORT"
wait -n
