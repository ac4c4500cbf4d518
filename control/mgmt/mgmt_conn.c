/* SPDX-License-Identifier: MIT */
/* One management connection: accept, TLS handshake, SASL exchange, then
 * framed requests, driven by the event loop (the state diagram is in
 * mgmt-priv.h). Nothing blocks: GnuTLS runs on the non-blocking socket and
 * tells which direction it waits for; output is queued and flushed when the
 * socket is writable. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "control/loop/loop.h"
#include "mgmt-priv.h"

static void conn_timer_cb(struct loop *l, struct loop_timer *t, void *arg);

static void conn_timer_set(struct mgmt_conn *c, uint64_t delay_us)
{
	if (c->timer)
		loop_timer_rearm(c->m->loop, c->timer, delay_us);
	else
		c->timer = loop_timer_add(c->m->loop, delay_us, conn_timer_cb, c);
}

static void conn_events(struct mgmt_conn *c, bool write, bool read_paused)
{
	if (write == c->want_write && read_paused == c->read_paused)
		return;
	c->want_write = write;
	c->read_paused = read_paused;
	loop_fd_mod(c->m->loop, c->fd, (read_paused ? 0 : LOOP_READ) | (write ? LOOP_WRITE : 0));
}

static void conn_watch(struct mgmt_conn *c, bool write)
{
	conn_events(c, write, c->read_paused);
}

void mgmt_conn_close(struct mgmt_conn *c)
{
	struct mgmt *m = c->m;

	if (c->prev)
		c->prev->next = c->next;
	else
		m->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	m->nconns--;
	if (!c->authed)
		m->nunauth--;
	if (c->pending)
		mgmt_pending_done_detach(c->pending);
	loop_fd_del(m->loop, c->fd);
	loop_timer_cancel(m->loop, c->timer);
	if (c->sasl)
		sasl_dispose(&c->sasl);
	if (c->tls && c->handshake_done && !c->broken)
		gnutls_bye(c->tls, GNUTLS_SHUT_WR);
	mgmt_tls_session_end(c);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

/* Stop reading; close once the queued output is out (or after a linger). */
static void conn_closing(struct mgmt_conn *c)
{
	c->st = MGMT_S_CLOSING;
	conn_timer_set(c, MGMT_LINGER_US);
}

/* The connection is unusable: drop what is queued and close at the end of
 * the current callback. */
static void conn_broken(struct mgmt_conn *c)
{
	c->out_off = c->out_len = 0;
	c->send_len = 0;
	c->broken = true;
	c->st = MGMT_S_CLOSING;
}

static void conn_flush(struct mgmt_conn *c)
{
	while (c->out_off < c->out_len) {
		size_t n = c->send_len ? c->send_len : c->out_len - c->out_off;
		ssize_t w;

		if (n > 16384)
			n = 16384;
		w = gnutls_record_send(c->tls, c->out + c->out_off, n);
		if (w == GNUTLS_E_AGAIN || w == GNUTLS_E_INTERRUPTED) {
			c->send_len = n;
			conn_watch(c, true);
			return;
		}
		c->send_len = 0;
		if (w < 0) {
			conn_broken(c);
			return;
		}
		c->out_off += (size_t)w;
	}
	c->out_off = c->out_len = 0;
	conn_watch(c, false);
}

static int out_reserve(struct mgmt_conn *c, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (c->out_cap - c->out_len >= n)
		return 0;
	/* reclaim what was already sent, unless GnuTLS still holds a pointer */
	if (c->out_off && !c->send_len) {
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
		if (c->out_cap - c->out_len >= n)
			return 0;
	}
	if (c->out_len + n > MGMT_OUT_MAX)
		return -ENOBUFS;
	cap = c->out_cap ? c->out_cap : 4096;
	while (cap - c->out_len < n)
		cap *= 2;
	p = realloc(c->out, cap);
	if (!p)
		return -ENOMEM;
	c->out = p;
	c->out_cap = cap;
	return 0;
}

/* The largest PART a client reads whatever its max_frame: the type byte
 * and at most MGMT_FRAME_MAX_DEFAULT - 1 body bytes. */
static size_t part_max(const struct mgmt_conn *c)
{
	return (c->m->conf.max_frame < MGMT_FRAME_MAX_DEFAULT ? c->m->conf.max_frame
							      : MGMT_FRAME_MAX_DEFAULT) - 1;
}

int mgmt_conn_send_parts(struct mgmt_conn *c, const void *body, size_t n)
{
	const uint8_t *b = body;
	size_t piece = part_max(c);
	int rc;

	while (n > 0) {
		size_t k = n < piece ? n : piece;

		rc = mgmt_conn_send2(c, MGMT_F_PART, b, k, NULL, 0);
		if (rc)
			return rc;
		b += k;
		n -= k;
	}
	return c->broken ? -EPIPE : 0;
}

