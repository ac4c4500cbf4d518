/* SPDX-License-Identifier: MIT */
/* Building the detection engine, off the hot path: rules sorted by
 * evaluation order, one fast pattern per rule, distinct patterns compiled
 * into Hyperscan block-mode databases by what they are scanned on (pattern
 * id -> rules; enum pf_kind), and the
 * rules without a fast pattern listed per packet class. The result is
 * immutable and shared by all workers. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../common/hugemap.h"
#include "detect-int.h"

/* The packet classes a rule's header can match. A tcp-stream rule is
 * checked with TCP packets, against the stream offered with them only (one
 * without payload matches has nothing to look at: it matches nothing). */
static uint8_t rule_classes(const struct rule *r)
{
	uint8_t c = 0;

	switch (r->proto) {
	case RULE_PROTO_IP:
		c = (1u << PC_MAX) - 1;
		break;
	case RULE_PROTO_TCP:
	case RULE_PROTO_TCP_PKT:
		c = 1u << PC_TCP4 | 1u << PC_TCP6;
		break;
	case RULE_PROTO_TCP_STREAM:
		c = r->nmatch ? 1u << PC_TCP4 | 1u << PC_TCP6 : 0;
		break;
	case RULE_PROTO_UDP:
		c = 1u << PC_UDP4 | 1u << PC_UDP6;
		break;
	case RULE_PROTO_ICMP:
		c = 1u << PC_ICMP4 | 1u << PC_ICMP6;
		break;
	case RULE_PROTO_ICMPV4:
		c = 1u << PC_ICMP4;
		break;
	case RULE_PROTO_ICMPV6:
		c = 1u << PC_ICMP6;
		break;
	default:
		c = 0;
		break;
	}
	if (r->flags & RULE_F_IPV4_ONLY)
		c &= 1u << PC_TCP4 | 1u << PC_UDP4 | 1u << PC_ICMP4 | 1u << PC_OTHER4;
	if (r->flags & RULE_F_IPV6_ONLY)
		c &= 1u << PC_TCP6 | 1u << PC_UDP6 | 1u << PC_ICMP6 | 1u << PC_OTHER6;
	/* App-layer rules (buffers, urilen, ...) run per transaction
	 * (detect_applayer*.c), never on packets; a dns rule's packets are
	 * TCP or UDP. */
	if (r->app_has || (r->app_bufs & ~(RULE_BUF_BIT(RULE_BUF_APP_FIRST) - 1)))
		c = 0;
	if (r->app_proto == APP_PROTO_DNS)
		c &= 1u << PC_TCP4 | 1u << PC_TCP6 | 1u << PC_UDP4 | 1u << PC_UDP6;
	return c;
}

/* Suricata's SignatureIsIPOnly: no payload match, no packet keyword that
 * is not IP-only compatible (dsize, ttl, itype, icode, ip_proto, flow), and
 * flowbits only of the "set" kind (noalert is not a match). */
static bool rule_is_iponly(const struct rule *r)
{
	/* decode-event: an event of any packet, not of a flow's first */
	if (r->nmatch || r->has || r->flow_flags || r->decode_event != NULL)
		return false;
	for (uint32_t i = 0; i < r->nflowbit; i++)
		if (r->flowbit[i].op != FB_SET && r->flowbit[i].op != FB_NOALERT)
			return false;
	return true;
}

static bool rule_needs_flow(const struct rule *r)
{
	for (uint32_t i = 0; i < r->nflowbit; i++)
		if (r->flowbit[i].op != FB_NOALERT)
			return true;
	return (r->flow_flags & ~RULE_FLOW_STATELESS) != 0;
}

/* Engines built so far, for detect_engine.serial (reloads build on other
 * threads than the workers). */
static uint64_t engine_serial;

