/* SPDX-License-Identifier: MIT */
/* Raw VRRP sockets. IPv4 uses IP_HDRINCL so the source address and TTL are
 * ours whatever addresses (VIPs) the interface carries; IPv6 binds to the
 * link-local address and sets the hop limits. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control/loop/loop.h"
#include "vrrp_sock.h"

static int first_addr(const char *ifname, int family, union ip_addr *out)
{
	struct ifaddrs *ifa, *i;
	int ret = -EADDRNOTAVAIL;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family ||
		    strcmp(i->ifa_name, ifname) != 0)
			continue;
		memset(out, 0, sizeof(*out));
		if (family == AF_INET) {
			memcpy(out->b, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		} else {
			const struct in6_addr *a = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;

			if (!IN6_IS_ADDR_LINKLOCAL(a))
				continue;
			memcpy(out->b, a, 16);
		}
		ret = 0;
		break;
	}
	freeifaddrs(ifa);
	return ret;
}

void vrrp_sock_input(struct vrrp_sock *s, struct vrrp_rx *rx)
{
	enum vrrp_drop d;
	uint8_t vrid;

	s->rx_packets++;
	d = vrrp_check_common(rx, &vrid);
	if (d == VRRP_RX_OK && !s->rx[vrid])
		d = VRRP_DROP_VRID;	/* §7.1: no instance with this VRID here */
	if (d != VRRP_RX_OK) {
		s->drops[d]++;
		return;
	}
	s->rx[vrid](s->rx_arg[vrid], rx);
}

static void rx4(struct vrrp_sock *s)
{
	uint8_t buf[2048];
	struct vrrp_rx rx;
	ssize_t n;

	while ((n = recv(s->fd, buf, sizeof(buf), 0)) > 0) {
		if (vrrp_rx_from_ip4(buf, (size_t)n, &rx) != VRRP_RX_OK) {
			s->rx_packets++;
			s->drops[VRRP_DROP_IP_HDR]++;
			continue;
		}
		vrrp_sock_input(s, &rx);
	}
}

static void rx6(struct vrrp_sock *s)
{
	uint8_t buf[2048];
	union {
		char b[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_in6 from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.b, .msg_controllen = sizeof(cbuf.b),
	};
	ssize_t n;

	while ((n = recvmsg(s->fd, &mh, 0)) > 0) {
		struct vrrp_rx rx = { .family = AF_INET6, .ttl = -1, .data = buf, .len = (size_t)n };

		memcpy(rx.src.b, &from.sin6_addr, 16);
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level != IPPROTO_IPV6)
				continue;
			if (c->cmsg_type == IPV6_HOPLIMIT)
				memcpy(&rx.ttl, CMSG_DATA(c), sizeof(int));
			else if (c->cmsg_type == IPV6_PKTINFO)
				memcpy(rx.dst.b, CMSG_DATA(c), 16);
		}
		vrrp_sock_input(s, &rx);
		mh.msg_namelen = sizeof(from);
		mh.msg_controllen = sizeof(cbuf.b);
	}
}

static void on_readable(struct loop *l, int fd, unsigned events, void *arg)
{
	struct vrrp_sock *s = arg;

	(void)l;
	(void)fd;
	(void)events;
	if (s->family == AF_INET)
		rx4(s);
	else
		rx6(s);
}

static int setup4(struct vrrp_sock *s)
{
	struct ip_mreqn mr = { .imr_ifindex = s->ifindex };
	int one = 1, zero = 0;

	mr.imr_multiaddr.s_addr = htonl(VRRP_IP4_MCAST);
	memcpy(s->group.b, &mr.imr_multiaddr, 4);
	if (setsockopt(s->fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return -errno;
	return 0;
}

static int setup6(struct vrrp_sock *s)
{
	struct ipv6_mreq mr = { .ipv6mr_interface = (unsigned)s->ifindex };
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)s->ifindex };
	int one = 1, zero = 0, hops = VRRP_TTL;

	inet_pton(AF_INET6, "ff02::12", &mr.ipv6mr_multiaddr);
	memcpy(s->group.b, &mr.ipv6mr_multiaddr, 16);
	memcpy(&sa.sin6_addr, s->self.b, 16);
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &s->ifindex,
		       sizeof(s->ifindex)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)) < 0)
		return -errno;
	return 0;
}

