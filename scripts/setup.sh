#!/usr/bin/env bash
# Install everything the atlas and its tests need on a fresh Debian machine, and nothing twice:
# uv, the locked Python environment, Debian's Chromium (browser tests and PNG export), a font,
# and HAProxy (replicas behind a proxy, and its browser test).
set -euo pipefail
cd "$(dirname "$0")/.."

export UV_PYTHON_DOWNLOADS=never   # use the machine's Python; never download one
if ! python3 -m uv --version >/dev/null 2>&1; then
  python3 -m pip install --quiet "uv>=0.5,<1"
fi
python3 -m uv sync --frozen --quiet

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)   # replicas: make serve-replicas
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
# strace: the no-outbound-traffic test watches every connect() of the server and its Chromium.
command -v strace >/dev/null 2>&1 || missing+=(strace)
# npm: axe-core, the accessibility checker the browser tests inject into every page.
command -v npm >/dev/null 2>&1 || missing+=(npm)
# poppler-utils: pdftotext and pdftoppm read the briefs and printed pages back in the tests.
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# WeasyPrint (PDF briefs) draws text with Pango.
dpkg -s libpango-1.0-0 >/dev/null 2>&1 && dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} with apt-get" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -d tests/axe/node_modules/axe-core ] || npm ci --prefix tests/axe --no-audit --no-fund --silent
