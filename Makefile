# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_ENV := DEBUG=true
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

.PHONY: install run test lint

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The translation catalogues (msgfmt, from the gettext package).
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(BIN)/.installed
	$(BIN)/python manage.py compilemessages --locale $* --ignore ".venv/*" --verbosity 0

install: $(BIN)/.installed $(CATALOGUES)

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
