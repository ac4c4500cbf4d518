/* SPDX-License-Identifier: MIT */
/* A writer's cache of the parts of "alert" objects that depend on the rule
 * alone: gid .. severity and the rule's "metadata" object. Escaping the
 * message and grouping ET's metadata items took about 5,000 instructions
 * per alert; a rule that alerts once usually alerts again, and a cached
 * rule costs a lookup and one copy.
 *
 * Entries are keyed by the rule's address, which holds only while the
 * rules live: the writer empties the cache whenever its worker's rules
 * change (eve_writer_set_names), before the old ones can be freed. Memory
 * is bounded: when the table or the text area is full the cache is
 * emptied and fills again with the rules that alert from then on. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../rules/rule-t.h"
#include "eve-int.h"

#define FRAG_SLOTS 4096u                   /* a power of two */
#define FRAG_MAX   (FRAG_SLOTS / 4u * 3u)  /* entries before it is emptied */
#define FRAG_AREA  (512u * 1024u)          /* bytes of rendered text */

/* One rule's text at area[off]: '{', the ident members, then, when the
 * rule has metadata, '{' and the "metadata" member: each part as a writer
 * leaves it in an empty object, which json_members appends. */
struct frag_slot {
	const struct rule *r;     /* NULL: free */
	uint32_t off, ident_len, meta_len;
};

struct eve_frag_cache {
	struct frag_slot *slot;   /* FRAG_SLOTS, made on the first alert */
	char *area;               /* FRAG_AREA bytes */
	uint32_t used;            /* slots taken */
	uint32_t area_len;
};

struct eve_frag_cache *eve_frag_cache_create(void)
{
	return calloc(1, sizeof(struct eve_frag_cache));
}

void eve_frag_cache_destroy(struct eve_frag_cache *c)
{
	if (c == NULL)
		return;
	free(c->slot);
	free(c->area);
	free(c);
}

void eve_frag_cache_clear(struct eve_frag_cache *c)
{
	if (c == NULL || c->slot == NULL)
		return;
	memset(c->slot, 0, FRAG_SLOTS * sizeof(*c->slot));
	c->used = 0;
	c->area_len = 0;
}

static uint32_t slot_of(const struct rule *r)
{
	return (uint32_t)(((uintptr_t)r >> 4) * 0x9e3779b97f4a7c15ull >> 40) & (FRAG_SLOTS - 1);
}

/* Render r's parts at the end of the area into s. -ENOSPC: they do not fit
 * in what is left of it (nothing is taken). */
static int render(struct eve_frag_cache *c, const struct rule *r, struct frag_slot *s)
{
	char *at = c->area + c->area_len;
	size_t room = FRAG_AREA - c->area_len, len;
	struct json_w j;

	json_init(&j, at, room);
	json_obj_open(&j, NULL);
	eve_put_rule_ident(&j, r);
	if (!json_ok(&j))
		return -ENOSPC;
	len = json_len(&j);
	s->ident_len = (uint32_t)(len - 1);
	s->meta_len = 0;
	if (r->nmeta > 0) {
		json_init(&j, at + len, room - len);
		json_obj_open(&j, NULL);
		eve_put_rule_meta(&j, r);
		if (!json_ok(&j))
			return -ENOSPC;
		s->meta_len = (uint32_t)(json_len(&j) - 1);
		len += json_len(&j);
	}
	s->off = c->area_len;
	s->r = r;
	c->area_len += (uint32_t)len;
	c->used++;
	return 0;
}

static void give(const struct eve_frag_cache *c, const struct frag_slot *s, struct eve_frag *out)
{
	const char *t = c->area + s->off + 1;

	out->ident = t;
	out->ident_len = s->ident_len;
	out->meta = s->meta_len ? t + s->ident_len + 1 : NULL;
	out->meta_len = s->meta_len;
}

int eve_frag_get(struct eve_frag_cache *c, const struct rule *r, struct eve_frag *out)
{
	if (c == NULL)
		return -ENOENT;
	if (c->slot == NULL) {
		c->slot = calloc(FRAG_SLOTS, sizeof(*c->slot));
		c->area = malloc(FRAG_AREA);
		if (c->slot == NULL || c->area == NULL) {
			free(c->slot);
			free(c->area);
			c->slot = NULL;
			c->area = NULL;
			return -ENOMEM;
		}
	}
	/* a second try in an emptied cache, unless it was empty already */
	for (int attempt = 0; attempt < 2; attempt++) {
		uint32_t i = slot_of(r);

		for (; c->slot[i].r != NULL; i = (i + 1) & (FRAG_SLOTS - 1)) {
			if (c->slot[i].r == r) {
				give(c, &c->slot[i], out);
				return 0;
			}
		}
		if (c->used < FRAG_MAX && render(c, r, &c->slot[i]) == 0) {
			give(c, &c->slot[i], out);
			return 0;
		}
		if (c->used == 0)
			break;
		eve_frag_cache_clear(c);
	}
	return -ENOSPC;
}
