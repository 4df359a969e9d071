#!/usr/bin/env bash
# Installs the pinned tools of tools/versions.env into .tools/bin.
# A tool is rebuilt only when its recorded pin differs, so a warm run costs
# one file comparison per tool.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin"
stamps="$root/.tools/stamps"
mkdir -p "$bin" "$stamps"

while IFS='=' read -r name pin; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if [[ -x "$bin/$name" && "$(cat "$stamps/$name" 2>/dev/null)" == "$pin" ]]; then
    continue
  fi
  echo "tools: building $name from $pin" >&2
  scratch=$(mktemp -d)
  GOBIN="$scratch" GOFLAGS=-mod=mod go install "$pin"
  built=("$scratch"/*)
  mv -f "${built[0]}" "$bin/$name"
  rm -rf "$scratch"
  printf '%s\n' "$pin" >"$stamps/$name"
done <"$root/tools/versions.env"

# Helm 3 is what most production clusters still run, so plain `helm` means Helm 3.
ln -sfn helm3 "$bin/helm"
