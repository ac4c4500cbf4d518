/* SPDX-License-Identifier: MIT */
/* "anomaly" records, as Suricata 7's anomaly logger (output-json-anomaly.c)
 * writes them for the events this engine raises:
 *  - decode: a packet the decoder rejected, or an event of one it kept,
 *    event "decoder.<name>";
 *  - stream: each stream event of a packet, event "stream.<name>" (the
 *    names of Suricata's DEvents table);
 *  - applayer: each event of a transaction, with "tx_id" in the header and
 *    {app_proto, type, event, layer: "proto_parser"}; the event as the
 *    protocol's parser names it (the C parsers' tables in upper case:
 *    HTTP, TLS, SMTP; the Rust ones in lower case: DNS); and each generic
 *    app-layer event of a packet (applayer_*: protocol detection), with
 *    layer "proto_detect", named as Suricata's app_layer_event_pkt_table
 *    (the rule's name in upper case).
 * Each output writes the kinds its types option asks for. */
#include <ctype.h>
#include <stdio.h>

#include "../../common/events.h"
#include "../applayer/applayer.h"
#include "../decode/decode.h"
#include "../flow/flow-t.h"
#include "eve-int.h"

/* The kinds an output writes; one configured without them (a file taking
 * every type) writes decode anomalies, as before kinds existed. */
static unsigned kinds(const struct eve_writer *w)
{
	return w->opt.anomaly ? w->opt.anomaly : EVE_ANOMALY_DECODE;
}

static bool want_decode(const struct eve_writer *w, const void *arg)
{
	(void)arg;
	return kinds(w) & EVE_ANOMALY_DECODE;
}

static bool want_stream(const struct eve_writer *w, const void *arg)
{
	(void)arg;
	return kinds(w) & EVE_ANOMALY_STREAM;
}

static bool want_applayer(const struct eve_writer *w, const void *arg)
{
	(void)arg;
	return kinds(w) & EVE_ANOMALY_APPLAYER;
}

struct decode_ctx {
	const struct packet *p;
	const char *name;            /* Suricata's, without "decoder." */
};

static void build_decode(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct decode_ctx *c = arg;
	char ev[64];

	snprintf(ev, sizeof(ev), "decoder.%s", c->name);
	json_obj_open(j, NULL);
	eve_put_header(j, w, c->p, "anomaly", NULL);
	json_obj_open(j, "anomaly");
	json_str(j, "type", "decode");
	json_str(j, "event", ev);
	json_obj_close(j);
	eve_close_record(j, w);
}

/* The decoder events raised on p before anything rejected it (or on a
 * packet it kept), in the order of their ids. */
static void write_dec_ev(struct eve_writer *w, const struct packet *p)
{
	for (uint64_t bits = p->dec_ev; bits != 0; bits &= bits - 1) {
		struct decode_ctx d = {
			.p = p, .name = decode_ev_name((enum decode_ev)__builtin_ctzll(bits)) };

		eve_emit_if(w, EVE_T_ANOMALY, want_decode, build_decode, &d);
	}
}

void eve_write_anomaly(struct eve_writer *w, const struct packet *p)
{
	struct decode_ctx c = { .p = p, .name = decode_err_name(p->err) };

	/* Suricata logs a packet's events in the order they were raised:
	 * those of the way (ipv4.opt_pad_required) before the rejection */
	write_dec_ev(w, p);
	eve_emit_if(w, EVE_T_ANOMALY, want_decode, build_decode, &c);
}

struct stream_ctx {
	const struct packet *p;
	unsigned ev;                 /* enum pkt_event */
};

static void build_stream(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct stream_ctx *c = arg;
	char ev[80];

	snprintf(ev, sizeof(ev), "stream.%s", event_name(EVF_PKT, c->ev));
	json_obj_open(j, NULL);
	eve_put_header(j, w, c->p, "anomaly", NULL);
	json_obj_open(j, "anomaly");
	json_str(j, "type", "stream");
	json_str(j, "event", ev);
	json_obj_close(j);
	eve_close_record(j, w);
}

