/* SPDX-License-Identifier: MIT */
/* Internals of the management port, shared by its files only. */
#ifndef IDS_MGMT_PRIV_H
#define IDS_MGMT_PRIV_H

#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <sasl/sasl.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "common/json.h"
#include "mgmt.h"
#include "mgmt_cbind.h"
#include "mgmt_frame.h"

#define MGMT_LOG "mgmt"

/* What "management.*" says, copied out of the tree (strings malloc'd). */
struct mgmt_conf {
	char *address;
	uint16_t port;
	/* tls */
	char *cert, *key, *ca, *crl, *priority;
	bool require_client_cert;
	bool bind_client_cert;		/* the certificate's CN must be the SASL identity */
	char **allowed_dn;		/* fnmatch patterns; NULL list = any */
	unsigned int n_allowed_dn;
	bool dn_list_set;
	/* sasl */
	char *app, *service, *hostname, *realm, *sasldb, *keytab;
	char **mechs;			/* upper case, as configured */
	unsigned int n_mechs;
	bool allow_weak;		/* DIGEST-MD5 / CRAM-MD5 accepted */
	char **users;			/* fnmatch patterns */
	unsigned int n_users;
	bool users_set;			/* present: an empty list refuses everyone */
	/* roles, in file order; patterns may use wildcards */
	char **role_names;
	enum mgmt_role *roles;
	unsigned int n_roles;
	char *audit_file;
	/* limits */
	uint32_t max_frame;
	unsigned int max_clients, max_unauth, alerts_backlog;
	unsigned int max_unauth_src;	/* not yet authenticated, per source address */
	uint64_t handshake_us, auth_us, idle_us;
	uint64_t fail_delay_us, fail_delay_max_us;
	unsigned int lockout_fails;	/* failures (per address, per user) that lock */
	uint64_t lockout_us;		/* for this long */
};

int mgmt_conf_parse(struct mgmt_conf *mc, const struct conf_node *n, char *err, size_t errlen);
void mgmt_conf_release(struct mgmt_conf *mc);
/* True if name matches one of the fnmatch patterns. */
bool mgmt_match_any(char *const *pats, unsigned int n, const char *name);
/* The role of an identity: an exact key first, then the first wildcard. */
enum mgmt_role mgmt_conf_role(const struct mgmt_conf *mc, const char *identity);
const char *mgmt_role_name(enum mgmt_role r);
int mgmt_role_parse(const char *s, enum mgmt_role *out);

/* Per-connection state machine (PROTOCOL.md):
 *
 *   accept -> TLS --handshake, DN ok--> AUTH --SASL ok, role--> READY
 *              |                         |  ^ CHALLENGE/STEP     |   ^
 *              |                         |--+                   v   | X/cancel
 *              |                         +--fail--> PENALTY   STREAM
 *              |                           READY --deferred--> BUSY --done--> READY
 *              +--------- error/timeout -----> CLOSING <---- error/timeout
 */
enum mgmt_state {
	MGMT_S_TLS,
	MGMT_S_AUTH,
	MGMT_S_PENALTY,			/* failed auth: answer after a delay, then close */
	MGMT_S_READY,
	MGMT_S_STREAM,			/* alerts --follow */
	MGMT_S_BUSY,			/* a deferred reply is pending (no reads parsed) */
	MGMT_S_CLOSING,			/* flush what is queued, then close */
};

