#!/usr/bin/env python3
"""Count test results from meson's testlog.json files and print the totals.

Arguments are log paths, optionally prefixed "label:" to tag their tests.
A test passes only with result OK; SKIP, FAIL, TIMEOUT and ERROR all count
as failed, so nothing skipped can hide. The last line is "N passed, N failed".
"""
import json
import sys


def main(args):
    passed, failed = 0, []
    paths = []
    while args:
        a = args.pop(0)
        if a == "--extra-failed":
            failed += [f"build {i + 1}" for i in range(int(args.pop(0)))]
        else:
            paths.append(a)
    for arg in paths:
        label, _, path = arg.rpartition(":")
        try:
            with open(path, encoding="utf-8") as f:
                lines = [json.loads(line) for line in f if line.strip()]
        except OSError as e:
            failed.append(f"{arg}: cannot read the test log ({e.strerror})")
            continue
        for t in lines:
            name = (label + ":" if label else "") + t.get("name", "?")
            if t.get("result") == "OK":
                passed += 1
            else:
                failed.append(f"{name}: {t.get('result')}")
    for f in failed:
        print("FAILED", f)
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
