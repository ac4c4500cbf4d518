/* SPDX-License-Identifier: MIT */
/* The management port as a whole: configuration, TLS and SASL setup, the
 * listening socket, the per-address slow-down of failed authentications
 * and the alert backlog that "alerts" reads. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "control/loop/loop.h"
#include "mgmt-priv.h"

/* IP_FREEBIND lets the listener bind the VIP before VRRP has put it on an
 * interface, so the port is there the moment this node becomes master. */
int mgmt_listen(struct mgmt *m, char *err, size_t errlen)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV,
	};
	struct addrinfo *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char port[8];
	int one = 1, fd = -1, rc;

	snprintf(port, sizeof(port), "%u", m->conf.port);
	rc = getaddrinfo(m->conf.address, port, &hints, &ai);
	if (rc) {
		snprintf(err, errlen, "management.listen.address '%s': %s", m->conf.address,
			 gai_strerror(rc));
		return -EINVAL;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (ai->ai_family == AF_INET &&
	     setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one))) ||
	    (ai->ai_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one))))
		goto fail;
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 128) ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl))
		goto fail;
	m->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
						    ((struct sockaddr_in *)&ss)->sin_port);
	freeaddrinfo(ai);
	m->lfd = fd;
	return 0;
fail:
	rc = -errno;
	snprintf(err, errlen, "management.listen %s:%s: %s", m->conf.address, port,
		 strerror(errno));
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return rc;
}

/* What mgmt_new() refuses before it binds anything. */
static int check(struct mgmt *m, const struct conf_node *management, char *err, size_t errlen)
{
	if (!management) {
		snprintf(err, errlen, "management: section missing");
		return -EINVAL;
	}
	if (mgmt_conf_parse(&m->conf, management, err, errlen))
		return -EINVAL;
	return mgmt_tls_init(m, false, err, errlen);
}

int mgmt_check_conf(const struct conf_node *management, char *err, size_t errlen)
{
	struct mgmt_conf mc = { 0 };
	int rc = mgmt_conf_parse(&mc, management, err, errlen) ? -EINVAL : 0;

	mgmt_conf_release(&mc);
	return rc;
}

int mgmt_check(const struct conf_node *management, char *err, size_t errlen)
{
	struct mgmt m = { .lfd = -1, .audit_fd = -1 };
	int rc = check(&m, management, err, errlen);

	mgmt_tls_release(&m);
	mgmt_conf_release(&m.conf);
	return rc;
}

struct mgmt *mgmt_new(struct loop *l, const struct conf_node *management,
		      const struct mgmt_backend *be, char *err, size_t errlen)
{
	struct mgmt *m = calloc(1, sizeof(*m));

	if (!m) {
		snprintf(err, errlen, "management: out of memory");
		return NULL;
	}
	m->loop = l;
	m->lfd = -1;
	m->audit_fd = -1;
	if (be)
		m->be = *be;
	if (check(m, management, err, errlen))
		goto fail;
	m->alerts = calloc(m->conf.alerts_backlog, sizeof(char *));
	if (!m->alerts) {
		snprintf(err, errlen, "management: out of memory");
		goto fail;
	}
	if (mgmt_sasl_init(m, err, errlen) ||
	    mgmt_audit_open(m, err, errlen) || mgmt_listen(m, err, errlen))
		goto fail;
	mgmt_sasl_files_check(&m->conf);
	if (loop_fd_add(l, m->lfd, LOOP_READ, mgmt_accept_cb, m)) {
		snprintf(err, errlen, "management: cannot watch the listener");
		goto fail;
	}
	m->start_us = loop_now_us(l);
	log_msg(LOG_NOTICE, MGMT_LOG, "listening on %s port %u", m->conf.address, m->port);
	return m;
fail:
	mgmt_free(m);
	return NULL;
}

void mgmt_free(struct mgmt *m)
{
	if (!m)
		return;
	while (m->conns)
		mgmt_conn_close(m->conns);
	if (m->lfd >= 0) {
		loop_fd_del(m->loop, m->lfd);
		close(m->lfd);
	}
	if (m->audit_fd >= 0)
		close(m->audit_fd);
	mgmt_tls_release(m);
	if (m->alerts)
		for (size_t i = 0; i < m->conf.alerts_backlog; i++)
			free(m->alerts[i]);
	free(m->alerts);
	mgmt_conf_release(&m->conf);
	free(m);
}

uint16_t mgmt_port(const struct mgmt *m)
{
	return m->port;
}

void mgmt_alert_publish(struct mgmt *m, const char *line, size_t len)
{
	size_t cap = m->conf.alerts_backlog;
	char *copy;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	copy = strndup(line, len);
	if (!copy)
		return;
	free(m->alerts[m->alerts_head]);
	m->alerts[m->alerts_head] = copy;
	m->alerts_head = (m->alerts_head + 1) % cap;
	if (m->alerts_len < cap)
		m->alerts_len++;
	m->alerts_seq++;
	for (struct mgmt_conn *c = m->conns, *next; c; c = next) {
		char buf[MGMT_FAST_LINE];
		const char *l;
		size_t n;

		next = c->next;
		if (c->st != MGMT_S_STREAM)
			continue;
		l = mgmt_alert_render(copy, c->stream_fast, buf, sizeof(buf), &n);
		mgmt_conn_send(c, MGMT_F_STREAM, l, n);
		/* a follower too slow to keep up is dropped */
		if (c->broken)
			mgmt_conn_close(c);
	}
}
