/* SPDX-License-Identifier: MIT */
/* The command table (HAProxy's CLI keywords, DPDK telemetry): one row per
 * command with its handler, the role it needs and its help. Dispatch finds
 * the row (two words first: "rules reload"), checks the role, runs the
 * handler into a reply and sends it with a status byte. Every request is
 * audited. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bug.h"
#include "control/loop/loop.h"
#include "mgmt-priv.h"

struct mgmt_cmd;

/* argv[0..argc) are the arguments after the command's own words. */
typedef int (*mgmt_cmd_fn)(struct mgmt_conn *c, const struct mgmt_cmd *cmd, unsigned int argc,
			   const char *const *argv, struct mgmt_reply *r);

struct mgmt_cmd {
	const char *name;
	mgmt_cmd_fn fn;
	enum mgmt_role role;
	const char *args;		/* usage of the arguments, "" if none */
	const char *help;
	size_t be_off;			/* backend callback to run (cmd_backend) */
};

#define BE(field) offsetof(struct mgmt_backend, field)

static int cmd_backend(struct mgmt_conn *c, const struct mgmt_cmd *cmd, unsigned int argc,
		       const char *const *argv, struct mgmt_reply *r)
{
	mgmt_backend_cb fn;

	(void)argv;
	if (argc)
		return mgmt_reply_error(r, -EINVAL, "usage: %s", cmd->name);
	memcpy(&fn, (const char *)&c->m->be + cmd->be_off, sizeof(fn));
	if (!fn)
		return mgmt_reply_error(r, -ENOTSUP, "not available: %s", cmd->name);
	return fn(c->m->be.ctx, r);
}

/* A backend command that takes arguments: the callback checks them. */
static int cmd_backend_argv(struct mgmt_conn *c, const struct mgmt_cmd *cmd, unsigned int argc,
			    const char *const *argv, struct mgmt_reply *r)
{
	mgmt_backend_argv_cb fn;

	memcpy(&fn, (const char *)&c->m->be + cmd->be_off, sizeof(fn));
	if (!fn)
		return mgmt_reply_error(r, -ENOTSUP, "not available: %s", cmd->name);
	return fn(c->m->be.ctx, argc, argv, r);
}

/* "rules stats": the rule counters; with arguments (--top N, --sort KEY),
 * the costliest rules, which the backend's rules_top checks and answers. */
static int cmd_rules_stats(struct mgmt_conn *c, const struct mgmt_cmd *cmd, unsigned int argc,
			   const char *const *argv, struct mgmt_reply *r)
{
	if (argc == 0)
		return cmd_backend(c, cmd, argc, argv, r);
	if (!c->m->be.rules_top)
		return mgmt_reply_error(r, -ENOTSUP, "not available: %s %s", cmd->name, argv[0]);
	return c->m->be.rules_top(c->m->be.ctx, argc, argv, r);
}

