/* SPDX-License-Identifier: MIT */
/* App-layer rules per transaction (Suricata's DetectRunTx): for each
 * transaction of the packet's flow with new data, in each direction, the
 * buffers present are scanned with their own database, the candidates and
 * the protocol's rules without a fast pattern are verified in rule order,
 * and a rule that matches is remembered on the transaction so it alerts
 * once (a file rule: once per file, each file of the direction tried on
 * its own, as Suricata's file inspection loops over the files). As Suricata, a packet inspects its own direction only: in IDS mode
 * a direction's data is parsed when the peer acknowledges it, and the
 * request side is inspected with the next packet to the server (or the flow
 * end's pseudo packets). */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/bug.h"
#include "../../common/wmem.h"
#include "../applayer/applayer.h"
#include "../../rules/rules.h"
#include "../decode/packet-t.h"
#include "detect_applayer-int.h"
#include "detect_profile-int.h"

struct app_scan {
	struct detect_thread *dt;
	struct applayer_ctx *al;
	struct app_flow *af;
	struct app_tx *tx;
	uint8_t dir;             /* enum pkt_dir inspected */
	int32_t file;            /* (added) a file rule tried on this file of the
				  * direction alone; -1: every instance */
};

int detect_app_thread_init(struct detect_thread *dt)
{
	const struct detect_app_engine *ae = dt->de->app;
	struct detect_app_thread *at;
	uint32_t n = dt->de->nrules ? dt->de->nrules : 1;

	if (ae == NULL || ae->nrules == 0)
		return 0;
	at = calloc(1, sizeof(*at));
	if (at == NULL)
		return -ENOMEM;
	dt->app = at;
	at->cand = calloc(n, sizeof(uint32_t));
	at->seen = calloc(n, sizeof(uint32_t));
	if (!at->cand || !at->seen)
		return -ENOMEM;
	at->slot = calloc(ae->nvar ? ae->nvar : 1, sizeof(*at->slot));
	at->done_at = calloc(2 * (size_t)ae->nvar + 1, sizeof(uint32_t));
	at->done_stamp = calloc(2 * (size_t)ae->nvar + 1, sizeof(uint32_t));
	at->xf_md = pcre2_match_data_create(2, NULL);
	at->miss_at = calloc(n, sizeof(uint32_t));
	at->miss_stamp = calloc(n, sizeof(uint32_t));
	at->print = calloc(RULE_BUF_MAX, sizeof(*at->print));
	at->print_stamp = calloc(RULE_BUF_MAX, sizeof(uint32_t));
	if (!at->slot || !at->xf_md || !at->done_at || !at->done_stamp || !at->miss_at ||
	    !at->miss_stamp || !at->print || !at->print_stamp)
		return -ENOMEM;
	if (ae->scratch && hs_clone_scratch(ae->scratch, &at->scratch) != HS_SUCCESS)
		return -ENOMEM;
	return 0;
}

void detect_app_thread_fini(struct detect_thread *dt)
{
	struct detect_app_thread *at = dt->app;

	if (at == NULL)
		return;
	hs_free_scratch(at->scratch);
	for (uint32_t v = 0; at->slot && v < dt->de->app->nvar; v++) {
		free(at->slot[v].off);
		free(at->slot[v].data);
	}
	free(at->slot);
	free(at->done_at);
	free(at->done_stamp);
	free(at->miss_at);
	free(at->miss_stamp);
	free(at->print);
	free(at->print_stamp);
	pcre2_match_data_free(at->xf_md);
	free(at->seen);
	free(at->cand);
	free(at);
	dt->app = NULL;
}

/* Instance idx of buffer b for direction dir: 0, or -ENOENT/-ERANGE. */
static int get_buffer(const struct app_scan *s, enum rule_buffer b, uint32_t idx,
		      const uint8_t **data, uint32_t *len)
{
	if (detect_app_buf_bidir(b)) {
		if (idx > 0)
			return -ERANGE;
		idx = s->dir;
	} else if (detect_app_buf_dir_list(b)) {
		/* a list per direction: the ClientHello's and the ServerHello's
		 * ALPN names, the request's and the response's files */
		if (idx > (UINT32_MAX >> 1))
			return -ERANGE;
		idx = idx << 1 | s->dir;
	}
	return app_tx_buffer(s->al, s->af, s->tx, b, idx, data, len);
}

/* Room for nbytes more after the instances of slot sl; -ENOMEM. Grows the
 * reused arrays only: a worker reaches its largest buffers and keeps them. */
static int slot_room(struct app_xf_slot *sl, uint32_t nbytes)
{
	uint32_t need = sl->off[sl->n] + nbytes;

	if (need < nbytes)
		return -ENOMEM;
	if (need > sl->cap) {
		uint32_t cap = need > UINT32_MAX / 2 ? need : need * 2;
		uint8_t *d = realloc(sl->data, cap);

		if (d == NULL)
			return -ENOMEM;
		sl->data = d;
		sl->cap = cap;
	}
	return 0;
}

/* Instance idx of variant v for the current transaction and direction: the
 * buffer itself, or its transformed bytes, computed once per inspection (a
 * thread stamp) into the variant's slot. 0, or -ENOENT/-ERANGE/-ENOMEM; the
 * bytes stay valid until the slot computes its next instance. */
