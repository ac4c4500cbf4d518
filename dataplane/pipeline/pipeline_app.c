/* SPDX-License-Identifier: MIT */
#include "pipeline_app.h"

#include <string.h>

#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17

static bool attach(struct pipeline *pl, struct flow *f)
{
	if (f->app == NULL) {
		f->app = app_flow_new(pl->al, f->key.proto, f->key.port[f->client],
				      f->key.port[f->client ^ 1]);
		if (f->app != NULL) {
			app_flow_set_owner(f->app, f);
			if ((f->flags & (FLOW_F_MIDSTREAM | FLOW_F_MIDSTREAM_SYNACK)) ==
			    FLOW_F_MIDSTREAM)
				app_flow_allow_reverse(f->app);
			app_flow_set_addrs(f->app, f->key.ip_ver, &f->key.addr[f->client],
					   &f->key.addr[f->client ^ 1]);
		}
	}
	return f->app != NULL;
}

bool pipeline_app_feeds_dir(bool stream_inline, const struct packet *p, uint8_t dir)
{
	if (stream_inline || (p->tcp.flags & TCP_RST))
		return true;
	if (dir == p->dir)
		return p->payload_len > 0;
	return !(p->tcp.flags & TCP_SYN);
}

/* p may hand dir's app layer a hole acked past, as Suricata's
 * StreamTcpReassembleHandleSegment updates a direction's app layer: only
 * with a packet the stream engine took (not one refused, nor one of a
 * closed session); in IDS mode with the other side's packets (their
 * acks), and with the direction's own RST, its FIN past TIME_WAIT, or
 * any once the session is closed; inline, with the direction's own. */
static bool gap_fed_by(const struct pipeline *pl, const struct packet *p, uint8_t dir)
{
	const struct flow *f = p->flow;

	if (p->flags & PKT_F_STREAM_INVALID)
		return false;
	if (pl->stream_inline)
		return dir == p->dir;
	if (dir != p->dir || (p->tcp.flags & TCP_RST) || f->seq.state == SEQ_ST_CLOSED)
		return true;
	return (p->tcp.flags & TCP_FIN) &&
	       (f->seq.state == SEQ_ST_NONE || flow_tcp_past_time_wait(f));
}

/* A hole of dir reaches the app layer with p: Suricata 7's
 * ReassembleUpdateAppLayer raises reassembly_seq_gap on it, and relays
 * it to the app layer, where a flow whose data has not started one yet
 * gets its state (a gap before any byte ends detection on dir). */
static void tell_gap(struct pipeline *pl, struct flow *f, struct packet *p, uint8_t dir)
{
	pkt_event_set(&p->events, PEV_STREAM_REASSEMBLY_SEQ_GAP);
	if (pl->dt != NULL && attach(pl, f))
		app_flow_gap(f->app, (enum app_dir)dir);
}

/* The app layer found that p's flow runs the other way (a TCP session
 * picked up midstream): the flow's, its stream's and detection's
 * per-direction state turn with it, and p is a packet of the other
 * direction now, as Suricata's FlowSwap and PacketSwap. */
static void reverse(struct packet *p)
{
	flow_reverse(p->flow);
	stream_flow_reverse(p->flow);
	detect_flow_reverse(p->flow);
	p->dir ^= 1u;
	if (p->flow_flags & (PKT_FLOW_TOSERVER | PKT_FLOW_TOCLIENT))
		p->flow_flags ^= PKT_FLOW_TOSERVER | PKT_FLOW_TOCLIENT;
}

