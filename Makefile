# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CLI := $(BIN)/creative-regions
HOST ?= 127.0.0.1
PORT ?= 8000
DATA := $(or $(CREATIVE_REGIONS_DATA),var)
# On first run the demo imports a synthetic SME register (about 100 000 records in
# each of four snapshots); DEMO_REGISTER=0 skips it.
DEMO_REGISTER ?= 1
# The demo community (authorities, creative spaces, people, the dialogue); it adds
# industry leaders from the research run when there is one. DEMO_COMMUNITY=0 skips it.
DEMO_COMMUNITY ?= 1
# The demo programmes (Moscow's creative spaces, the 2023 business mission, study
# tours and outreach visits, events of 2027 open to registration) stand on the demo
# community's people and organisations: DEMO_PROGRAMMES=0 skips them, and so does
# DEMO_COMMUNITY=0.
DEMO_PROGRAMMES ?= 1
DEMO_SNAPSHOTS := 2022-01-10,2023-01-10,2024-01-10,2025-01-10
# The demo runs as production does (DEBUG off, friendly error pages, WhiteNoise),
# over plain HTTP on this machine.
DEMO_ENV = DEBUG=0 SECRET_KEY="$$(cat $(DATA)/secret_key)" SECURE_SSL_REDIRECT=0 \
	SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0

.PHONY: run setup demo-register demo-community demo-programmes browser test lint openapi messages clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies or its compiled part change. The
# register reader is compiled against expat: its headers come from Debian when missing.
$(VENV)/.installed: pyproject.toml setup.py src/creative_regions/registry/_register_xml.pyx | $(BIN)/python
	@test -f /usr/include/expat.h || { \
	  echo "Installing expat's headers to build the register reader..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gcc libexpat1-dev >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq gcc libexpat1-dev >/dev/null; fi; }
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed
	$(CLI) migrate --noinput -v 0
	$(CLI) load_reference
	$(CLI) create_demo_admin
	@if [ "$(DEMO_REGISTER)" = 1 ]; then $(MAKE) --no-print-directory demo-register; fi
	@if [ "$(DEMO_COMMUNITY)" = 1 ]; then $(MAKE) --no-print-directory demo-community; fi
	@if [ "$(DEMO_COMMUNITY)" = 1 ] && [ "$(DEMO_PROGRAMMES)" = 1 ]; then \
	  $(MAKE) --no-print-directory demo-programmes; fi

demo-register: $(DATA)/demo-register/.researched

$(DATA)/demo-register/.imported: | $(VENV)/.installed
	$(CLI) registry synth --out $(DATA)/demo-register --snapshots $(DEMO_SNAPSHOTS) \
		--scale 0.0154 --seed 42
	$(CLI) registry import $(DATA)/demo-register
	touch $@

# A finished research run on the demo register, so the research pages show figures
# from the first start.
$(DATA)/demo-register/.researched: $(DATA)/demo-register/.imported
	$(CLI) research run --classification ru-minec-16
	touch $@

demo-community: $(DATA)/.demo-community

# Loaded again (it only adds what is missing) once the research run exists, so the
# leaders it adds from the run are there too.
$(DATA)/.demo-community: $(if $(filter 1,$(DEMO_REGISTER)),$(DATA)/demo-register/.researched) | $(VENV)/.installed
	$(CLI) load_demo_community
	mkdir -p $(DATA)
	touch $@

demo-programmes: $(DATA)/.demo-programmes

$(DATA)/.demo-programmes: $(DATA)/.demo-community | $(VENV)/.installed
	$(CLI) load_demo_programmes
	touch $@

$(DATA)/secret_key:
	mkdir -p $(DATA)
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

run: setup $(DATA)/secret_key
	$(DEMO_ENV) $(CLI) collectstatic --noinput -v 0
	@echo "Creative Regions: http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(DEMO_ENV) $(CLI) db_worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(DEMO_ENV) $(CLI) runserver --noreload $(HOST):$(PORT)

browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's Chromium for the browser tests..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(CLI) makemigrations --check --dry-run

test: $(VENV)/.installed-test browser lint
	$(BIN)/pytest

openapi: $(VENV)/.installed
	$(CLI) spectacular --lang en --file src/creative_regions/openapi.yaml --validate --fail-on-warn

messages: $(VENV)/.installed
	cd src/creative_regions && ../../$(CLI) makemessages -l ru --no-obsolete --no-location && ../../$(CLI) compilemessages

clean:
	rm -rf $(VENV) var
