/* SPDX-License-Identifier: MIT */
/* The always-checked rules (no fast pattern) grouped as Suricata's
 * signature group heads do: per packet class, the destination port space is
 * cut at every bound of the rules' port sets, and each range lists, in rule
 * order, the rules a packet to such a port can match. IP-only rules are
 * listed apart: they run on the first packet of each flow direction only.
 * Rules with large address lists are in neither: the address index
 * (detect_addrindex.c) lists them, merged in here by rank.
 * A group is a superset filter; the header test still decides. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../decode/packet-t.h"
#include "detect-int.h"

#define PORT_SPACE 65536u

static bool class_has_ports(int c)
{
	return c == PC_TCP4 || c == PC_TCP6 || c == PC_UDP4 || c == PC_UDP6;
}

static bool port_set_has(const struct port_set *s, uint32_t port)
{
	if (s->any)
		return true;
	for (uint32_t i = 0; i < s->n; i++)
		if (port >= s->r[i].lo && port <= s->r[i].hi)
			return true;
	return false;
}

/* A packet whose destination port is in [lo, next bound) can match dr. A
 * rule with Snort 3 services can match on any port (its flow's protocol
 * stands for the ports). */
static bool port_bound(const struct rule *r)
{
	return !(r->flags & RULE_F_BIDIR) && !r->dp.any && !r->services;
}

