/* SPDX-License-Identifier: MIT */
/* "stats" records: dotted counter names become nested objects, as
 * Suricata's EVE stats ("decoder.pkts" -> {"decoder":{"pkts":N}}). */
#include <stdlib.h>
#include <string.h>

#include "eve-int.h"

#define STATS_MAX_DEPTH 16      /* name components; deeper names are skipped */

/* Order names component by component: '\0' sorts before '.', which sorts
 * before every other byte, so "a.b" < "a.b.c" < "a.b-c" and each subtree
 * ("a.b.*") is one contiguous run right after its own name. Equal names
 * keep their index order, so the first of duplicates wins. */
static int cmp_names(const void *a, const void *b, void *arg)
{
	const char *const *names = arg;
	unsigned ia = *(const unsigned *)a, ib = *(const unsigned *)b;
	const unsigned char *x = (const unsigned char *)names[ia];
	const unsigned char *y = (const unsigned char *)names[ib];

	for (;; x++, y++) {
		int cx = *x == '.' ? 1 : *x ? *x + 1 : 0;
		int cy = *y == '.' ? 1 : *y ? *y + 1 : 0;
		if (cx != cy)
			return cx - cy;
		if (cx == 0)
			return ia < ib ? -1 : ia > ib;
	}
}

struct comp {
	const char *s;
	size_t len;
};

/* Split name at the dots; number of components, 0 if more than max. */
static unsigned split_name(const char *name, struct comp *c, unsigned max)
{
	unsigned n = 0;

	for (;;) {
		const char *dot = strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);
		if (n == max)
			return 0;
		c[n++] = (struct comp){ name, len };
		if (dot == NULL)
			return n;
		name = dot + 1;
	}
}

/* A leaf "a.b" already written hides "a.b" again and everything below
 * it: the same key twice in one object is not valid JSON. */
static bool hidden_by(const char *leaf, const char *name)
{
	size_t n = strlen(leaf);

	return strncmp(leaf, name, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

struct stats_ctx {
	uint64_t ts_us, uptime_s;
	const char *const *names;
	const uint64_t *values;
	const unsigned *order;
	unsigned n;
};

static void build_stats(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct stats_ctx *c = arg;
	struct comp open[STATS_MAX_DEPTH], cur[STATS_MAX_DEPTH];
	unsigned depth = 0;
	const char *leaf = "uptime";

	json_obj_open(j, NULL);
	eve_put_time(j, "timestamp", c->ts_us);
	json_str(j, "event_type", "stats");
	json_obj_open(j, "stats");
	json_uint(j, "uptime", c->uptime_s);
	for (unsigned k = 0; k < c->n; k++) {
		const char *name = c->names[c->order[k]];
		unsigned m = split_name(name, cur, STATS_MAX_DEPTH);
		unsigned common = 0;

		/* "uptime" is ours; the sort puts it anywhere among the others */
		if (m == 0 || hidden_by(leaf, name) || hidden_by("uptime", name))
			continue;
		while (common < depth && common < m - 1 && open[common].len == cur[common].len &&
		       memcmp(open[common].s, cur[common].s, cur[common].len) == 0)
			common++;
		for (; depth > common; depth--)
			json_obj_close(j);
		for (; depth < m - 1; depth++) {
			json_keyn(j, cur[depth].s, cur[depth].len);
			json_obj_open(j, NULL);
			open[depth] = cur[depth];
		}
		json_keyn(j, cur[m - 1].s, cur[m - 1].len);
		json_uint(j, NULL, c->values[c->order[k]]);
		leaf = name;
	}
	for (; depth > 0; depth--)
		json_obj_close(j);
	json_obj_close(j);
	eve_close_record(j, w);
}

void eve_write_stats(struct eve_writer *w, uint64_t ts_us, uint64_t uptime_s,
		     const char *const *names, const uint64_t *values, unsigned n)
{
	if (n > w->order_cap) {
		unsigned *o = realloc(w->order, n * sizeof(*o));
		if (o == NULL) {
			w->st->dropped++;
			return;
		}
		w->order = o;
		w->order_cap = n;
	}
	for (unsigned i = 0; i < n; i++)
		w->order[i] = i;
	qsort_r(w->order, n, sizeof(*w->order), cmp_names, (void *)names);

	struct stats_ctx c = {
		.ts_us = ts_us, .uptime_s = uptime_s, .names = names, .values = values,
		.order = w->order, .n = n,
	};
	eve_emit(w, EVE_T_STATS, build_stats, &c);
}
