# Two commands on a fresh machine with nothing but Python 3.11+:
#   make run   - set up, migrate, load demo data and serve http://127.0.0.1:8000 (SQLite, in-memory layer);
#                `make run PORT=8141` serves on another port (SITE_URL, the emails' and demo logins' links, follow)
#   make test  - set up and run the whole test suite (uses DATABASE_URL / REDIS_URL when set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# Exported: settings derive SITE_URL (links in emails, seed_demo's login link) from it when SITE_URL is unset.
PORT ?= 8000
export PORT

.PHONY: run test worker lint format bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# On every core (pytest-xdist); PYTEST_ARGS replaces that, e.g. PYTEST_ARGS="tests/forum -x" runs in one process.
PYTEST_ARGS ?= -n auto --dist load
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# A Celery worker with beat inside it, against REDIS_URL (required), for a local try of background work;
# production runs `celery -A community worker` and one `celery -A community beat` (README "Background work").
worker: $(STAMP)
	@test -n "$(REDIS_URL)" || (echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0): the worker needs a broker."; exit 2)
	$(BIN)/celery -A community worker --beat --loglevel INFO --schedule celerybeat-schedule

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks on the scale data set (PostgreSQL hc_bench + Redis; bench/run.py says how), into bench/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Screenshots of the main pages (desktop and phone, light and dark) into docs/screenshots/; needs Chromium.
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
