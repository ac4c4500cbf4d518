// SPDX-License-Identifier: MIT
/* Expectations: connections a control connection announced (FTP's PORT,
 * EPRT, PASV, EPSV followed by RETR or STOR), as Suricata 7's
 * app-layer-expectation.c. One is the pair of addresses of the control
 * connection (either order), the server port of the coming connection, the
 * direction its first data must flow in, and the protocol it gets. A new
 * flow between the pair whose protocol detection finds nothing, on that
 * port and in that direction, takes it (and the entry goes).
 *
 * Lifetime as Suricata's: a flow's lookup takes every entry of its pair
 * that matches it, however old, and drops on the way the pair's entries
 * that do not match and were announced more than EXPECT_TIMEOUT_S whole
 * seconds before (its "ctime > ts + EXPECTATION_TIMEOUT"); the owner's end
 * (app_expect_forget) drops its own. At most EXPECT_PER_PAIR per address
 * pair (the oldest goes for a new one). The table holds at most cap
 * entries: a full one drops those past their 30 s (which no lookup met),
 * and refuses a new one if that is not enough (counted), as Suricata's
 * ippair memcap refuses the pair.
 *
 * The data connection hashes to any worker (its ports differ from the
 * control connection's), so every worker shares one table: a mutex guards
 * it, taken only when a control connection announces a transfer or when a
 * flow's protocol detection failed while the table holds something (an
 * atomic count says so without the lock). Reading a capture with several
 * workers, the callers take it in capture order (applayer_ctx_order). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "applayer-int.h"

#define EXPECT_TIMEOUT_S 30u                    /* Suricata's EXPECTATION_TIMEOUT */
#define EXPECT_PER_PAIR 10u                     /* its EXPECTATION_MAX_LEVEL */

struct expect {
	union ip_addr a, b;       /* the pair, a <= b (memcmp) */
	const void *owner;        /* the control connection's app_flow */
	uint64_t ts_s;            /* when announced (whole seconds, as Suricata's) */
	uint16_t port;            /* the coming connection's server port */
	uint8_t ip_ver;
	uint8_t dir;              /* enum app_dir of its first data */
	uint8_t proto;            /* enum app_proto it gets */
	void *data;               /* what the announcer tells the flow (malloc'd, owned) */
};

struct app_expect {
	pthread_mutex_t lock;
	atomic_uint count;        /* n, readable without the lock */
	uint32_t n, cap;
	struct expect *e;         /* n entries, oldest first */
	struct app_expect_stats st;
};

struct app_expect *app_expect_create(uint32_t cap)
{
	struct app_expect *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->cap = cap ? cap : APP_EXPECT_DEFAULT_CAP;
	x->e = calloc(x->cap, sizeof(*x->e));
	if (x->e == NULL || pthread_mutex_init(&x->lock, NULL) != 0) {
		free(x->e);
		free(x);
		return NULL;
	}
	atomic_init(&x->count, 0);
	return x;
}

void app_expect_destroy(struct app_expect *x)
{
	if (x == NULL)
		return;
	for (uint32_t i = 0; i < x->n; i++)
		free(x->e[i].data);
	pthread_mutex_destroy(&x->lock);
	free(x->e);
	free(x);
}

void app_expect_stats(struct app_expect *x, struct app_expect_stats *out)
{
	pthread_mutex_lock(&x->lock);
	*out = x->st;
	out->held = x->n;
	pthread_mutex_unlock(&x->lock);
}

/* The pair in a fixed order, so both directions name it alike. */
static void pair(const union ip_addr *x, const union ip_addr *y, union ip_addr *a,
		 union ip_addr *b)
{
	bool swap = memcmp(x, y, sizeof(*x)) > 0;

	*a = swap ? *y : *x;
	*b = swap ? *x : *y;
}

static bool same_pair(const struct expect *e, uint8_t ip_ver, const union ip_addr *a,
		      const union ip_addr *b)
{
	return e->ip_ver == ip_ver && memcmp(&e->a, a, sizeof(*a)) == 0 &&
	       memcmp(&e->b, b, sizeof(*b)) == 0;
}

