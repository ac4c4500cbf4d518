/* SPDX-License-Identifier: MIT */
/* TCP stream reassembly, per flow direction, for raw stream inspection as
 * Suricata does it (stream-tcp-reassemble.c):
 * - in-order data is appended to a contiguous per-direction buffer; segments
 *   past a hole wait (bounded) and are drained in order when it fills;
 * - overlaps: the data received first wins, for every byte (Suricata's
 *   default target policy "bsd" keeps the original data of an exact or
 *   partial retransmission). Different data in an overlap is counted; in
 *   inline mode the packet is rewritten to the stream's data (checksum fixed);
 * - IDS mode: a direction's data is inspected once its peer has acked at
 *   least chunk-size new bytes (or 64 KiB pile up unacked), once the app
 *   layer has taken bytes of it raw inspection has not seen and knows their
 *   protocol (stream_app_settled; up to those,
 *   with the direction's next packet: Suricata's parsers trigger raw
 *   reassembly as they complete messages), when the direction ends (its
 *   FIN or RST: all it sent, acked or not), and at flow end (timeout or
 *   exit: the flow's release, as Suricata's flow-timeout pseudo packets,
 *   which detection sees as established); a hole the peer acked past (or
 *   still there at flow end) is skipped and counted (tcp.reassembly_gap);
 * - inline mode: every packet that carries data inspects the stream up to
 *   its segment (chunk-size bytes of context), as Suricata's inline raw
 *   reassembly.
 *
 * Memory per flow: struct stream_flow (~0.6 KiB: two directions with up to
 * STREAM_OOO_MAX held-back segment descriptors each), plus per direction a
 * buffer of the kept context (chunk-size bytes) and the data not inspected
 * yet (at least one chunk-size, more while the peer has not acked), and the
 * copies of out-of-order segments; all of it counted against
 * stream.reassembly.memcap. Sessions are counted against stream.memcap. */
#ifndef IDS_STREAM_H
#define IDS_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "../decode/packet-t.h"
#include "../flow/flow-t.h"

struct memcap;

#define STREAM_OOO_MAX 16u            /* held-back segments per direction */
#define STREAM_MEMCAP_DEFAULT (UINT64_C(64) << 20)
#define STREAM_REASSEMBLY_MEMCAP_DEFAULT (UINT64_C(256) << 20)
#define STREAM_OOO_BYTES_MAX (256u * 1024) /* their bytes per direction */

struct stream_config {
	uint64_t memcap;               /* stream.memcap: session state bytes; 0: 64 MiB */
	uint64_t reassembly_memcap;    /* stream.reassembly.memcap: data bytes; 0: 256 MiB */
	uint32_t depth;                /* stream.reassembly.depth; 0: unlimited */
	uint32_t chunk_size[2];        /* toserver/toclient-chunk-size; 0: 2560 */
	bool inline_mode;              /* stream.inline (auto: the IPS setting) */
	bool app_layer;                /* (added) stream_app_data() is used: keep unparsed bytes */
	/* the process's budgets for memcap and reassembly_memcap, which all
	 * workers share (common/memcap.h); NULL: budgets of this context's own */
	struct memcap *ssn_budget, *reasm_budget;
};

/* Counter names as Suricata's "tcp.*" where one exists. */
struct stream_stats {
	uint64_t sessions;             /* tcp.sessions: flows given stream state */
	uint64_t ssn_memcap_drop;      /* tcp.ssn_memcap_drop */
	uint64_t segment_memcap_drop;  /* tcp.segment_memcap_drop */
	uint64_t ooo_limit;            /* tcp.reassembly_ooo_limit: segment past a hole not kept */
	uint64_t overlap;              /* tcp.overlap: segments overlapping stored data */
	uint64_t overlap_diff_data;    /* tcp.overlap_diff_data */
	uint64_t reassembly_gap;       /* tcp.reassembly_gap: holes skipped */
	uint64_t depth_reached;        /* tcp.stream_depth_reached */
	uint64_t pseudo;               /* tcp.pseudo: flushes at flow end */
	uint64_t rewritten;            /* tcp.inline_rewritten: packets rewritten (inline) */
	uint64_t retired;              /* tcp.stream_retired: directions whose buffer went
					* back to the pool at their end, before the flow's */
	uint64_t memuse;               /* tcp.memuse: this worker's session state now */
	uint64_t reassembly_memuse;    /* tcp.reassembly_memuse: this worker's data bytes now */
};

