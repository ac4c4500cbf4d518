/* SPDX-License-Identifier: MIT */
/* Header keywords on the decoded packet, as Suricata matches them: each
 * needs its header (flags/ack/seq/window/tcp.mss: TCP; id/fragbits/tos/
 * ipopts: IPv4; icmp_id/icmp_seq: an ICMP message that carries them) and
 * fails without it.
 * - flags: bits compared after the mask: exact, + all of these, * any of
 *   these, ! not all of these (DetectFlagsMatch).
 * - fragbits: the same, except + also wants a bit beyond the listed ones.
 * - fragoffset: IPv4 in 8-byte units as on the wire; IPv6 in bytes, and
 *   only with a Fragment header.
 * - stream_size: each side's sequence space used (next_seq - isn), as
 *   Suricata's TcpSession gives it; midstream pickups: the byte counters.
 * - flow.age, flow.pkts*, flow.bytes*: the flow's counters as the flow
 *   stage left them for this packet (it counted it already); no flow, no
 *   match (detect-flow-age.c, detect-flow-pkts.c).
 * - icmpv6.mtu: only an ICMPv6 Packet Too Big of code 0 carries one. */
#include <string.h>

#include "../decode/packet-t.h"
#include "../flow/flow-t.h"
#include "detect-int.h"

/* fragbits letters as the parser stores them */
#define FB_M 0x1
#define FB_D 0x2
#define FB_R 0x4

static bool bits_match(const struct rule_bits *b, uint8_t have, bool plus_wants_more)
{
	uint8_t f = have & (uint8_t)~b->ignore;

	switch (b->mode) {
	case BITS_PLUS:
		return (f & b->bits) == b->bits && (!plus_wants_more || f != b->bits);
	case BITS_ANY:
		return (f & b->bits) != 0;
	case BITS_NOT:
		return (f & b->bits) != b->bits;
	default:
		return f == b->bits;
	}
}

static bool is_tcp(const struct packet *p)
{
	return p->proto == 6 && p->l4 != NULL;
}

static uint8_t ipv4_fragbits(const struct packet *p)
{
	uint8_t hi = p->l3[6];

	return (uint8_t)((hi & 0x80 ? FB_R : 0) | (hi & 0x40 ? FB_D : 0) | (hi & 0x20 ? FB_M : 0));
}

/* ICMP messages with identifier and sequence fields (RFC 792, RFC 4443):
 * echo, timestamp, information and address mask request/reply. */
static bool icmp_has_id(const struct packet *p)
{
	if (!p->l4 || p->l4_len < 8)
		return false;
	if (p->ip_ver == 4 && p->proto == 1)
		return p->icmp.type == 0 || p->icmp.type == 8 ||
		       (p->icmp.type >= 13 && p->icmp.type <= 18);
	if (p->ip_ver == 6 && p->proto == 58)
		return p->icmp.type == 128 || p->icmp.type == 129;
	return false;
}

/* Each side's stream size as Suricata 7's DetectStreamSizeMatchAux: the
 * sequence space it has used, next_seq - isn (its SYN and an in-order
 * packet's data counted once the flow stage took them, as Suricata's
 * stream engine runs before detection). No session (a TCP packet Suricata
 * would not track), no match. A midstream pickup has no ISN here: the
 * flow's byte counters per direction stand for its sides' sizes. */
static bool stream_size_match(const struct rule_stream_size *ss, const struct packet *p)
{
	const struct flow *f = p->flow;
	uint64_t cli, srv;
	bool c, s;

	if (!is_tcp(p) || !f || f->tcp_state == TCP_ST_NONE)
		return false;
	if (f->flags & FLOW_F_MIDSTREAM) {
		cli = f->bytes[PKT_TO_SERVER];
		srv = f->bytes[PKT_TO_CLIENT];
	} else {
		cli = (uint32_t)(f->seq.side[0].next_seq - f->isn[0]);
		srv = (uint32_t)(f->seq.side[1].next_seq - f->isn[1]);
	}
	c = detect_match_u32(&ss->cmp, cli > UINT32_MAX ? UINT32_MAX : (uint32_t)cli);
	s = detect_match_u32(&ss->cmp, srv > UINT32_MAX ? UINT32_MAX : (uint32_t)srv);
	switch (ss->side) {
	case SS_SERVER:
		return s;
	case SS_CLIENT:
		return c;
	case SS_BOTH:
		return c && s;
	default:
		return c || s;
	}
}

