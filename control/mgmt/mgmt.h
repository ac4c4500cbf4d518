/* SPDX-License-Identifier: MIT */
/* The management port of ids-control: a listener on the event loop that
 * speaks TLS (GnuTLS, x509), then Cyrus SASL, then role-checked commands
 * (PROTOCOL.md in this folder). ids-control's main owns the loop and the
 * configuration; it hands the "management" subtree and a table of backend
 * callbacks to mgmt_new() and feeds alert lines with mgmt_alert_publish().
 * Everything runs on the loop's thread; nothing here blocks except the
 * backend callbacks themselves, which should be quick. */
#ifndef IDS_MGMT_H
#define IDS_MGMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf-t.h"

struct loop;
struct mgmt;
struct mgmt_reply;

/* Ordered: a role may run every command needing it or a lower one. */
enum mgmt_role {
	MGMT_ROLE_NONE,
	MGMT_ROLE_VIEWER,
	MGMT_ROLE_OPERATOR,
	MGMT_ROLE_ADMIN,
};

/* A backend callback writes its answer into r with the mgmt_reply_*
 * functions below and returns 0, or returns mgmt_reply_error(r, -errno,
 * "reason") on failure. A NULL callback makes its command answer
 * "not available: <command>". */
typedef int (*mgmt_backend_cb)(void *ctx, struct mgmt_reply *r);
/* The same for a command that takes arguments (argv[0..argc): the words
 * after the command's own); the callback checks them. */
typedef int (*mgmt_backend_argv_cb)(void *ctx, unsigned int argc, const char *const *argv,
				    struct mgmt_reply *r);

struct mgmt_backend {
	void *ctx;			/* passed to every callback */
	mgmt_backend_cb status;		/* node, VRRP state/priority, dataplane role, versions */
	mgmt_backend_cb stats;		/* dataplane counters (telemetry socket) */
	mgmt_backend_argv_cb rules_list;	/* [--sid N | --file NAME]: rules, file:line */
	mgmt_backend_cb rules_stats;
	mgmt_backend_argv_cb rules_top;	/* rules stats --top N [--sort KEY]: per-rule cost */
	mgmt_backend_cb rules_reload;
	mgmt_backend_cb rules_failed;	/* rules that failed to load, and why */
	mgmt_backend_cb ha_status;
	mgmt_backend_cb ha_demote;	/* maintenance handover: give up master */
	mgmt_backend_cb ha_promote;
	mgmt_backend_cb ha_release;	/* undo demote/promote: configured priority */
	mgmt_backend_cb config_show;	/* mgmt_reply_conf() redacts secrets */
};

/* The "management.*" keys, for conf_schema_add(). */
extern const struct conf_schema_row mgmt_conf_schema[];

/* Read the management subtree (the node of "management"), load the TLS
 * credentials (refusing a key file readable by others), set up SASL and
 * listen (IP_FREEBIND: the address may be a VIP this node does not hold
 * yet). be is copied. NULL on failure with err = "file:line:col: key
 * 'management.tls.key': reason" or the system's reason. */
struct mgmt *mgmt_new(struct loop *l, const struct conf_node *management,
		      const struct mgmt_backend *be, char *err, size_t errlen);
/* The checks mgmt_new() makes of the configuration and the files it
 * names (TLS credentials, key file mode), without listening: for -T.
 * 0 or -errno with err filled as mgmt_new's. */
int mgmt_check(const struct conf_node *management, char *err, size_t errlen);
/* Close every connection and the listener; NULL is a no-op. */
void mgmt_free(struct mgmt *m);

/* A callback whose answer comes later (the dataplane over its telemetry
 * socket) calls mgmt_reply_defer(r) and returns MGMT_REPLY_DEFERRED. The
 * connection then waits, reading no further request, until the backend
 * writes into mgmt_pending_reply(p) and calls mgmt_pending_done(p, rc)
 * with rc as a callback's return. p stays valid until then even if the
 * client leaves (the answer is then dropped). NULL on allocation failure:
 * the callback answers at once instead. */
#define MGMT_REPLY_DEFERRED 2
struct mgmt_pending;
struct mgmt_pending *mgmt_reply_defer(struct mgmt_reply *r);
struct mgmt_reply *mgmt_pending_reply(struct mgmt_pending *p);
void mgmt_pending_done(struct mgmt_pending *p, int rc);

