#!/usr/bin/env bash
# Lists the Debian host files the controller image carries, there being no base
# image: the programs below, every shared library the data plane's ELF files and
# those programs load (as ldd resolves them here), and the CA bundle.
# Usage: host-files.sh DATAPLANE_ROOTFS
set -euo pipefail
rootfs=$1
# dumb-init is upstream's entrypoint; the controller runs diff to log config changes.
programs=(/usr/bin/dumb-init /usr/bin/diff)

printf '%s\n' "${programs[@]}"
[[ -f /etc/ssl/certs/ca-certificates.crt ]] && echo /etc/ssl/certs/ca-certificates.crt
{
  find "$rootfs" -type f \( -perm /111 -o -name '*.so*' \) -print
  printf '%s\n' "${programs[@]}"
} | while read -r elf; do
  # Static Go binaries and scripts are "not a dynamic executable": nothing to add.
  ldd "$elf" 2>/dev/null || true
done | awk '
  $2 == "=>" && $3 ~ /^\// { print $3 }
  $1 ~ /^\// { print $1 }
' | grep -v "^$rootfs/" | sort -u
