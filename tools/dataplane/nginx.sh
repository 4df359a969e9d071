#!/usr/bin/env bash
# nginx with the OpenResty modules into STAGE, at the paths of upstream's image.
# Usage: nginx.sh SRC_DIR STAGE   (LuaJIT must already be in STAGE/usr/local)
set -euo pipefail
src=$1 stage=$2

# Upstream's patches are read from the controller archive at build time, never kept here.
patches=$src/ingress-nginx-controller/images/nginx/rootfs/patches
[[ -d "$patches" ]] || { echo "dataplane: $patches is missing from the controller archive" >&2; exit 1; }

cd "$src/nginx"
for patch in "$patches"/*; do
  case $patch in
    *.txt) patch --quiet -p0 <"$patch" ;;
    *) patch --quiet -p1 <"$patch" ;;
  esac
done

# lua-nginx-module finds LuaJIT through these; it also bakes LUAJIT_LIB into the
# run path, which is rewritten below so the tree runs wherever it lands.
export LUAJIT_LIB=$stage/usr/local/lib
export LUAJIT_INC=$stage/usr/local/include/luajit-2.1

# Static modules: the ones upstream compiles in. Its dynamic modules (auth-digest,
# ModSecurity, geoip2, brotli, njs) have no pinned source here and are off by default.
modules=(ngx_devel_kit set-misc-nginx-module headers-more-nginx-module
  lua-nginx-module stream-lua-nginx-module lua-upstream-nginx-module)
module_flags=()
for module in "${modules[@]}"; do
  module_flags+=("--add-module=$src/$module")
done

auto/configure \
  --prefix=/usr/local/nginx \
  --conf-path=/etc/nginx/nginx.conf \
  --modules-path=/etc/nginx/modules \
  --http-log-path=/var/log/nginx/access.log \
  --error-log-path=/var/log/nginx/error.log \
  --lock-path=/var/lock/nginx.lock \
  --pid-path=/run/nginx.pid \
  --http-client-body-temp-path=/var/lib/nginx/body \
  --http-fastcgi-temp-path=/var/lib/nginx/fastcgi \
  --http-proxy-temp-path=/var/lib/nginx/proxy \
  --http-scgi-temp-path=/var/lib/nginx/scgi \
  --http-uwsgi-temp-path=/var/lib/nginx/uwsgi \
  --with-debug --with-compat --with-pcre-jit --with-threads --with-file-aio \
  --with-http_ssl_module --with-http_stub_status_module --with-http_realip_module \
  --with-http_auth_request_module --with-http_addition_module \
  --with-http_gzip_static_module --with-http_sub_module --with-http_v2_module \
  --with-http_v3_module --with-http_secure_link_module --with-http_gunzip_module \
  --with-stream --with-stream_ssl_module --with-stream_realip_module \
  --with-stream_ssl_preread_module \
  --without-mail_pop3_module --without-mail_smtp_module --without-mail_imap_module \
  --without-http_uwsgi_module --without-http_scgi_module \
  --with-cc-opt="-g -O2 -fPIE -fPIC -fstack-protector-strong -Wformat -Werror=format-security -Wno-deprecated-declarations -fno-strict-aliasing -D_FORTIFY_SOURCE=2 --param=ssp-buffer-size=4 -DTCP_FASTOPEN=23 -Wno-cast-function-type -m64 -mtune=generic" \
  --with-ld-opt="-fPIE -fPIC -pie -Wl,-z,relro -Wl,-z,now" \
  --user=www-data --group=www-data \
  "${module_flags[@]}"

make -j"$(nproc)"
make install DESTDIR="$stage"
# nginx sits at usr/local/nginx/sbin; LuaJIT at usr/local/lib.
patchelf --set-rpath '$ORIGIN/../../lib' "$stage/usr/local/nginx/sbin/nginx"