static int cmd_status(struct mgmt_conn *c, const struct mgmt_cmd *cmd, unsigned int argc,
		      const char *const *argv, struct mgmt_reply *r)
{
	struct mgmt *m = c->m;
	char when[32];
	int rc = 0;

	(void)argv;
	if (argc)
		return mgmt_reply_error(r, -EINVAL, "usage: %s", cmd->name);
	if (m->be.status)
		rc = m->be.status(m->be.ctx, r);
	if (rc)
		return rc;
	mgmt_reply_obj_open(r, "management");
	mgmt_reply_uint(r, "uptime_s", (loop_now_us(m->loop) - m->start_us) / 1000000u);
	mgmt_reply_uint(r, "connections", m->nconns);
	mgmt_reply_uint(r, "unauthenticated", m->nunauth);
	mgmt_reply_uint(r, "accepted", m->cnt.accepted);
	mgmt_reply_uint(r, "refused_cap", m->cnt.refused_cap);
	mgmt_reply_uint(r, "refused_source", m->cnt.refused_source);
	mgmt_reply_uint(r, "refused_locked", m->cnt.refused_locked);
	mgmt_reply_uint(r, "lockouts", m->cnt.lockouts);
	mgmt_reply_uint(r, "user_locked", m->cnt.user_locked);
	mgmt_reply_uint(r, "tls_failed", m->cnt.tls_failed);
	mgmt_reply_uint(r, "dn_refused", m->cnt.dn_refused);
	mgmt_reply_uint(r, "auth_ok", m->cnt.auth_ok);
	mgmt_reply_uint(r, "auth_failed", m->cnt.auth_failed);
	mgmt_reply_uint(r, "timeouts", m->cnt.timeouts);
	mgmt_reply_uint(r, "denied", m->cnt.denied);
	mgmt_reply_uint(r, "commands", m->cnt.commands);
	mgmt_tls_time(m->creds->not_after, when, sizeof(when));
	mgmt_reply_obj_open(r, "tls");
	mgmt_reply_str(r, "certificate", m->creds->subject);
	mgmt_reply_str(r, "not_after", when);
	mgmt_reply_uint(r, "reloads", m->cnt.tls_reloads);
	mgmt_reply_uint(r, "reload_failures", m->cnt.tls_reload_failed);
	mgmt_reply_obj_close(r);
	mgmt_reply_obj_open(r, "bad_frames");
	for (enum mgmt_bad b = MGMT_BAD_OVERSIZED; b < MGMT_BAD_MAX; b++)
		mgmt_reply_uint(r, mgmt_bad_name(b), m->cnt.bad[b]);
	mgmt_reply_obj_close(r);
	mgmt_reply_obj_close(r);
	return 0;
}

/* "alerts [-n N] [--follow]": the last N lines of the backlog (as many as
 * it holds when N is larger: tail's way), one per line, in the form the
 * client asked for, streamed in PART frames (mgmt_alerts.c). */
static int cmd_alerts(struct mgmt_conn *c, const struct mgmt_cmd *cmd, unsigned int argc,
		      const char *const *argv, struct mgmt_reply *r)
{
	struct mgmt *m = c->m;
	unsigned long n = 20;
	bool follow = false;
	char buf[MGMT_FAST_LINE];
	const char *l;
	size_t len;

	for (unsigned int i = 0; i < argc; i++) {
		const char *a = argv[i];
		char *end;

		if (strcmp(a, "--follow") == 0 || strcmp(a, "-f") == 0) {
			follow = true;
			continue;
		}
		if (strcmp(a, "-n") == 0 && i + 1 < argc)
			a = argv[++i];
		n = strtoul(a, &end, 10);
		if (*end || end == a || *a == '-')
			return mgmt_reply_error(r, -EINVAL, "usage: %s %s", cmd->name, cmd->args);
	}
	if (n > m->alerts_len)
		n = m->alerts_len;
	if (follow) {
		c->stream_fast = !r->json;
		for (size_t i = m->alerts_len - n; i < m->alerts_len; i++) {
			l = mgmt_alert_render(mgmt_alert_at(m, i), c->stream_fast, buf, sizeof(buf),
					      &len);
			mgmt_conn_send(c, MGMT_F_STREAM, l, len);
		}
		c->st = MGMT_S_STREAM;
		return 1;		/* the reply comes when the client cancels */
	}
	return mgmt_alerts_reply(c, r, n);
}

static int cmd_whoami(struct mgmt_conn *c, const struct mgmt_cmd *cmd, unsigned int argc,
		      const char *const *argv, struct mgmt_reply *r)
{
	const char *v = gnutls_protocol_get_name(gnutls_protocol_get_version(c->tls));

	(void)argv;
	if (argc)
		return mgmt_reply_error(r, -EINVAL, "usage: %s", cmd->name);
	mgmt_reply_str(r, "identity", c->identity);
	mgmt_reply_str(r, "role", mgmt_role_name(c->role));
	mgmt_reply_str(r, "mechanism", c->mech);
	mgmt_reply_str(r, "peer", c->peer);
	mgmt_reply_str(r, "tls", v ? v : "?");
	mgmt_reply_str(r, "cipher", gnutls_cipher_get_name(gnutls_cipher_get(c->tls)));
	if (c->cert_dn[0])
		mgmt_reply_str(r, "certificate", c->cert_dn);
	return 0;
}

