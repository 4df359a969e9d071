#!/usr/bin/env bash
# The controller's Go binaries into STAGE (at / as in upstream's image) and
# kube-webhook-certgen into CERTGEN_STAGE. Go modules come from the module proxy.
# Usage: go-binaries.sh SRC_DIR STAGE CERTGEN_STAGE RELEASE COMMIT
set -euo pipefail
src=$1 stage=$2 certgen_stage=$3 release=$4 commit=$5

# Static binaries, as upstream builds them; the version flags make the controller
# report the pinned release instead of UNKNOWN.
export CGO_ENABLED=0
pkg=k8s.io/ingress-nginx
ldflags="-buildid= -s -w -X $pkg/version.RELEASE=$release -X $pkg/version.COMMIT=$commit -X $pkg/version.REPO=https://github.com/kubernetes/ingress-nginx"

cd "$src/ingress-nginx-controller"
go build -trimpath -ldflags "$ldflags" -o "$stage/nginx-ingress-controller" ./cmd/nginx
go build -trimpath -ldflags "$ldflags" -o "$stage/dbg" ./cmd/dbg
go build -trimpath -ldflags "$ldflags" -o "$stage/wait-shutdown" ./cmd/waitshutdown

cd "$src/ingress-nginx-controller/images/kube-webhook-certgen/rootfs"
go build -trimpath -ldflags "-buildid= -s -w" -o "$certgen_stage/kube-webhook-certgen" .
