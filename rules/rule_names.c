/* SPDX-License-Identifier: MIT */
/* Name -> id index for the loader's tables (flowbit names, variables):
 * open addressing over a 64-bit name hash, at most half full, so interning
 * n names costs O(n), not the O(n^2) of a list walk per name. The index
 * stores ids only; the caller's table holds the names and says, through
 * eq(), whether an id's name is the one sought. */
#include <errno.h>
#include <stdlib.h>

#include "rule-int.h"

static void put(struct rule_name_index *ix, uint64_t h, uint32_t id)
{
	uint32_t s = (uint32_t)h & (ix->cap - 1);

	while (ix->slot[s].id != 0)
		s = (s + 1) & (ix->cap - 1);
	ix->slot[s].hash = h;
	ix->slot[s].id = id + 1;
	ix->n++;
}

int rule_names_add(struct rule_name_index *ix, uint64_t h, uint32_t id)
{
	if ((ix->n + 1) * 2 > ix->cap) {
		struct rule_name_index big = { .cap = ix->cap ? ix->cap * 2 : 64 };

		big.slot = calloc(big.cap, sizeof(*big.slot));
		if (big.slot == NULL)
			return -ENOMEM;
		for (uint32_t i = 0; i < ix->cap; i++)
			if (ix->slot[i].id != 0)
				put(&big, ix->slot[i].hash, ix->slot[i].id - 1);
		free(ix->slot);
		*ix = big;
	}
	put(ix, h, id);
	return 0;
}

int64_t rule_names_find(const struct rule_name_index *ix, uint64_t h,
			bool (*eq)(const void *table, uint32_t id, const void *key),
			const void *table, const void *key)
{
	if (ix->cap == 0)
		return -1;
	for (uint32_t s = (uint32_t)h & (ix->cap - 1); ix->slot[s].id != 0;
	     s = (s + 1) & (ix->cap - 1))
		if (ix->slot[s].hash == h && eq(table, ix->slot[s].id - 1, key))
			return ix->slot[s].id - 1;
	return -1;
}

void rule_names_free(struct rule_name_index *ix)
{
	free(ix->slot);
	*ix = (struct rule_name_index){ 0 };
}
