# Luxyhome: `make run` serves the shop on 127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# make run reloads on changes to the project's code and templates only: watching .venv too would
# reload on every pip install
RELOAD := --reload $(patsubst %/__init__.py,--reload-dir %,$(wildcard */__init__.py)) --reload-dir templates \
	--reload-include '*.html'

.PHONY: run run-stripe test lint bench superuser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Luxyhome is starting:"
	@echo "  shop landing page  http://$(HOST):$(PORT)/"
	@echo "  API docs           http://$(HOST):$(PORT)/api/docs"
	@echo "  administration     http://$(HOST):$(PORT)/admin/  (the demo staff login printed above, on a new database)"
	@echo "  sockets            ws://$(HOST):$(PORT)/ws/orders and ws://$(HOST):$(PORT)/ws/products/<id>"
	@echo ""
	$(BIN)/uvicorn luxyhome.asgi:application --host $(HOST) --port $(PORT) $(RELOAD)

# make run, paying through localstripe (a fake Stripe server, a development dependency): README, Payments
run-stripe: $(VENV)/.dev-installed
	HOST=$(HOST) PORT=$(PORT) bash dev/run-with-localstripe

test: $(VENV)/.dev-installed
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

# the production configuration under wrk (bench/README.md); needs PostgreSQL, Redis and wrk
bench: $(VENV)/.runtime-installed
	$(BIN)/python bench/run.py

superuser: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createsuperuser

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
