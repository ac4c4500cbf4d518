/* SPDX-License-Identifier: MIT */
/* Per-packet stream handling: which direction a segment belongs to, where
 * each direction starts, when its data is due for inspection, and the
 * windows handed to detection. */
#include <stdlib.h>
#include <string.h>

#include "../../common/memcap.h"
#include "../../common/wmem.h"
#include "stream-int.h"

#define DEFAULT_CHUNK        2560u
/* IDS mode waits for acks; a one-sided capture never has them, so this much
 * unacked data is inspected anyway. */
#define UNACKED_MAX          (64u * 1024)
#define FREE_LIST_MAX        1024u

struct stream_ctx *stream_ctx_create(const struct stream_config *cfg)
{
	struct stream_ctx *sc = calloc(1, sizeof(*sc));

	if (sc == NULL)
		return NULL;
	sc->cfg = *cfg;
	if (sc->cfg.memcap == 0)
		sc->cfg.memcap = STREAM_MEMCAP_DEFAULT;
	if (sc->cfg.reassembly_memcap == 0)
		sc->cfg.reassembly_memcap = STREAM_REASSEMBLY_MEMCAP_DEFAULT;
	for (int i = 0; i < 2; i++)
		if (sc->cfg.chunk_size[i] == 0)
			sc->cfg.chunk_size[i] = DEFAULT_CHUNK;
	sc->mem = wmem_create();
	sc->ssn_mem = memcap_join(cfg->ssn_budget, sc->cfg.memcap);
	sc->reasm_mem = memcap_join(cfg->reasm_budget, sc->cfg.reassembly_memcap);
	if (sc->mem == NULL || sc->ssn_mem == NULL || sc->reasm_mem == NULL) {
		stream_ctx_destroy(sc);
		return NULL;
	}
	return sc;
}

struct wmem *stream_ctx_mem(const struct stream_ctx *sc)
{
	return sc->mem;
}

void stream_ctx_destroy(struct stream_ctx *sc)
{
	if (sc == NULL)
		return;
	while (sc->live != NULL) {
		struct stream_flow *sf = sc->live;

		sc->live = sf->next;
		stream_dir_release(sc, &sf->d[0]);
		stream_dir_release(sc, &sf->d[1]);
		free(sf);
	}
	while (sc->free_list != NULL) {
		struct stream_flow *sf = sc->free_list;

		sc->free_list = sf->next;
		free(sf);
	}
	/* after the releases above, which give back what they held */
	memcap_leave(sc->reasm_mem);
	memcap_leave(sc->ssn_mem);
	wmem_destroy(sc->mem);
	free(sc);
}

const struct stream_stats *stream_ctx_stats(const struct stream_ctx *sc)
{
	return &sc->stats;
}

/* f's state, created on first use; NULL when stream.memcap is reached. */
static struct stream_flow *flow_state(struct stream_ctx *sc, struct flow *f)
{
	struct stream_flow *sf = f->stream;

	if (sf != NULL)
		return sf;
	if (!memcap_take(sc->ssn_mem, sizeof(*sf))) {
		sc->stats.ssn_memcap_drop++;
		return NULL;
	}
	sf = sc->free_list;
	if (sf != NULL) {
		sc->free_list = sf->next;
		sc->free_list_n--;
	}
	else if ((sf = malloc(sizeof(*sf))) == NULL) {
		memcap_give(sc->ssn_mem, sizeof(*sf));
		return NULL;
	}
	memset(sf, 0, sizeof(*sf));
	sf->next = sc->live;
	if (sc->live != NULL)
		sc->live->prev = sf;
	sc->live = sf;
	sc->stats.memuse += sizeof(*sf);
	sc->stats.sessions++;
	f->stream = sf;
	return sf;
}

void stream_flow_reverse(struct flow *f)
{
	struct stream_dir t;

	if (f->stream == NULL)
		return;
	t = f->stream->d[0];
	f->stream->d[0] = f->stream->d[1];
	f->stream->d[1] = t;
}

void stream_flow_free(struct stream_ctx *sc, struct flow *f)
{
	struct stream_flow *sf = f->stream;

	if (sf == NULL)
		return;
	f->stream = NULL;
	stream_dir_release(sc, &sf->d[0]);
	stream_dir_release(sc, &sf->d[1]);
	if (sf->prev != NULL)
		sf->prev->next = sf->next;
	else
		sc->live = sf->next;
	if (sf->next != NULL)
		sf->next->prev = sf->prev;
	sc->stats.memuse -= sizeof(*sf);
	memcap_give(sc->ssn_mem, sizeof(*sf));
	if (sc->free_list_n < FREE_LIST_MAX) {
		sf->next = sc->free_list;
		sc->free_list = sf;
		sc->free_list_n++;
	} else {
		free(sf);
	}
}