static uint32_t sat_u32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

#define HAS_FLOW_KW (RULE_HAS_FLOWAGE | RULE_HAS_FLOWPKTS_TS | RULE_HAS_FLOWPKTS_TC | \
		     RULE_HAS_FLOWBYTES_TS | RULE_HAS_FLOWBYTES_TC | RULE_HAS_FLOWEITHER)

/* flow.pkts / flow.bytes:either: one direction's counter suffices. */
static bool either_match(const struct u32_cmp *c, const uint64_t v[2])
{
	return detect_match_u32(c, sat_u32(v[PKT_TO_SERVER])) ||
	       detect_match_u32(c, sat_u32(v[PKT_TO_CLIENT]));
}

static bool flow_counter_tests(const struct rule *r, const struct flow *f)
{
	static const uint32_t pkts_bit[2] = { RULE_HAS_FLOWPKTS_TS, RULE_HAS_FLOWPKTS_TC };
	static const uint32_t bytes_bit[2] = { RULE_HAS_FLOWBYTES_TS, RULE_HAS_FLOWBYTES_TC };
	const uint32_t h = r->has;

	if (f == NULL)
		return false;
	/* whole seconds of each timestamp, as Suricata's SCTIME_SECS difference */
	if ((h & RULE_HAS_FLOWAGE) &&
	    !detect_match_u32(&r->flow_age, sat_u32(f->last_ts_us / 1000000u -
						     f->first_ts_us / 1000000u)))
		return false;
	for (unsigned d = PKT_TO_SERVER; d <= PKT_TO_CLIENT; d++) {
		if ((h & pkts_bit[d]) && !detect_match_u32(&r->flow_pkts[d], sat_u32(f->pkts[d])))
			return false;
		if ((h & bytes_bit[d]) &&
		    !detect_match_u32(&r->flow_bytes[d], sat_u32(f->bytes[d])))
			return false;
	}
	if ((h & RULE_HAS_FLOWEITHER) &&
	    (((r->flow_either & 1) && !either_match(&r->flow_pkts_either, f->pkts)) ||
	     ((r->flow_either & 2) && !either_match(&r->flow_bytes_either, f->bytes))))
		return false;
	return true;
}

static bool icmpv6_mtu_test(const struct rule *r, const struct packet *p)
{
	const uint8_t *m;

	if ((p->flags & PKT_F_PSEUDO) || p->ip_ver != 6 || p->proto != 58 || !p->l4 ||
	    p->l4_len < 8 || p->icmp.type != 2 || p->icmp.code != 0)
		return false;
	m = p->l4 + 4;
	return detect_match_u32(&r->icmpv6mtu, (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
						(uint32_t)m[2] << 8 | m[3]);
}

static bool tcp_tests(const struct rule *r, const struct packet *p)
{
	const uint32_t h = r->has;

	if (!is_tcp(p))
		return false;
	if ((h & RULE_HAS_TCPFLAGS) && !bits_match(&r->tcpflags, p->tcp.flags, false))
		return false;
	if ((h & RULE_HAS_ACK) && !detect_match_u32(&r->ack, p->tcp.ack))
		return false;
	if ((h & RULE_HAS_SEQ) && !detect_match_u32(&r->seq, p->tcp.seq))
		return false;
	if ((h & RULE_HAS_WINDOW) && !detect_match_u32(&r->window, p->tcp.win))
		return false;
	if ((h & RULE_HAS_TCPMSS) &&
	    (!(p->flags & PKT_F_TCP_MSS) || !detect_match_u32(&r->tcpmss, p->tcp.mss)))
		return false;
	return true;
}

static bool ipv4_tests(const struct rule *r, const struct packet *p)
{
	const uint32_t h = r->has;

	if (p->ip_ver != 4 || !p->l3)
		return false;
	if ((h & RULE_HAS_IPID) && !detect_match_u32(&r->ipid, p->ip_id))
		return false;
	if ((h & RULE_HAS_FRAGBITS) && !bits_match(&r->fragbits, ipv4_fragbits(p), true))
		return false;
	if ((h & RULE_HAS_TOS) && !detect_match_u32(&r->tos, p->tos))
		return false;
	if (h & RULE_HAS_IPOPTS) {
		if (r->ipopts == 0xffff ? p->ipv4_opts == 0 : !(p->ipv4_opts & r->ipopts))
			return false;
	}
	return true;
}

#define HAS_TCP_KW  (RULE_HAS_TCPFLAGS | RULE_HAS_ACK | RULE_HAS_SEQ | RULE_HAS_WINDOW | \
		     RULE_HAS_TCPMSS)
