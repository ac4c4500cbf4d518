/* SPDX-License-Identifier: MIT */
/* HTTP response bodies scanned once. A body without chunking or content
 * coding is the stream's bytes as sent, which the stream prefilter scans
 * anyway. So an HTTP flow's response stream is scanned with the stream set
 * joined with the response body set (detect_app_engine.body_stream), each
 * hit of a body pattern is logged with its place in the stream, and a body
 * update takes its candidates from the log when the stream scans covered
 * its bytes, instead of scanning them again: with ET Open the body set is
 * the costliest of all per byte. What the log cannot answer is scanned as
 * before: a chunked or compressed body, bytes the stream has not scanned
 * yet, a range the log dropped hits of. The body set's head (short patterns
 * bounded to the body's start) is always scanned on the body itself: its
 * bound counts from there. Only the response side: request bodies are few,
 * and every request stream would pay for a joined set. */
#include <errno.h>
#include <stdlib.h>

#include "../../common/bug.h"
#include "../../common/wmem.h"
#include "../applayer/applayer.h"
#include "../decode/packet-t.h"
#include "detect_applayer-int.h"

/* Patterns of the joined set that end in the same 8 bytes as this many
 * others or more are cut back (pat_refs_unshare_tails): ET Open's 15 that
 * end in "</title>" made 22 % of the joined set's Hyperscan instructions on
 * bench-http's pages, 0.5 % on corpus-mix's HTTP responses. */
#define BODY_STREAM_TAIL_SHARED 4u

static inline int32_t seq_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

int detect_body_stream_build(struct detect_engine *de, struct detect_app_engine *ae, uint32_t v,
			     const struct pat_ref *pats, uint32_t n)
{
	const struct pat_db *body = &ae->var[v].db;
	const detect_reject_fn reject = de->reject;
	struct pat_ref *refs = calloc((size_t)de->nrules + n, sizeof(*refs));
	uint32_t nref, maxpayload;
	char err[256];

	BUG_ON(de->nrules >= DETECT_RANK_BODY);
	if (refs == NULL)
		return -ENOMEM;
	nref = detect_pf_refs(de, refs, PFK_TCP_STREAM, PKT_TO_CLIENT, &maxpayload);
	if (nref == 0) {
		free(refs);	/* no stream set to join: the body is scanned alone */
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (body->info[pats[i].id].head)
			continue;
		refs[nref] = pats[i];
		refs[nref].bound = 0;
		refs[nref++].rank |= DETECT_RANK_BODY;
	}
	/* every pattern here compiled in its own set already; should the
	 * joined one fail, the body is scanned alone and no rule is lost */
	de->reject = NULL;
	if (pat_refs_unshare_tails(refs, nref, BODY_STREAM_TAIL_SHARED) == 0 &&
	    pat_db_build(de, &ae->body_stream, refs, nref, err, sizeof(err)) == 0 &&
	    pat_db_scratch(&ae->body_stream, &de->scratch) == HS_SUCCESS) {
		pat_db_count(de, &ae->body_stream);
		ae->body_var = v;
	} else {
		pat_db_free(&ae->body_stream);
	}
	de->reject = reject;
	free(refs);
	return 0;
}

const struct pat_db *detect_body_stream_db(struct detect_thread *dt, const struct packet *p,
					   const struct detect_stream *st)
{
	const struct detect_app_engine *ae = dt->de->app;

	if (ae == NULL || ae->body_var == UINT32_MAX || p->dir != PKT_TO_CLIENT ||
	    p->flow == NULL || p->flow->app == NULL ||
	    app_flow_proto(p->flow->app) != APP_PROTO_HTTP)
		return NULL;
	if (!app_flow_stream_placed(p->flow->app, APP_TO_CLIENT, st->seq, st->len)) {
		dt->stats.mpm_stream_unjoined++;
		return NULL;
	}
	return &ae->body_stream;
}

struct body_scan {
	struct detect_thread *dt;
	const struct pat_db *db;
	struct detect_body_log *log; /* NULL: out of memory, nothing logged */
	uint32_t seq;                /* of the scanned buffer's first byte */
	uint32_t logged;             /* hits ending at or before it are in the log */
	match_event_handler on_stream;
};

/* The ring's oldest hit makes room: no range from its start on can be
 * answered any more. */
