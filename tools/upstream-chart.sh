#!/usr/bin/env bash
# Writes the upstream chart CHART VERSION, the render oracle of the parity tier
# and of `ingress-nginx-values upstream-diff`, to OUTPUT (tools/install.sh caches
# it and links it as .tools/bin/upstream-chart): copied from ../shared/upstream
# beside the clone when there, else pulled with Helm.
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
helm=$(command -v "$root/.tools/bin/helm3" || command -v helm || true)
[[ -n "$helm" ]] || { echo "tools: no Helm to pull $chart $version with; build helm3 first" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$helm" pull "$chart" --repo https://kubernetes.github.io/ingress-nginx --version "$version" --destination "$scratch"
valid "$scratch/$chart-$version.tgz" || { echo "tools: the pulled archive is not $chart $version" >&2; exit 1; }
mv "$scratch/$chart-$version.tgz" "$out"
