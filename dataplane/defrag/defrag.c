/* SPDX-License-Identifier: MIT */
/* Datagram trackers, fragment lists and the reassembled frame. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "defrag.h"

#define DEFAULT_MEMCAP    (32ull << 20)
#define DEFAULT_TIMEOUT_S 60u
#define DEFAULT_MAX_FRAGS 65535u
#define DEFAULT_TRACKERS  4096u
#define HDR_MAX           512u   /* link + IP headers kept from the first fragment */
#define IP_MAX            65535u
#define FRAME_MAX         (HDR_MAX + IP_MAX)

#define PROTO_HOPOPTS  0
#define PROTO_ROUTING  43
#define PROTO_FRAGMENT 44
#define PROTO_DSTOPTS  60
#define PROTO_MOBILITY 135

struct frag {
	struct frag *next;       /* ascending offset */
	uint32_t off, len;
	uint32_t arrival;        /* order of arrival: ties at equal offsets */
	uint8_t data[];
};

struct tracker {
	struct tracker *hnext;
	struct tracker *older, *newer;  /* age list */
	union ip_addr src, dst;
	uint32_t id;
	uint16_t vlan;
	uint8_t ip_ver, proto;
	bool has_first, has_last;
	uint32_t total;          /* payload bytes, known with has_last */
	uint32_t nfrag, arrivals;
	uint32_t bucket;
	uint64_t expire_us;
	struct frag *frags;
	/* the first fragment's headers: link, IP, (IPv6) the unfragmentable part */
	uint16_t hdr_len, l3_off, nh_pos;
	uint8_t nh;              /* IPv6: the Fragment header's next header */
	uint8_t hdr[HDR_MAX];
};

struct defrag_ctx {
	struct defrag_config cfg;
	struct defrag_stats st;
	uint32_t nbuckets;       /* power of two */
	struct tracker **buckets;
	struct tracker *pool;    /* cfg.trackers entries */
	struct tracker *free_list;
	struct tracker *oldest, *newest;
	uint32_t frags_kept;
	uint8_t *frame;          /* FRAME_MAX bytes */
};

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

struct defrag_ctx *defrag_ctx_create(const struct defrag_config *cfg)
{
	struct defrag_ctx *dc = calloc(1, sizeof(*dc));

	if (dc == NULL)
		return NULL;
	dc->cfg = *cfg;
	if (dc->cfg.memcap == 0)
		dc->cfg.memcap = DEFAULT_MEMCAP;
	if (dc->cfg.timeout_s == 0)
		dc->cfg.timeout_s = DEFAULT_TIMEOUT_S;
	if (dc->cfg.max_frags == 0)
		dc->cfg.max_frags = DEFAULT_MAX_FRAGS;
	if (dc->cfg.trackers == 0)
		dc->cfg.trackers = DEFAULT_TRACKERS;
	dc->nbuckets = 1;
	while (dc->nbuckets < dc->cfg.trackers)
		dc->nbuckets <<= 1;
	dc->buckets = calloc(dc->nbuckets, sizeof(*dc->buckets));
	dc->pool = calloc(dc->cfg.trackers, sizeof(*dc->pool));
	dc->frame = malloc(FRAME_MAX);
	if (dc->buckets == NULL || dc->pool == NULL || dc->frame == NULL) {
		defrag_ctx_destroy(dc);
		return NULL;
	}
	for (uint32_t i = dc->cfg.trackers; i-- > 0;) {
		dc->pool[i].hnext = dc->free_list;
		dc->free_list = &dc->pool[i];
	}
	return dc;
}

static void frags_free(struct defrag_ctx *dc, struct tracker *t)
{
	while (t->frags != NULL) {
		struct frag *f = t->frags;

		t->frags = f->next;
		dc->st.memuse -= f->len;
		dc->frags_kept--;
		free(f);
	}
}

void defrag_ctx_destroy(struct defrag_ctx *dc)
{
	if (dc == NULL)
		return;
	for (struct tracker *t = dc->oldest; t != NULL; t = t->newer)
		frags_free(dc, t);
	free(dc->frame);
	free(dc->pool);
	free(dc->buckets);
	free(dc);
}

const struct defrag_stats *defrag_ctx_stats(const struct defrag_ctx *dc)
{
	return &dc->st;
}

static uint32_t key_hash(const struct packet *p, uint32_t id)
{
	uint32_t h = id * 0x9e3779b1u ^ p->vlan_id[0];
	unsigned n = p->ip_ver == 4 ? 4 : 16;

	for (unsigned i = 0; i < n; i++)
		h = (h ^ p->src.b[i] ^ (uint32_t)p->dst.b[i] << 8) * 0x01000193u;
	return h;
}

static bool key_eq(const struct tracker *t, const struct packet *p, uint32_t id)
{
	unsigned n = p->ip_ver == 4 ? 4 : 16;
	uint16_t vlan = p->vlan_cnt ? p->vlan_id[0] : 0;

	return t->id == id && t->ip_ver == p->ip_ver && t->vlan == vlan &&
	       (p->ip_ver == 6 || t->proto == p->proto) &&
	       memcmp(t->src.b, p->src.b, n) == 0 && memcmp(t->dst.b, p->dst.b, n) == 0;
}

