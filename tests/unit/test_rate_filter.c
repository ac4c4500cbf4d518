/* SPDX-License-Identifier: MIT */
/* threshold.config rate_filter: how lines are read and which rules they
 * take (Suricata's precedence), then what a rule does before, during and
 * after its new action, packet by packet. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dataplane/detect/detect.h"
#include "detect_fixture.h"
#include "rules/rules.h"

#define RULE(act, sid, opts) \
	act " tcp any any -> any any (content:\"x\"; " opts " sid:" #sid ";)\n"

static const struct rule *find(const struct ruleset *rs, uint32_t sid)
{
	for (uint32_t i = 0; i < rs->n; i++)
		if (rs->rules[i]->sid == sid)
			return rs->rules[i];
	CHECK(!"rule not found");
	return NULL;
}

/* Lines of thr applied to rules: the number of bad lines, their reasons in
 * errs (at most errlen bytes). */
static int apply(struct ruleset *rs, struct rule_env *env, const char *thr, char *errs,
		 size_t errlen)
{
	char path[] = "/tmp/test_rate_filter_XXXXXX";
	FILE *out = fmemopen(errs, errlen, "w");
	int bad;

	detect_env_file(path, thr);
	bad = ruleset_apply_threshold_file(rs, env, path, out);
	fclose(out);
	unlink(path);
	return bad;
}

static void test_parse(void)
{
	struct detect_env e = detect_env_setup(NULL, RULE("alert", 1, "")
					       RULE("alert", 2, "")
					       RULE("alert", 3, "threshold:type limit, track by_src, "
						    "count 1, seconds 9;")
					       RULE("alert", 4, "") RULE("alert", 5, ""),
					       "rate_filter");
	struct rule_env *env = rule_env_new();
	const struct rule *r;
	char errs[2048];

	rule_env_set_default_vars(env);
	memset(errs, 0, sizeof(errs));
	CHECK_INT(5, apply(e.rs, env,
			   "rate_filter gen_id 1, sig_id 1, track by_both, count 3, seconds 7, "
			   "new_action reject, timeout 11\n"
			   /* the first rate_filter of a rule wins */
			   "rate_filter gen_id 1, sig_id 1, track by_src, count 1, seconds 1, "
			   "new_action pass, timeout 1\n"
			   /* the rule's own threshold wins */
			   "rate_filter gen_id 1, sig_id 3, track by_rule, count 1, seconds 1, "
			   "new_action drop, timeout 1\n"
			   /* a gid:sid threshold after it replaces it */
			   "rate_filter gen_id 1, sig_id 2, track by_dst, count 1, seconds 1, "
			   "new_action drop, timeout 1\n"
			   "threshold gen_id 1, sig_id 2, type limit, track by_dst, count 4, "
			   "seconds 5\n"
			   /* global: the rules still without any */
			   "rate_filter gen_id 0, sig_id 0, track by_rule, count 2, seconds 3, "
			   "new_action alert, timeout 4\n"
			   "threshold gen_id 1, sig_id 5, type both, track by_src, count 2, "
			   "seconds 2\n"
			   "rate_filter gen_id 1, sig_id 4, track by_flow, count 1, seconds 1, "
			   "new_action drop, timeout 1\n"
			   "rate_filter gen_id 1, sig_id 4, track by_src, count 1, seconds 1, "
			   "new_action sdrop, timeout 1\n"
			   "rate_filter gen_id 1, sig_id 4, track by_src, count 1, seconds 1, "
			   "new_action drop\n"
			   "rate_filter gen_id 1, sig_id 4, track by_src, count x, seconds 1, "
			   "new_action drop, timeout 1\n"
			   "rate_filter sig_id 4, track by_src, count 1, seconds 1, "
			   "new_action drop, timeout 1\n",
			   errs, sizeof(errs)));
	r = find(e.rs, 1);
	CHECK_INT(THRESH_RATE, r->threshold.type);
	CHECK_INT(TRACK_BY_BOTH, r->threshold.track);
	CHECK_INT(3, r->threshold.count);
	CHECK_INT(7, r->threshold.seconds);
	CHECK_INT(RULE_ACT_REJECT, r->threshold.new_action);
	CHECK_INT(11, r->threshold.timeout);
	r = find(e.rs, 2);
	CHECK_INT(THRESH_LIMIT, r->threshold.type);
	CHECK_INT(4, r->threshold.count);
	r = find(e.rs, 3);
	CHECK_INT(THRESH_LIMIT, r->threshold.type);
	CHECK_INT(9, r->threshold.seconds);
	r = find(e.rs, 4);
	CHECK_INT(THRESH_RATE, r->threshold.type);
	CHECK_INT(TRACK_BY_RULE, r->threshold.track);
	CHECK_INT(RULE_ACT_ALERT, r->threshold.new_action);
	CHECK_INT(4, r->threshold.timeout);
	r = find(e.rs, 5);
	CHECK_INT(THRESH_BOTH, r->threshold.type);
	CHECK(strstr(errs, ":8: invalid 'track by_flow'") != NULL);
	CHECK(strstr(errs, ":9: invalid 'new_action sdrop'") != NULL);
	CHECK(strstr(errs, ":10: rate_filter needs track, count, seconds, new_action and "
		      "timeout") != NULL);
	CHECK(strstr(errs, ":11: invalid 'count x'") != NULL);
	CHECK(strstr(errs, ":12: gen_id and sig_id are needed") != NULL);
	rule_env_free(env);
	detect_env_teardown(&e);
}