static int variant_buffer(const struct app_scan *s, uint32_t v, uint32_t idx,
			  const uint8_t **data, uint32_t *len)
{
	struct detect_app_thread *at = s->dt->app;
	const struct app_variant *var = &s->dt->de->app->var[v];
	struct app_xf_slot *sl = &at->slot[v];

	if (var->chain == NULL)
		return get_buffer(s, var->buf, idx, data, len);
	if (sl->stamp != at->stamp) {
		sl->stamp = at->stamp;
		sl->n = 0;
	}
	while (sl->n <= idx) {
		const uint8_t *src;
		uint32_t slen;
		int rc = get_buffer(s, var->buf, sl->n, &src, &slen);

		if (rc)
			return rc;
		if (sl->n + 2 > sl->ncap) {
			uint32_t ncap = sl->ncap ? sl->ncap * 2 : 8;
			uint32_t *o = realloc(sl->off, ncap * sizeof(*o));

			if (o == NULL)
				return -ENOMEM;
			sl->off = o;
			sl->ncap = ncap;
		}
		if (sl->n == 0)
			sl->off[0] = 0;
		/* at least one byte: the transforms may write to an empty buffer */
		if (slot_room(sl, detect_xf_bound(var->chain, slen) + 1))
			return -ENOMEM;
		if (slen)
			memcpy(sl->data + sl->off[sl->n], src, slen);
		slen = detect_xf_apply(var->chain, sl->data + sl->off[sl->n], slen, at->xf_md,
				       s->dt->mctx);
		sl->off[sl->n + 1] = sl->off[sl->n] + slen;
		sl->n++;
	}
	*data = sl->data + sl->off[idx];
	*len = sl->off[idx + 1] - sl->off[idx];
	return 0;
}

/* rank as a candidate of the transaction and direction, once; not when its
 * header is known to fail the flow direction (the packet's, which the
 * transaction's side is): its verification would stop there, and it is
 * not remembered for the next update either. */
static void add_cand(struct detect_thread *dt, uint32_t rank)
{
	struct detect_app_thread *at = dt->app;

	if (at->seen[rank] == at->stamp)
		return;
	at->seen[rank] = at->stamp;
	if (!detect_hdr_fails(dt, &dt->de->rules[rank]))
		at->cand[at->ncand++] = rank;
}

static int on_app_pattern(unsigned int id, unsigned long long from, unsigned long long to,
			  unsigned int flags, void *ctx)
{
	struct detect_thread *dt = ctx;
	struct detect_app_thread *at = dt->app;
	const struct pat_db *db = at->scan_db;

	(void)from;
	(void)to;
	(void)flags;
	dt->stats.mpm_matches++;
	for (uint32_t k = db->pat_first[id]; k < db->pat_first[id + 1]; k++) {
		BUG_ON_HOT(at->ncand >= dt->de->nrules);
		add_cand(dt, db->pat_rules[k]);
	}
	return 0;
}

static void scan(struct detect_thread *dt, const struct pat_db *db, const uint8_t *buf,
		 uint32_t len)
{
	struct detect_app_thread *at = dt->app;
	bool remembered;

	if (pat_db_empty(db) || len == 0 || len < db->minlen)
		return;
	at->scan_db = db;
	dt->stats.mpm_app_bytes += len;
	if (pat_db_scan_memo(dt->memo, db, buf, len, at->scratch, &dt->seen, on_app_pattern, dt,
			     &remembered) != HS_SUCCESS) {
		dt->stats.scan_errors++;
		BUG_ON_HOT(true);
	}
	if (remembered)
		dt->stats.mpm_remembered++;
	else
		dt->stats.mpm_scans++;
}

/* The gated rules of proto whose gate p holds, as candidates: the gate is
 * scanned over what detect_payload_match can inspect, the stream window
 * (whole: an app rule alerts once per transaction, so a hit in its kept
 * context still counts) and the packet's payload unless it went into it. */
static void gate_scan(struct detect_thread *dt, const struct packet *p, enum app_proto proto)
{
	const struct pat_db *db = &dt->de->app->gate[proto][p->dir];
	const struct detect_stream *st = dt->stream;

	if (pat_db_empty(db) || (p->flags & PKT_F_TUNNEL_ROOT))
		return;
	if (st != NULL)
		scan(dt, db, st->data, st->len);
	if (!(p->flags & PKT_F_PSEUDO) && (st == NULL || !(p->flags & PKT_F_STREAM_ADD)))
		scan(dt, db, p->payload, p->payload_len);
}

/* Buffer b can no longer appear in this transaction and direction. */
static bool buffer_final(const struct app_scan *s, enum rule_buffer b)
{
	uint32_t idx = 0;

	if (detect_app_buf_bidir(b) || detect_app_buf_dir_list(b))
		idx = s->dir;
	return app_tx_buffer_final(s->af, s->tx, b, idx);
}

/* What detection remembers per transaction and direction, so that an
 * update scans only what changed: each buffer instance scanned and its
 * length then, and the ranks its prefilters found that have not alerted.
 * Buffers only grow or stay (HTTP bodies and header blocks are appended
 * to, the rest is set once): an instance of the same length is not scanned
 * again, one that grew is scanned from its old end less the longest
 * pattern of its prefilter (a transformed one whole, as a transform may
 * change every byte), and the earlier hits are candidates again. A hit that
 * no longer holds only costs a verification, which decides on the bytes. */
/* Instances remembered per transaction and direction: lookups stay short
 * however many instances a message holds (a DNS answer with thousands of
 * names); the ones past it are scanned whole on every update, as before. */
#define SCAN_DONE_MAX 64u

struct scan_done {
	uint32_t pos, idx, len;  /* pos: the variant's place in the scan list */
	bool final;              /* the instance can no longer change */
	bool end;                /* absent for good, and every later instance */
};

/* A variant is settled in a transaction and direction when each of its
 * instances was scanned and is final and the one after the last is absent
 * for good: no update can bring a candidate from it any more (what the
 * records below would say on every update, one lookup per instance). It is
 * then skipped with a bit, and its records are dropped. Bits for the first
 * SETTLED_MAX places of the scan list (ET Open's HTTP lists have 18 to the
 * server and 11 to the client); the places past it keep to the records. */
#define SETTLED_MAX 64u

/* A rule whose verification failed on the matches of one of its buffers
 * (a list, struct app_rule_buf), and that buffer's state then: while the
 * buffer stays the same the rule cannot match, and it is not verified
 * again (a transaction's update makes both directions due: without this,
 * each response packet verified the request side's earlier hits again, on
 * corpus-mix three verifications in four). */
struct rule_miss {
	uint32_t rank;
	uint8_t buf;             /* enum rule_buffer; RULE_BUF_MAX: forgotten */
	struct app_buf_print print;
};

/* Misses remembered per transaction and direction: past it, rules are
 * verified on every update, as before. */
