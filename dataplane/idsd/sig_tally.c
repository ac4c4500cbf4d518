/* SPDX-License-Identifier: MIT */
#include "sig_tally.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "../../rules/rule-t.h"
#include "../worker/detect_gen.h"

static int key_cmp(const struct sig_tally_row *a, const struct sig_tally_row *b)
{
	if (a->gid != b->gid)
		return a->gid < b->gid ? -1 : 1;
	if (a->sid != b->sid)
		return a->sid < b->sid ? -1 : 1;
	return a->rev < b->rev ? -1 : a->rev > b->rev;
}

static int row_key_cmp(const void *a, const void *b)
{
	return key_cmp(a, b);
}

static void rows_free(struct sig_tally_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rows[i].msg);
	free(rows);
}

/* The generation's rules that alerted, each summed over the workers, sorted
 * by key (a set may hold a gid:sid:rev twice: those rows add up in the
 * merge). *out NULL when none. Count or -ENOMEM. */
static ssize_t gen_rows(const struct ruleset *rs, const struct detect_gen *g,
			struct sig_tally_row **out)
{
	struct sig_tally_row *rows;
	size_t n = 0;

	*out = NULL;
	if (rs == NULL || rs->n == 0 || g == NULL)
		return 0;
	rows = calloc(rs->n, sizeof(*rows));
	if (rows == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < rs->n; i++) {
		const struct rule *r = rs->rules[i];
		uint64_t total = 0;

		if (r->order >= g->nrules)
			continue;
		for (uint32_t w = 0; w < g->nslots; w++)
			if (g->slot[w].alerts_by_rule != NULL)
				total += g->slot[w].alerts_by_rule[r->order];
		if (total == 0)
			continue;
		rows[n] = (struct sig_tally_row){ r->gid, r->sid, r->rev, total,
						  strdup(r->msg ? r->msg : "") };
		if (rows[n++].msg == NULL) {
			rows_free(rows, n);
			return -ENOMEM;
		}
	}
	if (n == 0) {
		free(rows);
		return 0;
	}
	qsort(rows, n, sizeof(*rows), row_key_cmp);
	*out = rows;
	return (ssize_t)n;
}

int sig_tally_add_gen(struct sig_tally *t, const struct ruleset *rs, const struct detect_gen *g)
{
	struct sig_tally_row *add, *merged;
	ssize_t na = gen_rows(rs, g, &add);
	size_t i = 0, j = 0, k = 0;

	if (na <= 0)
		return (int)na;
	merged = malloc((t->n + (size_t)na) * sizeof(*merged));
	if (merged == NULL) {
		rows_free(add, (size_t)na);
		return -ENOMEM;
	}
	/* both sorted: merge, adding up equal keys (the newer message wins) */
	while (i < t->n || j < (size_t)na) {
		const struct sig_tally_row *next;
		bool from_t = j == (size_t)na || (i < t->n && key_cmp(&t->rows[i], &add[j]) <= 0);

		next = from_t ? &t->rows[i++] : &add[j++];
		if (k > 0 && key_cmp(&merged[k - 1], next) == 0) {
			merged[k - 1].n += next->n;
			if (!from_t) {
				free(merged[k - 1].msg);
				merged[k - 1].msg = next->msg;
			} else {
				free(next->msg);
			}
			continue;
		}
		merged[k++] = *next;
	}
	free(t->rows);
	free(add);
	t->rows = merged;
	t->n = k;
	return 0;
}

static int count_cmp(const void *a, const void *b)
{
	const struct sig_tally_row *x = *(const struct sig_tally_row *const *)a;
	const struct sig_tally_row *y = *(const struct sig_tally_row *const *)b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	if (x->sid != y->sid)
		return x->sid < y->sid ? -1 : 1;
	return key_cmp(x, y);
}

void sig_tally_print(FILE *out, const struct sig_tally *t)
{
	const struct sig_tally_row **order;

	if (t->n == 0)
		return;
	order = malloc(t->n * sizeof(*order));
	if (order == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		order[i] = &t->rows[i];
	qsort(order, t->n, sizeof(*order), count_cmp);
	fprintf(out, "  alerts by signature:\n");
	for (size_t i = 0; i < t->n; i++)
		fprintf(out, "  %9llu  %u:%u:%u  %s\n", (unsigned long long)order[i]->n,
			order[i]->gid, order[i]->sid, order[i]->rev, order[i]->msg);
	free(order);
}

void sig_tally_free(struct sig_tally *t)
{
	rows_free(t->rows, t->n);
	memset(t, 0, sizeof(*t));
}
