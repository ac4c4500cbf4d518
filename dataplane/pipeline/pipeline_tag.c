/* SPDX-License-Identifier: MIT */
/* Session tags as Suricata 7 counts them (TagFlowAdd, TagHandlePacketFlow):
 * a new tag starts at 0; each later packet of the flow adds 1 (or its
 * length, or moves the last-seen second); the first packet counted is the
 * alerting one, which the alert already logs, so it is not tagged; a packet
 * that takes the count past the limit (used > count, or last - first >
 * count seconds) ends the tag instead of being tagged. */
#include <errno.h>
#include <stdlib.h>

#include "pipeline_tag.h"

int tag_pool_init(struct tag_pool *tp, uint32_t n)
{
	*tp = (struct tag_pool){ 0 };
	tp->e = calloc(n ? n : 1, sizeof(*tp->e));
	if (tp->e == NULL)
		return -ENOMEM;
	tp->n = n;
	for (uint32_t i = 0; i < n; i++)
		tp->e[i].next = i + 1 < n ? i + 2 : 0;
	tp->free = n ? 1 : 0;
	return 0;
}

void tag_pool_fini(struct tag_pool *tp)
{
	free(tp->e);
	tp->e = NULL;
	tp->n = 0;
	tp->free = 0;
}

static struct tag_entry *entry(struct tag_pool *tp, uint32_t ref)
{
	return &tp->e[ref - 1];
}

void tag_add(struct tag_pool *tp, struct flow *f, const struct rule *r, const struct packet *p)
{
	uint64_t now_s = p->ts_us / 1000000u;
	uint32_t ntags = 0, ref;
	struct tag_entry *t;

	for (ref = f->tags; ref != 0; ref = t->next) {
		t = entry(tp, ref);
		ntags++;
		if (t->sid != r->sid || t->gid != r->gid)
			continue;
		/* bounded, so a rule firing on every packet can't tag forever */
		if (++t->matches < RULE_TAG_MATCH_LIMIT) {
			t->first_s = t->last_s = now_s;
			t->used = 0;
		}
		return;
	}
	if (ntags >= TAG_MAX_PER_FLOW) {
		tp->stats.flow_full++;
		return;
	}
	if (tp->free == 0) {
		tp->stats.pool_full++;
		return;
	}
	ref = tp->free;
	t = entry(tp, ref);
	tp->free = t->next;
	*t = (struct tag_entry){ .next = f->tags, .sid = r->sid, .gid = r->gid,
				 .count = r->tag.count, .metric = r->tag.metric,
				 .first_s = now_s, .last_s = now_s };
	f->tags = ref;
	tp->stats.added++;
}

static bool expired(const struct tag_entry *t)
{
	switch (t->metric) {
	case TAG_METRIC_SECONDS:
		return t->last_s - t->first_s > t->count;
	default:
		return t->used > t->count;
	}
}

bool tag_packet(struct tag_pool *tp, struct flow *f, const struct packet *p)
{
	uint32_t *link = &f->tags;
	bool tagged = false;

	while (*link != 0) {
		uint32_t ref = *link;
		struct tag_entry *t = entry(tp, ref);

		t->last_s = p->ts_us / 1000000u;
		if (t->metric == TAG_METRIC_PACKETS)
			t->used++;
		else if (t->metric == TAG_METRIC_BYTES)
			t->used += p->len;
		if (!t->skipped_first) {
			t->skipped_first = true;
		} else if (expired(t)) {
			*link = t->next;
			t->next = tp->free;
			tp->free = ref;
			continue;
		} else {
			tagged = true;
		}
		link = &t->next;
	}
	if (tagged)
		tp->stats.tagged++;
	return tagged;
}

void tag_flow_release(struct tag_pool *tp, struct flow *f)
{
	while (f->tags != 0) {
		uint32_t ref = f->tags;
		struct tag_entry *t = entry(tp, ref);

		f->tags = t->next;
		t->next = tp->free;
		tp->free = ref;
	}
}
