/* SPDX-License-Identifier: MIT */
/* "alerts -n N" from the backlog, streamed: a cursor over the ring's
 * sequence numbers renders a piece (MGMT_ALERTS_PIECE bytes or so) each
 * time the client has taken what was queued, so the answer never sits
 * whole in memory beside the backlog it comes from. Alerts published
 * meanwhile do not join the answer (it ends where the backlog ended when
 * asked); lines the ring overwrote before the cursor reached them (a
 * client slower than the alerts) are left out, as a tail that fell behind
 * a rotating file loses them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt-priv.h"

/* Rendered per turn of the loop: a few PART frames. */
#define MGMT_ALERTS_PIECE (64u << 10)

struct alerts_cursor {
	struct mgmt *m;
	struct mgmt_pending *p;
	uint64_t next, end;		/* sequence numbers: [next, end) still to send */
	bool fast;			/* fast.log lines, else the EVE lines */
};

const char *mgmt_alert_at(const struct mgmt *m, size_t i)
{
	size_t cap = m->conf.alerts_backlog;

	return m->alerts[(m->alerts_head + cap - m->alerts_len + i) % cap];
}

static void alerts_more(void *ctx, bool gone)
{
	struct alerts_cursor *k = ctx;
	struct mgmt *m = k->m;
	struct mgmt_reply *r = mgmt_pending_reply(k->p);
	uint64_t oldest = m->alerts_seq - m->alerts_len;
	size_t written = 0, len;
	char buf[MGMT_FAST_LINE];
	const char *l;
	int rc = 0;

	if (gone)
		goto done;
	if (k->next < oldest)
		k->next = oldest;
	/* the backlog may have been made smaller by a reload */
	if (k->end > m->alerts_seq)
		k->end = m->alerts_seq;
	while (k->next < k->end && written < MGMT_ALERTS_PIECE) {
		l = mgmt_alert_render(mgmt_alert_at(m, (size_t)(k->next - oldest)), k->fast, buf,
				      sizeof(buf), &len);
		mgmt_reply_raw(r, l, len);
		mgmt_reply_raw(r, "\n", 1);
		written += len + 1;
		k->next++;
	}
	if (k->next < k->end) {
		rc = mgmt_pending_flush(k->p, alerts_more, k);
		if (rc == 0)
			return;
		mgmt_reply_error(r, rc, "alerts: %s", rc == -EPIPE ? "client left" :
				 "out of memory");
	}
done:
	mgmt_pending_done(k->p, rc);
	free(k);
}

int mgmt_alerts_reply(struct mgmt_conn *c, struct mgmt_reply *r, size_t n)
{
	struct mgmt *m = c->m;
	struct alerts_cursor *k = calloc(1, sizeof(*k));
	int rc;

	if (!k)
		return mgmt_reply_error(r, -ENOMEM, "alerts: out of memory");
	k->m = m;
	k->fast = !mgmt_reply_is_json(r);
	k->end = m->alerts_seq;
	k->next = k->end - (n < m->alerts_len ? n : m->alerts_len);
	k->p = mgmt_reply_defer(r);
	if (!k->p) {
		free(k);
		return mgmt_reply_error(r, -ENOMEM, "alerts: out of memory");
	}
	/* an empty answer is still raw text, not a JSON object */
	mgmt_reply_raw(mgmt_pending_reply(k->p), "", 0);
	/* the first piece is written from the loop, as the others */
	rc = mgmt_pending_flush(k->p, alerts_more, k);
	if (rc) {
		/* not deferred after all: r answers */
		mgmt_reply_undefer(r);
		free(k);
		return mgmt_reply_error(r, rc, "alerts: cannot stream: %s", strerror(-rc));
	}
	return MGMT_REPLY_DEFERRED;
}
