/* SPDX-License-Identifier: MIT */
/* Internals of app-layer detection (detect_applayer*.c, detect_transform.c). */
#ifndef IDS_DETECT_APPLAYER_INT_H
#define IDS_DETECT_APPLAYER_INT_H

#include "detect-int.h"

/* A buffer variant: an app buffer as parsed, or after one transform chain.
 * (buffer, chain) is in effect a buffer of its own: rules whose matches use
 * the same buffer with equal chains share the variant and its prefilter. */
struct app_variant {
	enum rule_buffer buf;
	const struct rule_xchain *chain; /* NULL: as parsed; else the first rule's chain */
	struct pat_db db;                /* the fast patterns found here, db NULL: none */
};

/* One list of matches a rule inspects: those with this buf, xf and grp
 * (Suricata's per-signature buffer: a (buffer, chain) pair, and on a
 * multi-instance buffer one per occurrence of its keyword). */
struct app_rule_buf {
	uint32_t var;            /* index in detect_app_engine.var */
	uint8_t buf;             /* enum rule_buffer */
	uint8_t xf;              /* rule_match.xf */
	uint8_t grp;             /* rule_match.grp */
};

/* Immutable, shared by all workers. */
struct detect_app_engine {
	uint32_t nvar;
	struct app_variant *var;
	uint32_t *rb_first;      /* rank -> its buffers rb[rb_first[rank] .. rb_first[rank + 1]) */
	struct app_rule_buf *rb;
	hs_scratch_t *scratch;              /* prototype, fits every database */
	uint32_t nbufs;                     /* databases built */
	uint32_t nrules;                    /* rules evaluated per transaction */
	uint32_t nalways[APP_PROTO_MAX];    /* without a fast pattern, by protocol */
	uint32_t *always[APP_PROTO_MAX];
	/* without one but with a payload content, by protocol and direction:
	 * their gates (detect_applayer.c, payload_gate), scanned with each
	 * transaction update */
	struct pat_db gate[APP_PROTO_MAX][2];
	/* variants with a database, by protocol and direction (enum pkt_dir):
	 * what a transaction's update scans */
	uint32_t nscan[APP_PROTO_MAX][2];
	uint32_t *scan[APP_PROTO_MAX][2];
	/* (added) the TCP stream prefilter of the to-client direction joined
	 * with the patterns of the untransformed response body variant
	 * body_var (UINT32_MAX: none) outside its head, their ranks tagged
	 * DETECT_RANK_BODY (detect_body_stream.c) */
	struct pat_db body_stream;
	uint32_t body_var;
};

/* A transformed variant of one transaction and direction, per worker: the
 * instances computed so far, back to back in data (instance k at off[k],
 * length off[k + 1] - off[k]); valid while stamp is the thread's. */
struct app_xf_slot {
	uint32_t stamp;
	uint32_t n;              /* instances computed */
	uint32_t ncap;           /* room in off, n + 1 used */
	uint32_t *off;
	uint8_t *data;
	uint32_t cap;
};

/* What the instances of a buffer are in one inspection of a transaction
 * and direction: buffers only grow or stay, so equal prints mean the same
 * bytes (an HTTP body's inspection window counts by its start and ends). */
struct app_buf_print {
	uint64_t ends;           /* sum of each instance's end in the whole buffer */
	uint32_t n;              /* instances present */
	uint32_t base;           /* offset of the instances' first byte (app_tx_buffer_offset) */
};

/* Per worker. */
struct detect_app_thread {
	hs_scratch_t *scratch;
	uint32_t *cand;          /* candidate ranks of one transaction and direction */
	uint32_t ncand;
	uint32_t *seen;          /* rank -> stamp of the last scan that added it */
	uint32_t stamp;
	const struct pat_db *scan_db; /* the database being scanned */
	/* the transaction's remembered scans of instances 0 and 1, by
	 * place in the scan list * 2 + instance: position in its list, valid
	 * while done_stamp is stamp (one lookup per variant, not one walk) */
	uint32_t *done_at;
	uint32_t *done_stamp;
	struct app_xf_slot *slot;     /* per variant (only transformed ones are used) */
	pcre2_match_data *xf_md;      /* pcrexform: the match and its first group */
	/* the transaction's remembered misses (detect_applayer_tx.c,
	 * struct rule_miss): rank -> position in its list, valid while
	 * miss_stamp is stamp */
	uint32_t *miss_at;
	uint32_t *miss_stamp;
	/* each buffer's state in this inspection, by enum rule_buffer, valid
	 * while print_stamp is stamp */
	struct app_buf_print *print;
	uint32_t *print_stamp;
};

