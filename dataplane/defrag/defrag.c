/* SPDX-License-Identifier: MIT */
/* Datagram trackers, their fragments' bytes (defrag_map.c) and the reassembled frame. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "../../common/bug.h"
#include "../../common/memcap.h"
#include "defrag-int.h"

#define DEFAULT_TIMEOUT_S 60u
#define DEFAULT_MAX_FRAGS 65535u
#define DEFAULT_TRACKERS  4096u
/* A 64 KiB datagram cut for the 68-byte minimum IPv4 MTU has 1366
 * fragments; real senders use far fewer. */
#define DEFAULT_DGRAM_FRAGS    1024u
#define DEFAULT_DGRAM_OVERLAPS 64u
#define DEFAULT_DGRAM_BYTES    (256u << 10)
#define IP_MAX            65535u
#define FRAME_MAX         (DEFRAG_HDR_MAX + IP_MAX)

#define PROTO_HOPOPTS  0
#define PROTO_ROUTING  43
#define PROTO_FRAGMENT 44
#define PROTO_DSTOPTS  60
#define PROTO_MOBILITY 135

/* What a fragment says about itself. */
struct frag_info {
	uint32_t id, off, len;
	bool mf;
	const uint8_t *payload;
	uint32_t hdr_len;        /* bytes before the fragmentable part (link + IP + unfrag) */
	uint32_t nh_pos;         /* IPv6: byte holding the next header to patch */
	uint8_t nh;
};

static inline uint16_t rd16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t rd32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void set_defaults(struct defrag_config *c)
{
	if (c->memcap == 0)
		c->memcap = DEFRAG_MEMCAP_DEFAULT;
	if (c->timeout_s == 0)
		c->timeout_s = DEFAULT_TIMEOUT_S;
	if (c->max_frags == 0)
		c->max_frags = DEFAULT_MAX_FRAGS;
	if (c->trackers == 0)
		c->trackers = DEFAULT_TRACKERS;
	if (c->dgram_frags == 0)
		c->dgram_frags = DEFAULT_DGRAM_FRAGS;
	if (c->dgram_overlaps == 0)
		c->dgram_overlaps = DEFAULT_DGRAM_OVERLAPS;
	if (c->dgram_bytes == 0)
		c->dgram_bytes = DEFAULT_DGRAM_BYTES;
	if (c->src_trackers == 0)
		c->src_trackers = c->trackers >= 8 ? c->trackers / 8 : 1;
	if (c->src_memcap == 0)
		c->src_memcap = c->memcap / 4;
}

struct defrag_ctx *defrag_ctx_create(const struct defrag_config *cfg)
{
	struct defrag_ctx *dc = calloc(1, sizeof(*dc));

	if (dc == NULL)
		return NULL;
	dc->cfg = *cfg;
	set_defaults(&dc->cfg);
	dc->nbuckets = 1;
	while (dc->nbuckets < dc->cfg.trackers)
		dc->nbuckets <<= 1;
	if (getrandom(&dc->seed, sizeof(dc->seed), GRND_NONBLOCK) != sizeof(dc->seed))
		dc->seed = (uint32_t)(uintptr_t)dc ^ 0x9e3779b1u;
	dc->buckets = calloc(dc->nbuckets, sizeof(*dc->buckets));
	dc->pool = calloc(dc->cfg.trackers, sizeof(*dc->pool));
	dc->src_buckets = calloc(dc->nbuckets, sizeof(*dc->src_buckets));
	dc->src_pool = calloc(dc->cfg.trackers, sizeof(*dc->src_pool));
	dc->frame = malloc(FRAME_MAX);
	dc->mem = memcap_join(cfg->budget, dc->cfg.memcap);
	if (dc->buckets == NULL || dc->pool == NULL || dc->src_buckets == NULL ||
	    dc->src_pool == NULL || dc->frame == NULL || dc->mem == NULL) {
		defrag_ctx_destroy(dc);
		return NULL;
	}
	for (uint32_t i = dc->cfg.trackers; i-- > 0;) {
		dc->pool[i].hnext = dc->free_list;
		dc->free_list = &dc->pool[i];
		dc->src_pool[i].hnext = dc->src_free;
		dc->src_free = &dc->src_pool[i];
	}
	return dc;
}

