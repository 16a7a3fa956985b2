#!/usr/bin/env bash
# Browser end-to-end tests: a fresh demo database, the real server with the built SPA,
# and Debian's Chromium driven by playwright-core (frontend/e2e).
#
# By default (make test): one process on SQLite, as `make run` serves it.
# With E2E_STACK=production (CI): the production way — nginx (docs/deploy/nginx/shuping-proxy.conf) in
# front of two uvicorn workers in SHUPING_MODE=production on PostgreSQL (E2E_DATABASE_URL, a database of
# its own created and dropped here) and Redis (E2E_REDIS_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash scripts/browser-deps.sh

stack=${E2E_STACK:-single}
tmp=$(mktemp -d)
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
pids=()
database=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$database" ]; then "$root/.venv/bin/python" "$root/scripts/pg-database.py" drop "$database" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$stack" = production ]; then
  command -v nginx >/dev/null || { echo "E2E_STACK=production needs nginx (apt-get install -y nginx)" >&2; exit 1; }
  base=${E2E_DATABASE_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/postgres}
  database="${base%/*}/shuping_e2e_$$"
  .venv/bin/python scripts/pg-database.py create "$database"
  export SHUPING_DATABASE_URL="$database"
  export SHUPING_REDIS_URL=${E2E_REDIS_URL:-redis://127.0.0.1:6379/14}
  export SHUPING_MODE=production
  SHUPING_SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')
  SHUPING_SUNSHINE_SECRET=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')
  export SHUPING_SECRET_KEY SHUPING_SUNSHINE_SECRET
  export SHUPING_VAR_DIR="$tmp/var"
  redis-cli -u "$SHUPING_REDIS_URL" flushdb >/dev/null
  .venv/bin/python -m shuping.cli migrate
  .venv/bin/python -m shuping.cli seed-demo --force >/dev/null
  app_port=$(free_port)
  .venv/bin/uvicorn shuping.main:app --host 127.0.0.1 --port "$app_port" --workers 2 \
    --proxy-headers --forwarded-allow-ips 127.0.0.1 >"$tmp/server.log" 2>&1 &
  pids+=($!)
  mkdir -p "$tmp/nginx"/{body,proxy,fastcgi,uwsgi,scgi}
  worker_user=""
  if [ "$(id -u)" -eq 0 ]; then
    # As root, nginx's workers run as nobody: they must reach and write the temporary directories that
    # hold large request bodies (uploads) and responses.
    chmod 755 "$tmp"
    chown -R nobody:nogroup "$tmp/nginx"
    worker_user="user nobody nogroup;"
  fi
  cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
$worker_user
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log $tmp/nginx/access.log;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  upstream shuping { server 127.0.0.1:$app_port; keepalive 32; }
  server {
    listen 127.0.0.1:$port;
    include $PWD/docs/deploy/nginx/shuping-proxy.conf;
  }
}
CONF
  nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" 2>>"$tmp/nginx/error.log" &
  pids+=($!)
  echo "e2e: nginx on :$port in front of two workers on :$app_port (PostgreSQL $database, Redis $SHUPING_REDIS_URL)"
else
  export SHUPING_DATABASE_URL="sqlite+aiosqlite:///$tmp/e2e.db"
  export SHUPING_MODE=demo
  .venv/bin/python -m shuping.cli migrate
  .venv/bin/python -m shuping.cli seed-demo >/dev/null
  .venv/bin/uvicorn shuping.main:app --host 127.0.0.1 --port "$port" >"$tmp/server.log" 2>&1 &
  pids+=($!)
fi

for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null || { cat "$tmp/server.log" "$tmp"/nginx/error.log 2>/dev/null; exit 1; }

cd frontend
# E2E_TESTS names test files to run (e.g. "e2e/login.test.mjs"); by default all of them.
run_tests() {
  if [ -n "${E2E_TESTS:-}" ]; then node --test $E2E_TESTS; else npm run e2e; fi
}
BASE_URL="http://127.0.0.1:$port" run_tests || {
  status=$?
  tail -50 "$tmp/server.log"
  [ -f "$tmp/nginx/error.log" ] && tail -20 "$tmp/nginx/error.log"
  exit $status
}
