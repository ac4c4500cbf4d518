/* SPDX-License-Identifier: MIT */
/* The audit log: one JSON object per line, appended with a single write so
 * lines from one process never interleave:
 * {"time":"2024-05-01T10:00:00.123456+0000","peer":"192.0.2.9:50122",
 *  "identity":"alice","mechanism":"SCRAM-SHA-256-PLUS","event":"command",
 *  "command":"rules reload","result":"ok"} */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "mgmt-priv.h"

int mgmt_audit_open(struct mgmt *m, char *err, size_t errlen)
{
	m->audit_fd = -1;
	if (!m->conf.audit_file)
		return 0;
	m->audit_fd = open(m->conf.audit_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (m->audit_fd < 0) {
		snprintf(err, errlen, "management.audit %s: %s", m->conf.audit_file,
			 strerror(errno));
		return -errno;
	}
	return 0;
}

/* One record: c may be NULL (then peer says who). */
static void audit(struct mgmt *m, const struct mgmt_conn *c, const char *peer, const char *event,
		  const char *command, const char *result, const char *detail)
{
	char buf[3072], ts[64], tz[8];
	struct json_w j;
	struct timeval tv;
	struct tm tm;

	if (m->audit_fd < 0)
		return;
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(tz, sizeof(tz), "%z", &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + strlen(ts), sizeof(ts) - strlen(ts), ".%06ld%s", (long)tv.tv_usec, tz);
	json_init(&j, buf, sizeof(buf) - 1);
	json_obj_open(&j, NULL);
	json_str(&j, "time", ts);
	json_str(&j, "peer", c ? c->peer : peer);
	if (c && c->identity[0])
		json_str(&j, "identity", c->identity);
	else if (c && c->user_tried[0])
		json_str(&j, "user", c->user_tried);	/* the name tried, not an identity */
	if (c && c->mech[0])
		json_str(&j, "mechanism", c->mech);
	if (c && c->cert_dn[0])
		json_str(&j, "cert_dn", c->cert_dn);
	json_str(&j, "event", event);
	if (command)
		json_str(&j, "command", command);
	json_str(&j, "result", result);
	if (detail)
		json_str(&j, "detail", detail);
	json_obj_close(&j);
	json_newline(&j);
	if (!json_ok(&j))
		return;
	if (write(m->audit_fd, buf, json_len(&j)) != (ssize_t)json_len(&j))
		log_msg(LOG_WARN, MGMT_LOG, "audit %s: %s", m->conf.audit_file, strerror(errno));
}

void mgmt_audit(struct mgmt *m, const struct mgmt_conn *c, const char *event,
		const char *command, const char *result, const char *detail)
{
	audit(m, c, NULL, event, command, result, detail);
}

void mgmt_audit_peer(struct mgmt *m, const char *peer, const char *event, const char *result,
		     const char *detail)
{
	audit(m, NULL, peer, event, NULL, result, detail);
}