/* Drop the datagram's data, keep the tracker (a datagram given up). */
static void tracker_clear(struct defrag_ctx *dc, struct tracker *t)
{
	uint32_t mem = defrag_map_mem(&t->map);

	dc->st.memuse -= mem;
	memcap_give(dc->mem, mem);
	t->src->mem -= mem;
	dc->frags_kept -= t->map.nseg;
	defrag_map_free(&t->map);
}

void defrag_ctx_destroy(struct defrag_ctx *dc)
{
	if (dc == NULL)
		return;
	for (struct tracker *t = dc->oldest; t != NULL; t = t->newer)
		defrag_map_free(&t->map);
	memcap_leave(dc->mem);
	free(dc->frame);
	free(dc->src_pool);
	free(dc->src_buckets);
	free(dc->pool);
	free(dc->buckets);
	free(dc);
}

const struct defrag_stats *defrag_ctx_stats(const struct defrag_ctx *dc)
{
	return &dc->st;
}

static uint32_t key_hash(const struct defrag_ctx *dc, const struct packet *p, uint32_t id)
{
	uint32_t h = defrag_hash_step(dc->seed, id);

	h = defrag_hash_step(h, (uint32_t)(p->vlan_cnt ? p->vlan_id[0] : 0) << 8 | p->ip_ver);
	h = defrag_hash_addr(h, p->ip_ver, &p->src);
	return defrag_hash_addr(h, p->ip_ver, &p->dst);
}

static bool key_eq(const struct tracker *t, const struct packet *p, uint32_t id)
{
	unsigned n = p->ip_ver == 4 ? 4 : 16;
	uint16_t vlan = p->vlan_cnt ? p->vlan_id[0] : 0;

	return t->id == id && t->ip_ver == p->ip_ver && t->vlan == vlan &&
	       (p->ip_ver == 6 || t->proto == p->proto) &&
	       memcmp(t->saddr.b, p->src.b, n) == 0 && memcmp(t->daddr.b, p->dst.b, n) == 0;
}

static void tracker_release(struct defrag_ctx *dc, struct tracker *t)
{
	struct tracker **pp = &dc->buckets[t->bucket];

	tracker_clear(dc, t);
	defrag_src_detach(dc, t);
	while (*pp != t)
		pp = &(*pp)->hnext;
	*pp = t->hnext;
	if (t->older != NULL)
		t->older->newer = t->newer;
	else
		dc->oldest = t->newer;
	if (t->newer != NULL)
		t->newer->older = t->older;
	else
		dc->newest = t->older;
	t->hnext = dc->free_list;
	dc->free_list = t;
}

unsigned defrag_expire(struct defrag_ctx *dc, uint64_t now_us)
{
	unsigned n = 0;

	while (dc->oldest != NULL && dc->oldest->expire_us <= now_us) {
		tracker_release(dc, dc->oldest);
		dc->st.timeouts++;
		n++;
	}
	return n;
}

/* IPv4: RFC 791 section 3.1. */
static bool info_v4(const struct packet *p, struct frag_info *fi)
{
	if (p->l3_len < p->ip_hlen)
		return false;
	fi->id = p->ip_id;
	fi->off = p->frag_off;
	fi->mf = p->frag_mf != 0;
	fi->payload = p->l3 + p->ip_hlen;
	fi->len = p->l3_len - p->ip_hlen;
	fi->hdr_len = (uint32_t)(p->l3 - p->data) + p->ip_hlen;
	return true;
}

