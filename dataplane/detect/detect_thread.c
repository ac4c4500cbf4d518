/* SPDX-License-Identifier: MIT */
/* Per-worker detection: the prefilter scan, candidate merge, verification
 * in rule order, flowbits, thresholds and actions. No allocation, no lock. */
#include <stdlib.h>
#include <string.h>

#include "../../common/bug.h"
#include "../decode/packet-t.h"
#include "../decode/decode.h"
#include "detect-int.h"
#include "detect_profile-int.h"

/* struct flow.detect_flags: IP-only rules already run for this direction */
#define FLOW_DF_IPONLY_TS 0x01u
#define FLOW_DF_IPONLY_TC 0x02u

/* Suricata's default pcre limits (pcre.match-limit, match-limit-recursion). */
#define PCRE_MATCH_LIMIT 3500u
#define PCRE_DEPTH_LIMIT 1500u
/* and its JIT stack (util-pcre2 sizes): 32 KiB, growing to 512 KiB */
#define PCRE_JIT_STACK_MIN (32u * 1024)
#define PCRE_JIT_STACK_MAX (512u * 1024)

struct detect_thread *detect_thread_create(const struct detect_engine *de, int socket)
{
	const struct host_table_config own_hosts = {
		.memcap = DETECT_OWN_HOSTS_MEMCAP, .hash_size = DETECT_OWN_HOSTS_HASH_SIZE,
	};
	struct detect_thread *dt = calloc(1, sizeof(*dt));

	/* nothing of the thread's is big enough to place by node any more (the
	 * flowints went onto their flows) */
	(void)socket;
	if (!dt)
		return NULL;
	dt->de = de;
	if (de->scratch && hs_clone_scratch(de->scratch, &dt->scratch) != HS_SUCCESS)
		goto fail;
	dt->md = pcre2_match_data_create(de->max_captures + 1, NULL);
	dt->mctx = pcre2_match_context_create(NULL);
	dt->jit_stack = pcre2_jit_stack_create(PCRE_JIT_STACK_MIN, PCRE_JIT_STACK_MAX, NULL);
	if (!dt->md || !dt->mctx || !dt->jit_stack)
		goto fail;
	pcre2_jit_stack_assign(dt->mctx, NULL, dt->jit_stack);
	pcre2_set_match_limit(dt->mctx, PCRE_MATCH_LIMIT);
	pcre2_set_depth_limit(dt->mctx, PCRE_DEPTH_LIMIT);
	dt->cand = calloc(de->nrules ? de->nrules : 1, sizeof(uint32_t));
	dt->always_buf = calloc(de->nrules ? de->nrules : 1, sizeof(uint32_t));
	dt->b64 = malloc(DETECT_B64_OUT_MAX);
	dt->seen.n = de->max_npat ? de->max_npat : 1;
	dt->seen.stamp = calloc(dt->seen.n, sizeof(uint32_t));
	dt->memo = calloc(1, sizeof(*dt->memo));
	if (!dt->cand || !dt->always_buf || !dt->b64 || !dt->seen.stamp || !dt->memo)
		goto fail;
	dt->flow_thr = host_table_create(&own_hosts);
	dt->hosts_own = host_table_create(&own_hosts);
	dt->hosts = dt->hosts_own;
	if (!dt->flow_thr || !dt->hosts_own)
		goto fail;
	if (detect_app_thread_init(dt) < 0 || detect_capture_init(dt) < 0)
		goto fail;
	return dt;
fail:
	detect_thread_destroy(dt);
	return NULL;
}

void detect_thread_destroy(struct detect_thread *dt)
{
	if (!dt)
		return;
	detect_capture_fini(dt);
	detect_app_thread_fini(dt);
	host_table_destroy(dt->flow_thr);
	host_table_destroy(dt->hosts_own);
	free(dt->seen.stamp);
	free(dt->memo);
	free(dt->b64);
	free(dt->always_buf);
	free(dt->cand);
	pcre2_match_context_free(dt->mctx);
	pcre2_jit_stack_free(dt->jit_stack);
	pcre2_match_data_free(dt->md);
	hs_free_scratch(dt->scratch);
	free(dt);
}