#define RULE_MISS_MAX 256u

/* The arrays' sizes (cap*) are in bytes, as the pool's blocks. */
struct tx_dir_scan {
	uint32_t nhit, caphit;
	uint32_t *hit;           /* ranks found in earlier updates */
	uint32_t ndone, capdone;
	struct scan_done *done;
	uint32_t nmiss, capmiss;
	struct rule_miss *miss;  /* one per rank at most */
	uint64_t settled;        /* a bit by place in the scan list */
	uint8_t proto;           /* the scan list's (enum app_proto) that
				  * pos and settled refer to */
};

/* Made for each transaction that detection sees, so its memory and its
 * arrays' come from the worker's pool (applayer_ctx_mem): reused from the
 * pool's free lists, not a malloc and free each. */
struct tx_scan {
	uint64_t serial;         /* detect_engine.serial of the ranks and variants */
	struct wmem *mem;        /* the pool all of it came from */
	uint32_t cap;            /* this block's size */
	struct tx_dir_scan d[2]; /* by enum pkt_dir */
};

static void tx_scan_free(void *p)
{
	struct tx_scan *ts = p;

	for (int i = 0; i < 2; i++) {
		wmem_free(ts->mem, ts->d[i].hit, ts->d[i].caphit);
		wmem_free(ts->mem, ts->d[i].done, ts->d[i].capdone);
		wmem_free(ts->mem, ts->d[i].miss, ts->d[i].capmiss);
	}
	wmem_free(ts->mem, ts, ts->cap);
}

/* The transaction's memory for direction dir; NULL without memory (every
 * buffer is then scanned whole, as if new). What another engine (before a
 * reload) remembered is forgotten: its ranks and variants mean nothing here;
 * so are the scan records of another protocol's list (places in it). */
static struct tx_dir_scan *tx_dir_scan(const struct detect_engine *de, struct wmem *mem,
				       struct app_tx *tx, uint8_t dir, enum app_proto proto)
{
	struct tx_scan *ts = app_tx_detect_state(tx);
	struct tx_dir_scan *ds;
	uint32_t cap;

	if (ts == NULL) {
		ts = wmem_alloc(mem, sizeof(*ts), &cap);
		if (ts == NULL)
			return NULL;
		*ts = (struct tx_scan){ .mem = mem, .cap = cap };
		app_tx_set_detect_state(tx, ts, tx_scan_free);
	}
	if (ts->serial != de->serial) {
		for (int i = 0; i < 2; i++) {
			ts->d[i].nhit = ts->d[i].nmiss = 0;
			ts->d[i].proto = APP_PROTO_UNKNOWN;
		}
		ts->serial = de->serial;
	}
	ds = &ts->d[dir];
	if (ds->proto != proto) {
		ds->ndone = 0;
		ds->settled = 0;
		ds->proto = (uint8_t)proto;
	}
	return ds;
}

/* Grow an array of ds's pool holding n elements of size sz (*cap bytes)
 * to room for one more, doubling from 8. */
static bool room_for_one(struct wmem *mem, void **a, uint32_t n, uint32_t *cap, uint32_t sz)
{
	void *na;

	if ((n + 1) * sz <= *cap)
		return true;
	na = wmem_grow(mem, *a, *cap, n * sz, *cap ? *cap * 2 : 8 * sz, cap);
	if (na == NULL)
		return false;
	*a = na;
	return true;
}

static bool settled(const struct tx_dir_scan *ds, uint32_t pos)
{
	return pos < SETTLED_MAX && (ds->settled >> pos & 1u);
}

/* Instances 0 and 1 of every variant in ds, indexed for done_find. */
static void done_index(struct detect_app_thread *at, const struct tx_dir_scan *ds)
{
	for (uint32_t i = 0; i < ds->ndone; i++) {
		const struct scan_done *sd = &ds->done[i];

		if (sd->idx < 2) {
			at->done_at[2 * sd->pos + sd->idx] = i;
			at->done_stamp[2 * sd->pos + sd->idx] = at->stamp;
		}
	}
}

static struct scan_done *done_find(const struct detect_app_thread *at, struct tx_dir_scan *ds,
				   uint32_t pos, uint32_t idx)
{
	if (idx < 2)
		return at->done_stamp[2 * pos + idx] == at->stamp ?
			       &ds->done[at->done_at[2 * pos + idx]] : NULL;
	for (uint32_t i = 0; i < ds->ndone; i++)
		if (ds->done[i].pos == pos && ds->done[i].idx == idx)
			return &ds->done[i];
	return NULL;
}

/* The records of the variants settled are no longer looked up. */
static void drop_settled(struct tx_dir_scan *ds)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < ds->ndone; i++)
		if (!settled(ds, ds->done[i].pos))
			ds->done[n++] = ds->done[i];
	ds->ndone = n;
}

/* Where to scan instance idx of the variant at pos from, its source being
 * the bytes [base, base + slen) of the whole buffer: 0 when new or changed,
 * UINT32_MAX when unchanged; remembered as scanned (and final, so that
 * later updates do not even build it). *kept: it is final and remembered.
 * single: the variant's only instance, at a place with a settled bit: when
 * final, the bit remembers it and no record is written (it would be
 * dropped at the end of this update: on http5k 110,000 records a run). */
static uint32_t scan_from(struct app_scan *s, struct tx_dir_scan *ds, struct scan_done *sd,
			  const struct app_variant *var, uint32_t pos, uint32_t idx, uint32_t base,
			  uint32_t slen, bool single, bool *kept)
{
	bool final = buffer_final(s, var->buf);
	uint32_t from = 0;

	slen += base;
	*kept = final;
	if (sd == NULL && final && single)
		return 0;
	if (sd != NULL) {
		sd->final = final;
		if (sd->len == slen)
			return UINT32_MAX;
		if (slen > sd->len && var->chain == NULL && sd->len >= var->db.maxlen &&
		    sd->len - (var->db.maxlen - 1) > base)
			from = sd->len - (var->db.maxlen - 1) - base;
		sd->len = slen;
		return from;
	}
	if (ds->ndone < SCAN_DONE_MAX &&
	    room_for_one(applayer_ctx_mem(s->al), (void **)&ds->done, ds->ndone, &ds->capdone,
			 sizeof(*ds->done)))
		ds->done[ds->ndone++] = (struct scan_done){ .pos = pos, .idx = idx, .len = slen,
							    .final = final };
	else
		*kept = false;
	return 0;
}

