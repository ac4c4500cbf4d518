/* SPDX-License-Identifier: MIT */
/* The address sets rules share, numbered per engine. Most rules name one
 * of a few sets ($HOME_NET, $EXTERNAL_NET, $HTTP_SERVERS, ...), each parsed
 * into its own copy; the header test searched it for every candidate rule
 * of every packet, although a flow's two addresses never change. Here the
 * sets are compared by content and the DETECT_ADDR_SETS that the most rule
 * sides name get a number; a flow then learns once per address and set
 * whether the set holds it (struct detect_flow_addr, detect_header.c).
 * Sets past those, and "any" (no search), have no number. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "detect-int.h"

/* An address range's bytes that count: an IPv4 range uses the first word. */
static bool ranges_equal(const struct addr_range *a, const struct addr_range *b, uint32_t n,
			 bool v4)
{
	for (uint32_t i = 0; i < n; i++) {
		if (v4 ? a[i].lo.w[0] != b[i].lo.w[0] || a[i].hi.w[0] != b[i].hi.w[0] :
			 memcmp(&a[i], &b[i], sizeof(a[i])) != 0)
			return false;
	}
	return true;
}

static bool set_equal(const struct addr_set *a, const struct addr_set *b)
{
	return a->any == b->any && a->n4 == b->n4 && a->n6 == b->n6 &&
	       ranges_equal(a->v4, b->v4, a->n4, true) && ranges_equal(a->v6, b->v6, a->n6, false);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static uint64_t set_hash(const struct addr_set *s)
{
	uint64_t h = mix(mix(0, s->n4), s->n6);

	for (uint32_t i = 0; i < s->n4; i++)
		h = mix(h, (uint64_t)s->v4[i].lo.w[0] << 32 | s->v4[i].hi.w[0]);
	for (uint32_t i = 0; i < s->n6; i++)
		for (uint32_t k = 0; k < 4; k++)
			h = mix(h, (uint64_t)s->v6[i].lo.w[k] << 32 | s->v6[i].hi.w[k]);
	return h;
}

/* A distinct set: its first occurrence and how many rule sides name it. */
struct distinct {
	struct use_rank u;      /* first: the order sorts pointers to it */
	const struct addr_set *s;
	uint64_t hash;
	uint32_t id;
};

/* The distinct set equal to s in the open-addressed table (cap a power of
 * two), added when new. */
static struct distinct *intern(struct distinct *tab, uint32_t cap, uint32_t *n,
			       const struct addr_set *s)
{
	uint64_t h = set_hash(s);

	for (uint32_t i = (uint32_t)h & (cap - 1);; i = (i + 1) & (cap - 1)) {
		struct distinct *d = &tab[i];

		if (d->s == NULL) {
			*d = (struct distinct){ .s = s, .hash = h, .u.first = (*n)++,
						.id = DETECT_ADDR_SET_NONE };
			return d;
		}
		if (d->hash == h && set_equal(d->s, s))
			return d;
	}
}

int detect_addrset_build(struct detect_engine *de, uint32_t max)
{
	uint32_t cap = 2, n = 0, k = 0;
	struct distinct *tab, **order = NULL;
	struct distinct **side = NULL;

	if (max > DETECT_ADDR_SETS)
		max = DETECT_ADDR_SETS;
	while (cap < 4u * de->nrules)
		cap *= 2;
	de->addr_ids = calloc(de->nrules ? de->nrules : 1, sizeof(*de->addr_ids));
	tab = calloc(cap, sizeof(*tab));
	side = calloc(2u * de->nrules + 1, sizeof(*side));
	if (de->addr_ids == NULL || tab == NULL || side == NULL)
		goto nomem;
	for (uint32_t i = 0; i < de->nrules; i++) {
		const struct rule *r = de->rules[i].r;

		side[2 * i] = r->src.any ? NULL : intern(tab, cap, &n, &r->src);
		side[2 * i + 1] = r->dst.any ? NULL : intern(tab, cap, &n, &r->dst);
		for (int j = 0; j < 2; j++)
			if (side[2 * i + j] != NULL)
				side[2 * i + j]->u.uses++;
	}
	order = calloc(n ? n : 1, sizeof(*order));
	if (order == NULL)
		goto nomem;
	for (uint32_t i = 0; i < cap; i++)
		if (tab[i].s != NULL)
			order[k++] = &tab[i];
	qsort(order, n, sizeof(*order), use_rank_order);
	/* a set one rule side names gains nothing from a number: its search
	 * runs for that rule alone either way */
	for (k = 0; k < n && k < max && order[k]->u.uses > 1; k++)
		order[k]->id = k;
	de->naddr_sets = k;
	for (uint32_t i = 0; i < de->nrules; i++) {
		de->addr_ids[i].src = side[2 * i] ? (uint8_t)side[2 * i]->id : DETECT_ADDR_SET_NONE;
		de->addr_ids[i].dst = side[2 * i + 1] ? (uint8_t)side[2 * i + 1]->id :
							DETECT_ADDR_SET_NONE;
	}
	free(order);
	free(side);
	free(tab);
	return 0;
nomem:
	free(order);
	free(side);
	free(tab);
	return -ENOMEM;
}

void detect_addrset_free(struct detect_engine *de)
{
	free(de->addr_ids);
	de->addr_ids = NULL;
}

struct detect_flow_addr *detect_addr_memo(const struct detect_engine *de, struct packet *p)
{
	struct detect_flow_addr *m;

	if (p->flow == NULL || p->dir > 1 || (de->naddr_sets == 0 && de->nhdr_classes == 0))
		return NULL;
	m = &p->flow->det.addr;
	if (m->serial != de->serial)
		*m = (struct detect_flow_addr){ .serial = de->serial };
	return m;
}
