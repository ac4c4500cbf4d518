/* SPDX-License-Identifier: MIT */
/* Defrag internals shared by defrag.c (trackers) and defrag_src.c (the
 * per-source budget). */
#ifndef IDS_DEFRAG_INT_H
#define IDS_DEFRAG_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "defrag.h"
#include "defrag_map.h"

#define DEFRAG_HDR_MAX 512u   /* link + IP headers kept from the first fragment */

/* A source address and what its datagrams in progress hold. */
struct defrag_src {
	struct defrag_src *hnext;
	union ip_addr addr;
	uint8_t ip_ver;
	uint32_t bucket;
	uint32_t trackers;
	uint64_t mem;
	struct tracker *oldest, *newest;  /* its trackers by age */
};

struct tracker {
	struct tracker *hnext;
	struct tracker *older, *newer;          /* age list, all sources */
	struct tracker *src_older, *src_newer;  /* age list, this source */
	struct defrag_src *src;
	union ip_addr saddr, daddr;
	uint32_t id;
	uint16_t vlan;
	uint8_t ip_ver, proto;
	bool has_first, has_last;
	bool dead;               /* given up: later fragments are ignored */
	uint32_t total;          /* payload bytes, known with has_last */
	uint32_t nfrag, noverlap;  /* fragments and overlapping ones received */
	uint32_t bytes_in;       /* payload bytes received */
	uint32_t bucket;
	uint64_t expire_us;
	struct defrag_map map;
	/* the first fragment's headers: link, IP, (IPv6) the unfragmentable part */
	uint16_t hdr_len, l3_off, nh_pos;
	uint8_t nh;              /* IPv6: the Fragment header's next header */
	uint8_t hdr[DEFRAG_HDR_MAX];
};

struct memcap_user;

struct defrag_ctx {
	struct defrag_config cfg;
	struct defrag_stats st;
	uint32_t nbuckets;       /* power of two, for trackers and sources */
	uint32_t seed;           /* of both hashes, random per context: a known
				  * hash lets a sender aim every datagram (IDs are
				  * its to pick) at one bucket */
	struct tracker **buckets;
	struct tracker *pool;    /* cfg.trackers entries */
	struct tracker *free_list;
	struct tracker *oldest, *newest;
	struct defrag_src **src_buckets;
	struct defrag_src *src_pool;  /* cfg.trackers entries: one per tracker at most */
	struct defrag_src *src_free;
	uint32_t frags_kept;     /* segments held by all maps */
	struct memcap_user *mem; /* this worker's share of defrag.memcap */
	uint8_t *frame;
};

/* One step of the seeded bucket hashes: fold k into h, mixed. */
static inline uint32_t defrag_hash_step(uint32_t h, uint32_t k)
{
	h ^= k;
	h *= 0x9e3779b1u;
	h ^= h >> 15;
	h *= 0x85ebca6bu;
	return h ^ (h >> 13);
}

/* An address's 4 (IPv4) or 16 bytes folded into h. */
static inline uint32_t defrag_hash_addr(uint32_t h, uint8_t ip_ver, const union ip_addr *a)
{
	for (unsigned i = 0; i < (ip_ver == 4 ? 4u : 16u); i += 4)
		h = defrag_hash_step(h, (uint32_t)a->b[i] << 24 | (uint32_t)a->b[i + 1] << 16 |
					(uint32_t)a->b[i + 2] << 8 | a->b[i + 3]);
	return h;
}

/* The source of a new tracker: found or created (never fails: there are as
 * many entries as trackers). Links t as its newest. */
void defrag_src_attach(struct defrag_ctx *dc, struct tracker *t, uint8_t ip_ver,
		       const union ip_addr *addr);

/* Unlink t from its source; the source goes when it has no tracker left. */
void defrag_src_detach(struct defrag_ctx *dc, struct tracker *t);

/* The source's oldest tracker other than t, or NULL. */
struct tracker *defrag_src_oldest(const struct defrag_src *s, const struct tracker *t);

/* The source of addr, or NULL when it has no datagram in progress. */
struct defrag_src *defrag_src_find(const struct defrag_ctx *dc, uint8_t ip_ver,
				   const union ip_addr *addr);

#endif
