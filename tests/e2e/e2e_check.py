"""The end-to-end tests' assertion: prints what held, or what failed and
stops the test with exit status 1."""
import sys


def check(cond, what):
    if not cond:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok: {what}")