static bool rule_in_group(const struct de_rule *dr, uint32_t lo)
{
	return !port_bound(dr->r) || port_set_has(&dr->r->dp, lo);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Range starts of class c: 0 and every lo and hi + 1 of the port sets of
 * its port-bound rules, sorted, unique. Returns the count or -ENOMEM. */
static int64_t group_bounds(const struct detect_engine *de, int c, uint32_t **out)
{
	const uint32_t *al = de->always[c];
	uint64_t n = 1, cap = 1;
	uint32_t *b;

	for (uint32_t i = 0; i < de->nalways[c]; i++) {
		const struct rule *r = de->rules[al[i]].r;

		if (class_has_ports(c) && port_bound(r))
			cap += 2ull * r->dp.n;
	}
	b = malloc(cap * sizeof(*b));
	if (b == NULL)
		return -ENOMEM;
	b[0] = 0;
	for (uint32_t i = 0; i < de->nalways[c] && class_has_ports(c); i++) {
		const struct rule *r = de->rules[al[i]].r;

		if (!port_bound(r))
			continue;
		for (uint32_t k = 0; k < r->dp.n; k++) {
			b[n++] = r->dp.r[k].lo;
			if (r->dp.r[k].hi + 1u < PORT_SPACE)
				b[n++] = r->dp.r[k].hi + 1u;
		}
	}
	qsort(b, n, sizeof(*b), cmp_u32);
	uint64_t u = 0;

	for (uint64_t i = 0; i < n; i++)
		if (u == 0 || b[u - 1] != b[i])
			b[u++] = b[i];
	*out = b;
	return (int64_t)u;
}

static int build_class(struct detect_engine *de, int c)
{
	struct rule_groups *g = &de->groups[c];
	const uint32_t *al = de->always[c];
	uint32_t *bounds = NULL, nip = 0;
	uint64_t total = 0;
	int64_t nb;

	nb = group_bounds(de, c, &bounds);
	if (nb < 0)
		return -ENOMEM;
	g->n = (uint32_t)nb;
	g->lo = calloc(g->n, sizeof(*g->lo));
	g->first = calloc(g->n + 1, sizeof(*g->first));
	g->iponly = calloc(de->nalways[c] ? de->nalways[c] : 1, sizeof(*g->iponly));
	if (g->lo == NULL || g->first == NULL || g->iponly == NULL)
		goto nomem;
	for (uint32_t i = 0; i < de->nalways[c]; i++)
		if (de->rules[al[i]].flags & DR_F_IPONLY)
			g->iponly[nip++] = al[i];
	g->niponly = nip;
	/* two passes: count, then fill */
	for (int pass = 0; pass < 2; pass++) {
		total = 0;
		for (uint32_t k = 0; k < g->n; k++) {
			g->lo[k] = (uint16_t)bounds[k];
			g->first[k] = (uint32_t)total;
			for (uint32_t i = 0; i < de->nalways[c]; i++) {
				const struct de_rule *dr = &de->rules[al[i]];

				if ((dr->flags & DR_F_IPONLY) || !rule_in_group(dr, bounds[k]))
					continue;
				if (pass == 1)
					g->ranks[total] = al[i];
				total++;
			}
		}
		g->first[g->n] = (uint32_t)total;
		if (pass == 0 && (g->ranks = calloc(total ? total : 1, sizeof(*g->ranks))) == NULL)
			goto nomem;
	}
	free(bounds);
	return 0;
nomem:
	free(bounds);
	return -ENOMEM;
}

int detect_group_build(struct detect_engine *de)
{
	for (int c = 0; c < PC_MAX; c++)
		if (build_class(de, c) < 0)
			return -ENOMEM;
	return 0;
}

void detect_group_free(struct detect_engine *de)
{
	for (int c = 0; c < PC_MAX; c++) {
		free(de->groups[c].lo);
		free(de->groups[c].first);
		free(de->groups[c].ranks);
		free(de->groups[c].iponly);
		memset(&de->groups[c], 0, sizeof(de->groups[c]));
	}
}

/* The group whose range holds port: the last start <= port. */
static uint32_t group_of(const struct rule_groups *g, uint16_t port)
{
	uint32_t lo = 0, hi = g->n;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (g->lo[mid] <= port)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Merge ascending rank lists into out, each rank once (a bidirectional
 * indexed rule can be in two). Returns the count. */
static uint32_t merge_ranks(struct rank_list *l, uint32_t nl, uint32_t *out)
{
	uint32_t o = 0;

	for (;;) {
		uint32_t min = UINT32_MAX;
		bool any = false;

		for (uint32_t i = 0; i < nl; i++)
			if (l[i].n && l[i].r[0] <= min) {
				min = l[i].r[0];
				any = true;
			}
		if (!any)
			return o;
		for (uint32_t i = 0; i < nl; i++)
			if (l[i].n && l[i].r[0] == min) {
				l[i].r++;
				l[i].n--;
			}
		out[o++] = min;
	}
}

/* The rules of p's addresses in the address index (the IP-only ones too
 * when iponly) and, with iponly, the IP-only rules: one ascending list in
 * the engine's memory or, merged, in dt->always_buf. */
static struct rank_list extra_rules(struct detect_thread *dt, const struct packet *p,
				    enum pclass pc, bool iponly)
{
	const struct rule_groups *g = &dt->de->groups[pc];
	struct rank_list l[1 + DETECT_ADDR_LISTS];
	uint32_t nl = 0;

	/* first packet of a direction: the IP-only rules join, in rule order */
	if (iponly && g->niponly) {
		l[0].r = g->iponly;
		l[nl++].n = g->niponly;
	}
	nl += detect_addr_lists(dt->de->addr, p, pc, iponly, l + nl);
	if (nl <= 1)
		return nl ? l[0] : (struct rank_list){ .r = g->ranks, .n = 0 };
	return (struct rank_list){ .r = dt->always_buf, .n = merge_ranks(l, nl, dt->always_buf) };
}

/* The port group of p's class: engine memory. */
static struct rank_list port_group(const struct detect_engine *de, const struct packet *p,
				   enum pclass pc)
{
	const struct rule_groups *g = &de->groups[pc];
	uint32_t k = class_has_ports(pc) ? group_of(g, p->dp) : 0;

	return (struct rank_list){ .r = g->ranks + g->first[k], .n = g->first[k + 1] - g->first[k] };
}

struct detect_flow_group *detect_group_rules_flow(struct detect_thread *dt, struct packet *p,
						  enum pclass pc, bool iponly,
						  struct rank_list *grp, struct rank_list *extra)
{
	const struct detect_engine *de = dt->de;
	struct detect_flow_group *g;
	struct rank_list pg;

	/* a fragment's ports are not trusted (detect_header.c): no keeping */
	if (p->flow == NULL || p->dir > 1 || (p->flags & (PKT_F_IPV4_FRAG | PKT_F_IPV6_FRAG))) {
		*grp = port_group(de, p, pc);
		*extra = extra_rules(dt, p, pc, iponly);
		return NULL;
	}
	g = &p->flow->det.g[p->dir];
	if (g->serial != de->serial || g->pclass != pc || g->dp != p->dp) {
		pg = port_group(de, p, pc);
		*g = (struct detect_flow_group){ .serial = de->serial, .ranks = pg.r, .n = pg.n,
						 .dp = p->dp, .pclass = (uint8_t)pc };
	}
	*grp = (struct rank_list){ .r = g->ranks, .n = g->n };
	/* the address index's answer for the flow's addresses is the same on
	 * each packet: looked up again only while it lists rules */
	if (iponly || g->addr != DF_ADDR_NONE) {
		*extra = extra_rules(dt, p, pc, iponly);
		if (!iponly)
			g->addr = extra->n != 0 ? DF_ADDR_LISTED : DF_ADDR_NONE;
	} else {
		*extra = (struct rank_list){ .r = g->ranks, .n = 0 };
	}
	return g;
}
