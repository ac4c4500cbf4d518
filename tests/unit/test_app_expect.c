// SPDX-License-Identifier: MIT
/* The expectation table (app_expect.c) as Suricata 7's
 * app-layer-expectation.c keeps it: a match is taken however old, the
 * pair's others past 30 whole seconds go when a lookup meets them, every
 * match goes at once, the owner's end drops its own, 10 per pair; a full
 * table drops the entries past their time and refuses (counted) when that
 * is not enough. Then many threads at once (every figure adds up), and two
 * workers at the capture-order gate: the second worker's lookup for packet
 * 3 waits for the first one's announcement at packet 2. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataplane/applayer/applayer-int.h"
#include "dataplane/hoststate/seq_gate.h"
#include "tests/unit/check.h"

#define S 1000000ull   /* a second, in microseconds */

static struct app_expect_key key(uint8_t host, uint16_t port, enum app_dir dir)
{
	struct app_expect_key k = { .ip_ver = 4, .dir = (uint8_t)dir, .port = port,
				    .proto = APP_PROTO_FTPDATA };

	k.addr[0].b[0] = 192;
	k.addr[0].b[3] = host;
	k.addr[1].b[0] = 10;
	k.addr[1].b[3] = 1;
	return k;
}

/* k with its addresses the other way round: the same pair. */
static struct app_expect_key swapped(struct app_expect_key k)
{
	union ip_addr a = k.addr[0];

	k.addr[0] = k.addr[1];
	k.addr[1] = a;
	return k;
}

static int add(struct app_expect *x, uint8_t host, uint16_t port, enum app_dir dir,
	       const void *owner, uint64_t ts)
{
	struct app_expect_key k = key(host, port, dir);

	return app_expect_add(x, &k, owner, ts, NULL);
}

static enum app_proto take(struct app_expect *x, uint8_t host, uint16_t port, enum app_dir dir,
			   uint64_t ts)
{
	struct app_expect_key k = key(host, port, dir);

	return app_expect_take(x, &k, ts, NULL);
}

static struct app_expect_stats stats(struct app_expect *x)
{
	struct app_expect_stats st;

	app_expect_stats(x, &st);
	return st;
}

static void test_lifetime(void)
{
	struct app_expect *x = app_expect_create(64);
	struct app_expect_key k = key(1, 5000, APP_TO_CLIENT), back = swapped(k);
	int owner;

	CHECK(x != NULL);
	/* nothing held: nothing found */
	CHECK_INT(APP_PROTO_UNKNOWN, app_expect_take(x, &k, 0, NULL));
	/* a match 100 s later is still taken (Suricata tests the match before
	 * the age), from either side of the pair */
	CHECK_INT(0, app_expect_add(x, &k, &owner, 10 * S, NULL));
	CHECK_INT(APP_PROTO_FTPDATA, app_expect_take(x, &back, 110 * S, NULL));
	CHECK_INT(0, stats(x).held);
	/* the wrong direction or port is not it */
	CHECK_INT(0, app_expect_add(x, &k, &owner, 10 * S, NULL));
	CHECK_INT(APP_PROTO_UNKNOWN, take(x, 1, 5000, APP_TO_SERVER, 11 * S));
	CHECK_INT(APP_PROTO_UNKNOWN, take(x, 1, 5001, APP_TO_CLIENT, 11 * S));
	CHECK_INT(1, stats(x).held);
	/* a lookup that does not match meets it: at 40.99 s (announced at 10:
	 * not past 30 whole seconds) it stays, at 41 s it goes */
	CHECK_INT(APP_PROTO_UNKNOWN, take(x, 1, 5001, APP_TO_CLIENT, 40 * S + 999999));
	CHECK_INT(1, stats(x).held);
	CHECK_INT(APP_PROTO_UNKNOWN, take(x, 1, 5001, APP_TO_CLIENT, 41 * S));
	CHECK_INT(0, stats(x).held);
	CHECK_INT(1, stats(x).expired);
	CHECK_INT(APP_PROTO_UNKNOWN, app_expect_take(x, &k, 41 * S, NULL));
	/* another pair's lookup leaves it alone, however late */
	CHECK_INT(0, app_expect_add(x, &k, &owner, 50 * S, NULL));
	CHECK_INT(APP_PROTO_UNKNOWN, take(x, 2, 5000, APP_TO_CLIENT, 500 * S));
	CHECK_INT(1, stats(x).held);
	/* two alike: one flow takes both */
	CHECK_INT(0, app_expect_add(x, &k, &owner, 50 * S, NULL));
	CHECK_INT(APP_PROTO_FTPDATA, app_expect_take(x, &back, 51 * S, NULL));
	CHECK_INT(0, stats(x).held);
	CHECK_INT(APP_PROTO_UNKNOWN, app_expect_take(x, &k, 51 * S, NULL));
	/* the owner's end drops its own, not another's */
	CHECK_INT(0, app_expect_add(x, &k, &owner, 60 * S, NULL));
	CHECK_INT(0, add(x, 1, 5001, APP_TO_CLIENT, x, 60 * S));
	app_expect_forget(x, &owner);
	CHECK_INT(APP_PROTO_UNKNOWN, app_expect_take(x, &k, 61 * S, NULL));
	CHECK_INT(APP_PROTO_FTPDATA, take(x, 1, 5001, APP_TO_CLIENT, 61 * S));
	CHECK_INT(6, stats(x).created);
	CHECK_INT(4, stats(x).matched);
	app_expect_destroy(x);
}

