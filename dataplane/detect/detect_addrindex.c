/* SPDX-License-Identifier: MIT */
/* Rules with a large address list (ET's tor, compromised, ciarmy, drop and
 * dshield rules: ten to hundreds of addresses each) found through one address
 * index instead of one binary search per rule and packet, as Suricata's
 * IP-only radix trees do. Per packet class, kind (IP-only or not) and header
 * side, the union of the indexed rules' ranges is cut into disjoint
 * elementary intervals, each listing in rank order the rules whose indexed
 * side covers it. One search of the packet's source and one of its
 * destination give the candidates; the full header test still decides, so
 * the index skips only rules that cannot match.
 *
 * Which side: a large one (DETECT_ADDR_MIN_RANGES ranges or more over
 * both families), or a narrow one (NARROW_COVERAGE: a /16's worth of
 * addresses or fewer). A short list that is not narrow is mostly a network
 * variable ($HOME_NET: 3 ranges, $EXTERNAL_NET) holding most of the traffic,
 * which the index would return for most packets anyway; its own search takes
 * three steps or fewer. A narrow one is what reputation rules name (ET
 * Open's 200-odd Feodo and botcc groups have one address each): few packets
 * fall in it, while unindexed it is tested with the first packet of every
 * flow direction (IP-only rules). A side covering more than
 * half of a family's space (a negated list: "![..]" is the complement) is
 * not indexed: it would skip almost nothing and sit in almost every
 * interval. Of two large sides, the one covering less. A rule that is not
 * IP-only and has destination ports stays in its port group, which checks
 * it only with packets to those ports (the index does not look at ports).
 *
 * A bidirectional rule matches with the packet's addresses either way round,
 * so its indexed side is listed in the source and the destination tables. */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../decode/packet-t.h"
#include "detect-int.h"

typedef unsigned __int128 u128;

enum { SIDE_SRC, SIDE_DST, SIDE_MAX };

#define NARROW_COVERAGE 0x1p-16  /* of an address family's space */
enum { KIND_PKT, KIND_IPONLY, KIND_MAX };

/* An IPv4 key's top bits pick, through top4, the few intervals its search
 * is left with: a reputation table holds thousands of intervals, and each
 * step of one search over all of them was a cache miss (16 KiB a table). */
#define TOP4_BITS 12u

/* Interval k is [lo[k], lo[k + 1]) (the last one runs to the end of the
 * family's space) and lists ranks[first[k] .. first[k + 1]). lo[0] is 0:
 * every address falls in one. IPv4 keys are 32-bit (a smaller search),
 * IPv6 keys 128-bit. n == 0: the table is empty. */
struct addr_table {
	uint32_t n;
	uint32_t *lo4;
	uint32_t *top4;          /* (1 << TOP4_BITS) + 1: by prefix, the interval
				  * of its first address; the last is n - 1 */
	u128 *lo6;
	uint32_t *first;         /* n + 1 */
	uint32_t *ranks;
};

struct addr_index {
	struct addr_table t[PC_MAX][KIND_MAX][SIDE_MAX];
	uint8_t *side;           /* per rank: 0 not indexed, else 1 + SIDE_* */
	uint32_t nrules;         /* rules indexed */
	uint64_t nintervals;     /* over all tables */
	uint64_t bytes;          /* over all tables */
};

static bool class_v6(int c)
{
	return c == PC_TCP6 || c == PC_UDP6 || c == PC_ICMP6 || c == PC_OTHER6;
}

/* Addresses are in network order: as big-endian integers they sort as the
 * rule ranges do. */
static uint32_t key4(const union ip_addr *a)
{
	return be32toh(a->w[0]);
}

static u128 key6(const union ip_addr *a)
{
	uint64_t h, l;

	memcpy(&h, a->b, 8);
	memcpy(&l, a->b + 8, 8);
	return (u128)be64toh(h) << 64 | be64toh(l);
}

static u128 range_key(const union ip_addr *a, bool v6)
{
	return v6 ? key6(a) : key4(a);
}

static u128 family_max(bool v6)
{
	return v6 ? ~(u128)0 : 0xffffffffu;
}

