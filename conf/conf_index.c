/* SPDX-License-Identifier: MIT */
/* A node's children by name: open addressing over the name's FNV-1a hash,
 * kept at most half full. Children are only ever added to an index; a
 * pruned node drops its index and rebuilds it from what is left. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf-priv.h"

struct conf_child_index {
	uint32_t cap, n;         /* cap: a power of two */
	struct conf_node **slot;
};

static uint32_t name_hash(const char *s, size_t len)
{
	uint32_t h = 0x811c9dc5u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 0x01000193u;
	return h;
}

static void put(struct conf_child_index *ix, struct conf_node *ch)
{
	uint32_t h = name_hash(ch->name, strlen(ch->name)) & (ix->cap - 1);

	while (ix->slot[h] != NULL)
		h = (h + 1) & (ix->cap - 1);
	ix->slot[h] = ch;
	ix->n++;
}

static int resize(struct conf_child_index *ix, uint32_t cap)
{
	struct conf_node **old = ix->slot;
	uint32_t ocap = ix->cap;

	ix->slot = calloc(cap, sizeof(*ix->slot));
	if (ix->slot == NULL) {
		ix->slot = old;
		return -ENOMEM;
	}
	ix->cap = cap;
	ix->n = 0;
	for (uint32_t i = 0; i < ocap; i++)
		if (old[i] != NULL)
			put(ix, old[i]);
	free(old);
	return 0;
}

int conf_index_build(struct conf_node *parent)
{
	struct conf_child_index *ix = calloc(1, sizeof(*ix));
	uint32_t cap = 64;

	if (ix == NULL)
		return -ENOMEM;
	while (cap < parent->nchildren * 2u)
		cap *= 2;
	if (resize(ix, cap) != 0) {
		free(ix);
		return -ENOMEM;
	}
	for (struct conf_node *ch = parent->child; ch != NULL; ch = ch->next)
		put(ix, ch);
	parent->index = ix;
	return 0;
}

int conf_index_add(struct conf_node *parent, struct conf_node *ch)
{
	struct conf_child_index *ix = parent->index;

	if ((ix->n + 1) * 2 > ix->cap && resize(ix, ix->cap * 2) != 0) {
		conf_index_free(parent);	/* lookups walk the list */
		return -ENOMEM;
	}
	put(ix, ch);
	return 0;
}

struct conf_node *conf_index_find(const struct conf_node *parent, const char *name, size_t len)
{
	const struct conf_child_index *ix = parent->index;
	uint32_t h = name_hash(name, len) & (ix->cap - 1);

	for (; ix->slot[h] != NULL; h = (h + 1) & (ix->cap - 1)) {
		const char *n = ix->slot[h]->name;

		if (strncmp(n, name, len) == 0 && n[len] == '\0')
			return ix->slot[h];
	}
	return NULL;
}

void conf_index_free(struct conf_node *parent)
{
	if (parent->index == NULL)
		return;
	free(parent->index->slot);
	free(parent->index);
	parent->index = NULL;
}
