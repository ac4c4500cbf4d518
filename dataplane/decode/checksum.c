/* SPDX-License-Identifier: MIT */
/* Internet checksum (RFC 1071) checks: IPv4 header, and TCP, UDP, ICMPv4,
 * ICMPv6 over the v4 (RFC 793) or v6 (RFC 8200 8.1) pseudo header. A
 * verified checksum sums, with the checksum field included, to 0xffff. */
#include "decode-int.h"

/* Add n bytes at b as big-endian 16-bit words to sum (odd tail padded). A
 * 64-bit accumulator cannot overflow for any frame length. */
static uint64_t csum_add(uint64_t sum, const uint8_t *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += rd16(b + i);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

bool csum_ipv4_hdr_ok(const struct packet *p)
{
	return csum_fold(csum_add(0, p->l3, p->ip_hlen)) == 0xffff;
}

bool csum_l4_ok(const struct packet *p, const uint8_t *csum_dst)
{
	uint64_t sum;

	if (p->ip_ver == 4) {
		/* RFC 768: a zero UDP checksum over IPv4 means "none sent" */
		if (p->proto == IPPROTO_NUM_UDP && rd16(p->l4 + 6) == 0)
			return true;
		/* ICMPv4 has no pseudo header */
		if (p->proto == IPPROTO_NUM_ICMP)
			return csum_fold(csum_add(0, p->l4, p->l4_len)) == 0xffff;
		sum = csum_add(0, p->src.b, 4);
		sum = csum_add(sum, p->dst.b, 4);
	} else {
		/* RFC 8200 8.1: the final destination, which the routing
		 * header holds while it has segments left */
		sum = csum_add(0, p->src.b, 16);
		sum = csum_add(sum, csum_dst != NULL ? csum_dst : p->dst.b, 16);
	}
	sum += p->proto;
	sum += p->l4_len; /* v4 16-bit and v6 32-bit lengths sum alike */
	sum = csum_add(sum, p->l4, p->l4_len);
	return csum_fold(sum) == 0xffff;
}
