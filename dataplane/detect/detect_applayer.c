/* SPDX-License-Identifier: MIT */
/* App-layer rules at build time: a rule that inspects HTTP, TLS or DNS
 * buffers (or urilen, dns.opcode, tls.version) is evaluated per
 * transaction, never on plain packets. Its fast pattern is taken from its
 * app buffers, and each buffer variant (a buffer as parsed, or after a chain
 * of transforms: rules with equal chains share it) has its own Hyperscan
 * database, so a pattern is only searched where it can match. Rules with no
 * usable fast pattern are listed per protocol and checked on every updated
 * transaction of that protocol. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/bug.h"
#include "../applayer/applayer.h"
#include "../decode/packet-t.h"
#include "detect_applayer-int.h"

static bool is_app_buf(enum rule_buffer b)
{
	return b >= RULE_BUF_APP_FIRST && b < RULE_BUF_MAX;
}

uint8_t detect_app_buf_dirs(enum rule_buffer b)
{
	const uint8_t ts = 1u << PKT_TO_SERVER, tc = 1u << PKT_TO_CLIENT;

	switch (b) {
	case RULE_BUF_HTTP_STAT_CODE:
	case RULE_BUF_HTTP_STAT_MSG:
	case RULE_BUF_HTTP_RESPONSE_LINE:
	case RULE_BUF_HTTP_RESPONSE_BODY:
	case RULE_BUF_HTTP_LOCATION:
	case RULE_BUF_HTTP_RESPONSE_HEADER:
	case RULE_BUF_HTTP_SERVER:
	case RULE_BUF_TLS_CERTS:
	case RULE_BUF_JA3S_HASH:
	case RULE_BUF_JA3S_STRING:
	case RULE_BUF_TLS_SUBJECTALTNAME:
	case RULE_BUF_DNS_RESPONSE_RRNAME:
		return tc;
	case RULE_BUF_TLS_ALPN:
	case RULE_BUF_FILE_NAME:
	case RULE_BUF_FILE_MAGIC:
	case RULE_BUF_DNS_QUERIES_RRNAME:
	case RULE_BUF_DNS_ANSWERS_RRNAME:
	case RULE_BUF_DNS_AUTHORITIES_RRNAME:
	case RULE_BUF_DNS_ADDITIONALS_RRNAME:
	case RULE_BUF_DNS_PDU:
		return ts | tc;
	default:
		break;
	}
	if (detect_app_buf_bidir(b))
		return ts | tc;
	return ts;
}

/* Buffers holding a list per direction, instance idx of direction dir
 * asked for as (idx << 1 | dir): a hello's ALPN names, a transaction's
 * files (file.name, file.magic). */
bool detect_app_buf_dir_list(enum rule_buffer b)
{
	return b == RULE_BUF_TLS_ALPN || b == RULE_BUF_FILE_NAME || b == RULE_BUF_FILE_MAGIC;
}

/* Buffers with one instance per direction (the TLS certificate fields: the
 * client's certificate to the server, the server's to the client; the
 * hello's random: the ClientHello's to the server, the ServerHello's to
 * the client; the SSH banner's fields: the client's, the server's; an ftp-data
 * transfer's bytes: its direction's). */
bool detect_app_buf_bidir(enum rule_buffer b)
{
	switch (b) {
	case RULE_BUF_TLS_CERT_SUBJECT:
	case RULE_BUF_TLS_CERT_ISSUER:
	case RULE_BUF_TLS_CERT_SERIAL:
	case RULE_BUF_TLS_CERT_FINGERPRINT:
	case RULE_BUF_TLS_RANDOM:
	case RULE_BUF_TLS_RANDOM_TIME:
	case RULE_BUF_TLS_RANDOM_BYTES:
	case RULE_BUF_SSH_PROTO:
	case RULE_BUF_SSH_SOFTWARE:
	case RULE_BUF_SSH_HASSH:
	case RULE_BUF_SSH_HASSH_STRING:
	case RULE_BUF_FTPDATA_FILE_DATA:  /* the transfer's direction holds it */
		return true;
	default:
		return b >= RULE_BUF_HTTP_HEADER && b <= RULE_BUF_HTTP_PROTOCOL;
	}
}

/* The directions a rule is inspected in: a buffer of one direction only
 * decides (a response buffer wins: the request's are still there then, as
 * the transaction holds both), then the flow keyword narrows. */
