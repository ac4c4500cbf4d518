/* SPDX-License-Identifier: MIT */
/* pcre captures into packet and flow variables (Suricata 7's
 * DetectPcrePayloadMatch, DetectVarStoreMatch, DetectVarProcessList):
 * - the i-th capture name of a pcre takes group i + 1 of its match; a group
 *   that took no part stores nothing, an empty one an empty value;
 * - while a rule is inspected, each match of its pcre stores its captures
 *   as pending, a name stored again replacing its value (backtracking);
 * - after the rule's inspection, matched or not, the pending ones are kept
 *   in the reverse order of their first store (Suricata prepends to its
 *   list): a pkt var is added to the packet's list (no replacing: the
 *   first of a name is the one pktvar reads), a flow var set on the flow
 *   (a name set again keeps its place, with the new value).
 * Every bound refuses rather than grows; refusals are counted. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../decode/packet-t.h"
#include "detect-int.h"

int detect_capture_init(struct detect_thread *dt)
{
	if (!dt->de->captures)
		return 0;
	dt->cap = calloc(1, sizeof(*dt->cap));
	return dt->cap != NULL ? 0 : -ENOMEM;
}

void detect_capture_fini(struct detect_thread *dt)
{
	free(dt->cap);
	dt->cap = NULL;
}

void detect_capture_packet(struct detect_thread *dt, struct detect_result *res)
{
	res->npktvars = 0;
	res->pktvars = NULL;
	if (dt->cap == NULL)
		return;
	dt->cap->npkt = 0;
	dt->cap->pkt_used = 0;
	dt->cap->npend = 0;
	dt->cap->pend_used = 0;
	res->pktvars = dt->cap->pkt;
}

static bool same_var(const struct rule_capture *a, const struct rule_capture *b)
{
	return a->kind == b->kind && a->name_hash == b->name_hash && strcmp(a->name, b->name) == 0;
}

static void pend_put(struct detect_thread *dt, const struct rule_capture *rc, const uint8_t *v,
		     uint32_t len)
{
	struct detect_capture *dc = dt->cap;
	struct cap_pending *e = NULL;
	bool fresh = false;

	for (uint32_t i = 0; i < dc->npend && e == NULL; i++)
		if (same_var(dc->pend[i].cap, rc))
			e = &dc->pend[i];
	if (e == NULL) {
		if (dc->npend == DETECT_CAP_PENDING) {
			dt->stats.vars_refused++;
			return;
		}
		e = &dc->pend[dc->npend++];
		*e = (struct cap_pending){ .cap = rc };
		fresh = true;
	}
	/* a value no longer than the one it replaces takes its place */
	if (fresh || len > e->len) {
		if (len > DETECT_CAP_PEND_BYTES - dc->pend_used) {
			dt->stats.vars_refused++;
			if (fresh)
				dc->npend--;
			return;
		}
		e->off = dc->pend_used;
		dc->pend_used += len;
	}
	memcpy(dc->pend_area + e->off, v, len);
	e->len = len;
}

void detect_capture_store(struct detect_thread *dt, const struct rule_pcre *pc,
			  const uint8_t *subject, const PCRE2_SIZE *ov, int rc)
{
	if (dt->cap == NULL || dt->cap->mute || rc <= 1)
		return;
	for (uint32_t i = 0; i < pc->ncap && (int)i + 1 < rc; i++) {
		PCRE2_SIZE s = ov[2 * (i + 1)], e = ov[2 * (i + 1) + 1];
		uint32_t len;

		if (s == PCRE2_UNSET || e < s)
			continue;
		len = e - s > DETECT_VAR_VALUE_MAX ? DETECT_VAR_VALUE_MAX : (uint32_t)(e - s);
		pend_put(dt, &pc->cap[i], subject + s, len);
	}
}

const struct detect_flow_var *detect_flowvar_get(const struct flow *f, uint64_t name_hash,
						 const char *name)
{
	const struct detect_flow_vars *fv = f->det.vars;

	if (fv == NULL)
		return NULL;
	for (uint32_t i = 0; i < fv->n; i++)
		if (fv->v[i].name_hash == name_hash && strcmp(fv->v[i].name, name) == 0)
			return &fv->v[i];
	return NULL;
}