/* Data the announcer leaves for the flow (the FTP transfer's command and
 * name): the taker owns the last match's, the table frees what it drops
 * (ASan's leak check sees a miss). */
static void test_data(void)
{
	struct app_expect *x = app_expect_create(2);
	struct app_expect_key k = key(3, 6000, APP_TO_SERVER);
	void *got = (void *)1;
	int owner;

	CHECK(x != NULL);
	CHECK_INT(APP_PROTO_UNKNOWN, app_expect_take(x, &k, 0, &got));
	CHECK(got == NULL);
	CHECK_INT(0, app_expect_add(x, &k, &owner, 1 * S, strdup("first")));
	CHECK_INT(0, app_expect_add(x, &k, &owner, 2 * S, strdup("second")));
	/* full: refused, its data freed */
	CHECK_INT(-ENOSPC, app_expect_add(x, &k, &owner, 3 * S, strdup("third")));
	CHECK_INT(APP_PROTO_FTPDATA, app_expect_take(x, &k, 4 * S, &got));
	CHECK(got != NULL && strcmp(got, "second") == 0);
	free(got);
	/* dropped with its owner, and at the table's end */
	CHECK_INT(0, app_expect_add(x, &k, &owner, 5 * S, strdup("forgotten")));
	app_expect_forget(x, &owner);
	CHECK_INT(0, stats(x).held);
	CHECK_INT(0, app_expect_add(x, &k, &owner, 6 * S, strdup("left")));
	app_expect_destroy(x);
}

static void test_limits(void)
{
	struct app_expect *x = app_expect_create(12);
	struct app_expect_stats st;
	int owner;

	CHECK(x != NULL);
	/* 10 per pair: the 11th drops the oldest (port 6000) */
	for (uint16_t i = 0; i < 11; i++)
		CHECK_INT(0, add(x, 1, (uint16_t)(6000 + i), APP_TO_SERVER, &owner, 10 * S));
	CHECK_INT(10, stats(x).held);
	CHECK_INT(1, stats(x).evicted);
	CHECK_INT(APP_PROTO_UNKNOWN, take(x, 1, 6000, APP_TO_SERVER, 11 * S));
	CHECK_INT(APP_PROTO_FTPDATA, take(x, 1, 6010, APP_TO_SERVER, 11 * S));
	/* the table (12) fills with other pairs; then a new one is refused,
	 * counted, and nothing held is lost */
	for (uint8_t h = 2; h < 5; h++)
		CHECK_INT(0, add(x, h, 7000, APP_TO_SERVER, &owner, 20 * S));
	CHECK_INT(12, stats(x).held);
	CHECK_INT(-ENOSPC, add(x, 9, 7000, APP_TO_SERVER, &owner, 20 * S));
	st = stats(x);
	CHECK_INT(12, st.held);
	CHECK_INT(1, st.refused);
	CHECK_INT(APP_PROTO_FTPDATA, take(x, 2, 7000, APP_TO_SERVER, 21 * S));
	/* full again, later than 30 s after the first nine: those past their
	 * time make room (counted expired), the younger stay */
	CHECK_INT(0, add(x, 2, 7001, APP_TO_SERVER, &owner, 21 * S));
	CHECK_INT(12, stats(x).held);
	CHECK_INT(0, add(x, 9, 7000, APP_TO_SERVER, &owner, 41 * S));
	st = stats(x);
	CHECK_INT(4, st.held);
	CHECK_INT(9, st.expired);
	CHECK_INT(1, st.refused);
	CHECK_INT(APP_PROTO_FTPDATA, take(x, 3, 7000, APP_TO_SERVER, 42 * S));
	CHECK_INT(APP_PROTO_FTPDATA, take(x, 2, 7001, APP_TO_SERVER, 42 * S));
	CHECK_INT(APP_PROTO_FTPDATA, take(x, 9, 7000, APP_TO_SERVER, 42 * S));
	app_expect_destroy(x);
}

/* ---- many threads at once ---- */

#define THREADS 6
#define ROUNDS 20000u

struct hammer {
	struct app_expect *x;
	uint8_t id;
	uint32_t bad;             /* own announcements refused or not found */
};

/* Each thread announces and takes on a pair of its own (every one found),
 * and races the others on one shared pair (found by whoever comes first). */
