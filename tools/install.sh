#!/usr/bin/env bash
# Builds the pinned tools of tools/versions.env and links them into .tools/bin.
#
#   tools/install.sh [GROUP|NAME ...]    (no argument: every tool)
#
# Each binary is built once per machine into a cache outside the clone, keyed
# by its pin line, so another clone (or a clean one) only links it:
#   ${XDG_CACHE_HOME:-~/.cache}/ingress-nginx-chart/tools/NAME/KEY/NAME
# TOOLS_JOBS builds run at once (default 2): Go compiles on every core but
# leaves them idle while it downloads modules and links, so two builds overlap
# those gaps on a 2-core machine.
#
# A script-built tool (tools/NAME.sh) exits UNAVAILABLE when what it is made from
# cannot be had on this machine, its last line on stderr saying why. When
# versions.env has an `optional NAME: ...` line for it, that is not an error:
# the installer prints `unavailable: NAME (why): what skips` and goes on without
# linking it; under CI=true, where every piece must be there, it fails instead.
# Any other failure (a compiler error, a bad archive) fails everywhere.
#
# No package registry here ships Helm, etcd, kube-apiserver, kwok or ct as a
# pinned binary from their own projects (PyPI and npm only have unofficial
# rewraps of some), so they are built from their pinned Go sources instead.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
versions="$root/tools/versions.env"
bin="$root/.tools/bin"
logs="$root/.tools/logs"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/ingress-nginx-chart/tools"
jobs=${TOOLS_JOBS:-2}
readonly UNAVAILABLE=4
kube_module="$root/tools/kube"
mkdir -p "$bin" "$logs" "$cache"

# --- reading versions.env ----------------------------------------------------