/* Stream data to inspect: data[0..len), of which data[0..old_len) was
 * inspected before (kept as context so matches across chunks are found; a
 * match that also lies wholly in it is not new). gap_before: bytes missing
 * just before data[0] (a skipped hole), for the alert's payload. */
struct stream_window {
	const uint8_t *data;
	uint32_t len;
	uint32_t old_len;
	uint32_t seq;                  /* sequence number of data[0] */
	uint32_t gap_before;
	uint8_t dir;                   /* enum pkt_dir of the stream */
};

struct stream_ctx;

/* One per worker. NULL on allocation failure. */
struct stream_ctx *stream_ctx_create(const struct stream_config *cfg);
/* Frees the context and every stream state still attached to a flow. */
void stream_ctx_destroy(struct stream_ctx *sc);
/* The worker's pool (common/wmem.h) of the direction buffers. */
struct wmem *stream_ctx_mem(const struct stream_ctx *sc);

/* Feed p (a TCP packet with a flow, after flow_handle_packet). Sets
 * PKT_F_STREAM_ADD when p's data went into the stream, and in inline mode
 * may rewrite p's payload (PKT_F_MODIFIED). Returns true and fills w when
 * the stream of p's direction is due for inspection with this packet; the
 * caller inspects and then calls stream_window_done(). */
bool stream_packet(struct stream_ctx *sc, struct packet *p, struct stream_window *w);

/* w (from stream_packet or stream_flush_next) was inspected. */
void stream_window_done(struct stream_ctx *sc, struct flow *f, const struct stream_window *w);

/* Flow end: the next window of direction dir not inspected yet (skipping
 * holes), or false when nothing is left. Call stream_window_done() after
 * each, then stream_flow_free(). */
bool stream_flush_next(struct stream_ctx *sc, struct flow *f, uint8_t dir,
		       struct stream_window *w);

/* Release f's stream state (flow release). Safe when it has none. */
void stream_flow_free(struct stream_ctx *sc, struct flow *f);
/* (added) f was turned around (flow_reverse): each direction's stream
 * becomes the other's. Safe when it has none. */
void stream_flow_reverse(struct flow *f);

/* (added) App-layer feed: the in-order bytes of direction dir not handed to
 * the app layer yet, as Suricata gives its parsers: in IDS mode what the
 * peer acked (and what raw inspection already took), in inline mode or with
 * flush (flow end) all of it. Returns their length (0: none) and sets *data,
 * valid until the next stream call on f, and *seq, the sequence number of
 * its first byte (the stream windows' numbering); they count as handed
 * over. Needs cfg.app_layer. gap: set when a hole was skipped since the
 * last call. */
uint32_t stream_app_data(struct stream_ctx *sc, struct flow *f, uint8_t dir, bool flush,
			 const uint8_t **data, uint32_t *seq, bool *gap);

/* (added) After stream_app_data, for a packet that updates dir's app layer
 * in Suricata: true, once per hole, when the app layer has every byte of
 * dir before a hole and the peer acked past it (data waiting beyond): the
 * gap reaches the app layer with this packet, as Suricata's
 * ReassembleUpdateAppLayer hands it over, whether raw inspection has
 * skipped it or not (stream_app_data reports it no more). */
bool stream_app_gap_due(struct stream_ctx *sc, struct flow *f, uint8_t dir);

/* (added) The app layer knows the protocol of the bytes of dir it took (a
 * banner taken before the peer's first command told it waits): raw
 * inspection of them is due with dir's next packet (IDS mode). */
void stream_app_settled(struct stream_ctx *sc, struct flow *f, uint8_t dir);

const struct stream_stats *stream_ctx_stats(const struct stream_ctx *sc);

#endif
