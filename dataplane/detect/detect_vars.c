/* SPDX-License-Identifier: MIT */
/* xbits and flowint state in one per-thread table (no lock, no allocation
 * on the hot path):
 * - xbits: a named bit on an address (track ip_src / ip_dst) or on an
 *   address pair (ip_pair, either order), live until its expiry in packet
 *   time. The table is per worker: with symmetric RSS a pair always lands
 *   on the same worker, a single address may not.
 * - flowint: a named 32-bit counter of the flow (keyed by flow id), as
 *   Suricata's flowint: "=" sets, "+"/"-" add (an unset counter takes the
 *   value), "==" "!=" "<" "<=" ">" ">=" compare, isset/notset. A value may
 *   name another counter, which must then be set for the rule to match.
 * The tests run while matching; the changes once the rule has matched. */
#include <string.h>

#include "../decode/packet-t.h"
#include "../flow/flow-t.h"
#include "detect-int.h"

struct var_key {
	uint8_t kind;            /* enum var_kind */
	uint8_t ip_ver;
	uint64_t name_hash;
	uint64_t flow_id;
	union ip_addr a, b;
};

static uint32_t key_hash(const struct var_key *k)
{
	uint64_t h = k->name_hash ^ (k->flow_id * 0x9e3779b97f4a7c15ull) ^ k->kind;

	for (int i = 0; i < 4; i++)
		h = (h ^ k->a.w[i] ^ ((uint64_t)k->b.w[i] << 32)) * 0xff51afd7ed558ccdull;
	return (uint32_t)(h ^ h >> 29);
}

static bool key_eq(const struct var_entry *e, const struct var_key *k)
{
	return e->name_hash == k->name_hash && e->kind == k->kind && e->flow_id == k->flow_id &&
	       e->ip_ver == k->ip_ver && memcmp(&e->a, &k->a, sizeof(e->a)) == 0 &&
	       memcmp(&e->b, &k->b, sizeof(e->b)) == 0;
}

/* The live entry for k, or NULL. */
static struct var_entry *var_find(struct detect_thread *dt, const struct var_key *k,
				  uint64_t now)
{
	uint32_t h = key_hash(k);

	for (uint32_t i = 0; i < VAR_PROBE; i++) {
		struct var_entry *e = &dt->vars[(h + i) & (VAR_TABLE_SIZE - 1)];

		if (e->expire_us > now && key_eq(e, k))
			return e;
	}
	return NULL;
}

/* The live entry for k, else a free slot set to k; NULL (counted) when the
 * probe window is full. *fresh tells which. */
static struct var_entry *var_get(struct detect_thread *dt, const struct var_key *k,
				 uint64_t now, bool *fresh)
{
	struct var_entry *e = var_find(dt, k, now), *slot = NULL;
	uint32_t h;

	*fresh = false;
	if (e)
		return e;
	h = key_hash(k);
	for (uint32_t i = 0; i < VAR_PROBE && !slot; i++) {
		e = &dt->vars[(h + i) & (VAR_TABLE_SIZE - 1)];
		if (e->expire_us <= now)
			slot = e;
	}
	if (!slot) {
		dt->stats.vars_table_full++;
		return NULL;
	}
	memset(slot, 0, sizeof(*slot));
	slot->name_hash = k->name_hash;
	slot->kind = k->kind;
	slot->flow_id = k->flow_id;
	slot->ip_ver = k->ip_ver;
	slot->a = k->a;
	slot->b = k->b;
	*fresh = true;
	return slot;
}

static void xbit_key(const struct rule_xbit *x, const struct packet *p, struct var_key *k)
{
	const size_t alen = p->ip_ver == 6 ? 16 : 4;

	memset(k, 0, sizeof(*k));
	k->name_hash = x->name_hash;
	k->ip_ver = p->ip_ver;
	switch (x->track) {
	case XB_IP_SRC:
		k->kind = VAR_XBIT_SRC;
		k->a = p->src;
		break;
	case XB_IP_DST:
		k->kind = VAR_XBIT_DST;
		k->a = p->dst;
		break;
	default:
		k->kind = VAR_XBIT_PAIR;
		/* ordered so that both directions name the same pair */
		if (memcmp(p->src.b, p->dst.b, alen) <= 0) {
			k->a = p->src;
			k->b = p->dst;
		} else {
			k->a = p->dst;
			k->b = p->src;
		}
		break;
	}
}

