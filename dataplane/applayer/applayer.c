// SPDX-License-Identifier: MIT
/* Per-worker context, per-flow state and dispatch to the protocol parsers.
 * Detection buffers the first bytes of each direction until APP_PROBE_MIN
 * are seen, then replays them into the parser it picked. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/bug.h"
#include "../../common/wmem.h"
#include "app_file.h"
#include "applayer-int.h"
#include "file_magic.h"

int abuf_reserve(struct abuf *b, uint32_t len)
{
	if (b->len + len < b->len)
		return -ENOMEM;
	if (b->len + len > b->cap) {
		uint32_t cap = b->cap ? b->cap : 256;
		uint8_t *p;

		while (cap < b->len + len)
			cap = cap > UINT32_MAX / 2 ? b->len + len : cap * 2;
		if (b->mem != NULL)
			p = wmem_grow(b->mem, b->p, b->cap, b->len, cap, &cap);
		else
			p = realloc(b->p, cap);
		if (p == NULL)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	return 0;
}

int abuf_append(struct abuf *b, const void *data, uint32_t len)
{
	if (len == 0)
		return 0;
	if (abuf_reserve(b, len))
		return -ENOMEM;
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return 0;
}

uint32_t abuf_append_max(struct abuf *b, const void *data, uint32_t len, uint32_t limit)
{
	uint32_t room = b->len < limit ? limit - b->len : 0;
	uint32_t n = len < room ? len : room;

	if (abuf_append(b, data, n))
		return len;
	return len - n;
}

void abuf_free(struct abuf *b)
{
	struct wmem *mem = b->mem;

	if (mem != NULL)
		wmem_free(mem, b->p, b->cap);
	else
		free(b->p);
	*b = (struct abuf){ .mem = mem };
}

void app_tx_release(struct app_tx *tx)
{
	free(tx->mark);
	tx->mark = NULL;
	tx->nmark = tx->capmark = 0;
	if (tx->det_free != NULL)
		tx->det_free(tx->det);
	tx->det = NULL;
	tx->det_free = NULL;
}

struct applayer_ctx *applayer_ctx_create(const struct applayer_config *cfg)
{
	struct applayer_ctx *ctx = calloc(1, sizeof(*ctx));
	bool want_magic;
	char err[128];

	if (ctx == NULL)
		return NULL;
	if (cfg != NULL && cfg->set)
		ctx->cfg = *cfg;
	else
		applayer_config_init(&ctx->cfg);
	ctx->htp_cfg = app_http_config(&ctx->cfg);
	ctx->mem = wmem_create();
	if (ctx->cfg.expect == NULL)
		ctx->own_expect = app_expect_create(0);
	/* asked for (force-magic), it is there or the worker is not: the
	 * config check (idsd's settings) reported why already */
	want_magic = ctx->cfg.files && (ctx->cfg.file_hashes & APP_FILE_MAGIC);
	if (want_magic)
		ctx->magic = file_magic_create(err, sizeof(err));
	if (ctx->htp_cfg == NULL || ctx->mem == NULL || (want_magic && ctx->magic == NULL) ||
	    (ctx->cfg.expect == NULL && ctx->own_expect == NULL)) {
		file_magic_destroy(ctx->magic);
		app_http_config_free(ctx->htp_cfg);
		wmem_destroy(ctx->mem);
		app_expect_destroy(ctx->own_expect);
		free(ctx);
		return NULL;
	}
	return ctx;
}

int applayer_ctx_need_files(struct applayer_ctx *ctx, uint8_t hashes)
{
	char err[128];

	ctx->cfg.files = true;
	if ((hashes & APP_FILE_MAGIC) && ctx->magic == NULL) {
		ctx->magic = file_magic_create(err, sizeof(err));
		if (ctx->magic == NULL) {
			ctx->stats.nomem++;
			ctx->cfg.file_hashes |= (uint8_t)(hashes & ~APP_FILE_MAGIC);
			return -ENOMEM;
		}
	}
	ctx->cfg.file_hashes |= hashes;
	return 0;
}

void applayer_config_need(struct applayer_config *cfg, unsigned needs)
{
	cfg->ssh_hassh |= (needs & APP_NEED_HASSH) != 0;
	cfg->http_coding_events |= (needs & APP_NEED_CODING_EVENTS) != 0;
}

void applayer_ctx_need(struct applayer_ctx *ctx, unsigned needs)
{
	applayer_config_need(&ctx->cfg, needs);
}

void applayer_ctx_destroy(struct applayer_ctx *ctx)
{
	if (ctx == NULL)
		return;
	app_http_config_free(ctx->htp_cfg);
	abuf_free(&ctx->info_str);
	wmem_destroy(ctx->mem);
	app_expect_destroy(ctx->own_expect);
	file_magic_destroy(ctx->magic);
	free(ctx);
}

struct app_expect *app_ctx_expect(const struct applayer_ctx *ctx)
{
	return ctx->cfg.expect != NULL ? ctx->cfg.expect : ctx->own_expect;
}

const struct applayer_stats *applayer_ctx_stats(const struct applayer_ctx *ctx)
{
	return &ctx->stats;
}

struct wmem *applayer_ctx_mem(const struct applayer_ctx *ctx)
{
	return ctx->mem;
}

struct app_flow *app_flow_new(struct applayer_ctx *ctx, uint8_t ipproto, uint16_t client_port,
			      uint16_t server_port)
{
	struct app_flow *af;

	if (ipproto != 6 && ipproto != 17)
		return NULL;
	/* from the worker's pool: a flow's start and end are no malloc */
	af = wmem_zalloc(ctx->mem, sizeof(*af));
	if (af == NULL) {
		ctx->stats.nomem++;
		return NULL;
	}
	af->ctx = ctx;
	af->ipproto = ipproto;
	af->cport = client_port;
	af->sport = server_port;
	return af;
}

