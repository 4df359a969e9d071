#!/usr/bin/env bash
# Puts the upstream chart CHART VERSION (the render oracle of the parity tier and
# of `ingress-nginx-values upstream-diff`) in the user's cache, outside the clone:
# copied from ../shared/upstream beside the clone when there, else pulled with Helm.
# Usage: tools/upstream-chart.sh CHART VERSION
set -euo pipefail

chart=$1 version=$2
root=$(cd "$(dirname "$0")/.." && pwd)
dest_dir="${XDG_CACHE_HOME:-$HOME/.cache}/ingress-nginx-chart/upstream"
dest="$dest_dir/$chart-$version.tgz"
shared="$root/../shared/upstream/$chart-$version.tgz"

# The archive must unpack and name the pinned chart and version; anything else
# (a truncated download, another release) is not the oracle.
valid() {
  local meta
  meta=$(tar -xzOf "$1" "$chart/Chart.yaml" 2>/dev/null) || return 1
  grep -Eq "^name: *$chart *$" <<<"$meta" && grep -Eq "^version: *\"?$version\"? *$" <<<"$meta"
}

if [[ -f "$dest" ]] && valid "$dest"; then
  exit 0
fi
mkdir -p "$dest_dir"
if [[ -f "$shared" ]]; then
  valid "$shared" || { echo "tools: $shared is not $chart $version" >&2; exit 1; }
  cp "$shared" "$dest.part"
else
  echo "tools: pulling $chart $version from https://kubernetes.github.io/ingress-nginx" >&2
  scratch=$(mktemp -d)
  "$root/.tools/bin/helm" pull "$chart" --repo https://kubernetes.github.io/ingress-nginx \
    --version "$version" --destination "$scratch"
  mv "$scratch/$chart-$version.tgz" "$dest.part"
  rm -rf "$scratch"
  valid "$dest.part" || { echo "tools: the pulled archive is not $chart $version" >&2; rm -f "$dest.part"; exit 1; }
fi
mv "$dest.part" "$dest"
echo "tools: upstream chart $chart $version at $dest" >&2
