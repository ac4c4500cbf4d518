// SPDX-License-Identifier: MIT
/* Interval set algebra for address and port resolution. Lists like ET's IP
 * reputation rules hold thousands of entries, so union is append-then-sort
 * (n log n) rather than insertion. */
#include <errno.h>
#include <stdlib.h>

#include "rule-int.h"

int ivset_add(struct ivset *s, u128 lo, u128 hi)
{
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 8;
		struct iv *v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].lo = lo;
	s->v[s->n].hi = hi;
	s->n++;
	return 0;
}

int ivset_append(struct ivset *d, const struct ivset *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		int rc = ivset_add(d, s->v[i].lo, s->v[i].hi);

		if (rc)
			return rc;
	}
	return 0;
}

static int iv_cmp(const void *a, const void *b)
{
	const struct iv *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

int ivset_norm(struct ivset *s)
{
	uint32_t out = 0;

	if (s->n < 2)
		return 0;
	qsort(s->v, s->n, sizeof(s->v[0]), iv_cmp);
	for (uint32_t i = 1; i < s->n; i++) {
		struct iv *last = &s->v[out];

		/* adjacent ranges merge too: [1,2] + [3,4] = [1,4] */
		if (s->v[i].lo <= last->hi || s->v[i].lo - 1 == last->hi) {
			if (s->v[i].hi > last->hi)
				last->hi = s->v[i].hi;
		} else {
			s->v[++out] = s->v[i];
		}
	}
	s->n = out + 1;
	return 0;
}

int ivset_sub(struct ivset *d, const struct ivset *neg)
{
	struct ivset res = { 0 };
	uint32_t j = 0;

	for (uint32_t i = 0; i < d->n; i++) {
		u128 lo = d->v[i].lo, hi = d->v[i].hi;
		bool alive = true;

		while (j < neg->n && neg->v[j].hi < lo)
			j++;
		for (uint32_t k = j; k < neg->n && neg->v[k].lo <= hi; k++) {
			if (neg->v[k].lo > lo && ivset_add(&res, lo, neg->v[k].lo - 1))
				goto fail;
			if (neg->v[k].hi >= hi) {
				alive = false;
				break;
			}
			lo = neg->v[k].hi + 1;
		}
		if (alive && ivset_add(&res, lo, hi))
			goto fail;
	}
	free(d->v);
	*d = res;
	return 0;
fail:
	ivset_free(&res);
	return -ENOMEM;
}

void ivset_free(struct ivset *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}