struct vrrp_sock *vrrp_sock_open(struct loop *l, const char *ifname, int family,
				 const union ip_addr *src, char *err, size_t errlen)
{
	struct vrrp_sock *s = calloc(1, sizeof(*s));
	int ret;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->loop = l;
	s->family = family;
	snprintf(s->ifname, sizeof(s->ifname), "%s", ifname);
	s->ifindex = (int)if_nametoindex(ifname);
	if (!s->ifindex) {
		snprintf(err, errlen, "interface %s: %s", ifname, strerror(errno));
		goto fail;
	}
	if (src)
		s->self = *src;
	else if ((ret = first_addr(ifname, family, &s->self)) < 0) {
		snprintf(err, errlen, "interface %s has no %s address to send from", ifname,
			 family == AF_INET ? "IPv4" : "IPv6 link-local");
		goto fail;
	}
	s->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_PROTO);
	if (s->fd < 0) {
		snprintf(err, errlen, "raw VRRP socket: %s", strerror(errno));
		goto fail;
	}
	if (setsockopt(s->fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    (ret = family == AF_INET ? setup4(s) : setup6(s)) < 0) {
		snprintf(err, errlen, "VRRP socket on %s: %s", ifname, strerror(errno));
		goto fail_fd;
	}
	if ((ret = loop_fd_add(l, s->fd, LOOP_READ, on_readable, s)) < 0) {
		snprintf(err, errlen, "VRRP socket on %s: %s", ifname, strerror(-ret));
		goto fail_fd;
	}
	return s;
fail_fd:
	close(s->fd);
fail:
	free(s);
	return NULL;
}

void vrrp_sock_close(struct vrrp_sock *s)
{
	if (!s)
		return;
	loop_fd_del(s->loop, s->fd);
	close(s->fd);
	free(s);
}

int vrrp_sock_register(struct vrrp_sock *s, uint8_t vrid, vrrp_sock_rx_cb cb, void *arg)
{
	if (s->rx[vrid])
		return -EEXIST;
	s->rx[vrid] = cb;
	s->rx_arg[vrid] = arg;
	return 0;
}

void vrrp_sock_unregister(struct vrrp_sock *s, uint8_t vrid)
{
	s->rx[vrid] = NULL;
	s->rx_arg[vrid] = NULL;
}

int vrrp_sock_send(struct vrrp_sock *s, const union ip_addr *dst, const uint8_t *msg, size_t len)
{
	uint8_t buf[sizeof(struct iphdr) + VRRP_HDR_LEN + 16 * VRRP_MAX_ADDRS];
	ssize_t n;

	if (s->family == AF_INET) {
		struct sockaddr_in sa = { .sin_family = AF_INET };
		struct iphdr ip = {
			.version = 4, .ihl = 5,
			.tos = 0xc0,		/* internetwork control, as routers send */
			.tot_len = htons((uint16_t)(sizeof(ip) + len)),
			.ttl = VRRP_TTL,	/* §5.1.1.3 */
			.protocol = VRRP_PROTO,
		};

		if (len > sizeof(buf) - sizeof(ip))
			return -EMSGSIZE;
		memcpy(&ip.saddr, s->self.b, 4);
		memcpy(&ip.daddr, dst->b, 4);
		memcpy(&sa.sin_addr, dst->b, 4);
		memcpy(buf, &ip, sizeof(ip));
		memcpy(buf + sizeof(ip), msg, len);
		/* the kernel fills the IP checksum and id under IP_HDRINCL */
		n = sendto(s->fd, buf, sizeof(ip) + len, 0, (struct sockaddr *)&sa, sizeof(sa));
	} else {
		struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
					   .sin6_scope_id = (uint32_t)s->ifindex };

		memcpy(&sa.sin6_addr, dst->b, 16);
		n = sendto(s->fd, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	}
	if (n < 0) {
		s->tx_errors++;
		return -errno;
	}
	return 0;
}