void applayer_set_tx_done(struct applayer_ctx *ctx, app_tx_done_fn fn, void *arg)
{
	ctx->tx_done = fn;
	ctx->tx_done_arg = arg;
}

void applayer_set_order(struct applayer_ctx *ctx, app_order_fn fn, void *arg)
{
	ctx->order = fn;
	ctx->order_arg = arg;
}

void applayer_set_events_done(struct applayer_ctx *ctx, app_tx_done_fn fn, void *arg)
{
	ctx->events_done = fn;
	ctx->events_done_arg = arg;
}

uint64_t app_tx_take_events(struct app_tx *tx)
{
	uint64_t ev = tx->events & ~tx->events_taken;

	tx->events_taken = tx->events;
	return ev;
}

/* Before an inspection lets transactions go: those with events not taken
 * yet are given to the owner. An event marks its transaction updated
 * (app_tx_event), so the others are passed over at the cost of a test. */
static void new_events(struct app_flow *af)
{
	if (af->ctx->events_done == NULL)
		return;
	for (uint32_t i = 0, n = app_flow_ntx(af); i < n; i++) {
		struct app_tx *tx = app_flow_tx(af, i);

		if (tx != NULL && tx->updated != 0 && (tx->events & ~tx->events_taken) != 0)
			af->ctx->events_done(af->ctx->events_done_arg, af, tx);
	}
}

void applayer_set_file_done(struct applayer_ctx *ctx, app_file_done_fn fn, void *arg)
{
	ctx->file_done = fn;
	ctx->file_done_arg = arg;
}

void app_file_event(struct app_flow *af, struct app_tx *tx, enum app_dir dir)
{
	struct app_file_info fi;

	if (af->ctx->file_done == NULL)
		return;
	for (uint32_t k = 0; app_tx_file_info(af, tx, dir, k, &fi) == 0; k++)
		if (fi.ended && !fi.logged) {
			af->ctx->file_done(af->ctx->file_done_arg, af, tx, dir);
			return;
		}
}

void app_flow_set_addrs(struct app_flow *af, uint8_t ip_ver, const union ip_addr *client,
			const union ip_addr *server)
{
	af->ip_ver = ip_ver;
	af->caddr = *client;
	af->saddr = *server;
}

void app_flow_set_owner(struct app_flow *af, void *owner)
{
	af->owner = owner;
}

void *app_flow_owner(const struct app_flow *af)
{
	return af->owner;
}

void app_tx_done(struct app_flow *af, struct app_tx *tx)
{
	if (tx->done || af->unlogged)
		return;
	tx->done = true;
	if (af->ctx->tx_done != NULL)
		af->ctx->tx_done(af->ctx->tx_done_arg, af, tx);
}

/* af's transactions still held go to the log (app_tx_done: once each). */
static void log_held(struct app_flow *af)
{
	for (uint32_t i = 0, n = app_flow_ntx(af); i < n; i++) {
		struct app_tx *tx = app_flow_tx(af, i);

		if (tx != NULL)
			app_tx_done(af, tx);
	}
}

void app_state_release(struct applayer_ctx *ctx, struct app_flow *af)
{
	if (af->state == NULL)
		return;
	/* what it announced and nobody took ends with it, as Suricata's */
	if (af->proto == APP_PROTO_FTP && af->ftp != NULL && app_ftp_announced(af->ftp))
		app_expect_forget(app_ctx_expect_ordered(ctx), af);
	/* what is still held ends with the state */
	log_held(af);
	switch (af->proto) {
	case APP_PROTO_HTTP:
		app_http_free(af->http);
		break;
	case APP_PROTO_TLS:
		app_tls_free(af->tls);
		break;
	case APP_PROTO_DNS:
		app_dns_free(af->dns);
		break;
	case APP_PROTO_SSH:
		app_ssh_free(af->ssh);
		break;
	case APP_PROTO_SMTP:
		app_smtp_free(af->smtp);
		break;
	case APP_PROTO_FTP:
		app_ftp_free(af->ftp);
		break;
	case APP_PROTO_FTPDATA:
		app_ftpdata_free(af->ftpdata);
		break;
	default:
		break;
	}
	af->state = NULL;
}

/* Everything af holds but itself: the parsers' state (a change under way:
 * the old parser's too), its transactions logged, the probe buffers. */
static void app_flow_release(struct applayer_ctx *ctx, struct app_flow *af)
{
	if (af->orig_state != NULL)
		app_change_eof(ctx, af);
	app_state_release(ctx, af);
	abuf_free(&af->probe[0]);
	abuf_free(&af->probe[1]);
}

void app_flow_unlogged(struct app_flow *af)
{
	af->unlogged = true;
}

void app_flow_free(struct applayer_ctx *ctx, struct app_flow *af)
{
	if (af == NULL)
		return;
	app_flow_release(ctx, af);
	wmem_free(ctx->mem, af, sizeof(*af));
}

void app_flow_retire(struct applayer_ctx *ctx, struct app_flow *af)
{
	/* an FTP control connection's announced transfers stay expected
	 * until the flow goes, as Suricata's expectations live as long as
	 * their flow: its state waits for app_flow_free */
	if (af->proto == APP_PROTO_FTP)
		return;
	app_flow_release(ctx, af);
	/* the protocol stays known (rules, the flow record), nothing parsed */
	af->detect_only = true;
}

