/* SPDX-License-Identifier: MIT */
/* threshold (limit, threshold, both) and detection_filter, with Suricata's
 * semantics (detect-engine-threshold.c ThresholdHandlePacket). A window
 * starts at the first match and lasts `seconds` inclusive of its end, in
 * capture time (p->ts_us):
 * - limit: alert on the first `count` matches of the window;
 * - threshold: alert on every `count`-th match of the window;
 * - both: alert once, on the `count`-th match of the window;
 * - detection_filter: alert on every match after the first `count` of the
 *   window;
 * - backoff (by_flow only, no window): alert on matches number count,
 *   count * multiplier, count * multiplier^2, ... of the flow; the others
 *   are silent. Its entry lives as long as the flow may (refreshed on each
 *   match, DETECT_FLOW_STATE_TTL_US), the next number saturating at UINT64_MAX.
 * - rate_filter (threshold.config; Suricata's IsThresholdReached): every
 *   match alerts; past `count` matches in a window of `seconds` the rule
 *   takes new_action (THR_RATE) for `timeout` seconds (whole seconds, as
 *   Suricata), on every match until one comes later than that, which takes
 *   the rule's own action again and ends the timeout (its window goes on).
 * Matches past limit/both's count are "silent": no alert, but the rule's
 * action (drop, pass) still applies. State tracked by_src, by_dst, by_both
 * or by_rule lives in the host table every worker shares (one host's flows
 * may be on several workers), by_flow state in the thread's own (a flow is
 * on one worker); when no entry can be had the match is judged as the first
 * of a window and counted in threshold_table_full. An entry's expire_us is
 * the first microsecond after its window (the window is inclusive of its
 * start + seconds). */
#include <string.h>

#include "../decode/packet-t.h"
#include "detect-int.h"

/* Fills the key; false when the track cannot apply (by_flow without a flow:
 * as Suricata, no alert). by_both is an unordered pair, as Suricata's
 * IPPair; by_flow keeps the flow id where an address would be. */
static bool make_key(struct host_key *k, const struct rule *r, const struct packet *p)
{
	memset(k, 0, sizeof(*k));
	k->id = (uint64_t)r->gid << 32 | r->sid;
	k->kind = (uint8_t)(HK_THRESHOLD + r->threshold.track);
	switch (r->threshold.track) {
	case TRACK_BY_SRC:
		k->ip_ver = p->ip_ver;
		k->a = p->src;
		break;
	case TRACK_BY_DST:
		k->ip_ver = p->ip_ver;
		k->a = p->dst;
		break;
	case TRACK_BY_BOTH:
		k->ip_ver = p->ip_ver;
		if (memcmp(&p->src, &p->dst, sizeof(p->src)) <= 0) {
			k->a = p->src;
			k->b = p->dst;
		} else {
			k->a = p->dst;
			k->b = p->src;
		}
		break;
	case TRACK_BY_RULE:
		break;
	case TRACK_BY_FLOW:
		if (!p->flow)
			return false;
		memcpy(k->a.b, &p->flow->flow_id, sizeof(p->flow->flow_id));
		break;
	}
	return true;
}

/* The backoff number after n: n * multiplier, saturated. */
static uint64_t backoff_next(uint64_t n, uint32_t m)
{
	return n > UINT64_MAX / m ? UINT64_MAX : n * m;
}

static enum thr_result first_match(const struct rule_threshold *t, bool *store)
{
	*store = true;
	switch (t->type) {
	case THRESH_BACKOFF:
		return t->count <= 1 ? THR_ALERT : THR_SILENT;
	case THRESH_LIMIT:
	case THRESH_RATE:
		return THR_ALERT;
	case THRESH_THRESHOLD:
		if (t->count <= 1) {
			*store = false;
			return THR_ALERT;
		}
		return THR_NO;
	case THRESH_BOTH:
		return t->count <= 1 ? THR_ALERT : THR_NO;
	default:
		return THR_NO;
	}
}

static enum thr_result backoff_match(const struct rule_threshold *t, struct host_val *e,
				     uint64_t now)
{
	e->expire_us = now + DETECT_FLOW_STATE_TTL_US;
	if (e->count < UINT32_MAX)
		e->count++;
	if (e->count != e->next)
		return THR_SILENT;
	e->next = backoff_next(e->next, t->multiplier);
	return THR_ALERT;
}

