# Shuping — the two commands are `make run` and `make test`; the rest mirror CI.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PY_STAMP := $(VENV)/.installed
NPM_STAMP := frontend/node_modules/.installed
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html frontend/vote.html frontend/vite.config.ts frontend/package-lock.json frontend/package.json frontend/tsconfig.json $(wildcard frontend/scripts/*)
DIST := frontend/dist/index.html
VAR_POT := backend/shuping/locale/messages.pot

.PHONY: install run dev test test-backend test-frontend e2e lint client check-client bench clean sunshine-sim fuzz messages

install: $(PY_STAMP) $(NPM_STAMP)

$(PY_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -e ".[dev]"
	@touch $@

$(NPM_STAMP): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(DIST): $(NPM_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npm run build

## make run: install what is missing, build the SPA, migrate, load the demo county, serve.
run: install $(DIST)
	$(BIN)/python -m shuping.cli migrate
	$(BIN)/python -m shuping.cli seed-demo --only-in-demo-mode
	$(BIN)/uvicorn shuping.main:app --host $(HOST) --port $(PORT) --proxy-headers

## make dev: API with reload on :8000 and the Vite dev server (proxying /api) on :5173.
dev: install
	$(BIN)/python -m shuping.cli migrate
	$(BIN)/python -m shuping.cli seed-demo --only-in-demo-mode
	trap 'kill 0' EXIT; \
	$(BIN)/uvicorn shuping.main:app --host $(HOST) --port $(PORT) --reload --reload-dir backend & \
	cd frontend && npm run dev

## make test: everything CI runs — lint, client freshness, backend, frontend unit, browser e2e.
test: install lint check-client test-backend test-frontend e2e

test-backend: $(PY_STAMP)
	$(BIN)/pytest -q -n auto --dist loadfile tests; rc=$$?; if [ $$rc -eq 5 ]; then echo "no backend tests collected"; exit 0; fi; exit $$rc

test-frontend: $(NPM_STAMP)
	cd frontend && npm test

e2e: install $(DIST)
	bash scripts/e2e.sh

lint: install
	$(BIN)/ruff check backend tests scripts $(wildcard bench/*.py)
	$(BIN)/ruff format --check backend tests scripts $(wildcard bench/*.py)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	cd frontend && npm run lint

## make messages: extract the API's messages (N_ markers) and merge them into each .po catalogue;
## then write the Chinese of every new, empty msgstr (tests/core/test_i18n.py fails until each has one).
messages: install
	$(BIN)/pybabel extract --no-default-keywords -k N_ --no-location --sort-output --project=Shuping \
		-o $(VAR_POT) backend/shuping
	$(BIN)/pybabel update --no-fuzzy-matching --no-wrap -D messages -i $(VAR_POT) -d backend/shuping/locale
	@rm -f $(VAR_POT)

## make client: regenerate the OpenAPI document and the SPA's typed client from the backend.
client: install
	$(BIN)/python -m shuping.cli openapi > frontend/openapi.json
	cd frontend && npm run client --silent

check-client: install
	@tmp=$$(mktemp -d); \
	$(BIN)/python -m shuping.cli openapi > $$tmp/openapi.json; \
	cd frontend && npx openapi-typescript $$tmp/openapi.json -o $$tmp/schema.d.ts >/dev/null 2>&1 && cd ..; \
	if ! diff -q $$tmp/openapi.json frontend/openapi.json >/dev/null || ! diff -q $$tmp/schema.d.ts frontend/src/api/schema.d.ts >/dev/null; then \
		echo "The generated API client is stale: run 'make client' and commit the result."; \
		diff $$tmp/schema.d.ts frontend/src/api/schema.d.ts | head -40; rm -rf $$tmp; exit 1; \
	fi; rm -rf $$tmp; echo "generated API client is up to date"

## make sunshine-sim: push signed batches (new, duplicate, newer, stale, bad case, bad signature) to a running server.
sunshine-sim: $(PY_STAMP)
	$(BIN)/python scripts/sunshine_sim.py --url http://$(HOST):$(PORT)

## make fuzz: schemathesis with 20 seeds on SQLite and PostgreSQL (SHUPING_TEST_DATABASE_URL), one run after another; fails on any 5xx.
fuzz: $(PY_STAMP)
	$(BIN)/python scripts/fuzz.py $(FUZZ_ARGS)

bench: install
	@ls bench/*.py >/dev/null 2>&1 && for b in bench/*.py; do $(BIN)/python $$b; done || echo "no benchmarks yet"

clean:
	rm -rf frontend/dist var/*.db var/*.db-wal var/*.db-shm
