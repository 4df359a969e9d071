#!/usr/bin/env bash
# LuaJIT (OpenResty's luajit2) into STAGE/usr/local, as upstream's image has it.
# Usage: luajit.sh SRC_DIR STAGE
set -euo pipefail
src=$1 stage=$2
cd "$src/luajit2"
make -j"$(nproc)" CCDEBUG=-g PREFIX=/usr/local
make install PREFIX=/usr/local DESTDIR="$stage"
# The static archive is only for linking; upstream's image deletes *.a too.
rm -f "$stage/usr/local/lib/libluajit-5.1.a"