static uint8_t rule_dirs(const struct rule *r)
{
	const uint8_t ts = 1u << PKT_TO_SERVER, tc = 1u << PKT_TO_CLIENT;
	uint8_t any = 0, dirs = ts | tc;

	for (int b = RULE_BUF_APP_FIRST; b < RULE_BUF_MAX; b++) {
		uint8_t d;

		if (!(r->app_bufs & RULE_BUF_BIT(b)))
			continue;
		d = detect_app_buf_dirs((enum rule_buffer)b);
		if (d != (ts | tc))
			any |= d;
	}
	if (any & tc)
		dirs = tc;
	else if (any & ts)
		dirs = ts;
	else if (r->app_has & (RULE_APP_HAS_URILEN | RULE_APP_HAS_URILEN_RAW |
			       RULE_APP_HAS_FTPBOUNCE))
		dirs = ts;
	else if (r->app_has & (RULE_APP_HAS_TLS_CHAIN_LEN | RULE_APP_HAS_TLS_VALIDITY))
		dirs = tc;
	if ((r->flow_flags | r->side_flags) & RULE_FLOW_TOSERVER)
		dirs &= ts;
	if ((r->flow_flags | r->side_flags) & RULE_FLOW_TOCLIENT)
		dirs &= tc;
	return dirs;
}

/* m is on a buffer of "absent: or_else", which also matches without it. */
static bool or_else(const struct rule *r, const struct rule_match *m)
{
	return (r->absent_or_else & RULE_BUF_BIT(m->buf)) != 0;
}

static bool is_payload_buf(enum rule_buffer b)
{
	return b == RULE_BUF_PAYLOAD;
}

/* The longest usable content on the buffers in() accepts, ties to the
 * strongest pattern, then the first; one-byte runs only with runs
 * (fp_one_byte_run). -1: none. */
static int32_t longest_in(const struct rule *r, bool (*in)(enum rule_buffer), bool runs)
{
	int32_t best = -1;
	uint32_t best_len = 0, best_strength = 0;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct rule_match *m = &r->match[i];
		uint32_t s;

		if (m->kind != MATCH_CONTENT || !in(m->buf) || m->b64 || or_else(r, m) ||
		    (m->content.flags & CONTENT_NEGATED) || m->content.len == 0 ||
		    (!runs && fp_one_byte_run(&m->content)))
			continue;
		if (m->content.len < best_len)
			continue;
		s = fp_pattern_strength(m->content.pat, m->content.len);
		if (m->content.len > best_len || s > best_strength) {
			best = (int32_t)i;
			best_len = m->content.len;
			best_strength = s;
		}
	}
	return best;
}

/* Suricata's choice, among the contents on the buffers in() accepts: an
 * explicit fast_pattern, else the longest non-negated content, ties to the
 * strongest pattern, then the first; (added) a one-byte run only when no
 * other content is left. -1: none. */
static int32_t fast_pattern_in(const struct rule *r, bool (*in)(enum rule_buffer))
{
	int32_t best;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct rule_match *m = &r->match[i];

		if (m->kind != MATCH_CONTENT || !in(m->buf) || m->b64 ||
		    !(m->content.flags & CONTENT_FAST_PATTERN))
			continue;
		if ((m->content.flags & CONTENT_NEGATED) || or_else(r, m))
			return -1;
		return (int32_t)i;
	}
	best = longest_in(r, in, false);
	return best >= 0 ? best : longest_in(r, in, true);
}

/* An app rule without a fast pattern in its app buffers but with payload
 * contents (ET's "urilen:7; content:\"/a.Test\""): it matches only where
 * they all are, in a TCP packet's stream window or else in the packet
 * (detect_payload_match), so it is a candidate only when a scan of those
 * finds this one, its gate (Suricata has such a rule in its packet or
 * stream prefilter). -1: none, the rule is tried on every update of its
 * protocol's transactions (so are the few that never see the stream). */
static int32_t payload_gate(const struct de_rule *dr)
{
	const struct rule *r = dr->r;

	if (dr->fp >= 0 || r->app_proto == APP_PROTO_UNKNOWN || r->app_proto >= APP_PROTO_MAX ||
	    !detect_rule_sees_stream(r))
		return -1;
	return fast_pattern_in(r, is_payload_buf);
}

/* (added) A rule with file keywords (file.name, file.magic and their
 * forms, filesize, the hash lists, filestore): flagged, so that the
 * transaction loop need not read the rule itself to know. */
static bool file_rule(const struct rule *r)
{
	return (r->app_bufs & (RULE_BUF_BIT(RULE_BUF_FILE_NAME) | RULE_BUF_BIT(RULE_BUF_FILE_MAGIC))) ||
	       (r->app_has & (RULE_APP_HAS_FILESIZE | RULE_APP_HAS_FILEHASH | RULE_APP_HAS_FILE));
}