struct mgmt_conn {
	struct mgmt_conn *prev, *next;
	struct mgmt *m;
	int fd;
	enum mgmt_state st;
	bool authed;			/* reached READY once (counted apart) */
	bool handshake_done;
	bool auth_started;
	bool want_write;
	bool read_paused;		/* BUSY with a full input buffer */
	bool broken;			/* the socket or the TLS session failed */
	struct sockaddr_storage addr;
	char peer[64];			/* "ip:port" */
	gnutls_session_t tls;
	sasl_conn_t *sasl;
	char mech[32];
	char identity[256];
	char cert_dn[512];
	char cert_cn[256];
	char user_tried[256];		/* the name an AUTH_START carried, for tracking and audit */
	enum mgmt_role role;
	struct mgmt_creds *creds;	/* the set accepted with, held until close */
	sasl_channel_binding_t cbind;	/* kept alive: SASL holds a pointer */
	uint8_t cbind_data[64];
	struct loop_timer *timer;
	char fail_reason[128];		/* PENALTY: what AUTH_FAIL will say */
	uint8_t *in;
	size_t in_len, in_cap;
	uint8_t *out;
	size_t out_off, out_len, out_cap;
	size_t send_len;		/* a record GnuTLS must be given again (EAGAIN) */
	uint64_t accept_us;
	struct mgmt_pending *pending;	/* BUSY: the answer being waited for */
	bool stream_fast;		/* STREAM without --json: fast.log lines */
};

/* A client that lets this much output pile up (a stalled alerts --follow)
 * is dropped rather than buffered without bound. */
#define MGMT_OUT_MAX (4u << 20)
/* How long a closing connection may take to flush its last frame. */
#define MGMT_LINGER_US 2000000u

#define MGMT_GUARD_SLOTS 256
#define MGMT_GUARD_FORGET_US (600ull * 1000000ull)
#define MGMT_GUARD_KEY 64

/* Failures of one source address (key: 16 bytes, IPv4 v4-mapped) or one
 * user name tried (key: the name, NUL-padded). */
struct mgmt_track {
	uint8_t key[MGMT_GUARD_KEY];
	uint32_t fails;
	uint64_t last_us;
	uint64_t locked_until_us;
};

struct mgmt_counters {
	uint64_t accepted, refused_cap, tls_failed, dn_refused;
	uint64_t refused_source, refused_locked, lockouts, user_locked;
	uint64_t auth_ok, auth_failed, timeouts, denied, commands;
	uint64_t tls_reloads, tls_reload_failed;
	uint64_t bad[MGMT_BAD_MAX];
};

struct mgmt {
	struct loop *loop;
	struct mgmt_conf conf;
	struct mgmt_backend be;
	int lfd;
	uint16_t port;
	struct mgmt_creds *creds;	/* what new connections get */
	gnutls_priority_t prio;
	sasl_callback_t sasl_cbs[3];	/* per-connection callbacks: Cyrus keeps the pointer */
	struct mgmt_conn *conns;
	unsigned int nconns, nunauth;
	struct mgmt_track guard_src[MGMT_GUARD_SLOTS];
	struct mgmt_track guard_user[MGMT_GUARD_SLOTS];
	uint64_t refusal_window_us;	/* refusal log lines: rate limit */
	unsigned int refusal_lines;
	uint64_t refusals_unlogged;
	char **alerts;			/* ring of alerts_backlog lines */
	size_t alerts_head, alerts_len;
	uint64_t alerts_seq;		/* lines ever published: the newest is alerts_seq - 1 */
	int audit_fd;
	uint64_t start_us;
	struct mgmt_counters cnt;
};

/* The x509 set one handshake uses: certificate chain, key, CA and CRL,
 * loaded and checked together. Counted, all on the loop's thread: the port
 * holds the current set and each connection the set it was accepted with,
 * so a reload only changes what new connections get and the old set is
 * freed when the last connection using it closes. */
struct mgmt_creds {
	unsigned int refs;
	gnutls_certificate_credentials_t cred;
	char subject[256];		/* of the server certificate, RFC 4514 */
	time_t not_after;
};

/* mgmt_tls.c */
/* The credentials and priority of m->conf into m->creds and m->prio;
 * reload refuses an expired certificate (at start it is accepted so that
 * HA comes up). 0 or -EINVAL with err naming the key, the file, the cause. */
