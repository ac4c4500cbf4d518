/* SPDX-License-Identifier: MIT */
/* Stream internals shared by the files of dataplane/stream (not a public API). */
#ifndef IDS_STREAM_INT_H
#define IDS_STREAM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "stream.h"

/* Sequence numbers compare modulo 2^32 (RFC 793 section 3.3). */
static inline bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool seq_leq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

/* A segment held back behind a hole: its own copy of the bytes. */
struct stream_seg {
	uint32_t seq;
	uint32_t len;
	uint8_t *data;
};

/* struct stream_dir.flags */
#define SD_F_INIT   0x01u /* base_seq is known (SYN seen, or picked up) */
#define SD_F_ACKED  0x02u /* last_ack is valid */
#define SD_F_DEPTH  0x04u /* stream.reassembly.depth reached: no more data */
#define SD_F_APP_GAP 0x08u /* (added) a hole was skipped since the last app feed */
#define SD_F_END    0x10u /* a FIN or RST came this way: its data is complete */
#define SD_F_GAP_TOLD 0x20u /* (added) the app layer was told of the hole after buf
			     * before it was skipped (stream_app_data) */

/* One direction: buf[0..len) is contiguous data starting at base_seq, of
 * which buf[0..insp) has been inspected; ooo[] holds disjoint segments past
 * the end of buf, ascending. buf lies head bytes into its block of cap
 * bytes: dropping bytes from the front moves buf, and the bytes kept slide
 * back to the block's start only when an append needs the room. */
struct stream_dir {
	uint8_t *buf;
	uint32_t len, cap;
	uint32_t head;
	uint32_t insp;
	uint32_t app;               /* (added) buf[0..app) handed to the app layer */
	uint32_t settled;           /* (added) buf[0..settled) taken by an app layer that
				     * knows its protocol (stream_app_settled) */
	uint32_t base_seq;
	uint32_t last_ack;          /* highest ack the peer sent */
	uint32_t gap_before;        /* bytes skipped just before buf[0] */
	uint32_t accepted;          /* bytes taken in, for the depth (counted only with
				     * one: then never past it, a uint32_t) */
	uint8_t flags;              /* SD_F_* */
	uint8_t nooo;
	uint32_t ooo_bytes;
	struct stream_seg ooo[STREAM_OOO_MAX];
};

/* The block d->buf lies in (NULL: none). */
static inline uint8_t *stream_dir_block(const struct stream_dir *d)
{
	return d->head != 0 ? d->buf - d->head : d->buf;
}

struct stream_flow {
	struct stream_dir d[2];     /* indexed by enum pkt_dir */
	struct stream_flow *prev, *next; /* live list (destroy frees them) */
};

struct wmem;
struct memcap_user;

struct stream_ctx {
	struct stream_config cfg;
	struct stream_stats stats;
	struct wmem *mem;               /* the worker's pool for the direction buffers */
	struct memcap_user *ssn_mem;    /* its shares of stream.memcap */
	struct memcap_user *reasm_mem;  /* and stream.reassembly.memcap */
	struct stream_flow *live;
	struct stream_flow *free_list;  /* recycled states, buffers freed */
	uint32_t free_list_n;
	uint8_t rewrite[65536];         /* inline: the packet's bytes as the stream has them */
};

/* Result of stream_dir_add(). */
struct seg_result {
	bool added;                 /* some bytes were new to the stream */
	bool overlap;               /* some bytes were already stored */
	bool diff;                  /* ...and differed from what was stored */
	bool dropped;               /* new bytes could not be kept (limits) */
};

/* stream_seg.c: put data (seq, len) into d under first-wins; when rewrite
 * is not NULL, bytes of data that were already stored are replaced in
 * rewrite (same length as data) by the stored ones. 0, or -ENOMEM when a
 * limit refused some bytes (res->dropped). */
int stream_dir_add(struct stream_ctx *sc, struct stream_dir *d, uint32_t seq,
		   const uint8_t *data, uint32_t len, uint8_t *rewrite, struct seg_result *res);

/* The next held-back segment does not follow buf: skip the hole (counted)
 * and start buf at it. buf must be fully inspected. false if none held. */
bool stream_dir_skip_gap(struct stream_ctx *sc, struct stream_dir *d);

/* Drop inspected bytes from the front of buf, keeping keep bytes of context. */
void stream_dir_compact(struct stream_dir *d, uint32_t keep, bool app_layer);

/* d's data, all inspected and parsed, goes: the buffer back to the pool,
 * the stream moving on to the byte after it (what follows starts a new
 * buffer, what came before is old data). */
void stream_dir_retire(struct stream_ctx *sc, struct stream_dir *d);

/* Free d's buffers (memory accounting undone). */
void stream_dir_release(struct stream_ctx *sc, struct stream_dir *d);

#endif