static int cmd_help(struct mgmt_conn *c, const struct mgmt_cmd *cmd, unsigned int argc,
		    const char *const *argv, struct mgmt_reply *r);

static const struct mgmt_cmd cmd_table[] = {
	{ "status", cmd_status, MGMT_ROLE_VIEWER, "",
	  "node, VRRP state and priority, dataplane role, uptime, versions", 0 },
	{ "stats", cmd_backend, MGMT_ROLE_VIEWER, "", "dataplane counters", BE(stats) },
	{ "alerts", cmd_alerts, MGMT_ROLE_VIEWER, "[-n N] [--follow]",
	  "the last N alerts (EVE lines); --follow streams new ones", 0 },
	{ "rules list", cmd_backend_argv, MGMT_ROLE_VIEWER, "[--sid N | --file NAME]",
	  "rules loaded and failed, and each loaded rule with the file:line it was read from",
	  BE(rules_list) },
	{ "rules stats", cmd_rules_stats, MGMT_ROLE_VIEWER,
	  "[--top N [--sort ticks|avgticks|checks|matches|maxticks]]",
	  "rule counters; --top: the N costliest rules (profiling.rules)", BE(rules_stats) },
	{ "rules reload", cmd_backend, MGMT_ROLE_OPERATOR, "",
	  "reload the rules: failed ones are skipped as at startup; the old set stays "
	  "only if the new one is unusable", BE(rules_reload) },
	{ "rules failed", cmd_backend, MGMT_ROLE_VIEWER, "",
	  "the rules that failed to load (file:line: reason)", BE(rules_failed) },
	{ "ha status", cmd_backend, MGMT_ROLE_VIEWER, "", "VRRP instances and their state",
	  BE(ha_status) },
	{ "ha demote", cmd_backend, MGMT_ROLE_OPERATOR, "",
	  "give up master for maintenance (the peer takes over)", BE(ha_demote) },
	{ "ha promote", cmd_backend, MGMT_ROLE_OPERATOR, "",
	  "take over as master now (advertise priority 254)", BE(ha_promote) },
	{ "ha release", cmd_backend, MGMT_ROLE_OPERATOR, "",
	  "undo demote/promote: back to the configured priority and normal election",
	  BE(ha_release) },
	{ "config show", cmd_backend, MGMT_ROLE_ADMIN, "",
	  "the running configuration, secrets redacted", BE(config_show) },
	{ "whoami", cmd_whoami, MGMT_ROLE_VIEWER, "", "identity, role, mechanism, TLS", 0 },
	{ "help", cmd_help, MGMT_ROLE_VIEWER, "", "this list", 0 },
};

#define N_CMDS (sizeof(cmd_table) / sizeof(cmd_table[0]))

static int cmd_help(struct mgmt_conn *c, const struct mgmt_cmd *cmd, unsigned int argc,
		    const char *const *argv, struct mgmt_reply *r)
{
	(void)argv;
	if (argc)
		return mgmt_reply_error(r, -EINVAL, "usage: %s", cmd->name);
	mgmt_reply_arr_open(r, "commands");
	for (size_t i = 0; i < N_CMDS; i++) {
		const struct mgmt_cmd *k = &cmd_table[i];

		mgmt_reply_obj_open(r, NULL);
		mgmt_reply_str(r, "command", k->name);
		if (k->args[0])
			mgmt_reply_str(r, "args", k->args);
		mgmt_reply_str(r, "role", mgmt_role_name(k->role));
		mgmt_reply_bool(r, "allowed", c->role >= k->role);
		mgmt_reply_str(r, "help", k->help);
		mgmt_reply_obj_close(r);
	}
	mgmt_reply_arr_close(r);
	return 0;
}