static void *hammer(void *arg)
{
	struct hammer *h = arg;

	for (uint32_t i = 0; i < ROUNDS; i++) {
		uint8_t own = (uint8_t)(10 + h->id);
		uint16_t port = (uint16_t)(i % 8 + 1);
		uint64_t ts = i * S / 1000;

		if (add(h->x, own, port, APP_TO_SERVER, h, ts) != 0)
			h->bad++;
		if (i % 3 == 0 && add(h->x, 200, port, APP_TO_CLIENT, h, ts) != 0)
			h->bad++;
		if (take(h->x, own, port, APP_TO_SERVER, ts) != APP_PROTO_FTPDATA)
			h->bad++;
		(void)take(h->x, 200, (uint16_t)((i + h->id) % 8 + 1), APP_TO_CLIENT, ts);
	}
	app_expect_forget(h->x, h);
	return NULL;
}

static void test_concurrent(void)
{
	struct app_expect *x = app_expect_create(0);
	struct hammer h[THREADS];
	pthread_t t[THREADS];
	struct app_expect_stats st;
	uint64_t shared_added = THREADS * ((ROUNDS + 2) / 3);

	CHECK(x != NULL);
	for (uint8_t i = 0; i < THREADS; i++) {
		h[i] = (struct hammer){ .x = x, .id = i };
		CHECK_INT(0, pthread_create(&t[i], NULL, hammer, &h[i]));
	}
	for (unsigned i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		CHECK_INT(0, h[i].bad);
	}
	st = stats(x);
	CHECK_INT(0, st.held);
	CHECK_INT(THREADS * ROUNDS + shared_added, st.created);
	CHECK_INT(0, st.refused);
	/* every shared one was taken, evicted (10 per pair) or forgotten:
	 * nothing is counted twice or lost */
	CHECK(st.matched >= THREADS * ROUNDS);
	CHECK(st.matched + st.evicted <= st.created);
	app_expect_destroy(x);
}

/* ---- two workers at the capture-order gate ---- */

struct worker_arg {
	struct seq_gate *g;
	struct app_expect *x;
	atomic_int looked;
	enum app_proto got;
};

static struct worker_arg wa;

static void order(void *arg)
{
	seq_gate_wait(wa.g, (unsigned)(uintptr_t)arg);
}

/* Worker 1, packet 3: a data connection's first data (its protocol
 * detection failed), through an app-layer context as idsd's worker has. */
static void *late_worker(void *arg)
{
	struct applayer_config cfg;
	struct applayer_ctx *c;
	struct app_flow *af;
	const uint8_t data[] = "\x7f""ELF binary data....";
	struct app_expect_key k = key(1, 0, APP_TO_SERVER);

	(void)arg;
	applayer_config_init(&cfg);
	cfg.expect = wa.x;
	c = applayer_ctx_create(&cfg);
	CHECK(c != NULL);
	applayer_set_order(c, order, (void *)(uintptr_t)1);
	af = app_flow_new(c, 6, 41000, 5000);
	CHECK(af != NULL);
	app_flow_set_addrs(af, 4, &k.addr[0], &k.addr[1]);
	seq_gate_begin(wa.g, 1, 3);
	CHECK_INT(0, app_flow_data(c, af, APP_TO_CLIENT, data, sizeof(data) - 1, 3 * S));
	wa.got = app_flow_proto(af);
	atomic_store(&wa.looked, 1);
	seq_gate_end(wa.g, 1, 3);
	app_flow_free(c, af);
	applayer_ctx_destroy(c);
	return NULL;
}

static void test_gate_order(void)
{
	pthread_t t;
	int owner;

	wa.g = seq_gate_create(2);
	wa.x = app_expect_create(0);
	CHECK(wa.g != NULL && wa.x != NULL);
	/* packets 1 and 2 to worker 0, 3 to worker 1; worker 1 runs first */
	seq_gate_enqueued(wa.g, 0, 2);
	seq_gate_enqueued(wa.g, 1, 3);
	CHECK_INT(0, pthread_create(&t, NULL, late_worker, NULL));
	usleep(50000);
	CHECK_INT(0, atomic_load(&wa.looked));	/* held until packet 2 is done */
	seq_gate_begin(wa.g, 0, 2);
	CHECK_INT(0, add(wa.x, 1, 5000, APP_TO_CLIENT, &owner, 2 * S));
	seq_gate_end(wa.g, 0, 2);
	pthread_join(t, NULL);
	CHECK_INT(1, atomic_load(&wa.looked));
	CHECK_INT(APP_PROTO_FTPDATA, wa.got);
	app_expect_destroy(wa.x);
	seq_gate_destroy(wa.g);
}

int main(void)
{
	test_lifetime();
	test_data();
	test_limits();
	test_concurrent();
	test_gate_order();
	return check_result("app_expect");
}
