#!/usr/bin/env bash
# Builds the controller and kube-webhook-certgen images as tarballs that
# `ctr -n k8s.io images import` loads, from the data plane tree (dataplane.sh):
#   ${XDG_CACHE_HOME:-~/.cache}/ingress-nginx-chart/images/<name>-<key>.tar
#   ${XDG_CACHE_HOME:-~/.cache}/ingress-nginx-chart/images/<key>.tsv   name, reference, tarball
# <key> hashes the data plane key, the image recipe, the crane pin and the host files
# copied in. There is no base image and no registry: crane assembles each image from
# one layer through a registry it serves on 127.0.0.1 for the duration of the build.
# Prints the index file's path on stdout.
#   images.sh            build when missing (needs root: owners and file capabilities)
#   images.sh --locate   only print the index path; exit 3 when not built
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
third_party=${THIRD_PARTY_DIR:-$root/../shared/third_party}
# shellcheck source=lib.sh
source "$here/lib.sh"
cache=$(dp_cache_root)/images
mode=${1:-build}

if [[ "$mode" == --locate ]]; then
  tree=$(bash "$here/dataplane.sh" --locate)
else
  tree=$(bash "$here/dataplane.sh")
fi

crane_pin=$(awk '$1 == "crane" {print $2}' "$root/tools/versions.env")
[[ -n "$crane_pin" ]] || dp_die "tools/versions.env has no crane line; add: crane github.com/google/go-containerregistry/cmd/crane@<version>"
recipe_files=(images.sh images.tsv host-files.sh controller-rootfs.sh certgen-rootfs.sh)
key=$(
  {
    basename "$tree"
    echo "$crane_pin"
    (cd "$here" && sha256sum "${recipe_files[@]}")
    bash "$here/host-files.sh" "$tree/rootfs" | xargs -r sha256sum
  } | sha256sum | cut -c1-16
)
index=$cache/$key.tsv
if [[ -f "$index" ]]; then
  echo "$index"
  exit 0
fi
if [[ "$mode" == --locate ]]; then
  echo "dataplane: images not built yet ($index is missing); run make dataplane" >&2
  exit 3
fi

[[ $(id -u) == 0 ]] || dp_die "building the images needs root: the layers carry owner uid 101 and the cap_net_bind_service file capability. Run make dataplane as root."
crane=$(PATH="$root/.tools/bin:$PATH" command -v crane) || dp_die "crane is not installed; run make tools (tools/versions.env pins it)."

mkdir -p "$cache"
exec 9>"$cache/.lock-$key"
flock 9
if [[ -f "$index" ]]; then
  echo "$index"
  exit 0
fi

work=$(mktemp -d "$cache/.build-$key.XXXXXX")
registry_pid=
cleanup() {
  rm -rf "$work"
  if [[ -n "$registry_pid" ]]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

"$crane" registry serve --address 127.0.0.1:0 >"$work/registry.log" 2>&1 &
registry_pid=$!
port=
for _ in $(seq 50); do
  port=$(sed -n 's/.*serving on port \([0-9]*\).*/\1/p' "$work/registry.log")
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || dp_die "crane registry did not start: $(cat "$work/registry.log")"

# Image settings as upstream's Dockerfiles declare them.
lua_path="/usr/local/share/luajit-2.1/?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/lib/lua/?.lua;;"
lua_cpath="/usr/local/lib/lua/?/?.so;/usr/local/lib/lua/?.so;;"
# One flag a line.
image_settings() {
  case $1 in
    controller)
      printf '%s\n' --entrypoint=/usr/bin/dumb-init,-- --cmd=/nginx-ingress-controller \
        --user=www-data --workdir=/etc/nginx --exposed-ports=80,443 \
        "--env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/luajit/bin:/usr/local/nginx/sbin:/usr/local/nginx/bin" \
        "--env=LUA_PATH=$lua_path" "--env=LUA_CPATH=$lua_cpath"
      ;;
    kube-webhook-certgen)
      printf '%s\n' --entrypoint=/kube-webhook-certgen --user=65532:65532 --workdir=/ \
        "--env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
      ;;
  esac
}

printf '# name\treference\ttarball\n' >"$work/index.tsv"
grep -v '^#' "$here/images.tsv" | while IFS=$'\t' read -r name reference; do
  staging=$work/$name-rootfs
  mkdir -p "$staging"
  case $name in
    controller) bash "$here/controller-rootfs.sh" "$tree" "$staging" ;;
    kube-webhook-certgen) bash "$here/certgen-rootfs.sh" "$tree" "$staging" ;;
    *) dp_die "images.tsv names '$name', which no rootfs script builds" ;;
  esac
  # GNU tar keeps owners and writes security.capability as a PAX xattr record,
  # which containerd applies when it unpacks the layer.
  tar --create --file "$work/$name-layer.tar" --directory "$staging" \
    --numeric-owner --xattrs --xattrs-include=security.capability --sort=name .
  "$crane" append --new_layer "$work/$name-layer.tar" --new_tag "127.0.0.1:$port/$name:build" >/dev/null 2>"$work/crane.log" ||
    dp_die "crane append failed for $name: $(cat "$work/crane.log")"
  tarball=$cache/$name-$key.tar
  mapfile -t settings < <(image_settings "$name")
  "$crane" mutate "127.0.0.1:$port/$name:build" --set-platform linux/amd64 \
    "${settings[@]}" --tag "$reference" --output "$work/$name.tar" >/dev/null 2>"$work/crane.log" ||
    dp_die "crane mutate failed for $name: $(cat "$work/crane.log")"
  mv "$work/$name.tar" "$tarball"
  printf '%s\t%s\t%s\n' "$name" "$reference" "$tarball" >>"$work/index.tsv"
  dp_log "image $reference -> $tarball"
done
mv "$work/index.tsv" "$index"
echo "$index"