void detect_thread_set_ips(struct detect_thread *dt, int ips)
{
	dt->ips = ips;
}

void detect_thread_share_hosts(struct detect_thread *dt, struct host_table *ht,
			       struct seq_gate *gate, unsigned id)
{
	dt->hosts = ht != NULL ? ht : dt->hosts_own;
	dt->gate = gate;
	dt->gate_id = id;
}

const struct detect_stats *detect_thread_stats(const struct detect_thread *dt)
{
	return &dt->stats;
}

const struct ruleset *detect_thread_ruleset(const struct detect_thread *dt)
{
	return dt->de->rs;
}

/* Hyperscan: pattern id -> its rules of this packet's class, but for those
 * whose header is known to fail the packet's flow direction. A pattern's
 * first hit only (pat_db_scan) and one fast pattern per rule: each rule is
 * added at most once per scan, and the prefilters scanned on one packet
 * hold disjoint rules. */
static int on_pattern(unsigned int id, unsigned long long from, unsigned long long to,
		      unsigned int flags, void *ctx)
{
	struct detect_thread *dt = ctx;
	const struct detect_engine *de = dt->de;
	const struct pat_db *db = dt->scan_db;

	(void)from;
	(void)to;
	(void)flags;
	dt->stats.mpm_matches++;
	for (uint32_t k = db->pat_first[id]; k < db->pat_first[id + 1]; k++) {
		uint32_t rank = db->pat_rules[k];

		if (detect_cand_ok(dt, &de->rules[rank])) {
			BUG_ON_HOT(dt->ncand >= de->nrules);
			dt->cand[dt->ncand++] = rank;
		}
	}
	return 0;
}

/* p's payload is due for db: it has patterns, p's length is within its
 * rules' (the shortest pattern, dsize), and its check lets p in. */
static bool payload_due(struct detect_thread *dt, const struct pat_db *db, const struct packet *p)
{
	if (pat_db_empty(db) || p->payload_len < db->minlen || p->payload_len > db->maxpayload)
		return false;
	if (db->check != NULL && !detect_pf_check_pass(dt->de, db->check, p, dt->pclass_bit,
								  dt->addr_memo)) {
		dt->stats.mpm_checked_out++;
		return false;
	}
	return true;
}

/* p's payload through db (due for it). */
static void scan_payload(struct detect_thread *dt, const struct pat_db *db, const struct packet *p)
{
	bool remembered;
	hs_error_t e;

	dt->scan_db = db;
	dt->stats.mpm_pkt_bytes += p->payload_len;
	e = pat_db_scan_memo(dt->memo, db, p->payload, p->payload_len, dt->scratch, &dt->seen,
			     on_pattern, dt, &remembered);
	if (remembered)
		dt->stats.mpm_remembered++;
	else
		dt->stats.mpm_scans++;
	if (e != HS_SUCCESS) {
		/* the database and scratch are ours: a failure is a bug */
		dt->stats.scan_errors++;
		BUG_ON_HOT(e != HS_SUCCESS);
	}
}

static void scan_if_due(struct detect_thread *dt, const struct pat_db *db, const struct packet *p)
{
	if (payload_due(dt, db, p))
		scan_payload(dt, db, p);
}

/* The family's two packet sets picked by pk: one call with both when p is
 * due for both and they have a database together (detect_pfpair.c). */
static void scan_packet_sets(struct detect_thread *dt, const struct pf_pick *pk,
			     enum pf_family fam, const struct packet *p)
{
	const struct pat_db *a = detect_pf_picked(dt->de, pk, pf_packet_kinds[fam][0]);
	const struct pat_db *b = detect_pf_picked(dt->de, pk, pf_packet_kinds[fam][1]);
	const bool due_a = payload_due(dt, a, p), due_b = payload_due(dt, b, p);
	const struct pat_db *both = due_a && due_b ? detect_pf_picked_both(pk) : NULL;

