/* SPDX-License-Identifier: MIT */
/* VRRPv3 advert encoding and the RFC 5798 §7.1 receive checklist, written
 * as the RFC lists it: one block per MUST, in the RFC's order. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp_pkt.h"

static const char *const drop_names[VRRP_DROP__MAX] = {
	[VRRP_RX_OK] = "ok",
	[VRRP_DROP_IP_HDR] = "ip_header",
	[VRRP_DROP_TTL] = "ttl",
	[VRRP_DROP_VERSION] = "version",
	[VRRP_DROP_TYPE] = "type",
	[VRRP_DROP_LENGTH] = "length",
	[VRRP_DROP_CHECKSUM] = "checksum",
	[VRRP_DROP_VRID] = "vrid",
	[VRRP_DROP_OWNER] = "owner",
	[VRRP_DROP_ADDRS] = "address_list",
	[VRRP_DROP_PEER] = "unicast_peer",
	[VRRP_DROP_LOOP] = "own_advert",
};

const char *vrrp_drop_name(enum vrrp_drop d)
{
	return (unsigned)d < VRRP_DROP__MAX ? drop_names[d] : "?";
}

static size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/* §5.2.8: the 16-bit one's complement of the one's complement sum of the
 * message, with the IPv4 (RFC 791) or IPv6 (RFC 8200 §8.1) pseudo-header
 * prepended: source, destination, upper-layer length, protocol 112. */
