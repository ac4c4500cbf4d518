/* SPDX-License-Identifier: MIT */
/* Alerts by signature across generations (dataplane/idsd/sig_tally.c): a
 * reload folds the retired generation's per-worker counts in, keyed by
 * gid:sid:rev, and the summary prints the whole run's. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dataplane/idsd/sig_tally.h"
#include "dataplane/worker/detect_gen.h"
#include "rules/rule-t.h"

#define NW 2

/* A generation of n rules (gid 1, sids[i], revs[i]) over NW workers whose
 * alert counts are counts[worker][i]. */
struct fake {
	struct ruleset rs;
	struct rule rules[4], *ptrs[4];
	struct detect_gen *g;
	uint64_t slots[NW][4];
};

static void fake_init(struct fake *f, unsigned n, const uint32_t *sids, const uint32_t *revs,
		      const char *const *msgs, const uint64_t counts[NW][4])
{
	memset(f, 0, sizeof(*f));
	f->g = calloc(1, sizeof(*f->g) + NW * sizeof(f->g->slot[0]));
	f->g->nrules = n;
	f->g->nslots = NW;
	for (unsigned i = 0; i < n; i++) {
		f->rules[i].gid = 1;
		f->rules[i].sid = sids[i];
		f->rules[i].rev = revs[i];
		f->rules[i].msg = (char *)msgs[i];
		f->rules[i].order = i;
		f->ptrs[i] = &f->rules[i];
	}
	for (unsigned w = 0; w < NW; w++) {
		memcpy(f->slots[w], counts[w], sizeof(f->slots[w]));
		f->g->slot[w].alerts_by_rule = f->slots[w];
	}
	f->rs.n = n;
	f->rs.rules = f->ptrs;
}

static char *print(const struct sig_tally *t)
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	sig_tally_print(f, t);
	fclose(f);
	return buf;
}

int main(void)
{
	struct sig_tally t = { 0 };
	struct fake a, b, z;
	static const uint64_t ca[NW][4] = { { 3, 0, 1 }, { 2, 0, 0 } };
	static const uint64_t cb[NW][4] = { { 1, 4, 0 }, { 0, 0, 0 } };
	static const uint64_t cz[NW][4] = { { 0 } };

	CHECK_STR("", print(&t));   /* nothing alerted: no heading */
	fake_init(&a, 3, (const uint32_t[]){ 10, 20, 30 }, (const uint32_t[]){ 2, 0, 1 },
		  (const char *const[]){ "ten", "twenty", "thirty" }, ca);
	CHECK_INT(0, sig_tally_add_gen(&t, &a.rs, a.g));
	CHECK_INT(2, t.n);          /* sid 20 never alerted: no row */
	CHECK_STR("  alerts by signature:\n"
		  "          5  1:10:2  ten\n"
		  "          1  1:30:1  thirty\n", print(&t));

	/* the reload: sid 10 unchanged, sid 20 now at rev 7, sid 30 gone */
	fake_init(&b, 2, (const uint32_t[]){ 10, 20 }, (const uint32_t[]){ 2, 7 },
		  (const char *const[]){ "ten again", "twenty" }, cb);
	CHECK_INT(0, sig_tally_add_gen(&t, &b.rs, b.g));
	CHECK_INT(3, t.n);
	CHECK_STR("  alerts by signature:\n"
		  "          6  1:10:2  ten again\n"
		  "          4  1:20:7  twenty\n"
		  "          1  1:30:1  thirty\n", print(&t));
	/* a generation whose rules never alerted, a set without rules, no
	 * generation: nothing changes (and nothing leaks) */
	fake_init(&z, 2, (const uint32_t[]){ 10, 20 }, (const uint32_t[]){ 2, 7 },
		  (const char *const[]){ "ten", "twenty" }, cz);
	CHECK_INT(0, sig_tally_add_gen(&t, &z.rs, z.g));
	CHECK_INT(0, sig_tally_add_gen(&t, NULL, b.g));
	CHECK_INT(0, sig_tally_add_gen(&t, &b.rs, NULL));
	CHECK_INT(3, t.n);
	sig_tally_free(&t);
	CHECK_INT(0, t.n);
	free(a.g);
	free(b.g);
	free(z.g);
	return check_result("sig_tally");
}