/* The row for argv and how many words its name took; NULL if none. */
static const struct mgmt_cmd *cmd_find(const struct mgmt_request *req, unsigned int *words)
{
	char two[2 * MGMT_REQ_MAX_ARG + 2];

	if (req->argc >= 2) {
		snprintf(two, sizeof(two), "%s %s", req->argv[0], req->argv[1]);
		for (size_t i = 0; i < N_CMDS; i++)
			if (strcmp(cmd_table[i].name, two) == 0) {
				*words = 2;
				return &cmd_table[i];
			}
	}
	for (size_t i = 0; i < N_CMDS; i++)
		if (strcmp(cmd_table[i].name, req->argv[0]) == 0) {
			*words = 1;
			return &cmd_table[i];
		}
	return NULL;
}

/* "rules" alone: list the words that may follow. */
static bool group_usage(const char *word, struct mgmt_reply *r)
{
	char list[128] = "";
	size_t wl = strlen(word), off = 0;

	for (size_t i = 0; i < N_CMDS; i++) {
		const char *n = cmd_table[i].name;

		if (strncmp(n, word, wl) == 0 && n[wl] == ' ' && off < sizeof(list))
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
						off ? "|" : "", n + wl + 1);
	}
	if (!off)
		return false;
	mgmt_reply_error(r, -EINVAL, "usage: %s %s", word, list);
	return true;
}

static uint8_t status_of(int rc)
{
	switch (rc) {
	case 0:
		return MGMT_ST_OK;
	case -EINVAL:
		return MGMT_ST_USAGE;
	case -EPERM:
		return MGMT_ST_DENIED;
	case -ENOTSUP:
		return MGMT_ST_UNAVAILABLE;
	default:
		return MGMT_ST_FAILED;
	}
}

struct mgmt_pending {
	struct mgmt_conn *c;		/* NULL once the client left */
	struct mgmt_reply r;
	char line[512];
	struct loop *loop;
	mgmt_more_cb more;		/* set: the backend waits to stream its next piece */
	void *more_ctx;
	struct loop_timer *kick;	/* calls more from the loop's top */
};

struct mgmt_pending *mgmt_reply_defer(struct mgmt_reply *r)
{
	struct mgmt_pending *p;

	if (!r->conn || r->deferred)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	if (mgmt_reply_init(&p->r, r->json)) {
		free(p);
		return NULL;
	}
	p->c = r->conn;
	p->loop = r->conn->m->loop;
	snprintf(p->line, sizeof(p->line), "%s", r->line);
	r->deferred = p;
	return p;
}

void mgmt_reply_undefer(struct mgmt_reply *r)
{
	struct mgmt_pending *p = r->deferred;

	r->deferred = NULL;
	loop_timer_cancel(p->loop, p->kick);
	mgmt_reply_release(&p->r);
	free(p);
}

/* From the loop, never from inside a connection's handler: the backend
 * may end the answer (mgmt_pending_done), which may close the connection. */
static void kick_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct mgmt_pending *p = arg;
	mgmt_more_cb more = p->more;

	(void)l;
	(void)t;
	p->kick = NULL;
	p->more = NULL;
	if (more)
		more(p->more_ctx, p->c == NULL);
}

static void kick(struct mgmt_pending *p)
{
	if (p->more && !p->kick)
		p->kick = loop_timer_add(p->loop, 0, kick_cb, p);
}

void mgmt_pending_drained(struct mgmt_pending *p)
{
	kick(p);
}

/* A backend waiting to stream is told at once, the connection being
 * closed (maybe by mgmt_free: the loop may not turn again); it ends
 * without touching the connection. */
void mgmt_pending_done_detach(struct mgmt_pending *p)
{
	mgmt_more_cb more = p->more;

	p->c = NULL;
	if (!more)
		return;
	loop_timer_cancel(p->loop, p->kick);
	p->kick = NULL;
	p->more = NULL;
	more(p->more_ctx, true);
}

struct mgmt_reply *mgmt_pending_reply(struct mgmt_pending *p)
{
	return &p->r;
}