	if (both != NULL) {
		dt->stats.mpm_pkt_both++;
		scan_payload(dt, both, p);
		return;
	}
	if (due_a)
		scan_payload(dt, a, p);
	if (due_b)
		scan_payload(dt, b, p);
}

/* The packet's own payload against the prefilters of its class. A TCP
 * packet whose data went into the stream needs only the packet rules': the
 * stream rules see that data in the stream (detect_stream.c). */
static void prefilter(struct detect_thread *dt, const struct packet *p, enum pclass pc)
{
	const struct detect_engine *de = dt->de;
	struct pf_pick pk;

	dt->ncand = 0;
	/* a tunnel's carrier: its payload is the inner packet's, inspected there */
	if (p->payload_len == 0 || (p->flags & (PKT_F_TUNNEL_ROOT | PKT_F_NO_PAYLOAD)))
		return;
	switch (pc) {
	case PC_TCP4:
	case PC_TCP6:
		/* the port map's slot found once for the family's kinds */
		pk = detect_pf_pick(de, PFF_TCP, p);
		scan_packet_sets(dt, &pk, PFF_TCP, p);
		if (!(p->flags & PKT_F_STREAM_ADD))
			scan_if_due(dt, detect_pf_picked(de, &pk, PFK_TCP_STREAM), p);
		break;
	case PC_UDP4:
	case PC_UDP6:
		pk = detect_pf_pick(de, PFF_UDP, p);
		scan_packet_sets(dt, &pk, PFF_UDP, p);
		break;
	case PC_ICMP4:
	case PC_ICMP6:
		scan_if_due(dt, &de->pf[PFK_ICMP], p);
		break;
	default:
		scan_if_due(dt, &de->pf[PFK_OTHER], p);
		break;
	}
	detect_sort_ranks(dt->cand, dt->ncand);
	dt->stats.candidates += dt->ncand;
}

/* addr_known: p's addresses and ports are known to pass dr's header. */
static bool rule_matches(struct detect_thread *dt, const struct de_rule *dr,
			 const struct packet *p, bool addr_known)
{
	const struct rule *r = dr->r;

	if (r->decode_event != NULL && !detect_event_match(r, p))
		return false;
	if (addr_known ? !detect_match_header_rest(dr, p) :
	    !detect_match_header_memo(dt->de, dr, p, dt->addr_memo))
		return false;
	if ((dr->flags & DR_F_APP_PROTO) && !detect_app_proto_match(r, p->flow))
		return false;
	if (r->nflowbit && !detect_flowbits_check(r, p->flow))
		return false;
	if ((r->has & RULE_HAS_VARS) && !detect_vars_check(dt, r, p))
		return false;
	/* encrypted TLS data: rules on payload do not run (Suricata's mask) */
	if ((dr->flags & DR_F_PAYLOAD) &&
	    ((p->flags & PKT_F_NO_PAYLOAD) || !detect_inspect_hdr_buffers(dt, dr, p)))
		return false;
	/* a pseudo packet (flow end) carries stream data and the events its
	 * app layer raised at the end: of the rules without payload, only those
	 * that need events (Suricata's engine-event mask) can match it */
	if ((dr->flags & DR_F_PAYLOAD) ? !detect_payload_match(dt, dr, p) :
	    ((p->flags & PKT_F_PSEUDO) && !(r->has & RULE_HAS_PKTEVENT)))
		return false;
	return true;
}

/* Suricata's RuleActionToFlow: the first pass or drop set on a flow wins. */
static void action_to_flow(struct flow *f, enum rule_action act)
{
	if (f->flags & (FLOW_F_ACTION_PASS | FLOW_F_ACTION_DROP))
		return;
	if (act == RULE_ACT_PASS)
		f->flags |= FLOW_F_ACTION_PASS;
	else
		f->flags |= FLOW_F_ACTION_DROP;
}