static int cmp_rule_order(const void *a, const void *b)
{
	const struct de_rule *x = a, *y = b;

	if (x->r->order != y->r->order)
		return x->r->order < y->r->order ? -1 : 1;
	/* same order: keep file order (the fp field holds the file index here) */
	return x->fp < y->fp ? -1 : x->fp > y->fp;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The longest payload rule r's dsize admits; UINT32_MAX without dsize or
 * without an upper bound. */
static uint32_t dsize_max(const struct rule *r)
{
	const struct u32_cmp *c = &r->dsize;

	if (!(r->has & RULE_HAS_DSIZE))
		return UINT32_MAX;
	switch (c->op) {
	case U32_EQ:
	case U32_LE:
		return c->a;
	case U32_LT:
		return c->a ? c->a - 1 : 0;
	case U32_RANGE:
		return c->b ? c->b - 1 : 0;
	default:
		return UINT32_MAX;
	}
}

/* The prefilters rule dr's fast pattern goes into (bit per enum pf_kind). */
static unsigned rule_pf_kinds(const struct de_rule *dr)
{
	const uint16_t tcp = 1u << PC_TCP4 | 1u << PC_TCP6;
	const uint16_t udp = 1u << PC_UDP4 | 1u << PC_UDP6;
	const uint16_t icmp = 1u << PC_ICMP4 | 1u << PC_ICMP6;
	const bool small = dsize_max(dr->r) <= DETECT_SMALL_PAYLOAD;
	unsigned k = 0;

	if (dr->classes & tcp)
		k |= 1u << (detect_rule_sees_stream(dr->r) ? PFK_TCP_STREAM :
			    small ? PFK_TCP_SMALL : PFK_TCP_PKT);
	if (dr->classes & udp)
		k |= 1u << (small ? PFK_UDP_SMALL : PFK_UDP);
	if (dr->classes & icmp)
		k |= 1u << PFK_ICMP;
	if (dr->classes & ~(tcp | udp | icmp))
		k |= 1u << PFK_OTHER;
	return k;
}

/* dir: the rule can match a packet of flow direction dir (enum pkt_dir), or
 * any direction with PKT_DIR_ANY. */
#define PKT_DIR_ANY 2u

static bool rule_in_dir(const struct rule *r, unsigned dir)
{
	if (dir == PKT_DIR_ANY)
		return true;
	return !((r->flow_flags | r->side_flags) &
		 (dir == PKT_TO_SERVER ? RULE_FLOW_TOCLIENT : RULE_FLOW_TOSERVER));
}

uint32_t detect_pf_refs(const struct detect_engine *de, struct pat_ref *refs, enum pf_kind k,
			unsigned dir, uint32_t *maxpayload)
{
	return detect_pf_refs_kept(de, refs, k, dir, NULL, NULL, maxpayload);
}

uint32_t detect_pf_refs_kept(const struct detect_engine *de, struct pat_ref *refs,
			     enum pf_kind k, unsigned dir, pf_keep_fn keep, const void *ctx,
			     uint32_t *maxpayload)
{
	uint32_t nref = 0;

	*maxpayload = 0;
	for (uint32_t i = 0; i < de->nrules; i++) {
		const struct de_rule *dr = &de->rules[i];

		if (dr->fp >= 0 && (rule_pf_kinds(dr) & (1u << k)) && rule_in_dir(dr->r, dir) &&
		    (keep == NULL || keep(de, i, ctx))) {
			pat_ref_set(&refs[nref++], &dr->r->match[dr->fp].content, i,
				    PF_SLICE_TAIL);
			if (dsize_max(dr->r) > *maxpayload)
				*maxpayload = dsize_max(dr->r);
		}
	}
	return nref;
}

/* The prefilter of kind k for direction dir into db; one scratch prototype
 * fits them all. 0, or -errno with err filled. */
static int build_one(struct detect_engine *de, struct pat_db *db, struct pat_ref *refs,
		     enum pf_kind k, unsigned dir, char *err, size_t errlen)
{
	uint32_t maxpayload;
	uint32_t nref = detect_pf_refs(de, refs, k, dir, &maxpayload);
	int ret;

	ret = pat_db_build(de, db, refs, nref, err, errlen);
	if (ret != 0 || pat_db_empty(db))
		return ret;
	db->maxpayload = maxpayload;
	if (detect_pf_adopt(de, db) != 0) {
		snprintf(err, errlen, "hyperscan: cannot allocate scratch");
		return -ENOMEM;
	}
	return 0;
}

int detect_pf_adopt(struct detect_engine *de, const struct pat_db *db)
{
	if (pat_db_scratch(db, &de->scratch) != HS_SUCCESS)
		return -ENOMEM;
	pat_db_count(de, db);
	return 0;
}

/* Distinct patterns -> one Hyperscan database per enum pf_kind, each with
 * its id -> ranks table (the directed ones: detect_pf_dir_build). 0, or
 * -errno with err filled. */
static int build_prefilter(struct detect_engine *de, char *err, size_t errlen)
{
	struct pat_ref *refs = calloc(de->nrules ? de->nrules : 1, sizeof(*refs));
	int ret = 0;

	if (refs == NULL) {
		snprintf(err, errlen, "out of memory building the prefilter");
		return -ENOMEM;
	}
	for (unsigned k = 0; k < PFK_MAX && ret == 0; k++)
		ret = build_one(de, &de->pf[k], refs, (enum pf_kind)k, PKT_DIR_ANY, err, errlen);
	free(refs);
	return ret;
}

int detect_pf_dir_build(struct detect_engine *de, enum pf_kind k, unsigned dir, char *err,
			size_t errlen)
{
	const uint32_t bit = 1u << (k * 2 + dir);
	struct pat_ref *refs;
	int ret;

	if (de->pf_dir_built & bit)
		return 0;
	refs = calloc(de->nrules ? de->nrules : 1, sizeof(*refs));
	if (refs == NULL) {
		snprintf(err, errlen, "out of memory building the prefilter");
		return -ENOMEM;
	}
	ret = build_one(de, &de->pf_dir[k][dir], refs, k, dir, err, errlen);
	free(refs);
	if (ret == 0)
		de->pf_dir_built |= bit;
	return ret;
}

/* Rules without a fast pattern, per packet class, ascending rank; not the
 * ones the address index holds (detect_addrindex.c). */
static int build_always(struct detect_engine *de)
{
	for (int c = 0; c < PC_MAX; c++) {
		uint32_t n = 0;

		de->always[c] = calloc(de->nrules ? de->nrules : 1, sizeof(uint32_t));
		if (!de->always[c])
			return -ENOMEM;
		for (uint32_t i = 0; i < de->nrules; i++)
			if (de->rules[i].fp < 0 && (de->rules[i].classes & (1u << c)) &&
			    !detect_addr_indexed(de, i))
				de->always[c][n++] = i;
		de->nalways[c] = n;
	}
	return 0;
}

static uint32_t pcre_captures(const struct rule *r)
{
	uint32_t max = 0;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		uint32_t n = 0;

		if (r->match[i].kind != MATCH_PCRE || !r->match[i].pcre.code)
			continue;
		pcre2_pattern_info(r->match[i].pcre.code, PCRE2_INFO_CAPTURECOUNT, &n);
		if (n > max)
			max = n;
	}
	return max;
}