void detect_app_rule_setup(struct de_rule *dr)
{
	const struct rule *r = dr->r;
	const rule_bufset app_mask = ~(RULE_BUF_BIT(RULE_BUF_APP_FIRST) - 1);

	if ((r->app_bufs & app_mask) || r->app_has) {
		dr->flags |= DR_F_APP;
		dr->flags &= (uint8_t)~DR_F_IPONLY;
		dr->app_dirs = rule_dirs(r);
		dr->fp = fast_pattern_in(r, is_app_buf);
		if (file_rule(r))
			dr->flags |= DR_F_FILE;
		return;
	}
	/* the protocol is known only once the flow carried data: not IP-only */
	if (r->app_proto != APP_PROTO_UNKNOWN || r->alp != APP_PROTO_UNKNOWN)
		dr->flags = (uint8_t)((dr->flags | DR_F_APP_PROTO) & ~DR_F_IPONLY);
	/* (added) Snort 3 services: the flow's protocol may stand for the
	 * ports, on any packet of the flow */
	if (r->services)
		dr->flags &= (uint8_t)~DR_F_IPONLY;
}

bool detect_service_match(const struct rule *r, const struct flow *f)
{
	enum app_proto p;

	if (f == NULL || f->app == NULL)
		return false;
	p = app_flow_proto(f->app);
	return p != APP_PROTO_UNKNOWN && (r->services & (1u << p)) != 0;
}

bool detect_app_proto_match(const struct rule *r, const struct flow *f)
{
	enum app_proto p = APP_PROTO_UNKNOWN;

	if (f != NULL && f->app != NULL)
		p = app_flow_proto(f->app);
	if (r->app_proto != APP_PROTO_UNKNOWN && p != r->app_proto)
		return false;
	if (r->alp != APP_PROTO_UNKNOWN) {
		/* still detecting: neither form holds yet */
		if (p == APP_PROTO_UNKNOWN)
			return false;
		if ((p == r->alp) == r->alp_neg)
			return false;
	}
	return true;
}

/* The variant of buffer b after chain ch (NULL: none), added when new;
 * -ENOMEM. */
