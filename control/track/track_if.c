/* SPDX-License-Identifier: MIT */
/* Interface state from rtnetlink RTMGRP_LINK notifications (libmnl): a link
 * going down is seen as soon as the kernel reports it, not at a poll. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control/loop/loop.h"
#include "track.h"

#define TRACK_IFS_MAX 16

struct track_if {
	struct tracker t;
	char ifname[IFNAMSIZ];
};

struct track_ifs {
	struct loop *loop;
	struct mnl_socket *nl;
	tracker_cb changed;
	void *ctx;
	struct track_if ifs[TRACK_IFS_MAX];
	unsigned n;
};

static bool flags_up(unsigned flags)
{
	return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

static void update(struct track_ifs *m, const char *name, unsigned flags, bool gone)
{
	for (unsigned i = 0; i < m->n; i++) {
		char why[64];

		if (strcmp(m->ifs[i].ifname, name) != 0)
			continue;
		snprintf(why, sizeof(why), "%s", gone ? "removed" :
			 !(flags & IFF_UP) ? "admin down" :
			 !(flags & IFF_RUNNING) ? "no carrier" : "link up");
		tracker_set(&m->ifs[i].t, !gone && flags_up(flags), why);
	}
}

static int on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct track_ifs *m = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;
	const char *name = NULL;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
		if (mnl_attr_get_type(a) == IFLA_IFNAME)
			name = mnl_attr_get_str(a);
	if (name)
		update(m, name, ifi->ifi_flags, nlh->nlmsg_type == RTM_DELLINK);
	return MNL_CB_OK;
}

static void on_readable(struct loop *l, int fd, unsigned events, void *arg)
{
	struct track_ifs *m = arg;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n;

	(void)l;
	(void)fd;
	(void)events;
	while ((n = recv(mnl_socket_get_fd(m->nl), buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		mnl_cb_run(buf, (size_t)n, 0, 0, on_msg, m);
}

struct track_ifs *track_ifs_new(struct loop *l, tracker_cb changed, void *ctx)
{
	struct track_ifs *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->loop = l;
	m->changed = changed;
	m->ctx = ctx;
	m->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!m->nl)
		goto fail;
	if (mnl_socket_bind(m->nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0 ||
	    loop_fd_add(l, mnl_socket_get_fd(m->nl), LOOP_READ, on_readable, m) < 0)
		goto fail_nl;
	return m;
fail_nl:
	mnl_socket_close(m->nl);
fail:
	free(m);
	return NULL;
}

void track_ifs_free(struct track_ifs *m)
{
	if (!m)
		return;
	loop_fd_del(m->loop, mnl_socket_get_fd(m->nl));
	mnl_socket_close(m->nl);
	free(m);
}

struct tracker *track_ifs_get(struct track_ifs *m, const char *ifname)
{
	struct track_if *ti;
	struct ifreq ifr;
	int fd;

	for (unsigned i = 0; i < m->n; i++)
		if (strcmp(m->ifs[i].ifname, ifname) == 0)
			return &m->ifs[i].t;
	if (m->n == TRACK_IFS_MAX || strlen(ifname) >= IFNAMSIZ)
		return NULL;
	ti = &m->ifs[m->n++];
	snprintf(ti->ifname, sizeof(ti->ifname), "%s", ifname);
	snprintf(ti->t.name, sizeof(ti->t.name), "interface %s", ifname);
	ti->t.changed = m->changed;
	ti->t.ctx = m->ctx;
	/* the starting state, before any notification */
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ti->ifname, sizeof(ti->ifname));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ti->t.ok = flags_up((unsigned)ifr.ifr_flags);
		snprintf(ti->t.why, sizeof(ti->t.why), "%s", ti->t.ok ? "link up" : "down at start");
	} else {
		snprintf(ti->t.why, sizeof(ti->t.why), "no such interface");
	}
	if (fd >= 0)
		close(fd);
	return &ti->t;
}
