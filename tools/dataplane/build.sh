#!/usr/bin/env bash
# `make dataplane`: the data plane tree, then its images (each cached, so a warm run
# takes seconds); prints where they are. Without the pinned sources on this machine
# it says so and what skips (available.sh), and exits 0, or 1 under CI=true.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
status=0
bash "$here/available.sh" || status=$?
if ((status == 4)); then
  exit 0
elif ((status != 0)); then
  exit "$status"
fi
tree=$(bash "$here/dataplane.sh")
index=$(bash "$here/images.sh")
echo "data plane (built from ../shared/third_party, cached by pin): $tree"
echo "  nginx       $tree/rootfs/usr/local/nginx/sbin/nginx"
echo "  controller  $tree/rootfs/nginx-ingress-controller"
echo "  certgen     $tree/certgen-rootfs/kube-webhook-certgen"
echo "images (ctr -n k8s.io images import <tarball>), index $index:"
grep -v '^#' "$index" | while IFS=$'\t' read -r _ reference tarball; do
  echo "  $reference  $tarball"
done