/* Entry i goes; its data too unless keep (then the caller took it). */
static void drop_keep(struct app_expect *x, uint32_t i, bool keep)
{
	if (!keep)
		free(x->e[i].data);
	memmove(&x->e[i], &x->e[i + 1], (x->n - i - 1) * sizeof(x->e[0]));
	x->n--;
	atomic_store_explicit(&x->count, x->n, memory_order_relaxed);
}

static void drop(struct app_expect *x, uint32_t i)
{
	drop_keep(x, i, false);
}

/* Drops the entries announced more than EXPECT_TIMEOUT_S before now_s;
 * the lock held. */
static void drop_old(struct app_expect *x, uint64_t now_s)
{
	for (uint32_t i = 0; i < x->n;) {
		if (now_s > x->e[i].ts_s + EXPECT_TIMEOUT_S) {
			drop(x, i);
			x->st.expired++;
		} else {
			i++;
		}
	}
}

int app_expect_add(struct app_expect *x, const struct app_expect_key *k, const void *owner,
		   uint64_t ts_us, void *data)
{
	struct expect e = { .owner = owner, .ts_s = ts_us / 1000000u, .port = k->port,
			    .ip_ver = k->ip_ver, .dir = k->dir, .proto = k->proto, .data = data };
	uint32_t same = 0, oldest = UINT32_MAX;
	int rc = 0;

	pair(&k->addr[0], &k->addr[1], &e.a, &e.b);
	pthread_mutex_lock(&x->lock);
	for (uint32_t i = 0; i < x->n; i++) {
		if (!same_pair(&x->e[i], e.ip_ver, &e.a, &e.b))
			continue;
		if (oldest == UINT32_MAX)
			oldest = i;
		same++;
	}
	if (same >= EXPECT_PER_PAIR) {
		drop(x, oldest);
		x->st.evicted++;
	} else if (x->n == x->cap) {
		drop_old(x, e.ts_s);
	}
	if (x->n == x->cap) {
		x->st.refused++;
		free(data);
		rc = -ENOSPC;
	} else {
		x->e[x->n++] = e;
		x->st.created++;
		atomic_store_explicit(&x->count, x->n, memory_order_relaxed);
	}
	pthread_mutex_unlock(&x->lock);
	return rc;
}

enum app_proto app_expect_take(struct app_expect *x, const struct app_expect_key *k,
			       uint64_t now_us, void **data)
{
	enum app_proto p = APP_PROTO_UNKNOWN;
	uint64_t now_s = now_us / 1000000u;
	union ip_addr a, b;

	if (data != NULL)
		*data = NULL;
	if (atomic_load_explicit(&x->count, memory_order_relaxed) == 0)
		return APP_PROTO_UNKNOWN;
	pair(&k->addr[0], &k->addr[1], &a, &b);
	pthread_mutex_lock(&x->lock);
	for (uint32_t i = 0; i < x->n;) {
		struct expect *e = &x->e[i];

		if (!same_pair(e, k->ip_ver, &a, &b)) {
			i++;
		} else if (e->port == k->port && e->dir == k->dir) {
			/* every match goes, as in Suricata's loop; the flow
			 * keeps the last one's data (its flow storage) */
			p = (enum app_proto)e->proto;
			if (data != NULL) {
				free(*data);
				*data = e->data;
			}
			drop_keep(x, i, data != NULL);
			x->st.matched++;
		} else if (now_s > e->ts_s + EXPECT_TIMEOUT_S) {
			drop(x, i);
			x->st.expired++;
		} else {
			i++;
		}
	}
	pthread_mutex_unlock(&x->lock);
	return p;
}

void app_expect_forget(struct app_expect *x, const void *owner)
{
	if (atomic_load_explicit(&x->count, memory_order_relaxed) == 0)
		return;
	pthread_mutex_lock(&x->lock);
	for (uint32_t i = 0; i < x->n;) {
		if (x->e[i].owner == owner)
			drop(x, i);
		else
			i++;
	}
	pthread_mutex_unlock(&x->lock);
}
