/* SPDX-License-Identifier: MIT */
/* Session tags (the tag keyword, Suricata's detect-engine-tag.c): after a
 * rule with tag:session alerts, the flow's next packets are tagged until the
 * rule's count of packets, bytes or seconds is used up. One pool per worker,
 * sized at creation: a flow links its entries through flow->tags, and they
 * go back to the pool when they expire or the flow is released. */
#ifndef IDS_PIPELINE_TAG_H
#define IDS_PIPELINE_TAG_H

#include <stdbool.h>
#include <stdint.h>

#include "../../rules/rule-t.h"
#include "../decode/packet-t.h"
#include "../flow/flow-t.h"

#define TAG_MAX_PER_FLOW   50u   /* Suricata's DETECT_TAG_MAX_TAGS */
#define TAG_POOL_DEFAULT   4096u /* entries per worker */

struct tag_entry {
	uint32_t next;            /* 1 + index of the next entry of the flow (or free), 0: end */
	uint32_t sid, gid;
	uint32_t count;           /* the rule's limit, in metric units */
	uint8_t metric;           /* enum rule_tag_metric */
	bool skipped_first;       /* the alerting packet was seen (it is not tagged) */
	uint16_t matches;         /* times the rule set the tag again */
	uint64_t used;            /* packets or bytes counted */
	uint64_t first_s, last_s; /* seconds */
};

struct tag_stats {
	uint64_t added;           /* tags set */
	uint64_t tagged;          /* packets tagged */
	uint64_t pool_full;       /* a tag could not be set: the pool is used up */
	uint64_t flow_full;       /* a tag could not be set: TAG_MAX_PER_FLOW on the flow */
};

struct tag_pool {
	struct tag_entry *e;
	uint32_t n;
	uint32_t free;            /* 1 + index of the first free entry, 0: none */
	struct tag_stats stats;
};

/* n entries; 0 or -ENOMEM. */
int tag_pool_init(struct tag_pool *tp, uint32_t n);
void tag_pool_fini(struct tag_pool *tp);

/* Rule r (RULE_F_TAG) alerted on packet p of flow f: set its tag, or
 * restart it (at most RULE_TAG_MATCH_LIMIT times) if the flow has it already. */
void tag_add(struct tag_pool *tp, struct flow *f, const struct rule *r, const struct packet *p);

/* After the alerts of p (not a pseudo packet) are handled: count p against
 * f's tags, drop the expired ones. true when p is tagged. */
bool tag_packet(struct tag_pool *tp, struct flow *f, const struct packet *p);

/* The flow leaves the table: its entries go back to the pool. */
void tag_flow_release(struct tag_pool *tp, struct flow *f);

#endif