int mgmt_pending_flush(struct mgmt_pending *p, mgmt_more_cb more, void *ctx)
{
	const char *body;
	size_t len;
	int rc;

	if (!p->c)
		return -EPIPE;
	if (p->r.failed)
		return p->r.err ? p->r.err : -EIO;
	body = mgmt_reply_sofar(&p->r, &len);
	if (!body)
		return -ENOMEM;
	rc = mgmt_conn_send_parts(p->c, body, len);
	if (rc)
		return rc;
	mgmt_reply_consume(&p->r, len);
	p->more = more;
	p->more_ctx = ctx;
	/* room now: from the loop at once; else the connection's write
	 * handler calls mgmt_pending_drained() once the client took enough */
	if (mgmt_conn_queued(p->c) < MGMT_STREAM_LOW) {
		kick(p);
		if (!p->kick) {
			p->more = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

/* Audit the outcome and send the REPLY frame of r. */
static void reply_send(struct mgmt_conn *c, struct mgmt_reply *r, int rc, const char *line)
{
	const char *body;
	size_t len = 0;
	uint8_t st = status_of(rc);

	mgmt_audit(c->m, c, "command", line, st == MGMT_ST_OK ? "ok" :
		   st == MGMT_ST_DENIED ? "denied" : "error", r->failed ? r->msg : NULL);
	if (r->failed) {
		body = r->msg;
		len = strlen(r->msg);
	} else {
		body = mgmt_reply_body(r, &len);
		if (!body) {
			st = MGMT_ST_FAILED;
			body = "reply too large or out of memory";
			len = strlen(body);
		}
	}
	mgmt_conn_send2(c, MGMT_F_REPLY, &st, 1, body, len);
}

void mgmt_pending_done(struct mgmt_pending *p, int rc)
{
	struct mgmt_conn *c = p->c;

	if (c) {
		if (rc && !p->r.failed)
			mgmt_reply_error(&p->r, rc, "%s: %s", p->line, strerror(-rc));
		reply_send(c, &p->r, rc, p->line);
		c->pending = NULL;
	}
	loop_timer_cancel(p->loop, p->kick);
	mgmt_reply_release(&p->r);
	free(p);
	if (c)
		mgmt_conn_resume(c);
}

void mgmt_cmd_run(struct mgmt_conn *c, const struct mgmt_request *req)
{
	struct mgmt *m = c->m;
	const struct mgmt_cmd *cmd;
	struct mgmt_reply r;
	char line[512];
	unsigned int words = 0;
	size_t off = 0;
	int rc;

	line[0] = '\0';
	for (unsigned int i = 0; i < req->argc && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s", i ? " " : "",
					req->argv[i]);
	m->cnt.commands++;
	if (mgmt_reply_init(&r, req->flags & MGMT_REQ_JSON)) {
		mgmt_conn_send(c, MGMT_F_ERROR, "out of memory", 13);
		return;
	}
	r.conn = c;
	r.line = line;
	cmd = cmd_find(req, &words);
	if (!cmd) {
		if (!group_usage(req->argv[0], &r))
			mgmt_reply_error(&r, -EINVAL, "unknown command '%s' (try help)",
					 req->argv[0]);
		rc = r.err;
	} else if (c->role < cmd->role) {
		m->cnt.denied++;
		rc = mgmt_reply_error(&r, -EPERM, "permission denied: needs %s",
				      mgmt_role_name(cmd->role));
	} else {
		rc = cmd->fn(c, cmd, req->argc - words, req->argv + words, &r);
		if (rc == MGMT_REPLY_DEFERRED && r.deferred) {
			/* audited and answered by mgmt_pending_done() */
			c->pending = r.deferred;
			c->st = MGMT_S_BUSY;
			mgmt_reply_release(&r);
			return;
		}
		BUG_ON(rc == MGMT_REPLY_DEFERRED || r.deferred);
		if (rc && !r.failed)
			mgmt_reply_error(&r, rc, "%s: %s", cmd->name, strerror(-rc));
	}
	if (rc == 1) {
		mgmt_audit(m, c, "command", line, "streaming", NULL);
		mgmt_reply_release(&r);
		return;
	}
	reply_send(c, &r, rc, line);
	mgmt_reply_release(&r);
}