/* When a pass or drop applies to the whole flow (PacketAlertFinalize):
 * IP-only rules, and matches Suricata makes on the TCP stream. A tcp (not
 * tcp-pkt) rule's payload match on a TCP packet whose data went into the
 * stream counts as one: inline, that data is inspected with the stream.
 * Data the stream refused (a SYN's without Fast Open, data before the
 * handshake) is matched on the packet alone, which drops or passes only
 * the packet (suricata-verify util-action-04). */
static bool action_applies_to_flow(const struct de_rule *dr, const struct packet *p,
				   bool stream_match)
{
	if (dr->flags & DR_F_IPONLY)
		return true;
	return (dr->flags & DR_F_PAYLOAD) && dr->r->proto == RULE_PROTO_TCP &&
	       p->proto == 6 && (stream_match || (p->flags & PKT_F_STREAM_ADD));
}

/* A rule matched: flowbits, threshold, action, alert. Returns true when a
 * pass rule ends the inspection of this packet. */
bool detect_rule_fired(struct detect_thread *dt, const struct de_rule *dr, struct packet *p,
		       struct detect_result *res)
{
	const struct rule *r = dr->r;
	struct detect_alert *a;
	enum thr_result thr;
	enum rule_action act;
	bool blocked = false;

	if (r->nflowbit)
		detect_flowbits_apply(dt, r, p->flow);
	if (r->has & RULE_HAS_VARS)
		detect_vars_apply(dt, r, p);
	thr = detect_threshold(dt, r, p);
	if (thr == THR_NO) {
		dt->stats.alerts_suppressed++;
		return false;
	}
	act = thr == THR_RATE ? r->threshold.new_action : r->action;
	switch (act) {
	case RULE_ACT_PASS:
		if (p->flow && action_applies_to_flow(dr, p, dt->stream_match))
			action_to_flow(p->flow, RULE_ACT_PASS);
		detect_alertq_pass(dt, res, r);
		return true;	/* pass rules do not alert */
	case RULE_ACT_DROP:
	case RULE_ACT_REJECT:
		if (!dt->ips)
			break;
		blocked = true;
		res->verdict = VERDICT_DROP;
		if (res->drop_rule == NULL) {
			res->drop_reason = DROP_REASON_RULES;
			res->drop_rule = r;
		}
		if (p->flow && action_applies_to_flow(dr, p, dt->stream_match))
			action_to_flow(p->flow, RULE_ACT_DROP);
		break;
	default:
		break;
	}
	if (thr == THR_SILENT) {
		dt->stats.alerts_suppressed++;
		return false;
	}
	if (r->flags & RULE_F_NOALERT) {
		dt->stats.alerts_suppressed++;	/* as Suricata counts noalert */
		return false;
	}
	a = detect_alertq_add(dt, res, r, dt->match_tx);
	if (a == NULL)
		return false;
	a->action = blocked ? ALERT_BLOCKED : ALERT_ALLOWED;
	a->stream = (dr->flags & DR_F_PAYLOAD) && dt->stream_match;
	a->flip = 0;
	a->reject = act == RULE_ACT_REJECT;
	return false;
}

void detect_packet(struct detect_thread *dt, struct packet *p, struct detect_result *res)
{
	detect_packet_stream(dt, p, NULL, res);
}

