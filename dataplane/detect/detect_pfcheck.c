/* SPDX-License-Identifier: MIT */
/* (added) A packet prefilter set asked first whether any of its rules can
 * match the packet at all. Some sets hold a few rules, each with a test of
 * the packet or its flow that verification makes before it looks at the
 * payload: ET Open's to-client TCP packet set on port 80 is three rules
 * with stream_size:client,<,5 (raw downloads without a request) and one
 * with a flowbit only a to-server rule sets, and it was scanned over every
 * byte of every HTTP response (7 % of bench-http's Hyperscan time); it
 * also holds a dsize:>1300 rule to DNS servers, which only its port test
 * rules out on a full-size segment. When none of a
 * set's rules passes its header (detect_match_header_memo: flow, packet
 * tests, ports, addresses) and its flowbit tests, no candidate of the set
 * could match, so the scan is left out: what is detected stays the same.
 *
 * A flowbit test is asked only when no packet rule that can run in the
 * rule's own directions sets, unsets or toggles one of its bits: the bits
 * then cannot change between this check and the rule's verification on the
 * same packet. App-layer rules run after the packet rules (detect_app_packet)
 * and never on these sets' candidates, so they change nothing here. */
#include <errno.h>
#include <stdlib.h>

#include "../decode/packet-t.h"
#include "detect-int.h"

/* Tests that packet_tests() makes and that often fail: a rule with none of
 * them (and no stable flowbit test) leaves its set unchecked. */
#define CHECKED_TESTS (RULE_HAS_DSIZE | RULE_HAS_TTL | RULE_HAS_ITYPE | RULE_HAS_ICODE | \
		       RULE_HAS_IPPROTO | RULE_HAS_PKTKW)

/* The directions (bit per enum pkt_dir) a packet rule can match in: its
 * flow keyword is tested against the packet (detect_match_header_rest). */
static uint8_t packet_dirs(const struct rule *r)
{
	if (r->flow_flags & RULE_FLOW_TOSERVER)
		return 1u << PKT_TO_SERVER;
	if (r->flow_flags & RULE_FLOW_TOCLIENT)
		return 1u << PKT_TO_CLIENT;
	return 1u << PKT_TO_SERVER | 1u << PKT_TO_CLIENT;
}

static bool is_test(enum flowbit_op op)
{
	return op == FB_ISSET || op == FB_ISNOTSET;
}

static bool is_change(enum flowbit_op op)
{
	return op == FB_SET || op == FB_UNSET || op == FB_TOGGLE;
}

/* By flowbit id: the directions of the packet rules that change it. */
static uint8_t *changed_dirs(const struct detect_engine *de)
{
	const uint32_t nid = de->rs->flowbits.n;
	uint8_t *ch = calloc(nid ? nid : 1, 1);

	if (ch == NULL)
		return NULL;
	for (uint32_t i = 0; i < de->nrules; i++) {
		const struct de_rule *dr = &de->rules[i];
		const struct rule *r = dr->r;

		/* app-layer rules (no packet class) run after the packet rules */
		if (dr->classes == 0)
			continue;
		for (uint32_t k = 0; k < r->nflowbit; k++) {
			if (!is_change(r->flowbit[k].op))
				continue;
			for (uint16_t j = 0; j < r->flowbit[k].n; j++)
				if (r->flowbit[k].ids[j] < nid)
					ch[r->flowbit[k].ids[j]] |= packet_dirs(r);
		}
	}
	return ch;
}

/* r's flowbit tests cannot change while a packet is inspected; false
 * without any. */
static bool bits_stable(const struct rule *r, const uint8_t *changed, uint32_t nid)
{
	const uint8_t dirs = packet_dirs(r);
	bool any = false;

	for (uint32_t k = 0; k < r->nflowbit; k++) {
		const struct rule_flowbit *fb = &r->flowbit[k];

		if (!is_test(fb->op))
			continue;
		for (uint16_t j = 0; j < fb->n; j++)
			if (fb->ids[j] >= nid || (changed[fb->ids[j]] & dirs))
				return false;
		any = true;
	}
	return any;
}

static bool listed(const struct pf_check *c, uint32_t rank)
{
	for (uint32_t i = 0; i < c->n; i++)
		if (c->rank[i] == rank)
			return true;
	return false;
}

/* db's check, or none when one of its rules has no test to ask or it has
 * more than DETECT_PF_CHECK_MAX rules. 0 or -ENOMEM. */
static int check_one(const struct detect_engine *de, struct pat_db *db, const uint8_t *changed)
{
	const uint32_t nid = de->rs->flowbits.n;
	struct pf_check c = { 0 };

	if (pat_db_empty(db) || db->check != NULL)
		return 0;
	for (uint32_t k = 0; k < db->pat_first[db->npat]; k++) {
		const uint32_t rank = db->pat_rules[k];
		const struct rule *r = de->rules[rank].r;
		bool bits;

		if (listed(&c, rank))
			continue;
		if (c.n == DETECT_PF_CHECK_MAX)
			return 0;
		bits = bits_stable(r, changed, nid);
		if (!bits && !(r->has & CHECKED_TESTS))
			return 0;
		c.bits[c.n] = bits;
		c.rank[c.n++] = rank;
	}
	db->check = malloc(sizeof(c));
	if (db->check == NULL)
		return -ENOMEM;
	*db->check = c;
	return 0;
}

int detect_pf_checks_build(struct detect_engine *de)
{
	uint8_t *changed = changed_dirs(de);
	int ret = 0;

	if (changed == NULL)
		return -ENOMEM;
	/* the stream sets are large: their rules go past the bound */
	for (unsigned k = 0; k < PFK_MAX && ret == 0; k++)
		ret = check_one(de, &de->pf[k], changed);
	for (unsigned k = 0; k < PFK_DIRECTED && ret == 0; k++)
		for (unsigned d = 0; d < 2 && ret == 0; d++)
			ret = check_one(de, &de->pf_dir[k][d], changed);
	for (uint32_t i = 0; i < de->npf_grp && ret == 0; i++)
		ret = check_one(de, &de->pf_grp[i], changed);
	free(changed);
	return ret;
}

bool detect_pf_check_pass(const struct detect_engine *de, const struct pf_check *c,
			  const struct packet *p, uint16_t pclass_bit, struct detect_flow_addr *memo)
{
	for (uint32_t i = 0; i < c->n; i++) {
		const struct de_rule *dr = &de->rules[c->rank[i]];

		if (!(dr->classes & pclass_bit) || !detect_match_header_memo(de, dr, p, memo))
			continue;
		if (c->bits[i] && p->flow != NULL && !detect_flowbits_check(dr->r, p->flow))
			continue;
		return true;
	}
	return false;
}