/* Instance idx of the variant at pos and all after it can no longer
 * appear: later updates stop there without asking the protocol (most of a
 * transaction's buffers are absent: a request without a Referer, a
 * response without a Location, the request side's while the response
 * streams in). */
static void remember_end(struct wmem *mem, struct tx_dir_scan *ds, uint32_t pos, uint32_t idx)
{
	if (ds->ndone < SCAN_DONE_MAX &&
	    room_for_one(mem, (void **)&ds->done, ds->ndone, &ds->capdone, sizeof(*ds->done)))
		ds->done[ds->ndone++] = (struct scan_done){ .pos = pos, .idx = idx, .final = true,
							    .end = true };
}

/* The prefilter hits of this update and the earlier ones still pending
 * become the ones remembered (at->cand holds exactly them here). */
static void remember_hits(struct wmem *mem, struct tx_dir_scan *ds,
			  const struct detect_app_thread *at, const struct app_tx *tx)
{
	uint32_t n = 0;

	if (at->ncand * sizeof(*ds->hit) > ds->caphit) {
		uint32_t *h = wmem_grow(mem, ds->hit, ds->caphit, 0,
					at->ncand * (uint32_t)sizeof(*h), &ds->caphit);

		if (h == NULL)
			return;		/* the old list stays: a subset, rescans fill in */
		ds->hit = h;
	}
	for (uint32_t i = 0; i < at->ncand; i++)
		if (!app_tx_marked(tx, at->cand[i]))
			ds->hit[n++] = at->cand[i];
	ds->nhit = n;
}

/* The response body's bytes buf[from..len) have their candidates from the
 * stream's scan (detect_body_stream.c) but for the head of the body's set,
 * scanned here; false when they must be scanned whole. */
static bool body_from_stream(struct app_scan *s, const struct packet *p,
			     const struct app_variant *var, const uint8_t *buf, uint32_t from,
			     uint32_t len)
{
	struct detect_thread *dt = s->dt;
	const uint32_t base = app_tx_buffer_offset(s->af, s->tx, var->buf);

	if (!detect_body_from_stream(dt, p, s->af, s->tx, base + from, base + len, add_cand))
		return false;
	if (var->db.head != NULL) {
		dt->app->scan_db = &var->db;
		if (pat_db_scan_head(&var->db, buf + from, len - from, dt->app->scratch, &dt->seen,
				     on_app_pattern, dt) != HS_SUCCESS) {
			dt->stats.scan_errors++;
			BUG_ON_HOT(true);
		}
	}
	return true;
}

/* The state of buffer b in this inspection, computed once. */
static const struct app_buf_print *buf_print(const struct app_scan *s, enum rule_buffer b)
{
	struct detect_app_thread *at = s->dt->app;
	struct app_buf_print *bp = &at->print[b];
	const uint8_t *data;
	uint32_t len;

	if (at->print_stamp[b] == at->stamp)
		return bp;
	at->print_stamp[b] = at->stamp;
	bp->base = app_tx_buffer_offset(s->af, s->tx, b);
	bp->n = 0;
	bp->ends = 0;
	while (get_buffer(s, b, bp->n, &data, &len) == 0) {
		bp->ends += (uint64_t)bp->base + len;
		bp->n++;
		if (!rule_buffer_multi(b))
			break;	/* one instance: the next is -ERANGE */
	}
	return bp;
}

/* ds's misses by rank, for miss_find. */
static void miss_index(struct detect_app_thread *at, const struct tx_dir_scan *ds)
{
	for (uint32_t i = 0; i < ds->nmiss; i++) {
		at->miss_at[ds->miss[i].rank] = i;
		at->miss_stamp[ds->miss[i].rank] = at->stamp;
	}
}

static struct rule_miss *miss_find(const struct detect_app_thread *at, struct tx_dir_scan *ds,
				   uint32_t rank)
{
	return at->miss_stamp[rank] == at->stamp ? &ds->miss[at->miss_at[rank]] : NULL;
}

/* Rule rank failed on a buffer when last verified, and the buffer is the
 * same now: it would fail again. */
static bool miss_unchanged(const struct app_scan *s, struct tx_dir_scan *ds, uint32_t rank)
{
	const struct rule_miss *m = miss_find(s->dt->app, ds, rank);
	const struct app_buf_print *bp;

	if (m == NULL || m->buf == RULE_BUF_MAX)
		return false;
	bp = buf_print(s, (enum rule_buffer)m->buf);
	return bp->n == m->print.n && bp->base == m->print.base && bp->ends == m->print.ends;
}

/* After rank's verification: the list rb failed it (its buffer's state is
 * remembered), or NULL: it matched or failed on something else (what was
 * remembered is forgotten). */
static void remember_miss(const struct app_scan *s, struct tx_dir_scan *ds, uint32_t rank,
			  const struct app_rule_buf *rb)
{
	struct detect_app_thread *at = s->dt->app;
	struct rule_miss *m = miss_find(at, ds, rank);

	if (m == NULL) {
		if (rb == NULL || ds->nmiss >= RULE_MISS_MAX ||
		    !room_for_one(applayer_ctx_mem(s->al), (void **)&ds->miss, ds->nmiss,
				  &ds->capmiss, sizeof(*ds->miss)))
			return;
		at->miss_at[rank] = ds->nmiss;
		at->miss_stamp[rank] = at->stamp;
		m = &ds->miss[ds->nmiss++];
		m->rank = rank;
	}
	m->buf = rb != NULL ? rb->buf : RULE_BUF_MAX;
	if (rb != NULL)
		m->print = *buf_print(s, (enum rule_buffer)rb->buf);
}