#define HAS_IPV4_KW (RULE_HAS_IPID | RULE_HAS_FRAGBITS | RULE_HAS_TOS | RULE_HAS_IPOPTS)

/* The packet carries every event the rule names. */
static bool events_match(const struct rule *r, const struct packet *p)
{
	for (unsigned i = 0; i < PKT_EVENT_WORDS; i++)
		if ((p->events.w[i] & r->pkt_events.w[i]) != r->pkt_events.w[i])
			return false;
	return true;
}

/* As Suricata's <layer>-csum: a packet of another layer never matches;
 * with validation off (-k none) a checksum counts as valid. */
static bool csum_one(enum rule_csum k, bool want_valid, const struct packet *p)
{
	static const struct {
		uint8_t ver, proto; /* proto 0: the IPv4 header itself */
	} layer[CSUM_MAX] = {
		[CSUM_IPV4] = { 4, 0 }, [CSUM_TCPV4] = { 4, 6 }, [CSUM_TCPV6] = { 6, 6 },
		[CSUM_UDPV4] = { 4, 17 }, [CSUM_UDPV6] = { 6, 17 }, [CSUM_ICMPV4] = { 4, 1 },
		[CSUM_ICMPV6] = { 6, 58 },
	};
	bool bad;

	if ((p->flags & PKT_F_PSEUDO) || p->ip_ver != layer[k].ver)
		return false;
	if (layer[k].proto != 0 && (p->proto != layer[k].proto || p->l4 == NULL))
		return false;
	if (!(p->csum & PKT_CSUM_CHECKED))
		return want_valid;
	bad = (p->csum & (layer[k].proto ? PKT_CSUM_L4_BAD : PKT_CSUM_L3_BAD)) != 0;
	return bad != want_valid;
}

static bool csum_match(const struct rule *r, const struct packet *p)
{
	for (unsigned k = 0; k < CSUM_MAX; k++)
		if ((r->csum_check & (1u << k)) &&
		    !csum_one((enum rule_csum)k, (r->csum_valid >> k) & 1u, p))
			return false;
	return true;
}

bool detect_match_pktkw(const struct rule *r, const struct packet *p)
{
	const uint32_t h = r->has;

	if ((h & RULE_HAS_PKTEVENT) && !events_match(r, p))
		return false;
	if ((h & RULE_HAS_CSUM) && !csum_match(r, p))
		return false;

	if ((h & HAS_TCP_KW) && !tcp_tests(r, p))
		return false;
	if ((h & HAS_IPV4_KW) && !ipv4_tests(r, p))
		return false;
	if (h & RULE_HAS_FRAGOFF) {
		uint32_t off;

		if (p->ip_ver == 4)
			off = p->frag_off / 8u;
		else if (p->flags & PKT_F_IPV6_FRAG)
			off = p->frag_off;
		else
			return false;
		if (!detect_match_u32(&r->fragoff, off))
			return false;
	}
	if ((h & RULE_HAS_SAMEIP) &&
	    memcmp(p->src.b, p->dst.b, p->ip_ver == 6 ? 16 : 4) != 0)
		return false;
	if ((h & RULE_HAS_STREAMSIZE) && !stream_size_match(&r->stream_size, p))
		return false;
	if ((h & HAS_FLOW_KW) && !flow_counter_tests(r, p->flow))
		return false;
	if ((h & RULE_HAS_ICMPV6MTU) && !icmpv6_mtu_test(r, p))
		return false;
	if (h & (RULE_HAS_ICMPID | RULE_HAS_ICMPSEQ)) {
		if (!icmp_has_id(p))
			return false;
		if ((h & RULE_HAS_ICMPID) &&
		    !detect_match_u32(&r->icmpid, (uint32_t)(p->l4[4] << 8 | p->l4[5])))
			return false;
		if ((h & RULE_HAS_ICMPSEQ) &&
		    !detect_match_u32(&r->icmpseq, (uint32_t)(p->l4[6] << 8 | p->l4[7])))
			return false;
	}
	return true;
}
