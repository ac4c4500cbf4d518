/* SPDX-License-Identifier: MIT */
/* Host tags as Suricata 7 counts them (TagHashAddTag, TagHandlePacketHost),
 * with the session tag's counting (pipeline_tag.c): a new tag starts at 0;
 * each later packet from or to the host adds 1 (or its length, or moves the
 * last-seen second); the first packet counted is the alerting one, which is
 * not tagged; a packet that takes the count past the limit ends the tag.
 * A tag unseen for TAG_HOST_IDLE_US goes (Suricata's TAG_MAX_LAST_TIME_SEEN).
 *
 * One entry per rule and host in the shared host table (HK_TAG_HOST, id
 * gid:sid), so every worker counts the same host's packets in one place:
 *   expire_us  last packet + TAG_HOST_IDLE_US; 0 once the tag has ended
 *   start_us   when the tag (re)started: the seconds metric
 *   next       packets or bytes counted
 *   count      restarts (TAG_HOST_MATCHES) | TAG_HOST_SKIPPED
 * Per packet, with tag:host rules loaded and a tag possibly live (the
 * table's watch time): two bucket locks per such rule. */
#include <string.h>

#include "detect-int.h"

#define TAG_HOST_IDLE_US  (600ull * 1000000ull)
#define TAG_HOST_SKIPPED  0x80000000u /* the alerting packet was counted */
#define TAG_HOST_MATCHES  0x0000ffffu

int detect_tag_host_build(struct detect_engine *de)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < de->nrules; i++) {
		const struct rule *r = de->rules[i].r;

		if ((r->flags & RULE_F_TAG) && r->tag.scope == TAG_SCOPE_HOST)
			n++;
	}
	if (n == 0)
		return 0;
	de->tag_host = calloc(n, sizeof(*de->tag_host));
	if (de->tag_host == NULL)
		return -1;
	for (uint32_t i = 0; i < de->nrules; i++) {
		const struct rule *r = de->rules[i].r;

		if ((r->flags & RULE_F_TAG) && r->tag.scope == TAG_SCOPE_HOST)
			de->tag_host[de->ntag_host++] = r;
	}
	return 0;
}

static void tag_key(struct host_key *k, const struct rule *r, const struct packet *p,
		    const union ip_addr *host)
{
	memset(k, 0, sizeof(*k));
	k->kind = HK_TAG_HOST;
	k->id = (uint64_t)r->gid << 32 | r->sid;
	k->ip_ver = p->ip_ver;
	k->a = *host;
}

void detect_tag_host_add(struct detect_thread *dt, const struct rule *r, const struct packet *p)
{
	struct host_table *ht;
	struct host_val *v;
	struct host_lock lk;
	struct host_key k;
	bool fresh;

	if (p->ip_ver != 4 && p->ip_ver != 6)
		return;
	ht = detect_hosts(dt, p);
	tag_key(&k, r, p, r->tag.host_src ? &p->src : &p->dst);
	v = host_table_lock(ht, &k, p->ts_us, true, &fresh, &lk);
	if (v != NULL) {
		if (fresh) {
			v->start_us = p->ts_us;
		} else if ((v->count & TAG_HOST_MATCHES) + 1 < RULE_TAG_MATCH_LIMIT) {
			v->count++;
			v->start_us = p->ts_us;
			v->next = 0;
		} else if ((v->count & TAG_HOST_MATCHES) < RULE_TAG_MATCH_LIMIT) {
			v->count++;
		}
		v->expire_us = p->ts_us + TAG_HOST_IDLE_US;
	}
	host_table_unlock(&lk);
	if (v != NULL)
		host_table_watch(ht, p->ts_us + TAG_HOST_IDLE_US);
}

static bool ended(const struct rule *r, const struct host_val *v, uint64_t now_us)
{
	if (r->tag.metric == TAG_METRIC_SECONDS)
		return now_us / 1000000u - v->start_us / 1000000u > r->tag.count;
	return v->next > r->tag.count;
}

/* Count p against r's tag on host; true when the tag covers p. */
static bool tag_one(struct host_table *ht, const struct rule *r, const struct packet *p,
		    const union ip_addr *host)
{
	struct host_val *v;
	struct host_lock lk;
	struct host_key k;
	bool fresh, tagged = false, live = false;

	tag_key(&k, r, p, host);
	v = host_table_lock(ht, &k, p->ts_us, false, &fresh, &lk);
	if (v != NULL) {
		if (r->tag.metric == TAG_METRIC_PACKETS)
			v->next++;
		else if (r->tag.metric == TAG_METRIC_BYTES)
			v->next += p->len;
		if (!(v->count & TAG_HOST_SKIPPED)) {
			v->count |= TAG_HOST_SKIPPED;
			live = true;
		} else if (!ended(r, v, p->ts_us)) {
			tagged = live = true;
		}
		v->expire_us = live ? p->ts_us + TAG_HOST_IDLE_US : 0;
	}
	host_table_unlock(&lk);
	if (live)
		host_table_watch(ht, p->ts_us + TAG_HOST_IDLE_US);
	return tagged;
}

bool detect_tag_host_packet(struct detect_thread *dt, const struct packet *p)
{
	const struct detect_engine *de = dt->de;
	struct host_table *ht;
	bool tagged = false;

	if (de->ntag_host == 0 || (p->ip_ver != 4 && p->ip_ver != 6))
		return false;
	/* in capture order (multi-worker file reading): a tag set by an
	 * earlier packet on another worker counts */
	ht = detect_hosts(dt, p);
	if (p->ts_us >= host_table_watched(ht))
		return false;
	for (uint32_t i = 0; i < de->ntag_host; i++) {
		/* both hosts counted, as Suricata handles each host's tags */
		tagged |= tag_one(ht, de->tag_host[i], p, &p->src);
		tagged |= tag_one(ht, de->tag_host[i], p, &p->dst);
	}
	return tagged;
}
