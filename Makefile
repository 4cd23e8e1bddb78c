# make run: set up and serve the demo on http://127.0.0.1:8000 (SQLite, eager Celery).
# make test: set up and run the whole test suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-12)

.PHONY: setup run test lint messages migrate demo worker clean bench bench-engine bench-names bench-certificates catalogues

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	$(PY) -m babel.messages.frontend compile --domain django --directory locale --statistics 2>&1 | grep -v "^$$" || true

migrate: setup
	$(PY) manage.py migrate --noinput

# The demo's staff accounts have two-factor authentication; in the demo the code is 123456.
run: export DEMO_MFA_BYPASS_CODE ?= 123456
run: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

demo: migrate
	$(PY) manage.py seed_demo

test: setup
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .

worker: setup
	$(VENV)/bin/celery -A config worker --loglevel INFO

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles

# Benchmarks (PostgreSQL on this machine by default; see tests/bench/).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/guichet_bench
bench-engine: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.bench_engine --cases $(or $(CASES),10000)

bench-names: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.bench_names --names $(or $(NAMES),1000000)

bench-certificates: setup
	$(PY) -m tests.bench.bench_certificates

bench: bench-engine bench-names bench-certificates

# After changing user-facing strings: extract them (needs GNU gettext), then let the French
# catalogue mirror the French sources. Translate the new English entries in locale/en.
catalogues: setup
	$(PY) manage.py makemessages -l fr -l en --ignore ".venv/*" --ignore "tests/*" --ignore "var/*"
	$(PY) locale/mirror_french.py
