/* SPDX-License-Identifier: MIT */
/* xbits and flowint state:
 * - xbits: a named bit on a host (track ip_src / ip_dst: the same bit
 *   whichever side names the host, as Suricata's host table) or on an
 *   address pair (ip_pair, either order), live until its expiry in packet
 *   time. RSS may spread one host's flows over several workers, so the bits
 *   are in the host table every worker shares (dataplane/hoststate), whose
 *   bucket is locked only while a rule with xbits tests or changes one.
 * - flowint: a named 32-bit counter of the flow, as Suricata's flowint:
 *   "=" sets, "+"/"-" add (an unset counter takes the value), "==" "!="
 *   "<" "<=" ">" ">=" compare, isset/notset. A value may name another
 *   counter, which must then be set for the rule to match. The counters
 *   are on the flow (struct detect_flow_vars, by name id), as long as it
 *   lives, whatever rules reload meanwhile.
 * - (added) flowvar/pktvar: the flow's (the packet's) variable that pcre
 *   captures set (detect_capture.c) holds the content.
 * The tests run while matching; the changes once the rule has matched. */
#include <string.h>

#include "../decode/packet-t.h"
#include "../flow/flow-t.h"
#include "detect-int.h"

static void xbit_key(const struct rule_xbit *x, const struct packet *p, struct host_key *k)
{
	const size_t alen = p->ip_ver == 6 ? 16 : 4;

	memset(k, 0, sizeof(*k));
	k->id = x->name_hash;
	k->ip_ver = p->ip_ver;
	switch (x->track) {
	case XB_IP_SRC:
		k->kind = HK_XBIT_HOST;
		k->a = p->src;
		break;
	case XB_IP_DST:
		k->kind = HK_XBIT_HOST;
		k->a = p->dst;
		break;
	default:
		k->kind = HK_XBIT_PAIR;
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

/* Whether x's bit is set for p. */
static bool xbit_isset(struct detect_thread *dt, const struct rule_xbit *x, const struct packet *p)
{
	struct host_table *ht = detect_hosts(dt, p);
	struct host_lock lk;
	struct host_key k;
	bool fresh, set;

	xbit_key(x, p, &k);
	set = host_table_lock(ht, &k, p->ts_us, false, &fresh, &lk) != NULL;
	host_table_unlock(&lk);
	return set;
}

/* The flow's counter id, NULL: not set. */
static struct detect_flow_int *flowint_find(const struct flow *f, uint32_t id)
{
	struct detect_flow_vars *fv = f->det.vars;

	if (fv == NULL)
		return NULL;
	for (uint32_t i = 0; i < fv->nints; i++)
		if (fv->ints[i].id == id)
			return &fv->ints[i];
	return NULL;
}

/* The operand of a flowint: the literal, or the other counter (false when
 * that one is not set). */
static bool flowint_operand(const struct rule_flowint *fi, const struct flow *f, uint32_t *v)
{
	const struct detect_flow_int *e;

	if (!fi->value_is_var) {
		*v = fi->value;
		return true;
	}
	e = flowint_find(f, fi->value_id);
	if (!e)
		return false;
	*v = e->value;
	return true;
}

static bool flowint_test(const struct rule_flowint *fi, const struct flow *f)
{
	const struct detect_flow_int *e = flowint_find(f, fi->id);
	uint32_t v;

	if (fi->op == FI_ISSET)
		return e != NULL;
	if (fi->op == FI_NOTSET)
		return e == NULL;
	if (!flowint_operand(fi, f, &v))
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

/* flowvar/pktvar: the variable is set and holds the content. */
static bool varmatch_test(const struct detect_thread *dt, const struct rule_varmatch *vm,
			  const struct packet *p)
{
	const uint8_t *v;
	uint32_t len;

	if (vm->kind == RULE_VAR_FLOW) {
		const struct detect_flow_var *fv = detect_flowvar_get(p->flow, vm->name_hash,
								      vm->name);

		if (fv == NULL)
			return false;
		v = fv->value;
		len = fv->len;
	} else {
		const struct detect_pktvar *pv = detect_pktvar_get(dt, vm->name_hash, vm->name);

		if (pv == NULL)
			return false;
		v = pv->value;
		len = pv->len;
	}
	return detect_spm_find(v, len, vm->content, vm->len, false) != NULL;
}

bool detect_vars_check(struct detect_thread *dt, const struct rule *r, const struct packet *p)
{
	for (uint32_t i = 0; i < r->nxbit; i++) {
		const struct rule_xbit *x = &r->xbit[i];

		if (x->op != FB_ISSET && x->op != FB_ISNOTSET)
			continue;
		if (xbit_isset(dt, x, p) != (x->op == FB_ISSET))
			return false;
	}
	if (r->nflowint && !p->flow)
		return false;
	for (uint32_t i = 0; i < r->nflowint; i++)
		if (!flowint_test(&r->flowint[i], p->flow))
			return false;
	for (uint32_t i = 0; i < r->nvarmatch; i++) {
		const struct rule_varmatch *vm = &r->varmatch[i];

		if ((vm->kind == RULE_VAR_FLOW && !p->flow) || !varmatch_test(dt, vm, p))
			return false;
	}
	return true;
}

static void xbit_apply(struct detect_thread *dt, const struct rule_xbit *x,
		       const struct packet *p)
{
	const uint64_t now = p->ts_us;
	struct host_table *ht;
	struct host_val *v;
	struct host_lock lk;
	struct host_key k;
	bool fresh;

	if (x->op != FB_SET && x->op != FB_UNSET && x->op != FB_TOGGLE)
		return;
	ht = detect_hosts(dt, p);
	xbit_key(x, p, &k);
	/* unset of a bit not set makes nothing */
	v = host_table_lock(ht, &k, now, x->op != FB_UNSET, &fresh, &lk);
	if (v == NULL) {
		if (x->op != FB_UNSET)
			dt->stats.vars_table_full++;
	} else if (x->op == FB_UNSET || (x->op == FB_TOGGLE && !fresh)) {
		v->expire_us = 0;
	} else {
		v->expire_us = now + (uint64_t)x->expire * 1000000u;
	}
	host_table_unlock(&lk);
}

/* A change: the counter is set, or added to the flow's (last in its
 * order); refused and counted past DF_INTS_MAX or without memory. */
static void flowint_apply(struct detect_thread *dt, const struct rule_flowint *fi,
			  struct flow *f)
{
	struct detect_flow_vars *fv;
	struct detect_flow_int *e;
	uint32_t v;

	if (fi->op != FI_SET && fi->op != FI_ADD && fi->op != FI_SUB)
		return;
	if (!flowint_operand(fi, f, &v))
		return;
	e = flowint_find(f, fi->id);
	if (e == NULL) {
		fv = detect_flow_vars_make(f);
		if (fv == NULL || fv->nints == DF_INTS_MAX) {
			dt->stats.vars_table_full++;
			return;
		}
		e = &fv->ints[fv->nints++];
		*e = (struct detect_flow_int){ .id = fi->id, .value = v };
		return;
	}
	if (fi->op == FI_SET)
		e->value = v;
	else if (fi->op == FI_ADD)
		e->value += v;
	else
		e->value -= v;
}

void detect_vars_apply(struct detect_thread *dt, const struct rule *r, const struct packet *p)
{
	for (uint32_t i = 0; i < r->nxbit; i++)
		xbit_apply(dt, &r->xbit[i], p);
	if (!p->flow)
		return;
	for (uint32_t i = 0; i < r->nflowint; i++)
		flowint_apply(dt, &r->flowint[i], p->flow);
}
