#!/usr/bin/env bash
# Builds the pinned tools of tools/versions.env into .tools/bin.
# A tool is rebuilt only when its recorded pin line differs, so a warm run
# costs one file comparison per tool.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin"
stamps="$root/.tools/stamps"
mkdir -p "$bin" "$stamps"

kube_module="$root/tools/kube"

# k8s.io/kubernetes cannot be fetched by a throwaway module (its staging modules
# are replaced by local paths), so its binaries are built inside tools/kube, whose
# go.mod maps each staging module to the published one of the same release.
build_kube() {
  local name=$1 pin=$2 ldflags=$3
  local release=${pin#*@} minor
  if ! grep -Eq "^(require)?[[:space:]]*k8s.io/kubernetes $release( |$)" "$kube_module/go.mod"; then
    echo "tools: tools/kube/go.mod is not for Kubernetes $release; run tools/kube/gen-go-mod.sh $release" >&2
    return 1
  fi
  minor=${release#v1.}
  minor=${minor%%.*}
  # Without these the binaries report v0.0.0-master, and Helm refuses charts
  # whose kubeVersion asks for a real release.
  local pkg=k8s.io/component-base/version
  ldflags="-X $pkg.gitVersion=$release -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean $ldflags"
  (cd "$kube_module" && go build -ldflags "-s -w $ldflags" -o "$bin/$name" "${pin%@*}")
}

while read -r name pin ldflags; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  line="$pin $ldflags"
  if [[ "$pin" == k8s.io/kubernetes/* ]]; then
    # A regenerated tools/kube/go.sum changes what gets built.
    line="$line go.sum:$(sha256sum <"$kube_module/go.sum" | cut -c1-16)"
  fi
  if [[ -x "$bin/$name" && "$(cat "$stamps/$name" 2>/dev/null)" == "$line" ]]; then
    continue
  fi
  echo "tools: building $name from $pin" >&2
  started=$SECONDS
  if [[ "$pin" == k8s.io/kubernetes/* ]]; then
    build_kube "$name" "$pin" "$ldflags"
    printf '%s\n' "$line" >"$stamps/$name"
    echo "tools: built $name in $((SECONDS - started)) s" >&2
    continue
  fi
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
  echo "tools: built $name in $((SECONDS - started)) s" >&2
done <"$root/tools/versions.env"

# The real node's Debian packages: installed only when a pinned version is missing,
# so a warm run asks dpkg and nothing else. Without root or apt-get the node tests
# say what is missing instead.
mapfile -t wanted < <(grep -Ev '^[[:space:]]*(#|$)' "$root/tools/node-packages.env")
missing=()
for pin in "${wanted[@]}"; do
  [[ "$(dpkg-query -W -f='${Version}' "${pin%%=*}" 2>/dev/null)" == "${pin#*=}" ]] || missing+=("$pin")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "tools: installing ${missing[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "tools: not installed (needs root and apt-get): ${missing[*]}; the real-node tests will skip" >&2
  fi
fi

# Helm 3 is what most production clusters still run, so plain `helm` means Helm 3.
ln -sfn helm3 "$bin/helm"