void detect_packet_stream(struct detect_thread *dt, struct packet *p,
			  const struct detect_stream *st, struct detect_result *res)
{
	const struct detect_engine *de = dt->de;
	struct flow *f = p->flow;
	enum pclass pc;
	struct detect_flow_group *fg;
	struct rank_list grp, extra;
	uint64_t failed;
	uint32_t ig = 0, ix = 0, ic = 0;
	bool iponly = true;

	res->verdict = VERDICT_ACCEPT;
	res->drop_reason = DROP_REASON_NONE;
	res->drop_rule = NULL;
	res->nalerts = 0;
	res->alerts_dropped = 0;
	dt->addr_memo = NULL;
	detect_capture_packet(dt, res);
	/* Rejected packets are seen by decode-event rules only, except a broken
	 * transport header under a valid IP header: IP-level rules see those
	 * too (as Suricata). */
	if (p->err != DECODE_OK && !decode_err_is_l4(p->err)) {
		detect_event_packet(dt, p, res);
		return;
	}
	if (p->ip_ver != 4 && p->ip_ver != 6)
		return;
	if (f) {
		uint8_t bit = p->dir == PKT_TO_SERVER ? FLOW_DF_IPONLY_TS : FLOW_DF_IPONLY_TC;

		if (f->flags & FLOW_F_ACTION_DROP) {
			res->verdict = VERDICT_DROP;
			res->drop_reason = DROP_REASON_FLOW;
			dt->stats.flow_dropped++;
			return;
		}
		if (f->flags & FLOW_F_ACTION_PASS) {
			dt->stats.flow_passed++;
			return;
		}
		/* IP-only rules: first packet of each direction only */
		iponly = !(f->detect_flags & bit);
		f->detect_flags |= bit;
	}

	pc = detect_pclass(p);
	dt->pclass_bit = (uint16_t)(1u << pc);
	dt->addr_memo = detect_addr_memo(de, p);
	dt->hdr_failed = detect_hdr_failed(dt->addr_memo, p);
	prefilter(dt, p, pc);
	dt->stream = st;
	detect_stream_prefilter(dt, p);
	fg = detect_group_rules_flow(dt, p, pc, iponly, &grp, &extra);
	/* the group's rules whose address test failed on this flow direction
	 * are passed over without a look (bits set during the loop are behind it) */
	failed = fg != NULL ? fg->hdr_known & ~fg->hdr_pass : 0;

	/* merge the three ascending lists (their ranks disjoint): evaluation in
	 * rule order */
	for (;;) {
		uint32_t c, g, x, i = 0, rank;
		bool from_pf = false, in_group = false, addr_known = false, matched;
		const struct de_rule *dr;
		uint64_t t0;

		if (ig < DETECT_FLOW_HDR_BITS)
			ig += (uint32_t)__builtin_ctzll(~(failed >> ig));
		c = ic < dt->ncand ? dt->cand[ic] : UINT32_MAX;
		g = ig < grp.n ? grp.r[ig] : UINT32_MAX;
		x = ix < extra.n ? extra.r[ix] : UINT32_MAX;
		if (c < g && c < x) {
			rank = c;
			ic++;
			from_pf = true;
		} else if (g < x) {
			rank = g;
			i = ig++;
			in_group = true;
		} else if (x != UINT32_MAX) {
			rank = x;
			ix++;
		} else {
			break;
		}
		dr = &de->rules[rank];
		if ((dr->flags & DR_F_IPONLY) && !iponly)
			continue;
		/* the flow direction's address test of its group's rules (not
		 * kept for a rule with Snort 3 services: the flow's protocol,
		 * which can stand for its ports, is found later) */
		if (in_group && fg != NULL && i < DETECT_FLOW_HDR_BITS && !dr->r->services) {
			uint64_t bit = 1ull << i;

			if (!(fg->hdr_known & bit)) {
				fg->hdr_known |= bit;
				if (detect_match_addr_ports_memo(de, dr, p, dt->addr_memo))
					fg->hdr_pass |= bit;
			}
			if (!(fg->hdr_pass & bit))
				continue;
			addr_known = true;
		}
		/* profiling.rules: timed and counted; off, one predictable branch */
		matched = __builtin_expect(dt->prof == NULL, 1) ? rule_matches(dt, dr, p, addr_known) :
			  (t0 = detect_profile_tsc(),
			   detect_profile_count(dt->prof, rank, t0,
						rule_matches(dt, dr, p, addr_known)));
		detect_capture_commit(dt, p, res);
		if (!matched)
			continue;
		if (from_pf)
			dt->stats.verified++;
		if (detect_rule_fired(dt, dr, p, res))
			return;
	}
	if (p->err != DECODE_OK && p->l4 == NULL && detect_event_l4_packet(dt, p, res))
		return;
	detect_app_packet(dt, p, res);
}
