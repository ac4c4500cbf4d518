/* SPDX-License-Identifier: MIT */
/* Two levels of assertion, as HAProxy's BUG_ON / BUG_ON_HOT:
 * BUG_ON is always compiled and aborts with file:line; BUG_ON_HOT only in
 * builds with IDS_DEBUG (the sanitizer build), so the hot path pays nothing. */
#ifndef IDS_BUG_H
#define IDS_BUG_H

#include <stdio.h>
#include <stdlib.h>

static inline void ids_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "BUG at %s:%d: %s\n", file, line, cond);
	abort();
}

#define BUG_ON(cond) \
	do { if (__builtin_expect(!!(cond), 0)) ids_bug(__FILE__, __LINE__, #cond); } while (0)

#ifdef IDS_DEBUG
#define BUG_ON_HOT(cond) BUG_ON(cond)
#else
#define BUG_ON_HOT(cond) do { (void)sizeof(cond); } while (0)
#endif

#endif
