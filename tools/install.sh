#!/usr/bin/env bash
# Builds the pinned tools of tools/versions.env into .tools/bin.
# A tool is rebuilt only when its recorded pin line differs, so a warm run
# costs one file comparison per tool.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin"
stamps="$root/.tools/stamps"
mkdir -p "$bin" "$stamps"

while read -r name pin ldflags; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  line="$pin $ldflags"
  if [[ -x "$bin/$name" && "$(cat "$stamps/$name" 2>/dev/null)" == "$line" ]]; then
    continue
  fi
  echo "tools: building $name from $pin" >&2
  # A throwaway module instead of `go install pkg@version`: the latter also asks
  # the proxy for the module's version list, which the proxy refuses for some
  # modules (chart-testing), although the pinned version itself is served.
  scratch=$(mktemp -d)
  (
    cd "$scratch"
    go mod init tools.local >/dev/null 2>&1
    go get "$pin" >/dev/null 2>&1 || go get "$pin"
    go build -ldflags "-s -w $ldflags" -o "$bin/$name" "${pin%@*}"
  )
  rm -rf "$scratch"
  printf '%s\n' "$line" >"$stamps/$name"
done <"$root/tools/versions.env"

# Helm 3 is what most production clusters still run, so plain `helm` means Helm 3.
ln -sfn helm3 "$bin/helm"
