/* SPDX-License-Identifier: MIT */
/* The directed prefilter sets cut by the server's port (struct
 * pf_port_map), as Suricata 7 gives each signature group head its own
 * multi-pattern context (detect.sgh-mpm-context: auto is full with
 * Hyperscan). Per family (TCP, UDP) and flow direction, the server-side
 * port sets of the rules with a fast pattern cut the port space into
 * elementary ranges, each either inside or outside every rule's set. The
 * ranges with priority ports, then those most rules name, get a slot of
 * their own; the ranges no such rule names share one; all others the rest.
 * A kind's set for a slot holds the rules that can match one of its ports.
 * Off the hot path; the result is read-only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../decode/packet-t.h"
#include "detect-int.h"

#define PORT_SPACE 65536u
/* A slot's set is compiled only when it leaves out this fraction of its
 * kind's whole set at least (1/16): a set nearly whole costs a compile and
 * its memory for next to no fewer patterns per byte. */
#define GROUP_MIN_CUT_SHIFT 4u
#define SLOT_REST    0u
#define SLOT_UNNAMED 1u

_Static_assert(DETECT_PF_SLOTS <= 16, "a rule's slots fit a 16-bit mask");

/* Suricata 7's detect.grouping defaults (tcp-whitelist, udp-whitelist):
 * their ranges get a slot before rule counts are compared. */
static const uint16_t prio_tcp[] = { 53, 80, 139, 443, 445, 1433, 3306, 3389, 6666, 6667, 8080 };
static const uint16_t prio_udp[] = { 53, 135, 5060 };

static const enum pf_kind family_kinds[PFF_MAX][3] = {
	[PFF_TCP] = { PFK_TCP_STREAM, PFK_TCP_PKT, PFK_TCP_SMALL },
	[PFF_UDP] = { PFK_UDP, PFK_UDP_SMALL, PFK_MAX },
};

/* No rule's pattern: a slot whose rules have none. */
static const struct pat_db no_patterns;

/* The server's side of r's header in direction dir (destination ports to
 * the server, source ports to the client); NULL when r can match on any
 * port there: any, bidirectional, or Snort 3 services (the flow's protocol
 * stands for its ports). */
static const struct port_set *server_ports(const struct rule *r, unsigned dir)
{
	const struct port_set *s = dir == PKT_TO_SERVER ? &r->dp : &r->sp;

	if ((r->flags & RULE_F_BIDIR) || r->services || s->any)
		return NULL;
	return s;
}

/* One family and direction's cut while it is built. */
struct cut {
	unsigned dir;
	uint32_t *lo;            /* elementary range starts, ascending; lo[0] = 0 */
	uint32_t n;
	uint32_t *nrules;        /* by range: port-bound rules that name it */
	uint8_t *slot;           /* by range */
	bool *member;            /* by rank: in one of the family's directed sets */
	uint16_t *mask;          /* by rank: the slots whose ports it can match */
};

/* The elementary range that holds port: the last start <= port. */
static uint32_t range_of(const struct cut *c, uint32_t port)
{
	uint32_t a = 0, b = c->n;

	while (b - a > 1) {
		uint32_t mid = a + (b - a) / 2;

		if (c->lo[mid] <= port)
			a = mid;
		else
			b = mid;
	}
	return a;
}

