/* SPDX-License-Identifier: MIT */
/* The prefilter's answer for short buffers, remembered per worker. An app
 * transaction scans some thirty short buffers (method, status, header
 * values, user agents), most of them the same bytes as in the transactions
 * before, and short packets repeat too (DNS queries, keepalives, protocol
 * banners); each scan costs the fixed start of a Hyperscan scan and the
 * cache misses of a database the big body scans evicted (1,000 to 3,000
 * cycles for a 20-byte buffer on bench-http), while the hits themselves
 * are rare. A block scan's hits depend only on the database and the bytes,
 * so a buffer seen before gives the pattern ids it gave then, in the same
 * order: the same candidates, without touching the database.
 * Two ways per set, a miss filling the one not used last: each transaction
 * and short packet brings buffers never seen again (a URI, a payload) that
 * pushed out, direct-mapped, the repeated ones (on http5k 18,000 of the
 * 32,900 app scans that reached Hyperscan were of bytes the same database
 * had scanned before, 4 user agents 645 times; two ways answer 4,800 of
 * them). */
#include <string.h>

#include "detect-int.h"

/* 64-bit multiply-xorshift over 8-byte words, the tail as one more word:
 * the last 8 bytes (overlapping the words before), or of a shorter buffer
 * its first and last 4, or first, middle and last byte (len is mixed in
 * first, so the overlaps tell no lengths apart). A memcpy of the tail's
 * variable length was a libc call per scan. The slot is the top bits of a
 * last product, which depend on every bit of the state: its low bits, as
 * taken before, missed a difference in the last word's high bytes (two
 * buffers differing in their last byte took one slot); the tag is the low
 * half. The set and tag only, equality is checked on the bytes. */
#define MEMO_K 0x9e3779b97f4a7c15ull
#define MEMO_SETS (PAT_MEMO_SLOTS / 2)
_Static_assert(MEMO_SETS >= 2 && (MEMO_SETS & (MEMO_SETS - 1)) == 0, "sets: a power of two");

static inline uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * MEMO_K;
	return h ^ (h >> 29);
}

static uint64_t memo_hash(const struct pat_db *db, const uint8_t *buf, uint32_t len)
{
	uint64_t h = ((uint64_t)db->memo_key << 32 ^ len) * MEMO_K;
	uint64_t w = 0;
	uint32_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, buf + i, 8);
		h = mix(h, w);
	}
	if (i < len) {
		if (len >= 8) {
			memcpy(&w, buf + len - 8, 8);
		} else if (len >= 4) {
			uint32_t a, b;

			memcpy(&a, buf, 4);
			memcpy(&b, buf + len - 4, 4);
			w = (uint64_t)a << 32 | b;
		} else {
			w = (uint64_t)buf[0] << 16 | (uint64_t)buf[len / 2] << 8 | buf[len - 1];
		}
		h = mix(h, w);
	}
	return h * MEMO_K;
}

void pat_memo_record(struct pat_memo_ent *e, unsigned int id)
{
	if (e->nid < PAT_MEMO_IDS)
		e->id[e->nid] = id;
	if (e->nid <= PAT_MEMO_IDS)
		e->nid++;	/* PAT_MEMO_IDS + 1: too many to keep */
}

hs_error_t pat_db_scan_memo(struct pat_memo *m, const struct pat_db *db, const uint8_t *buf,
			    uint32_t len, hs_scratch_t *scratch, struct pat_seen *seen,
			    match_event_handler cb, void *ctx, bool *remembered)
{
	struct pat_memo_ent *e;
	uint32_t set, tag, k;
	hs_error_t r;
	uint64_t h;

	*remembered = false;
	if (m == NULL || len > PAT_MEMO_LEN)
		return pat_db_scan(db, buf, len, scratch, seen, cb, ctx);
	h = memo_hash(db, buf, len);
	set = (uint32_t)(h >> (64 - __builtin_ctz(MEMO_SETS)));
	tag = (uint32_t)h | 1u;
	for (uint8_t way = 0; way < 2; way++) {
		k = 2 * set + way;
		e = &m->ent[k];
		if (m->tag[k] != tag || e->db != db || e->len != len ||
		    memcmp(e->bytes, buf, len) != 0)
			continue;
		m->mru[set] = way;
		*remembered = true;
		for (uint32_t i = 0; i < e->nid; i++)
			if (cb(e->id[i], 0, 0, 0, ctx) != 0)
				return HS_SCAN_TERMINATED;
		return HS_SUCCESS;
	}
	m->mru[set] ^= 1u;
	k = 2 * set + m->mru[set];
	e = &m->ent[k];
	e->db = NULL;
	e->nid = 0;
	seen->rec = e;
	r = pat_db_scan(db, buf, len, scratch, seen, cb, ctx);
	seen->rec = NULL;
	if (r == HS_SUCCESS && e->nid <= PAT_MEMO_IDS) {
		e->db = db;
		e->len = (uint16_t)len;
		memcpy(e->bytes, buf, len);
		m->tag[k] = tag;
	}
	return r;
}