/* What changed of the instances of variant v, at place pos of the scan
 * list, scanned into at->cand. True when it is settled (only asked with ds
 * and pos below SETTLED_MAX: the end is then not recorded). */
static bool scan_variant(struct app_scan *s, const struct packet *p, struct tx_dir_scan *ds,
			 uint32_t pos, uint32_t v)
{
	struct detect_thread *dt = s->dt;
	const struct detect_app_engine *ae = dt->de->app;
	const struct app_variant *var = &ae->var[v];
	bool settles = ds != NULL && pos < SETTLED_MAX;
	const uint32_t ninst = rule_buffer_multi(var->buf) ? UINT32_MAX : 1;

	for (uint32_t idx = 0; idx < ninst; idx++) {
		struct scan_done *sd = ds != NULL ? done_find(dt->app, ds, pos, idx) : NULL;
		const uint8_t *buf;
		uint32_t len, from = 0;
		bool kept;

		if (sd != NULL && sd->end)
			return settles;
		if (sd != NULL && sd->final)
			continue;
		if (get_buffer(s, var->buf, idx, &buf, &len) != 0) {
			if (ds == NULL || !buffer_final(s, var->buf))
				return false;
			if (!settles)
				remember_end(applayer_ctx_mem(s->al), ds, pos, idx);
			return settles;
		}
		if (ds != NULL) {
			from = scan_from(s, ds, sd, var, pos, idx,
					 app_tx_buffer_offset(s->af, s->tx, var->buf), len,
					 settles && ninst == 1, &kept);
			settles = settles && kept;
			if (from == UINT32_MAX)
				continue;
		}
		if (var->chain != NULL && variant_buffer(s, v, idx, &buf, &len) != 0)
			return false;
		if (v == ae->body_var && s->dir == PKT_TO_CLIENT &&
		    body_from_stream(s, p, var, buf, from, len))
			continue;
		scan(dt, &var->db, buf + from, len - from);
	}
	/* one instance a direction: instance 1 is -ERANGE and final when
	 * instance 0 is, which settles says (asking the protocol for both
	 * cost ~150 instructions a variant and update) */
	return settles;
}

/* Candidates of one transaction and direction: prefilter hits in what
 * changed of every buffer present and the hits of earlier updates, plus the
 * protocol's rules without a fast pattern. Returns the transaction's
 * memory for the direction (NULL: none), its misses indexed. */
static struct tx_dir_scan *candidates(struct app_scan *s, const struct packet *p,
				      enum app_proto proto)
{
	struct detect_thread *dt = s->dt;
	struct detect_app_thread *at = dt->app;
	const struct detect_app_engine *ae = dt->de->app;
	struct wmem *mem = applayer_ctx_mem(s->al);
	struct tx_dir_scan *ds = tx_dir_scan(dt->de, mem, s->tx, s->dir, proto);
	const uint32_t nscan = ae->nscan[proto][s->dir];
	const uint32_t *list = ae->scan[proto][s->dir];
	const bool unstarted = (ds == NULL || ds->ndone == 0) &&
			       app_tx_dir_unstarted(s->af, s->tx, (enum app_dir)s->dir);
	bool dropped = false;

	at->ncand = 0;
	if (++at->stamp == 0) {
		memset(at->seen, 0, dt->de->nrules * sizeof(uint32_t));
		memset(at->done_stamp, 0, 2 * (size_t)ae->nvar * sizeof(uint32_t));
		memset(at->miss_stamp, 0, dt->de->nrules * sizeof(uint32_t));
		memset(at->print_stamp, 0, RULE_BUF_MAX * sizeof(uint32_t));
		for (uint32_t v = 0; v < ae->nvar; v++)
			at->slot[v].stamp = 0;
		at->stamp = 1;
	}
	if (ds != NULL) {
		done_index(at, ds);
		miss_index(at, ds);
	}
	/* the places not settled, a word of the list at a time; none while
	 * the side is not begun and nothing is remembered of it (each place
	 * would find its buffer absent, not final: the response side at each
	 * packet to the client before the status line, on http5k 12 asks for
	 * a buffer and whether it is final per transaction) */
	for (uint32_t w = 0; w * 64 < nscan && !unstarted; w++) {
		uint64_t todo = nscan - w * 64 >= 64 ? ~0ull : (1ull << (nscan - w * 64)) - 1;

		if (ds != NULL && w == 0)
			todo &= ~ds->settled;
		for (; todo != 0; todo &= todo - 1) {
			const uint32_t b = (uint32_t)__builtin_ctzll(todo);

			if (scan_variant(s, p, ds, w * 64 + b, list[w * 64 + b])) {
				ds->settled |= 1ull << b;
				dropped = true;
			}
		}
	}
	if (ds != NULL) {
		if (dropped)
			drop_settled(ds);
		for (uint32_t i = 0; i < ds->nhit; i++)
			add_cand(dt, ds->hit[i]);
		remember_hits(mem, ds, at, s->tx);
	}
	for (uint32_t i = 0; i < ae->nalways[proto]; i++)
		add_cand(dt, ae->always[proto][i]);
	gate_scan(dt, p, proto);
	detect_sort_ranks(at->cand, at->ncand);
	dt->stats.candidates += at->ncand;
	return ds;
}

/* Some instance of the rule's buffer variant satisfies the matches of its
 * list rb there (each list on its own: Suricata 7's multi-buffer
 * matching lets two lists of one buffer be met by two instances).
 * An absent buffer: missing for good matches; missing for now does not, and
 * as nothing is remembered the transaction is tried again when it grows;
 * present matches only with or_else and the matches.
 * 1: matches; 0: no match, decided by the buffer's instances alone (no
 * absent keyword on it); -1: no match otherwise. */