size_t mgmt_conn_queued(const struct mgmt_conn *c)
{
	return c->out_len - c->out_off;
}

/* A REPLY too large for one frame: the body's leading parts as PART frames
 * (mgmt_conn_send_parts), then the REPLY with the status byte and the
 * rest. A body written whole (not streamed with mgmt_pending_flush) must
 * fit the output queue (MGMT_OUT_MAX): a larger one is answered status 3. */
static int send_chunked(struct mgmt_conn *c, const uint8_t *status, const uint8_t *b, size_t bn)
{
	size_t piece = part_max(c), lead;
	int rc;

	if (bn + (bn / piece + 1) * (MGMT_FRAME_HDR + 1) > MGMT_OUT_MAX - c->out_len) {
		static const char msg[] = "\003reply too large (more than 4 MiB)";

		return mgmt_conn_send2(c, MGMT_F_REPLY, msg, sizeof(msg) - 1, NULL, 0);
	}
	/* the REPLY keeps the status byte and less than one piece */
	lead = bn + 1 > piece ? bn / piece * piece : 0;
	rc = mgmt_conn_send_parts(c, b, lead);
	if (rc)
		return rc;
	return mgmt_conn_send2(c, MGMT_F_REPLY, status, 1, b + lead, bn - lead);
}

int mgmt_conn_send2(struct mgmt_conn *c, uint8_t type, const void *a, size_t an,
		    const void *b, size_t bn)
{
	int rc;

	if (c->broken)
		return -EPIPE;
	if (an + bn + 1 > c->m->conf.max_frame && type == MGMT_F_REPLY && an == 1)
		return send_chunked(c, a, b, bn);
	if (an + bn + 1 > c->m->conf.max_frame) {
		/* our own reply is too big for the protocol: say so instead */
		static const char msg[] = "reply too large";

		return mgmt_conn_send2(c, MGMT_F_ERROR, msg, sizeof(msg) - 1, NULL, 0);
	}
	rc = out_reserve(c, MGMT_FRAME_HDR + an + bn);
	if (rc) {
		conn_broken(c);
		return rc;
	}
	mgmt_frame_header(c->out + c->out_len, type, an + bn);
	c->out_len += MGMT_FRAME_HDR;
	if (an)
		memcpy(c->out + c->out_len, a, an);
	c->out_len += an;
	if (bn)
		memcpy(c->out + c->out_len, b, bn);
	c->out_len += bn;
	if (!c->want_write)
		conn_flush(c);
	return 0;
}

int mgmt_conn_send(struct mgmt_conn *c, uint8_t type, const void *p, size_t n)
{
	return mgmt_conn_send2(c, type, p, n, NULL, 0);
}

static void conn_error(struct mgmt_conn *c, const char *msg)
{
	mgmt_conn_send(c, MGMT_F_ERROR, msg, strlen(msg));
	conn_closing(c);
}

static void tls_done(struct mgmt_conn *c)
{
	struct mgmt *m = c->m;
	char reason[600], hello[512];
	uint64_t now = loop_now_us(m->loop);
	int len;

	c->handshake_done = true;
	if (mgmt_tls_peer(c, reason, sizeof(reason))) {
		m->cnt.dn_refused++;
		mgmt_audit(m, c, "tls", NULL, "refused", reason);
		conn_error(c, reason);
		return;
	}
	if (mgmt_sasl_conn(c)) {
		mgmt_audit(m, c, "sasl", NULL, "error", "SASL setup failed");
		conn_error(c, "server error: SASL setup failed");
		return;
	}
	len = snprintf(hello, sizeof(hello), "%s ", MGMT_PROTO_NAME);
	mgmt_sasl_mechs(c, hello + len, sizeof(hello) - (size_t)len);
	c->st = MGMT_S_AUTH;
	conn_timer_set(c, c->accept_us + m->conf.auth_us > now ?
			  c->accept_us + m->conf.auth_us - now : 0);
	mgmt_conn_send(c, MGMT_F_HELLO, hello, strlen(hello));
}

static void do_handshake(struct mgmt_conn *c)
{
	int rc = gnutls_handshake(c->tls);

	if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) {
		conn_watch(c, gnutls_record_get_direction(c->tls) == 1);
		return;
	}
	conn_watch(c, false);
	if (rc < 0) {
		c->m->cnt.tls_failed++;
		mgmt_audit(c->m, c, "tls", NULL, "failed", gnutls_strerror(rc));
		/* tell the client why (best effort: the socket does not block) */
		gnutls_alert_send_appropriate(c->tls, rc);
		conn_broken(c);
		return;
	}
	tls_done(c);
}