/* IPv6: the extension headers before the Fragment header are the
 * unfragmentable part (RFC 8200 section 4.5); the next-header byte that
 * names the Fragment header is patched when the frame is rebuilt. */
static bool info_v6(const struct packet *p, struct frag_info *fi)
{
	const uint8_t *l3 = p->l3, *end = p->l3 + p->l3_len;
	uint32_t pos = 40, nh_pos = 6;
	uint8_t nh = l3[6];

	while (nh == PROTO_HOPOPTS || nh == PROTO_ROUTING || nh == PROTO_DSTOPTS ||
	       nh == PROTO_MOBILITY) {
		if (l3 + pos + 2 > end)
			return false;
		nh_pos = pos;
		nh = l3[pos];
		pos += (l3[pos + 1] + 1u) * 8;
	}
	if (nh != PROTO_FRAGMENT || l3 + pos + 8 > end)
		return false;
	fi->nh = l3[pos];
	fi->off = rd16(l3 + pos + 2) & 0xfff8u;
	fi->mf = l3[pos + 3] & 1;
	fi->id = rd32(l3 + pos + 4);
	fi->payload = l3 + pos + 8;
	fi->len = (uint32_t)(end - fi->payload);
	fi->nh_pos = (uint32_t)(l3 - p->data) + nh_pos;
	fi->hdr_len = (uint32_t)(l3 - p->data) + pos;
	return true;
}

/* A tracker for a new datagram: a free one; else, when the source holds
 * its share, its own oldest; else the oldest of all (a flood of datagrams
 * that never complete ages out instead of locking new ones out). */
static struct tracker *tracker_take(struct defrag_ctx *dc, const struct packet *p)
{
	struct defrag_src *s = defrag_src_find(dc, p->ip_ver, &p->src);
	struct tracker *t;

	if (s != NULL && s->trackers >= dc->cfg.src_trackers) {
		dc->st.src_trackers++;
		tracker_release(dc, s->oldest);
	} else if (dc->free_list == NULL) {
		dc->st.max_trackers_reached++;
		tracker_release(dc, dc->oldest);
	}
	t = dc->free_list;
	dc->free_list = t->hnext;
	return t;
}

static struct tracker *tracker_get(struct defrag_ctx *dc, const struct packet *p, uint32_t id)
{
	uint32_t b = key_hash(dc, p, id) & (dc->nbuckets - 1);
	struct tracker *t;

	for (t = dc->buckets[b]; t != NULL; t = t->hnext) {
		if (!key_eq(t, p, id))
			continue;
		if (t->expire_us > p->ts_us)
			return t;
		tracker_release(dc, t);	/* too old: the fragment starts afresh */
		dc->st.timeouts++;
		break;
	}
	t = tracker_take(dc, p);
	memset(t, 0, offsetof(struct tracker, hdr));
	t->saddr = p->src;
	t->daddr = p->dst;
	t->id = id;
	t->vlan = p->vlan_cnt ? p->vlan_id[0] : 0;
	t->ip_ver = p->ip_ver;
	t->proto = p->proto;
	t->bucket = b;
	t->expire_us = p->ts_us + (uint64_t)dc->cfg.timeout_s * 1000000u;
	t->hnext = dc->buckets[b];
	dc->buckets[b] = t;
	t->older = dc->newest;
	if (dc->newest != NULL)
		dc->newest->newer = t;
	else
		dc->oldest = t;
	dc->newest = t;
	defrag_src_attach(dc, t, p->ip_ver, &p->src);
	return t;
}

/* The datagram broke a per-datagram cap: its data goes, the tracker stays
 * (dead) until it times out so its remaining fragments are ignored rather
 * than starting a new datagram. */
static void give_up(struct defrag_ctx *dc, struct tracker *t, uint64_t *counter)
{
	(*counter)++;
	tracker_clear(dc, t);
	t->dead = true;
}

