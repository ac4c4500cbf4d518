/* SPDX-License-Identifier: MIT */
/* Unit tests for dataplane/hoststate: the shared host table (insert, lookup,
 * expiry, memcap and chain refusals, concurrent updates), the capture-order
 * gate (its order under load, sleeping waiters, its counters), the event
 * count waits sleep on, and two detect threads sharing one table (xbits and
 * thresholds seen across workers as by one). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "detect_fixture.h"
#include "dataplane/detect/detect.h"
#include "dataplane/flow/flow-t.h"
#include "dataplane/hoststate/host_table.h"
#include "dataplane/hoststate/park.h"
#include "dataplane/hoststate/seq_gate.h"

static struct host_key key(uint64_t id, uint32_t host)
{
	struct host_key k;

	memset(&k, 0, sizeof(k));
	k.id = id;
	k.kind = 1;
	k.ip_ver = 4;
	k.a.w[0] = host;
	return k;
}

/* Insert (or find) k at now with expiry; returns whether it was fresh, -1
 * when refused. */
static int put(struct host_table *ht, uint64_t id, uint32_t host, uint64_t now, uint64_t exp)
{
	struct host_key k = key(id, host);
	struct host_lock lk;
	struct host_val *v;
	bool fresh;

	v = host_table_lock(ht, &k, now, true, &fresh, &lk);
	if (v != NULL) {
		v->expire_us = exp;
		v->count++;
	}
	host_table_unlock(&lk);
	return v == NULL ? -1 : fresh;
}

/* The count of k's live entry at now, -1 when none. */
static long long get(struct host_table *ht, uint64_t id, uint32_t host, uint64_t now)
{
	struct host_key k = key(id, host);
	struct host_lock lk;
	struct host_val *v;
	long long c;
	bool fresh;

	v = host_table_lock(ht, &k, now, false, &fresh, &lk);
	c = v != NULL ? (long long)v->count : -1;
	CHECK(!fresh);
	host_table_unlock(&lk);
	return c;
}

static void test_insert_lookup_expiry(void)
{
	struct host_table_config c = { .memcap = 1 << 20, .hash_size = 64 };
	struct host_table *ht = host_table_create(&c);
	struct host_table_stats st;

	CHECK(ht != NULL);
	CHECK_INT(-1, get(ht, 7, 1, 0));
	CHECK_INT(1, put(ht, 7, 1, 100, 200));
	CHECK_INT(0, put(ht, 7, 1, 150, 200));		/* found: same entry */
	CHECK_INT(2, get(ht, 7, 1, 199));
	CHECK_INT(-1, get(ht, 7, 2, 199));		/* another host */
	CHECK_INT(-1, get(ht, 8, 1, 199));		/* another id */
	CHECK_INT(-1, get(ht, 7, 1, 200));		/* expire_us is the first dead microsecond */
	/* the key's dead entry comes back zeroed */
	CHECK_INT(1, put(ht, 7, 1, 300, 400));
	CHECK_INT(1, get(ht, 7, 1, 300));
	host_table_stats(ht, &st);
	CHECK_INT(1, st.used);
	CHECK_INT(0, st.refused);
	CHECK_INT(host_table_capacity(&c), st.entries);
	/* walking a chain frees the dead entries met on the way */
	for (uint32_t h = 0; h < 200; h++)
		CHECK_INT(1, put(ht, 1, h, 1000, 1001));
	host_table_stats(ht, &st);
	CHECK(st.used == 200 || st.used == 201);	/* (7, 1) is dead: reaped if met */
	for (uint32_t h = 0; h < 200; h++)
		CHECK_INT(-1, get(ht, 1, h, 2000));
	CHECK_INT(-1, get(ht, 7, 1, 2000));
	host_table_stats(ht, &st);
	CHECK(st.used < 200);
	host_table_destroy(ht);
}