/* rate_filter: e->start_us is the window's start, e->next 1 + the second
 * new_action began (0: the rule's own action). */
static enum thr_result rate_match(const struct rule_threshold *t, struct host_val *e,
				  uint64_t now)
{
	uint64_t sec = now / 1000000u, end = e->start_us + (uint64_t)t->seconds * 1000000u;
	enum thr_result res = THR_ALERT;

	if (e->next != 0) {
		if (sec - (e->next - 1) > t->timeout)
			e->next = 0;
		else
			res = THR_RATE;
	} else if (now <= end) {
		if (e->count < UINT32_MAX)
			e->count++;
		if (e->count > t->count) {
			e->next = sec + 1;
			res = THR_RATE;
		}
	} else {
		e->start_us = now;
		e->count = 1;
		end = now + (uint64_t)t->seconds * 1000000u;
	}
	/* the entry lives until both the window and the timeout are over */
	e->expire_us = 1 + (e->next == 0 ? end :
			    (e->next + t->timeout) * 1000000u > end ?
			    (e->next + t->timeout) * 1000000u : end);
	return res;
}

/* A first match was stored: its window (or backoff count) starts. */
static void window_start(const struct rule_threshold *t, struct host_val *e, uint64_t now)
{
	e->count = 1;
	e->start_us = now;
	e->next = 0;
	e->expire_us = now + (uint64_t)t->seconds * 1000000u + 1;
	if (t->type == THRESH_BACKOFF) {
		e->expire_us = now + DETECT_FLOW_STATE_TTL_US;
		e->next = t->count <= 1 ? backoff_next(1, t->multiplier) : t->count;
	}
}

/* A later match within e's life (the table hands out live entries only). */
static enum thr_result next_match(const struct rule_threshold *t, struct host_val *e,
				  uint64_t now)
{
	if (t->type == THRESH_BACKOFF)
		return backoff_match(t, e, now);
	if (t->type == THRESH_RATE)
		return rate_match(t, e, now);
	e->count++;
	switch (t->type) {
	case THRESH_LIMIT:
		return e->count <= t->count ? THR_ALERT : THR_SILENT;
	case THRESH_THRESHOLD:
		if (e->count >= t->count) {
			e->count = 0;
			return THR_ALERT;
		}
		return THR_NO;
	case THRESH_BOTH:
		if (e->count == t->count)
			return THR_ALERT;
		return e->count > t->count ? THR_SILENT : THR_NO;
	case THRESH_DETECTION_FILTER:
		return e->count > t->count ? THR_ALERT : THR_NO;
	default:
		return THR_ALERT;
	}
}

/* threshold.config "suppress ... track, ip": as Suricata, the rule does
 * not match for those addresses. */
static bool suppressed(const struct rule *r, const struct packet *p)
{
	for (uint32_t i = 0; i < r->nsupp; i++) {
		const struct rule_suppress *s = &r->supp[i];

		if (s->track != SUPP_BY_DST && detect_addr_in(&s->ips, &p->src, p->ip_ver))
			return true;
		if (s->track != SUPP_BY_SRC && detect_addr_in(&s->ips, &p->dst, p->ip_ver))
			return true;
	}
	return false;
}

enum thr_result detect_threshold(struct detect_thread *dt, const struct rule *r,
				 const struct packet *p)
{
	const struct rule_threshold *t = &r->threshold;
	const uint64_t now = p->ts_us;
	struct host_table *ht;
	enum thr_result res;
	struct host_lock lk;
	struct host_key key;
	struct host_val *e;
	bool fresh, store;

	if (r->nsupp > 0 && suppressed(r, p))
		return THR_NO;
	if (t->type == THRESH_NONE)
		return THR_ALERT;
	if (!make_key(&key, r, p))
		return THR_NO;
	ht = t->track == TRACK_BY_FLOW ? dt->flow_thr : detect_hosts(dt, p);
	e = host_table_lock(ht, &key, now, true, &fresh, &lk);
	if (e != NULL && !fresh) {
		res = next_match(t, e, now);
	} else {
		res = first_match(t, &store);
		if (e == NULL)
			dt->stats.threshold_table_full++;
		else if (store)
			window_start(t, e, now);
		/* else the fresh entry stays dead (expire_us 0) and is reused */
	}
	host_table_unlock(&lk);
	return res;
}
