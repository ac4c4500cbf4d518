/* SPDX-License-Identifier: MIT */
/* Table memory: on the worker's NUMA node when possible, so the lcore walking
 * the flows reads local memory. */
#include <numa.h>
#include <stdlib.h>
#include <string.h>

#include "flow-int.h"

void *flow_mem_alloc(size_t size, int socket, bool *numa)
{
	void *p;

	if (socket >= 0 && numa_available() >= 0) {
		/* mmap-backed: page aligned and zero filled */
		p = numa_alloc_onnode(size, socket);
		if (p != NULL) {
			*numa = true;
			return p;
		}
	}
	*numa = false;
	if (posix_memalign(&p, FLOW_CACHE_LINE, size) != 0)
		return NULL;
	memset(p, 0, size);
	return p;
}

void flow_mem_free(void *ptr, size_t size, bool numa)
{
	if (ptr == NULL)
		return;
	if (numa)
		numa_free(ptr, size);
	else
		free(ptr);
}
