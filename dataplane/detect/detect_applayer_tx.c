/* SPDX-License-Identifier: MIT */
/* App-layer rules per transaction (Suricata's DetectRunTx): for each
 * transaction of the packet's flow with new data, in each direction, the
 * buffers present are scanned with their own database, the candidates and
 * the protocol's rules without a fast pattern are verified in rule order,
 * and a rule that matches is remembered on the transaction so it alerts
 * once. As Suricata, a packet inspects its own direction only: in IDS mode
 * a direction's data is parsed when the peer acknowledges it, and the
 * request side is inspected with the next packet to the server (or the flow
 * end's pseudo packets). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/bug.h"
#include "../applayer/applayer.h"
#include "../decode/packet-t.h"
#include "detect_applayer-int.h"

struct app_scan {
	struct detect_thread *dt;
	struct applayer_ctx *al;
	struct app_flow *af;
	struct app_tx *tx;
	uint8_t dir;             /* enum pkt_dir inspected */
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
	free(at->dot);
	free(at->seen);
	free(at->cand);
	free(at);
	dt->app = NULL;
}

/* buf with a '.' in front (Suricata's dotprefix transform), in thread
 * scratch; NULL on allocation failure. */
static const uint8_t *dotted(struct detect_app_thread *at, const uint8_t *buf, uint32_t len)
{
	if (len + 1 > at->dotcap) {
		uint32_t cap = (len + 1) * 2;
		uint8_t *p = realloc(at->dot, cap);

		if (p == NULL)
			return NULL;
		at->dot = p;
		at->dotcap = cap;
	}
	at->dot[0] = '.';
	memcpy(at->dot + 1, buf, len);
	return at->dot;
}

/* Instance idx of buffer b for direction dir: 0, or -ENOENT/-ERANGE. */
static int get_buffer(const struct app_scan *s, enum rule_buffer b, uint32_t idx,
		      const uint8_t **data, uint32_t *len)
{
	if (detect_app_buf_bidir(b)) {
		if (idx > 0)
			return -ERANGE;
		idx = s->dir;
	}
	return app_tx_buffer(s->al, s->af, s->tx, b, idx, data, len);
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
	for (uint32_t k = db->pat_first[id]; k < db->pat_first[id + 1]; k++) {
		uint32_t rank = db->pat_rules[k];

		if (at->seen[rank] == at->stamp)
			continue;
		at->seen[rank] = at->stamp;
		BUG_ON_HOT(at->ncand >= dt->de->nrules);
		at->cand[at->ncand++] = rank;
	}
	return 0;
}

static void scan(struct detect_thread *dt, const struct pat_db *db, const uint8_t *buf,
		 uint32_t len)
{
	struct detect_app_thread *at = dt->app;

	if (db->db == NULL || len == 0)
		return;
	at->scan_db = db;
	if (hs_scan(db->db, (const char *)buf, len, 0, at->scratch, on_app_pattern, dt) !=
	    HS_SUCCESS) {
		dt->stats.scan_errors++;
		BUG_ON_HOT(true);
	}
}

