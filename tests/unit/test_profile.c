/* SPDX-License-Identifier: MIT */
/* Per-rule profiling (detect_profile.h): counting in the verification loop,
 * summing over threads, sorting, rule_perf.log. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dataplane/detect/detect.h"
#include "dataplane/detect/detect_profile.h"
#include "detect_fixture.h"

static const struct rule_perf *by_sid(const struct rule_perf *v, uint32_t n, uint32_t sid)
{
	for (uint32_t i = 0; i < n; i++)
		if (v[i].sid == sid)
			return &v[i];
	return NULL;
}

/* n packets with payload s through dt */
static void feed(struct detect_thread *dt, const char *s, unsigned n)
{
	struct detect_result res;
	struct packet p;

	memset(&p, 0, sizeof(p));
	p.ip_ver = 4;
	p.proto = 17;
	p.ttl = 64;
	p.src = ip("10.0.0.1");
	p.dst = ip("10.0.0.2");
	p.sp = 1000;
	p.dp = 53;
	p.payload = (const uint8_t *)s;
	p.payload_len = (uint32_t)strlen(s);
	p.l4 = p.payload;
	for (unsigned i = 0; i < n; i++)
		detect_packet(dt, &p, &res);
}

static void test_counting(void)
{
	struct detect_env e = detect_env_setup(NULL,
		"alert udp any any -> any any (content:\"abc\"; sid:1;)\n"
		"alert udp any any -> any any (content:\"abc\"; content:\"zzz\"; sid:2; rev:4;)\n"
		"alert udp any any -> any any (content:\"qqq\"; sid:3;)\n", "profile");
	struct detect_thread *dt2, *off, *dts[4];
	struct rule_perf v[3];
	const struct rule_perf *p;
	uint32_t n;

	/* off by default: a thread gets no counters */
	CHECK(!detect_engine_profiling(e.de));
	CHECK_INT(0, detect_thread_profile_start(e.dt));
	feed(e.dt, "xabcx", 1);
	dts[0] = e.dt;
	CHECK_INT(0, detect_profile_collect(e.de, dts, 1, v));

	detect_engine_set_profiling(e.de, true);
	off = detect_thread_create(e.de, -1);	/* no _start: not counting */
	dt2 = detect_thread_create(e.de, -1);
	CHECK(off != NULL && dt2 != NULL);
	CHECK_INT(0, detect_thread_profile_start(e.dt));
	CHECK_INT(0, detect_thread_profile_start(dt2));
	feed(e.dt, "xabcx", 3);
	feed(dt2, "xabcx", 2);
	feed(dt2, "qq", 4);		/* no candidate */
	feed(off, "xabcx", 7);
	dts[0] = e.dt;
	dts[1] = NULL;
	dts[2] = dt2;
	dts[3] = off;
	n = detect_profile_collect(e.de, dts, 4, v);
	CHECK_INT(2, n);		/* sid 3 was never checked */
	p = by_sid(v, n, 1);
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK_INT(5, p->checks);
		CHECK_INT(5, p->matches);
		CHECK(p->ticks > 0 && p->ticks_match == p->ticks && p->ticks_max <= p->ticks);
		CHECK_INT(1, p->gid);
	}
	p = by_sid(v, n, 2);
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK_INT(5, p->checks);
		CHECK_INT(0, p->matches);
		CHECK_INT(0, p->ticks_match);
		CHECK_INT(4, p->rev);
	}
	detect_profile_sort(v, n, RULE_PERF_MATCHES);
	CHECK_INT(1, v[0].sid);
	detect_profile_sort(v, n, RULE_PERF_CHECKS);	/* a tie: gid:sid order */
	CHECK_INT(1, v[0].sid);
	CHECK_INT(2, v[1].sid);

	detect_thread_profile_stop(dt2);
	detect_thread_destroy(dt2);
	detect_thread_destroy(off);
	detect_thread_profile_stop(e.dt);
	detect_env_teardown(&e);
}

static void test_sort(void)
{
	static const struct rule_perf base[] = {
		/* gid sid rev checks matches ticks ticks_match ticks_max */
		{ 1, 10, 1, 100, 1, 1000, 10, 50 },	/* avg 10 */
		{ 1, 20, 1, 2, 2, 600, 600, 400 },	/* avg 300 */
		{ 1, 30, 1, 50, 0, 5000, 0, 200 },	/* avg 100 */
		{ 3, 5, 1, 50, 9, 100, 20, 20 },	/* avg 2 */
	};
	static const struct {
		enum rule_perf_sort key;
		uint32_t sids[4];
	} want[] = {
		{ RULE_PERF_TICKS, { 30, 10, 20, 5 } },
		{ RULE_PERF_AVGTICKS, { 20, 30, 10, 5 } },
		{ RULE_PERF_CHECKS, { 10, 30, 5, 20 } },	/* 30 before gid 3's 5 */
		{ RULE_PERF_MATCHES, { 5, 20, 10, 30 } },
		{ RULE_PERF_MAXTICKS, { 20, 30, 10, 5 } },
	};
	struct rule_perf v[4];
	enum rule_perf_sort k;

	for (size_t t = 0; t < sizeof(want) / sizeof(want[0]); t++) {
		memcpy(v, base, sizeof(v));
		detect_profile_sort(v, 4, want[t].key);
		for (int i = 0; i < 4; i++)
			CHECK_INT(want[t].sids[i], v[i].sid);
		CHECK_INT(0, detect_profile_sort_parse(detect_profile_sort_name(want[t].key), &k));
		CHECK_INT(want[t].key, k);
	}
	CHECK_INT(-EINVAL, detect_profile_sort_parse("cost", &k));
}

static void test_write(void)
{
	static const struct rule_perf v[] = {
		{ 1, 30, 2, 50, 10, 5000, 2000, 200 },
		{ 1, 10, 1, 100, 1, 1000, 10, 50 },
		{ 1, 20, 1, 2, 2, 600, 600, 400 },
	};
	char buf[4096];
	FILE *f;

	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	detect_profile_write(f, v, 3, 2, RULE_PERF_TICKS, true, "2026-12-05T18:00:00+0000");
	fclose(f);
	/* Suricata's fields; limit 2 of 3; percent of all 6600 ticks */
	CHECK_STR("{\"timestamp\":\"2026-12-05T18:00:00+0000\",\"sort\":\"ticks\",\"rules\":["
		  "{\"signature_id\":30,\"gid\":1,\"rev\":2,\"checks\":50,\"matches\":10,"
		  "\"ticks_total\":5000,\"ticks_max\":200,\"ticks_avg\":100,"
		  "\"ticks_avg_match\":200,\"ticks_avg_nomatch\":75,\"percent\":75},"
		  "{\"signature_id\":10,\"gid\":1,\"rev\":1,\"checks\":100,\"matches\":1,"
		  "\"ticks_total\":1000,\"ticks_max\":50,\"ticks_avg\":10,"
		  "\"ticks_avg_match\":10,\"ticks_avg_nomatch\":10,\"percent\":15}]}\n", buf);

	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	detect_profile_write(f, v, 3, 0, RULE_PERF_AVGTICKS, false, "2026-12-05T18:00:00+0000");
	fclose(f);
	CHECK(strstr(buf, "Sorted by: average ticks.") != NULL);
	CHECK(strstr(buf, "  1        30           1        2        5000         75.76  50       "
		      "10       200         100.00      200.00      75.00") != NULL);
	CHECK(strstr(buf, "  3        20 ") != NULL);		/* limit 0: all */
}

int main(void)
{
	test_counting();
	test_sort();
	test_write();
	return check_result("profile");
}