/* Share of the family's space the ranges cover, in [0, 1]. */
static double coverage(const struct addr_range *r, uint32_t n, bool v6)
{
	double sum = 0;

	for (uint32_t i = 0; i < n; i++)
		sum += (double)(range_key(&r[i].hi, v6) - range_key(&r[i].lo, v6)) + 1.0;
	return sum / (v6 ? 0x1p128 : 0x1p32);
}

/* A side worth indexing, large or narrow: its coverage (both families
 * summed), or -1. */
static double side_weight(const struct addr_set *s, uint32_t min)
{
	double c4, c6;

	if (s->any)
		return -1;
	c4 = coverage(s->v4, s->n4, false);
	c6 = coverage(s->v6, s->n6, true);
	if (c4 > 0.5 || c6 > 0.5)
		return -1;
	if ((uint64_t)s->n4 + s->n6 < min && c4 + c6 > NARROW_COVERAGE)
		return -1;
	return c4 + c6;
}

/* 1 + SIDE_* the rule is indexed by, or 0. Only rules the always lists
 * would hold (no fast pattern, some packet class), and not a rule the port
 * groups check only with packets to its destination ports (the index does
 * not look at ports). */
static uint8_t rule_side(const struct de_rule *dr, uint32_t min)
{
	const struct rule *r = dr->r;
	double ws, wd;

	if (min == 0 || dr->fp >= 0 || dr->classes == 0)
		return 0;
	if (!(dr->flags & DR_F_IPONLY) && !(r->flags & RULE_F_BIDIR) && !r->dp.any)
		return 0;
	ws = side_weight(&r->src, min);
	wd = side_weight(&r->dst, min);
	if (ws < 0 && wd < 0)
		return 0;
	if (wd < 0 || (ws >= 0 && ws <= wd))
		return 1 + SIDE_SRC;
	return 1 + SIDE_DST;
}

/* The set rank is listed with in table (c, kind, side), or NULL. */
static const struct addr_set *table_set(const struct detect_engine *de,
					const struct addr_index *ai, uint32_t rank, int c,
					int kind, int side)
{
	const struct de_rule *dr = &de->rules[rank];
	int s = ai->side[rank] - 1;

	if (s < 0 || !(dr->classes & (1u << c)) ||
	    ((dr->flags & DR_F_IPONLY) != 0) != (kind == KIND_IPONLY))
		return NULL;
	if (s != side && !(dr->r->flags & RULE_F_BIDIR))
		return NULL;
	return s == SIDE_SRC ? &dr->r->src : &dr->r->dst;
}

static int cmp_u128(const void *a, const void *b)
{
	u128 x = *(const u128 *)a, y = *(const u128 *)b;

	return x < y ? -1 : x > y;
}

/* The interval holding key: the last start <= key (lo[0] is 0). */
static uint32_t find6(const u128 *lo, uint32_t n, u128 key)
{
	uint32_t a = 0, b = n;

	while (b - a > 1) {
		uint32_t mid = a + (b - a) / 2;

		if (lo[mid] <= key)
			a = mid;
		else
			b = mid;
	}
	return a;
}

/* The last k in [a, b) with lo[k] <= key, lo[a] <= key. */
static uint32_t find4_in(const uint32_t *lo, uint32_t a, uint32_t b, uint32_t key)
{
	while (b - a > 1) {
		uint32_t mid = a + (b - a) / 2;

		if (lo[mid] <= key)
			a = mid;
		else
			b = mid;
	}
	return a;
}

static uint32_t find4(const uint32_t *lo, uint32_t n, uint32_t key)
{
	return find4_in(lo, 0, n, key);
}

/* The interval of key: after lo[top4[p]] <= key and, past p's range, the
 * next prefix's interval (or the last) no earlier than key's. */
static uint32_t find4_top(const struct addr_table *t, uint32_t key)
{
	uint32_t p = key >> (32u - TOP4_BITS);

	return find4_in(t->lo4, t->top4[p], t->top4[p + 1] + 1, key);
}

/* Interval starts of a table: 0 and every lo and hi + 1 of its rules'
 * ranges, sorted, unique, in *out. Returns the count, 0 when the table has
 * no range, or -ENOMEM. */
