# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
export FLASK_APP = wsgi.py

.PHONY: run test lint security translations clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

PORT ?= 5000
export PORT
run: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask import-odop --if-empty
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The whole suite on SQLite; then again on PostgreSQL when TEST_DATABASE_URL names a server.
# pytest-xdist spreads it over the machine's cores (at most 4; each worker has its own database
# and servers); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
PYTEST_ARGS     = --numprocesses=$(PYTEST_WORKERS) --maxprocesses=4
test: $(VENV)/.installed-test
	$(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again, on PostgreSQL =="; \
		ODOP_TEST_DB=postgresql $(BIN)/pytest $(PYTEST_ARGS); \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Static security findings (bandit: every medium or high one fixed or explained by a `# nosec`
# with its reason above it) and known-vulnerable dependencies (pip-audit, when OSV is reachable).
security: $(VENV)/.installed-test
	$(BIN)/bandit --quiet --recursive odop_bazaar config.py wsgi.py gunicorn.conf.py
	VENV=$(VENV) .ci/audit-dependencies

# Extract, merge and compile the Hindi catalogue after changing user-facing strings.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o messages.pot .
	$(BIN)/pybabel update -i messages.pot -d odop_bazaar/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d odop_bazaar/translations
	rm -f messages.pot

clean-venv:
	rm -rf $(VENV)
