#!/bin/sh
# The README's second command (and CI's): install, build both flavours, run
# every test suite in each, and end with "N passed, N failed" counted from
# meson's own test log.
set -eu
cd "$(dirname "$0")/.."
tools/setup-deps.sh
tools/build.sh --with-asan

jobs=$(nproc 2>/dev/null || echo 2)
status=0
meson test -C build --num-processes "$jobs" --print-errorlogs || status=1
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	meson test -C build-asan --num-processes "$jobs" --print-errorlogs || status=1
python3 tools/count-results.py build/meson-logs/testlog.json asan:build-asan/meson-logs/testlog.json
exit $status