struct applayer_ctx *app_flow_ctx(const struct app_flow *af)
{
	return af->ctx;
}

enum app_proto app_flow_proto(const struct app_flow *af)
{
	/* while a change is detected, the flow's is the old protocol, as
	 * Suricata reverts to it between the tries */
	if (af->changing && af->proto == APP_PROTO_UNKNOWN)
		return (enum app_proto)af->proto_orig;
	return (enum app_proto)af->proto;
}

enum app_inspection app_flow_inspection(const struct app_flow *af)
{
	return (enum app_inspection)af->inspection;
}

/* tls.encryption-handling, applied once the flow's data turns encrypted. */
static void tls_encryption(const struct applayer_ctx *ctx, struct app_flow *af)
{
	static const uint8_t policy[] = {
		[APP_TLS_ENC_TRACK_ONLY] = APP_INSPECT_NO_PAYLOAD,
		[APP_TLS_ENC_BYPASS] = APP_INSPECT_NONE,
		[APP_TLS_ENC_FULL] = APP_INSPECT_ALL,
	};

	if (af->inspection == APP_INSPECT_ALL && app_tls_encrypted(af->tls))
		af->inspection = policy[ctx->cfg.tls_encryption];
}

void app_flow_protos(const struct app_flow *af, struct app_protos *out)
{
	out->proto = (uint8_t)app_flow_proto(af);
	out->orig = af->proto_orig;
	out->expect = af->proto_expect;
	/* while a change is detected Suricata reverts them to the old
	 * protocol between the tries, as the flow's */
	for (int d = 0; d < 2; d++)
		out->dir[d] = af->changing && af->dir_proto[d] == APP_PROTO_UNKNOWN ?
			      af->proto_orig : af->dir_proto[d];
}

static int parse(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		 const uint8_t *d, uint32_t len, uint64_t ts_us)
{
	if (af->detect_only)
		return 0;
	switch (af->proto) {
	case APP_PROTO_HTTP:
		return app_http_data(ctx, af, dir, d, len, ts_us);
	case APP_PROTO_TLS: {
		int rc = app_tls_data(ctx, af->tls, dir, d, len);

		tls_encryption(ctx, af);
		return rc;
	}
	case APP_PROTO_DNS:
		return app_dns_data(ctx, af, dir, d, len);
	case APP_PROTO_SSH: {
		int rc = app_ssh_data(ctx, af->ssh, dir, d, len);

		/* Suricata stops inspecting the flow's payload once both sides
		 * sent NEWKEYS */
		if (af->inspection == APP_INSPECT_ALL && app_ssh_encrypted(af->ssh))
			af->inspection = APP_INSPECT_NO_PAYLOAD;
		return rc;
	}
	case APP_PROTO_SMTP:
		return app_smtp_data(ctx, af->smtp, dir, d, len);
	case APP_PROTO_FTP:
		return app_ftp_data(ctx, af->ftp, dir, d, len, ts_us);
	case APP_PROTO_FTPDATA:
		app_ftpdata_data(ctx, af->ftpdata, dir, d, len);
		return 0;
	default:
		return 0;
	}
}

/* xfer: what an expectation told the flow (owned; ftp-data's parser takes
 * it, the rest free it). */
static int start_parser(struct applayer_ctx *ctx, struct app_flow *af, enum app_proto p,
			void *xfer)
{
	/* SMB and DCERPC have no parser (SSH a banner parser): detection
	 * only, whatever the mode */
	if (ctx->cfg.mode[af->ipproto == 17][p] == APP_MODE_DETECT_ONLY ||
	    (p > APP_PROTO_SMTP && p != APP_PROTO_SSH && p != APP_PROTO_FTP &&
	     p != APP_PROTO_FTPDATA)) {
		/* known for app-layer-protocol and EVE, never parsed */
		free(xfer);
		af->detect_only = true;
		af->proto = (uint8_t)p;
		ctx->stats.flows[p]++;
		return 0;
	}
	switch (p) {
	case APP_PROTO_HTTP:
		af->http = app_http_new(ctx, af);
		break;
	case APP_PROTO_TLS:
		af->tls = app_tls_new(af);
		break;
	case APP_PROTO_DNS:
		af->dns = app_dns_new(af);
		break;
	case APP_PROTO_SSH:
		af->ssh = app_ssh_new(af);
		break;
	case APP_PROTO_SMTP:
		af->smtp = app_smtp_new(af);
		break;
	case APP_PROTO_FTP:
		af->ftp = app_ftp_new(af);
		break;
	case APP_PROTO_FTPDATA:
		af->ftpdata = app_ftpdata_new(af, xfer);
		xfer = NULL;
		break;
	default:
		free(xfer);
		return -EINVAL;
	}
	free(xfer);
	if (af->http == NULL) {	/* the union: whichever was set */
		ctx->stats.nomem++;
		af->proto = APP_PROTO_FAILED;
		return -ENOMEM;
	}
	af->proto = (uint8_t)p;
	ctx->stats.flows[p]++;
	return 0;
}

/* Nothing known starts these bytes: a connection announced by another
 * (Suricata probes expectations after its patterns and probes). */
static enum app_proto expected(struct applayer_ctx *ctx, const struct app_flow *af,
			       enum app_dir dir, uint64_t ts_us, void **xfer)
{
	struct app_expect_key k = {
		.ip_ver = af->ip_ver, .dir = (uint8_t)dir, .port = af->sport,
		.addr = { af->caddr, af->saddr },
	};

	if (af->ipproto != 6 || af->ip_ver == 0)
		return APP_PROTO_UNKNOWN;
	/* in capture order: whether anything is expected depends on every
	 * packet before this one */
	return app_expect_take(app_ctx_expect_ordered(ctx), &k, ts_us, xfer);
}

