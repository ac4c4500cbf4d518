/* SPDX-License-Identifier: MIT */
/* VRRPv3 advertisements (RFC 5798 §5): building them, and checking received
 * ones against §7.1's list, one counted discard reason per "MUST". Pure
 * functions over buffers: no sockets, so the validator is unit-tested and
 * fuzzed on crafted bytes. */
#ifndef IDS_VRRP_PKT_H
#define IDS_VRRP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/ip_addr-t.h"

#define VRRP_PROTO		112	/* IANA protocol number */
#define VRRP_VERSION		3
#define VRRP_TYPE_ADVERT	1
#define VRRP_HDR_LEN		8
#define VRRP_TTL		255	/* §5.1.1.3 / §5.1.2.3 */
#define VRRP_PRIO_OWNER		255
#define VRRP_PRIO_STOP		0	/* §5.2.4: the master is leaving */
#define VRRP_MAX_ADDRS		16	/* per advert: fits one 1500-byte frame either family */
#define VRRP_MAX_ADVER_INT	4095	/* 12 bits of centiseconds */
#define VRRP_IP4_MCAST		0xe0000012u	/* 224.0.0.18, host order */

/*  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|
 * |(rsvd) |     Max Adver Int     |          Checksum             |
 * |                       IPvX Address(es)                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ */
struct vrrp_hdr {
	uint8_t vers_type;
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;
	uint16_t rsvd_adver;		/* network order: 4 reserved bits, 12 bits cs */
	uint16_t csum;
} __attribute__((packed));

/* Why a received packet was dropped. Sections are RFC 5798's. */
enum vrrp_drop {
	VRRP_RX_OK = 0,
	VRRP_DROP_IP_HDR,	/* IPv4 header truncated or inconsistent, not proto 112 */
	VRRP_DROP_TTL,		/* §7.1: TTL / Hop Limit MUST be 255 */
	VRRP_DROP_VERSION,	/* §7.1: version MUST be 3 */
	VRRP_DROP_TYPE,		/* §5.2.2: unknown type MUST be discarded */
	VRRP_DROP_LENGTH,	/* §7.1: MUST contain the complete VRRP packet */
	VRRP_DROP_CHECKSUM,	/* §7.1: checksum MUST verify */
	VRRP_DROP_VRID,		/* §7.1: VRID MUST be configured on the interface */
	VRRP_DROP_OWNER,	/* §7.1: we MUST NOT be the address owner */
	VRRP_DROP_ADDRS,	/* §7.1: address list differs, sender not owner: MUST drop */
	VRRP_DROP_PEER,		/* unicast: source is not a configured peer */
	VRRP_DROP_LOOP,		/* our own advert came back */
	VRRP_DROP__MAX
};

/* Short stable names for logs and status output ("ttl", "checksum"...). */
const char *vrrp_drop_name(enum vrrp_drop d);

/* A received datagram as the socket layer sees it. */
struct vrrp_rx {
	int family;			/* AF_INET or AF_INET6 */
	union ip_addr src, dst;
	int ttl;			/* TTL or hop limit, -1 if unknown */
	const uint8_t *data;		/* the VRRP message */
	size_t len;
};

/* A decoded advertisement. */
struct vrrp_advert {
	uint8_t vrid;
	uint8_t priority;
	uint16_t adver_int_cs;
	uint8_t naddr;
	union ip_addr addrs[VRRP_MAX_ADDRS];
	union ip_addr src;
};

/* The receiving instance's side of §7.1. */
struct vrrp_rx_conf {
	uint8_t vrid;
	uint8_t priority;			/* configured: 255 = owner */
	uint8_t nvip;
	const union ip_addr *vips;
	uint8_t npeer;				/* unicast peers; 0 = multicast */
	const union ip_addr *peers;
	const union ip_addr *self;		/* our source address: loop check */
};

/* IPv4: find the VRRP message in a raw IPv4 datagram (header included, as
 * a raw socket delivers it). Fills rx (family, src, dst, ttl, data, len).
 * VRRP_RX_OK or VRRP_DROP_IP_HDR. */
enum vrrp_drop vrrp_rx_from_ip4(const uint8_t *pkt, size_t len, struct vrrp_rx *rx);

/* The instance-independent checks (TTL, version, type, length, checksum).
 * On VRRP_RX_OK, *vrid is the advert's VRID for the caller to dispatch. */
enum vrrp_drop vrrp_check_common(const struct vrrp_rx *rx, uint8_t *vrid);

/* The instance's checks (VRID, owner, addresses, peer, loop) and decoding
 * into adv. Call after vrrp_check_common succeeded. */
enum vrrp_drop vrrp_check_instance(const struct vrrp_rx *rx, const struct vrrp_rx_conf *c,
				   struct vrrp_advert *adv);

/* Build an advert into buf (at least VRRP_HDR_LEN + 16 * naddr bytes) with
 * the checksum over the pseudo-header of src/dst (§5.2.8, both families).
 * Returns the message length, or -EINVAL (too many addresses, interval out of
 * range, buffer too small). */
int vrrp_build(uint8_t *buf, size_t buflen, int family, uint8_t vrid, uint8_t priority,
	       uint16_t adver_int_cs, const union ip_addr *addrs, unsigned naddr,
	       const union ip_addr *src, const union ip_addr *dst);

/* The §5.2.8 checksum of msg with the family's pseudo-header; 0 when a
 * message carrying its checksum verifies. */
uint16_t vrrp_csum(int family, const union ip_addr *src, const union ip_addr *dst,
		   const uint8_t *msg, size_t len);

#endif