static void flowint_key(uint64_t name_hash, const struct packet *p, struct var_key *k)
{
	memset(k, 0, sizeof(*k));
	k->kind = VAR_FLOWINT;
	k->name_hash = name_hash;
	k->flow_id = p->flow->flow_id;
}

/* The operand of a flowint: the literal, or the other counter (false when
 * that one is not set). */
static bool flowint_operand(struct detect_thread *dt, const struct rule_flowint *fi,
			    const struct packet *p, uint32_t *v)
{
	struct var_key k;
	const struct var_entry *e;

	if (!fi->value_is_var) {
		*v = fi->value;
		return true;
	}
	flowint_key(fi->value_hash, p, &k);
	e = var_find(dt, &k, p->ts_us);
	if (!e)
		return false;
	*v = e->value;
	return true;
}

static bool flowint_test(struct detect_thread *dt, const struct rule_flowint *fi,
			 const struct packet *p)
{
	struct var_key k;
	const struct var_entry *e;
	uint32_t v;

	flowint_key(fi->name_hash, p, &k);
	e = var_find(dt, &k, p->ts_us);
	if (fi->op == FI_ISSET)
		return e != NULL;
	if (fi->op == FI_NOTSET)
		return e == NULL;
	if (!flowint_operand(dt, fi, p, &v))
		return false;
	switch (fi->op) {
	case FI_SET:
	case FI_ADD:
	case FI_SUB:
		return true;	/* a change, applied once the rule matched */
	default:
		break;
	}
	if (!e)
		return false;
	switch (fi->op) {
	case FI_EQ: return e->value == v;
	case FI_NE: return e->value != v;
	case FI_LT: return e->value < v;
	case FI_LE: return e->value <= v;
	case FI_GT: return e->value > v;
	default: return e->value >= v;
	}
}

bool detect_vars_check(struct detect_thread *dt, const struct rule *r, const struct packet *p)
{
	for (uint32_t i = 0; i < r->nxbit; i++) {
		const struct rule_xbit *x = &r->xbit[i];
		struct var_key k;
		bool set;

		if (x->op != FB_ISSET && x->op != FB_ISNOTSET)
			continue;
		xbit_key(x, p, &k);
		set = var_find(dt, &k, p->ts_us) != NULL;
		if (set != (x->op == FB_ISSET))
			return false;
	}
	if (r->nflowint && !p->flow)
		return false;
	for (uint32_t i = 0; i < r->nflowint; i++)
		if (!flowint_test(dt, &r->flowint[i], p))
			return false;
	return true;
}

static void xbit_apply(struct detect_thread *dt, const struct rule_xbit *x,
		       const struct packet *p)
{
	const uint64_t now = p->ts_us;
	struct var_key k;
	struct var_entry *e;
	bool fresh;

	xbit_key(x, p, &k);
	switch (x->op) {
	case FB_SET:
		e = var_get(dt, &k, now, &fresh);
		if (e)
			e->expire_us = now + (uint64_t)x->expire * 1000000u;
		break;
	case FB_UNSET:
		e = var_find(dt, &k, now);
		if (e)
			e->expire_us = 0;
		break;
	case FB_TOGGLE:
		e = var_find(dt, &k, now);
		if (e) {
			e->expire_us = 0;
		} else {
			e = var_get(dt, &k, now, &fresh);
			if (e)
				e->expire_us = now + (uint64_t)x->expire * 1000000u;
		}
		break;
	default:
		break;
	}
}

static void flowint_apply(struct detect_thread *dt, const struct rule_flowint *fi,
			  const struct packet *p)
{
	struct var_key k;
	struct var_entry *e;
	uint32_t v;
	bool fresh;

	if (fi->op != FI_SET && fi->op != FI_ADD && fi->op != FI_SUB)
		return;
	if (!flowint_operand(dt, fi, p, &v))
		return;
	flowint_key(fi->name_hash, p, &k);
	e = var_get(dt, &k, p->ts_us, &fresh);
	if (!e)
		return;
	if (fresh || fi->op == FI_SET)
		e->value = v;
	else if (fi->op == FI_ADD)
		e->value += v;
	else
		e->value -= v;
	e->expire_us = p->ts_us + VAR_FLOWINT_TTL_US;
}

void detect_vars_apply(struct detect_thread *dt, const struct rule *r, const struct packet *p)
{
	for (uint32_t i = 0; i < r->nxbit; i++)
		xbit_apply(dt, &r->xbit[i], p);
	if (!p->flow)
		return;
	for (uint32_t i = 0; i < r->nflowint; i++)
		flowint_apply(dt, &r->flowint[i], p);
}
