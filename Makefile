# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench load venv migrate seed worker beat stack sso-demo

venv: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput

# Seeds the demo only when the database has no staff yet.
seed: migrate
	$(PY) manage.py seed_demo --if-empty

run: seed
	@echo ""
	@echo "  Talent conversations: http://127.0.0.1:$(PORT)/"
	@echo "  Demo sign-ins (password talent-demo): hr, manager, employee, supporter"
	@echo "  Reminders are sent now and every 15 minutes (send_reminders) beside the server."
	@echo ""
	PY=$(PY) PORT=$(PORT) bin/run

# `make run`, signing in through a local OpenID Connect provider with the demo accounts (see bin/sso-demo).
sso-demo: seed tests/oidc/node_modules/.package-lock.json
	PY=$(PY) PORT=$(PORT) bin/sso-demo

# The test OpenID Connect provider (tests/oidc/), from the npm registry.
tests/oidc/node_modules/.package-lock.json: tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: venv
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: venv
	$(PY) bench/bench.py

# LOAD_USERS (50) signed-in people for LOAD_SECONDS (120) against `make stack` on PORT (see bin/load).
load: venv
	VENV=$(VENV) PORT=$(PORT) bin/load

# With Redis (REDIS_URL): any number of Celery workers (this one takes both queues, reminders
# and exports; `make stack` runs one for each), and exactly one beat, which
# queues the reminder scan every 15 minutes. Without Redis, `make run` scans by itself.
worker: venv
	@test -n "$(REDIS_URL)" || { echo "make worker needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker" >&2; exit 1; }
	$(VENV)/bin/celery -A talentapp worker -Q reminders,exports --loglevel=INFO

beat: venv
	@test -n "$(REDIS_URL)" || { echo "make beat needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make beat" >&2; exit 1; }
	@mkdir -p var
	$(VENV)/bin/celery -A talentapp beat --loglevel=INFO --schedule var/celerybeat-schedule

# Production-like on this machine: gunicorn, a worker and beat on PostgreSQL and Redis, DEBUG off (see bin/stack).
stack: venv
	VENV=$(VENV) PORT=$(PORT) bin/stack
