#!/usr/bin/env python3
"""Print every case folder (one holding test.yaml) under the given roots, one
per line as ROOT_RELATIVE_NAME<TAB>ABSOLUTE_PATH, so meson registers a test
per case and new folders are picked up without code changes."""
import os
import sys

for root in sys.argv[1:]:
    for d, _, files in sorted(os.walk(root)):
        if "test.yaml" in files:
            print(f"{os.path.relpath(d, root)}\t{os.path.abspath(d)}")