uint16_t vrrp_csum(int family, const union ip_addr *src, const union ip_addr *dst,
		   const uint8_t *msg, size_t len)
{
	size_t al = addr_len(family);
	uint32_t sum = 0;

	sum = sum16(sum, src->b, al);
	sum = sum16(sum, dst->b, al);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	sum += VRRP_PROTO;
	sum = sum16(sum, msg, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int vrrp_build(uint8_t *buf, size_t buflen, int family, uint8_t vrid, uint8_t priority,
	       uint16_t adver_int_cs, const union ip_addr *addrs, unsigned naddr,
	       const union ip_addr *src, const union ip_addr *dst)
{
	size_t al = addr_len(family);
	size_t len = VRRP_HDR_LEN + al * naddr;
	struct vrrp_hdr h;
	uint16_t c;

	if (naddr > VRRP_MAX_ADDRS || adver_int_cs > VRRP_MAX_ADVER_INT || len > buflen)
		return -EINVAL;
	h.vers_type = VRRP_VERSION << 4 | VRRP_TYPE_ADVERT;
	h.vrid = vrid;
	h.priority = priority;
	h.naddr = (uint8_t)naddr;
	h.rsvd_adver = htons(adver_int_cs);
	h.csum = 0;
	memcpy(buf, &h, sizeof(h));
	for (unsigned i = 0; i < naddr; i++)
		memcpy(buf + VRRP_HDR_LEN + al * i, addrs[i].b, al);
	c = vrrp_csum(family, src, dst, buf, len);
	buf[6] = (uint8_t)(c >> 8);
	buf[7] = (uint8_t)c;
	return (int)len;
}

enum vrrp_drop vrrp_rx_from_ip4(const uint8_t *pkt, size_t len, struct vrrp_rx *rx)
{
	struct iphdr ip;
	size_t hl, tot;

	if (len < sizeof(ip))
		return VRRP_DROP_IP_HDR;
	memcpy(&ip, pkt, sizeof(ip));
	hl = (size_t)ip.ihl * 4;
	tot = ntohs(ip.tot_len);
	/* the kernel hands raw sockets the whole datagram; trust tot_len only
	 * when it fits what arrived */
	if (ip.version != 4 || hl < sizeof(ip) || hl > len || ip.protocol != VRRP_PROTO)
		return VRRP_DROP_IP_HDR;
	if (tot < hl || tot > len)
		tot = len;
	memset(rx, 0, sizeof(*rx));
	rx->family = AF_INET;
	memcpy(rx->src.b, &ip.saddr, 4);
	memcpy(rx->dst.b, &ip.daddr, 4);
	rx->ttl = ip.ttl;
	rx->data = pkt + hl;
	rx->len = tot - hl;
	return VRRP_RX_OK;
}

enum vrrp_drop vrrp_check_common(const struct vrrp_rx *rx, uint8_t *vrid)
{
	struct vrrp_hdr h;

	/* §7.1: "MUST verify that the IPv4 TTL or IPv6 Hop Limit is 255" */
	if (rx->ttl != VRRP_TTL)
		return VRRP_DROP_TTL;
	/* the fixed part must be there before any field can be read */
	if (rx->len < VRRP_HDR_LEN)
		return VRRP_DROP_LENGTH;
	memcpy(&h, rx->data, sizeof(h));
	/* §7.1: "MUST verify the VRRP version is 3" */
	if (h.vers_type >> 4 != VRRP_VERSION)
		return VRRP_DROP_VERSION;
	/* §5.2.2: "A packet with unknown type MUST be discarded" */
	if ((h.vers_type & 0x0f) != VRRP_TYPE_ADVERT)
		return VRRP_DROP_TYPE;
	/* §7.1: "MUST verify that the received packet contains the complete
	 * VRRP packet (including fixed fields, and IPvX address(es))" */
	if (rx->len < VRRP_HDR_LEN + addr_len(rx->family) * h.naddr)
		return VRRP_DROP_LENGTH;
	/* §7.1: "MUST verify the VRRP checksum" (over the bytes the header
	 * announces: trailing link padding is not part of the message) */
	if (vrrp_csum(rx->family, &rx->src, &rx->dst, rx->data,
		      VRRP_HDR_LEN + addr_len(rx->family) * h.naddr) != 0)
		return VRRP_DROP_CHECKSUM;
	*vrid = h.vrid;
	return VRRP_RX_OK;
}

static bool addr_in(const union ip_addr *a, const union ip_addr *set, unsigned n, size_t al)
{
	for (unsigned i = 0; i < n; i++)
		if (memcmp(a->b, set[i].b, al) == 0)
			return true;
	return false;
}

enum vrrp_drop vrrp_check_instance(const struct vrrp_rx *rx, const struct vrrp_rx_conf *c,
				   struct vrrp_advert *adv)
{
	size_t al = addr_len(rx->family);
	struct vrrp_hdr h;

	memcpy(&h, rx->data, sizeof(h));
	/* §7.1: "MUST verify that the VRID is configured on the receiving
	 * interface" */
	if (h.vrid != c->vrid)
		return VRRP_DROP_VRID;
	/* §7.1: "... and the local router is not the IPvX address owner" */
	if (c->priority == VRRP_PRIO_OWNER)
		return VRRP_DROP_OWNER;
	/* not RFC text: with IP_MULTICAST_LOOP off this only catches a peer
	 * misconfigured with our address */
	if (c->self && memcmp(rx->src.b, c->self->b, al) == 0)
		return VRRP_DROP_LOOP;
	/* unicast mode accepts only its configured peers (keepalived too) */
	if (c->npeer && !addr_in(&rx->src, c->peers, c->npeer, al))
		return VRRP_DROP_PEER;
	memset(adv, 0, sizeof(*adv));
	adv->vrid = h.vrid;
	adv->priority = h.priority;
	adv->adver_int_cs = ntohs(h.rsvd_adver) & 0x0fff;
	adv->naddr = h.naddr < VRRP_MAX_ADDRS ? h.naddr : VRRP_MAX_ADDRS;
	for (unsigned i = 0; i < adv->naddr; i++)
		memcpy(adv->addrs[i].b, rx->data + VRRP_HDR_LEN + al * i, al);
	adv->src = rx->src;
	/* §7.1: "MAY verify that 'Count IPvX Addrs' and the list of IPvX
	 * address(es) match ... If the packet was not generated by the address
	 * owner (Priority does not equal 255), the receiver MUST drop it" */
	if (h.priority != VRRP_PRIO_OWNER) {
		bool same = h.naddr == c->nvip;

		for (unsigned i = 0; same && i < adv->naddr; i++)
			same = addr_in(&adv->addrs[i], c->vips, c->nvip, al);
		if (!same)
			return VRRP_DROP_ADDRS;
	}
	return VRRP_RX_OK;
}
