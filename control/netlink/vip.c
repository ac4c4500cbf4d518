/* SPDX-License-Identifier: MIT */
/* VIP management over rtnetlink with libmnl; ARP/NA announcements over
 * packet and ICMPv6 sockets. */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <net/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "vip.h"

struct vip_nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
};

int vip_parse(const char *s, struct vip *out)
{
	char buf[64];
	char *slash, *end;
	long pfx = -1;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		pfx = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end || pfx < 0)
			return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr.b) == 1) {
		out->family = AF_INET;
		if (pfx > 32)
			return -EINVAL;
		out->prefix = (uint8_t)(pfx < 0 ? 32 : pfx);
	} else if (inet_pton(AF_INET6, buf, out->addr.b) == 1) {
		out->family = AF_INET6;
		if (pfx > 128)
			return -EINVAL;
		out->prefix = (uint8_t)(pfx < 0 ? 128 : pfx);
	} else {
		return -EINVAL;
	}
	return 0;
}

char *vip_format(const struct vip *v, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(v->family, v->addr.b, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, v->prefix);
	return buf;
}

struct vip_nl *vip_nl_open(void)
{
	struct vip_nl *nl = calloc(1, sizeof(*nl));

	if (!nl)
		return NULL;
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock)
		goto fail;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail_sock;
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	return nl;
fail_sock:
	mnl_socket_close(nl->sock);
fail:
	free(nl);
	return NULL;
}

void vip_nl_close(struct vip_nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl);
}

int vip_nl_set(struct vip_nl *nl, int ifindex, const struct vip *v, bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	unsigned int seq = ++nl->seq;
	size_t al = v->family == AF_INET6 ? 16 : 4;
	ssize_t n;
	int ret;

	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)v->family;
	ifa->ifa_prefixlen = v->prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, al, v->addr.b);
	mnl_attr_put(nlh, IFA_ADDRESS, al, v->addr.b);
	if (v->family == AF_INET6 && add) {
		/* no duplicate address detection: the address must answer now */
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	}
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	ret = mnl_cb_run(buf, (size_t)n, seq, nl->portid, NULL, NULL);
	if (ret < 0) {
		if (!add && errno == EADDRNOTAVAIL)
			return 0;
		return -errno;
	}
	return 0;
}

int vip_if_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = 0;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		ret = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return ret;
}

/* ARP for Ethernet/IPv4 (RFC 826), as a gratuitous request. */
struct garp {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[6];
	uint8_t spa[4];
	uint8_t tha[6];
	uint8_t tpa[4];
} __attribute__((packed));

static int send_garp(int ifindex, const uint8_t mac[6], const struct vip *v)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = ifindex,
		.sll_halen = 6,
		.sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	struct garp a = {
		.htype = htons(ARPHRD_ETHER),
		.ptype = htons(ETH_P_IP),
		.hlen = 6,
		.plen = 4,
		.op = htons(ARPOP_REQUEST),
	};
	int fd, ret = 0;

	memcpy(a.sha, mac, 6);
	memcpy(a.spa, v->addr.b, 4);
	memcpy(a.tpa, v->addr.b, 4);
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
	if (fd < 0)
		return -errno;
	if (sendto(fd, &a, sizeof(a), 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Unsolicited NA: override set, solicited clear, target link-layer option. */
static int send_una(int ifindex, const uint8_t mac[6], const struct vip *v)
{
	struct {
		struct nd_neighbor_advert na;
		uint8_t opt_type, opt_len;
		uint8_t mac[6];
	} __attribute__((packed)) m;
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ifindex };
	int hops = 255, fd, ret = 0;

	memset(&m, 0, sizeof(m));
	m.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	m.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;
	memcpy(&m.na.nd_na_target, v->addr.b, 16);
	m.opt_type = ND_OPT_TARGET_LINKADDR;
	m.opt_len = 1;
	memcpy(m.mac, mac, 6);
	inet_pton(AF_INET6, "ff02::1", &dst.sin6_addr);
	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	/* RFC 4861 §7.1.2: receivers drop NAs whose hop limit is not 255 */
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0 ||
	    sendto(fd, &m, sizeof(m), 0, (struct sockaddr *)&dst, sizeof(dst)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int vip_announce(int ifindex, const uint8_t mac[6], const struct vip *v)
{
	return v->family == AF_INET ? send_garp(ifindex, mac, v) : send_una(ifindex, mac, v);
}