/* Authentication finished in SASL's eyes: apply our own allow-list and
 * roles, then answer. */
static int auth_accept(struct mgmt_conn *c, char *reason, size_t rlen)
{
	const struct mgmt_conf *mc = &c->m->conf;

	if (mc->users_set && !mgmt_match_any(mc->users, mc->n_users, c->identity)) {
		snprintf(reason, rlen, "user '%s' not in allowed_users", c->identity);
		return -EACCES;
	}
	/* bind_client_cert: a certificate issued to alice cannot log in as bob */
	if (mc->bind_client_cert && strcmp(c->cert_cn, c->identity) != 0) {
		snprintf(reason, rlen, c->cert_cn[0] ?
			 "client certificate CN '%s' is not the identity '%s'" :
			 "bind_client_cert: no verified client certificate%s for '%s'",
			 c->cert_cn, c->identity);
		return -EACCES;
	}
	c->role = mgmt_conf_role(mc, c->identity);
	if (c->role == MGMT_ROLE_NONE) {
		snprintf(reason, rlen, "user '%s' has no role", c->identity);
		return -EACCES;
	}
	return 0;
}

static void auth_fail(struct mgmt_conn *c, const char *reason)
{
	struct mgmt *m = c->m;
	uint64_t delay;

	m->cnt.auth_failed++;
	mgmt_audit(m, c, "auth", NULL, "failed", reason);
	delay = mgmt_guard_fail(m, c, c->identity[0] ? c->identity : c->user_tried);
	snprintf(c->fail_reason, sizeof(c->fail_reason), "authentication failed");
	c->st = MGMT_S_PENALTY;
	conn_timer_set(c, delay);
}

static void handle_auth(struct mgmt_conn *c, const struct mgmt_frame *f)
{
	struct mgmt *m = c->m;
	char mech[sizeof(c->mech)], reason[400];
	const uint8_t *in = f->payload;
	size_t inlen = f->len;
	bool has_in = true;
	const char *out;
	unsigned int outlen;
	int rc;

	if (f->type == MGMT_F_AUTH_START && !c->auth_started) {
		const uint8_t *nul = memchr(f->payload, '\0', f->len);
		size_t n = nul ? (size_t)(nul - f->payload) : f->len;

		if (n == 0 || n >= sizeof(mech)) {
			m->cnt.bad[MGMT_BAD_ARGS]++;
			conn_error(c, "malformed AUTH_START");
			return;
		}
		memcpy(mech, f->payload, n);
		mech[n] = '\0';
		snprintf(c->mech, sizeof(c->mech), "%s", mech);
		has_in = nul != NULL;
		in = nul ? nul + 1 : NULL;
		inlen = nul ? f->len - n - 1 : 0;
		c->auth_started = true;
		mgmt_sasl_user_tried(mech, in, inlen, c->user_tried, sizeof(c->user_tried));
		if (mgmt_guard_user_locked(m, c->user_tried)) {
			/* told apart in the audit only: the client sees a failure */
			m->cnt.user_locked++;
			snprintf(reason, sizeof(reason), "user '%s' is locked out", c->user_tried);
			auth_fail(c, reason);
			return;
		}
		rc = mgmt_sasl_step(c, mech, in, inlen, has_in, &out, &outlen, reason,
				    sizeof(reason));
	} else if (f->type == MGMT_F_AUTH_STEP && c->auth_started) {
		rc = mgmt_sasl_step(c, NULL, in, inlen, true, &out, &outlen, reason,
				    sizeof(reason));
	} else {
		/* nothing but authentication is answered before it succeeds */
		mgmt_audit(m, c, "protocol", NULL, "refused", "frame before authentication");
		conn_error(c, "not authenticated");
		return;
	}
	if (rc == 1) {
		mgmt_conn_send(c, MGMT_F_CHALLENGE, out, outlen);
		return;
	}
	if (rc == 0)
		rc = auth_accept(c, reason, sizeof(reason));
	if (rc) {
		auth_fail(c, reason);
		return;
	}
	c->st = MGMT_S_READY;
	c->authed = true;
	m->nunauth--;
	m->cnt.auth_ok++;
	mgmt_guard_ok(m, c, c->identity);
	mgmt_audit(m, c, "auth", NULL, "ok", mgmt_role_name(c->role));
	conn_timer_set(c, m->conf.idle_us);
	mgmt_conn_send(c, MGMT_F_AUTH_OK, out, outlen);
}

