# medrush: `make demo` starts the platform on the embedded PostgreSQL; `make test` runs what CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/medrush/web/static/vendor
EXTERNAL_DB ?= postgresql://postgres@127.0.0.1:5432/test
# pytest-xdist workers: each has its own database; 2 fits the 2-core CI machine and a default
# PostgreSQL's 100 connections (tests/conftest.py keeps worker pools small)
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help install assets browser demo serve test lint unit test-embedded test-external bench lock messages clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) assets ## install Python packages into .venv and the front-end libraries

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp -r node_modules/leaflet/dist/images $(VENDOR)/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	@touch $@

assets: $(VENDOR)/.installed ## fetch htmx, Leaflet and ECharts from the npm registry

browser: ## Debian's chromium and CJK fonts for the browser tests (installed with apt when run as root)
	@if command -v chromium >/dev/null 2>&1; then echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = "0" ]; then (apt-get update -qq || true) && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "chromium not installed and not root: browser tests will skip"; fi

demo: install ## start the platform with demo data on http://127.0.0.1:8000
	$(BIN)/medrush demo

serve: install ## start the platform without loading demo data
	$(BIN)/medrush serve

lint: install ## ruff, mypy and the import contracts
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/mypy tests bench
	$(BIN)/lint-imports

test-embedded: install browser ## the whole suite on the embedded PostgreSQL
	MEDRUSH_TEST_DATABASE=embedded $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS)

test-external: install ## the database tests again on the PostgreSQL server at 127.0.0.1:5432
	@if $(BIN)/python -c "import asyncio, asyncpg; asyncio.run(asyncpg.connect('$(EXTERNAL_DB)', timeout=3))" 2>/dev/null; then \
	  MEDRUSH_TEST_DATABASE=$(EXTERNAL_DB) $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) -m "db and not browser"; \
	elif [ -n "$$CI" ]; then echo "CI: the PostgreSQL server at $(EXTERNAL_DB) is required" >&2; exit 1; \
	else echo "skipping the external PostgreSQL run: nothing answers at $(EXTERNAL_DB)"; fi

test: lint test-embedded test-external ## what CI runs: lint, types, the suite on both databases

bench: install ## the benchmarks (see docs/benchmarks.md)
	$(BIN)/python bench/http_baseline.py

lock: ## refresh requirements.lock from a fresh resolve
	rm -rf /tmp/medrush-lock && $(PYTHON) -m venv /tmp/medrush-lock
	/tmp/medrush-lock/bin/pip install --quiet --upgrade pip && /tmp/medrush-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/medrush-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

# the messages of domain errors reach people too (translated by the error handler per request), and
# so do our validators' InvalidValue messages (translated in the 422 details)
ERROR_KEYWORDS = -k InvalidInput -k NotFound -k PermissionDenied -k Unauthenticated -k Conflict -k RateLimited -k Unavailable -k DomainError -k InvalidValue

messages: install ## extract page texts and merge them into the zh-CN, ko and en catalogues
	$(BIN)/pybabel extract -F babel.cfg -k N_ $(ERROR_KEYWORDS) -o var/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i var/messages.pot -d src/medrush/locale -D messages

clean: ## remove local state (embedded database, caches)
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
