/* SPDX-License-Identifier: MIT */
/* Anonymous mappings aligned on 2 MiB and advised for transparent huge
 * pages: the memory the workers touch at random (flow tables, Hyperscan
 * databases, stream buffers) then costs one TLB entry and one page fault
 * per 2 MiB instead of per 4 KiB. Without THP the kernel backs them with
 * ordinary pages; nothing else changes. */
#ifndef IDS_HUGEMAP_H
#define IDS_HUGEMAP_H

#include <stdbool.h>
#include <stddef.h>

#define HUGEMAP_PAGE ((size_t)2 << 20)

/* bytes rounded up to HUGEMAP_PAGE, zero filled, 2 MiB aligned; NULL on
 * failure. */
void *hugemap_alloc(size_t bytes);
/* Backs [p, p + bytes) of a hugemap_alloc() mapping now, from the calling
 * thread, with pages of the node the mapping is bound to: a first touch
 * zeroes a whole page, which costs milliseconds per 2 MiB on a virtual
 * machine, so the control thread pays it at start rather than a worker in
 * its first packets. Best effort: memory refused now faults later. */
void hugemap_populate(void *p, size_t bytes);
/* The same for memory another thread may be using meanwhile: the kernel
 * backs what is not backed yet and changes no byte. Without
 * MADV_POPULATE_WRITE (kernels before 5.14) it does nothing: writing to
 * back the pages would race with that thread. False then. */
bool hugemap_populate_shared(void *p, size_t bytes);
/* p and bytes as given to and returned by hugemap_alloc; NULL is ignored. */
void hugemap_free(void *p, size_t bytes);

/* Allocators for Hyperscan's databases and scratch spaces
 * (hs_set_database_allocator, hs_set_scratch_allocator): carved from
 * huge-page chunks, a chunk returned to the system when its last block is
 * freed. Thread-safe (a mutex: only engine builds and worker starts
 * allocate). */
void *hugemap_hs_alloc(size_t bytes);
void hugemap_hs_free(void *p);

#endif