/* Suricata 7's UDP detection (app-layer.c AppLayerHandleUdp): each
 * direction's first datagram is probed. One that starts no protocol is
 * failed; while the other direction has not started one, so is the flow,
 * until the other's first datagram does (that protocol is then the flow's
 * and its parser sees that direction from there on). */
static void udp_undecided(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir)
{
	af->dir_proto[dir] = APP_PROTO_FAILED;
	if (af->proto != APP_PROTO_FAILED) {
		af->proto = APP_PROTO_FAILED;
		ctx->stats.flows[APP_PROTO_FAILED]++;
	}
}

/* A UDP flow failed by the first direction's datagram: the other's first
 * one is still probed. */
static bool udp_open(const struct app_flow *af, enum app_dir dir)
{
	return af->ipproto == 17 && af->proto == APP_PROTO_FAILED &&
	       af->dir_proto[dir] == APP_PROTO_UNKNOWN;
}

/* Exchanges n bytes (at most an abuf's worth) of a with b's. */
static void swap_bytes(void *a, void *b, size_t n)
{
	uint8_t t[sizeof(struct abuf)];

	memcpy(t, a, n);
	memcpy(a, b, n);
	memcpy(b, t, n);
}

/* Turn af around: the client becomes the server, each direction's state
 * the other's, as Suricata's FlowSwap turns the flow's per-direction state
 * (its data_first_seen_dir too) before the parser sees any byte. */
static void reverse(struct app_flow *af)
{
	_Static_assert(sizeof(union ip_addr) <= sizeof(struct abuf), "swap_bytes holds an address");
	swap_bytes(&af->cport, &af->sport, sizeof(af->cport));
	swap_bytes(&af->caddr, &af->saddr, sizeof(af->caddr));
	swap_bytes(&af->probe[0], &af->probe[1], sizeof(af->probe[0]));
	swap_bytes(&af->failed[0], &af->failed[1], sizeof(af->failed[0]));
	swap_bytes(&af->eof[0], &af->eof[1], sizeof(af->eof[0]));
	swap_bytes(&af->judged[0], &af->judged[1], sizeof(af->judged[0]));
	swap_bytes(&af->undecided[0], &af->undecided[1], sizeof(af->undecided[0]));
	swap_bytes(&af->dir_proto[0], &af->dir_proto[1], sizeof(af->dir_proto[0]));
	if (af->first_dir != 0)
		af->first_dir = (uint8_t)(3 - af->first_dir);
	af->reversed = true;
}

void app_flow_allow_reverse(struct app_flow *af)
{
	af->may_reverse = true;
}

bool app_flow_take_reversed(struct app_flow *af)
{
	bool r = af->reversed;

	af->reversed = false;
	if (r)
		af->fed[0] = af->fed[1] = false;	/* the directions' bytes swapped */
	return r;
}

/* Undecided: judge dir once it has APP_PROBE_MIN bytes (a UDP datagram is
 * judged at once). A parser that starts gets the probe bytes of both
 * directions replayed into it. While a protocol change is detected, both
 * directions failing do not give up (app_change.c decides when). */
void app_detect_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		     const uint8_t *d, uint32_t len, uint64_t ts_us)
{
	struct abuf *pb = &af->probe[dir];
	const uint8_t *pd = d;
	uint32_t plen = len;
	enum app_proto p;
	void *xfer = NULL;
	bool other;

	if (af->ipproto == 6 && pb->len + len < APP_PROBE_MIN) {
		if (abuf_append(pb, d, len))
			ctx->stats.nomem++;
		return;
	}
	if (pb->len) {
		if (abuf_append(pb, d, len)) {
			ctx->stats.nomem++;
			return;
		}
		pd = pb->p;
		plen = pb->len;
	}
	p = app_probe(ctx, af, dir, pd, plen, &other);
	/* TCPProtoDetect: found by the other side's patterns, the other side
	 * undecided, a flow picked up midstream (not from a SYN/ACK) whose
	 * bytes no parser saw yet (not a protocol change) */
	if (other && af->may_reverse && af->dir_proto[!dir] == APP_PROTO_UNKNOWN &&
	    af->proto_orig == 0) {
		reverse(af);
		dir = (enum app_dir)!dir;
	}
	if (p == APP_PROTO_UNKNOWN)
		p = expected(ctx, af, dir, ts_us, &xfer);
	if (p == APP_PROTO_UNKNOWN) {
		af->failed[dir] = true;
		af->judged[dir] = true;
		if (af->ipproto == 6 && dir == APP_TO_CLIENT && app_probe_banner220(pd, plen)) {
			af->banner220 = true;
			/* the greeting is the SMTP parser's first reply: kept for
			 * it, replayed once the client's command decides */
			if (pb->len == 0 && abuf_append(pb, d, len))
				ctx->stats.nomem++;
		} else {
			abuf_free(pb);
		}
		if (af->ipproto == 17)
			udp_undecided(ctx, af, dir);
		else if (!af->changing && af->failed[0] && af->failed[1])
			app_disable(ctx, af);
		return;
	}
	af->dir_proto[dir] = (uint8_t)p;
	/* the protocol is known, its parser never sees the flow: Suricata's
	 * detection error disables the app layer */
	if (app_ev_detected(af, dir, p)) {
		app_disable(ctx, af);
		return;
	}
	if (start_parser(ctx, af, p, xfer))
		return;
	/* the other direction's early bytes first: it spoke first; a parser
	 * that refuses the first bytes gives up as it would on later ones */
	if (af->probe[!dir].len &&
	    parse(ctx, af, (enum app_dir)!dir, af->probe[!dir].p, af->probe[!dir].len, ts_us) < 0)
		af->gave_up = true;
	if (!af->gave_up && parse(ctx, af, dir, pd, plen, ts_us) < 0)
		af->gave_up = true;
	abuf_free(&af->probe[0]);
	abuf_free(&af->probe[1]);
}

