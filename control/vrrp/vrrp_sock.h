/* SPDX-License-Identifier: MIT */
/* One raw VRRP socket per (interface, family), shared by every instance on
 * it: joins 224.0.0.18 / ff02::12, sends with TTL / hop limit 255, and on
 * receive runs the instance-independent §7.1 checks before handing the
 * datagram to the instance registered for its VRID. Drops that happen
 * before an instance is known are counted here. */
#ifndef IDS_VRRP_SOCK_H
#define IDS_VRRP_SOCK_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrp_pkt.h"

struct loop;

typedef void (*vrrp_sock_rx_cb)(void *arg, const struct vrrp_rx *rx);

struct vrrp_sock {
	int fd;
	int family;
	int ifindex;
	char ifname[IF_NAMESIZE];
	union ip_addr self;		/* source of our adverts */
	union ip_addr group;		/* 224.0.0.18 or ff02::12 */
	struct loop *loop;
	uint64_t rx_packets;
	uint64_t tx_errors;
	uint64_t drops[VRRP_DROP__MAX];
	vrrp_sock_rx_cb rx[256];	/* by VRID */
	void *rx_arg[256];
};

/* Open on ifname for family. src, when not NULL, is the source address to
 * use (unicast_src_ip); otherwise the interface's first IPv4 address or
 * its IPv6 link-local one. NULL on failure with err filled. */
struct vrrp_sock *vrrp_sock_open(struct loop *l, const char *ifname, int family,
				 const union ip_addr *src, char *err, size_t errlen);
void vrrp_sock_close(struct vrrp_sock *s);

/* Route adverts for vrid to cb. -EEXIST if taken. */
int vrrp_sock_register(struct vrrp_sock *s, uint8_t vrid, vrrp_sock_rx_cb cb, void *arg);

/* Adverts for vrid are counted as for an unknown VRID again (a reload
 * removed its instance). */
void vrrp_sock_unregister(struct vrrp_sock *s, uint8_t vrid);

/* Send a built VRRP message to dst (the group or a unicast peer). 0 or -errno. */
int vrrp_sock_send(struct vrrp_sock *s, const union ip_addr *dst, const uint8_t *msg, size_t len);

/* Handle one received datagram as the socket would (IPv4: with its IP
 * header; IPv6: payload plus the ancillary fields in rx). Exposed for tests. */
void vrrp_sock_input(struct vrrp_sock *s, struct vrrp_rx *rx);

#endif
