# Intersessional: `make run` serves the demo meeting, `make test` runs the whole suite.
# Both create .venv and install what they need on first use.

SHELL := /bin/bash
PORT ?= 8000
HOST ?= 127.0.0.1
# The proxies whose X-Forwarded-For is believed (e.g. 127.0.0.1 behind a local nginx). Empty:
# none, so the address sign-in throttling sees is always the connection's (docs/deploy.md).
FORWARDED_ALLOW_IPS ?=
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

# The first of python3.13, python3.12, python3 that is at least 3.12 (a committed
# .python-version selects 3.13 where pyenv is used).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo $$p; break; fi; done)

.PHONY: run test lint format install install-test check-deploy demo-password clean help

help:
	@echo "make run     serve the CCM Intersessional 2025 demo on http://$(HOST):$(PORT)"
	@echo "make test    ruff and the whole test suite"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make format  ruff format and ruff check --fix"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "Intersessional needs Python 3.12 or newer (Django 6.1). Found none of python3.13," \
		     "python3.12 or python3 >= 3.12 on PATH. Install one, or run: make PYTHON=/path/to/python3.12 ..."; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

.demo-password: | $(PY)
	@$(PY) -c 'import secrets; print(secrets.token_urlsafe(9))' > $@

# load_demo creates what is missing and leaves the rest as it is: an account it creates gets
# the checkout's password; one that exists keeps its own (and its sessions, and its state).
run: install .demo-password
	$(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py load_demo --password "$$(cat .demo-password)"
	@echo
	@echo "Demo accounts (demo mode only), with the password: $$(cat .demo-password)"
	@echo "  secretariat      the secretariat (admin at /admin/)"
	@echo "  president        the President, chairs the meeting"
	@echo "  coordinator      Austria and Germany, coordinators of item 2(j)"
	@echo "  focal-aut, focal-chl, focal-fra, ...  focal points of their delegations"
	@echo "  focal-pol, focal-eu  Poland (an EU member) and the European Union's own delegation"
	@echo "  interpreter      the booths: the interpreters' view"
	@echo "Screens: every address is in README.md; after signing in, /start/ lists yours."
	@echo "  (an account whose password was changed since keeps the new one)"
	@echo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	DEBUG=true $(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --lifespan off \
		$(if $(FORWARDED_ALLOW_IPS),--forwarded-allow-ips "$(FORWARDED_ALLOW_IPS)",--no-proxy-headers)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite runs on every core (at most four); PYTEST_WORKERS=0 runs it in this process.
PYTEST_WORKERS ?= auto
test: install-test lint
	$(BIN)/pytest --numprocesses=$(PYTEST_WORKERS) --maxprocesses=4 $(PYTEST_ARGS)

# `manage.py check --deploy` with production values (docs/deploy.md).
check-deploy: install
	DEBUG=false SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=intersessional.example.org EMAIL_URL=smtp://mail.example.org:25 $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
