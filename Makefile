# CRM IA — `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench migrate css clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/crm serve

migrate: $(STAMP)
	$(BIN)/crm migrate

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m bench

# The Tailwind CSS, compiled from the classes in ui/, pages/ and components/ (needs node and npm, which the app,
# its image and its tests do not: ui/tailwind/tailwind.css is committed). Run it after changing classes.
css:
	npm ci --ignore-scripts --no-audit --no-fund
	npm run css

clean:
	rm -rf $(VENV) build *.egg-info screenshots node_modules
