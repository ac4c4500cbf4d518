/* SPDX-License-Identifier: MIT */
/* Payload rules against the reassembled TCP stream, as Suricata's
 * DetectEngineInspectRulePayloadMatches: which of packet and stream a rule
 * inspects, and the prefilter scan of the stream window. The window is
 * scanned in block mode like a packet (verification, distance, pcre, ...
 * needs the bytes anyway) but only from where the last scan ended; a match
 * across chunks is verified in full because the stream keeps chunk-size
 * bytes of context before the new data. */
#include <stdlib.h>
#include <string.h>

#include "../../common/bug.h"
#include "../../common/wmem.h"
#include "../decode/packet-t.h"
#include "detect_applayer-int.h"

#define IPPROTO_TCP_ 6

/* Rules that see the stream of a TCP packet (detect_rule_sees_stream). */
static bool stream_rule(const struct rule *r, const struct packet *p)
{
	return p->proto == IPPROTO_TCP_ && detect_rule_sees_stream(r);
}

/* tcp-stream and flow:only_stream: never the packet's own payload. */
static bool stream_only(const struct rule *r)
{
	return r->proto == RULE_PROTO_TCP_STREAM || (r->flow_flags & RULE_FLOW_ONLY_STREAM);
}

/* dr matches the part of the window inspected before, captures muted. */
static bool old_match(struct detect_thread *dt, const struct de_rule *dr,
		      const struct detect_stream *st)
{
	bool m;

	if (dt->cap != NULL)
		dt->cap->mute = true;
	m = detect_inspect_payload(dt, dr, st->data, st->old_len);
	if (dt->cap != NULL)
		dt->cap->mute = false;
	return m;
}

bool detect_payload_match(struct detect_thread *dt, const struct de_rule *dr,
			  const struct packet *p)
{
	const struct rule *r = dr->r;
	const struct detect_stream *st = dt->stream;

	dt->stream_match = false;
	/* a tunnel's carrier: its payload is inspected as the tunnel packet */
	if (p->flags & PKT_F_TUNNEL_ROOT)
		return false;
	if (!stream_rule(r, p))
		return !(p->flags & PKT_F_PSEUDO) &&
		       detect_inspect_payload(dt, dr, p->payload, p->payload_len);
	/* a match wholly in the kept context is no new one, except for an
	 * app-layer rule: it alerts once per transaction (its mark), and a new
	 * transaction may be checked against bytes inspected before (that
	 * check stores no capture: the window's match has them) */
	if (st != NULL && detect_inspect_payload(dt, dr, st->data, st->len) &&
	    (st->old_len == 0 || (dr->flags & DR_F_APP) || !old_match(dt, dr, st))) {
		dt->stream_match = true;
		return true;
	}
	if (stream_only(r) || (p->flags & (PKT_F_STREAM_ADD | PKT_F_PSEUDO)))
		return false;
	return detect_inspect_payload(dt, dr, p->payload, p->payload_len);
}

static bool in_sorted(const uint32_t *a, uint32_t n, uint32_t v)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (a[mid] == v)
			return true;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* As the packet scan's callback, but a rank the packet scan found already
 * is not added twice (one fast pattern per rule and a pattern's first hit
 * only: the stream scan itself reports each rank once). A rank whose header
 * fails the flow direction is not carried either: the carry is the
 * direction's (struct detect_flow_dir), and it would fail there again. */
static int on_stream_pattern(unsigned int id, unsigned long long from, unsigned long long to,
			     unsigned int flags, void *ctx)
{
	struct detect_thread *dt = ctx;
	const struct detect_engine *de = dt->de;
	const struct pat_db *db = dt->scan_db;

	(void)from;
	(void)to;
	(void)flags;
	dt->stats.mpm_matches++;
	for (uint32_t k = db->pat_first[id]; k < db->pat_first[id + 1]; k++) {
		uint32_t rank = db->pat_rules[k];

		if (rank & DETECT_RANK_BODY)
			break;	/* the joined set's body ranks: detect_body_stream.c */
		if (!detect_cand_ok(dt, &de->rules[rank]) || in_sorted(dt->cand, dt->ncand_pkt, rank))
			continue;
		BUG_ON_HOT(dt->ncand >= de->nrules);
		dt->cand[dt->ncand++] = rank;
	}
	return 0;
}

static inline bool seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static bool listed(const uint32_t *a, uint32_t from, uint32_t to, uint32_t v)
{
	for (uint32_t i = from; i < to; i++)
		if (a[i] == v)
			return true;
	return false;
}

/* Ranks carried from earlier windows whose hit may lie in this one (it
 * ended after the window's first byte), added to the candidates. */
static void add_carried(struct detect_thread *dt, const struct detect_flow_dir *fd,
			const struct detect_stream *st, uint32_t first)
{
	const struct detect_engine *de = dt->de;

	for (uint32_t i = 0; i < fd->ncarry; i++) {
		uint32_t rank = fd->rank[i];

		if (!seq_before(st->seq, fd->until[i]) || !detect_cand_ok(dt, &de->rules[rank]) ||
		    in_sorted(dt->cand, dt->ncand_pkt, rank) || listed(dt->cand, first, dt->ncand, rank))
			continue;
		dt->cand[dt->ncand++] = rank;
	}
}

/* What the next window carries: this window's stream candidates, new hits
 * until its end (a bound on where their hit ends), carried ones until their
 * own bound; too many, and the next window is scanned whole instead. */