static int64_t table_bounds(const struct detect_engine *de, const struct addr_index *ai, int c,
			    int kind, int side, u128 **out)
{
	bool v6 = class_v6(c);
	uint64_t n = 1, u = 0;
	u128 *b;

	for (uint32_t i = 0; i < de->nrules; i++) {
		const struct addr_set *s = table_set(de, ai, i, c, kind, side);

		if (s != NULL)
			n += 2ull * (v6 ? s->n6 : s->n4);
	}
	if (n == 1)
		return 0;
	b = malloc(n * sizeof(*b));
	if (b == NULL)
		return -ENOMEM;
	b[0] = 0;
	n = 1;
	for (uint32_t i = 0; i < de->nrules; i++) {
		const struct addr_set *s = table_set(de, ai, i, c, kind, side);
		const struct addr_range *r;

		if (s == NULL)
			continue;
		r = v6 ? s->v6 : s->v4;
		for (uint32_t k = 0; k < (v6 ? s->n6 : s->n4); k++) {
			u128 hi = range_key(&r[k].hi, v6);

			b[n++] = range_key(&r[k].lo, v6);
			if (hi != family_max(v6))
				b[n++] = hi + 1;
		}
	}
	qsort(b, n, sizeof(*b), cmp_u128);
	for (uint64_t i = 0; i < n; i++)
		if (u == 0 || b[u - 1] != b[i])
			b[u++] = b[i];
	*out = b;
	return (int64_t)u;
}

/* The intervals [k0, k1) range r covers in the starts b[0..n). */
static void range_span(const u128 *b, uint32_t n, const struct addr_range *r, bool v6,
		       uint32_t *k0, uint32_t *k1)
{
	u128 hi = range_key(&r->hi, v6);

	*k0 = find6(b, n, range_key(&r->lo, v6));
	*k1 = hi == family_max(v6) ? n : find6(b, n, hi + 1);
}

/* Fill one table. Rules are visited in rank order and a rule's ranges are
 * disjoint, so each interval lists its ranks ascending, each once. */
static int table_build(struct addr_table *t, const struct detect_engine *de,
		       const struct addr_index *ai, int c, int kind, int side)
{
	bool v6 = class_v6(c);
	uint32_t *fill = NULL;
	u128 *b = NULL;
	int64_t nb;

	nb = table_bounds(de, ai, c, kind, side, &b);
	if (nb <= 0)
		return (int)nb;
	t->n = (uint32_t)nb;
	t->first = calloc(t->n + 1, sizeof(*t->first));
	fill = calloc(t->n, sizeof(*fill));
	if (t->first == NULL || fill == NULL)
		goto nomem;
	/* two passes: count per interval, then fill */
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < de->nrules; i++) {
			const struct addr_set *s = table_set(de, ai, i, c, kind, side);

			for (uint32_t k = 0; s != NULL && k < (v6 ? s->n6 : s->n4); k++) {
				uint32_t k0, k1;

				range_span(b, t->n, v6 ? &s->v6[k] : &s->v4[k], v6, &k0, &k1);
				for (uint32_t j = k0; j < k1; j++) {
					if (pass == 0)
						t->first[j + 1]++;
					else
						t->ranks[t->first[j] + fill[j]++] = i;
				}
			}
		}
		if (pass == 1)
			break;
		for (uint32_t k = 0; k < t->n; k++)
			t->first[k + 1] += t->first[k];
		t->ranks = calloc(t->first[t->n] ? t->first[t->n] : 1, sizeof(*t->ranks));
		if (t->ranks == NULL)
			goto nomem;
	}
	free(fill);
	if (v6) {
		t->lo6 = b;
		return 0;
	}
	t->lo4 = malloc(t->n * sizeof(*t->lo4));
	if (t->lo4 == NULL)
		goto nomem_b;
	for (uint32_t k = 0; k < t->n; k++)
		t->lo4[k] = (uint32_t)b[k];
	free(b);
	t->top4 = malloc(((1u << TOP4_BITS) + 1) * sizeof(*t->top4));
	if (t->top4 == NULL)
		return -ENOMEM;
	for (uint32_t p = 0; p < 1u << TOP4_BITS; p++)
		t->top4[p] = find4(t->lo4, t->n, p << (32u - TOP4_BITS));
	t->top4[1u << TOP4_BITS] = t->n - 1;
	return 0;