static void log_hit(struct detect_body_log *log, const struct pat_db *db, uint32_t id,
		    uint32_t end)
{
	if (log->n == DF_BODY_HITS) {
		uint32_t old = log->hit[log->next].end - db->info[log->hit[log->next].id].len;

		if (seq_diff(old + 1, log->lo) > 0)
			log->lo = old + 1;
	} else {
		log->n++;
	}
	log->hit[log->next].end = end;
	log->hit[log->next].id = id;
	log->next = (log->next + 1) % DF_BODY_HITS;
}

/* Every hit of a body pattern is logged; the stream's rules see the first
 * hit of each pattern, as pat_db_scan gives it. */
static int on_joint(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	struct body_scan *bs = ctx;
	const struct pat_db *db = bs->db;
	struct pat_seen *seen = &bs->dt->seen;
	const uint32_t end = bs->seq + (uint32_t)to;

	if ((db->pat_rules[db->pat_first[id + 1] - 1] & DETECT_RANK_BODY) && bs->log != NULL &&
	    seq_diff(end, bs->logged) > 0)
		log_hit(bs->log, db, id, end);
	if (seen->stamp[id] == seen->cur)
		return 0;
	seen->stamp[id] = seen->cur;
	return bs->on_stream(id, from, to, flags, bs->dt);
}

hs_error_t detect_body_stream_scan(struct detect_thread *dt, struct detect_flow_dir *fd,
				   const struct pat_db *db, const uint8_t *buf, uint32_t len,
				   uint32_t seq, match_event_handler on_stream)
{
	struct body_scan bs = { .dt = dt, .db = db, .seq = seq, .logged = seq,
				.on_stream = on_stream };
	struct detect_body_log *log = NULL;
	hs_error_t e;

	if (fd != NULL) {
		if (fd->body == NULL)
			fd->body = wmem_zalloc(dt->stream->mem, sizeof(*fd->body));
		log = fd->body;
	}
	if (log != NULL) {
		/* a scan that starts in the logged range, far enough back that a
		 * hit across its end is found whole, extends it; another starts a
		 * new one (the old hits stay: they are the stream's bytes) */
		if (log->any && seq_diff(seq, log->lo) >= 0 &&
		    seq_diff(log->hi - (db->maxlen - 1), seq) >= 0) {
			bs.logged = log->hi;
		} else {
			log->any = true;
			log->lo = log->hi = seq;
		}
	}
	bs.log = log;
	e = pat_db_scan_every(db, buf, len, dt->scratch, &dt->seen, on_joint, &bs);
	if (log != NULL) {
		if (e != HS_SUCCESS)
			log->any = false;
		else if (seq_diff(seq + len, log->hi) > 0)
			log->hi = seq + len;
	}
	return e;
}

void detect_body_log_reset(struct detect_body_log *log)
{
	if (log != NULL)
		*log = (struct detect_body_log){ 0 };
}

bool detect_body_from_stream(struct detect_thread *dt, const struct packet *p,
			     struct app_flow *af, struct app_tx *tx, uint32_t from, uint32_t to,
			     void (*add)(struct detect_thread *, uint32_t))
{
	const struct pat_db *db = &dt->de->app->body_stream;
	const struct detect_flow_dir *fd;
	const struct detect_body_log *log;
	uint32_t seq, a, b;

	if (p->flow == NULL || (fd = p->flow->det.d[PKT_TO_CLIENT]) == NULL ||
	    fd->serial != dt->de->serial || (log = fd->body) == NULL || !log->any ||
	    app_tx_buffer_seq(af, tx, RULE_BUF_HTTP_RESPONSE_BODY, &seq) != 0)
		return false;
	a = seq + from;
	b = seq + to;
	if (seq_diff(a, log->lo) < 0 || seq_diff(log->hi, b) < 0)
		return false;
	for (uint32_t i = 0; i < log->n; i++) {
		const uint32_t end = log->hit[i].end, id = log->hit[i].id;

		if (seq_diff(end, b) > 0 || seq_diff(end - db->info[id].len, a) < 0)
			continue;
		for (uint32_t k = db->pat_first[id]; k < db->pat_first[id + 1]; k++)
			if (db->pat_rules[k] & DETECT_RANK_BODY)
				add(dt, db->pat_rules[k] & ~DETECT_RANK_BODY);
	}
	dt->stats.mpm_body_stream_bytes += to - from;
	return true;
}