/* An answer of any size (every rule of ET Open, a long "alerts -n") is
 * sent as it is written, so ids-control holds a piece of it at a time:
 * the backend writes a piece into mgmt_pending_reply(p), then calls
 * mgmt_pending_flush(p, more, ctx). What is rendered so far leaves in PART
 * frames, and more(ctx, gone) is called from the loop once the client has
 * taken all but MGMT_STREAM_LOW bytes of what is queued for it: the
 * backend writes (or fetches) the next piece then and flushes again, or
 * ends with mgmt_pending_done() as ever. gone: the client left, and the
 * backend must end (mgmt_pending_done) without sending anything more.
 * A failure after parts went out is answered with its status and
 * reason: the client drops what came before. 0, or -EPIPE (the client
 * left) / -ENOMEM, and then more is not called: end at once. */
#define MGMT_STREAM_LOW (256u << 10)
typedef void (*mgmt_more_cb)(void *ctx, bool gone);
int mgmt_pending_flush(struct mgmt_pending *p, mgmt_more_cb more, void *ctx);

/* The management section's own keys only (no file is read): what a
 * reload checks before anything is applied. 0 or -EINVAL, err as mgmt_new's. */
int mgmt_check_conf(const struct conf_node *management, char *err, size_t errlen);

/* SIGHUP: take the "management" section again, as keepalived reloads its
 * configuration. Read, checked and prepared first, whole: the TLS
 * certificate, key, CA and CRL (read again even from unchanged paths: a
 * rotation; key file mode, key matching the certificate, not expired), a
 * new listener when the address or port changed, the audit log opened
 * again (after logrotate moved it), the alert backlog resized. Only then
 * applied: new connections get the new credentials, priority string, DN
 * allow-list, SASL settings (sasldb, keytab, mechanisms, allowed users)
 * and roles; connections already open keep the credentials and role they
 * were accepted with; the VRRP side is not touched. On success one line
 * "TLS reloaded: certificate <subject>, notAfter <time>"; on failure the
 * running settings all stay, "TLS reload failed, still serving <subject>:
 * <key, file, cause>" (counted in "status") or the listener's reason, and
 * -errno with err filled. An unreadable sasldb or keytab is logged. */
int mgmt_reconfigure(struct mgmt *m, const struct conf_node *management, char *err,
		     size_t errlen);

/* The bound port (useful when the config asks for port 0). */
uint16_t mgmt_port(const struct mgmt *m);

/* One alert (an EVE JSON line, without newline): kept in the backlog that
 * "alerts" shows and sent to every "alerts --follow" session. */
void mgmt_alert_publish(struct mgmt *m, const char *line, size_t len);

/* Reply writer. Keys name members inside objects and are NULL for array
 * elements. Rendered as JSON with --json, as indented "key: value" text
 * otherwise. The top level is an object, already open. */
void mgmt_reply_obj_open(struct mgmt_reply *r, const char *key);
void mgmt_reply_obj_close(struct mgmt_reply *r);
void mgmt_reply_arr_open(struct mgmt_reply *r, const char *key);
void mgmt_reply_arr_close(struct mgmt_reply *r);
void mgmt_reply_str(struct mgmt_reply *r, const char *key, const char *s);
void mgmt_reply_uint(struct mgmt_reply *r, const char *key, uint64_t v);
void mgmt_reply_int(struct mgmt_reply *r, const char *key, int64_t v);
void mgmt_reply_bool(struct mgmt_reply *r, const char *key, bool v);
/* A configuration subtree as nested objects; values of keys that look like
 * secrets (password, secret, auth_pass, psk, passphrase, token) are
 * written as "<redacted>". */
void mgmt_reply_conf(struct mgmt_reply *r, const char *key, const struct conf_node *n);
/* True when the client asked for JSON (a backend may write a list more
 * compactly for people). */
bool mgmt_reply_is_json(const struct mgmt_reply *r);
/* Mark the reply failed with a one-line reason (printf format); returns
 * err so a callback can "return mgmt_reply_error(r, -EIO, ...)". */
int mgmt_reply_error(struct mgmt_reply *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
