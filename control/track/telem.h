/* SPDX-License-Identifier: MIT */
/* A client of DPDK's telemetry socket (the dataplane's /ids/... commands)
 * on the event loop. The socket is SOCK_SEQPACKET and answers one JSON
 * message per command, in order, so each request waits in a queue with
 * the callback its reply goes to. Never blocks: connect is to a local
 * socket, sends are single small datagrams, replies arrive on the loop.
 * Shared by the health tracker (track_dp.c) and the management backend,
 * each with a connection of its own so a slow command (a rule reload)
 * does not hold up the health polls queued behind it. */
#ifndef IDS_TELEM_H
#define IDS_TELEM_H

#include <stdbool.h>
#include <stdint.h>

struct loop;
struct telem;

/* One reply: json is the NUL-terminated answer, or NULL when the request
 * failed (the connection closed or timed out) with why saying so. */
typedef void (*telem_reply_cb)(void *ctx, const char *json, const char *why);
/* The connection was lost (EOF, error, timeout); pending callbacks have
 * already been told. */
typedef void (*telem_closed_cb)(void *ctx, const char *why);

/* timeout_us: a request unanswered this long closes the connection
 * (0 = never; the caller watches time itself). NULL on allocation failure. */
struct telem *telem_new(struct loop *l, const char *path, uint64_t timeout_us,
			telem_closed_cb closed, void *ctx);
/* Close without calling any callback. NULL is a no-op. */
void telem_free(struct telem *t);

/* Connect if not connected. 0 or -errno. */
int telem_connect(struct telem *t);
bool telem_connected(const struct telem *t);
/* Requests sent and not yet answered. */
unsigned telem_pending(const struct telem *t);

/* Send cmd ("/ids/stats", "/ids/role,active"); cb (may be NULL) gets the
 * reply. 0, or -ENOTCONN / -ENOBUFS (queue full) / -errno of send, and
 * then cb is not called. */
int telem_send(struct telem *t, const char *cmd, telem_reply_cb cb, void *ctx);

/* Walk the scalar members of a reply's dictionary ({"/cmd": {"k": v}}):
 * fn gets each key with its string value (unescaped; num 0) or, for an
 * unsigned number, str NULL and num. Nested arrays and dicts are skipped.
 * 0, or -ENOENT when the value is not a dictionary (null: the dataplane
 * does not know the command), -EINVAL when the JSON is malformed. */
typedef void (*telem_member_cb)(void *ctx, const char *key, const char *str, uint64_t num);
int telem_dict_walk(const char *json, telem_member_cb fn, void *ctx);

/* Drop the connection: pending callbacks get (NULL, why), then closed. */
void telem_close(struct telem *t, const char *why);

#endif