/* Copies name into out (n bytes) in upper case. */
static void upper(char *out, size_t n, const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < n; i++)
		out[i] = (char)toupper((unsigned char)name[i]);
	out[i] = '\0';
}

static void build_pkt_applayer(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct stream_ctx *c = arg;
	const struct flow *f = c->p->flow;
	const char *proto = f != NULL && f->app != NULL ?
			    eve_app_proto_name(app_flow_proto(f->app)) : NULL;
	char ev[64];

	upper(ev, sizeof(ev), event_name(EVF_PKT, c->ev));
	json_obj_open(j, NULL);
	eve_put_header(j, w, c->p, "anomaly", NULL);
	json_obj_open(j, "anomaly");
	json_str(j, "app_proto", proto != NULL ? proto : "unknown");
	json_str(j, "type", "applayer");
	json_str(j, "event", ev);
	json_str(j, "layer", "proto_detect");
	json_obj_close(j);
	eve_close_record(j, w);
}

void eve_write_anomaly_stream(struct eve_writer *w, const struct packet *p)
{
	struct stream_ctx c = { .p = p };

	if (!eve_writes(w, EVE_T_ANOMALY))
		return;
	/* the decoder's events of a packet it kept come first, as Suricata
	 * logs a packet's decoder events before its stream events */
	write_dec_ev(w, p);

	for (unsigned k = 0; k < PKT_EVENT_WORDS; k++) {
		for (uint64_t bits = p->events.w[k]; bits != 0; bits &= bits - 1) {
			c.ev = k * 64 + (unsigned)__builtin_ctzll(bits);
			if (c.ev < PEV_APPLAYER_FIRST)
				eve_emit_if(w, EVE_T_ANOMALY, want_stream, build_stream, &c);
			else
				eve_emit_if(w, EVE_T_ANOMALY, want_applayer, build_pkt_applayer, &c);
		}
	}
}

struct tx_ctx {
	const struct flow *f;
	const struct eve_app *app;
	const char *event;
};

static void build_tx(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct tx_ctx *c = arg;

	json_obj_open(j, NULL);
	eve_put_flow_header(j, w, c->f, "anomaly", 0, c->app->pkt, NULL);
	eve_put_flow_common(j, w, c->f);
	json_uint(j, "tx_id", c->app->tx_id);
	json_obj_open(j, "anomaly");
	json_str(j, "app_proto", eve_app_proto_name(c->app->proto));
	json_str(j, "type", "applayer");
	json_str(j, "event", c->event);
	json_str(j, "layer", "proto_parser");
	json_obj_close(j);
	eve_close_record(j, w);
}

void eve_write_anomaly_tx(struct eve_writer *w, const struct flow *f, const struct eve_app *app,
			  uint64_t events)
{
	enum event_family fam;
	bool caps = true;
	struct tx_ctx c = { .f = f, .app = app };

	switch (app->proto) {
	case APP_PROTO_HTTP:
		fam = EVF_HTTP;
		break;
	case APP_PROTO_TLS:
		fam = EVF_TLS;
		break;
	case APP_PROTO_SMTP:
		fam = EVF_SMTP;
		break;
	case APP_PROTO_DNS:
		fam = EVF_DNS;
		caps = false;
		break;
	case APP_PROTO_SSH:
		fam = EVF_SSH;
		caps = false;
		break;
	default:
		return;
	}
	for (; events != 0; events &= events - 1) {
		const char *name = event_name(fam, (unsigned)__builtin_ctzll(events));
		char ev[64];

		if (name == NULL)
			continue;
		if (caps)
			upper(ev, sizeof(ev), name);
		c.event = caps ? ev : name;
		eve_emit_if(w, EVE_T_ANOMALY, want_applayer, build_tx, &c);
	}
}
