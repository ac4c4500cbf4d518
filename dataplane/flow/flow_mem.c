/* SPDX-License-Identifier: MIT */
/* Table memory: on huge pages, since every packet touches a flow slot and a
 * bucket at random among hundreds of megabytes, and on the worker's NUMA
 * node when possible, so the lcore walking the flows reads local memory. */
#include <numa.h>

#include "../../common/hugemap.h"
#include "flow-int.h"

void *flow_mem_alloc(size_t size, int socket)
{
	void *p = hugemap_alloc(size);

	/* before the first touch, so the pages come from that node */
	if (p != NULL && socket >= 0 && numa_available() >= 0)
		numa_tonode_memory(p, size, socket);
	return p;
}

void flow_mem_free(void *ptr, size_t size)
{
	hugemap_free(ptr, size);
}