static int buffer_matches(struct app_scan *s, const struct de_rule *dr,
			  const struct app_rule_buf *rb)
{
	const rule_bufset bit = RULE_BUF_BIT(rb->buf);

	if (dr->r->absent_bufs & bit) {
		const uint8_t *buf;
		uint32_t len;
		int rc = get_buffer(s, (enum rule_buffer)rb->buf, 0, &buf, &len);

		if (rc == -ENOENT)
			return buffer_final(s, (enum rule_buffer)rb->buf) ? 1 : -1;
		if (rc != 0 || !(dr->r->absent_or_else & bit))
			return -1;
	}
	/* a file buffer of a rule tried per file: that file's instance only */
	const bool one = s->file >= 0 && rb->buf >= RULE_BUF_FILE_FIRST &&
			 rb->buf <= RULE_BUF_FILE_LAST;
	const int no = (dr->r->absent_bufs & bit) || one ? -1 : 0;

	for (uint32_t idx = one ? (uint32_t)s->file : 0;; idx++) {
		const uint8_t *buf;
		uint32_t len;
		int rc = variant_buffer(s, rb->var, idx, &buf, &len);

		if (rc != 0)
			return rc == -ENOENT || rc == -ERANGE ? no : -1;
		if (detect_inspect_xbuffer(s->dt, dr, rb, buf, len,
					   app_tx_buffer_offset(s->af, s->tx,
								(enum rule_buffer)rb->buf)))
			return 1;
		if (one)
			return -1;
		/* one instance a direction: instance 1 is -ERANGE, and asking
		 * the protocol for it cost ~100 instructions a failed verification */
		if (!rule_buffer_multi((enum rule_buffer)rb->buf))
			return no;
	}
}

/* dns.rrtype: some question's type satisfies the comparison. */
static bool rrtype_match(const struct app_scan *s, const struct rule *r)
{
	uint32_t v;

	for (uint32_t i = 0; app_tx_dns_rrtype(s->af, s->tx, i, &v) == 0; i++)
		if (detect_match_u32(&r->dns_rrtype, v))
			return true;
	return false;
}

static bool date_match(const struct rule_tls_date *d, int64_t v)
{
	switch (d->op) {
	case TLS_DATE_LE:
		return v <= d->a;
	case TLS_DATE_GE:
		return v >= d->a;
	case TLS_DATE_RANGE:
		return v >= d->a && v <= d->b;
	default:
		return v == d->a;
	}
}

/* tls_cert_*: the server certificate's dates; expired and valid (as
 * Suricata: notAfter only) against the packet's time. */
static bool validity_match(const struct app_scan *s, const struct rule *r, uint64_t ts_us)
{
	int64_t nb, na, now = (int64_t)(ts_us / 1000000u);

	if (app_tx_tls_validity(s->af, &nb, &na))
		return false;
	if ((r->tls_validity & RULE_TLS_NOTBEFORE) && !date_match(&r->tls_notbefore, nb))
		return false;
	if ((r->tls_validity & RULE_TLS_NOTAFTER) && !date_match(&r->tls_notafter, na))
		return false;
	if ((r->tls_validity & RULE_TLS_EXPIRED) && now <= na)
		return false;
	if ((r->tls_validity & RULE_TLS_VALID) && now > na)
		return false;
	return true;
}

/* filesize on a file of size n: once it ended, or before when n is
 * already past a '>' or '>=' bound (no later byte can undo that). Bounds
 * are below 4 GiB: a larger file is only "more". */
static bool filesize_match(const struct u32_cmp *c, const struct app_file_info *fi)
{
	bool more = fi->size > UINT32_MAX;

	if (!fi->ended)
		return (c->op == U32_GT && fi->size > c->a) || (c->op == U32_GE && fi->size >= c->a);
	if (more)
		return c->op == U32_GT || c->op == U32_GE || c->op == U32_NE;
	return detect_match_u32(c, (uint32_t)fi->size);
}

