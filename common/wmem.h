/* SPDX-License-Identifier: MIT */
/* Per-worker memory for the buffers that grow with traffic (TCP stream data,
 * HTTP bodies): blocks of power-of-two sizes from 64 B to 1 MiB, carved from
 * 2 MiB chunks the kernel is asked to back with transparent huge pages, and
 * recycled through one free list per size. A worker holding tens of
 * thousands of flows then takes one page fault per 2 MiB instead of one per
 * 4 KiB, and a freed block is reused by the next flow without a trip
 * through malloc. Not thread-safe: one per worker, like everything else on
 * the hot path. Larger blocks go to malloc. */
#ifndef IDS_WMEM_H
#define IDS_WMEM_H

#include <stddef.h>
#include <stdint.h>

struct wmem;

/* NULL on allocation failure. */
struct wmem *wmem_create(void);
/* Returns every chunk to the system; blocks still out become invalid. */
void wmem_destroy(struct wmem *m);

/* A block of at least n bytes (n > 0); *cap gets its usable size. NULL
 * when out of memory. */
void *wmem_alloc(struct wmem *m, uint32_t n, uint32_t *cap);
/* p (a block of size cap from m, or NULL with cap 0) replaced by one of at
 * least n bytes holding its first keep bytes; *newcap gets its size. NULL
 * when out of memory, p then untouched. */
void *wmem_grow(struct wmem *m, void *p, uint32_t cap, uint32_t keep, uint32_t n,
		uint32_t *newcap);
/* p back to m; NULL is ignored. cap is its size as returned, or the size
 * it was asked for: both name the same block size. */
void wmem_free(struct wmem *m, void *p, uint32_t cap);

/* A zeroed block of at least n bytes (n > 0) for an object of fixed size,
 * given back with wmem_free(m, p, n); NULL when out of memory. */
void *wmem_zalloc(struct wmem *m, uint32_t n);

/* Bytes taken from the system in chunks (for the stats). */
uint64_t wmem_chunk_bytes(const struct wmem *m);
/* Bytes of the blocks given out and not given back (by block size): 0
 * once every owner has let go of what it took, whatever it took. */
uint64_t wmem_used_bytes(const struct wmem *m);

/* Called from another thread than m's owner (the worker's control thread,
 * between its other duties): keeps one backed chunk ready for m's next
 * growth, so that the worker does not pay the chunk's first touch, a page
 * clear that costs milliseconds per 2 MiB on a virtual machine. Returns
 * the bytes it backed now, 0 when the spare was ready already or could not
 * be had (the worker then maps its chunk itself, as without a backer). Only
 * one thread may call it for a given m, and never with wmem_destroy. */
size_t wmem_back_spare(struct wmem *m);

#endif