/* Room for the fragment within memcap, the source's memcap and max-frags:
 * the source gives up its own older datagrams first. true: grow bytes are
 * taken from the memcap (the caller accounts or gives them back). */
static bool budget_ok(struct defrag_ctx *dc, struct tracker *t, uint32_t grow)
{
	struct tracker *o;

	if (dc->frags_kept >= dc->cfg.max_frags) {
		dc->st.max_frags_reached++;
		return false;
	}
	if (grow == 0)
		return true;
	if (!memcap_take(dc->mem, grow)) {
		dc->st.memcap++;
		return false;
	}
	while (t->src->mem + grow > dc->cfg.src_memcap) {
		dc->st.src_memcap++;
		o = defrag_src_oldest(t->src, t);
		if (o == NULL) {
			memcap_give(dc->mem, grow);
			return false;
		}
		tracker_release(dc, o);
	}
	return true;
}

/* Apply the fragment [off, off + len) to its datagram. Returns false when
 * it was not kept (p->frag_ev says why). */
static bool frag_add(struct defrag_ctx *dc, struct tracker *t, struct packet *p,
		     const uint8_t *data, uint32_t off, uint32_t len)
{
	uint32_t mem0 = defrag_map_mem(&t->map), nseg0 = t->map.nseg, mem1, grow;
	struct defrag_put put;
	int rc;

	if (++t->nfrag > dc->cfg.dgram_frags) {
		give_up(dc, t, &dc->st.dgram_frags);
		return false;
	}
	t->bytes_in += len;
	if (t->bytes_in > dc->cfg.dgram_bytes) {
		give_up(dc, t, &dc->st.dgram_bytes);
		return false;
	}
	grow = defrag_map_mem_after(&t->map, off, len) - mem0;
	if (!budget_ok(dc, t, grow))
		return false;
	rc = defrag_map_put(&t->map, off, data, len, &put);
	/* what the map took, out of what the memcap gave (all of it, unless an
	 * allocation failed halfway) */
	mem1 = defrag_map_mem(&t->map);
	BUG_ON_HOT(mem1 - mem0 > grow);
	if (mem1 - mem0 != grow)
		memcap_give(dc->mem, grow - (mem1 - mem0));
	dc->st.memuse += mem1 - mem0;
	t->src->mem += mem1 - mem0;
	dc->frags_kept = dc->frags_kept - nseg0 + t->map.nseg;
	if (rc != 0)
		return false;
	if (put.overlap) {
		dc->st.overlap++;
		p->frag_ev = PKT_FRAG_EV_OVERLAP;
		if (++t->noverlap > dc->cfg.dgram_overlaps) {
			give_up(dc, t, &dc->st.dgram_overlaps);
			return false;
		}
	}
	return true;
}

/* The last fragment fixed the length: bytes past it are not the datagram's. */
static void set_total(struct defrag_ctx *dc, struct tracker *t, uint32_t total)
{
	uint32_t nseg0 = t->map.nseg;

	t->has_last = true;
	t->total = total;
	defrag_map_clip(&t->map, total);
	dc->frags_kept -= nseg0 - t->map.nseg;
}

static void ipv4_csum(uint8_t *h, uint32_t hlen)
{
	uint32_t sum = 0;

	h[10] = h[11] = 0;
	for (uint32_t i = 0; i + 1 < hlen; i += 2)
		sum += rd16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	h[10] = (uint8_t)(sum >> 8);
	h[11] = (uint8_t)sum;
}