bool pipeline_app_feed(struct pipeline *pl, struct packet *p, bool flush)
{
	struct flow *f = p->flow;
	/* without rules (none loaded yet, or decode-only) the bytes are only
	 * handed over, so the stream can let them go */
	const bool parse = pl->dt != NULL;
	bool reversed = false;

	if (f->key.proto == IPPROTO_UDP_) {
		if (parse && !flush && p->payload_len > 0 && !(p->flags & PKT_F_PSEUDO) &&
		    attach(pl, f))
			app_flow_data(pl->al, f->app, (enum app_dir)p->dir, p->payload,
				      p->payload_len, p->ts_us);
		return false;
	}
	if (f->key.proto != IPPROTO_TCP_ || f->stream == NULL)
		return false;
	for (uint8_t dir = PKT_TO_SERVER; dir <= PKT_TO_CLIENT; dir++) {
		const uint8_t *data;
		bool gap;
		uint32_t n, seq;

		if (!flush && !pipeline_app_feeds_dir(pl->stream_inline, p, dir))
			continue;
		n = stream_app_data(pl->st, f, dir, flush, &data, &seq, &gap);
		/* a hole before the data (skipped now), or after it (acked past) */
		if (gap)
			tell_gap(pl, f, p, dir);
		if (n > 0 && parse && attach(pl, f)) {
			app_flow_stream_data(pl->al, f->app, (enum app_dir)dir, data, n, seq,
					     p->ts_us);
			/* protocol detection's events (applayer_*) are this packet's */
			app_flow_take_pkt_events(f->app, &p->events);
			if (app_flow_take_reversed(f->app)) {
				/* dir's bytes are the other stream's now, taken */
				reverse(p);
				reversed = true;
				dir ^= 1u;
			}
		}
		if (!flush && gap_fed_by(pl, p, dir) && stream_app_gap_due(pl->st, f, dir))
			tell_gap(pl, f, p, dir);
	}
	/* what the app layer took is due for raw inspection once its protocol
	 * is known (a banner waits for the client's command) */
	if (f->app != NULL && app_flow_proto(f->app) != APP_PROTO_UNKNOWN)
		for (uint8_t dir = PKT_TO_SERVER; dir <= PKT_TO_CLIENT; dir++)
			stream_app_settled(pl->st, f, dir);
	return reversed;
}

/* tx's id and its protocol's fields for EVE. */
static void fill_tx(struct pipeline *pl, struct app_flow *af, struct app_tx *tx,
		    struct eve_app *e)
{
	e->has_tx = true;
	e->tx_id = app_tx_id(tx);
	switch (e->proto) {
	case APP_PROTO_HTTP:
		e->has_http = app_tx_http_info(pl->al, af, tx,
					       pl->eve_opt.xff.enabled ? pl->eve_opt.xff.header : NULL,
					       &e->http) == 0;
		break;
	case APP_PROTO_TLS:
		e->has_tls = app_tx_tls_info(af, &e->tls) == 0;
		break;
	case APP_PROTO_DNS:
		e->has_dns = app_tx_dns_info(af, tx, &e->dns) == 0;
		break;
	case APP_PROTO_FTPDATA:
		e->has_ftpdata = app_tx_ftpdata_info(af, &e->ftpdata) == 0;
		break;
	case APP_PROTO_FTP:
		e->has_ftp = app_tx_ftp_info(af, tx, &e->ftp) == 0;
		break;
	case APP_PROTO_SMTP:
		e->has_smtp = app_tx_smtp_info(af, tx, &e->smtp) == 0;
		break;
	case APP_PROTO_SSH:
		e->has_ssh = app_tx_ssh_info(af, &e->ssh) == 0;
		break;
	default:
		break;
	}
}

/* An alert without a transaction (a packet rule: Suricata 7's
 * PACKET_ALERT_NOTX) gets what AlertAddAppLayer finds without one: the
 * objects it builds from the flow's state, which for TLS and SSH is their
 * one transaction whatever the id (AlertJsonTls, AlertJsonSsh) and for FTP
 * data the flow's file (EveFTPDataAddMetadata); an "http" object it opens
 * before its lookup by id fails, so left empty. DNS, SMTP and FTP look
 * their transaction up by id and write nothing. */
