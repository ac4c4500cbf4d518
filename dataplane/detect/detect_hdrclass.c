/* SPDX-License-Identifier: MIT */
/* Rule headers numbered by content. Whether a rule's addresses and ports
 * admit a packet depends only on its header (address sets, port sets,
 * direction) and on the packet's addresses, ports and protocol, which are
 * the same for every packet of a flow direction. Most prefilter candidates
 * fail there (corpus-mix: 39,000 of 44,000: a $HOME_NET -> $EXTERNAL_NET
 * rule on the wrong side), again on each packet of the direction. ET Open's
 * 25,000 rules name some 1,500 distinct headers, and 31 of them are 92 % of
 * its rules: those get a number, and a flow direction keeps one bit of
 * answer per number (struct detect_flow_addr, detect_header.c). A header is
 * compared by its address sets' numbers (detect_addrset.c: one with a set
 * that has none gets no number either) and its port sets' ranges. A rule
 * with Snort 3 services has none: its ports also depend on the flow's
 * protocol, which can change. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "detect-int.h"

/* A side's address set: its number, this for "any", or none. */
#define SIDE_ANY 0xfeu

struct hdr_key {
	uint8_t src, dst;
	bool bidir;
	const struct port_set *sp, *dp;
};

static uint8_t side_of(const struct addr_set *s, uint8_t id)
{
	return s->any ? SIDE_ANY : id;
}

/* r's header as a key; false when it cannot have a number. */
static bool key_of(const struct detect_engine *de, uint32_t rank, struct hdr_key *k)
{
	const struct rule *r = de->rules[rank].r;
	const struct de_addr_ids ids = de->addr_ids[rank];

	*k = (struct hdr_key){ .src = side_of(&r->src, ids.src), .dst = side_of(&r->dst, ids.dst),
			       .bidir = (r->flags & RULE_F_BIDIR) != 0, .sp = &r->sp, .dp = &r->dp };
	return !r->services && k->src != DETECT_ADDR_SET_NONE && k->dst != DETECT_ADDR_SET_NONE;
}

static bool ports_equal(const struct port_set *a, const struct port_set *b)
{
	return a->any == b->any && a->n == b->n && memcmp(a->r, b->r, a->n * sizeof(*a->r)) == 0;
}

static bool key_equal(const struct hdr_key *a, const struct hdr_key *b)
{
	return a->src == b->src && a->dst == b->dst && a->bidir == b->bidir &&
	       ports_equal(a->sp, b->sp) && ports_equal(a->dp, b->dp);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static uint64_t ports_hash(uint64_t h, const struct port_set *s)
{
	h = mix(h, (uint64_t)s->any << 32 | s->n);
	for (uint32_t i = 0; i < s->n; i++)
		h = mix(h, (uint64_t)s->r[i].lo << 16 | s->r[i].hi);
	return h;
}

static uint64_t key_hash(const struct hdr_key *k)
{
	return ports_hash(ports_hash(mix(0, (uint64_t)k->src << 16 | k->dst << 8 | k->bidir),
				     k->sp), k->dp);
}

/* A distinct header: the rules naming it, and its number. */
struct distinct {
	struct use_rank u;      /* first: the order sorts pointers to it */
	struct hdr_key key;
	uint64_t hash;
	uint8_t id;
	bool set;
};

/* The distinct header equal to k in the open-addressed table (cap a power
 * of two), added when new. */
static struct distinct *intern(struct distinct *tab, uint32_t cap, uint32_t *n,
			       const struct hdr_key *k)
{
	uint64_t h = key_hash(k);

	for (uint32_t i = (uint32_t)h & (cap - 1);; i = (i + 1) & (cap - 1)) {
		struct distinct *d = &tab[i];

		if (!d->set) {
			*d = (struct distinct){ .key = *k, .hash = h, .u.first = (*n)++,
						.id = DETECT_HDR_CLASS_NONE, .set = true };
			return d;
		}
		if (d->hash == h && key_equal(&d->key, k))
			return d;
	}
}

int detect_hdrclass_build(struct detect_engine *de)
{
	uint32_t cap = 2, n = 0, k = 0;
	struct distinct *tab, **order = NULL, **of = NULL;

	for (uint32_t i = 0; i < de->nrules; i++)
		de->rules[i].hdr_class = DETECT_HDR_CLASS_NONE;
	de->nhdr_classes = 0;
	if (de->addr_ids == NULL)
		return 0;
	while (cap < 2u * de->nrules)
		cap *= 2;
	tab = calloc(cap, sizeof(*tab));
	of = calloc(de->nrules ? de->nrules : 1, sizeof(*of));
	if (tab == NULL || of == NULL)
		goto nomem;
	for (uint32_t i = 0; i < de->nrules; i++) {
		struct hdr_key key;

		if (key_of(de, i, &key))
			(of[i] = intern(tab, cap, &n, &key))->u.uses++;
	}
	order = calloc(n ? n : 1, sizeof(*order));
	if (order == NULL)
		goto nomem;
	for (uint32_t i = 0; i < cap; i++)
		if (tab[i].set)
			order[k++] = &tab[i];
	qsort(order, n, sizeof(*order), use_rank_order);
	/* a header one rule names gains nothing from a number: its test runs
	 * for that rule alone either way */
	for (k = 0; k < n && k < DETECT_HDR_CLASSES && order[k]->u.uses > 1; k++)
		order[k]->id = (uint8_t)k;
	de->nhdr_classes = k;
	for (uint32_t i = 0; i < de->nrules; i++)
		if (of[i] != NULL)
			de->rules[i].hdr_class = of[i]->id;
	free(order);
	free(of);
	free(tab);
	return 0;
nomem:
	free(order);
	free(of);
	free(tab);
	return -ENOMEM;
}
