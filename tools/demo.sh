#!/bin/sh
# The README's first command: install, build, and inspect the bundled capture
# with the bundled rules. The alerts land in out/demo/eve.json.
set -eu
cd "$(dirname "$0")/.."
tools/setup-deps.sh
tools/build.sh build
mkdir -p out/demo
rm -f out/demo/eve.json
exec build/dataplane/idsd/idsd -r tests/data/demo.pcap -S rules/examples/demo.rules -l out/demo
