# Shared functions of the data plane recipe; sourced by the other scripts.
# Expects: here (this folder), third_party (the pinned archives).

dp_die() {
  echo "dataplane: $*" >&2
  exit 1
}

dp_log() {
  echo "dataplane: $*" >&2
}

# The SOURCES.tsv row of one source, by name; fails when the name is not pinned.
dp_row() {
  local name=$1 row
  row=$(awk -F'\t' -v n="$name" '$1 == n' "$third_party/SOURCES.tsv")
  [[ -n "$row" ]] || dp_die "$third_party/SOURCES.tsv has no row for '$name'. Add its pin there (name, version, repository, commit, file, sha256, licence)."
  printf '%s\n' "$row"
}

# The rows this recipe uses, in sources.txt order: what the cache key hashes.
dp_used_rows() {
  local name
  while read -r name; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    dp_row "$name"
  done <"$here/sources.txt"
}

# Checks an archive against its pinned sha256, then unpacks it as DEST/NAME.
dp_unpack() {
  local name=$1 dest=$2 row file sha actual
  row=$(dp_row "$name")
  file=$(cut -f5 <<<"$row")
  sha=$(cut -f6 <<<"$row")
  [[ -f "$third_party/$file" ]] || dp_die "$third_party/$file is missing (pinned in SOURCES.tsv for '$name'). Put the archive there (see $third_party/README.md)."
  actual=$(sha256sum "$third_party/$file" | cut -d' ' -f1)
  [[ "$actual" == "$sha" ]] || dp_die "$third_party/$file has sha256 $actual, SOURCES.tsv pins $sha. Replace the file with the pinned archive; never edit the pin to match."
  mkdir -p "$dest/$name"
  tar -xzf "$third_party/$file" -C "$dest/$name" --strip-components=1
}

# The pinned commit of a source (the controller reports it as its build).
dp_commit() {
  dp_row "$1" | cut -f4
}

dp_version() {
  dp_row "$1" | cut -f2
}

# The cache key of the data plane tree: the pinned rows it is built from, the
# recipe files and the Go toolchain, hashed.
dp_dataplane_key() {
  local files=(lib.sh dataplane.sh debian-deps.sh luajit.sh nginx.sh lua-libs.sh go-binaries.sh sources.txt debian-packages.txt)
  {
    dp_used_rows
    (cd "$here" && sha256sum "${files[@]}")
    go env GOVERSION
  } | sha256sum | cut -c1-16
}

dp_cache_root() {
  echo "${XDG_CACHE_HOME:-$HOME/.cache}/ingress-nginx-chart"
}