declare -A pins=() groups=() optional=()
order=()
while read -r first rest; do
  [[ -z "$first" || "$first" == \#* ]] && continue
  if [[ "$first" == group ]]; then
    group=${rest%%:*}
    groups[$group]=${rest#*:}
    continue
  fi
  if [[ "$first" == optional ]]; then
    optional[${rest%%:*}]=${rest#*: }
    continue
  fi
  pins[$first]=$rest
  order+=("$first")
done <"$versions"

wanted=()
add_wanted() {
  local name=$1 have
  for have in "${wanted[@]}"; do [[ "$have" == "$name" ]] && return; done
  wanted+=("$name")
}
if (($# == 0)); then
  for name in "${order[@]}"; do add_wanted "$name"; done
fi
for item in "$@"; do
  if [[ -n "${groups[$item]:-}" ]]; then
    for name in ${groups[$item]}; do add_wanted "$name"; done
  elif [[ -n "${pins[$item]:-}" ]]; then
    add_wanted "$item"
  else
    echo "tools: $item is neither a tool nor a group of tools/versions.env" >&2
    exit 2
  fi
done
for name in "${wanted[@]}"; do
  if [[ -z "${pins[$name]:-}" ]]; then
    echo "tools: a group names $name, which has no pin line in tools/versions.env" >&2
    exit 2
  fi
done
for name in "${!optional[@]}"; do
  if [[ ! -f "$root/tools/$name.sh" ]]; then
    echo "tools: versions.env marks $name optional, but only a script-built tool (tools/$name.sh) can be unavailable" >&2
    exit 2
  fi
done

# --- how each kind of pin is built -------------------------------------------

# What decides the binary besides its pin line: the go.sum of tools/kube for
# Kubernetes binaries, the script itself for script-built tools.
key_of() {
  local name=$1 line=$2 pin=${2%% *}
  {
    printf '%s %s\n' "$name" "$line"
    if [[ "$pin" == k8s.io/kubernetes/* ]]; then
      cat "$kube_module/go.mod" "$kube_module/go.sum"
    elif [[ "$pin" == ./* ]]; then
      # A module of this repository: its sources are its pin.
      (cd "$root/$pin" && cat go.mod go.sum ./*.go)
    elif [[ -f "$root/tools/$name.sh" ]]; then
      cat "$root/tools/$name.sh"
    fi
  } | sha256sum | cut -c1-16
}

# k8s.io/kubernetes cannot be fetched by a throwaway module (its staging modules
# are replaced by local paths), so its binaries are built inside tools/kube, whose
# go.mod maps each staging module to the published one of the same release.
build_kube() {
  local out=$1 pin=$2 ldflags=$3
  local release=${pin#*@} minor
  if ! grep -Eq "^(require)?[[:space:]]*k8s.io/kubernetes $release( |$)" "$kube_module/go.mod"; then
    echo "tools/kube/go.mod is not for Kubernetes $release; run tools/kube/gen-go-mod.sh $release" >&2
    return 1
  fi
  minor=${release#v1.}
  minor=${minor%%.*}
  # Without these the binaries report v0.0.0-master, and Helm refuses charts
  # whose kubeVersion asks for a real release.
  local pkg=k8s.io/component-base/version
  ldflags="-X $pkg.gitVersion=$release -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean $ldflags"
  (cd "$kube_module" && go build -ldflags "-s -w $ldflags" -o "$out" "${pin%@*}")
}

# A throwaway module instead of `go install pkg@version`: the latter also asks
# the proxy for the module's version list, which the proxy refuses for some
# modules (chart-testing), although the pinned version itself is served.
build_go() {
  local out=$1 pin=$2 ldflags=$3 scratch
  scratch=$(mktemp -d)
  # Chained with && because errexit does not apply inside `if build_into ...`.
  local status=0
  (
    cd "$scratch" &&
      go mod init tools.local &&
      go get "$pin" &&
      go build -ldflags "-s -w $ldflags" -o "$out" "${pin%@*}"
  ) || status=$?
  rm -rf "$scratch"
  return $status
}

build_into() {
  local name=$1 line=$2 out=$3
  local pin=${line%% *} rest=""
  [[ "$line" == *" "* ]] && rest=${line#* }
  if [[ -f "$root/tools/$name.sh" ]]; then
    # shellcheck disable=SC2086 # the pin line's words are the script's arguments
    bash "$root/tools/$name.sh" "$out" $line
  elif [[ "$pin" == ./* ]]; then
    (cd "$root/$pin" && go build -ldflags "-s -w $rest" -o "$out" .)
  elif [[ "$pin" == k8s.io/kubernetes/* ]]; then
    build_kube "$out" "$pin" "$rest"
  else
    build_go "$out" "$pin" "$rest"
  fi
}

# Builds into a temporary name beside the final one, so an interrupted build
# never leaves a half-written binary in the cache.
build_cached() {
  local name=$1 line=$2 target=$3 started=$SECONDS
  local partial="$target.partial.$$"
  mkdir -p "$(dirname "$target")"
  local status=0
  build_into "$name" "$line" "$partial" >"$logs/$name.log" 2>&1 || status=$?
  if ((status == 0)); then
    mv -f "$partial" "$target"
    echo "tools: built $name in $((SECONDS - started)) s" >&2
  elif ((status == UNAVAILABLE)) && [[ -n "${optional[$name]:-}" ]]; then
    rm -rf "$partial"
    local message="unavailable: $name ($(tail -n 1 "$logs/$name.log")): ${optional[$name]}"
    if [[ "${CI:-}" == true ]]; then
      echo "$message; CI=true needs every tool, so this fails" >&2
      return 1
    fi
    echo "$message" >&2
  else
    rm -rf "$partial"
    echo "tools: building $name failed; its log follows ($logs/$name.log)" >&2
    tail -n 30 "$logs/$name.log" >&2
    return 1
  fi
}

# Before the cache, binaries lived in .tools/bin with their pin line in
# .tools/stamps/NAME. One whose stamp matches today's pin is copied into the
# cache instead of being rebuilt (Kubernetes binaries take half an hour each).
old_stamp() {
  local line=$1 pin=${1%% *} flags=""
  [[ "$line" == *" "* ]] && flags=${line#* }
  local stamp="$pin $flags"
  if [[ "$pin" == k8s.io/kubernetes/* ]]; then
    stamp="$stamp go.sum:$(sha256sum <"$kube_module/go.sum" | cut -c1-16)"
  elif [[ "$pin" == ./* ]]; then
    stamp="$stamp src:$(cd "$root/$pin" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-16)"
  fi
  printf '%s\n' "$stamp"
}

adopt_old_build() {
  local name=$1 line=$2 target=$3 old="$bin/$1"
  [[ -f "$old" && ! -L "$old" && -x "$old" && -f "$root/.tools/stamps/$name" ]] || return 1
  [[ "$(cat "$root/.tools/stamps/$name")" == "$(old_stamp "$line")" ]] || return 1
  mkdir -p "$(dirname "$target")"
  cp "$old" "$target.partial.$$" && mv -f "$target.partial.$$" "$target"
  echo "tools: $name taken into the cache from .tools/bin (its stamp matches the pin)" >&2
}

# --- build what the cache lacks, then link ------------------------------------

declare -A targets=()

# Builds the named tools that the cache lacks (TOOLS_JOBS at once), then links
# them; a tool left unbuilt without an error was unavailable and gets no link.
build_phase() {
  local name line target running=0 failed=0
  for name in "$@"; do
    line=${pins[$name]}
    target="$cache/$name/$(key_of "$name" "$line")/$name"
    targets[$name]=$target
    [[ -e "$target" ]] && continue
    adopt_old_build "$name" "$line" "$target" && continue
    if ((running >= jobs)); then
      wait -n || failed=1
      running=$((running - 1))
    fi
    echo "tools: building $name from ${line%% *} (log: .tools/logs/$name.log)" >&2
    build_cached "$name" "$line" "$target" &
    running=$((running + 1))
  done
  while ((running > 0)); do
    wait -n || failed=1
    running=$((running - 1))
  done
  if ((failed)); then
    exit 1
  fi
  for name in "$@"; do
    if [[ -e "${targets[$name]}" ]]; then
      ln -sfn "${targets[$name]}" "$bin/$name"
    else
      rm -f "$bin/$name"
    fi
  done
}

# Script-built tools may run the Go-built ones (upstream-chart.sh pulls with
# helm3), so they come second, once the first phase is linked.
go_built=()
script_built=()
for name in "${wanted[@]}"; do
  if [[ -f "$root/tools/$name.sh" ]]; then
    script_built+=("$name")
  else
    go_built+=("$name")
  fi
done
build_phase "${go_built[@]}"
build_phase "${script_built[@]}"

# The real node's Debian packages (tools/node-packages.env), wanted with the
# kubelet: installed only when a pinned version is missing, so a warm run asks
# dpkg and nothing else. Without root or apt-get the node tests name what is missing.
install_node_packages() {
  local node_packages=() missing=() pin
  mapfile -t node_packages < <(grep -Ev '^[[:space:]]*(#|$)' "$root/tools/node-packages.env")
  for pin in "${node_packages[@]}"; do
    [[ "$(dpkg-query -W -f='${Version}' "${pin%%=*}" 2>/dev/null)" == "${pin#*=}" ]] || missing+=("$pin")
  done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "tools: installing ${missing[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "tools: not installed (needs root and apt-get): ${missing[*]}; the real-node tests will skip" >&2
  fi
}
for name in "${wanted[@]}"; do
  [[ "$name" == kubelet ]] && install_node_packages
done

# Helm 3 is what most production clusters still run, so plain `helm` means Helm 3.
if [[ -e "$bin/helm3" ]]; then
  ln -sfn helm3 "$bin/helm"
fi
