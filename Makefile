# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_ENV := DEBUG=true

.PHONY: install run test lint

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

## Install, migrate, load the plan with demo users and history, serve on 127.0.0.1:8000.
run: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py loadplan --demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the test suite (on DATABASE_URL and REDIS_URL when they are set).
test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
