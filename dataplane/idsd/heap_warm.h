/* SPDX-License-Identifier: MIT */
/* The workers' malloc arenas backed by the main thread's doing. */
#ifndef IDS_IDSD_HEAP_WARM_H
#define IDS_IDSD_HEAP_WARM_H

#include <stddef.h>

/* Just before the workers start: leaves narenas glibc arenas with their
 * first bytes (rounded down to 64 KiB) written and free, for the workers'
 * first mallocs to take. Best effort. */
void heap_warm_arenas(unsigned narenas, size_t bytes);

#endif