static void handle_frame(struct mgmt_conn *c, const struct mgmt_frame *f)
{
	struct mgmt_request req;
	enum mgmt_bad bad;

	switch (c->st) {
	case MGMT_S_AUTH:
		handle_auth(c, f);
		return;
	case MGMT_S_READY:
		conn_timer_set(c, c->m->conf.idle_us);
		if (f->type == MGMT_F_CANCEL) {
			/* answered like a bad request, the connection stays */
			static const char msg[] = "\001no stream to cancel";

			c->m->cnt.bad[MGMT_BAD_ARGS]++;
			mgmt_conn_send(c, MGMT_F_REPLY, msg, sizeof(msg) - 1);
			return;
		}
		if (f->type != MGMT_F_REQUEST) {
			conn_error(c, "unexpected frame");
			return;
		}
		if (mgmt_request_parse(f->payload, f->len, &req, &bad)) {
			c->m->cnt.bad[bad]++;
			conn_error(c, "malformed request");
			return;
		}
		mgmt_cmd_run(c, &req);
		return;
	case MGMT_S_STREAM:
		if (f->type != MGMT_F_CANCEL) {
			conn_error(c, "unexpected frame during a stream");
			return;
		}
		c->st = MGMT_S_READY;
		conn_timer_set(c, c->m->conf.idle_us);
		mgmt_conn_send2(c, MGMT_F_REPLY, "\0", 1, NULL, 0);
		return;
	default:
		/* PENALTY and CLOSING read nothing more */
		return;
	}
}

static bool parsing(const struct mgmt_conn *c)
{
	return c->st == MGMT_S_AUTH || c->st == MGMT_S_READY || c->st == MGMT_S_STREAM;
}

/* Handle the complete frames in c->in while the state takes them. */
static void parse_input(struct mgmt_conn *c)
{
	struct mgmt *m = c->m;
	size_t off = 0;
	struct mgmt_frame f;
	enum mgmt_bad bad;
	int rc = 0;

	while (parsing(c)) {
		rc = mgmt_frame_parse(c->in + off, c->in_len - off, m->conf.max_frame, &f, &bad);
		if (rc <= 0)
			break;
		handle_frame(c, &f);
		off += (size_t)rc;
	}
	if (rc < 0) {
		char msg[96];

		m->cnt.bad[bad]++;
		if (bad == MGMT_BAD_OVERSIZED)
			snprintf(msg, sizeof(msg), "frame too large (max %u bytes)",
				 m->conf.max_frame);
		else
			snprintf(msg, sizeof(msg), "malformed frame (%s)", mgmt_bad_name(bad));
		mgmt_audit(m, c, "protocol", NULL, "refused", msg);
		conn_error(c, msg);
		return;
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
}

/* BUSY reads on (to notice a client leaving) but parses nothing; with
 * the buffer full it stops watching for input until the reply is out. */
static void read_frames(struct mgmt_conn *c)
{
	while (parsing(c) || c->st == MGMT_S_BUSY) {
		ssize_t n;

		if (c->in_len == c->in_cap) {
			conn_events(c, c->want_write, true);
			return;
		}
		n = gnutls_record_recv(c->tls, c->in + c->in_len, c->in_cap - c->in_len);
		if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
			return;
		if (n <= 0) {
			conn_broken(c);
			return;
		}
		c->in_len += (size_t)n;
		parse_input(c);
	}
}

void mgmt_conn_resume(struct mgmt_conn *c)
{
	if (c->st == MGMT_S_BUSY) {
		c->st = MGMT_S_READY;
		conn_timer_set(c, c->m->conf.idle_us);
		conn_events(c, c->want_write, false);
		parse_input(c);
		/* GnuTLS may hold decrypted records the socket will not signal */
		if (parsing(c) && gnutls_record_check_pending(c->tls))
			read_frames(c);
	}
	if (c->st == MGMT_S_CLOSING && c->out_len == 0)
		mgmt_conn_close(c);
}

static void conn_io_cb(struct loop *l, int fd, unsigned events, void *arg)
{
	struct mgmt_conn *c = arg;

	(void)l;
	(void)fd;
	if (c->st == MGMT_S_TLS) {
		do_handshake(c);
	} else {
		if ((events & LOOP_WRITE) && c->out_len) {
			conn_flush(c);
			/* a streamed answer writes its next piece once this is taken */
			if (c->st == MGMT_S_BUSY && c->pending &&
			    mgmt_conn_queued(c) < MGMT_STREAM_LOW)
				mgmt_pending_drained(c->pending);
		}
		if (events & LOOP_READ) {
			if (c->st == MGMT_S_PENALTY || c->st == MGMT_S_CLOSING) {
				/* read and drop, to notice the peer leaving */
				uint8_t junk[512];
				ssize_t n = gnutls_record_recv(c->tls, junk, sizeof(junk));

				if (n == 0 || (n < 0 && n != GNUTLS_E_AGAIN &&
					       n != GNUTLS_E_INTERRUPTED))
					conn_broken(c);
			} else {
				read_frames(c);
			}
		}
	}
	if (c->st == MGMT_S_CLOSING && c->out_len == 0)
		mgmt_conn_close(c);
}

static void conn_timer_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	struct mgmt_conn *c = arg;
	struct mgmt *m = c->m;

	(void)l;
	(void)t;
	c->timer = NULL;		/* one-shot: the loop frees t after we return */
	switch (c->st) {
	case MGMT_S_TLS:
		m->cnt.timeouts++;
		mgmt_audit(m, c, "timeout", NULL, "closed", "TLS handshake");
		conn_broken(c);
		break;
	case MGMT_S_AUTH:
		m->cnt.timeouts++;
		mgmt_audit(m, c, "timeout", NULL, "closed", "authentication");
		conn_error(c, "authentication timeout");
		break;
	case MGMT_S_PENALTY:
		mgmt_conn_send(c, MGMT_F_AUTH_FAIL, c->fail_reason, strlen(c->fail_reason));
		conn_closing(c);
		break;
	case MGMT_S_READY:
		m->cnt.timeouts++;
		mgmt_audit(m, c, "timeout", NULL, "closed", "idle");
		conn_error(c, "idle timeout");
		break;
	case MGMT_S_STREAM:
	case MGMT_S_BUSY:
		/* following alerts, or waiting for the dataplane, is not idleness */
		conn_timer_set(c, m->conf.idle_us);
		break;
	case MGMT_S_CLOSING:
		conn_broken(c);
		break;
	}
	if (c->st == MGMT_S_CLOSING && c->out_len == 0)
		mgmt_conn_close(c);
}