/* digest (h->len bytes) is in h's sorted list */
static bool hash_listed(const struct rule_hash_list *h, const uint8_t *digest)
{
	uint32_t lo = 0, hi = h->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(digest, h->digests + (size_t)mid * h->len, h->len);

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* filemd5/filesha1/filesha256: the file's digest, known once it closed
 * complete, in (or, negated, not in) each list. */
static bool filehash_match(const struct rule_file *rf, const struct app_file_info *fi)
{
	for (uint8_t i = 0; i < rf->nhash; i++) {
		const struct rule_hash_list *h = &rf->hash[i];
		const uint8_t *d = h->kind == RULE_HASH_MD5 ? fi->md5 :
				   h->kind == RULE_HASH_SHA1 ? fi->sha1 : fi->sha256;

		if (d == NULL || hash_listed(h, d) == h->negated)
			return false;
	}
	return true;
}

/* The file keywords that are no buffer (filesize, the hash lists,
 * filestore's need of a file): the file tried (s->file), or else some
 * file of the transaction in the inspected direction, satisfies them all. */
static bool file_match(struct app_scan *s, const struct rule *r)
{
	struct app_file_info fi;

	for (uint32_t k = 0; app_tx_file_info(s->af, s->tx, (enum app_dir)s->dir, k, &fi) == 0;
	     k++) {
		if (s->file >= 0 && k != (uint32_t)s->file)
			continue;
		if ((r->app_has & RULE_APP_HAS_FILESIZE) && !filesize_match(&r->filekw.size, &fi))
			continue;
		if ((r->app_has & RULE_APP_HAS_FILEHASH) && !filehash_match(&r->filekw, &fi))
			continue;
		return true;
	}
	return false;
}

/* ftpdata_command: the flow's transfer is of that command, and a RETR is
 * not seen in the inspection to the server nor a STOR in the one to the
 * client (Suricata's DetectFtpdataMatch). */
static bool ftpdata_command_match(const struct app_scan *s, const struct rule *r)
{
	uint32_t cmd;

	if (app_tx_ftpdata_command(s->af, &cmd) || cmd != r->ftpdata_cmd)
		return false;
	if (cmd == APP_FTPDATA_CMD_RETR)
		return s->dir != PKT_TO_SERVER;
	return s->dir != PKT_TO_CLIENT;
}

/* ssl_state compares the parser's state bits with the rule's as they are */
_Static_assert(RULE_SSL_ST_CLIENT_HELLO == APP_TLS_ST_CLIENT_HELLO &&
	       RULE_SSL_ST_SERVER_HELLO == APP_TLS_ST_SERVER_HELLO &&
	       RULE_SSL_ST_CLIENT_KEYX == APP_TLS_ST_CLIENT_KEYX &&
	       RULE_SSL_ST_SERVER_KEYX == APP_TLS_ST_SERVER_KEYX &&
	       RULE_SSL_ST_UNKNOWN == APP_TLS_ST_UNKNOWN, "ssl_state bits differ");
_Static_assert(RULE_FTPDATA_RETR == APP_FTPDATA_CMD_RETR &&
	       RULE_FTPDATA_STOR == APP_FTPDATA_CMD_STOR, "ftpdata_command values differ");

/* ssl_version (Suricata 7's DetectSslVersionMatch): the inspected side's
 * version, a known one (TLS 1.3 drafts 16 to 28, 0x7f10..0x7f1c, count as
 * 1.3), named in the rule and not negated there. */
static bool ssl_version_match(const struct app_scan *s, const struct rule *r)
{
	uint32_t v;
	int bit;

	if (app_tx_tls_side_version(s->af, (enum app_dir)s->dir, &v))
		return false;
	switch (v) {
	case 0x0200: bit = RULE_SSLV_SSL2; break;
	case 0x0300: bit = RULE_SSLV_SSL3; break;
	case 0x0301: bit = RULE_SSLV_TLS10; break;
	case 0x0302: bit = RULE_SSLV_TLS11; break;
	case 0x0303: bit = RULE_SSLV_TLS12; break;
	case 0x0304: bit = RULE_SSLV_TLS13; break;
	default:
		if (v < 0x7f10 || v > 0x7f1c)
			return false;
		bit = RULE_SSLV_TLS13;
		break;
	}
	return ((r->ssl_versions ^ r->ssl_versions_neg) >> bit) & 1u;
}

static bool keywords_match(struct app_scan *s, const struct rule *r, uint64_t ts_us)
{
	uint32_t v;

	if ((r->app_has & RULE_APP_HAS_URILEN) &&
	    (app_tx_urilen(s->af, s->tx, (r->app_has & RULE_APP_HAS_URILEN_RAW) != 0, &v) ||
	     !detect_match_u32(&r->urilen, v)))
		return false;
	if ((r->app_has & RULE_APP_HAS_DNS_OPCODE) &&
	    (app_tx_dns_opcode(s->af, s->tx, &v) || !detect_match_u32(&r->dns_opcode, v)))
		return false;
	if ((r->app_has & RULE_APP_HAS_DNS_RCODE) &&
	    (app_tx_dns_rcode(s->af, s->tx, &v) || !detect_match_u32(&r->dns_rcode, v)))
		return false;
	if ((r->app_has & RULE_APP_HAS_TLS_VERSION) &&
	    (app_tx_tls_version(s->af, &v) || v != r->tls_version))
		return false;
	if ((r->app_has & RULE_APP_HAS_SSL_STATE) &&
	    (app_tx_tls_ssl_state(s->af, &v) || !((r->ssl_states & v) ^ r->ssl_negated)))
		return false;
	if ((r->app_has & RULE_APP_HAS_SSL_VERSION) && !ssl_version_match(s, r))
		return false;
	if ((r->app_has & RULE_APP_HAS_FTPDATA_CMD) && !ftpdata_command_match(s, r))
		return false;
	if ((r->app_has & RULE_APP_HAS_DNS_RRTYPE) && !rrtype_match(s, r))
		return false;
	if ((r->app_has & RULE_APP_HAS_TLS_CHAIN_LEN) &&
	    (app_tx_tls_chain_len(s->af, &v) || !detect_match_u32(&r->tls_chain_len, v)))
		return false;
	if ((r->app_has & RULE_APP_HAS_TLS_VALIDITY) && !validity_match(s, r, ts_us))
		return false;
	if ((r->app_has & RULE_APP_HAS_FTPBOUNCE) && !app_tx_ftp_bounce(s->af, s->tx))
		return false;
	if ((r->app_has & RULE_APP_HAS_EVENT) &&
	    (app_tx_events(s->tx) & r->app_events) != r->app_events)
		return false;
	if ((r->app_has & (RULE_APP_HAS_FILESIZE | RULE_APP_HAS_FILEHASH | RULE_APP_HAS_FILE)) &&
	    !file_match(s, r))
		return false;
	return true;
}

/* The rule's transport: transactions are looked at per flow, past the
 * packet classes that keep tcp rules off UDP packets, and DNS runs over
 * both (an "alert tcp" dns.query rule is DNS over TCP only, as Suricata's). */
static bool transport_match(const struct rule *r, const struct packet *v)
{
	switch (r->proto) {
	case RULE_PROTO_TCP:
	case RULE_PROTO_TCP_PKT:
	case RULE_PROTO_TCP_STREAM:
		return v->proto == IPPROTO_TCP;
	case RULE_PROTO_UDP:
		return v->proto == IPPROTO_UDP;
	default:
		return true;
	}
}

/* miss (may be NULL) is set to the list that failed the rule when its
 * buffer's instances decided it, to NULL otherwise. */
static bool app_rule_matches(struct app_scan *s, uint32_t rank, struct packet *v,
			     const struct app_rule_buf **miss)
{
	struct detect_thread *dt = s->dt;
	const struct detect_app_engine *ae = dt->de->app;
	const struct de_rule *dr = &dt->de->rules[rank];
	const struct rule *r = dr->r;

	if (!(dr->app_dirs & (1u << s->dir)))
		return false;
	if (!transport_match(r, v) || !detect_match_header_memo(dt->de, dr, v, dt->addr_memo) ||
	    !detect_app_proto_match(r, v->flow))
		return false;
	if (r->nflowbit && !detect_flowbits_check(r, v->flow))
		return false;
	if ((r->has & RULE_HAS_VARS) && !detect_vars_check(dt, r, v))
		return false;
	if (!keywords_match(s, r, v->ts_us))
		return false;
	for (uint32_t j = ae->rb_first[rank]; j < ae->rb_first[rank + 1]; j++) {
		int rc = buffer_matches(s, dr, &ae->rb[j]);

		if (rc == 1)
			continue;
		/* pcre captures are kept on a failure too: verified again,
		 * the lists before this one may capture other bytes */
		if (rc == 0 && miss != NULL && !(r->flags & RULE_F_CAPTURE))
			*miss = &ae->rb[j];
		return false;
	}
	/* payload and header buffers: the packet's own, in its direction */
	if (r->app_bufs & (RULE_BUF_BIT(RULE_BUF_APP_FIRST) - 1)) {
		if (!detect_inspect_hdr_buffers(dt, dr, v))
			return false;
		if ((r->app_bufs & RULE_BUF_BIT(RULE_BUF_PAYLOAD)) && !detect_payload_match(dt, dr, v))
			return false;
	}
	return true;
}

/* A DNS message is inspected in its own direction only. */
static bool tx_in_dir(const struct app_scan *s, enum app_proto proto)
{
	struct app_dns_info di;

	if (proto != APP_PROTO_DNS || app_tx_dns_info(s->af, s->tx, &di) != 0)
		return true;
	return (di.response ? PKT_TO_CLIENT : PKT_TO_SERVER) == s->dir;
}

/* Rule rank verified on s: when it matches, remembered on the
 * transaction as key and fired. -1: no match, 0: fired, 1: a pass rule
 * ended the inspection. miss as app_rule_matches'. */
static int try_rule(struct app_scan *s, struct packet *p, uint32_t rank, uint32_t key,
		    struct detect_result *res, const struct app_rule_buf **miss)
{
	struct detect_thread *dt = s->dt;
	const struct de_rule *dr = &dt->de->rules[rank];
	bool passed, matched;
	uint64_t t0;

	/* profiling.rules: timed and counted; off, one predictable branch */
	matched = __builtin_expect(dt->prof == NULL, 1) ? app_rule_matches(s, rank, p, miss) :
		  (t0 = detect_profile_tsc(),
		   detect_profile_count(dt->prof, rank, t0, app_rule_matches(s, rank, p, miss)));
	detect_capture_commit(dt, p, res);
	if (!matched)
		return -1;
	dt->stats.verified++;
	if (app_tx_mark(s->tx, key) != 0)
		dt->stats.app_mark_nomem++;
	dt->stream_match = false;
	dt->match_tx = s->tx;
	passed = detect_rule_fired(dt, dr, p, res);
	dt->match_tx = NULL;
	return passed ? 1 : 0;
}

/* What a file rule's match on file k of direction dir is remembered as on
 * the transaction, apart from the rules' ranks (top bit set); a rank or
 * file past what the key holds falls back to the rank (once per
 * transaction). */
#define FILE_KEY_RANK_BITS 22u
#define FILE_KEY_FILES 256u
static uint32_t file_key(uint32_t rank, uint8_t dir, uint32_t k)
{
	if (rank >= (1u << FILE_KEY_RANK_BITS) || k >= FILE_KEY_FILES)
		return rank;
	return 1u << 31 | (uint32_t)(dir & 1u) << 30 | k << FILE_KEY_RANK_BITS | rank;
}

/* A file rule: tried on each file of the direction not matched yet, so it
 * alerts once per file. Returns true when a pass rule ended the
 * inspection. */
static bool run_file_rule(struct app_scan *s, struct packet *p, uint32_t rank,
			  struct detect_result *res)
{
	struct app_file_info fi;
	int rc = -1;

	for (uint32_t k = 0; rc < 1 && app_tx_file_info(s->af, s->tx, (enum app_dir)s->dir, k,
							 &fi) == 0; k++) {
		uint32_t key = file_key(rank, s->dir, k);

		if (app_tx_marked(s->tx, key))
			continue;
		s->file = (int32_t)k;
		rc = try_rule(s, p, rank, key, res, NULL);
		s->file = -1;
		if (rc >= 0 && key == rank)
			break;	/* remembered for the transaction */
	}
	return rc > 0;
}

/* Returns true when a pass rule ended the inspection. */
static bool run_tx(struct app_scan *s, struct packet *p, enum app_proto proto,
		   struct detect_result *res)
{
	struct detect_thread *dt = s->dt;
	struct detect_app_thread *at = dt->app;

	struct tx_dir_scan *ds;

	s->dir = p->dir;
	if (!tx_in_dir(s, proto))
		return false;
	ds = candidates(s, p, proto);
	for (uint32_t i = 0; i < at->ncand; i++) {
		uint32_t rank = at->cand[i];
		const struct app_rule_buf *miss = NULL;

		if (app_tx_marked(s->tx, rank))
			continue;
		if (dt->de->rules[rank].flags & DR_F_FILE) {
			if (run_file_rule(s, p, rank, res))
				return true;
			continue;
		}
		if (ds != NULL && miss_unchanged(s, ds, rank)) {
			dt->stats.app_unchanged++;
			continue;
		}
		if (try_rule(s, p, rank, rank, res, &miss) > 0)
			return true;
		if (ds != NULL)
			remember_miss(s, ds, rank, miss);
	}
	return false;
}

void detect_app_packet(struct detect_thread *dt, struct packet *p, struct detect_result *res)
{
	struct app_scan s = { .dt = dt, .file = -1 };
	enum app_proto proto;
	uint32_t ntx;

	if (dt->app == NULL || p->flow == NULL || p->flow->app == NULL)
		return;
	s.af = p->flow->app;
	/* what the packet's rules learnt of the flow direction's headers */
	dt->hdr_failed = detect_hdr_failed(dt->addr_memo, p);
	s.al = app_flow_ctx(s.af);
	proto = app_flow_proto(s.af);
	if (proto == APP_PROTO_UNKNOWN || proto == APP_PROTO_FAILED)
		return;
	ntx = app_flow_ntx(s.af);
	for (uint32_t i = 0; i < ntx; i++) {
		s.tx = app_flow_tx(s.af, i);
		if (s.tx == NULL || !app_tx_updated_dir(s.tx, (enum app_dir)p->dir))
			continue;
		if (run_tx(&s, p, proto, res))
			return;
	}
}