void app_disable(struct applayer_ctx *ctx, struct app_flow *af)
{
	af->proto = APP_PROTO_FAILED;
	ctx->stats.flows[APP_PROTO_FAILED]++;
	for (int d = 0; d < 2; d++) {
		if (af->dir_proto[d] == APP_PROTO_UNKNOWN)
			af->dir_proto[d] = APP_PROTO_FAILED;
		abuf_free(&af->probe[d]);
	}
}

int app_flow_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		  const uint8_t *data, uint32_t len, uint64_t ts_us)
{
	if (len == 0 || af->gave_up || (af->proto == APP_PROTO_FAILED && !udp_open(af, dir)))
		return af->gave_up ? -EINVAL : 0;
	if (af->first_dir == 0)
		af->first_dir = (uint8_t)(1 + dir);
	if (af->changing)
		return app_change_data(ctx, af, dir, data, len, ts_us);
	if (af->proto == APP_PROTO_UNKNOWN || af->proto == APP_PROTO_FAILED) {
		if (!af->failed[dir])
			app_detect_data(ctx, af, dir, data, len, ts_us);
		/* Suricata's bail conditions */
		if (af->proto == APP_PROTO_UNKNOWN && app_ev_undecided(af, dir, len))
			app_disable(ctx, af);
		return af->gave_up ? -EINVAL : 0;
	}
	if (!af->judged[dir])
		app_ev_other_dir(ctx, af, dir, data, len);
	if (parse(ctx, af, dir, data, len, ts_us) < 0)
		af->gave_up = true;
	return af->gave_up ? -EINVAL : 0;
}

int app_flow_stream_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
			 const uint8_t *data, uint32_t len, uint32_t seq, uint64_t ts_us)
{
	int ret;

	af->feed = data;
	af->feed_len = len;
	af->feed_seq = seq;
	ret = app_flow_data(ctx, af, dir, data, len, ts_us);
	af->feed_len = 0;
	af->fed_end[dir] = seq + len;
	af->fed[dir] = true;
	return ret;
}

bool app_flow_stream_placed(const struct app_flow *af, enum app_dir dir, uint32_t seq,
			    uint32_t len)
{
	/* a byte gets its place only while app_flow_stream_data hands it
	 * over (app_feed_seq): one not handed over yet may still get it */
	if (!af->fed[dir] || (int32_t)(af->fed_end[dir] - (seq + len)) < 0)
		return true;
	if (af->proto != APP_PROTO_HTTP || af->changing)
		return true;
	return app_http_stream_placed(af->http, dir, seq, len);
}

bool app_feed_seq(const struct app_flow *af, const uint8_t *d, uint32_t len, uint32_t *seq)
{
	const uintptr_t lo = (uintptr_t)af->feed, at = (uintptr_t)d;

	if (af->feed_len == 0 || at < lo || at - lo > af->feed_len || len > af->feed_len - (at - lo))
		return false;
	*seq = af->feed_seq + (uint32_t)(at - lo);
	return true;
}

void app_flow_eof(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir)
{
	(void)ctx;
	if (af->eof[dir])
		return;
	af->eof[dir] = true;
	/* Suricata gives a change still undecided up at a stream's end */
	if (af->changing)
		app_change_eof(ctx, af);
	if (af->proto == APP_PROTO_HTTP && !af->gave_up && !af->detect_only)
		app_http_eof(af, dir);
	if (af->proto == APP_PROTO_SMTP && !af->gave_up && !af->detect_only)
		app_smtp_eof(ctx, af->smtp, dir);
	if (af->proto == APP_PROTO_FTPDATA && !af->gave_up && !af->detect_only)
		app_ftpdata_eof(af->ftpdata, dir);
}

uint32_t app_flow_ntx(const struct app_flow *af)
{
	if (af->detect_only)
		return 0;
	switch (af->proto) {
	case APP_PROTO_HTTP:
		return app_http_ntx(af->http);
	case APP_PROTO_TLS:
	case APP_PROTO_SSH:
		return 1;
	case APP_PROTO_DNS:
		return app_dns_ntx(af->dns);
	case APP_PROTO_SMTP:
		return app_smtp_ntx(af->smtp);
	case APP_PROTO_FTP:
		return app_ftp_ntx(af->ftp);
	case APP_PROTO_FTPDATA:
		return app_ftpdata_ntx(af->ftpdata);
	default:
		return 0;
	}
}

struct app_tx *app_flow_tx(struct app_flow *af, uint32_t i)
{
	if (af->detect_only)
		return NULL;
	switch (af->proto) {
	case APP_PROTO_HTTP:
		return app_http_tx(af->http, i);
	case APP_PROTO_TLS:
		return i == 0 ? app_tls_tx(af->tls) : NULL;
	case APP_PROTO_DNS:
		return app_dns_tx(af->dns, i);
	case APP_PROTO_SSH:
		return i == 0 ? app_ssh_tx(af->ssh) : NULL;
	case APP_PROTO_SMTP:
		return app_smtp_tx(af->smtp, i);
	case APP_PROTO_FTP:
		return app_ftp_tx(af->ftp, i);
	case APP_PROTO_FTPDATA:
		return app_ftpdata_tx(af->ftpdata, i);
	default:
		return NULL;
	}
}