struct detect_engine *detect_engine_build(const struct ruleset *rs, char *err, size_t errlen)
{
	return detect_engine_build_addr(rs, DETECT_ADDR_MIN_RANGES, err, errlen);
}

static struct detect_engine *build(const struct ruleset *rs, uint32_t addr_min,
				   detect_reject_fn reject, void *ctx, char *err, size_t errlen);

struct detect_engine *detect_engine_build_rejecting(const struct ruleset *rs,
						    detect_reject_fn reject, void *ctx,
						    char *err, size_t errlen)
{
	return build(rs, DETECT_ADDR_MIN_RANGES, reject, ctx, err, errlen);
}

struct detect_engine *detect_engine_build_addr(const struct ruleset *rs, uint32_t addr_min,
					       char *err, size_t errlen)
{
	return build(rs, addr_min, NULL, NULL, err, errlen);
}

/* Hyperscan's databases and scratch spaces on huge pages: each scan reads
 * them at random, dozens of databases per transaction. Process-wide, set
 * before the first database is compiled. */
static void hs_on_huge_pages(void)
{
	hs_set_database_allocator(hugemap_hs_alloc, hugemap_hs_free);
	hs_set_scratch_allocator(hugemap_hs_alloc, hugemap_hs_free);
}

static struct detect_engine *build(const struct ruleset *rs, uint32_t addr_min,
				   detect_reject_fn reject, void *ctx, char *err, size_t errlen)
{
	static pthread_once_t hs_alloc_once = PTHREAD_ONCE_INIT;
	struct detect_engine *de;
	double t0 = now_ms();

	pthread_once(&hs_alloc_once, hs_on_huge_pages);
	if (errlen)
		err[0] = '\0';
	de = calloc(1, sizeof(*de));
	if (!de)
		goto nomem;
	de->reject = reject;
	de->reject_ctx = ctx;
	de->rs = rs;
	de->serial = __atomic_add_fetch(&engine_serial, 1, __ATOMIC_RELAXED);
	de->nrules = rs->n;
	de->addr_min = addr_min;
	de->rules = calloc(rs->n ? rs->n : 1, sizeof(*de->rules));
	if (!de->rules)
		goto nomem;
	for (uint32_t i = 0; i < rs->n; i++) {
		de->rules[i].r = rs->rules[i];
		de->rules[i].fp = (int32_t)i;
	}
	qsort(de->rules, de->nrules, sizeof(*de->rules), cmp_rule_order);

	for (uint32_t i = 0; i < de->nrules; i++) {
		struct de_rule *dr = &de->rules[i];
		const struct rule *r = dr->r;
		uint32_t caps;

		dr->classes = rule_classes(r);
		dr->fp = detect_fast_pattern_select(r);
		dr->flags = 0;
		if (rule_is_iponly(r))
			dr->flags |= DR_F_IPONLY;
		if (rule_needs_flow(r))
			dr->flags |= DR_F_NEED_FLOW;
		if (r->nmatch)
			dr->flags |= DR_F_PAYLOAD;
		if (r->sp.any)
			dr->flags |= DR_F_SP_ANY;
		if (r->dp.any)
			dr->flags |= DR_F_DP_ANY;
		dr->app_dirs = 0;
		detect_app_rule_setup(dr);
		if (dr->fp >= 0)
			de->info.with_fast_pattern++;
		else
			de->info.without_fast_pattern++;
		caps = pcre_captures(r);
		if (caps > de->max_captures)
			de->max_captures = caps;
		if (r->flags & RULE_F_CAPTURE)
			de->captures = true;
	}
	de->info.rules = de->nrules;
	if (detect_tag_host_build(de) < 0)
		goto nomem;

	if (build_prefilter(de, err, errlen) < 0 || detect_pfport_build(de, err, errlen) < 0)
		goto fail;
	if (detect_pf_checks_build(de) < 0 || detect_pfpair_build(de) < 0)
		goto nomem;
	if (detect_addr_build(de) < 0 || build_always(de) < 0 || detect_group_build(de) < 0 ||
	    detect_addrset_build(de, DETECT_ADDR_SETS) < 0 || detect_hdrclass_build(de) < 0)
		goto nomem;
	if (detect_app_build(de, err, errlen) < 0)
		goto fail;
	if (detect_event_build(de) < 0)
		goto nomem;
	de->info.compile_ms = now_ms() - t0;
	de->reject = NULL;	/* the callback's context ends with the build */
	de->reject_ctx = NULL;
	return de;
nomem:
	snprintf(err, errlen, "out of memory building the detection engine");
fail:
	detect_engine_free(de);
	return NULL;
}

void detect_engine_free(struct detect_engine *de)
{
	if (!de)
		return;
	for (int c = 0; c < PC_MAX; c++)
		free(de->always[c]);
	detect_group_free(de);
	detect_addr_free(de);
	detect_addrset_free(de);
	detect_app_free(de);
	detect_event_free(de);
	detect_pfport_free(de);
	detect_pfpair_free(de);
	hs_free_scratch(de->scratch);
	for (int k = 0; k < PFK_MAX; k++)
		pat_db_free(&de->pf[k]);
	for (int k = 0; k < PFK_DIRECTED; k++)
		for (int d = 0; d < 2; d++)
			pat_db_free(&de->pf_dir[k][d]);
	free(de->tag_host);
	free(de->rules);
	free(de);
}

void detect_engine_info(const struct detect_engine *de, struct detect_engine_info *out)
{
	*out = de->info;
}

const struct hs_database *detect_engine_hs_database(const struct detect_engine *de)
{
	return de->pf[PFK_TCP_STREAM].db;
}