static void format_peer(struct mgmt_conn *c)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (c->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)&c->addr;

		inet_ntop(AF_INET6, &s->sin6_addr, host, sizeof(host));
		snprintf(c->peer, sizeof(c->peer), "[%s]:%u", host, ntohs(s->sin6_port));
	} else {
		const struct sockaddr_in *s = (const struct sockaddr_in *)&c->addr;

		inet_ntop(AF_INET, &s->sin_addr, host, sizeof(host));
		snprintf(c->peer, sizeof(c->peer), "%s:%u", host, ntohs(s->sin_port));
	}
}

static void conn_new(struct mgmt *m, int fd, const struct sockaddr_storage *ss)
{
	struct mgmt_conn *c = calloc(1, sizeof(*c));

	if (!c) {
		close(fd);
		return;
	}
	c->m = m;
	c->fd = fd;
	c->addr = *ss;
	c->st = MGMT_S_TLS;
	c->accept_us = loop_now_us(m->loop);
	format_peer(c);
	c->in_cap = (size_t)m->conf.max_frame + 4;
	c->in = malloc(c->in_cap);
	if (!c->in || mgmt_tls_session(m, c) ||
	    loop_fd_add(m->loop, fd, LOOP_READ, conn_io_cb, c)) {
		mgmt_tls_session_end(c);
		free(c->in);
		free(c);
		close(fd);
		return;
	}
	c->next = m->conns;
	if (m->conns)
		m->conns->prev = c;
	m->conns = c;
	m->nconns++;
	m->nunauth++;
	m->cnt.accepted++;
	conn_timer_set(c, m->conf.handshake_us);
}

void mgmt_accept_cb(struct loop *l, int lfd, unsigned events, void *arg)
{
	struct mgmt *m = arg;

	(void)l;
	(void)events;
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		/* no TLS yet, so nothing can be said: just close */
		if (m->nconns >= m->conf.max_clients || m->nunauth >= m->conf.max_unauth) {
			m->cnt.refused_cap++;
			mgmt_guard_refuse(m, &ss, "max_clients or max_unauthenticated reached");
		} else if (mgmt_guard_unauth_from(m, &ss) >= m->conf.max_unauth_src) {
			m->cnt.refused_source++;
			mgmt_guard_refuse(m, &ss, "max_unauthenticated_per_source reached");
		} else if (mgmt_guard_src_locked(m, &ss)) {
			m->cnt.refused_locked++;
			mgmt_guard_refuse(m, &ss, "address locked out after failed logins");
		} else {
			conn_new(m, fd, &ss);
			continue;
		}
		close(fd);
	}
}
