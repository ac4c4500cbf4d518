/* SPDX-License-Identifier: MIT */
/* Virtual addresses through rtnetlink (libmnl), and the announcements a new
 * master sends: gratuitous ARP (RFC 5227 §3 style: request, sender = target
 * = VIP, broadcast) and unsolicited Neighbor Advertisements (RFC 4861 §7.2.6,
 * override flag, to ff02::1). Requests are synchronous: the kernel answers an
 * address change in microseconds, and a failover waits for nothing else. */
#ifndef IDS_VIP_H
#define IDS_VIP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/ip_addr-t.h"

struct vip_nl;

struct vip {
	int family;			/* AF_INET / AF_INET6 */
	union ip_addr addr;
	uint8_t prefix;
};

/* Parse "192.0.2.100/24", "2001:db8::1/64" or a bare address (/32, /128).
 * 0 or -EINVAL. */
int vip_parse(const char *s, struct vip *out);
/* "192.0.2.100/24" into buf; returns buf. */
char *vip_format(const struct vip *v, char *buf, size_t len);

/* NULL on failure (errno set). */
struct vip_nl *vip_nl_open(void);
void vip_nl_close(struct vip_nl *nl);

/* Add (replacing an identical one: idempotent) or delete an address on
 * ifindex. Deleting an absent address returns 0. 0 or -errno. */
int vip_nl_set(struct vip_nl *nl, int ifindex, const struct vip *v, bool add);

/* Interface MAC (6 bytes) for the announcements. 0 or -errno. */
int vip_if_mac(const char *ifname, uint8_t mac[6]);

/* Send one gratuitous ARP (IPv4) or unsolicited NA (IPv6) for v out of
 * ifindex with the given source MAC. 0 or -errno. */
int vip_announce(int ifindex, const uint8_t mac[6], const struct vip *v);

#endif
