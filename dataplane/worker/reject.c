/* SPDX-License-Identifier: MIT */
#include "reject.h"

#include <string.h>

#include "../decode/pkt_build.h"

#define TCP_HDR PKT_BUILD_TCP_HDR
#define ICMP_HDR 8
#define IPV4_QUOTE_MAX 548      /* RFC 1812 4.3.2.3: the error fits in 576 bytes */
#define IPV6_QUOTE_MAX 560      /* RFC 4443 2.4(c) allows up to the minimum MTU; we quote less */
#define PROTO_TCP 6
#define PROTO_ICMP 1
#define PROTO_ICMPV6 58

/* RFC 793 3.4 "Reset Generation": the RST carries the sequence number the
 * receiver expects, so it lands in its window. */
static size_t build_rst(const struct packet *p, bool to_src, uint8_t *l3)
{
	const union ip_addr *src = to_src ? &p->dst : &p->src;
	const union ip_addr *dst = to_src ? &p->src : &p->dst;
	uint32_t seg_len = p->payload_len + !!(p->tcp.flags & TCP_SYN) + !!(p->tcp.flags & TCP_FIN);
	bool has_ack = p->tcp.flags & TCP_ACK;
	size_t iph = pkt_ip_header(p->ip_ver, l3, src, dst, PROTO_TCP, TCP_HDR, true);
	uint8_t *t = l3 + iph;

	memset(t, 0, TCP_HDR);
	pkt_put16(t, to_src ? p->dp : p->sp);
	pkt_put16(t + 2, to_src ? p->sp : p->dp);
	if (to_src) {
		/* to the sender: our seq is what it acknowledged, we ack its data */
		pkt_put32(t + 4, has_ack ? p->tcp.ack : 0);
		pkt_put32(t + 8, p->tcp.seq + seg_len);
		t[13] = TCP_RST | TCP_ACK;
	} else {
		/* to the receiver, as if from the sender: the next sequence number */
		pkt_put32(t + 4, p->tcp.seq + seg_len);
		pkt_put32(t + 8, has_ack ? p->tcp.ack : 0);
		t[13] = has_ack ? TCP_RST | TCP_ACK : TCP_RST;
	}
	t[12] = (TCP_HDR / 4) << 4;
	pkt_put16(t + 16, pkt_csum_fold(pkt_csum_add(pkt_pseudo_sum(p->ip_ver, src, dst, PROTO_TCP,
								    TCP_HDR),
						     t, TCP_HDR)));
	return iph + TCP_HDR;
}

/* RFC 792 / RFC 4443 3.1: destination (port) unreachable quoting the packet. */
static size_t build_unreach(const struct packet *p, bool to_src, uint8_t *l3)
{
	const union ip_addr *src = to_src ? &p->dst : &p->src;
	const union ip_addr *dst = to_src ? &p->src : &p->dst;
	bool v4 = p->ip_ver == 4;
	uint32_t quote = p->l3_len;
	uint8_t proto = v4 ? PROTO_ICMP : PROTO_ICMPV6;
	size_t iph;
	uint8_t *ic;
	uint32_t sum;

	if (quote > (v4 ? IPV4_QUOTE_MAX : IPV6_QUOTE_MAX))
		quote = v4 ? IPV4_QUOTE_MAX : IPV6_QUOTE_MAX;
	iph = pkt_ip_header(p->ip_ver, l3, src, dst, proto, ICMP_HDR + quote, true);
	ic = l3 + iph;
	memset(ic, 0, ICMP_HDR);
	ic[0] = v4 ? 3 : 1;             /* destination unreachable */
	ic[1] = v4 ? 3 : 4;             /* port unreachable */
	memcpy(ic + ICMP_HDR, p->l3, quote);
	sum = pkt_csum_add(v4 ? 0 : pkt_pseudo_sum(p->ip_ver, src, dst, proto, ICMP_HDR + quote),
			   ic, ICMP_HDR + quote);
	pkt_put16(ic + 2, pkt_csum_fold(sum));
	return iph + ICMP_HDR + quote;
}

static bool is_icmp_error(const struct packet *p)
{
	if (p->proto == PROTO_ICMP)
		return p->icmp.type != 0 && p->icmp.type != 8;
	if (p->proto == PROTO_ICMPV6)
		return p->icmp.type < 128;
	return false;
}

size_t reject_build(const struct packet *p, bool to_src, uint8_t *out)
{
	size_t l2;

	/* the reply copies and swaps the Ethernet header */
	if ((p->ip_ver != 4 && p->ip_ver != 6) || p->l3 == NULL || p->l4 == NULL ||
	    p->link != PKT_LINK_ETHERNET)
		return 0;
	/* Never answer an error with an error, nor a reset with a reset. */
	if (is_icmp_error(p) || (p->proto == PROTO_TCP && (p->tcp.flags & TCP_RST)))
		return 0;
	l2 = (size_t)(p->l3 - p->data);
	if (l2 < 14 || l2 > 22)
		return 0;
	memcpy(out, p->data, l2);
	if (to_src) {
		memcpy(out, p->data + 6, 6);
		memcpy(out + 6, p->data, 6);
	}
	if (p->proto == PROTO_TCP)
		return l2 + build_rst(p, to_src, out + l2);
	return l2 + build_unreach(p, to_src, out + l2);
}
