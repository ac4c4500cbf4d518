/* SPDX-License-Identifier: MIT */
/* Headers of the packets idsd makes up: reject's RSTs and ICMP errors, the
 * frame EVE shows for a flow-end pseudo packet. Network byte order, RFC 1071
 * sums. */
#ifndef IDS_PKT_BUILD_H
#define IDS_PKT_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet-t.h"

#define PKT_BUILD_IPV4_HDR 20
#define PKT_BUILD_IPV6_HDR 40
#define PKT_BUILD_TCP_HDR 20

void pkt_put16(uint8_t *b, uint16_t v);
void pkt_put32(uint8_t *b, uint32_t v);

/* RFC 1071 one's-complement sum of b[0..len) added to sum; folded and
 * complemented by pkt_csum_fold. */
uint32_t pkt_csum_add(uint32_t sum, const uint8_t *b, size_t len);
uint16_t pkt_csum_fold(uint32_t sum);

/* Pseudo header sum (RFC 793 3.1 / RFC 8200 8.1) for an L4 checksum. */
uint32_t pkt_pseudo_sum(uint8_t ip_ver, const union ip_addr *src, const union ip_addr *dst,
			uint8_t proto, uint32_t l4len);

/* An IPv4 (ip_ver 4: id 0, TTL 64, DF when df, checksum set) or IPv6 (hop
 * limit 64) header at b for l4len bytes of proto; returns its length. */
size_t pkt_ip_header(uint8_t ip_ver, uint8_t *b, const union ip_addr *src,
		     const union ip_addr *dst, uint8_t proto, uint32_t l4len, bool df);

/* Suricata 7's flow-end pseudo packet (flow-timeout.c): p's addresses and
 * ports, an IP header as pkt_ip_header's (no DF), a TCP ACK with seq and
 * ack, window 10, both checksums set. out holds PKT_BUILD_IPV6_HDR +
 * PKT_BUILD_TCP_HDR bytes; returns the length written (40 or 60). */
size_t pkt_build_pseudo_tcp(const struct packet *p, uint32_t seq, uint32_t ack, uint8_t *out);

#endif
