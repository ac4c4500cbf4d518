/* SPDX-License-Identifier: MIT */
/* One datagram's payload under reassembly, with the bsd overlap policy
 * applied as fragments arrive rather than when the datagram is built.
 *
 * bsd: a byte belongs to the covering fragment with the lowest offset; at
 * equal offsets to the one that came first. That owner's offset never
 * decreases along the payload, so the owners form a sorted array of
 * disjoint segments whose owner offsets are sorted too. A new fragment at
 * offset o loses every byte up to M, the end of the last segment owned at
 * an offset <= o, and wins [M, end): the segments there (all owned above o)
 * are removed or trimmed, and only the won bytes are copied into the image.
 * A duplicate wins nothing and costs a binary search; a datagram never
 * holds more than 64 KiB of data however many copies arrive. */
#ifndef IDS_DEFRAG_MAP_H
#define IDS_DEFRAG_MAP_H

#include <stdbool.h>
#include <stdint.h>

struct defrag_seg {
	uint32_t start, end;     /* bytes of the payload this segment owns */
	uint32_t owner;          /* offset of the fragment that owns them */
};

struct defrag_map {
	struct defrag_seg *seg;  /* sorted by start (and so by owner) */
	uint32_t nseg, seg_cap;
	uint8_t *img;            /* the payload, valid where a segment says */
	uint32_t img_cap;
	uint32_t covered;        /* sum of segment lengths */
};

/* What one fragment did to the map. */
struct defrag_put {
	bool overlap;            /* it covered bytes already held */
	uint32_t won;            /* bytes it now owns (0: a duplicate) */
};

/* Bytes of memory the map holds (memcap accounting). */
uint32_t defrag_map_mem(const struct defrag_map *m);

/* Memory the map would hold after a fragment [off, off + len) arrives:
 * callers check it against their budgets before defrag_map_put(). */
uint32_t defrag_map_mem_after(const struct defrag_map *m, uint32_t off, uint32_t len);

/* Apply the fragment data[0..len) at offset off. Returns -ENOMEM (the map
 * is unchanged) or 0 with *res filled. */
int defrag_map_put(struct defrag_map *m, uint32_t off, const uint8_t *data, uint32_t len,
		   struct defrag_put *res);

/* Forget every byte at or past end (the last fragment set the length). */
void defrag_map_clip(struct defrag_map *m, uint32_t end);

void defrag_map_free(struct defrag_map *m);

#endif