const struct detect_pktvar *detect_pktvar_get(const struct detect_thread *dt,
					      uint64_t name_hash, const char *name)
{
	const struct detect_capture *dc = dt->cap;

	if (dc == NULL)
		return NULL;
	for (uint32_t i = 0; i < dc->npkt; i++)
		if (dc->pkt[i].name_hash == name_hash && strcmp(dc->pkt[i].name, name) == 0)
			return &dc->pkt[i];
	return NULL;
}

/* Set (or replace) the flow's variable: 0, or -ENOSPC past the flow's
 * bounds, -ENOMEM. */
static int flowvar_set(struct flow *f, const struct rule_capture *rc, const uint8_t *v,
		       uint32_t len)
{
	struct detect_flow_vars *fv = f->det.vars;
	struct detect_flow_var *e;
	size_t nlen = strlen(rc->name) + 1, old = 0;
	char *blk;

	if (fv == NULL) {
		fv = detect_flow_vars_make(f);
		if (fv == NULL)
			return -ENOMEM;
	}
	e = (struct detect_flow_var *)detect_flowvar_get(f, rc->name_hash, rc->name);
	if (e != NULL)
		old = nlen + e->len;
	else if (fv->n == DF_VARS_MAX)
		return -ENOSPC;
	if (fv->bytes - old + nlen + len > DF_VARS_BYTES)
		return -ENOSPC;
	blk = malloc(nlen + len);
	if (blk == NULL)
		return -ENOMEM;
	memcpy(blk, rc->name, nlen);
	memcpy(blk + nlen, v, len);
	if (e != NULL) {
		free(e->name);
	} else {
		e = &fv->v[fv->n++];
		e->name_hash = rc->name_hash;
	}
	fv->bytes = (uint32_t)(fv->bytes - old + nlen + len);
	e->name = blk;
	e->value = (const uint8_t *)blk + nlen;
	e->len = len;
	return 0;
}

static int pktvar_add(struct detect_capture *dc, const struct rule_capture *rc, const uint8_t *v,
		      uint32_t len)
{
	struct detect_pktvar *pv;

	if (dc->npkt == DETECT_PKTVARS_MAX || len > DETECT_PKTVARS_BYTES - dc->pkt_used)
		return -ENOSPC;
	pv = &dc->pkt[dc->npkt++];
	memcpy(dc->pkt_area + dc->pkt_used, v, len);
	pv->name = rc->name;
	pv->name_hash = rc->name_hash;
	pv->value = dc->pkt_area + dc->pkt_used;
	pv->len = len;
	dc->pkt_used += len;
	return 0;
}

void detect_capture_commit_slow(struct detect_thread *dt, struct packet *p,
				struct detect_result *res)
{
	struct detect_capture *dc = dt->cap;

	for (uint32_t i = dc->npend; i-- > 0;) {
		const struct cap_pending *e = &dc->pend[i];
		const uint8_t *v = dc->pend_area + e->off;
		int rc;

		if (e->cap->kind == RULE_VAR_PKT)
			rc = pktvar_add(dc, e->cap, v, e->len);
		else if (p->flow != NULL)
			rc = flowvar_set(p->flow, e->cap, v, e->len);
		else
			continue;	/* a flow var without a flow: nothing (Suricata's) */
		if (rc != 0)
			dt->stats.vars_refused++;
	}
	dc->npend = 0;
	dc->pend_used = 0;
	res->npktvars = dc->npkt;
}

struct detect_flow_vars *detect_flow_vars_make(struct flow *f)
{
	if (f->det.vars == NULL)
		f->det.vars = calloc(1, sizeof(*f->det.vars));
	return f->det.vars;
}

void detect_flow_vars_free(struct flow *f)
{
	struct detect_flow_vars *fv = f->det.vars;

	if (fv == NULL)
		return;
	for (uint32_t i = 0; i < fv->n; i++)
		free(fv->v[i].name);
	free(fv);
	f->det.vars = NULL;
}
