/* SPDX-License-Identifier: MIT */
/* Rule header (addresses, ports, direction) and the packet keywords that
 * need no payload: dsize, ttl, itype, icode, ip_proto, flow. */
#include <endian.h>
#include <string.h>

#include "../decode/packet-t.h"
#include "detect-int.h"

#define IPPROTO_TCP_  6
#define IPPROTO_UDP_  17
#define IPPROTO_ICMP_ 1
#define IPPROTO_ICMPV6_ 58
#define IPPROTO_SCTP_ 132

enum pclass detect_pclass(const struct packet *p)
{
	bool v6 = p->ip_ver == 6;

	/* Without its transport header (a later fragment, a broken header) a
	 * packet is plain IP: tcp/udp/icmp rules need the header to match.
	 * Stream pseudo packets carry no frame but stand for their flow. */
	if (p->l4 == NULL && !(p->flags & PKT_F_PSEUDO))
		return v6 ? PC_OTHER6 : PC_OTHER4;
	switch (p->proto) {
	case IPPROTO_TCP_:
		return v6 ? PC_TCP6 : PC_TCP4;
	case IPPROTO_UDP_:
		return v6 ? PC_UDP6 : PC_UDP4;
	case IPPROTO_ICMP_:
		return v6 ? PC_OTHER6 : PC_ICMP4;
	case IPPROTO_ICMPV6_:
		return v6 ? PC_ICMP6 : PC_OTHER4;
	default:
		return v6 ? PC_OTHER6 : PC_OTHER4;
	}
}

/* An address as an integer pair: network order compares as big-endian
 * numbers, so the search does two integer compares per step instead of
 * memcmp calls (the header test of every always-checked rule runs this). */
struct addr_key {
	uint64_t hi, lo;
};

static inline struct addr_key addr_key(const union ip_addr *a, bool v4)
{
	struct addr_key k;
	uint64_t h, l;

	if (v4)
		return (struct addr_key){ .hi = be32toh(a->w[0]), .lo = 0 };
	memcpy(&h, a->b, 8);
	memcpy(&l, a->b + 8, 8);
	k.hi = be64toh(h);
	k.lo = be64toh(l);
	return k;
}

static inline bool key_lt(struct addr_key x, struct addr_key y)
{
	return x.hi < y.hi || (x.hi == y.hi && x.lo < y.lo);
}