static struct detect_result res;

/* One packet at second t from src: alerts, and the verdict and whether
 * the (only) alert was blocked and asks for a reject in *how:
 * 'd' dropped, 'r' rejected, 'a' alert only, 'n' nothing. */
static char at(struct detect_env *e, const char *src, uint64_t t)
{
	struct packet p = detect_pkt(6, src, 1234, "192.168.1.1", 80, "x");

	p.ts_us = t * 1000000u + 250000u;
	detect_packet(e->dt, &p, &res);
	if (res.nalerts == 0)
		return res.verdict == VERDICT_DROP ? 'D' : 'n';
	CHECK_INT(1, res.nalerts);
	CHECK_INT(res.verdict == VERDICT_DROP, res.alerts[0].action == ALERT_BLOCKED);
	if (res.alerts[0].reject)
		return res.verdict == VERDICT_DROP ? 'r' : 'R';
	return res.verdict == VERDICT_DROP ? 'd' : 'a';
}

/* The letters for packets at the seconds in ts (ending with UINT64_MAX). */
static void series(struct detect_env *e, const char *src, const uint64_t *ts, char *out)
{
	size_t n = 0;

	for (; ts[n] != UINT64_MAX; n++)
		out[n] = at(e, src, ts[n]);
	out[n] = '\0';
}

static struct detect_env rate(const char *rule, const char *thr, int ips)
{
	struct detect_env e = detect_env_setup_thr(NULL, rule, thr, "rate_filter");

	detect_thread_set_ips(e.dt, ips);
	return e;
}

static void test_semantics(void)
{
	static const uint64_t ts[] = { 0, 1, 2, 3, 7, 8, 9, 30, UINT64_MAX };
	struct detect_env e;
	char got[16];

	/* count 2 in 10 s: the 3rd match (t 2) turns drop on for 5 s: up to
	 * t 7 (7 - 2 = 5, not past it); t 8 is the rule's own action again and
	 * ends the timeout, but the window (0..10) still counts: t 9 is the
	 * 4th match, past count, drop again, until t 30 ends that timeout */
	e = rate(RULE("alert", 1, ""), "rate_filter gen_id 1, sig_id 1, track by_src, count 2, "
		 "seconds 10, new_action drop, timeout 5\n", 1);
	series(&e, "10.0.0.1", ts, got);
	CHECK_STR("aadddada", got);
	/* by_src: another source has its own count */
	CHECK(at(&e, "10.0.0.2", 31) == 'a');
	CHECK(at(&e, "10.0.0.2", 32) == 'a');
	detect_env_teardown(&e);

	/* IDS mode: a drop does not drop */
	e = rate(RULE("alert", 1, ""), "rate_filter gen_id 1, sig_id 1, track by_src, count 0, "
		 "seconds 60, new_action drop, timeout 60\n", 0);
	CHECK(at(&e, "10.0.0.1", 0) == 'a');
	CHECK(at(&e, "10.0.0.1", 1) == 'a');
	detect_env_teardown(&e);

	/* by_rule: every source counts together; pass: no alert */
	e = rate(RULE("alert", 1, ""), "rate_filter gen_id 1, sig_id 1, track by_rule, count 1, "
		 "seconds 60, new_action pass, timeout 60\n", 0);
	CHECK(at(&e, "10.0.0.1", 0) == 'a');
	CHECK(at(&e, "10.0.0.2", 1) == 'n');
	detect_env_teardown(&e);

	/* a drop rule turned to alert: no longer dropped while the rate holds */
	e = rate(RULE("drop", 1, ""), "rate_filter gen_id 1, sig_id 1, track by_rule, count 1, "
		 "seconds 60, new_action alert, timeout 60\n", 1);
	CHECK(at(&e, "10.0.0.1", 0) == 'd');
	CHECK(at(&e, "10.0.0.2", 1) == 'a');
	detect_env_teardown(&e);

	/* reject: dropped, with the reject asked for; pass: no alert, no drop */
	e = rate(RULE("alert", 1, ""), "rate_filter gen_id 1, sig_id 1, track by_dst, count 0, "
		 "seconds 60, new_action reject, timeout 60\n", 1);
	CHECK(at(&e, "10.0.0.1", 0) == 'a');	/* the first match: its entry begins */
	CHECK(at(&e, "10.0.0.2", 1) == 'r');
	detect_env_teardown(&e);
	e = rate(RULE("drop", 1, ""), "rate_filter gen_id 1, sig_id 1, track by_both, count 1, "
		 "seconds 60, new_action pass, timeout 60\n", 1);
	CHECK(at(&e, "10.0.0.1", 0) == 'd');
	CHECK(at(&e, "10.0.0.1", 1) == 'n');
	CHECK(at(&e, "10.0.0.9", 2) == 'd');	/* another pair */
	detect_env_teardown(&e);
}

int main(void)
{
	test_parse();
	test_semantics();
	return check_result("rate_filter");
}
