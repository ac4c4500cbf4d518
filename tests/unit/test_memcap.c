/* SPDX-License-Identifier: MIT */
/* The process-wide memcap (common/memcap.c): one budget, several workers
 * each with its own share; refusals exact whatever the slack held. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "check.h"
#include "common/memcap.h"

#define THREADS 4
#define UNIT 8u

static void test_single(void)
{
	struct memcap *mc = memcap_create(1000);
	struct memcap_user *u = memcap_join(mc, 0);
	struct memcap_stats st;

	CHECK(u != NULL);
	CHECK(memcap_take(u, 600));
	CHECK(memcap_take(u, 400));
	CHECK(!memcap_take(u, 1));
	CHECK_INT(1000, memcap_used(u));
	memcap_give(u, 100);
	CHECK(!memcap_take(u, 101));
	CHECK(memcap_take(u, 100));
	memcap_stats(mc, &st);
	CHECK_INT(1000, st.limit);
	CHECK_INT(1000, st.used);
	CHECK_INT(2, st.refused);
	memcap_give(u, 1000);
	CHECK_INT(0, memcap_used(u));
	memcap_leave(u);
	memcap_destroy(mc);
}

/* A budget of its own: a component used alone behaves as before. */
static void test_own(void)
{
	struct memcap_user *u = memcap_join(NULL, 64);

	CHECK(u != NULL);
	CHECK(memcap_take(u, 64));
	CHECK(!memcap_take(u, 1));
	memcap_give(u, 64);
	CHECK(memcap_take(u, 64));
	memcap_leave(u);
}

/* Two users: what one holds unused (its chunk) is gathered by the other
 * before it is refused; leaving gives everything back. */
static void test_gather(void)
{
	struct memcap *mc = memcap_create(64 * 1024);
	struct memcap_user *a = memcap_join(mc, 0), *b = memcap_join(mc, 0);
	struct memcap_stats st;

	CHECK(a != NULL && b != NULL);
	CHECK(memcap_take(a, 1));            /* a reserves a chunk ahead */
	CHECK(atomic_load(&a->slack) > 0);
	CHECK(memcap_take(b, 64 * 1024 - 1));
	CHECK_INT(0, atomic_load(&a->slack));
	CHECK(!memcap_take(a, 1));
	CHECK(!memcap_take(b, 1));
	memcap_stats(mc, &st);
	CHECK_INT(64 * 1024, st.used);
	CHECK_INT(2, st.refused);
	memcap_leave(b);
	CHECK(memcap_take(a, 64 * 1024 - 1));
	memcap_leave(a);
	a = memcap_join(mc, 0);
	CHECK(memcap_take(a, 64 * 1024));
	memcap_leave(a);
	memcap_destroy(mc);
}

struct fill_arg {
	struct memcap_user *u;
	pthread_barrier_t *go;
	uint64_t granted;      /* units taken before the first refusal */
	uint64_t after;        /* takes that succeeded after it: must be 0 */
};

/* Take units until the first refusal; once refused, never again granted
 * (nobody gives anything back). */
static void *fill(void *p)
{
	struct fill_arg *a = p;

	pthread_barrier_wait(a->go);
	while (memcap_take(a->u, UNIT))
		a->granted++;
	for (int i = 0; i < 100; i++)
		a->after += memcap_take(a->u, UNIT);
	return NULL;
}

/* Several threads race to the limit: together they get it exactly, each
 * is refused from then on, and the counters say so. */
static void test_threads_fill(void)
{
	/* chunks of 1/64 of the budget: much of it is slack at some point */
	const uint64_t limit = UNIT * 100003;
	struct memcap *mc = memcap_create(limit);
	struct fill_arg arg[THREADS];
	pthread_t t[THREADS];
	pthread_barrier_t go;
	struct memcap_stats st;
	uint64_t sum = 0, after = 0;

	pthread_barrier_init(&go, NULL, THREADS);
	for (int i = 0; i < THREADS; i++) {
		arg[i] = (struct fill_arg){ .u = memcap_join(mc, 0), .go = &go };
		CHECK(arg[i].u != NULL);
		pthread_create(&t[i], NULL, fill, &arg[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		sum += arg[i].granted;
		after += arg[i].after;
	}
	CHECK_INT(limit / UNIT, sum);
	CHECK_INT(0, after);
	memcap_stats(mc, &st);
	CHECK_INT(limit, st.used);
	CHECK_INT(THREADS * 101, st.refused);
	for (int i = 0; i < THREADS; i++)
		memcap_leave(arg[i].u);
	pthread_barrier_destroy(&go);
	memcap_destroy(mc);
}

struct churn_arg {
	struct memcap_user *u;
	pthread_barrier_t *go;
	unsigned hold;         /* units held at most at once */
	uint64_t refused;
};

/* Take up to hold units, give them back, again and again: the threads'
 * holds add up to the budget, so nothing may ever be refused, whatever
 * the others hold unused at the time. */
static void *churn(void *p)
{
	struct churn_arg *a = p;

	pthread_barrier_wait(a->go);
	for (int round = 0; round < 2000; round++) {
		unsigned n = 1 + (unsigned)(round * 7919) % a->hold, got = 0;

		for (unsigned i = 0; i < n; i++)
			got += memcap_take(a->u, UNIT);
		a->refused += n - got;
		for (unsigned i = 0; i < got; i++)
			memcap_give(a->u, UNIT);
	}
	return NULL;
}

static void test_threads_churn(void)
{
	const unsigned hold = 700;
	struct memcap *mc = memcap_create((uint64_t)UNIT * hold * THREADS);
	struct churn_arg arg[THREADS];
	pthread_t t[THREADS];
	pthread_barrier_t go;
	struct memcap_stats st;

	pthread_barrier_init(&go, NULL, THREADS);
	for (int i = 0; i < THREADS; i++) {
		arg[i] = (struct churn_arg){ .u = memcap_join(mc, 0), .go = &go, .hold = hold };
		pthread_create(&t[i], NULL, churn, &arg[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		CHECK_INT(0, arg[i].refused);
	}
	memcap_stats(mc, &st);
	CHECK_INT(0, st.used);
	CHECK_INT(0, st.refused);
	for (int i = 0; i < THREADS; i++)
		memcap_leave(arg[i].u);
	/* all of it came back: one user takes the whole budget */
	arg[0].u = memcap_join(mc, 0);
	CHECK(memcap_take(arg[0].u, (uint64_t)UNIT * hold * THREADS));
	memcap_leave(arg[0].u);
	pthread_barrier_destroy(&go);
	memcap_destroy(mc);
}

static void test_users_max(void)
{
	struct memcap *mc = memcap_create(1 << 20);
	struct memcap_user *u[MEMCAP_USERS_MAX];

	for (unsigned i = 0; i < MEMCAP_USERS_MAX; i++)
		CHECK((u[i] = memcap_join(mc, 0)) != NULL);
	CHECK(memcap_join(mc, 0) == NULL);
	memcap_leave(u[3]);
	CHECK((u[3] = memcap_join(mc, 0)) != NULL);
	for (unsigned i = 0; i < MEMCAP_USERS_MAX; i++)
		memcap_leave(u[i]);
	memcap_destroy(mc);
}

int main(void)
{
	test_single();
	test_own();
	test_gather();
	test_threads_fill();
	test_threads_churn();
	test_users_max();
	return check_result("memcap");
}