static int cmp_rank(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Candidates of one transaction and direction: prefilter hits in every
 * buffer present, plus the protocol's rules without a fast pattern. */
static void candidates(struct app_scan *s, enum app_proto proto)
{
	struct detect_thread *dt = s->dt;
	struct detect_app_thread *at = dt->app;
	const struct detect_app_engine *ae = dt->de->app;

	at->ncand = 0;
	if (++at->stamp == 0) {
		memset(at->seen, 0, dt->de->nrules * sizeof(uint32_t));
		at->stamp = 1;
	}
	for (int b = RULE_BUF_APP_FIRST; b < RULE_BUF_MAX; b++) {
		const struct pat_db *plain = &ae->db[b][0], *dot = &ae->db[b][1];

		if (plain->db == NULL && dot->db == NULL)
			continue;
		if (!(detect_app_buf_dirs((enum rule_buffer)b) & (1u << s->dir)))
			continue;
		for (uint32_t idx = 0;; idx++) {
			const uint8_t *buf;
			uint32_t len;

			if (get_buffer(s, (enum rule_buffer)b, idx, &buf, &len) != 0)
				break;
			scan(dt, plain, buf, len);
			if (dot->db != NULL) {
				const uint8_t *d = dotted(at, buf, len);

				if (d != NULL)
					scan(dt, dot, d, len + 1);
			}
		}
	}
	for (uint32_t i = 0; i < ae->nalways[proto]; i++) {
		uint32_t rank = ae->always[proto][i];

		if (at->seen[rank] != at->stamp) {
			at->seen[rank] = at->stamp;
			at->cand[at->ncand++] = rank;
		}
	}
	if (at->ncand > 1)
		qsort(at->cand, at->ncand, sizeof(uint32_t), cmp_rank);
	dt->stats.candidates += at->ncand;
}

/* Some instance of buffer b satisfies the rule's matches on b. */
static bool buffer_matches(struct app_scan *s, const struct de_rule *dr, enum rule_buffer b)
{
	const bool dot = (dr->r->dotprefix >> b) & 1;

	for (uint32_t idx = 0;; idx++) {
		const uint8_t *buf;
		uint32_t len;

		if (get_buffer(s, b, idx, &buf, &len) != 0)
			return false;
		if (dot) {
			buf = dotted(s->dt->app, buf, len);
			if (buf == NULL)
				return false;
			len++;
		}
		if (detect_inspect_buffer(s->dt, dr, b, buf, len))
			return true;
	}
}

static bool keywords_match(struct app_scan *s, const struct rule *r)
{
	uint32_t v;

	if ((r->app_has & RULE_APP_HAS_URILEN) &&
	    (app_tx_urilen(s->af, s->tx, (r->app_has & RULE_APP_HAS_URILEN_RAW) != 0, &v) ||
	     !detect_match_u32(&r->urilen, v)))
		return false;
	if ((r->app_has & RULE_APP_HAS_DNS_OPCODE) &&
	    (app_tx_dns_opcode(s->af, s->tx, &v) || !detect_match_u32(&r->dns_opcode, v)))
		return false;
	if ((r->app_has & RULE_APP_HAS_TLS_VERSION) &&
	    (app_tx_tls_version(s->af, &v) || v != r->tls_version))
		return false;
	return true;
}

static bool app_rule_matches(struct app_scan *s, const struct de_rule *dr, struct packet *v)
{
	const struct rule *r = dr->r;
	struct detect_thread *dt = s->dt;

	if (!(dr->app_dirs & (1u << s->dir)))
		return false;
	if (!detect_match_header(dr, v) || !detect_app_proto_match(r, v->flow))
		return false;
	if (r->nflowbit && !detect_flowbits_check(r, v->flow))
		return false;
	if ((r->has & RULE_HAS_VARS) && !detect_vars_check(dt, r, v))
		return false;
	if (!keywords_match(s, r))
		return false;
	for (int b = RULE_BUF_APP_FIRST; b < RULE_BUF_MAX; b++)
		if ((r->app_bufs & (1ull << b)) && !buffer_matches(s, dr, (enum rule_buffer)b))
			return false;
	/* payload and header buffers: the packet's own, in its direction */
	if (r->app_bufs & ((1ull << RULE_BUF_APP_FIRST) - 1)) {
		if (!detect_inspect_hdr_buffers(dt, dr, v))
			return false;
		if ((r->app_bufs & 1ull << RULE_BUF_PAYLOAD) && !detect_payload_match(dt, dr, v))
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

/* Returns true when a pass rule ended the inspection. */
static bool run_tx(struct app_scan *s, struct packet *p, enum app_proto proto,
		   struct detect_result *res)
{
	struct detect_thread *dt = s->dt;
	struct detect_app_thread *at = dt->app;

	s->dir = p->dir;
	if (!tx_in_dir(s, proto))
		return false;
	candidates(s, proto);
	for (uint32_t i = 0; i < at->ncand; i++) {
		uint32_t rank = at->cand[i];
		const struct de_rule *dr = &dt->de->rules[rank];
		uint32_t before = res->nalerts;

		if (app_tx_marked(s->tx, rank) || !app_rule_matches(s, dr, p))
			continue;
		dt->stats.verified++;
		if (app_tx_mark(s->tx, rank) != 0)
			dt->stats.app_mark_nomem++;
		dt->stream_match = false;
		if (detect_rule_fired(dt, dr, p, res))
			return true;
		if (res->nalerts > before)
			res->alerts[before].tx = s->tx;
	}
	return false;
}

void detect_app_packet(struct detect_thread *dt, struct packet *p, struct detect_result *res)
{
	struct app_scan s = { .dt = dt };
	enum app_proto proto;
	uint32_t ntx;

	if (dt->app == NULL || p->flow == NULL || p->flow->app == NULL)
		return;
	s.af = p->flow->app;
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
