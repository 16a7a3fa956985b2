#!/usr/bin/env bash
# Browser end-to-end tests: a fresh demo database, the real server with the built SPA,
# and Debian's Chromium driven by playwright-core (frontend/e2e).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/browser-deps.sh

tmp=$(mktemp -d)
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export SHUPING_DATABASE_URL="sqlite+aiosqlite:///$tmp/e2e.db"
export SHUPING_MODE=demo
.venv/bin/python -m shuping.cli migrate
.venv/bin/python -m shuping.cli seed-demo >/dev/null
.venv/bin/uvicorn shuping.main:app --host 127.0.0.1 --port "$port" >"$tmp/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null || { cat "$tmp/server.log"; exit 1; }

cd frontend
BASE_URL="http://127.0.0.1:$port" npm run e2e || { status=$?; tail -50 "$tmp/server.log"; exit $status; }
