#!/usr/bin/env python3
"""idsd runs on the malloc its build chose: usage: test_malloc.py IDSD LIB.

LIB is what meson linked (libjemalloc; libasan in the sanitizer build);
`idsd --version` names the shared object the dynamic linker resolved
malloc to, so a build that linked jemalloc but still calls glibc's
malloc fails here. With jemalloc, its options built into idsd
(jemalloc_conf.c) must have been read: transparent huge pages on."""
import os
import subprocess
import sys

from e2e_check import check

idsd, lib = sys.argv[1], sys.argv[2]
p = subprocess.run([idsd, "--version"], capture_output=True, text=True, timeout=60)
line = next((l for l in p.stdout.splitlines() if l.startswith("malloc: ")), "")
check(p.returncode == 0, f"--version: rc {p.returncode}")
check(line.startswith("malloc: " + lib + ".so"), f"--version says {line!r}, built for {lib}")
if lib == "libjemalloc":
    env = dict(os.environ, MALLOC_CONF="stats_print:true")
    p = subprocess.run([idsd, "--version"], capture_output=True, text=True, timeout=60, env=env)
    thp = [l.strip() for l in p.stderr.splitlines() if l.strip().startswith("opt.thp:")]
    check(thp == ['opt.thp: "always"'], f"jemalloc's options as it read them: {thp}")
