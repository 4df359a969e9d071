#!/usr/bin/env bash
# Writes the upstream chart CHART VERSION, the render oracle of the parity tier
# and of `ingress-nginx-values upstream-diff`, to OUTPUT (tools/install.sh caches
# it and links it as .tools/bin/upstream-chart): copied from ../shared/upstream
# beside the clone when there, else pulled with Helm.
# Exits 4 (tools/install.sh: unavailable) when neither can be had, the last line
# saying why; an archive that is not the pinned chart fails with 1 as before.
# Usage: tools/upstream-chart.sh OUTPUT CHART VERSION
set -euo pipefail

out=$1 chart=$2 version=$3
root=$(cd "$(dirname "$0")/.." && pwd)
shared="$root/../shared/upstream/$chart-$version.tgz"

# The archive must unpack and name the pinned chart and version; anything else
# (a truncated download, another release) is not the oracle.
valid() {
  local meta
  meta=$(tar -xzOf "$1" "$chart/Chart.yaml" 2>/dev/null) || return 1
  grep -Eq "^name: *$chart *$" <<<"$meta" && grep -Eq "^version: *\"?$version\"? *$" <<<"$meta"
}

if [[ -f "$shared" ]]; then
  valid "$shared" || { echo "tools: $shared is not $chart $version" >&2; exit 1; }
  cp "$shared" "$out"
  exit 0
fi
absent="no ../shared/upstream/$chart-$version.tgz"
helm=$(command -v "$root/.tools/bin/helm3" || command -v helm || true)
[[ -n "$helm" ]] || { echo "$absent and no Helm to pull it with" >&2; exit 4; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if ! "$helm" pull "$chart" --repo https://kubernetes.github.io/ingress-nginx --version "$version" \
  --destination "$scratch" 2>"$scratch/pull.log"; then
  cat "$scratch/pull.log" >&2
  echo "$absent and helm pull failed: $(tail -n 1 "$scratch/pull.log")" >&2
  exit 4
fi
valid "$scratch/$chart-$version.tgz" || { echo "tools: the pulled archive is not $chart $version" >&2; exit 1; }
mv "$scratch/$chart-$version.tgz" "$out"
