#!/usr/bin/env bash
# Assembles the controller image's root filesystem in STAGING (run as root: it sets
# owners and the file capability). Layout, owners and capabilities follow upstream's
# nginx base image and controller image (rootfs/Dockerfile in the controller archive).
# Usage: controller-rootfs.sh DATAPLANE_TREE STAGING
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$1 staging=$2
uid=101 gid=82

cp -a "$tree/rootfs/." "$staging/"
# Host files keep their paths; -L stores each library as a file, not a dangling link.
bash "$here/host-files.sh" "$tree/rootfs" | while read -r file; do
  cp -L --parents "$file" "$staging/"
done

mkdir -p "$staging"/{tmp,run,var/lock,sbin,usr/bin,usr/local/bin}
chmod 1777 "$staging/tmp"
cat >"$staging/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
www-data:x:$uid:$gid:www-data:/usr/local/nginx:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
PASSWD
cat >"$staging/etc/group" <<GROUP
root:x:0:
www-data:x:$gid:www-data
nogroup:x:65534:
GROUP
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$staging/etc/nsswitch.conf"

ln -sf /usr/local/nginx/sbin/nginx "$staging/sbin/nginx"
ln -sf /usr/local/nginx/sbin/nginx "$staging/usr/bin/nginx"
ln -sf luajit "$staging/usr/local/bin/lua"

# Everything nginx and the controller write at run time belongs to www-data.
writable=(
  etc/nginx usr/local/nginx
  etc/ingress-controller etc/ingress-controller/ssl etc/ingress-controller/auth
  etc/ingress-controller/geoip etc/ingress-controller/telemetry
  var/log var/log/nginx var/log/audit tmp/nginx
  var/lib/nginx/body var/lib/nginx/fastcgi var/lib/nginx/proxy var/lib/nginx/scgi var/lib/nginx/uwsgi
)
for dir in "${writable[@]}"; do
  mkdir -p "$staging/$dir"
  chown -R "$uid:$gid" "$staging/$dir"
done
chown "$uid:$gid" "$staging"/{nginx-ingress-controller,dbg,wait-shutdown}
# nginx's logs go to the container's output.
ln -sfn /dev/stdout "$staging/var/log/nginx/access.log"
ln -sfn /dev/stderr "$staging/var/log/nginx/error.log"
chown -h "$uid:$gid" "$staging"/var/log/nginx/{access,error}.log

# With a file capability the loader runs in secure mode and ignores the tree's
# $ORIGIN-relative run path, so the image's nginx names LuaJIT's folder outright.
patchelf --set-rpath /usr/local/lib "$staging/usr/local/nginx/sbin/nginx"
# A non-root process binds 80/443 only with the capability on its own file.
for binary in nginx-ingress-controller usr/local/nginx/sbin/nginx usr/bin/dumb-init; do
  setcap cap_net_bind_service=+ep "$staging/$binary"
  setcap -v cap_net_bind_service=+ep "$staging/$binary" >/dev/null
done