static uint32_t build(struct defrag_ctx *dc, const struct tracker *t)
{
	uint8_t *fr = dc->frame, *l3 = fr + t->l3_off;

	memcpy(fr, t->hdr, t->hdr_len);
	memcpy(fr + t->hdr_len, t->map.img, t->total);
	if (t->ip_ver == 4) {
		uint32_t hlen = t->hdr_len - t->l3_off;
		uint32_t tot = hlen + t->total;

		l3[2] = (uint8_t)(tot >> 8);
		l3[3] = (uint8_t)tot;
		l3[6] &= 0x40;	/* keep DF; MF and the offset go */
		l3[7] = 0;
		ipv4_csum(l3, hlen);
	} else {
		uint32_t plen = t->hdr_len - t->l3_off - 40 + t->total;

		fr[t->nh_pos] = t->nh;
		l3[4] = (uint8_t)(plen >> 8);
		l3[5] = (uint8_t)plen;
	}
	return t->hdr_len + t->total;
}

/* Why a fragment is not reassembled: counted, and marked on the packet. */
static uint32_t refuse(struct packet *p, uint64_t *counter, enum pkt_frag_ev ev)
{
	if (counter != NULL)
		(*counter)++;
	p->frag_ev = (uint8_t)ev;
	return 0;
}

uint32_t defrag_packet(struct defrag_ctx *dc, struct packet *p, const uint8_t **frame)
{
	struct frag_info fi = { 0 };
	struct tracker *t;
	uint32_t n, len;
	bool ok;

	if (p->l3 == NULL || (p->flags & PKT_F_REASSEMBLED))
		return 0;
	if (p->ip_ver == 4) {
		dc->st.ipv4_fragments++;
		ok = info_v4(p, &fi);
	} else {
		dc->st.ipv6_fragments++;
		ok = info_v6(p, &fi);
	}
	if (!ok || fi.len == 0 || fi.hdr_len > DEFRAG_HDR_MAX)
		return refuse(p, &dc->st.invalid, PKT_FRAG_EV_IGNORED);
	/* RFC 8200 4.5: all but the last fragment carry a multiple of 8 bytes */
	if (fi.mf && (fi.len & 7))
		return refuse(p, &dc->st.invalid, PKT_FRAG_EV_INVALID_LENGTH);
	if (fi.off == 0 && !fi.mf)
		return 0;	/* an atomic fragment: already whole */
	t = tracker_get(dc, p, fi.id);
	if (t->dead)
		return refuse(p, &dc->st.ignored, PKT_FRAG_EV_IGNORED);
	if (fi.off + fi.len + (fi.hdr_len - (uint32_t)(p->l3 - p->data)) > IP_MAX) {
		tracker_release(dc, t);
		return refuse(p, &dc->st.too_large, PKT_FRAG_EV_TOO_LARGE);
	}
	if (!fi.mf) {
		if (t->has_last && t->total != fi.off + fi.len) {
			/* two different ends: give the datagram up */
			tracker_release(dc, t);
			return refuse(p, &dc->st.invalid, PKT_FRAG_EV_IGNORED);
		}
		set_total(dc, t, fi.off + fi.len);
	}
	len = fi.len;
	if (t->has_last && fi.off + len > t->total) {
		if (fi.off >= t->total)
			return refuse(p, &dc->st.invalid, PKT_FRAG_EV_IGNORED);
		len = t->total - fi.off;
	}
	if (fi.off == 0 && !t->has_first) {
		t->has_first = true;
		t->hdr_len = (uint16_t)fi.hdr_len;
		t->l3_off = (uint16_t)(p->l3 - p->data);
		t->nh_pos = (uint16_t)fi.nh_pos;
		t->nh = fi.nh;
		memcpy(t->hdr, p->data, fi.hdr_len);
	}
	if (!frag_add(dc, t, p, fi.payload, fi.off, len)) {
		if (p->frag_ev == PKT_FRAG_EV_NONE || t->dead)
			p->frag_ev = PKT_FRAG_EV_IGNORED;
		return 0;
	}
	if (!t->has_first || !t->has_last || t->map.covered != t->total)
		return 0;
	n = build(dc, t);
	if (t->ip_ver == 4)
		dc->st.ipv4_reassembled++;
	else
		dc->st.ipv6_reassembled++;
	tracker_release(dc, t);
	*frame = dc->frame;
	return n;
}
