/* SPDX-License-Identifier: MIT */
/* IPv4 and IPv6 reassembly (Suricata's defrag): fragments are kept per
 * datagram (addresses, id, protocol for IPv4, VLAN) until the datagram is
 * whole, then one frame is built: the first fragment's link and IP headers
 * (IPv6: the unfragmentable part, the Fragment header removed) followed by
 * the payload. That frame is decoded and inspected as a packet of its own
 * (PKT_F_REASSEMBLED); the fragments themselves are inspected as they are.
 *
 * Overlap policy "bsd" (Suricata's default): where fragments overlap, the
 * one with the lower offset wins; at equal offsets the one that came first.
 * The policy is applied on arrival (defrag_map.h), so a fragment costs a
 * binary search plus the bytes it wins, and building the datagram is one
 * copy of its payload.
 *
 * Bounds, each refusal counted and marked on the fragment as Suricata's
 * decoder event (frag_ignored, frag_overlap, frag_pkt_too_large):
 * - all datagrams: defrag.memcap (bytes kept), defrag.max-frags (fragments
 *   kept), defrag.trackers (datagrams in progress; the oldest is given up
 *   for a new one), defrag.timeout after a datagram's first fragment;
 * - one datagram: defrag.datagram.max-frags, .max-overlaps, .max-bytes
 *   (fragments, overlapping fragments, bytes received); past one, the
 *   datagram is given up and its later fragments ignored until it times out;
 * - one source address: defrag.source.max-trackers and .memcap, so a single
 *   sender only ever evicts its own datagrams. */
#ifndef IDS_DEFRAG_H
#define IDS_DEFRAG_H

#include <stdint.h>

#include "../decode/packet-t.h"

#define DEFRAG_MEMCAP_DEFAULT (UINT64_C(32) << 20)

struct memcap;

struct defrag_config {
	uint64_t memcap;        /* defrag.memcap; 0: 32 MiB */
	uint32_t timeout_s;     /* defrag.timeout; 0: 60 */
	uint32_t max_frags;     /* defrag.max-frags; 0: 65535 */
	uint32_t trackers;      /* datagrams in progress; 0: 4096 */
	uint32_t dgram_frags;   /* defrag.datagram.max-frags; 0: 1024 */
	uint32_t dgram_overlaps; /* defrag.datagram.max-overlaps; 0: 64 */
	uint32_t dgram_bytes;   /* defrag.datagram.max-bytes; 0: 256 KiB */
	uint32_t src_trackers;  /* defrag.source.max-trackers; 0: trackers / 8 */
	uint64_t src_memcap;    /* defrag.source.memcap; 0: memcap / 4 */
	/* the process's defrag.memcap, which all workers share (common/memcap.h);
	 * NULL: a budget of this context's own */
	struct memcap *budget;
};

/* Names as Suricata's "defrag.*" counters where one exists. */
struct defrag_stats {
	uint64_t ipv4_fragments, ipv4_reassembled;
	uint64_t ipv6_fragments, ipv6_reassembled;
	uint64_t max_trackers_reached;  /* defrag.max_trackers_reached */
	uint64_t max_frags_reached;     /* defrag.max_frags_reached */
	uint64_t memcap;                /* defrag.memcap_exceeded: fragment not kept */
	uint64_t timeouts;              /* defrag.timeouts: datagrams given up */
	uint64_t overlap;               /* defrag.overlap: fragments overlapping others */
	uint64_t too_large;             /* defrag.too_large: datagram past 65535 bytes */
	uint64_t invalid;               /* defrag.invalid: malformed fragment ignored */
	uint64_t dgram_frags;           /* defrag.datagram.max_frags_reached */
	uint64_t dgram_overlaps;        /* defrag.datagram.max_overlaps_reached */
	uint64_t dgram_bytes;           /* defrag.datagram.max_bytes_reached */
	uint64_t src_trackers;          /* defrag.source.max_trackers_reached */
	uint64_t src_memcap;            /* defrag.source.memcap_exceeded */
	uint64_t ignored;               /* defrag.ignored: fragments of a datagram given up */
	uint64_t memuse;                /* defrag.memuse: bytes kept now */
};

struct defrag_ctx;

/* One per worker. NULL on allocation failure. */
struct defrag_ctx *defrag_ctx_create(const struct defrag_config *cfg);
void defrag_ctx_destroy(struct defrag_ctx *dc);

/* p: a decoded IPv4 or IPv6 fragment (PKT_F_IPV4_FRAG / PKT_F_IPV6_FRAG; p
 * is not kept, only p->frag_ev is set). When p completes its datagram,
 * returns the length of the reassembled frame and points *frame at it
 * (valid until the next call); else 0. */
uint32_t defrag_packet(struct defrag_ctx *dc, struct packet *p, const uint8_t **frame);

/* Give up datagrams whose timeout passed at now_us. Returns how many. */
unsigned defrag_expire(struct defrag_ctx *dc, uint64_t now_us);

const struct defrag_stats *defrag_ctx_stats(const struct defrag_ctx *dc);

#endif
