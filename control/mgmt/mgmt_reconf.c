/* SPDX-License-Identifier: MIT */
/* SIGHUP on the management port: the "management" section taken again.
 * Everything that can fail is staged in a scratch struct mgmt (its conf,
 * credentials, priority, listener, audit descriptor, alert ring); only
 * when all of it is ready is it swapped into the running one, so a failure
 * leaves the port exactly as it was. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "control/loop/loop.h"
#include "mgmt-priv.h"

static void stage_free(struct mgmt *t)
{
	if (t->lfd >= 0)
		close(t->lfd);
	if (t->audit_fd >= 0)
		close(t->audit_fd);
	mgmt_tls_release(t);
	free(t->alerts);
	mgmt_conf_release(&t->conf);
	free(t);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The newest lines of m's ring moved into t's (already allocated with
 * t->conf.alerts_backlog slots); the older ones freed. */
static void ring_move(struct mgmt *m, struct mgmt *t)
{
	size_t cap = m->conf.alerts_backlog, ncap = t->conf.alerts_backlog;
	size_t keep = m->alerts_len < ncap ? m->alerts_len : ncap;

	for (size_t i = 0; i < m->alerts_len; i++) {
		size_t at = (m->alerts_head + cap - m->alerts_len + i) % cap;

		if (i >= m->alerts_len - keep)
			t->alerts[i - (m->alerts_len - keep)] = m->alerts[at];
		else
			free(m->alerts[at]);
		m->alerts[at] = NULL;
	}
	free(m->alerts);
	m->alerts = t->alerts;
	t->alerts = NULL;
	m->alerts_len = keep;
	m->alerts_head = keep % ncap;
}

int mgmt_reconfigure(struct mgmt *m, const struct conf_node *management, char *err,
		     size_t errlen)
{
	struct mgmt *t = calloc(1, sizeof(*t));
	char tlserr[512], when[32];
	struct mgmt_creds *old;
	gnutls_priority_t oldprio;
	struct mgmt_conf oldconf;
	bool relisten;
	char *app;

	if (!t) {
		snprintf(err, errlen, "management: out of memory");
		return -ENOMEM;
	}
	t->lfd = -1;
	t->audit_fd = -1;
	if (!management) {
		snprintf(err, errlen, "management: section missing");
		goto fail;
	}
	if (mgmt_conf_parse(&t->conf, management, err, errlen))
		goto fail;
	if (mgmt_tls_init(t, true, tlserr, sizeof(tlserr))) {
		m->cnt.tls_reload_failed++;
		log_msg(LOG_ERR, MGMT_LOG, "TLS reload failed, still serving %s: %s",
			m->creds->subject, tlserr);
		snprintf(err, errlen, "%s", tlserr);
		goto fail;
	}
	relisten = !same_str(t->conf.address, m->conf.address) || t->conf.port != m->conf.port;
	if (relisten && mgmt_listen(t, err, errlen))
		goto fail;
	if (mgmt_audit_open(t, err, errlen))
		goto fail;
	if (t->conf.alerts_backlog != m->conf.alerts_backlog &&
	    !(t->alerts = calloc(t->conf.alerts_backlog, sizeof(char *)))) {
		snprintf(err, errlen, "management: out of memory");
		goto fail;
	}
	if (relisten && loop_fd_add(m->loop, t->lfd, LOOP_READ, mgmt_accept_cb, m)) {
		snprintf(err, errlen, "management: cannot watch the new listener");
		goto fail;
	}

	/* applied: nothing fails from here on */
	if (t->conf.keytab && !same_str(t->conf.keytab, m->conf.keytab) &&
	    setenv("KRB5_KTNAME", t->conf.keytab, 1) != 0)
		log_msg(LOG_WARN, MGMT_LOG, "management.sasl.keytab: %s", strerror(errno));
	if (relisten) {
		loop_fd_del(m->loop, m->lfd);
		close(m->lfd);
		m->lfd = t->lfd;
		m->port = t->port;
		t->lfd = -1;
		log_msg(LOG_NOTICE, MGMT_LOG, "listening on %s port %u", t->conf.address, m->port);
	}
	if (m->audit_fd >= 0)
		close(m->audit_fd);
	m->audit_fd = t->audit_fd;
	t->audit_fd = -1;
	if (t->alerts)
		ring_move(m, t);
	/* open connections hold their own reference to the credentials, and
	 * GnuTLS sessions to the priority cache */
	old = m->creds;
	oldprio = m->prio;
	m->creds = t->creds;
	m->prio = t->prio;
	t->creds = old;
	t->prio = oldprio;
	/* the SASL getopt callback reads m->conf where it is: swap in place */
	oldconf = m->conf;
	m->conf = t->conf;
	t->conf = oldconf;
	/* Cyrus keeps the application name it was initialised with (a pointer,
	 * once per process): that string stays, and so does the name */
	if (!same_str(m->conf.app, t->conf.app))
		log_msg(LOG_WARN, MGMT_LOG, "management.sasl.app: '%s' takes effect at the next "
			"start; '%s' stays until then", m->conf.app, t->conf.app);
	app = m->conf.app;
	m->conf.app = t->conf.app;
	t->conf.app = app;
	stage_free(t);
	m->cnt.tls_reloads++;
	mgmt_tls_time(m->creds->not_after, when, sizeof(when));
	log_msg(LOG_NOTICE, MGMT_LOG, "TLS reloaded: certificate %s, notAfter %s, from %s",
		m->creds->subject, when, m->conf.cert);
	mgmt_sasl_files_check(&m->conf);
	return 0;
fail:
	stage_free(t);
	return -EINVAL;
}