/* Suricata logs the SSH transaction when its log condition holds, or
 * once the parser is done with both directions (they ended, it gave up):
 * the owner has it then (app_tx_done), not again at the flow's end. */
static void ssh_inspected(struct app_flow *af, uint8_t dirs)
{
	struct app_tx *tx = app_ssh_tx(af->ssh);

	tx->updated &= (uint8_t)~dirs;
	if (app_ssh_log_due(af->ssh, af->ctx->cfg.ssh_hassh) || af->gave_up ||
	    app_ssh_encrypted(af->ssh) || (af->eof[0] && af->eof[1]))
		app_tx_done(af, tx);
}

static void inspected(struct app_flow *af, uint8_t dirs)
{
	if (af->detect_only)
		return;
	/* a parser that gave up set both sides at EOF, as Suricata's error
	 * path (AppLayerParserSetEOF): what it holds is logged with this
	 * packet, complete or not (OutputTxLog's eof), open files TRUNCATED */
	if (af->gave_up)
		log_held(af);
	switch (af->proto) {
	case APP_PROTO_HTTP:
		app_http_inspected(af, dirs);
		break;
	case APP_PROTO_TLS:
		app_tls_tx(af->tls)->updated &= (uint8_t)~dirs;
		break;
	case APP_PROTO_DNS:
		app_dns_inspected(af, dirs);
		break;
	case APP_PROTO_SSH:
		ssh_inspected(af, dirs);
		break;
	case APP_PROTO_SMTP:
		app_smtp_inspected(af->smtp, dirs);
		break;
	case APP_PROTO_FTP:
		app_ftp_inspected(af->ftp, dirs);
		break;
	case APP_PROTO_FTPDATA:
		app_ftpdata_inspected(af->ftpdata, dirs);
		break;
	default:
		break;
	}
}

void app_flow_inspected(struct applayer_ctx *ctx, struct app_flow *af)
{
	(void)ctx;
	new_events(af);
	inspected(af, APP_TX_UPDATED);
}

void app_flow_inspected_dir(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir)
{
	(void)ctx;
	new_events(af);
	inspected(af, (uint8_t)(1u << dir));
}

uint64_t app_tx_id(const struct app_tx *tx)
{
	return tx->id;
}

bool app_tx_updated(const struct app_tx *tx)
{
	return tx->updated != 0;
}

bool app_tx_updated_dir(const struct app_tx *tx, enum app_dir dir)
{
	return (tx->updated >> dir) & 1u;
}

uint64_t app_tx_events(const struct app_tx *tx)
{
	return tx->events;
}

void app_tx_event(struct app_tx *tx, unsigned id)
{
	BUG_ON_HOT(id >= 64);
	if (tx->events & (1ull << id))
		return;		/* raised again: nothing new to inspect */
	tx->events |= 1ull << id;
	tx->updated = APP_TX_UPDATED;
}

enum app_proto app_buffer_proto(enum rule_buffer b)
{
	if (b >= RULE_BUF_HTTP_URI && b <= RULE_BUF_HTTP_PROTOCOL)
		return APP_PROTO_HTTP;
	if (b >= RULE_BUF_TLS_FIRST && b <= RULE_BUF_TLS_LAST)
		return APP_PROTO_TLS;
	if (b >= RULE_BUF_DNS_FIRST && b <= RULE_BUF_DNS_LAST)
		return APP_PROTO_DNS;
	if (b >= RULE_BUF_SSH_FIRST && b <= RULE_BUF_SSH_LAST)
		return APP_PROTO_SSH;
	if (b == RULE_BUF_SMTP_FILE_DATA)
		return APP_PROTO_SMTP;
	if (b == RULE_BUF_FTPDATA_FILE_DATA)
		return APP_PROTO_FTPDATA;
	/* (added) the file buffers are every file protocol's
	 * (app_buffer_in_proto) */
	return APP_PROTO_UNKNOWN;
}

static bool file_buffer(enum rule_buffer b)
{
	return b >= RULE_BUF_FILE_FIRST && b <= RULE_BUF_FILE_LAST;
}

bool app_proto_has_files(enum app_proto p)
{
	return p == APP_PROTO_HTTP || p == APP_PROTO_SMTP || p == APP_PROTO_FTPDATA;
}

bool app_buffer_in_proto(enum rule_buffer b, enum app_proto p)
{
	if (file_buffer(b))
		return app_proto_has_files(p);
	return app_buffer_proto(b) == p;
}

/* The files tx carries in dir: *n of them (0: none). A parser that gave
 * up keeps them, as Suricata's transactions keep theirs after an error. */
static struct app_file *const *tx_files(struct app_flow *af, struct app_tx *tx,
					enum app_dir dir, uint32_t *n)
{
	*n = 0;
	if (af->detect_only)
		return NULL;
	switch (af->proto) {
	case APP_PROTO_HTTP:
		return app_http_files(tx, dir, n);
	case APP_PROTO_SMTP:
		return app_smtp_files(tx, dir, n);
	case APP_PROTO_FTPDATA:
		return app_ftpdata_files(af->ftpdata, dir, n);
	default:
		return NULL;
	}
}

/* file.name, file.magic: instance idx is file idx >> 1 of side idx & 1. */
static int tx_file_buffer(struct app_flow *af, struct app_tx *tx, enum rule_buffer b,
			  uint32_t idx, const uint8_t **data, uint32_t *len)
{
	uint32_t n, k = idx >> 1;
	struct app_file *const *files = tx_files(af, tx, (enum app_dir)(idx & 1u), &n);

	if (k >= n)
		return k == 0 ? -ENOENT : -ERANGE;
	return app_file_buffer(files[k], b, data, len);
}