static void carry_next(struct detect_thread *dt, struct detect_flow_dir *fd,
		       const struct detect_stream *st, uint32_t first, uint32_t nhits)
{
	/* built apart (a carried one's bound is read from fd meanwhile), then
	 * only the entries made are copied: the whole state is 256 bytes */
	uint32_t rank[DF_CARRY_MAX], until[DF_CARRY_MAX], n = 0;

	for (uint32_t i = first; i < dt->ncand; i++) {
		uint32_t r = dt->cand[i], u = st->seq + st->len;

		if (i >= first + nhits) {
			/* a carried one: keep its own bound */
			for (uint32_t j = 0; j < fd->ncarry; j++)
				if (fd->rank[j] == r)
					u = fd->until[j];
		}
		if (n == DF_CARRY_MAX) {
			fd->ncarry = 0;
			fd->rescan = true;
			return;
		}
		rank[n] = r;
		until[n++] = u;
	}
	memcpy(fd->rank, rank, n * sizeof(rank[0]));
	memcpy(fd->until, until, n * sizeof(until[0]));
	fd->ncarry = n;
	fd->rescan = false;
}

/* f's carry state of direction dir, made from mem on first use; NULL
 * when out of memory (each window is then scanned whole, nothing carried). */
static struct detect_flow_dir *flow_dir(struct wmem *mem, struct flow *f, uint8_t dir)
{
	if (f->det.d[dir] == NULL)
		f->det.d[dir] = wmem_zalloc(mem, sizeof(struct detect_flow_dir));
	return f->det.d[dir];
}

void detect_flow_streams_free(struct wmem *mem, struct flow *f)
{
	for (int dir = 0; dir < 2; dir++) {
		struct detect_flow_dir *fd = f->det.d[dir];

		if (fd == NULL)
			continue;
		wmem_free(mem, fd->body, sizeof(*fd->body));
		wmem_free(mem, fd, sizeof(*fd));
		f->det.d[dir] = NULL;
	}
}

void detect_flow_reverse(struct flow *f)
{
	struct detect_flow_dir *d = f->det.d[0];

	f->det.d[0] = f->det.d[1];
	f->det.d[1] = d;
	f->det.g[0].serial = 0;
	f->det.g[1].serial = 0;
	/* each address is now the source of the other direction's packets */
	f->det.addr = (struct detect_flow_addr){
		.serial = f->det.addr.serial,
		.known = { f->det.addr.known[1], f->det.addr.known[0] },
		.in = { f->det.addr.in[1], f->det.addr.in[0] },
		.cls_known = { f->det.addr.cls_known[1], f->det.addr.cls_known[0] },
		.cls_pass = { f->det.addr.cls_pass[1], f->det.addr.cls_pass[0] },
	};
}

void detect_flow_free(struct wmem *mem, struct flow *f)
{
	detect_flow_streams_free(mem, f);
	detect_flow_vars_free(f);
}

/* The stream window's candidates (Suricata's stream prefilter), merged into
 * dt->cand without duplicates. Every stream byte is scanned once: a window
 * is scanned from where the inspected part ends, less the longest pattern
 * (a hit across that point is found whole), and the ranks hit in the kept
 * context before are carried in (struct detect_flow_dir). */
void detect_stream_prefilter(struct detect_thread *dt, const struct packet *p)
{
	const struct detect_stream *st = dt->stream;
	const struct pat_db *joined, *db;
	struct detect_flow_dir *fd = NULL;
	uint32_t first = dt->ncand, from = 0, nhits;
	hs_error_t e;

	if (st == NULL || st->len == 0)
		return;
	/* the joined set holds the direction's whole stream set: a superset of
	 * the port group's, so a flow's windows may take either */
	joined = detect_body_stream_db(dt, p, st);
	db = joined != NULL ? joined : detect_pf_db(dt->de, PFK_TCP_STREAM, p);
	if (pat_db_empty(db))
		return;
	dt->ncand_pkt = dt->ncand;
	if (p->flow != NULL)
		fd = flow_dir(st->mem, p->flow, p->dir);
	if (fd != NULL) {
		if (fd->serial != dt->de->serial) {
			/* first window, or ranks of another engine: none carried */
			struct detect_body_log *log = fd->body;

			*fd = (struct detect_flow_dir){ .serial = dt->de->serial, .rescan = true,
							.body = log };
			detect_body_log_reset(log);
		}
		if (!fd->rescan && st->old_len >= db->maxlen)
			from = st->old_len - (db->maxlen - 1);
	}
	dt->scan_db = db;
	dt->stats.mpm_scans++;
	dt->stats.mpm_stream_bytes += st->len - from;
	if (joined != NULL)
		e = detect_body_stream_scan(dt, fd, db, st->data + from, st->len - from,
					    st->seq + from, on_stream_pattern);
	else
		e = pat_db_scan(db, st->data + from, st->len - from, dt->scratch, &dt->seen,
				on_stream_pattern, dt);
	if (e != HS_SUCCESS) {
		dt->stats.scan_errors++;
		BUG_ON_HOT(true);
		dt->ncand = first;
		return;
	}
	nhits = dt->ncand - first;
	if (fd != NULL) {
		if (from > 0)
			add_carried(dt, fd, st, first);
		carry_next(dt, fd, st, first, nhits);
	}
	if (dt->ncand > first) {
		detect_sort_ranks(dt->cand, dt->ncand);
		dt->stats.candidates += dt->ncand - first;
	}
}
