#!/bin/sh
# The README's second command (and CI's): install, build both flavours, run
# every test suite in each, and end with "N passed, N failed" counted from
# meson's own test logs (a build that fails counts as one failed test).
set -u
cd "$(dirname "$0")/.."

if ! tools/setup-deps.sh; then
	echo "FAILED: installing dependencies"
	echo "0 passed, 1 failed"
	exit 1
fi

jobs=$(nproc 2>/dev/null || echo 2)
logs=""
build_failures=0
for flavour in build build-asan; do
	rm -f "$flavour/meson-logs/testlog.json"
	if ! tools/build.sh "$flavour"; then
		echo "FAILED: $flavour did not build"
		build_failures=$((build_failures + 1))
		continue
	fi
	# Sanitizer reports abort the process, so a test with one fails.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		meson test -C "$flavour" --num-processes "$jobs" --print-errorlogs \
			--no-rebuild --timeout-multiplier 3 || true
	logs="$logs $flavour:$flavour/meson-logs/testlog.json"
done
# shellcheck disable=SC2086
python3 tools/count-results.py --extra-failed "$build_failures" $logs