static uint32_t range_end(const struct cut *c, uint32_t j)
{
	return j + 1 < c->n ? c->lo[j + 1] - 1 : PORT_SPACE - 1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The family's members in direction dir, and the range starts their
 * server ports make. 0 or -ENOMEM. */
static int cut_ranges(const struct detect_engine *de, enum pf_family fam, struct cut *c,
		      struct pat_ref *refs)
{
	uint64_t nb = 1;

	for (unsigned i = 0; i < 3 && family_kinds[fam][i] < PFK_DIRECTED; i++) {
		uint32_t maxpayload;
		uint32_t n = detect_pf_refs(de, refs, family_kinds[fam][i], c->dir, &maxpayload);

		for (uint32_t k = 0; k < n; k++)
			c->member[refs[k].rank] = true;
	}
	for (uint32_t r = 0; r < de->nrules; r++) {
		const struct port_set *s = c->member[r] ? server_ports(de->rules[r].r, c->dir) : NULL;

		if (s != NULL)
			nb += 2ull * s->n;
	}
	c->lo = malloc(nb * sizeof(*c->lo));
	if (c->lo == NULL)
		return -ENOMEM;
	nb = 0;
	c->lo[nb++] = 0;
	for (uint32_t r = 0; r < de->nrules; r++) {
		const struct port_set *s = c->member[r] ? server_ports(de->rules[r].r, c->dir) : NULL;

		for (uint32_t k = 0; s != NULL && k < s->n; k++) {
			c->lo[nb++] = s->r[k].lo;
			if (s->r[k].hi + 1u < PORT_SPACE)
				c->lo[nb++] = s->r[k].hi + 1u;
		}
	}
	qsort(c->lo, nb, sizeof(*c->lo), cmp_u32);
	c->n = 0;
	for (uint64_t i = 0; i < nb; i++)
		if (c->n == 0 || c->lo[c->n - 1] != c->lo[i])
			c->lo[c->n++] = c->lo[i];
	c->nrules = calloc(c->n, sizeof(*c->nrules));
	c->slot = calloc(c->n, sizeof(*c->slot));
	return c->nrules != NULL && c->slot != NULL ? 0 : -ENOMEM;
}

/* Calls f(c, rank, range) for each range rank's server ports cover. */
static void each_range(struct cut *c, const struct port_set *s, uint32_t rank,
		       void (*f)(struct cut *, uint32_t, uint32_t))
{
	for (uint32_t k = 0; k < s->n; k++)
		for (uint32_t j = range_of(c, s->r[k].lo); j < c->n && c->lo[j] <= s->r[k].hi; j++)
			f(c, rank, j);
}

static void count_range(struct cut *c, uint32_t rank, uint32_t j)
{
	(void)rank;
	c->nrules[j]++;
}

static void mask_range(struct cut *c, uint32_t rank, uint32_t j)
{
	c->mask[rank] |= (uint16_t)(1u << c->slot[j]);
}

struct range_order {
	const struct cut *c;
	const bool *prio;
};

/* Priority ranges first, then by rules named, then by port. qsort takes no
 * context: it is the building thread's (reloads build on other threads). */
static _Thread_local const struct range_order *sort_ctx;

static int cmp_range(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct range_order *o = sort_ctx;

	if (o->prio[x] != o->prio[y])
		return o->prio[x] ? -1 : 1;
	if (o->c->nrules[x] != o->c->nrules[y])
		return o->c->nrules[x] > o->c->nrules[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Slots of the ranges; the number used. 0 on -ENOMEM too (then nothing is
 * cut). */
static uint32_t assign_slots(struct cut *c, enum pf_family fam)
{
	const uint16_t *prio_ports = fam == PFF_TCP ? prio_tcp : prio_udp;
	const size_t nprio = fam == PFF_TCP ? sizeof(prio_tcp) / sizeof(prio_tcp[0]) :
					      sizeof(prio_udp) / sizeof(prio_udp[0]);
	bool *prio = calloc(c->n, sizeof(*prio));
	uint32_t *order = calloc(c->n, sizeof(*order));
	uint32_t nslot = SLOT_UNNAMED + 1;

	if (prio == NULL || order == NULL) {
		free(prio);
		free(order);
		return 0;
	}
	for (size_t i = 0; i < nprio; i++)
		prio[range_of(c, prio_ports[i])] = true;
	for (uint32_t j = 0; j < c->n; j++) {
		order[j] = j;
		c->slot[j] = c->nrules[j] ? SLOT_REST : SLOT_UNNAMED;
	}
	sort_ctx = &(struct range_order){ .c = c, .prio = prio };
	qsort(order, c->n, sizeof(*order), cmp_range);
	sort_ctx = NULL;
	for (uint32_t i = 0; i < c->n && nslot < DETECT_PF_SLOTS; i++)
		if (c->nrules[order[i]] != 0)
			c->slot[order[i]] = (uint8_t)nslot++;
	free(prio);
	free(order);
	return nslot;
}

/* The sets built so far: equal rank lists share one database. */
struct built {
	uint32_t n;
	uint32_t *ranks;
	const struct pat_db *db;
};

struct slot_keep {
	const struct cut *c;
	uint16_t bit;
};

static bool keep_slot(const struct detect_engine *de, uint32_t rank, const void *ctx)
{
	const struct slot_keep *sk = ctx;

	(void)de;
	return (sk->c->mask[rank] & sk->bit) != 0;
}

static const struct pat_db *find_built(const struct built *b, uint32_t nb,
				       const struct pat_ref *refs, uint32_t n)
{
	for (uint32_t i = 0; i < nb; i++) {
		uint32_t k = 0;

		if (b[i].n != n)
			continue;
		while (k < n && b[i].ranks[k] == refs[k].rank)
			k++;
		if (k == n)
			return b[i].db;
	}
	return NULL;
}

struct pfport_build {
	struct detect_engine *de;
	struct pat_ref *refs;
	struct built *built;
	uint32_t nbuilt;
	char *err;
	size_t errlen;
};

/* The database of kind k's slot set (refs[0..n), rank order): one built
 * before with the same rules, the whole set when it would leave out too
 * little, else a new one. NULL with -errno in *ret. */
static const struct pat_db *slot_db(struct pfport_build *pb, enum pf_kind k, unsigned dir,
				    uint32_t n, uint32_t whole, uint32_t maxpayload, int *ret)
{
	struct detect_engine *de = pb->de;
	const struct pat_db *found;
	struct pat_db *db;
	struct built *b;
	const detect_reject_fn reject = de->reject;

	*ret = 0;
	if (n == 0)
		return &no_patterns;
	if (whole - n < ((whole >> GROUP_MIN_CUT_SHIFT) ? whole >> GROUP_MIN_CUT_SHIFT : 1u)) {
		*ret = detect_pf_dir_build(de, k, dir, pb->err, pb->errlen);
		return *ret ? NULL : &de->pf_dir[k][dir];
	}
	found = find_built(pb->built, pb->nbuilt, pb->refs, n);
	if (found != NULL)
		return found;
	b = &pb->built[pb->nbuilt];
	b->ranks = malloc(n * sizeof(*b->ranks));
	if (b->ranks == NULL) {
		*ret = -ENOMEM;
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++)
		b->ranks[i] = pb->refs[i].rank;
	b->n = n;
	db = &de->pf_grp[de->npf_grp];
	/* every pattern here went through the whole set's compile: should a
	 * subset fail, the whole set stands in and no rule is lost */
	de->reject = NULL;
	if (pat_db_build(de, db, pb->refs, n, pb->err, pb->errlen) != 0) {
		pat_db_free(db);
		de->reject = reject;
		if (pb->errlen)
			pb->err[0] = '\0';
		*ret = detect_pf_dir_build(de, k, dir, pb->err, pb->errlen);
		b->db = &de->pf_dir[k][dir];
	} else if (detect_pf_adopt(de, db) != 0) {
		pat_db_free(db);
		*ret = -ENOMEM;
	} else {
		db->maxpayload = maxpayload;
		b->db = db;
		de->npf_grp++;
	}
	de->reject = reject;
	pb->nbuilt++;
	return *ret ? NULL : b->db;
}

static int build_family(struct pfport_build *pb, enum pf_family fam, unsigned dir)
{
	struct detect_engine *de = pb->de;
	struct pf_port_map *m = &de->pf_port[fam][dir];
	struct cut c = { .dir = dir };
	uint16_t used = 0;       /* slots some range took */
	int ret = -ENOMEM;

	c.member = calloc(de->nrules ? de->nrules : 1, sizeof(*c.member));
	c.mask = calloc(de->nrules ? de->nrules : 1, sizeof(*c.mask));
	if (c.member == NULL || c.mask == NULL || cut_ranges(de, fam, &c, pb->refs) != 0)
		goto out;
	for (uint32_t r = 0; r < de->nrules; r++) {
		const struct port_set *s = c.member[r] ? server_ports(de->rules[r].r, dir) : NULL;

		if (s != NULL)
			each_range(&c, s, r, count_range);
	}
	m->nslot = assign_slots(&c, fam);
	if (m->nslot == 0)
		goto out;
	for (uint32_t r = 0; r < de->nrules; r++) {
		const struct port_set *s = c.member[r] ? server_ports(de->rules[r].r, dir) : NULL;

		if (s == NULL)
			c.mask[r] = UINT16_MAX;
		else
			each_range(&c, s, r, mask_range);
	}
	for (uint32_t j = 0; j < c.n; j++)
		used |= (uint16_t)(1u << c.slot[j]);
	for (unsigned i = 0; i < 3 && family_kinds[fam][i] < PFK_DIRECTED; i++) {
		const enum pf_kind k = family_kinds[fam][i];
		uint32_t whole, maxpayload;

		whole = detect_pf_refs(de, pb->refs, k, dir, &maxpayload);
		for (uint32_t s = 0; s < m->nslot; s++) {
			const struct slot_keep sk = { .c = &c, .bit = (uint16_t)(1u << s) };
			/* a slot no range took (no unnamed port, no rest) is never looked up */
			uint32_t n = (used & sk.bit) ? detect_pf_refs_kept(de, pb->refs, k, dir,
									   keep_slot, &sk,
									   &maxpayload) : 0;

			m->db[k][s] = slot_db(pb, k, dir, n, whole, maxpayload, &ret);
			if (ret != 0)
				goto out;
		}
	}
	m->slot = malloc(PORT_SPACE);
	if (m->slot == NULL)
		goto out;
	for (uint32_t j = 0; j < c.n; j++)
		memset(m->slot + c.lo[j], c.slot[j], range_end(&c, j) - c.lo[j] + 1);
	ret = 0;
out:
	free(c.lo);
	free(c.nrules);
	free(c.slot);
	free(c.member);
	free(c.mask);
	return ret;
}

int detect_pfport_build(struct detect_engine *de, char *err, size_t errlen)
{
	const uint32_t cap = PFF_MAX * 2 * PFK_DIRECTED * DETECT_PF_SLOTS;
	struct pfport_build pb = { .de = de, .err = err, .errlen = errlen };
	int ret = -ENOMEM;

	pb.refs = calloc(de->nrules ? de->nrules : 1, sizeof(*pb.refs));
	pb.built = calloc(cap, sizeof(*pb.built));
	de->pf_grp = calloc(cap, sizeof(*de->pf_grp));
	if (pb.refs == NULL || pb.built == NULL || de->pf_grp == NULL)
		goto out;
	ret = 0;
	for (unsigned f = 0; f < PFF_MAX && ret == 0; f++)
		for (unsigned d = 0; d < 2 && ret == 0; d++)
			ret = build_family(&pb, (enum pf_family)f, d);
	de->info.port_dbs = de->npf_grp;
out:
	if (ret != 0 && errlen && err[0] == '\0')
		snprintf(err, errlen, "out of memory building the port groups' prefilters");
	for (uint32_t i = 0; i < pb.nbuilt; i++)
		free(pb.built[i].ranks);
	free(pb.built);
	free(pb.refs);
	return ret;
}

void detect_pfport_free(struct detect_engine *de)
{
	for (uint32_t i = 0; i < de->npf_grp; i++)
		pat_db_free(&de->pf_grp[i]);
	free(de->pf_grp);
	de->pf_grp = NULL;
	de->npf_grp = 0;
	for (unsigned f = 0; f < PFF_MAX; f++)
		for (unsigned d = 0; d < 2; d++) {
			free(de->pf_port[f][d].slot);
			memset(&de->pf_port[f][d], 0, sizeof(de->pf_port[f][d]));
		}
}
