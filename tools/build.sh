#!/bin/sh
# Configure (once) and build one flavour: build (optimised, with debug info)
# or build-asan (AddressSanitizer + UndefinedBehaviorSanitizer, BUG_ON_HOT on).
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}

case "$dir" in
build) opts="--buildtype=debugoptimized" ;;
build-asan) opts="--buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Db_lto=false" ;;
*) echo "build.sh: unknown flavour '$dir' (build or build-asan)" >&2; exit 2 ;;
esac
if [ ! -f "$dir/build.ninja" ]; then
	# shellcheck disable=SC2086
	meson setup "$dir" $opts >/dev/null
fi
ninja -C "$dir" >/dev/null