static void fill_flow_state(struct app_flow *af, struct eve_app *e)
{
	switch (e->proto) {
	case APP_PROTO_TLS:
		e->has_tls = app_tx_tls_info(af, &e->tls) == 0;
		break;
	case APP_PROTO_SSH:
		e->has_ssh = app_tx_ssh_info(af, &e->ssh) == 0;
		break;
	case APP_PROTO_FTPDATA:
		e->has_ftpdata = app_tx_ftpdata_info(af, &e->ftpdata) == 0;
		break;
	case APP_PROTO_HTTP:
		e->http_empty = true;
		break;
	default:
		break;
	}
}

const struct packet *pipeline_app_alert_begin(struct pipeline *pl, const struct packet *p,
					      const struct detect_alert *a)
{
	struct app_flow *af = p->flow->app;
	struct eve_app *e = &pl->app_eve;
	struct app_tx *tx = a->tx;

	memset(e, 0, sizeof(*e));
	app_flow_protos(af, &e->protos);
	e->proto = e->protos.proto;
	/* a stream match on an app flow is logged with the transaction being
	 * inspected, as Suricata 7's: the oldest one still held */
	if (tx == NULL && a->stream && app_flow_ntx(af) > 0)
		tx = app_flow_tx(af, 0);
	if (tx != NULL)
		fill_tx(pl, af, tx, e);
	else
		fill_flow_state(af, e);
	eve_writer_set_app(pl->eve, e);
	return p;
}

/* The fileinfo records of tx's files in dir not logged yet: those that
 * ended (ended_only), or all of them (an open one reads TRUNCATED). */
static void log_files(struct pipeline *pl, const struct flow *f, struct app_flow *af,
		      struct app_tx *tx, const struct eve_app *e, enum app_dir dir, bool ended_only)
{
	struct app_file_info fi;

	for (uint32_t k = 0; app_tx_file_info(af, tx, dir, k, &fi) == 0; k++) {
		if (fi.logged || (ended_only && !fi.ended))
			continue;
		eve_write_fileinfo(pl->eve, f, e, dir, &fi);
		app_tx_file_set_logged(af, tx, dir, k);
	}
}

/* A file ended: logged now, with the packet that ended it, as Suricata's
 * file logger does. */
static void file_done(void *arg, struct app_flow *af, struct app_tx *tx, enum app_dir dir)
{
	struct pipeline *pl = arg;
	const struct flow *f = app_flow_owner(af);
	struct eve_app e = { .proto = app_flow_proto(af), .pkt = pl->cur_pkt };

	if (f == NULL)
		return;
	fill_tx(pl, af, tx, &e);
	log_files(pl, f, af, tx, &e, dir, true);
}

/* Events raised on tx: logged at the packet that raised them, as
 * Suricata's anomaly logger does. */
static void events_done(void *arg, struct app_flow *af, struct app_tx *tx)
{
	struct pipeline *pl = arg;
	const struct flow *f = app_flow_owner(af);
	struct eve_app e = { .proto = app_flow_proto(af), .pkt = pl->cur_pkt };
	uint64_t events = app_tx_take_events(tx);

	if (f == NULL || events == 0)
		return;
	fill_tx(pl, af, tx, &e);
	eve_write_anomaly_tx(pl->eve, f, &e, events);
}

static void tx_done(void *arg, struct app_flow *af, struct app_tx *tx)
{
	struct pipeline *pl = arg;
	const struct flow *f = app_flow_owner(af);
	struct eve_app e = { .proto = app_flow_proto(af), .pkt = pl->cur_pkt };
	uint64_t events;

	if (f == NULL)
		return;
	fill_tx(pl, af, tx, &e);
	eve_write_app_tx(pl->eve, f, &e);
	events = app_tx_take_events(tx);
	if (events != 0)
		eve_write_anomaly_tx(pl->eve, f, &e, events);
	for (unsigned dir = APP_TO_SERVER; dir <= APP_TO_CLIENT; dir++)
		log_files(pl, f, af, tx, &e, (enum app_dir)dir, false);
}

void pipeline_app_log_txs(struct pipeline *pl)
{
	applayer_set_tx_done(pl->al, tx_done, pl);
	applayer_set_file_done(pl->al, file_done, pl);
	applayer_set_events_done(pl->al, events_done, pl);
}