static void tracker_release(struct defrag_ctx *dc, struct tracker *t)
{
	struct tracker **pp = &dc->buckets[t->bucket];

	frags_free(dc, t);
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

static struct tracker *tracker_get(struct defrag_ctx *dc, const struct packet *p, uint32_t id)
{
	uint32_t b = key_hash(p, id) & (dc->nbuckets - 1);
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
	t = dc->free_list;
	if (t == NULL) {
		dc->st.max_trackers_reached++;
		return NULL;
	}
	dc->free_list = t->hnext;
	memset(t, 0, offsetof(struct tracker, hdr));
	t->src = p->src;
	t->dst = p->dst;
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
	return t;
}

/* Keep a copy of the fragment, in offset order. */
static bool frag_add(struct defrag_ctx *dc, struct tracker *t, const struct frag_info *fi)
{
	struct frag **pp = &t->frags, *f;

	if (dc->frags_kept >= dc->cfg.max_frags) {
		dc->st.max_frags_reached++;
		return false;
	}
	if (dc->st.memuse + fi->len > dc->cfg.memcap) {
		dc->st.memcap++;
		return false;
	}
	f = malloc(sizeof(*f) + fi->len);
	if (f == NULL) {
		dc->st.memcap++;
		return false;
	}
	f->off = fi->off;
	f->len = fi->len;
	f->arrival = t->arrivals++;
	memcpy(f->data, fi->payload, fi->len);
	for (struct frag *o = t->frags; o != NULL; o = o->next) {
		if (fi->off < o->off + o->len && o->off < fi->off + fi->len) {
			dc->st.overlap++;
			break;
		}
	}
	while (*pp != NULL && (*pp)->off <= fi->off)
		pp = &(*pp)->next;
	f->next = *pp;
	*pp = f;
	t->nfrag++;
	dc->frags_kept++;
	dc->st.memuse += fi->len;
	return true;
}

static bool complete(const struct tracker *t)
{
	uint32_t covered = 0;

	if (!t->has_first || !t->has_last)
		return false;
	for (const struct frag *f = t->frags; f != NULL; f = f->next) {
		if (f->off > covered)
			return false;
		if (f->off + f->len > covered)
			covered = f->off + f->len;
	}
	return covered >= t->total;
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

/* Write the payload so that the bsd winner of each byte is written last:
 * higher offsets first, and at equal offsets the later arrivals first. */
static void write_payload(const struct tracker *t, uint8_t *out)
{
	const struct frag *done = NULL;

	for (;;) {
		const struct frag *best = NULL;

		for (const struct frag *f = t->frags; f != NULL; f = f->next) {
			/* already written: at or above done in that order */
			if (done != NULL && (f->off > done->off ||
					     (f->off == done->off && f->arrival >= done->arrival)))
				continue;
			if (best == NULL || f->off > best->off ||
			    (f->off == best->off && f->arrival > best->arrival))
				best = f;
		}
		if (best == NULL)
			return;
		if (best->off < t->total)
			memcpy(out + best->off, best->data,
			       best->off + best->len > t->total ? t->total - best->off : best->len);
		done = best;
	}
}

static uint32_t build(struct defrag_ctx *dc, const struct tracker *t)
{
	uint8_t *fr = dc->frame, *l3 = fr + t->l3_off;

	memcpy(fr, t->hdr, t->hdr_len);
	write_payload(t, fr + t->hdr_len);
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

uint32_t defrag_packet(struct defrag_ctx *dc, const struct packet *p, const uint8_t **frame)
{
	struct frag_info fi = { 0 };
	struct tracker *t;
	uint32_t n;
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
	/* RFC 8200 4.5: all but the last fragment carry a multiple of 8 bytes */
	if (!ok || fi.len == 0 || (fi.mf && (fi.len & 7)) || fi.hdr_len > HDR_MAX) {
		dc->st.invalid++;
		return 0;
	}
	if (fi.off == 0 && !fi.mf)
		return 0;	/* an atomic fragment: already whole */
	t = tracker_get(dc, p, fi.id);
	if (t == NULL)
		return 0;
	if (fi.off + fi.len + (fi.hdr_len - (uint32_t)(p->l3 - p->data)) > IP_MAX) {
		dc->st.too_large++;
		tracker_release(dc, t);
		return 0;
	}
	if (!fi.mf) {
		if (t->has_last && t->total != fi.off + fi.len) {
			dc->st.invalid++;	/* two different ends: give the datagram up */
			tracker_release(dc, t);
			return 0;
		}
		t->has_last = true;
		t->total = fi.off + fi.len;
	}
	if (fi.off == 0 && !t->has_first) {
		t->has_first = true;
		t->hdr_len = (uint16_t)fi.hdr_len;
		t->l3_off = (uint16_t)(p->l3 - p->data);
		t->nh_pos = (uint16_t)fi.nh_pos;
		t->nh = fi.nh;
		memcpy(t->hdr, p->data, fi.hdr_len);
	}
	if (!frag_add(dc, t, &fi) || !complete(t))
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
