# Entry points. `make test` and `make demo` work on a fresh clone: they install
# the pinned tools (.tools/bin) and the Python environment (.venv) first.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
TOOLS_BIN := $(ROOT)/.tools/bin
VENV := $(ROOT)/.venv
PYTHON := $(VENV)/bin/python
CHART := charts/ingress-nginx
export PATH := $(TOOLS_BIN):$(VENV)/bin:$(PATH)

.PHONY: help tools setup test test-unit test-render test-conformance test-cluster test-e2e e2e-kind bench demo demo-stop schema docs lint-profiles

help:
	@echo "make demo    - start a local control plane, install ci-values/daemonset-prod.yaml, show the result"
	@echo "make demo-stop - stop what \`make demo KEEP=1\` left running"
	@echo "make test    - unit, render, conformance and cluster tests (installs tools and .venv first)"
	@echo "make bench   - speed of rendering, linting, test tiers and the control plane"
	@echo "make tools   - build the pinned external tools into .tools/bin"
	@echo "make setup   - create .venv with the Python package and its test dependencies"
	@echo "make schema  - regenerate $(CHART)/values.schema.json from $(CHART)/values.yaml"
	@echo "make docs    - regenerate the values table of $(CHART)/README.md"
	@echo "make test-e2e - end-to-end on a real kubelet node started here (needs root)"
	@echo "make e2e-kind - end-to-end test on a kind cluster (needs Docker and kind)"

tools:
	@bash tools/install.sh

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $@

test: tools setup
	$(PYTHON) -m pytest -m "unit or render or conformance or cluster"

test-unit: setup
	$(PYTHON) -m pytest -m unit

test-render: tools setup
	$(PYTHON) -m pytest -m render

test-conformance: tools setup
	$(PYTHON) -m pytest -m conformance

test-cluster: tools setup
	$(PYTHON) -m pytest -m cluster

# A real kubelet node on this machine (needs root; see README "The real node").
test-e2e: tools setup
	$(PYTHON) -m pytest -m e2e

e2e-kind: tools setup
	E2E_PROVIDER=kind $(PYTHON) -m pytest -m e2e

schema: setup
	$(PYTHON) -m ingress_nginx_values.schema_build $(CHART)

docs: setup
	$(VENV)/bin/ingress-nginx-values docs

bench: tools setup
	$(PYTHON) -m ingress_nginx_values.bench

demo: tools setup
	$(PYTHON) -m ingress_nginx_values.demo

demo-stop: setup
	$(PYTHON) -m ingress_nginx_values.demo --stop-kept
