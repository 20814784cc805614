# Two commands: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCAL := $(CURDIR)/.local
STAMP := $(VENV)/.installed-stamp
AIRFLOW_PORT ?= 8080

export AIRFLOW_HOME ?= $(LOCAL)/airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__LOGGING__LOGGING_LEVEL ?= WARNING
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup run up test test-fast stop status services lint lock bench clean

help:
	@echo "make run    set up, start Elasticsearch, run the seed_ingest DAG over seeds/, show a search"
	@echo "make test   set up and run the whole test suite (starts its own Elasticsearch)"
	@echo "make up     start Elasticsearch and the real Airflow (api-server, scheduler, dag-processor,"
	@echo "            triggerer) on 127.0.0.1:$(AIRFLOW_PORT), seed_ingest unpaused; prints the UI and login"
	@echo "make stop   stop everything 'make up' / 'make run' started (Airflow, then Elasticsearch)"
	@echo "make test-fast   the tests that need no server (no Elasticsearch, no Airflow)"
	@echo "make lint   ruff + mypy      make bench   extraction and NER evaluations"

$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	@command -v $(PYTHON) >/dev/null || { echo "need Python 3.11+ ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c constraints.txt -e '.[airflow,dev]'
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-model.txt
	touch $@

$(AIRFLOW_HOME)/airflow.db: $(STAMP)
	mkdir -p $(AIRFLOW_HOME)
	$(BIN)/airflow db migrate > $(AIRFLOW_HOME)/db-migrate.log 2>&1 || { tail -30 $(AIRFLOW_HOME)/db-migrate.log; exit 1; }

setup: $(STAMP) $(AIRFLOW_HOME)/airflow.db
	@$(BIN)/python scripts/local_es.py fetch > /dev/null

run: setup
	@$(BIN)/python scripts/local_es.py start > /dev/null
	@echo "running DAG seed_ingest over seeds/ (log: $(AIRFLOW_HOME)/dags-test.log) …"
	@$(BIN)/airflow dags test seed_ingest > $(AIRFLOW_HOME)/dags-test.log 2>&1 \
		|| { tail -40 $(AIRFLOW_HOME)/dags-test.log; echo "DAG run failed; full log: $(AIRFLOW_HOME)/dags-test.log"; exit 1; }
	@$(BIN)/ingest status
	@echo
	@echo '$$ .venv/bin/ingest search Pakistan'
	@$(BIN)/ingest search Pakistan
	@echo
	@echo "Try:  .venv/bin/ingest search --location Pakistan --mentions 2019-02 --json"
	@echo "      .venv/bin/ingest status --files      make stop   (stops Elasticsearch)"

# The real Airflow in the background (LocalExecutor, SQLite in .local/airflow); `make stop` ends it.
up: setup
	@$(BIN)/python scripts/airflow_local.py up --port $(AIRFLOW_PORT)

# PostgreSQL and Redis from Debian's packages (tests/test_scheduler.py's CeleryExecutor run starts its own).
services: $(STAMP)
	@$(BIN)/python scripts/services.py install

test: setup services
	$(BIN)/python -m pytest --durations=15

# Every test that needs no server (no Elasticsearch, no Airflow): markers come from the fixtures a test uses.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not es and not airflow" -q

# The scripts find and stop processes with psutil, which the virtualenv has; without a virtualenv here,
# neither `make run` nor `make up` ever started anything.
NOT_SET_UP := echo "nothing was started here: there is no $(VENV) (make run or make up set it up)"

stop:
	@if [ -x $(BIN)/python ]; then $(BIN)/python scripts/airflow_local.py stop; else $(NOT_SET_UP); fi

status:
	@if [ -x $(BIN)/python ]; then $(BIN)/python scripts/local_es.py status \
		&& { $(BIN)/python scripts/airflow_local.py status || true; }; else $(NOT_SET_UP); fi

lint: $(STAMP)
	$(BIN)/ruff check ingest dags tests bench scripts
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/ner.py
	$(BIN)/python bench/throughput.py

# Re-resolve every pin from a clean virtualenv (needs PyPI); commit the result.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install -q -e '.[airflow,dev]'
	{ head -2 constraints.txt; .lock-venv/bin/pip freeze --exclude-editable | grep -v -i '^en.core.web.sm'; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .lock-venv

# Everything `make run` made: the virtualenv, Airflow's DB, the node and its data (the download cache stays).
clean:
	if [ -x $(BIN)/python ]; then $(BIN)/python scripts/airflow_local.py stop; $(BIN)/python scripts/local_es.py remove; fi
	rm -rf $(VENV) $(LOCAL)/airflow $(LOCAL)/es