static int64_t variant(struct detect_app_engine *ae, enum rule_buffer b,
		       const struct rule_xchain *ch, uint32_t *cap)
{
	struct app_variant *v;

	for (uint32_t k = 0; k < ae->nvar; k++) {
		v = &ae->var[k];
		if (v->buf == b && (v->chain == NULL) == (ch == NULL) &&
		    (ch == NULL || detect_xf_chain_equal(v->chain, ch)))
			return k;
	}
	if (ae->nvar == *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 16;

		v = realloc(ae->var, ncap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		ae->var = v;
		*cap = ncap;
	}
	ae->var[ae->nvar] = (struct app_variant){ .buf = b, .chain = ch };
	return ae->nvar++;
}

/* Appends the rule's list (b, xf, grp) unless the rule (from rb[first])
 * has it. */
static int add_rb(struct detect_app_engine *ae, const struct rule *r, uint32_t first,
		  uint32_t *nrb, uint32_t *rbcap, uint32_t *varcap, enum rule_buffer b, uint8_t xf,
		  uint8_t grp)
{
	struct app_rule_buf *rb;
	int64_t v;

	for (uint32_t j = first; j < *nrb; j++)
		if (ae->rb[j].buf == b && ae->rb[j].xf == xf && ae->rb[j].grp == grp)
			return 0;
	if (*nrb == *rbcap) {
		*rbcap = *rbcap ? *rbcap * 2 : 64;
		rb = realloc(ae->rb, *rbcap * sizeof(*rb));
		if (rb == NULL)
			return -ENOMEM;
		ae->rb = rb;
	}
	v = variant(ae, b, xf ? &r->xchain[xf - 1] : NULL, varcap);
	if (v < 0)
		return -ENOMEM;
	ae->rb[(*nrb)++] = (struct app_rule_buf){ .var = (uint32_t)v, .buf = (uint8_t)b,
						  .xf = xf, .grp = grp };
	return 0;
}

/* The lists (buffer, chain, occurrence) each app rule inspects, in match
 * order, then its plain absent buffers (no matches there), and the
 * variants they map to. */
static int rule_bufs(struct detect_engine *de, struct detect_app_engine *ae)
{
	uint32_t nrb = 0, rbcap = 0, varcap = 0;

	ae->rb_first = calloc(de->nrules + 1, sizeof(uint32_t));
	if (ae->rb_first == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < de->nrules; i++) {
		const struct de_rule *dr = &de->rules[i];
		const struct rule *r = dr->r;

		ae->rb_first[i] = nrb;
		if (!(dr->flags & DR_F_APP) || !dr->app_dirs)
			continue;
		for (uint32_t k = 0; k < r->nmatch; k++) {
			const struct rule_match *m = &r->match[k];

			if (is_app_buf(m->buf) && add_rb(ae, r, ae->rb_first[i], &nrb, &rbcap,
							 &varcap, m->buf, m->xf, m->grp))
				return -ENOMEM;
		}
		for (int b = RULE_BUF_APP_FIRST; b < RULE_BUF_MAX; b++)
			if ((r->absent_bufs & ~r->absent_or_else & RULE_BUF_BIT(b)) &&
			    add_rb(ae, r, ae->rb_first[i], &nrb, &rbcap, &varcap,
				   (enum rule_buffer)b, 0, 0))
				return -ENOMEM;
	}
	ae->rb_first[de->nrules] = nrb;
	return 0;
}

/* The variant of rank i's fast pattern. */
static uint32_t fp_variant(const struct detect_app_engine *ae, const struct de_rule *dr,
			   uint32_t i)
{
	const struct rule_match *m = &dr->r->match[dr->fp];

	for (uint32_t j = ae->rb_first[i]; j < ae->rb_first[i + 1]; j++)
		if (ae->rb[j].buf == m->buf && ae->rb[j].xf == m->xf)
			return ae->rb[j].var;
	BUG_ON(true);
	return 0;
}

/* Bodies take the rarest slice of a long pattern (enum pf_slice): the text
 * of pages and files. Header buffers keep the tail: their common strings
 * ("Content-Length: ") are not rare bytes, and a slice inside one that many
 * rules share made a candidate of each of them on every request. */
static enum pf_slice content_slice(enum rule_buffer b)
{
	return b == RULE_BUF_HTTP_RESPONSE_BODY || b == RULE_BUF_HTTP_REQUEST_BODY ||
	       b == RULE_BUF_SMTP_FILE_DATA || b == RULE_BUF_FTPDATA_FILE_DATA ? PF_SLICE_RARE :
	       PF_SLICE_TAIL;
}

/* db from n patterns, the scratch prototype grown to fit it, counted in
 * the engine's figures. 0, or -errno (err filled by pat_db_build). */
static int app_db_build(struct detect_engine *de, struct detect_app_engine *ae,
			struct pat_db *db, struct pat_ref *pats, uint32_t n, char *err,
			size_t errlen)
{
	int ret = pat_db_build(de, db, pats, n, err, errlen);

	if (ret != 0)
		return ret;
	if (pat_db_scratch(db, &ae->scratch) != HS_SUCCESS)
		return -ENOMEM;
	pat_db_count(de, db);
	ae->nbufs++;
	return 0;
}

/* For each buffer variant: the fast patterns of its rules, one database. */
static int build_dbs(struct detect_engine *de, struct detect_app_engine *ae, char *err,
		     size_t errlen)
{
	struct pat_ref *pats = calloc(de->nrules ? de->nrules : 1, sizeof(*pats));
	uint32_t *fpvar = calloc(de->nrules ? de->nrules : 1, sizeof(*fpvar));
	int ret = 0;

	if (pats == NULL || fpvar == NULL) {
		free(pats);
		free(fpvar);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < de->nrules; i++) {
		const struct de_rule *dr = &de->rules[i];

		fpvar[i] = UINT32_MAX;
		if ((dr->flags & DR_F_APP) && dr->fp >= 0 && dr->app_dirs)
			fpvar[i] = fp_variant(ae, dr, i);
	}
	for (uint32_t v = 0; v < ae->nvar && ret == 0; v++) {
		struct pat_db *db = &ae->var[v].db;
		uint32_t n = 0;

		for (uint32_t i = 0; i < de->nrules; i++) {
			const struct de_rule *dr = &de->rules[i];

			if (fpvar[i] == v)
				pat_ref_set(&pats[n++], &dr->r->match[dr->fp].content, i,
					    content_slice(ae->var[v].buf));
		}
		if (n == 0)
			continue;
		ret = app_db_build(de, ae, db, pats, n, err, errlen);
		if (ret == 0 && ae->var[v].buf == RULE_BUF_HTTP_RESPONSE_BODY &&
		    ae->var[v].chain == NULL)
			ret = detect_body_stream_build(de, ae, v, pats, n);
	}
	free(fpvar);
	free(pats);
	return ret;
}

/* ae->gate: per protocol and direction, the payload gates of its rules
 * (payload_gate). Without bounds: the gate is scanned over the stream
 * window and the packet from their starts, and a superset of what the
 * verification finds is all it needs. */
static int build_gates(struct detect_engine *de, struct detect_app_engine *ae, char *err,
		       size_t errlen)
{
	struct pat_ref *pats = calloc(de->nrules ? de->nrules : 1, sizeof(*pats));
	int ret = 0;

	if (pats == NULL)
		return -ENOMEM;
	for (int p = 0; p < APP_PROTO_MAX && ret == 0; p++) {
		for (uint8_t d = 0; d < 2 && ret == 0; d++) {
			struct pat_db *db = &ae->gate[p][d];
			uint32_t n = 0;

			for (uint32_t i = 0; i < de->nrules; i++) {
				const struct de_rule *dr = &de->rules[i];
				int32_t g;

				if (!(dr->flags & DR_F_APP) || !(dr->app_dirs & (1u << d)) ||
				    dr->r->app_proto != p || (g = payload_gate(dr)) < 0)
					continue;
				pat_ref_set(&pats[n], &dr->r->match[g].content, i, PF_SLICE_TAIL);
				pats[n++].bound = 0;
			}
			if (n > 0)
				ret = app_db_build(de, ae, db, pats, n, err, errlen);
		}
	}
	free(pats);
	return ret;
}

/* ae->scan: the variants each protocol and direction scans. */
static int scan_lists(struct detect_app_engine *ae)
{
	for (int p = 0; p < APP_PROTO_MAX; p++) {
		for (uint8_t d = 0; d < 2; d++) {
			ae->scan[p][d] = calloc(ae->nvar ? ae->nvar : 1, sizeof(uint32_t));
			if (ae->scan[p][d] == NULL)
				return -ENOMEM;
			for (uint32_t v = 0; v < ae->nvar; v++) {
				const struct app_variant *var = &ae->var[v];

				if (!pat_db_empty(&var->db) &&
				    app_buffer_in_proto(var->buf, (enum app_proto)p) &&
				    (detect_app_buf_dirs(var->buf) & (1u << d)))
					ae->scan[p][d][ae->nscan[p][d]++] = v;
			}
		}
	}
	return 0;
}

int detect_app_build(struct detect_engine *de, char *err, size_t errlen)
{
	struct detect_app_engine *ae = calloc(1, sizeof(*ae));
	int ret;

	if (ae == NULL)
		goto nomem;
	de->app = ae;
	ae->body_var = UINT32_MAX;
	for (int p = 0; p < APP_PROTO_MAX; p++) {
		ae->always[p] = calloc(de->nrules ? de->nrules : 1, sizeof(uint32_t));
		if (ae->always[p] == NULL)
			goto nomem;
	}
	for (uint32_t i = 0; i < de->nrules; i++) {
		const struct de_rule *dr = &de->rules[i];
		uint8_t p = dr->r->app_proto;

		if (!(dr->flags & DR_F_APP) || !dr->app_dirs)
			continue;
		ae->nrules++;
		if (dr->fp >= 0 || p >= APP_PROTO_MAX)
			continue;
		/* no protocol named: a file rule, tried on every file protocol */
		if (p == APP_PROTO_UNKNOWN) {
			for (int q = 0; q < APP_PROTO_MAX; q++)
				if (app_proto_has_files((enum app_proto)q))
					ae->always[q][ae->nalways[q]++] = i;
			continue;
		}
		if (payload_gate(dr) < 0)
			ae->always[p][ae->nalways[p]++] = i;
	}
	ret = rule_bufs(de, ae);
	if (ret == 0)
		ret = build_dbs(de, ae, err, errlen);
	if (ret == 0)
		ret = build_gates(de, ae, err, errlen);
	if (ret == 0)
		ret = scan_lists(ae);
	if (ret == -ENOMEM)
		goto nomem;
	return ret;
nomem:
	snprintf(err, errlen, "out of memory building the app-layer prefilter");
	return -ENOMEM;
}

void detect_app_free(struct detect_engine *de)
{
	struct detect_app_engine *ae = de->app;

	if (ae == NULL)
		return;
	for (uint32_t v = 0; v < ae->nvar; v++)
		pat_db_free(&ae->var[v].db);
	pat_db_free(&ae->body_stream);
	free(ae->var);
	free(ae->rb);
	free(ae->rb_first);
	for (int p = 0; p < APP_PROTO_MAX; p++) {
		free(ae->always[p]);
		pat_db_free(&ae->gate[p][0]);
		pat_db_free(&ae->gate[p][1]);
		free(ae->scan[p][0]);
		free(ae->scan[p][1]);
	}
	hs_free_scratch(ae->scratch);
	free(ae);
	de->app = NULL;
}