int mgmt_tls_init(struct mgmt *m, bool reload, char *err, size_t errlen);
void mgmt_tls_release(struct mgmt *m);
/* A server session for c on the current credentials (c holds a reference
 * to them); mgmt_tls_session_end() deinits it and drops the reference.
 * Either is safe on a connection whose session setup failed half way. */
int mgmt_tls_session(struct mgmt *m, struct mgmt_conn *c);
void mgmt_tls_session_end(struct mgmt_conn *c);
/* "2024-05-01T10:00:00Z" into buf (at least 21 bytes). */
void mgmt_tls_time(time_t t, char *buf, size_t len);
/* After the handshake: read the client certificate's DN and CN and check
 * the DN allow-list. 0 or -EACCES with reason filled. */
int mgmt_tls_peer(struct mgmt_conn *c, char *reason, size_t len);
unsigned int mgmt_tls_ssf(gnutls_session_t s);

/* mgmt_sasl.c */
int mgmt_sasl_init(struct mgmt *m, char *err, size_t errlen);
int mgmt_sasl_conn(struct mgmt_conn *c);
/* Space-separated mechanisms offered on this connection into buf. */
void mgmt_sasl_mechs(struct mgmt_conn *c, char *buf, size_t len);
/* One SASL step. Returns 1 (continue: send *out as CHALLENGE), 0 (done:
 * c->identity set, *out is the final data) or -EACCES with reason. */
/* The user name an AUTH_START's initial response carries (PLAIN's authcid,
 * SCRAM's n=), into out ("" when the mechanism says none up front). */
void mgmt_sasl_user_tried(const char *mech, const uint8_t *in, size_t inlen, char *out,
			  size_t outlen);
int mgmt_sasl_step(struct mgmt_conn *c, const char *mech, const uint8_t *in, size_t inlen,
		   bool has_in, const char **out, unsigned int *outlen, char *reason, size_t rlen);

/* Say on the log (stderr) when the sasldb or the keytab cannot be read:
 * logins needing it would fail, and the audit log alone would say so. */
void mgmt_sasl_files_check(const struct mgmt_conf *mc);

/* mgmt_server.c: listen on m->conf's address and port into m->lfd, m->port
 * (not watched yet). 0 or -errno with err filled. */
int mgmt_listen(struct mgmt *m, char *err, size_t errlen);

/* mgmt_conn.c */
void mgmt_accept_cb(struct loop *l, int fd, unsigned events, void *arg);
void mgmt_conn_close(struct mgmt_conn *c);
int mgmt_conn_send(struct mgmt_conn *c, uint8_t type, const void *p, size_t n);
int mgmt_conn_send2(struct mgmt_conn *c, uint8_t type, const void *a, size_t an,
		    const void *b, size_t bn);
/* body as PART frames of at most what any client reads. 0 or -errno (the
 * connection is then broken). */
int mgmt_conn_send_parts(struct mgmt_conn *c, const void *body, size_t n);
/* Output bytes queued and not yet taken by the socket. */
size_t mgmt_conn_queued(const struct mgmt_conn *c);
/* BUSY -> READY once the deferred reply is sent: handle requests that
 * arrived meanwhile; may close c. */
void mgmt_conn_resume(struct mgmt_conn *c);

/* mgmt_cmd.c */
void mgmt_cmd_run(struct mgmt_conn *c, const struct mgmt_request *req);
/* The client of p left: its answer will be dropped (a backend waiting to
 * stream its next piece is told). */
void mgmt_pending_done_detach(struct mgmt_pending *p);
/* A backend that deferred r and cannot go on before it returned: r
 * answers at once instead, the pending answer is let go unsent. */
void mgmt_reply_undefer(struct mgmt_reply *r);
/* The client's output queue went below MGMT_STREAM_LOW: a backend waiting
 * to stream its next piece is called from the loop. */
void mgmt_pending_drained(struct mgmt_pending *p);

