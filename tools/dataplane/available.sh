#!/usr/bin/env bash
# Whether the data plane can be built on this machine: only when its pinned sources
# are there (../shared/third_party beside the clone, or THIRD_PARTY_DIR). Exits 0
# when they are. Otherwise prints one line naming the piece, why and what skips, and
# exits 4 (unavailable; `make dataplane` goes on); under CI=true, where every piece
# must be there, the same line fails it (exit 1).
# Only the absence of the sources counts: a changed archive or a failed compile is
# an error of dataplane.sh wherever it runs.
# Its own file, outside the files the cache keys hash, so that changing what it
# says rebuilds nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
third_party=${THIRD_PARTY_DIR:-$root/../shared/third_party}

[[ -f "$third_party/SOURCES.tsv" ]] && exit 0
message="unavailable: data plane (no $(realpath -m "$third_party")/SOURCES.tsv: the pinned nginx, Lua and controller sources are not beside the clone): the dataplane tier and the e2e tier on the local node skip, and make demo runs simulated nodes only"
if [[ "${CI:-}" == true ]]; then
  echo "$message; CI=true needs every piece, so this fails" >&2
  exit 1
fi
echo "$message" >&2
exit 4
