# PolicyGraph: `make run` serves the app on the sample corpus; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check

.PHONY: run test lint load clean-instance

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

## run: install, load the sample corpus on first start, serve on http://127.0.0.1:$${POLICYGRAPH_PORT:-8000}
run: $(VENV)/.installed
	$(PY) -m webapp serve

## test: install test tools and run the whole suite
# pytest exits 5 when it collected no tests: the suite is broken, so that fails loudly.
test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m pytest -q -p no:cacheprovider tests; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests: the suite is missing or broken" >&2; exit 1; fi; \
	exit $$status

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .

## load: load more documents, e.g. make load DOCS=path/to/folder
load: $(VENV)/.installed
	$(PY) -m loaders load $(DOCS)

clean-instance:
	rm -rf instance
