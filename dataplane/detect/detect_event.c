/* SPDX-License-Identifier: MIT */
/* decode-event rules: they match packets the decoder rejected, by the
 * reason's Suricata name. A packet broken below the transport header gets
 * no other inspection (its addresses cannot be trusted), so these rules
 * have their own list, run alone on it; a broken transport header goes
 * through the ordinary path, where detect_event_match() is one more test. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../decode/decode.h"
#include "detect-int.h"

bool detect_event_match(const struct rule *r, const struct packet *p)
{
	const char *fe;

	if (p->err != DECODE_OK && strcmp(decode_err_name(p->err), r->decode_event) == 0)
		return true;
	/* a fragment the decoder accepted but reassembly objected to */
	fe = decode_frag_ev_name(p->ip_ver, p->frag_ev);
	if (fe != NULL && strcmp(fe, r->decode_event) == 0)
		return true;
	/* (added) the events raised on the way, rejected packet or not */
	for (uint64_t bits = p->dec_ev; bits != 0; bits &= bits - 1)
		if (strcmp(decode_ev_name((enum decode_ev)__builtin_ctzll(bits)),
			   r->decode_event) == 0)
			return true;
	return false;
}

int detect_event_build(struct detect_engine *de)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < de->nrules; i++)
		if (de->rules[i].r->decode_event != NULL)
			n++;
	de->nevent = 0;
	de->event_rules = NULL;
	if (n == 0)
		return 0;
	de->event_rules = malloc(n * sizeof(*de->event_rules));
	if (de->event_rules == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < de->nrules; i++)
		if (de->rules[i].r->decode_event != NULL)
			de->event_rules[de->nevent++] = i;
	return 0;
}

void detect_event_free(struct detect_engine *de)
{
	free(de->event_rules);
	de->event_rules = NULL;
	de->nevent = 0;
}

/* A packet rejected below L4 has no trustworthy addresses, ports or
 * payload: only a rule that asks for none of them can match it, and an
 * ipv4/ipv6 header protocol only if the decoder got that far. */
static bool rejected_header_ok(const struct de_rule *dr, const struct packet *p)
{
	const struct rule *r = dr->r;

	if (r->proto != RULE_PROTO_IP || (dr->flags & DR_F_PAYLOAD) ||
	    !r->src.any || !r->dst.any || !r->sp.any || !r->dp.any || r->flow_flags != 0 ||
	    r->nflowbit != 0 || (r->has & ~(uint32_t)RULE_HAS_IPPROTO) != 0)
		return false;
	if ((r->flags & RULE_F_IPV4_ONLY) && p->ip_ver != 4)
		return false;
	if ((r->flags & RULE_F_IPV6_ONLY) && p->ip_ver != 6)
		return false;
	if ((r->has & RULE_HAS_IPPROTO) &&
	    (p->ip_ver == 0 || (p->proto == r->ip_proto) == r->ip_proto_neg))
		return false;
	return true;
}

/* A transport header too short or malformed to read: Suricata 7 leaves the
 * packet's protocol unset and inspects it against its decoder-event rules of
 * every protocol (SigMatchSignaturesGetSgh's decoder_event_sgh), so `alert
 * tcp ... decode-event:tcp.pkt_too_small` fires on it; their addresses are
 * checked, ports only when `any` (no port was read). The ip rules among them
 * had their turn on the ordinary path. */
bool detect_event_l4_packet(struct detect_thread *dt, struct packet *p,
			    struct detect_result *res)
{
	const struct detect_engine *de = dt->de;

	for (uint32_t i = 0; i < de->nevent; i++) {
		const struct de_rule *dr = &de->rules[de->event_rules[i]];
		const struct rule *r = dr->r;

		if (r->proto == RULE_PROTO_IP || r->proto == RULE_PROTO_TCP_STREAM ||
		    (dr->flags & DR_F_PAYLOAD) || !r->sp.any || !r->dp.any)
			continue;
		if ((r->flags & RULE_F_IPV4_ONLY) && p->ip_ver != 4)
			continue;
		if ((r->flags & RULE_F_IPV6_ONLY) && p->ip_ver != 6)
			continue;
		if (!detect_event_match(r, p) || !detect_match_header(dr, p))
			continue;
		if (detect_rule_fired(dt, dr, p, res))
			return true;
	}
	return false;
}

void detect_event_packet(struct detect_thread *dt, struct packet *p, struct detect_result *res)
{
	const struct detect_engine *de = dt->de;

	for (uint32_t i = 0; i < de->nevent; i++) {
		const struct de_rule *dr = &de->rules[de->event_rules[i]];

		if (!detect_event_match(dr->r, p) || !rejected_header_ok(dr, p))
			continue;
		if (detect_rule_fired(dt, dr, p, res))
			return;
	}
}
