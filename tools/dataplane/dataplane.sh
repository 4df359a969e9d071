#!/usr/bin/env bash
# Builds the data plane tree (nginx + LuaJIT + Lua libraries + controller binaries,
# and kube-webhook-certgen) from the pinned archives, once per pin set:
#   ${XDG_CACHE_HOME:-~/.cache}/ingress-nginx-chart/dataplane/<key>/
#     rootfs/          the controller image's files at their image paths
#     certgen-rootfs/  the certgen image's files
#     sources.tsv      the SOURCES.tsv rows it was built from
# <key> hashes those rows, the recipe files and the Go version. The tree is built
# in a temporary folder and renamed into place, so a partial build never looks done.
# Prints the tree's path on stdout.
#   dataplane.sh            build when missing
#   dataplane.sh --locate   only print the path; exit 3 when it is not built
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
third_party=${THIRD_PARTY_DIR:-$root/../shared/third_party}
# shellcheck source=lib.sh
source "$here/lib.sh"
cache=$(dp_cache_root)/dataplane

[[ -f "$third_party/SOURCES.tsv" ]] || dp_die "$third_party/SOURCES.tsv is missing. Put the shared third-party sources beside the clone (../shared/third_party) or set THIRD_PARTY_DIR."
command -v go >/dev/null || dp_die "go is not on PATH; the controller and certgen are Go programs (install Go, as for make tools)."

key=$(dp_dataplane_key)
out=$cache/$key
if [[ -d "$out" ]]; then
  echo "$out"
  exit 0
fi
if [[ "${1:-}" == --locate ]]; then
  echo "dataplane: not built yet ($out is missing); run make dataplane" >&2
  exit 3
fi

bash "$here/debian-deps.sh"

mkdir -p "$cache"
# One build per key at a time: a second caller waits, then finds the tree.
exec 9>"$cache/.lock-$key"
flock 9
if [[ -d "$out" ]]; then
  echo "$out"
  exit 0
fi

work=$(mktemp -d "$cache/.build-$key.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$work/src
tree=$work/tree
logs=$cache/logs-$key
mkdir -p "$src" "$tree/rootfs" "$tree/certgen-rootfs" "$logs"
stage=$tree/rootfs
started=$SECONDS

dp_log "building $key (first build on this machine: about 6-10 minutes on 2 cores; logs in $logs)"
while read -r name; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  dp_unpack "$name" "$src"
done <"$here/sources.txt"
dp_used_rows >"$tree/sources.tsv"

# Runs one step with its output in a log; on failure shows the log's end.
step() {
  local name=$1
  shift
  local begun=$SECONDS
  if ! "$@" >"$logs/$name.log" 2>&1; then
    tail -n 40 "$logs/$name.log" >&2
    dp_die "step $name failed; full log: $logs/$name.log"
  fi
  dp_log "$name done in $((SECONDS - begun)) s"
}

# The Go builds need no C piece, so they run beside LuaJIT and nginx.
step go-binaries bash "$here/go-binaries.sh" "$src" "$stage" "$tree/certgen-rootfs" \
  "v$(dp_version ingress-nginx-controller)" "$(dp_commit ingress-nginx-controller)" &
go_pid=$!

step luajit bash "$here/luajit.sh" "$src" "$stage"
step nginx bash "$here/nginx.sh" "$src" "$stage"
step lua-libs bash "$here/lua-libs.sh" "$src" "$stage"
# The controller's template, Lua code and default files, from its archive.
cp -a "$src/ingress-nginx-controller/rootfs/etc/." "$stage/etc/"

wait "$go_pid" || dp_die "step go-binaries failed; full log: $logs/go-binaries.log"

mv -T "$tree" "$out"
dp_log "built $out in $((SECONDS - started)) s"
echo "$out"
