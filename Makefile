# Wenmin: `make run` serves the demo county, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo-data run dev test test-fast lint typecheck bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# migrate skips the system checks: the server runs them, and the worker warns about the holiday
# calendar, once. The worker is started again whenever it ends; Ctrl-C stops it with the server.
# `make run` serves through gunicorn (`wenmin serve`: WENMIN_WEB_WORKERS processes, static files
# by WhiteNoise), as a deployment does; `make dev` through Django's auto-reloading runserver.
WORKER_LOOP = (trap 'kill $$pid 2>/dev/null; wait $$pid; exit 0' TERM; \
	while :; do $(BIN)/wenmin worker --skip-checks & pid=$$!; wait $$pid; \
	echo "The background worker stopped; starting it again in 5 s." >&2; \
	sleep 5 & pid=$$!; wait $$pid; done) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM

demo-data: $(STAMP)
	$(BIN)/wenmin migrate --no-input --skip-checks
	$(BIN)/wenmin seed --scale county --if-empty --skip-checks
	$(BIN)/wenmin demo_logins

run: demo-data
	$(BIN)/wenmin collectstatic --no-input --skip-checks -v0
	@echo "Wenmin is at http://$(HOST):$(PORT)/ (Ctrl-C stops it and the background worker)"
	$(WORKER_LOOP); \
	$(BIN)/wenmin serve --bind $(HOST):$(PORT)

dev: demo-data
	@echo "Wenmin (development server) is at http://$(HOST):$(PORT)/ (Ctrl-C stops it and the background worker)"
	$(WORKER_LOOP); \
	$(BIN)/wenmin runserver $(HOST):$(PORT)

test: $(STAMP)
	@if [ -x /usr/bin/chromium ]; then echo "Browser tests: using /usr/bin/chromium"; \
	else echo "Browser tests: SKIPPED, Debian chromium is not installed (apt-get install chromium)"; fi
	$(BIN)/python -m pytest -q -rs --durations=20 -m "not concurrency" $(PYTEST_ARGS)
	@echo "Concurrent writers, on a database file where SQLite is used:"
	WENMIN_TEST_SQLITE_FILE=1 $(BIN)/python -m pytest -q -rs -m concurrency $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy wenmin

bench: $(STAMP)
	$(BIN)/python bench/run.py

messages: $(STAMP)
	cd wenmin && ../$(BIN)/wenmin makemessages -l zh_Hans --no-obsolete && ../$(BIN)/wenmin compilemessages -l zh_Hans
	cd wenmin/locale_thirdparty && ../../$(BIN)/wenmin compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) build *.egg-info
