# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_ENV := DEBUG=true
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

# The locked dependency tree: every package, version and hash, for Python 3.11 to 3.13 on every
# platform. main.txt is what production runs (the Docker image); dev.txt adds the dev extra.
LOCKS := requirements/main.txt requirements/dev.txt
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock"

.PHONY: install run test lint lock

# The portal runs from the checkout (manage.py, pytest and `celery -A plancore` from here): only
# its dependencies are installed, each checked against the lock's hashes.
$(BIN)/.installed: $(LOCKS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

# The translation catalogues (msgfmt, from the gettext package).
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(BIN)/.installed
	$(BIN)/python manage.py compilemessages --locale $* --ignore ".venv/*" --verbosity 0

install: $(BIN)/.installed $(CATALOGUES)

## Install, migrate, load the plan with demo users and history, serve on 127.0.0.1:$(PORT).
run: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py loadplan --demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Run the test suite (on DATABASE_URL and REDIS_URL when they are set), in one process per CPU
## (TEST_PROCESSES=0: in this one), each module's tests in the same process.
TEST_PROCESSES ?= auto
test: install
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Resolve pyproject.toml's pins again into the locks, after changing them. uv asks the index pip
## uses (PIP_INDEX_URL, else pip's configured index-url, else PyPI); dev.txt keeps main.txt's
## versions, so tests run on what production runs.
lock: install
	@index="$${PIP_INDEX_URL:-$$($(BIN)/pip config get global.index-url 2>/dev/null || true)}"; \
	if [ -n "$$index" ]; then export UV_DEFAULT_INDEX="$$index"; fi; \
	set -x; \
	$(UV_COMPILE) -o requirements/main.txt && \
	$(UV_COMPILE) --extra dev --constraints requirements/main.txt -o requirements/dev.txt