/* The side of tx carrying file buffers can have no more files. */
static bool tx_files_final(struct app_flow *af, struct app_tx *tx, enum rule_buffer b,
			   uint32_t idx)
{
	enum app_dir dir = (enum app_dir)(idx & 1u);

	if (af->eof[dir] || af->detect_only || af->gave_up)
		return true;
	switch (af->proto) {
	case APP_PROTO_HTTP:
		return app_http_buffer_final(af, tx, b, idx);
	case APP_PROTO_SMTP:
		return dir == APP_TO_CLIENT || app_smtp_buffer_final(af, tx);
	case APP_PROTO_FTPDATA:
		return app_ftpdata_done(af->ftpdata, dir);
	default:
		return af->proto != APP_PROTO_UNKNOWN;
	}
}

int app_tx_buffer(struct applayer_ctx *ctx, struct app_flow *af, struct app_tx *tx,
		  enum rule_buffer b, uint32_t idx, const uint8_t **data, uint32_t *len)
{
	if (file_buffer(b))
		return tx_file_buffer(af, tx, b, idx, data, len);
	if (app_buffer_proto(b) != af->proto)
		return -ENOENT;
	switch (af->proto) {
	case APP_PROTO_HTTP:
		return app_http_buffer(ctx, tx, b, idx, data, len);
	case APP_PROTO_TLS:
		return app_tls_buffer(af->tls, b, idx, data, len);
	case APP_PROTO_DNS:
		return app_dns_buffer(tx, b, idx, data, len);
	case APP_PROTO_SSH:
		return app_ssh_buffer(af->ssh, b, idx, data, len);
	case APP_PROTO_SMTP:
		return app_smtp_buffer(tx, idx, data, len);
	case APP_PROTO_FTPDATA:
		return app_ftpdata_buffer(af->ftpdata, (enum app_dir)idx, data, len);
	default:
		return -ENOENT;
	}
}

uint32_t app_tx_buffer_offset(const struct app_flow *af, struct app_tx *tx, enum rule_buffer b)
{
	if (af->proto == APP_PROTO_HTTP && app_buffer_proto(b) == APP_PROTO_HTTP)
		return app_http_buffer_offset(tx, b);
	return 0;
}

int app_tx_buffer_seq(const struct app_flow *af, struct app_tx *tx, enum rule_buffer b,
		      uint32_t *seq)
{
	if (af->proto == APP_PROTO_HTTP && !af->detect_only &&
	    app_buffer_proto(b) == APP_PROTO_HTTP)
		return app_http_buffer_seq(tx, b, seq);
	return -ENOENT;
}

bool app_tx_buffer_final(struct app_flow *af, struct app_tx *tx, enum rule_buffer b,
			 uint32_t idx)
{
	if (file_buffer(b))
		return tx_files_final(af, tx, b, idx);
	/* another protocol's buffer never appears on this flow */
	if (app_buffer_proto(b) != af->proto)
		return af->proto != APP_PROTO_UNKNOWN;
	switch (af->proto) {
	case APP_PROTO_HTTP:
		return app_http_buffer_final(af, tx, b, idx);
	case APP_PROTO_TLS:
		return app_tls_buffer_final(af, b, idx);
	case APP_PROTO_SSH:
		return app_ssh_buffer_final(af, b, idx);
	case APP_PROTO_SMTP:
		return app_smtp_buffer_final(af, tx);
	case APP_PROTO_FTPDATA:
		return app_ftpdata_done(af->ftpdata, (enum app_dir)idx);
	default:
		return true;
	}
}

bool app_tx_dir_unstarted(const struct app_flow *af, const struct app_tx *tx, enum app_dir dir)
{
	if (af->eof[dir] || af->detect_only || af->gave_up || af->proto != APP_PROTO_HTTP)
		return false;
	return app_http_side_unstarted(tx, dir);
}

int app_tx_dns_opcode(const struct app_flow *af, const struct app_tx *tx, uint32_t *out)
{
	return af->proto == APP_PROTO_DNS ? app_dns_opcode(tx, out) : -ENOENT;
}

int app_tx_dns_rcode(const struct app_flow *af, const struct app_tx *tx, uint32_t *out)
{
	return af->proto == APP_PROTO_DNS ? app_dns_rcode(tx, out) : -ENOENT;
}

int app_tx_tls_version(const struct app_flow *af, uint32_t *out)
{
	return af->proto == APP_PROTO_TLS && af->tls ? app_tls_version(af->tls, out) : -ENOENT;
}

int app_tx_tls_ssl_state(const struct app_flow *af, uint32_t *out)
{
	if (af->proto != APP_PROTO_TLS || af->tls == NULL)
		return -ENOENT;
	*out = app_tls_ssl_state(af->tls);
	return 0;
}

int app_tx_tls_side_version(const struct app_flow *af, enum app_dir dir, uint32_t *out)
{
	return af->proto == APP_PROTO_TLS && af->tls ? app_tls_side_version(af->tls, dir, out) :
	       -ENOENT;
}

int app_tx_dns_rrtype(const struct app_flow *af, const struct app_tx *tx, uint32_t idx,
		      uint32_t *out)
{
	return af->proto == APP_PROTO_DNS ? app_dns_rrtype(tx, idx, out) : -ENOENT;
}

int app_tx_tls_chain_len(const struct app_flow *af, uint32_t *out)
{
	return af->proto == APP_PROTO_TLS && af->tls ? app_tls_chain_len(af->tls, out) : -ENOENT;
}

