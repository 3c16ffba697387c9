# Two commands, both from a fresh clone:
#   make run    virtualenv, install, migrate, ingest seeds/, index, serve on 127.0.0.1:8000
#   make test   virtualenv with test tools, then the whole test suite
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
DATA   := $(or $(BAOKU_DATA_DIR),data)
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 2

# No secret lives in the repository: the first run makes one in the data folder.
SECRET_FILE := $(DATA)/secret_key
export SECRET_KEY ?= $(shell test -f $(SECRET_FILE) || (mkdir -p $(DATA) && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $(SECRET_FILE) && chmod 600 $(SECRET_FILE)); cat $(SECRET_FILE))

.PHONY: run serve setup install test test-fast superuser person-model

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# axe-core for the browser tests' accessibility checks, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Everything but serving: safe to run again, and quick when nothing changed.
setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py ingest
	$(PY) manage.py ensure_index

run: setup serve

# The desk's upload worker runs beside the server and stops with it.
serve: install
	$(PY) manage.py desk_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn archive.wsgi:application --preload --workers $(WORKERS) \
		--bind $(HOST):$(PORT) --access-logfile - --timeout 30

test: $(VENV)/.installed-dev node_modules/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed-dev
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

# Your own admin account: no default password exists anywhere.
superuser: install
	$(PY) manage.py createsuperuser

# Retrain the person-name CRF (the model file is committed; this is only for changing it).
CORPUS ?= ../shared/corpus/people_daily_199801.txt
person-model: install
	$(PY) -m archive.ingest.train_person_model $(CORPUS) --verbose