/* Directions a buffer exists in (bit per enum pkt_dir), and whether it has
 * one instance per direction (instance = direction). */
uint8_t detect_app_buf_dirs(enum rule_buffer b);
bool detect_app_buf_bidir(enum rule_buffer b);
/* (added) A list per direction: instance idx of dir is (idx << 1 | dir). */
bool detect_app_buf_dir_list(enum rule_buffer b);

/* detect_transform.c: the room chain ch needs to transform len bytes in
 * place (at least len); then the transform itself, returning the new
 * length. md holds at least two pairs (pcrexform), mc may be NULL. */
uint32_t detect_xf_bound(const struct rule_xchain *ch, uint32_t len);
uint32_t detect_xf_apply(const struct rule_xchain *ch, uint8_t *buf, uint32_t len,
			 pcre2_match_data *md, pcre2_match_context *mc);
/* Same buffer, same transforms with the same arguments, in the same order. */
bool detect_xf_chain_equal(const struct rule_xchain *a, const struct rule_xchain *b);

/* detect_body_stream.c: response bodies that are the stream's bytes take
 * their prefilter hits from the stream's scan. In the joined set, a body
 * pattern's rank carries DETECT_RANK_BODY (after the stream ranks: ranks
 * ascend within a pattern). */
#define DETECT_RANK_BODY (1u << 31)
/* With variant v's database just built from pats[0..n) (sorted, ids set)
 * and v the untransformed response body: ae->body_stream and body_var.
 * 0, or -ENOMEM; a joined set Hyperscan refuses is left out. */
int detect_body_stream_build(struct detect_engine *de, struct detect_app_engine *ae, uint32_t v,
			     const struct pat_ref *pats, uint32_t n);
/* The joined set for p's stream window st: NULL but for an HTTP flow's
 * to-client windows that may hold bytes of a response body placed in the
 * stream (app_flow_stream_placed). A window past all of them (headers, a
 * body past response-body-limit, one chunked or coded: no body rule looks
 * at its hits) takes the port group's stream set, counted in
 * mpm_stream_unjoined. */
const struct pat_db *detect_body_stream_db(struct detect_thread *dt, const struct packet *p,
					   const struct detect_stream *st);
/* The stream prefilter's scan of buf[0..len) (stream seq onward) with the
 * joined set db: the first hit of each pattern to on_stream (dt as its
 * context, dt->scan_db db), the body patterns' hits into fd's log. */
hs_error_t detect_body_stream_scan(struct detect_thread *dt, struct detect_flow_dir *fd,
				   const struct pat_db *db, const uint8_t *buf, uint32_t len,
				   uint32_t seq, match_event_handler on_stream);
void detect_body_log_reset(struct detect_body_log *log);
/* The candidates of bytes [from, to) of tx's response body (whole-body
 * offsets) from the log of p's flow, each rank to add: true when the log
 * covers them, false when they must be scanned. */
bool detect_body_from_stream(struct detect_thread *dt, const struct packet *p,
			     struct app_flow *af, struct app_tx *tx, uint32_t from, uint32_t to,
			     void (*add)(struct detect_thread *, uint32_t));

/* detect_inspect.c: the rule's list rb (its matches on buffer rb->buf
 * after chain rb->xf, of occurrence rb->grp; rb->var unused) against buf,
 * which starts at offset base of the whole buffer (an HTTP body's
 * inspection window; depth counts from the whole buffer's start);
 * detect_inspect_buffer is xf 0, grp 0, base 0. */
bool detect_inspect_xbuffer(struct detect_thread *dt, const struct de_rule *dr,
			    const struct app_rule_buf *rb, const uint8_t *buf, uint32_t len,
			    uint32_t base);

#endif