int app_tx_tls_validity(const struct app_flow *af, int64_t *not_before, int64_t *not_after)
{
	return af->proto == APP_PROTO_TLS && af->tls ?
	       app_tls_validity(af->tls, not_before, not_after) : -ENOENT;
}

int app_tx_urilen(const struct app_flow *af, struct app_tx *tx, bool raw, uint32_t *out)
{
	return af->proto == APP_PROTO_HTTP ? app_http_urilen(af->ctx, tx, raw, out) : -ENOENT;
}

int app_tx_ftpdata_command(const struct app_flow *af, uint32_t *out)
{
	struct app_ftpdata_info fi;

	if (af->proto != APP_PROTO_FTPDATA || af->ftpdata == NULL ||
	    app_ftpdata_info(af->ftpdata, &fi) || fi.command == NULL)
		return -ENOENT;
	*out = fi.command[0] == 'S' ? APP_FTPDATA_CMD_STOR : APP_FTPDATA_CMD_RETR;
	return 0;
}

bool app_tx_ftp_bounce(const struct app_flow *af, const struct app_tx *tx)
{
	return af->proto == APP_PROTO_FTP && !af->detect_only && app_ftp_bounce(af, tx);
}

int app_tx_http_info(struct applayer_ctx *ctx, struct app_flow *af, struct app_tx *tx,
		     const char *xff_header, struct app_http_info *out)
{
	return af->proto == APP_PROTO_HTTP ? app_http_info(ctx, tx, xff_header, out) : -ENOENT;
}

int app_tx_tls_info(struct app_flow *af, struct app_tls_info *out)
{
	return af->proto == APP_PROTO_TLS && af->tls ? app_tls_info(af->tls, out) : -ENOENT;
}

int app_tx_dns_info(struct app_flow *af, struct app_tx *tx, struct app_dns_info *out)
{
	return af->proto == APP_PROTO_DNS ? app_dns_info(tx, out) : -ENOENT;
}

int app_tx_file_info(struct app_flow *af, struct app_tx *tx, enum app_dir dir, uint32_t idx,
		     struct app_file_info *out)
{
	uint32_t n;
	struct app_file *const *files = tx_files(af, tx, dir, &n);

	if (idx >= n)
		return idx == 0 ? -ENOENT : -ERANGE;
	app_file_info(files[idx], tx->id, out);
	if (af->proto == APP_PROTO_HTTP)
		app_http_file_range(tx, dir, out);
	return 0;
}

void app_tx_file_set_logged(struct app_flow *af, struct app_tx *tx, enum app_dir dir,
			    uint32_t idx)
{
	uint32_t n;
	struct app_file *const *files = tx_files(af, tx, dir, &n);

	if (idx < n)
		files[idx]->logged = true;
}

void app_flow_gap(struct app_flow *af, enum app_dir dir)
{
	/* already stopped, or never parsed (SMB and DCERPC, whose Suricata
	 * parsers take gaps); a protocol change under way is left to go on
	 * (Suricata gives the change up and keeps the old parser: not
	 * modelled) */
	if (af->gave_up || af->detect_only || af->changing || af->proto == APP_PROTO_FAILED)
		return;
	if (af->proto == APP_PROTO_UNKNOWN) {
		af->failed[dir] = true;
		af->judged[dir] = true;
		abuf_free(&af->probe[dir]);
		return;
	}
	if (af->proto == APP_PROTO_DNS)
		return;
	af->ctx->stats.gap[af->proto]++;
	af->gave_up = true;
}

int app_tx_ftp_info(struct app_flow *af, struct app_tx *tx, struct app_ftp_info *out)
{
	if (af->proto != APP_PROTO_FTP || af->detect_only || af->ftp == NULL)
		return -ENOENT;
	return app_ftp_info(tx, out);
}

int app_tx_smtp_info(struct app_flow *af, struct app_tx *tx, struct app_smtp_info *out)
{
	if (af->proto != APP_PROTO_SMTP || af->detect_only || af->smtp == NULL)
		return -ENOENT;
	app_smtp_info(af->smtp, tx, out);
	return 0;
}

int app_tx_ssh_info(struct app_flow *af, struct app_ssh_info *out)
{
	if (af->proto != APP_PROTO_SSH || af->detect_only || af->ssh == NULL)
		return -ENOENT;
	return app_ssh_info(af->ssh, out);
}

int app_tx_ftpdata_info(struct app_flow *af, struct app_ftpdata_info *out)
{
	if (af->proto != APP_PROTO_FTPDATA || af->detect_only || af->ftpdata == NULL)
		return -ENOENT;
	return app_ftpdata_info(af->ftpdata, out);
}

void *app_tx_detect_state(const struct app_tx *tx)
{
	return tx->det;
}

void app_tx_set_detect_state(struct app_tx *tx, void *state, void (*free_fn)(void *))
{
	tx->det = state;
	tx->det_free = free_fn;
}

bool app_tx_marked(const struct app_tx *tx, uint32_t rank)
{
	for (uint32_t i = 0; i < tx->nmark; i++)
		if (tx->mark[i] == rank)
			return true;
	return false;
}

int app_tx_mark(struct app_tx *tx, uint32_t rank)
{
	if (tx->nmark == tx->capmark) {
		uint32_t cap = tx->capmark ? tx->capmark * 2 : 4;
		uint32_t *m = realloc(tx->mark, cap * sizeof(*m));

		if (m == NULL)
			return -ENOMEM;
		tx->mark = m;
		tx->capmark = cap;
	}
	tx->mark[tx->nmark++] = rank;
	return 0;
}
