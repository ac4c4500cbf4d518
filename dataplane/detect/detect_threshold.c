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
 *   match, VAR_FLOWINT_TTL_US), the next number saturating at UINT64_MAX.
 * - rate_filter (threshold.config; Suricata's IsThresholdReached): every
 *   match alerts; past `count` matches in a window of `seconds` the rule
 *   takes new_action (THR_RATE) for `timeout` seconds (whole seconds, as
 *   Suricata), on every match until one comes later than that, which takes
 *   the rule's own action again and ends the timeout (its window goes on).
 * Matches past limit/both's count are "silent": no alert, but the rule's
 * action (drop, pass) still applies. State lives in a per-thread bounded
 * table; when no slot is free the match is judged as the first of a window
 * and counted in threshold_table_full. */
#include <string.h>

#include "../decode/packet-t.h"
#include "detect-int.h"

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x100000001b3ull;
	return h ^ (h >> 29);
}

static uint32_t key_hash(const struct thr_entry *k)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = mix(h, (uint64_t)k->sid << 32 | k->gid);
	h = mix(h, (uint64_t)k->track << 8 | k->ip_ver);
	h = mix(h, k->flow_id);
	for (int i = 0; i < 4; i++)
		h = mix(h, (uint64_t)k->a.w[i] << 32 | k->b.w[i]);
	return (uint32_t)(h ^ (h >> 32));
}

static bool key_eq(const struct thr_entry *x, const struct thr_entry *y)
{
	return x->sid == y->sid && x->gid == y->gid && x->track == y->track &&
	       x->ip_ver == y->ip_ver && x->flow_id == y->flow_id &&
	       memcmp(&x->a, &y->a, sizeof(x->a)) == 0 && memcmp(&x->b, &y->b, sizeof(x->b)) == 0;
}

/* Fills the key; false when the track cannot apply (by_flow without a flow:
 * as Suricata, no alert). */
static bool make_key(struct thr_entry *k, const struct rule *r, const struct packet *p)
{
	memset(k, 0, sizeof(*k));
	k->sid = r->sid;
	k->gid = r->gid;
	k->track = (uint8_t)r->threshold.track;
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
		/* an unordered pair, as Suricata's IPPair */
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
		k->flow_id = p->flow->flow_id;
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

static enum thr_result backoff_match(const struct rule_threshold *t, struct thr_entry *e,
				     uint64_t now)
{
	e->expire_us = now + VAR_FLOWINT_TTL_US;
	if (e->count < UINT32_MAX)
		e->count++;
	if (e->count != e->next)
		return THR_SILENT;
	e->next = backoff_next(e->next, t->multiplier);
	return THR_ALERT;
}

static enum thr_result rate_match(const struct rule_threshold *t, struct thr_entry *e,
				  uint64_t now)
{
	uint64_t sec = now / 1000000u, end = e->tv1_us + (uint64_t)t->seconds * 1000000u;
	enum thr_result res = THR_ALERT;

	if (e->rate_on != 0) {
		if (sec - (e->rate_on - 1) > t->timeout)
			e->rate_on = 0;
		else
			res = THR_RATE;
	} else if (now <= end) {
		if (e->count < UINT32_MAX)
			e->count++;
		if (e->count > t->count) {
			e->rate_on = sec + 1;
			res = THR_RATE;
		}
	} else {
		e->tv1_us = now;
		e->count = 1;
		end = now + (uint64_t)t->seconds * 1000000u;
	}
	/* the slot is reused only once both the window and the timeout are over */
	e->expire_us = e->rate_on == 0 ? end :
		       (e->rate_on + t->timeout) * 1000000u > end ?
		       (e->rate_on + t->timeout) * 1000000u : end;
	return res;
}

static enum thr_result next_match(const struct rule_threshold *t, struct thr_entry *e,
				  uint64_t now)
{
	if (t->type == THRESH_BACKOFF)
		return backoff_match(t, e, now);
	if (t->type == THRESH_RATE)
		return rate_match(t, e, now);
	if (now > e->expire_us) {
		/* window over: this match starts a new one */
		bool store;

		e->tv1_us = now;
		e->expire_us = now + (uint64_t)t->seconds * 1000000u;
		e->count = 1;
		return first_match(t, &store);
	}
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
	struct thr_entry key, *slot = NULL;
	uint64_t now = p->ts_us;
	enum thr_result res;
	uint32_t h;
	bool store;

	if (r->nsupp > 0 && suppressed(r, p))
		return THR_NO;
	if (t->type == THRESH_NONE)
		return THR_ALERT;
	if (!make_key(&key, r, p))
		return THR_NO;
	h = key_hash(&key);
	for (uint32_t i = 0; i < THR_PROBE; i++) {
		struct thr_entry *e = &dt->thr[(h + i) & (THR_TABLE_SIZE - 1)];

		if (!e->used) {
			if (!slot)
				slot = e;
			break;
		}
		if (key_eq(e, &key))
			return next_match(t, e, now);
		if (!slot && now > e->expire_us)
			slot = e;	/* an expired window is as good as none */
	}
	res = first_match(t, &store);
	if (!store)
		return res;
	if (!slot) {
		dt->stats.threshold_table_full++;
		return res;
	}
	*slot = key;
	slot->used = 1;
	slot->count = 1;
	slot->tv1_us = now;
	slot->expire_us = now + (uint64_t)t->seconds * 1000000u;
	if (t->type == THRESH_BACKOFF) {
		slot->expire_us = now + VAR_FLOWINT_TTL_US;
		slot->next = t->count <= 1 ? backoff_next(1, t->multiplier) : t->count;
	}
	return res;
}