/* RFC 1624 eqn. 3: the checksum at l4+16 after bytes [off, off+n) of the
 * segment (offsets from the TCP header) changed from old to new. */
static void csum_adjust(uint8_t *l4, uint32_t off, const uint8_t *old, const uint8_t *new,
			uint32_t n)
{
	uint32_t sum = (uint16_t)~(l4[16] << 8 | l4[17]);

	for (uint32_t i = 0; i < n; i++) {
		uint32_t sh = ((off + i) & 1) ? 0 : 8;

		sum += (uint16_t)~(old[i] << sh) & (sh ? 0xff00u : 0x00ffu);
		sum += (uint32_t)new[i] << sh;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = (uint16_t)~sum;
	l4[16] = (uint8_t)(sum >> 8);
	l4[17] = (uint8_t)sum;
}

/* Inline: p's bytes that the stream held already become the stream's. The
 * frame is the worker's own receive buffer, forwarded after the verdict, so
 * the rewrite is what leaves the box (as Suricata's inline mode). */
static void rewrite_packet(struct stream_ctx *sc, struct packet *p, const uint8_t *stored)
{
	uint8_t *pl = (uint8_t *)(uintptr_t)p->payload;
	uint8_t *l4 = (uint8_t *)(uintptr_t)p->l4;
	uint32_t off = (uint32_t)(p->payload - p->l4);

	csum_adjust(l4, off, pl, stored, p->payload_len);
	memcpy(pl, stored, p->payload_len);
	p->flags |= PKT_F_MODIFIED;
	sc->stats.rewritten++;
}

static void add_data(struct stream_ctx *sc, struct stream_dir *d, struct packet *p,
		     uint32_t seq)
{
	struct seg_result res;
	uint8_t *rw = NULL;

	if (sc->cfg.inline_mode && p->payload_len <= sizeof(sc->rewrite)) {
		rw = sc->rewrite;
		memcpy(rw, p->payload, p->payload_len);
	}
	stream_dir_add(sc, d, seq, p->payload, p->payload_len, rw, &res);
	if (res.overlap)
		sc->stats.overlap++;
	if (res.diff) {
		sc->stats.overlap_diff_data++;
		pkt_event_set(&p->events, PEV_STREAM_REASSEMBLY_OVERLAP_DIFFERENT_DATA);
		if (rw != NULL)
			rewrite_packet(sc, p, rw);
	}
	if (res.added)
		p->flags |= PKT_F_STREAM_ADD;
}

/* Data wholly before the oldest byte d still holds is not inserted
 * (Suricata's DoInsertSegment). The session tracker names most such
 * packets first (a retransmission, refused or not: flow_tcp_seq.c), as
 * Suricata's spurious-retransmission check does before insertion; what
 * it cannot judge (a midstream pickup has no sequence state) gets this
 * event. */
static bool before_base(const struct stream_dir *d, const struct packet *p, uint32_t seq)
{
	return seq_leq(seq + p->payload_len, d->base_seq) &&
	       !pkt_event_isset(&p->events, PEV_STREAM_PKT_RETRANSMISSION) &&
	       !pkt_event_isset(&p->events, PEV_STREAM_PKT_SPURIOUS_RETRANSMISSION);
}

/* Acked bytes of d's buffer. */
static uint32_t acked_len(const struct stream_dir *d)
{
	uint32_t n;

	if (!(d->flags & SD_F_ACKED) || !seq_lt(d->base_seq, d->last_ack))
		return 0;
	n = d->last_ack - d->base_seq;
	return n < d->len ? n : d->len;
}

static void window_of(const struct stream_dir *d, uint8_t dir, uint32_t start, uint32_t end,
		      uint32_t old, struct stream_window *w)
{
	w->data = d->buf != NULL ? d->buf + start : NULL;	/* no buffer: an empty window */
	w->len = end - start;
	w->seq = d->base_seq + start;
	w->old_len = old > start ? old - start : 0;
	w->gap_before = start == 0 ? d->gap_before : 0;
	w->dir = dir;
}

/* IDS: is d due with this packet? end: how far to inspect. As Suricata's
 * raw reassembly (StreamReassembleRaw and its triggers): when the peer
 * acked chunk-size new bytes (or UNACKED_MAX pile up), when the app layer
 * has taken bytes raw inspection has not seen (Suricata's parsers trigger
 * raw reassembly as they complete a message, so short exchanges are not
 * left for the flow's end; the next packet of the direction inspects
 * them), and when the direction ends (FIN or RST: all it sent, acked or
 * not). */
static bool ids_due(struct stream_ctx *sc, struct stream_dir *d, const struct packet *p,
		    uint32_t *end)
{
	uint32_t chunk = sc->cfg.chunk_size[p->dir];
	uint32_t acked;

	/* the peer acked past a hole: that data is not coming (Suricata's gap) */
	if (d->insp == d->len && d->nooo > 0 && (d->flags & SD_F_ACKED) &&
	    seq_lt(d->base_seq + d->len, d->last_ack))
		stream_dir_skip_gap(sc, d);
	if (d->insp >= d->len)
		return false;
	if (p->tcp.flags & (TCP_FIN | TCP_RST)) {
		*end = d->len;
		return true;
	}
	if (d->settled > d->insp) {
		*end = d->settled;
		return true;
	}
	if (d->len - d->insp >= UNACKED_MAX) {
		*end = d->len;
		return true;
	}
	acked = acked_len(d);
	if (acked > d->insp && acked - d->insp >= chunk) {
		*end = acked;
		return true;
	}
	return false;
}

/* Whether the packet's data goes into the stream, as Suricata 7's stream
 * engine takes it; packet rules see it either way. Not an RST's (ticket
 * 6244); of a SYN, only a Fast Open SYN's, never a SYN/ACK's
 * (StreamTcpPacketStateNone); nothing while the session waits for the
 * answer to its SYN (SYN_SENT: StreamTcpPacketStateSynSent takes no data;
 * with stream.async-oneside the client's ACK makes it established first). */
static bool data_for_stream(const struct flow *f, const struct packet *p)
{
	if (p->payload_len == 0 || (p->tcp.flags & TCP_RST))
		return false;
	if (p->tcp.flags & TCP_SYN)
		return !(p->tcp.flags & TCP_ACK) && (p->flags & PKT_F_TCP_TFO);
	return f->tcp_state != TCP_ST_SYN_SENT;
}

bool stream_packet(struct stream_ctx *sc, struct packet *p, struct stream_window *w)
{
	struct flow *f = p->flow;
	struct stream_flow *sf;
	struct stream_dir *d;
	uint32_t seq = p->tcp.seq, end, chunk;

	/* no session, no stream: Suricata reassembles only tracked sessions */
	if (f == NULL || p->l4 == NULL || p->proto != 6 || f->tcp_state == TCP_ST_NONE)
		return false;
	/* refused by the session tracker (flow_tcp.c): as Suricata, its data
	 * is not reassembled and its ack moves nothing */
	if (p->flags & (PKT_F_CSUM_BAD | PKT_F_STREAM_INVALID))
		return false;
	if (f->stream == NULL && p->payload_len == 0 && !(p->tcp.flags & TCP_SYN))
		return false;
	sf = flow_state(sc, f);
	if (sf == NULL)
		return false;
	d = &sf->d[p->dir];
	if (p->tcp.flags & TCP_ACK) {
		struct stream_dir *peer = &sf->d[p->dir ^ 1];

		if (!(peer->flags & SD_F_ACKED) || seq_lt(peer->last_ack, p->tcp.ack))
			peer->last_ack = p->tcp.ack;
		peer->flags |= SD_F_ACKED;
	}
	if (p->tcp.flags & TCP_SYN) {
		seq++;		/* the SYN takes one number; TFO data follows it */
		if (!(d->flags & SD_F_INIT)) {
			d->base_seq = seq;
			d->flags |= SD_F_INIT;
		}
	}
	if (data_for_stream(f, p)) {
		if (!(d->flags & SD_F_INIT)) {
			/* picked up: midstream, or a split handshake's other side */
			d->base_seq = seq;
			d->flags |= SD_F_INIT;
		}
		if (before_base(d, p, seq))
			pkt_event_set(&p->events, PEV_STREAM_REASSEMBLY_SEGMENT_BEFORE_BASE_SEQ);
		else
			add_data(sc, d, p, seq);
	}
	if (p->tcp.flags & (TCP_FIN | TCP_RST))
		d->flags |= SD_F_END;
	if (!sc->cfg.inline_mode) {
		if (!ids_due(sc, d, p, &end))
			return false;
		window_of(d, p->dir, 0, end, d->insp, w);
		return true;
	}
	/* inline: the stream up to this segment, chunk-size bytes of context */
	if (p->payload_len == 0 || !seq_lt(d->base_seq, seq + p->payload_len))
		return false;
	end = (p->flags & PKT_F_STREAM_ADD) ? d->len : seq + p->payload_len - d->base_seq;
	if (end > d->len)
		return false;	/* held back behind a hole */
	chunk = sc->cfg.chunk_size[p->dir];
	window_of(d, p->dir, end > chunk ? end - chunk : 0, end, 0, w);
	return true;
}

/* IDS: a direction that ended, its bytes all inspected and parsed, needs
 * its buffer no more. It goes back to the worker's pool now, not at the
 * flow's timeout: the memory in use follows the open connections, not the
 * closed ones waiting out flow-timeouts.tcp.closed, and what a new flow
 * touches was touched before (a first touch is a page fault). */
static void retire_if_done(struct stream_ctx *sc, struct stream_dir *d)
{
	if (sc->cfg.inline_mode || !(d->flags & SD_F_END) || d->buf == NULL ||
	    d->insp < d->len || d->nooo > 0 || (sc->cfg.app_layer && d->app < d->len))
		return;
	stream_dir_retire(sc, d);
	sc->stats.retired++;
}

void stream_window_done(struct stream_ctx *sc, struct flow *f, const struct stream_window *w)
{
	struct stream_dir *d;
	uint32_t end;

	if (f->stream == NULL)
		return;
	d = &f->stream->d[w->dir];
	end = (uint32_t)(w->data - d->buf) + w->len;
	if (end > d->insp)
		d->insp = end;
	stream_dir_compact(d, sc->cfg.chunk_size[w->dir], sc->cfg.app_layer);
	retire_if_done(sc, d);
}

bool stream_flush_next(struct stream_ctx *sc, struct flow *f, uint8_t dir,
		       struct stream_window *w)
{
	struct stream_dir *d;

	if (f->stream == NULL)
		return false;
	d = &f->stream->d[dir];
	if (d->insp >= d->len && !stream_dir_skip_gap(sc, d))
		return false;
	if (d->insp >= d->len)
		return false;
	window_of(d, dir, 0, d->len, d->insp, w);
	sc->stats.pseudo++;
	return true;
}

void stream_app_settled(struct stream_ctx *sc, struct flow *f, uint8_t dir)
{
	if (f->stream == NULL)
		return;
	f->stream->d[dir].settled = f->stream->d[dir].app;
	retire_if_done(sc, &f->stream->d[dir]);
}

/* The app layer has all of buf, and the peer acked past the hole after it
 * (past the FIN's number too once the session closes: CheckGap's
 * "ackadded"), data waiting beyond it: Suricata's ReassembleUpdateAppLayer
 * hands the gap to the app layer now, whether or not raw inspection has
 * caught up with buf (the hole is skipped in buf only then:
 * stream_dir_skip_gap). Once per hole. */
static bool gap_acked(const struct flow *f, struct stream_dir *d)
{
	uint32_t hole = d->base_seq + d->len + (f->tcp_state >= TCP_ST_CLOSING ? 1u : 0u);

	if (d->app < d->len || d->nooo == 0 || (d->flags & SD_F_GAP_TOLD) ||
	    !(d->flags & SD_F_ACKED) || !seq_lt(hole, d->last_ack))
		return false;
	d->flags |= SD_F_GAP_TOLD;
	return true;
}

uint32_t stream_app_data(struct stream_ctx *sc, struct flow *f, uint8_t dir, bool flush,
			 const uint8_t **data, uint32_t *seq, bool *gap)
{
	struct stream_dir *d;
	uint32_t end, n;

	*gap = false;
	if (f->stream == NULL || !sc->cfg.app_layer)
		return 0;
	d = &f->stream->d[dir];
	end = d->len;
	if (!flush && !sc->cfg.inline_mode && d->len - d->insp < UNACKED_MAX) {
		/* IDS: parsers see what the peer acked, as Suricata's */
		end = acked_len(d);
		if (end < d->insp)
			end = d->insp;
	}
	if (end <= d->app)
		return 0;
	*gap = (d->flags & SD_F_APP_GAP) != 0;
	d->flags &= (uint8_t)~SD_F_APP_GAP;
	*data = d->buf + d->app;
	*seq = d->base_seq + d->app;
	n = end - d->app;
	d->app = end;
	return n;
}

bool stream_app_gap_due(struct stream_ctx *sc, struct flow *f, uint8_t dir)
{
	struct stream_dir *d;

	if (f->stream == NULL || !sc->cfg.app_layer)
		return false;
	d = &f->stream->d[dir];
	/* skipped already (raw inspection caught up with this packet), no
	 * data after it handed yet */
	if (d->flags & SD_F_APP_GAP) {
		d->flags &= (uint8_t)~SD_F_APP_GAP;
		return true;
	}
	return gap_acked(f, d);
}