static void test_memcap_full(void)
{
	struct host_table_config c = { .memcap = 2048, .hash_size = 4 };
	uint64_t n = host_table_capacity(&c);
	struct host_table *ht = host_table_create(&c);
	struct host_table_stats st;

	CHECK(n >= 4 && n < 64);
	CHECK(ht != NULL);
	for (uint32_t h = 0; h < n; h++)
		CHECK_INT(1, put(ht, 1, h, 10, 100));
	/* full: refused and counted, however often */
	CHECK_INT(-1, put(ht, 1, 5000, 10, 100));
	CHECK_INT(-1, put(ht, 2, 5001, 11, 100));
	host_table_stats(ht, &st);
	CHECK_INT(2, st.refused);
	CHECK_INT(n, st.used);
	/* the live ones are untouched */
	CHECK_INT(1, get(ht, 1, 0, 50));
	/* once they are dead there is room again, whichever bucket asks: the
	 * asker's own chain is reaped first, the others by the sweep (which
	 * buckets the keys land in depends on the table's random seed) */
	for (uint32_t h = 0; h < n; h++)
		CHECK_INT(1, put(ht, 3, 6000 + h, 100, 200));
	host_table_stats(ht, &st);
	CHECK_INT(n, st.used);
	CHECK_INT(2, st.refused);
	host_table_destroy(ht);
}

static void test_chain_cap_and_config(void)
{
	struct host_table_config one = { .memcap = 1 << 20, .hash_size = 1 };
	struct host_table_config bad = { .memcap = 1000, .hash_size = 4096 };
	struct host_table *ht = host_table_create(&one);
	struct host_table_stats st;

	CHECK(ht != NULL);
	for (uint32_t h = 0; h < HOST_TABLE_CHAIN_MAX; h++)
		CHECK_INT(1, put(ht, 1, h, 0, 10));
	CHECK_INT(-1, put(ht, 1, 1000, 0, 10));
	host_table_stats(ht, &st);
	CHECK_INT(1, st.refused);
	/* existing keys are still found and updated */
	CHECK_INT(0, put(ht, 1, 3, 1, 10));
	CHECK_INT(2, get(ht, 1, 3, 1));
	host_table_destroy(ht);
	/* fewer entries than buckets: refused */
	CHECK_INT(0, host_table_capacity(&bad));
	CHECK(host_table_create(&bad) == NULL);
}

/* ---- concurrency: counts by many threads on shared keys add up ---- */

#define HAMMER_THREADS 4
#define HAMMER_ROUNDS  20000

struct hammer {
	struct host_table *ht;
	unsigned id;
};

static void *hammer(void *arg)
{
	const struct hammer *h = arg;

	for (uint32_t i = 0; i < HAMMER_ROUNDS; i++) {
		/* one key every thread shares, and one of the thread's own */
		put(h->ht, 1, 1, 5, 1000);
		put(h->ht, 2, 100 + h->id, 5, 1000);
	}
	return NULL;
}

