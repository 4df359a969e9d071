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

UV_VENV := $(ROOT)/.tools/uv
UV := $(UV_VENV)/bin/uv

.PHONY: help tools tools-demo tools-test setup lock test test-unit test-render test-parity test-conformance test-cluster test-dataplane e2e-kind bench demo schema docs dataplane

help: ## list the targets
	@echo "Targets (KEEP=1 make demo leaves the control plane running):"
	@grep -E '^[a-z][a-z0-9-]*:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "} {printf "  make %-17s %s\n", $$1, $$2}'

tools: ## build every pinned tool of tools/versions.env (cached per machine, linked into .tools/bin)
	@bash tools/install.sh

tools-demo: ## build only what make demo needs (Helm 3 and the control-plane binaries)
	@bash tools/install.sh demo

tools-test: ## build what the test tiers need
	@bash tools/install.sh test

# Cached outside the clone by pin (tools/dataplane/README.md); images need root.
dataplane: ## build nginx, the controller v1.15.1, certgen and their images from ../shared/third_party (cached per machine)
	@bash tools/install.sh crane
	@bash tools/dataplane/build.sh

setup: $(VENV)/.installed ## create .venv from requirements.lock (hash-checked) with the package in editable mode

# uv itself comes hash-checked from tools/uv-requirements.txt, into its own
# venv, because `uv pip sync` removes from .venv whatever the lock does not list.
$(UV):
	python3 -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet --require-hashes -r tools/uv-requirements.txt

$(VENV)/.installed: pyproject.toml requirements.lock | $(UV)
	$(UV) venv --quiet --allow-existing --python python3 $(VENV)
	$(UV) pip sync --quiet --python $(PYTHON) --require-hashes requirements.lock
	$(UV) pip install --quiet --python $(PYTHON) --no-deps -e .
	touch $@

lock: $(UV) ## re-resolve requirements.lock from pyproject.toml (exact versions with hashes)
	$(UV) pip compile --quiet --all-extras --generate-hashes --python-version 3.11 --universal pyproject.toml -o requirements.lock

test: tools-test dataplane setup ## unit, render, parity, conformance, dataplane and cluster tiers (builds tools, the data plane and .venv first)
	$(PYTHON) -m pytest -m "unit or render or parity or conformance or dataplane or cluster"

test-unit: setup ## the unit tier (no tools needed)
	$(PYTHON) -m pytest -m unit

test-render: tools-test setup ## the render tier
	$(PYTHON) -m pytest -m render

test-parity: tools-test setup ## the parity tier: upstream 4.15.1 and this chart side by side
	$(PYTHON) -m pytest -m parity

test-conformance: tools-test setup ## the conformance tier
	$(PYTHON) -m pytest -m conformance

test-cluster: tools-test setup ## the cluster tier on a local control plane
	$(PYTHON) -m pytest -m cluster

test-dataplane: tools-test dataplane setup ## the dataplane tier: the built nginx, Lua libraries, controller and images
	$(PYTHON) -m pytest -m dataplane

e2e-kind: tools-test setup ## end-to-end test on a kind cluster (needs Docker and kind)
	E2E_PROVIDER=kind $(PYTHON) -m pytest -m e2e

schema: setup ## regenerate charts/ingress-nginx/values.schema.json from values.yaml
	$(PYTHON) -m ingress_nginx_values.schema_build $(CHART)

docs: setup ## regenerate the values and differences tables of charts/ingress-nginx/README.md
	$(VENV)/bin/ingress-nginx-values docs

bench: tools-test setup ## speed of rendering (ours vs upstream), linting, each test tier and the control plane
	$(PYTHON) -m ingress_nginx_values.bench

demo: tools-demo setup ## start a local control plane, install ci-values/daemonset-prod.yaml, show the result (KEEP=1 keeps it)
	$(PYTHON) -m ingress_nginx_values.demo
