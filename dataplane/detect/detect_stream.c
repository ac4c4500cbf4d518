/* SPDX-License-Identifier: MIT */
/* Payload rules against the reassembled TCP stream, as Suricata's
 * DetectEngineInspectRulePayloadMatches: which of packet and stream a rule
 * inspects, and the prefilter scan of the stream window. The window is
 * scanned in block mode like a packet: verification (distance, pcre, ...)
 * needs the bytes anyway, and a match across chunks is found because the
 * stream keeps chunk-size bytes of context before the new data. */
#include <stdlib.h>

#include "../../common/bug.h"
#include "../decode/packet-t.h"
#include "detect-int.h"

#define IPPROTO_TCP_ 6

/* Rules that see the stream of a TCP packet: all but tcp-pkt and
 * flow:no_stream, and not the ones with dsize (Suricata makes those packet
 * rules). */
static bool stream_rule(const struct rule *r, const struct packet *p)
{
	return p->proto == IPPROTO_TCP_ && r->proto != RULE_PROTO_TCP_PKT &&
	       !(r->flow_flags & RULE_FLOW_NO_STREAM) && !(r->has & RULE_HAS_DSIZE);
}

/* tcp-stream and flow:only_stream: never the packet's own payload. */
static bool stream_only(const struct rule *r)
{
	return r->proto == RULE_PROTO_TCP_STREAM || (r->flow_flags & RULE_FLOW_ONLY_STREAM);
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
	if (st != NULL && detect_inspect_payload(dt, dr, st->data, st->len) &&
	    (st->old_len == 0 || !detect_inspect_payload(dt, dr, st->data, st->old_len))) {
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
 * is not added twice (one fast pattern per rule and SINGLEMATCH: the stream
 * scan itself reports each rank once). */
static int on_stream_pattern(unsigned int id, unsigned long long from, unsigned long long to,
			     unsigned int flags, void *ctx)
{
	struct detect_thread *dt = ctx;
	const struct detect_engine *de = dt->de;

	(void)from;
	(void)to;
	(void)flags;
	for (uint32_t k = de->pf.pat_first[id]; k < de->pf.pat_first[id + 1]; k++) {
		uint32_t rank = de->pf.pat_rules[k];

		if (!(de->rules[rank].classes & dt->pclass_bit) ||
		    in_sorted(dt->cand, dt->ncand_pkt, rank))
			continue;
		BUG_ON_HOT(dt->ncand >= de->nrules);
		dt->cand[dt->ncand++] = rank;
	}
	return 0;
}

void detect_stream_prefilter(struct detect_thread *dt)
{
	const struct detect_engine *de = dt->de;
	const struct detect_stream *st = dt->stream;
	uint32_t before = dt->ncand;

	if (st == NULL || st->len == 0 || de->pf.db == NULL)
		return;
	dt->ncand_pkt = dt->ncand;
	if (hs_scan(de->pf.db, (const char *)st->data, st->len, 0, dt->scratch, on_stream_pattern,
		    dt) != HS_SUCCESS) {
		dt->stats.scan_errors++;
		BUG_ON_HOT(true);
		dt->ncand = before;
		return;
	}
	if (dt->ncand > before) {
		detect_sort_ranks(dt->cand, dt->ncand);
		dt->stats.candidates += dt->ncand - before;
	}
}
