/* SPDX-License-Identifier: MIT */
#include "pkt_build.h"

#include <string.h>

#define PROTO_TCP 6
#define TCP_ACK_FLAG 0x10

void pkt_put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

void pkt_put32(uint8_t *b, uint32_t v)
{
	pkt_put16(b, (uint16_t)(v >> 16));
	pkt_put16(b + 2, (uint16_t)v);
}

uint32_t pkt_csum_add(uint32_t sum, const uint8_t *b, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

uint16_t pkt_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t pkt_pseudo_sum(uint8_t ip_ver, const union ip_addr *src, const union ip_addr *dst,
			uint8_t proto, uint32_t l4len)
{
	size_t alen = ip_ver == 4 ? 4 : 16;
	uint32_t sum = pkt_csum_add(0, src->b, alen);

	sum = pkt_csum_add(sum, dst->b, alen);
	return sum + proto + (l4len >> 16) + (l4len & 0xffff);
}

size_t pkt_ip_header(uint8_t ip_ver, uint8_t *b, const union ip_addr *src,
		     const union ip_addr *dst, uint8_t proto, uint32_t l4len, bool df)
{
	if (ip_ver == 4) {
		memset(b, 0, PKT_BUILD_IPV4_HDR);
		b[0] = 0x45;
		pkt_put16(b + 2, (uint16_t)(PKT_BUILD_IPV4_HDR + l4len));
		b[6] = df ? 0x40 : 0;
		b[8] = 64;
		b[9] = proto;
		memcpy(b + 12, src->b, 4);
		memcpy(b + 16, dst->b, 4);
		pkt_put16(b + 10, pkt_csum_fold(pkt_csum_add(0, b, PKT_BUILD_IPV4_HDR)));
		return PKT_BUILD_IPV4_HDR;
	}
	memset(b, 0, PKT_BUILD_IPV6_HDR);
	b[0] = 0x60;
	pkt_put16(b + 4, (uint16_t)l4len);
	b[6] = proto;
	b[7] = 64;
	memcpy(b + 8, src->b, 16);
	memcpy(b + 24, dst->b, 16);
	return PKT_BUILD_IPV6_HDR;
}

size_t pkt_build_pseudo_tcp(const struct packet *p, uint32_t seq, uint32_t ack, uint8_t *out)
{
	size_t iph = pkt_ip_header(p->ip_ver, out, &p->src, &p->dst, PROTO_TCP,
				   PKT_BUILD_TCP_HDR, false);
	uint8_t *t = out + iph;

	memset(t, 0, PKT_BUILD_TCP_HDR);
	pkt_put16(t, p->sp);
	pkt_put16(t + 2, p->dp);
	pkt_put32(t + 4, seq);
	pkt_put32(t + 8, ack);
	t[12] = 0x50;
	t[13] = TCP_ACK_FLAG;
	pkt_put16(t + 14, 10);
	pkt_put16(t + 16, pkt_csum_fold(pkt_csum_add(pkt_pseudo_sum(p->ip_ver, &p->src, &p->dst,
								    PROTO_TCP,
								    PKT_BUILD_TCP_HDR),
						     t, PKT_BUILD_TCP_HDR)));
	return iph + PKT_BUILD_TCP_HDR;
}