/* Binary search of the sorted, disjoint ranges. */
bool detect_addr_in(const struct addr_set *s, const union ip_addr *a, uint8_t ip_ver)
{
	const struct addr_range *r;
	struct addr_key k;
	uint32_t lo = 0, hi;
	bool v4 = ip_ver == 4;

	if (s->any)
		return true;
	r = v4 ? s->v4 : s->v6;
	hi = v4 ? s->n4 : s->n6;
	k = addr_key(a, v4);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (key_lt(k, addr_key(&r[mid].lo, v4)))
			hi = mid;
		else if (key_lt(addr_key(&r[mid].hi, v4), k))
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

static inline bool port_in(const struct port_set *s, uint16_t port)
{
	uint32_t lo = 0, hi = s->n;

	if (s->any)
		return true;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (port < s->r[mid].lo)
			hi = mid;
		else if (port > s->r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* Ports as Suricata checks them: only TCP, UDP and SCTP have them; a
 * fragment has none to trust; a rule with a port set on another protocol
 * never matches. (added) A Snort 3 rule's services stand for its ports on
 * a flow of one of them. */
static inline __attribute__((always_inline)) bool
ports_match(const struct de_rule *dr, const struct packet *p, uint16_t sp, uint16_t dp)
{
	const struct rule *r = dr->r;
	bool any = (dr->flags & (DR_F_SP_ANY | DR_F_DP_ANY)) == (DR_F_SP_ANY | DR_F_DP_ANY);

	if (r->services && detect_service_match(r, p->flow))
		return true;
	if (p->proto != IPPROTO_TCP_ && p->proto != IPPROTO_UDP_ && p->proto != IPPROTO_SCTP_)
		return any;
	if (any)
		return true;
	if (p->flags & (PKT_F_IPV4_FRAG | PKT_F_IPV6_FRAG))
		return false;
	return port_in(&r->sp, sp) && port_in(&r->dp, dp);
}

/* Whether s holds a, searched, or answered from the flow's memo m (NULL:
 * none) when s is numbered set id: ep is which of the flow's addresses a
 * is (struct detect_flow_addr), searched once per flow. */
static inline bool addr_in(const struct addr_set *s, uint8_t id, const union ip_addr *a,
			   uint8_t ip_ver, struct detect_flow_addr *m, unsigned ep)
{
	uint16_t bit;

	if (s->any)
		return true;
	if (m == NULL || id == DETECT_ADDR_SET_NONE)
		return detect_addr_in(s, a, ip_ver);
	bit = (uint16_t)(1u << id);
	if (!(m->known[ep] & bit)) {
		m->known[ep] |= bit;
		if (detect_addr_in(s, a, ip_ver))
			m->in[ep] |= bit;
	}
	return (m->in[ep] & bit) != 0;
}

/* src is the flow's address ep (with m), dst the other one. The header
 * test of a candidate is a chain of small steps: inlined into one function
 * (detect_match_header_memo), their calls' entries and exits were a third
 * of its instructions. */
static inline __attribute__((always_inline)) bool dir_match(const struct de_rule *dr, struct de_addr_ids ids, const struct packet *p,
		      const union ip_addr *src, const union ip_addr *dst, uint16_t sp, uint16_t dp,
		      struct detect_flow_addr *m, unsigned ep)
{
	const struct rule *r = dr->r;

	/* ports first: a compare or two, where an address list is a search
	 * (EXTERNAL_NET, HOME_NET) */
	return ports_match(dr, p, sp, dp) && addr_in(&r->src, ids.src, src, p->ip_ver, m, ep) &&
	       addr_in(&r->dst, ids.dst, dst, p->ip_ver, m, ep ^ 1u);
}

bool detect_match_u32(const struct u32_cmp *c, uint32_t v)
{
	switch (c->op) {
	case U32_EQ:
		return v == c->a;
	case U32_NE:
		return v != c->a;
	case U32_LT:
		return v < c->a;
	case U32_LE:
		return v <= c->a;
	case U32_GT:
		return v > c->a;
	case U32_GE:
		return v >= c->a;
	case U32_RANGE:
		return v > c->a && v < c->b;
	}
	return false;
}

static bool is_icmp(const struct packet *p)
{
	return (p->ip_ver == 4 && p->proto == IPPROTO_ICMP_) ||
	       (p->ip_ver == 6 && p->proto == IPPROTO_ICMPV6_);
}

static inline bool packet_tests(const struct rule *r, const struct packet *p)
{
	if (!r->has)
		return true;
	/* dsize: the packet's own payload (a pseudo packet has none, Suricata) */
	if ((r->has & RULE_HAS_DSIZE) &&
	    ((p->flags & PKT_F_PSEUDO) || !detect_match_u32(&r->dsize, p->payload_len)))
		return false;
	if ((r->has & RULE_HAS_TTL) && !detect_match_u32(&r->ttl, p->ttl))
		return false;
	if ((r->has & (RULE_HAS_ITYPE | RULE_HAS_ICODE)) && !is_icmp(p))
		return false;
	if ((r->has & RULE_HAS_ITYPE) && !detect_match_u32(&r->itype, p->icmp.type))
		return false;
	if ((r->has & RULE_HAS_ICODE) && !detect_match_u32(&r->icode, p->icmp.code))
		return false;
	if ((r->has & RULE_HAS_IPPROTO) && ((p->proto == r->ip_proto) == r->ip_proto_neg))
		return false;
	if ((r->has & RULE_HAS_PKTKW) && !detect_match_pktkw(r, p))
		return false;
	return true;
}

/* flow keyword against the flow stage's per-packet snapshot. Without a flow
 * only "stateless" can hold. */
static inline bool flow_keyword(const struct rule *r, const struct packet *p)
{
	uint32_t ff = r->flow_flags;

	if (!ff || ff == RULE_FLOW_STATELESS)
		return true;
	if (!p->flow)
		return false;
	if ((ff & RULE_FLOW_TOSERVER) && !(p->flow_flags & PKT_FLOW_TOSERVER))
		return false;
	if ((ff & RULE_FLOW_TOCLIENT) && !(p->flow_flags & PKT_FLOW_TOCLIENT))
		return false;
	if ((ff & RULE_FLOW_ESTABLISHED) && !(p->flow_flags & PKT_FLOW_ESTABLISHED))
		return false;
	if ((ff & RULE_FLOW_NOT_ESTABLISHED) && (p->flow_flags & PKT_FLOW_ESTABLISHED))
		return false;
	/* only_stream is no test of the packet (Suricata's FlowMatch does not
	 * count it): detect_stream.c keeps such a rule to the reassembled
	 * stream, inspected on whichever packet the stream is (its peer's ack,
	 * a FIN, the flow's end). no_stream: never the flow-end flush. */
	if ((ff & RULE_FLOW_NO_STREAM) && (p->flags & PKT_F_PSEUDO))
		return false;
	return true;
}

static inline __attribute__((always_inline)) bool
addr_ports(const struct de_rule *dr, struct de_addr_ids ids, const struct packet *p,
	   struct detect_flow_addr *m)
{
	/* with a memo, p has a direction: its source is the flow's address p->dir */
	unsigned ep = m != NULL ? p->dir : 0;

	return dir_match(dr, ids, p, &p->src, &p->dst, p->sp, p->dp, m, ep) ||
	       ((dr->r->flags & RULE_F_BIDIR) &&
		dir_match(dr, ids, p, &p->dst, &p->src, p->dp, p->sp, m, ep ^ 1u));
}

static const struct de_addr_ids no_ids = { DETECT_ADDR_SET_NONE, DETECT_ADDR_SET_NONE };

bool detect_match_addr_ports(const struct de_rule *dr, const struct packet *p)
{
	return addr_ports(dr, no_ids, p, NULL);
}

/* The rule's address set numbers, for the memo m (NULL: none to use). */
static inline struct de_addr_ids memo_ids(const struct detect_engine *de, const struct de_rule *dr,
					  const struct detect_flow_addr *m)
{
	return m != NULL ? de->addr_ids[dr - de->rules] : no_ids;
}

/* addr_ports with the memo m (not NULL), answered from its bits of p's
 * direction when dr's header has a number (a fragment's ports are not the
 * flow's: tested alone). */
static inline __attribute__((always_inline)) bool
addr_ports_class(const struct detect_engine *de, const struct de_rule *dr,
		 const struct packet *p, struct detect_flow_addr *m)
{
	const uint32_t bit = 1u << dr->hdr_class;

	if (p->flags & (PKT_F_IPV4_FRAG | PKT_F_IPV6_FRAG))
		return addr_ports(dr, memo_ids(de, dr, m), p, m);
	if (!(m->cls_known[p->dir] & bit)) {
		m->cls_known[p->dir] |= bit;
		if (addr_ports(dr, memo_ids(de, dr, m), p, m))
			m->cls_pass[p->dir] |= bit;
	}
	return (m->cls_pass[p->dir] & bit) != 0;
}

static inline bool has_class(const struct de_rule *dr, const struct detect_flow_addr *m)
{
	return m != NULL && dr->hdr_class != DETECT_HDR_CLASS_NONE;
}

bool detect_match_addr_ports_memo(const struct detect_engine *de, const struct de_rule *dr,
				  const struct packet *p, struct detect_flow_addr *m)
{
	if (has_class(dr, m))
		return addr_ports_class(de, dr, p, m);
	return addr_ports(dr, memo_ids(de, dr, m), p, m);
}

static inline __attribute__((always_inline)) bool header_rest(const struct de_rule *dr,
							      const struct packet *p)
{
	if ((dr->flags & DR_F_NEED_FLOW) && !p->flow)
		return false;
	return packet_tests(dr->r, p) && flow_keyword(dr->r, p);
}

bool detect_match_header_rest(const struct de_rule *dr, const struct packet *p)
{
	return header_rest(dr, p);
}

/* The flow and packet tests before the addresses: mostly flag and integer
 * compares (a quarter of corpus-mix's prefilter candidates fail one: a
 * dsize bound, the flow's state), where an address list is a search. */
bool detect_match_header(const struct de_rule *dr, const struct packet *p)
{
	return header_rest(dr, p) && detect_match_addr_ports(dr, p);
}

bool detect_match_header_memo(const struct detect_engine *de, const struct de_rule *dr,
			      const struct packet *p, struct detect_flow_addr *m)
{
	/* a numbered header's answer is a bit test once known: first */
	if (has_class(dr, m))
		return addr_ports_class(de, dr, p, m) && header_rest(dr, p);
	return header_rest(dr, p) && addr_ports(dr, memo_ids(de, dr, m), p, m);
}
