# Entry points. `make test` and `make demo` work on a fresh clone: they install
# the pinned tools (.tools/bin) and the Python environment (.venv) first.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
TOOLS_BIN := $(ROOT)/.tools/bin
VENV := $(ROOT)/.venv
CHECKOV_VENV := $(ROOT)/.venv-checkov
PYTHON := $(VENV)/bin/python
CHART := charts/ingress-nginx
export PATH := $(TOOLS_BIN):$(VENV)/bin:$(PATH)

UV_VENV := $(ROOT)/.tools/uv
UV := $(UV_VENV)/bin/uv

.PHONY: help tools tools-demo tools-test setup checkov lock test test-unit test-render test-parity test-conformance test-mutations test-cluster test-dataplane test-e2e e2e-kind bench demo demo-stop schema docs dataplane

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

# checkov (the hardened profile's scan) pulls in ~80 packages the test tiers do not
# need, some pinned older than ours, so it lives in its own venv, pinned in
# tools/checkov-requirements.txt rather than in pyproject.toml and the lock.
checkov: $(CHECKOV_VENV)/.installed ## install the pinned checkov into .venv-checkov (the hardened profile's scan)

$(CHECKOV_VENV)/.installed: tools/checkov-requirements.txt
	python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet -r tools/checkov-requirements.txt
	touch $@

test: tools-test dataplane setup checkov ## every tier: unit, render, parity, conformance, mutations, dataplane, cluster and e2e on a real node (builds what they need first)
	$(PYTHON) -m pytest -m "unit or render or parity or conformance or mutations or dataplane or cluster or e2e"

test-unit: setup ## the unit tier (no tools needed)
	$(PYTHON) -m pytest -m unit

test-render: tools-test setup ## the render tier
	$(PYTHON) -m pytest -m render

test-parity: tools-test setup ## the parity tier: upstream 4.15.1 and this chart side by side
	$(PYTHON) -m pytest -m parity

test-conformance: tools-test setup checkov ## the conformance tier
	$(PYTHON) -m pytest -m conformance

test-mutations: tools-test setup ## the mutations tier: a seeded corpus of bad values against Helm, the linter and a server-side dry-run
	$(PYTHON) -m pytest -m mutations

test-cluster: tools-test setup ## the cluster tier on a local control plane
	$(PYTHON) -m pytest -m cluster

test-dataplane: tools-test dataplane setup ## the dataplane tier: the built nginx, Lua libraries, controller and images
	$(PYTHON) -m pytest -m dataplane

# A real kubelet node on this machine (needs root; see README "The real node").
test-e2e: tools-test dataplane setup ## the e2e tier on a real kubelet node started here (needs root; the real controller routes)
	$(PYTHON) -m pytest -m e2e

e2e-kind: tools-test setup ## end-to-end test on a kind cluster (needs Docker and kind)
	E2E_PROVIDER=kind $(PYTHON) -m pytest -m e2e

schema: setup ## regenerate charts/ingress-nginx/values.schema.json from values.yaml
	$(PYTHON) -m ingress_nginx_values.schema_build $(CHART)

docs: setup ## regenerate the values and differences tables of charts/ingress-nginx/README.md
	$(VENV)/bin/ingress-nginx-values docs

bench: tools-test setup ## speed of rendering (ours vs upstream), linting, each test tier and the control plane
	$(PYTHON) -m ingress_nginx_values.bench

demo: tools-demo dataplane setup ## a local control plane with a real node (as root), daemonset-prod installed, real requests routed (KEEP=1 keeps it)
	$(PYTHON) -m ingress_nginx_values.demo

demo-stop: setup ## stop and remove what make demo KEEP=1 left running
	$(PYTHON) -m ingress_nginx_values.demo --stop-kept
