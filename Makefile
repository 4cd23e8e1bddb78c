# make run: set up and serve the demo on http://127.0.0.1:8000 (SQLite, eager Celery).
# make test: set up and run the whole test suite.
# The settings are production's unless told otherwise (README, "Settings"): the targets that
# run the project on this machine switch development on with DJANGO_DEBUG=1; the tests use
# config.settings_test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
LOCKS := requirements.lock requirements-test.lock
STAMP := $(VENV)/.installed-$(shell cat $(LOCKS) | sha256sum | cut -c1-12)

.PHONY: audit setup run test lint messages migrate demo worker beat clean bench bench-engine bench-names bench-certificates bench-queue bench-open-data bench-register bench-data bench-load catalogues

# This machine gets the runtime and the test tools; the Docker image the runtime only.
$(STAMP): $(LOCKS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

migrate demo run worker beat catalogues bench-engine bench-names bench-certificates bench-queue \
  bench-open-data bench-register bench-data: \
  export DJANGO_DEBUG = 1
test: export DJANGO_SETTINGS_MODULE = config.settings_test

setup: $(STAMP) messages

messages: $(STAMP)
	$(PY) -m babel.messages.frontend compile --domain django --directory locale --statistics 2>&1 | grep -v "^$$" || true

migrate: setup
	$(PY) manage.py migrate --noinput

# The demo's staff accounts have two-factor authentication; in the demo the code is 123456.
# Links in e-mails and the certificates' QR codes follow the address served:
# `make run PORT=8100` (or HOST=0.0.0.0 to be reached from a phone on the same network).
HOST ?= 127.0.0.1
PORT ?= 8000
run: export DEMO_MFA_BYPASS_CODE ?= 123456
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py seed_demo
	@# The mobile-money providers' simulators (FedaPay, PayGate) run beside the site, on
	@# loopback, for as long as it does: the demo's online payments go through them.
	$(PY) manage.py run_payment_simulators --site-url $(SITE_URL) & sims=$$!; \
	  trap 'kill $$sims 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# The demo data only (idempotent), e.g. after `make clean` or into another DATABASE_URL.
demo: migrate
	$(PY) manage.py seed_demo

test: setup
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .

# Known vulnerabilities in the pinned runtime (PyPI's advisory data), and high-severity
# findings in our code; exceptions and their reasons are in SECURITY.md.
AUDITED := accounts config documents notifications outbox payments privacy registry security workflows partners
audit: setup
	$(VENV)/bin/pip-audit -r requirements.lock --progress-spinner off
	$(VENV)/bin/bandit -q -r $(wildcard $(AUDITED)) -x tests -lll

worker: setup
	$(VENV)/bin/celery -A config worker --loglevel INFO

beat: setup
	$(VENV)/bin/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .import_linter_cache

# Benchmarks (PostgreSQL on this machine by default; see tests/bench/).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/guichet_bench
bench-engine: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.bench_engine --cases $(or $(CASES),10000) \
		--procedure-cases $(or $(PROCEDURE_CASES),10000)

bench-names: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.bench_names --names $(or $(NAMES),1000000) $(ARGS)

bench-queue: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.bench_queue --rows $(or $(ROWS),1000000)

# The open-data export over N companies: time, rows/s, peak memory, against a bare COPY.
bench-open-data: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.bench_open_data --rows $(or $(ROWS),1000000)

bench-register: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.bench_register --rows $(or $(ROWS),1000000)

bench-certificates: setup
	$(PY) -m tests.bench.bench_certificates

# The national data set: 1,000,000 filings at every stage, 300,000 companies (seeded, COPY),
# into guichet_national (replaced); bench-load loads it itself when the database is empty.
NATIONAL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/guichet_national
bench-data: setup
	DATABASE_URL=$(NATIONAL_DATABASE_URL) $(PY) -m tests.bench.national --replace \
		--filings $(or $(FILINGS),1000000) --companies $(or $(COMPANIES),300000)

# The national load test: gunicorn (production settings), a Celery worker, locust with 200
# users over 1,000,000 filings (generated once into guichet_national, then kept).
# Its tools (locust, pyinstrument) are in requirements-bench.lock, installed here only.
bench-load: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.lock
	$(PY) -m tests.bench.bench_load --filings $(or $(FILINGS),1000000) \
		--users $(or $(USERS),200) --duration $(or $(DURATION),300)

bench: bench-engine bench-names bench-certificates bench-queue bench-register bench-open-data

# After changing user-facing strings: extract them (needs GNU gettext), then let the French
# catalogue mirror the French sources. Translate the new English entries in locale/en.
catalogues: setup
	$(PY) manage.py makemessages -l fr -l en --ignore ".venv/*" --ignore "tests/*" --ignore "var/*"
	$(PY) locale/mirror_french.py
