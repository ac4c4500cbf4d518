#!/bin/sh
# Configure (once) and build: build/ is the normal build, build-asan/ the
# AddressSanitizer + UndefinedBehaviorSanitizer one (BUG_ON_HOT checks on).
set -eu
cd "$(dirname "$0")/.."

setup() {
	dir=$1; shift
	if [ -f "$dir/build.ninja" ]; then
		return 0
	fi
	meson setup "$dir" "$@" >/dev/null
}

setup build --buildtype=debugoptimized
ninja -C build >/dev/null
if [ "${1:-}" = "--with-asan" ]; then
	setup build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C build-asan >/dev/null
fi
