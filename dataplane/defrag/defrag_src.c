/* SPDX-License-Identifier: MIT */
/* Per-source accounting: which trackers one source address holds, so that
 * its share of trackers and memory can be capped and a sender flooding
 * fragments only ever gives up its own datagrams. */
#include <string.h>

#include "defrag-int.h"

static uint32_t addr_hash(const struct defrag_ctx *dc, uint8_t ip_ver, const union ip_addr *a)
{
	return defrag_hash_addr(defrag_hash_step(dc->seed, ip_ver), ip_ver, a);
}

struct defrag_src *defrag_src_find(const struct defrag_ctx *dc, uint8_t ip_ver,
				   const union ip_addr *addr)
{
	uint32_t b = addr_hash(dc, ip_ver, addr) & (dc->nbuckets - 1);

	for (struct defrag_src *s = dc->src_buckets[b]; s != NULL; s = s->hnext)
		if (s->ip_ver == ip_ver && memcmp(&s->addr, addr, sizeof(*addr)) == 0)
			return s;
	return NULL;
}

void defrag_src_attach(struct defrag_ctx *dc, struct tracker *t, uint8_t ip_ver,
		       const union ip_addr *addr)
{
	struct defrag_src *s = defrag_src_find(dc, ip_ver, addr);

	if (s == NULL) {
		uint32_t b = addr_hash(dc, ip_ver, addr) & (dc->nbuckets - 1);

		s = dc->src_free;	/* never NULL: one entry per tracker */
		dc->src_free = s->hnext;
		*s = (struct defrag_src){ .addr = *addr, .ip_ver = ip_ver, .bucket = b,
					  .hnext = dc->src_buckets[b] };
		dc->src_buckets[b] = s;
	}
	t->src = s;
	t->src_newer = NULL;
	t->src_older = s->newest;
	if (s->newest != NULL)
		s->newest->src_newer = t;
	else
		s->oldest = t;
	s->newest = t;
	s->trackers++;
}

void defrag_src_detach(struct defrag_ctx *dc, struct tracker *t)
{
	struct defrag_src *s = t->src, **pp;

	if (t->src_older != NULL)
		t->src_older->src_newer = t->src_newer;
	else
		s->oldest = t->src_newer;
	if (t->src_newer != NULL)
		t->src_newer->src_older = t->src_older;
	else
		s->newest = t->src_older;
	t->src = NULL;
	if (--s->trackers > 0)
		return;
	for (pp = &dc->src_buckets[s->bucket]; *pp != s; pp = &(*pp)->hnext)
		;
	*pp = s->hnext;
	s->hnext = dc->src_free;
	dc->src_free = s;
}

struct tracker *defrag_src_oldest(const struct defrag_src *s, const struct tracker *t)
{
	struct tracker *o = s->oldest;

	return o == t ? t->src_newer : o;
}
