/* SPDX-License-Identifier: MIT */
/* A worker's state per flow (libhtp's parser and transactions, the app and
 * stream state) comes from malloc; with tens of thousands of flows open its
 * heap grows by hundreds of megabytes, one first-touch page fault per 4 KiB:
 * 29,000 faults on bench-http, a tenth of the worker's time. glibc can back
 * its heap with transparent huge pages (glibc.malloc.hugetlb=1, one fault
 * per 2 MiB) and grow it in large steps (glibc.malloc.top_pad), but reads
 * these tunables only when a program starts, from its environment: no
 * mallopt sets them. So idsd starts itself once more with them set, before
 * it has done anything, unless GLIBC_TUNABLES already decides. */
#include "heap_tune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAP_TUNABLES "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864"

void heap_tune_reexec(char **argv)
{
	const char *old = getenv("GLIBC_TUNABLES");
	char buf[1024];

	if (old != NULL && strstr(old, "glibc.malloc.hugetlb") != NULL)
		return;
	if (old == NULL || old[0] == '\0')
		snprintf(buf, sizeof(buf), "%s", HEAP_TUNABLES);
	else if ((size_t)snprintf(buf, sizeof(buf), "%s:%s", old, HEAP_TUNABLES) >= sizeof(buf))
		return;		/* an operator's string this long is left alone */
	if (setenv("GLIBC_TUNABLES", buf, 1) != 0)
		return;
	execv("/proc/self/exe", argv);
	/* no /proc, or the binary went away: run as started */
	if (old != NULL)
		setenv("GLIBC_TUNABLES", old, 1);
	else
		unsetenv("GLIBC_TUNABLES");
}
