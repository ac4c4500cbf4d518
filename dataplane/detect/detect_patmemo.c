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
 * order: the same candidates, without touching the database. */
#include <string.h>

#include "detect-int.h"

/* 64-bit multiply-xorshift over 8-byte words (the tail zero-padded): the
 * slot only, equality is checked on the bytes. */
static uint64_t memo_hash(const struct pat_db *db, const uint8_t *buf, uint32_t len)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	uint64_t h = ((uint64_t)db->memo_key << 32 ^ len) * k;
	uint32_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, buf + i, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	if (i < len) {
		uint64_t w = 0;

		memcpy(&w, buf + i, len - i);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	return h ^ (h >> 32);
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
	hs_error_t r;

	*remembered = false;
	if (m == NULL || len > PAT_MEMO_LEN)
		return pat_db_scan(db, buf, len, scratch, seen, cb, ctx);
	e = &m->ent[memo_hash(db, buf, len) & (PAT_MEMO_SLOTS - 1)];
	if (e->db == db && e->len == len && memcmp(e->bytes, buf, len) == 0) {
		*remembered = true;
		for (uint32_t i = 0; i < e->nid; i++)
			if (cb(e->id[i], 0, 0, 0, ctx) != 0)
				return HS_SCAN_TERMINATED;
		return HS_SUCCESS;
	}
	e->db = NULL;
	e->nid = 0;
	seen->rec = e;
	r = pat_db_scan(db, buf, len, scratch, seen, cb, ctx);
	seen->rec = NULL;
	if (r == HS_SUCCESS && e->nid <= PAT_MEMO_IDS) {
		e->db = db;
		e->len = (uint16_t)len;
		memcpy(e->bytes, buf, len);
	}
	return r;
}