static void test_concurrent(void)
{
	struct host_table *ht = host_table_create(&(struct host_table_config){ 0 });
	pthread_t t[HAMMER_THREADS];
	struct hammer h[HAMMER_THREADS];

	CHECK(ht != NULL);
	for (unsigned i = 0; i < HAMMER_THREADS; i++) {
		h[i] = (struct hammer){ .ht = ht, .id = i };
		CHECK_INT(0, pthread_create(&t[i], NULL, hammer, &h[i]));
	}
	for (unsigned i = 0; i < HAMMER_THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_INT(HAMMER_THREADS * HAMMER_ROUNDS, get(ht, 1, 1, 5));
	for (unsigned i = 0; i < HAMMER_THREADS; i++)
		CHECK_INT(HAMMER_ROUNDS, get(ht, 2, 100 + i, 5));
	host_table_destroy(ht);
}

/* ---- the capture-order gate ---- */

struct waiter {
	struct seq_gate *g;
	atomic_int passed;
};

static void *gate_waiter(void *arg)
{
	struct waiter *w = arg;

	/* worker 1 is at packet 3; packets 1 and 2 went to worker 0 */
	seq_gate_begin(w->g, 1, 3);
	seq_gate_wait(w->g, 1);
	atomic_store(&w->passed, 1);
	seq_gate_end(w->g, 1, 3);
	return NULL;
}

static void *flush_waiter(void *arg)
{
	struct waiter *w = arg;

	seq_gate_wait(w->g, 1);
	atomic_store(&w->passed, 1);
	return NULL;
}

static void test_gate(void)
{
	struct waiter w = { .g = seq_gate_create(2) };
	pthread_t t;

	CHECK(w.g != NULL);
	/* nothing given to anyone: no wait */
	seq_gate_begin(w.g, 0, 1);
	seq_gate_wait(w.g, 0);
	seq_gate_end(w.g, 0, 1);
	seq_gate_enqueued(w.g, 0, 2);
	seq_gate_enqueued(w.g, 1, 3);
	CHECK_INT(0, pthread_create(&t, NULL, gate_waiter, &w));
	usleep(50000);
	CHECK_INT(0, atomic_load(&w.passed));		/* packet 2 is not done */
	seq_gate_begin(w.g, 0, 2);
	usleep(20000);
	CHECK_INT(0, atomic_load(&w.passed));		/* started is not finished */
	seq_gate_end(w.g, 0, 2);
	pthread_join(t, NULL);
	CHECK_INT(1, atomic_load(&w.passed));
	/* a worker past packet 4 does not hold up packet 4 */
	seq_gate_enqueued(w.g, 0, 5);
	seq_gate_enqueued(w.g, 1, 4);
	seq_gate_begin(w.g, 0, 5);
	seq_gate_begin(w.g, 1, 4);
	seq_gate_wait(w.g, 1);
	seq_gate_end(w.g, 1, 4);
	/* a flow ending mid-capture belongs to the packet being handled */
	seq_gate_flow_end(w.g, 1, 3);
	seq_gate_wait(w.g, 1);
	/* the final flush: worker 1's flow whose last packet was 4 waits for
	 * worker 0's flush to pass 4; worker 0's flow of packet 2 goes first */
	seq_gate_end(w.g, 0, 5);
	seq_gate_begin(w.g, 1, SEQ_GATE_FLUSH);
	seq_gate_flow_end(w.g, 1, 4);
	atomic_store(&w.passed, 0);
	CHECK_INT(0, pthread_create(&t, NULL, flush_waiter, &w));
	usleep(50000);
	CHECK_INT(0, atomic_load(&w.passed));		/* worker 0 is not flushing yet */
	seq_gate_begin(w.g, 0, SEQ_GATE_FLUSH);
	seq_gate_flow_end(w.g, 0, 2);
	seq_gate_wait(w.g, 0);				/* 2 < 4: no wait */
	usleep(20000);
	CHECK_INT(0, atomic_load(&w.passed));		/* worker 0 may still flush 3 */
	seq_gate_begin(w.g, 0, SEQ_GATE_END);
	seq_gate_end(w.g, 0, SEQ_GATE_END);
	pthread_join(t, NULL);
	CHECK_INT(1, atomic_load(&w.passed));
	seq_gate_destroy(w.g);
}

/* A waiter that the gate holds for long sleeps: it uses (almost) no CPU,
 * and the counters say it waited and slept. */
struct sleeper {
	struct seq_gate *g;
	atomic_int passed;
	uint64_t cpu_ns;
};

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *gate_sleeper(void *arg)
{
	struct sleeper *w = arg;
	uint64_t t0 = thread_cpu_ns();

	seq_gate_begin(w->g, 1, 2);
	seq_gate_wait(w->g, 1);
	w->cpu_ns = thread_cpu_ns() - t0;
	atomic_store(&w->passed, 1);
	seq_gate_end(w->g, 1, 2);
	return NULL;
}

static void test_gate_sleeps(void)
{
	struct sleeper w = { .g = seq_gate_create(2) };
	struct seq_gate_stats st;
	pthread_t t;

	CHECK(w.g != NULL);
	seq_gate_enqueued(w.g, 0, 1);
	seq_gate_enqueued(w.g, 1, 2);
	seq_gate_begin(w.g, 0, 1);
	CHECK_INT(0, pthread_create(&t, NULL, gate_sleeper, &w));
	/* the hold is timed from the waiter's first wait: a loaded machine may
	 * start the thread late */
	do {
		usleep(1000);
		seq_gate_stats(w.g, 1, &st);
	} while (st.waits == 0);
	usleep(200000);
	CHECK_INT(0, atomic_load(&w.passed));
	seq_gate_end(w.g, 0, 1);
	pthread_join(t, NULL);
	CHECK_INT(1, atomic_load(&w.passed));
	/* 200 ms held; a spinning waiter would have burnt most of it */
	CHECK(w.cpu_ns < 50000000u);
	seq_gate_stats(w.g, 1, &st);
	CHECK_INT(1, st.checks);
	CHECK_INT(1, st.waits);
	CHECK(st.parks >= 1);
	CHECK(st.wait_ns >= 150000000u);
	seq_gate_stats(w.g, 0, &st);
	CHECK_INT(0, st.checks);
	seq_gate_destroy(w.g);
}

/* Capture order under load: a reader gives GATE_PKTS packets, each to one
 * of GATE_WORKERS workers (by a hash of its number) through small queues;
 * each worker touches "shared state" on every GATE_TOUCH-th packet after
 * seq_gate_wait. Every touch must come in packet order, whichever worker
 * handles it and however they sleep, and the counters count the touches. */
#define GATE_WORKERS 3
#define GATE_PKTS 60000u
#define GATE_TOUCH 7u
#define GATE_QLEN 64u

struct gate_queue {
	_Atomic uint64_t head, tail;
	uint64_t seq[GATE_QLEN];
};

struct gate_run {
	struct seq_gate *g;
	struct gate_queue q[GATE_WORKERS];
	atomic_bool read_all;
	_Atomic uint64_t last_touch;
	atomic_uint out_of_order;
	atomic_uint touches;
};

struct gate_worker {
	struct gate_run *run;
	unsigned id;
};

static unsigned gate_pick(uint64_t seq)
{
	return (unsigned)((seq * 0x9e3779b97f4a7c15ull) >> 61) % GATE_WORKERS;
}

static void *gate_reader(void *arg)
{
	struct gate_run *r = arg;

	for (uint64_t seq = 1; seq <= GATE_PKTS; seq++) {
		struct gate_queue *q = &r->q[gate_pick(seq)];
		uint64_t tail = atomic_load(&q->tail);

		while (tail - atomic_load(&q->head) == GATE_QLEN)
			sched_yield();
		q->seq[tail % GATE_QLEN] = seq;
		atomic_store(&q->tail, tail + 1);
		seq_gate_enqueued(r->g, gate_pick(seq), seq);
	}
	atomic_store(&r->read_all, true);
	return NULL;
}

static void *gate_worker(void *arg)
{
	struct gate_worker *w = arg;
	struct gate_run *r = w->run;
	struct gate_queue *q = &r->q[w->id];

	for (;;) {
		uint64_t head = atomic_load(&q->head), seq;

		if (head == atomic_load(&q->tail)) {
			if (atomic_load(&r->read_all) && head == atomic_load(&q->tail))
				break;
			sched_yield();
			continue;
		}
		seq = q->seq[head % GATE_QLEN];
		atomic_store(&q->head, head + 1);
		seq_gate_begin(r->g, w->id, seq);
		if (seq % GATE_TOUCH == 0) {
			seq_gate_wait(r->g, w->id);
			if (atomic_load(&r->last_touch) >= seq)
				atomic_fetch_add(&r->out_of_order, 1);
			atomic_store(&r->last_touch, seq);
			atomic_fetch_add(&r->touches, 1);
		}
		seq_gate_end(r->g, w->id, seq);
	}
	seq_gate_begin(r->g, w->id, SEQ_GATE_END);
	seq_gate_end(r->g, w->id, SEQ_GATE_END);
	return NULL;
}

static void test_gate_order_under_load(void)
{
	static struct gate_run r;
	struct gate_worker w[GATE_WORKERS];
	pthread_t t[GATE_WORKERS + 1];
	uint64_t checks = 0;

	r.g = seq_gate_create(GATE_WORKERS);
	CHECK(r.g != NULL);
	for (unsigned i = 0; i < GATE_WORKERS; i++) {
		w[i] = (struct gate_worker){ .run = &r, .id = (unsigned)i };
		CHECK_INT(0, pthread_create(&t[i], NULL, gate_worker, &w[i]));
	}
	CHECK_INT(0, pthread_create(&t[GATE_WORKERS], NULL, gate_reader, &r));
	for (unsigned i = 0; i <= GATE_WORKERS; i++)
		pthread_join(t[i], NULL);
	CHECK_INT(0, atomic_load(&r.out_of_order));
	CHECK_INT(GATE_PKTS / GATE_TOUCH, atomic_load(&r.touches));
	for (unsigned i = 0; i < GATE_WORKERS; i++) {
		struct seq_gate_stats st;

		seq_gate_stats(r.g, i, &st);
		CHECK(st.waits <= st.checks);
		checks += st.checks;
	}
	CHECK_INT(GATE_PKTS / GATE_TOUCH, checks);
	seq_gate_destroy(r.g);
}

/* The event count loses no wake: two threads hand a turn back and forth,
 * each sleeping without a timeout, so a lost wake hangs the test (and the
 * test runner's timeout fails it). */
#define PARK_ROUNDS 20000u

struct pingpong {
	struct park p;
	atomic_uint turn;       /* whose turn: round number's parity */
};

static void await_turn(struct pingpong *pp, unsigned want)
{
	struct backoff b = { 0 };

	while (atomic_load(&pp->turn) != want) {
		uint32_t t;

		if (!backoff_step(&b))
			continue;
		t = park_prepare(&pp->p);
		if (atomic_load(&pp->turn) == want)
			park_cancel(&pp->p);
		else
			park_wait(&pp->p, t, 0);
	}
}

static void *pong(void *arg)
{
	struct pingpong *pp = arg;

	for (unsigned i = 1; i < 2 * PARK_ROUNDS; i += 2) {
		await_turn(pp, i);
		atomic_store(&pp->turn, i + 1);
		park_wake(&pp->p);
	}
	return NULL;
}

static void test_park(void)
{
	static struct pingpong pp;
	pthread_t t;

	CHECK_INT(0, pthread_create(&t, NULL, pong, &pp));
	for (unsigned i = 0; i < 2 * PARK_ROUNDS; i += 2) {
		await_turn(&pp, i);
		atomic_store(&pp.turn, i + 1);
		park_wake(&pp.p);
	}
	await_turn(&pp, 2 * PARK_ROUNDS);
	pthread_join(t, NULL);
	CHECK_INT(2 * PARK_ROUNDS, atomic_load(&pp.turn));
	CHECK_INT(0, atomic_load(&pp.p.waiters));
}

/* ---- two detect threads, one table: as one worker ---- */

static struct packet tcp_pkt(const char *src, uint16_t sp, const char *dst, const char *payload,
			     struct flow *f, uint64_t ts_s)
{
	struct packet p = detect_pkt(6, src, sp, dst, 80, payload);

	p.ts_us = ts_s * 1000000ull;
	p.flow = f;
	p.flags |= PKT_F_HAS_FLOW;
	p.dir = PKT_TO_SERVER;
	p.flow_flags = PKT_FLOW_TOSERVER | PKT_FLOW_ESTABLISHED;
	return p;
}

static void test_detect_shared(void)
{
	static const char rules[] =
		"alert tcp any any -> any any (content:\"mark\"; hostbits:set,bad; hostbits:noalert;"
		" sid:1;)\n"
		"alert tcp any any -> any any (content:\"chk\"; xbits:isset,bad,track ip_src; sid:2;)\n"
		"alert tcp any any -> any any (content:\"hit\"; threshold:type threshold,"
		" track by_src, count 3, seconds 60; sid:3;)\n"
		"alert tcp any any -> any any (content:\"df\"; detection_filter:track by_src,"
		" count 2, seconds 60; sid:4;)\n"
		"alert tcp any any -> any any (content:\"rsp\"; xbits:isset,bad,track ip_dst; sid:5;)\n";
	struct detect_env e = detect_env_setup(NULL, rules, "hoststate");
	struct detect_thread *other = detect_thread_create(e.de, -1);
	struct host_table *ht = host_table_create(&(struct host_table_config){ 0 });
	struct detect_thread *dt[2] = { e.dt, other };
	struct detect_result res;
	struct flow f[8];
	struct packet p;
	uint32_t alerts = 0;

	CHECK(other != NULL && ht != NULL);
	memset(f, 0, sizeof(f));
	for (unsigned i = 0; i < 8; i++)
		f[i].flow_id = i + 1;
	/* apart, a bit set on one thread is not seen on the other */
	p = tcp_pkt("10.0.0.9", 1000, "192.168.1.1", "mark", &f[0], 1);
	detect_packet(dt[0], &p, &res);
	p = tcp_pkt("10.0.0.9", 1001, "192.168.1.1", "chk", &f[1], 2);
	detect_packet(dt[1], &p, &res);
	CHECK_INT(0, res.nalerts);
	/* shared: seen, and by the same host as destination (one bit per host,
	 * whether hostbits or xbits name it) */
	detect_thread_share_hosts(dt[0], ht, NULL, 0);
	detect_thread_share_hosts(dt[1], ht, NULL, 1);
	p = tcp_pkt("10.0.0.9", 1002, "192.168.1.1", "mark", &f[2], 3);
	detect_packet(dt[0], &p, &res);
	p = tcp_pkt("10.0.0.9", 1003, "192.168.1.1", "chk", &f[3], 4);
	detect_packet(dt[1], &p, &res);
	CHECK_INT(1, res.nalerts);
	CHECK_INT(2, res.nalerts ? res.alerts[0].rule->sid : 0);
	p = tcp_pkt("192.168.1.1", 80, "10.0.0.9", "rsp", &f[3], 4);
	detect_packet(dt[0], &p, &res);
	CHECK_INT(1, res.nalerts);
	/* threshold by_src counts over both threads: the 3rd and the 6th */
	for (unsigned i = 0; i < 7; i++) {
		p = tcp_pkt("10.0.0.9", (uint16_t)(2000 + i), "192.168.1.1", "hit", &f[i % 8], 10 + i);
		detect_packet(dt[i % 2], &p, &res);
		alerts += res.nalerts;
		if (i == 2 || i == 5)
			CHECK_INT(1, res.nalerts);
	}
	CHECK_INT(2, alerts);
	/* detection_filter: every match after the first two, whichever thread */
	alerts = 0;
	for (unsigned i = 0; i < 5; i++) {
		p = tcp_pkt("10.0.0.9", (uint16_t)(3000 + i), "192.168.1.1", "df", &f[i % 8], 20 + i);
		detect_packet(dt[(i + 1) % 2], &p, &res);
		alerts += res.nalerts;
	}
	CHECK_INT(3, alerts);
	detect_thread_destroy(other);
	detect_env_teardown(&e);
	host_table_destroy(ht);
}

int main(void)
{
	test_insert_lookup_expiry();
	test_memcap_full();
	test_chain_cap_and_config();
	test_concurrent();
	test_gate();
	test_gate_sleeps();
	test_gate_order_under_load();
	test_park();
	test_detect_shared();
	return check_result("hoststate");
}