/* mgmt_reply.c: the writer behind mgmt_reply_*; text is human or JSON. */
struct mgmt_reply {
	bool json;
	bool failed;
	int err;
	struct json_w j;
	char *txt;			/* human form */
	size_t txt_len, txt_cap;
	unsigned int depth;
	bool oom;
	bool raw;			/* body is the text as written (alerts: EVE lines) */
	bool in_arr[JSON_MAX_DEPTH];
	char msg[256];
	struct mgmt_conn *conn;		/* who asked (mgmt_reply_defer) */
	const char *line;		/* the request as audited */
	struct mgmt_pending *deferred;
};
int mgmt_reply_init(struct mgmt_reply *r, bool json);
void mgmt_reply_release(struct mgmt_reply *r);
/* The rendered body (closes the top-level object); NULL on allocation failure. */
const char *mgmt_reply_body(struct mgmt_reply *r, size_t *len);
/* Append text as is, in both renderings (lines of JSON already). */
void mgmt_reply_raw(struct mgmt_reply *r, const char *s, size_t n);
/* What is rendered so far, the top level left open (a reply sent as it is
 * written); NULL on allocation failure. mgmt_reply_consume() drops the
 * first n bytes of it once they are sent. */
const char *mgmt_reply_sofar(const struct mgmt_reply *r, size_t *len);
void mgmt_reply_consume(struct mgmt_reply *r, size_t n);

/* mgmt_fast.c: an EVE alert line (len bytes, no NUL needed) as its
 * fast.log line, without newline, into out (truncated to cap, terminated).
 * The length written, or -EINVAL when the line is not a JSON object. */
#define MGMT_FAST_LINE 1024
int mgmt_eve_fast(const char *line, size_t len, char *out, size_t cap);

/* An alert of the backlog as a client asked for it (fast: its fast.log
 * line in buf; else, or when it does not parse, the EVE line). */
const char *mgmt_alert_render(const char *eve, bool fast, char *buf, size_t cap, size_t *len);

/* mgmt_alerts.c: the backlog's line i, 0 the oldest held (i < alerts_len). */
const char *mgmt_alert_at(const struct mgmt *m, size_t i);
/* "alerts -n": the last n lines of the backlog as r asks (fast.log lines,
 * or EVE with the JSON flag), streamed piece by piece from the backlog as
 * the client takes them (mgmt_pending_flush). MGMT_REPLY_DEFERRED, or
 * -errno with r's error set. */
int mgmt_alerts_reply(struct mgmt_conn *c, struct mgmt_reply *r, size_t n);

/* mgmt_audit.c: one JSON line per event when management.audit is set. */
int mgmt_audit_open(struct mgmt *m, char *err, size_t errlen);
void mgmt_audit(struct mgmt *m, const struct mgmt_conn *c, const char *event,
		const char *command, const char *result, const char *detail);
/* An event with no connection (a refusal at accept): peer is the address. */
void mgmt_audit_peer(struct mgmt *m, const char *peer, const char *event, const char *result,
		     const char *detail);

/* mgmt_guard.c: failures per address and per user, lockouts, refusals */
void mgmt_addr_key(const struct sockaddr_storage *ss, uint8_t key[16]);
/* A failed authentication from c as user (the name tried; NULL or "" if
 * unknown): returns the delay before the failure may be answered. */
uint64_t mgmt_guard_fail(struct mgmt *m, const struct mgmt_conn *c, const char *user);
void mgmt_guard_ok(struct mgmt *m, const struct mgmt_conn *c, const char *user);
bool mgmt_guard_src_locked(struct mgmt *m, const struct sockaddr_storage *ss);
bool mgmt_guard_user_locked(struct mgmt *m, const char *user);
/* Connections from ss not yet authenticated. */
unsigned int mgmt_guard_unauth_from(const struct mgmt *m, const struct sockaddr_storage *ss);
/* A connection refused at accept: logged and audited (rate-limited). */
void mgmt_guard_refuse(struct mgmt *m, const struct sockaddr_storage *ss, const char *why);

#endif
