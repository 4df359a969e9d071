#!/usr/bin/env bash
# Assembles the kube-webhook-certgen image's root filesystem in STAGING: the static
# binary plus what upstream's distroless/static:nonroot base gives it (user 65532,
# /tmp, the CA bundle).
# Usage: certgen-rootfs.sh DATAPLANE_TREE STAGING
set -euo pipefail
tree=$1 staging=$2

cp -a "$tree/certgen-rootfs/." "$staging/"
mkdir -p "$staging"/{etc,tmp,home/nonroot}
chmod 1777 "$staging/tmp"
chown 65532:65532 "$staging/home/nonroot"
[[ -f /etc/ssl/certs/ca-certificates.crt ]] && cp -L --parents /etc/ssl/certs/ca-certificates.crt "$staging/"
cat >"$staging/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat >"$staging/etc/group" <<'GROUP'
root:x:0:
nobody:x:65534:
nonroot:x:65532:
GROUP
