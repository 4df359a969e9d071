#!/usr/bin/env bash
# The Lua libraries the controller's Lua code requires, into STAGE/usr/local/lib/lua
# (the folder upstream's image installs them to and puts on LUA_PATH/LUA_CPATH).
# Usage: lua-libs.sh SRC_DIR STAGE   (LuaJIT must already be in STAGE/usr/local)
set -euo pipefail
src=$1 stage=$2
lua_dir=/usr/local/lib/lua
install_args=(PREFIX=/usr/local "LUA_LIB_DIR=$lua_dir" "DESTDIR=$stage")

for lib in lua-resty-core lua-resty-lrucache lua-resty-dns lua-resty-lock \
  lua-resty-http lua-resty-string lua-resty-cookie; do
  make -C "$src/$lib" install "${install_args[@]}"
done

# Consistent hashing (resty.chash) comes with its C library librestychash.so.
make -C "$src/lua-resty-balancer" all
make -C "$src/lua-resty-balancer" install "${install_args[@]}"

# cjson is a C module built against LuaJIT's headers; it lands in lib/lua/5.1,
# which is on LuaJIT's default C path.
make -C "$src/lua-cjson" all PREFIX=/usr/local "LUA_INCLUDE_DIR=$stage/usr/local/include/luajit-2.1"
make -C "$src/lua-cjson" install PREFIX=/usr/local "DESTDIR=$stage"