nomem:
	free(fill);
nomem_b:
	free(b);
	return -ENOMEM;
}

static uint64_t table_bytes(const struct addr_table *t, bool v6)
{
	if (t->n == 0)
		return 0;
	return (uint64_t)t->n * (v6 ? sizeof(*t->lo6) : sizeof(*t->lo4)) +
	       (t->n + 1ull + t->first[t->n]) * sizeof(uint32_t) +
	       (v6 ? 0 : ((1u << TOP4_BITS) + 1) * sizeof(*t->top4));
}

int detect_addr_build(struct detect_engine *de)
{
	struct addr_index *ai = calloc(1, sizeof(*ai));

	if (ai == NULL)
		return -ENOMEM;
	de->addr = ai;
	ai->side = calloc(de->nrules ? de->nrules : 1, sizeof(*ai->side));
	if (ai->side == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < de->nrules; i++) {
		ai->side[i] = rule_side(&de->rules[i], de->addr_min);
		ai->nrules += ai->side[i] != 0;
	}
	if (ai->nrules == 0)
		return 0;
	for (int c = 0; c < PC_MAX; c++)
		for (int kind = 0; kind < KIND_MAX; kind++)
			for (int side = 0; side < SIDE_MAX; side++) {
				struct addr_table *t = &ai->t[c][kind][side];

				if (table_build(t, de, ai, c, kind, side) < 0)
					return -ENOMEM;
				ai->nintervals += t->n;
				ai->bytes += table_bytes(t, class_v6(c));
			}
	return 0;
}

void detect_addr_free(struct detect_engine *de)
{
	struct addr_index *ai = de->addr;

	if (ai == NULL)
		return;
	for (int c = 0; c < PC_MAX; c++)
		for (int kind = 0; kind < KIND_MAX; kind++)
			for (int side = 0; side < SIDE_MAX; side++) {
				struct addr_table *t = &ai->t[c][kind][side];

				free(t->lo4);
				free(t->top4);
				free(t->lo6);
				free(t->first);
				free(t->ranks);
			}
	free(ai->side);
	free(ai);
	de->addr = NULL;
}

bool detect_addr_indexed(const struct detect_engine *de, uint32_t rank)
{
	return de->addr != NULL && de->addr->side[rank] != 0;
}

void detect_addr_info(const struct detect_engine *de, uint32_t *rules, uint64_t *intervals,
		      uint64_t *bytes)
{
	*rules = de->addr ? de->addr->nrules : 0;
	*intervals = de->addr ? de->addr->nintervals : 0;
	*bytes = de->addr ? de->addr->bytes : 0;
}

/* The ranks listed for a's interval of t, appended to out when any. */
static uint32_t table_lookup(const struct addr_table *t, const union ip_addr *a, bool v6,
			     struct rank_list *out)
{
	uint32_t k, n;

	if (t->n == 0)
		return 0;
	k = v6 ? find6(t->lo6, t->n, key6(a)) : find4_top(t, key4(a));
	n = t->first[k + 1] - t->first[k];
	if (n == 0)
		return 0;
	out->r = t->ranks + t->first[k];
	out->n = n;
	return 1;
}

uint32_t detect_addr_lists(const struct addr_index *ai, const struct packet *p, enum pclass pc,
			   bool iponly, struct rank_list *out)
{
	bool v6 = class_v6(pc);
	uint32_t nl = 0;

	if (ai == NULL || ai->nrules == 0)
		return 0;
	for (int kind = KIND_PKT; kind <= (iponly ? KIND_IPONLY : KIND_PKT); kind++) {
		nl += table_lookup(&ai->t[pc][kind][SIDE_SRC], &p->src, v6, out + nl);
		nl += table_lookup(&ai->t[pc][kind][SIDE_DST], &p->dst, v6, out + nl);
	}
	return nl;
}
