/* SPDX-License-Identifier: MIT */
/* "flow" and "netflow" records of a flow leaving the table, field for field
 * as Suricata 7's EVE flow and netflow loggers (output-json-flow.c,
 * output-json-netflow.c): the header seen from the client, app_proto, the
 * "flow" object (counters both ways, start, end, age, state, reason,
 * alerted) or one "netflow" object per direction, and the TCP flags seen. */
#include <arpa/inet.h>
#include <stdio.h>

#include "../decode/packet-t.h"
#include "../flow/flow-t.h"
#include "eve-int.h"

#define PROTO_ICMP   1
#define PROTO_ICMPV6 58

struct flow_ctx {
	const struct flow *f;
	const struct app_protos *ap;
	uint8_t dir;         /* netflow: enum pkt_dir of the record */
	const struct eve_app *app;   /* app_tx */
};

/* The address and port of the client (side 0) or the server (side 1). */
static const union ip_addr *side_addr(const struct flow *f, unsigned side)
{
	return &f->key.addr[f->client ^ side];
}

static uint16_t side_port(const struct flow *f, unsigned side)
{
	return f->key.port[f->client ^ side];
}

void eve_put_community_id(struct json_w *j, const struct eve_writer *w, const struct flow *f)
{
	char id[EVE_COMMUNITY_ID_LEN];
	bool icmp = f->key.proto == PROTO_ICMP || f->key.proto == PROTO_ICMPV6;

	if (eve_community_id(f->key.ip_ver, side_addr(f, 0)->b, side_addr(f, 1)->b,
			     icmp ? f->icmp_type : side_port(f, 0),
			     icmp ? f->icmp_code : side_port(f, 1), f->key.proto,
			     w->opt.community_id_seed, id) == 0)
		json_str(j, "community_id", id);
}

void eve_put_flow_header(struct json_w *j, const struct eve_writer *w, const struct flow *f,
			 const char *event_type, unsigned from, const struct packet *p,
			 const char *client_ip)
{
	bool compress = w->opt.ipv6_compress;

	eve_put_time(j, "timestamp", f->last_ts_us);
	json_uint(j, "flow_id", eve_flow_id(f));
	if (w->in_iface != NULL)
		json_str(j, "in_iface", w->in_iface);
	if (p != NULL && w->opt.pcap_cnt && p->pcap_cnt != 0)
		json_uint(j, "pcap_cnt", p->pcap_cnt);
	json_str(j, "event_type", event_type);
	if (f->key.vlan != 0) {
		json_arr_open(j, "vlan");
		json_uint(j, NULL, f->key.vlan);
		json_arr_close(j);
	}
	if (client_ip != NULL && from == 0)
		json_str(j, "src_ip", client_ip);
	else
		eve_put_ip(j, "src_ip", side_addr(f, from), f->key.ip_ver, compress);
	if (eve_has_ports(f->key.proto))
		json_uint(j, "src_port", side_port(f, from));
	if (client_ip != NULL && from == 1)
		json_str(j, "dest_ip", client_ip);
	else
		eve_put_ip(j, "dest_ip", side_addr(f, from ^ 1), f->key.ip_ver, compress);
	if (eve_has_ports(f->key.proto))
		json_uint(j, "dest_port", side_port(f, from ^ 1));
	eve_put_proto(j, f->key.proto);
	json_uint(j, "ip_v", f->key.ip_ver);
	if ((f->key.proto == PROTO_ICMP || f->key.proto == PROTO_ICMPV6) && from == 0) {
		json_uint(j, "icmp_type", f->icmp_type);
		json_uint(j, "icmp_code", f->icmp_code);
	}
	if (p != NULL)
		json_str(j, "pkt_src", eve_pkt_src(p));
}

static void put_app_proto(struct json_w *j, uint8_t app_proto)
{
	const char *name = eve_app_proto_name(app_proto);

	if (name != NULL)
		json_str(j, "app_proto", name);
}

/* Suricata's "state" of the flow (not of its TCP session). */
static const char *flow_state(const struct flow *f)
{
	if (f->key.proto == 6 && f->tcp_state == TCP_ST_CLOSED)
		return "closed";
	return (f->flags & FLOW_F_ESTABLISHED) ? "established" : "new";
}

/* Suricata's StreamTcpStateAsString of the session: past ESTABLISHED, a
 * session tracked from its SYN (or closed by an RST) names its state as
 * Suricata's (close_wait, last_ack, ...); a midstream pickup knows only
 * the flow's. */
static const char *tcp_state(const struct flow *f)
{
	static const char *const names[] = {
		[TCP_ST_NONE] = "none", [TCP_ST_SYN_SENT] = "syn_sent",
		[TCP_ST_SYN_RECV] = "syn_recv", [TCP_ST_ESTABLISHED] = "established",
		[TCP_ST_CLOSING] = "closing", [TCP_ST_CLOSED] = "closed",
	};
	static const char *const seq_names[] = {
		[SEQ_ST_CLOSE_WAIT] = "close_wait", [SEQ_ST_FIN_WAIT1] = "fin_wait1",
		[SEQ_ST_FIN_WAIT2] = "fin_wait2", [SEQ_ST_CLOSING] = "closing",
		[SEQ_ST_LAST_ACK] = "last_ack", [SEQ_ST_TIME_WAIT] = "time_wait",
		[SEQ_ST_CLOSED] = "closed",
	};

	if (f->seq.state > SEQ_ST_EST && f->seq.state <= SEQ_ST_CLOSED)
		return seq_names[f->seq.state];
	return f->tcp_state < sizeof(names) / sizeof(names[0]) ? names[f->tcp_state] : "none";
}

static void put_hex(struct json_w *j, const char *key, uint8_t v)
{
	char s[4];

	snprintf(s, sizeof(s), "%02x", v);
	json_str(j, key, s);
}

/* The flags as Suricata's EveTcpFlags: hex, then each flag seen as true. */
static void put_tcp_flags(struct json_w *j, uint8_t fl)
{
	static const struct { uint8_t bit; const char *name; } names[] = {
		{ TCP_SYN, "syn" }, { TCP_FIN, "fin" }, { TCP_RST, "rst" }, { TCP_PSH, "psh" },
		{ TCP_ACK, "ack" }, { TCP_URG, "urg" }, { 0x40, "ecn" }, { 0x80, "cwr" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (fl & names[i].bit)
			json_bool(j, names[i].name, true);
}

static uint64_t age_s(const struct flow *f)
{
	return f->last_ts_us / 1000000u - f->first_ts_us / 1000000u;
}

static void build_flow(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	static const char *const reasons[] = {
		[FLOW_END_TIMEOUT] = "timeout", [FLOW_END_FORCED] = "forced",
		[FLOW_END_SHUTDOWN] = "shutdown",
	};
	const struct flow_ctx *c = arg;
	const struct flow *f = c->f;

	json_obj_open(j, NULL);
	eve_put_flow_header(j, w, f, "flow", 0, NULL, NULL);
	eve_put_app_protos(j, c->ap->proto, c->ap);
	json_obj_open(j, "flow");
	json_uint(j, "pkts_toserver", f->pkts[PKT_TO_SERVER]);
	json_uint(j, "pkts_toclient", f->pkts[PKT_TO_CLIENT]);
	json_uint(j, "bytes_toserver", f->bytes[PKT_TO_SERVER]);
	json_uint(j, "bytes_toclient", f->bytes[PKT_TO_CLIENT]);
	eve_put_time(j, "start", f->first_ts_us);
	eve_put_time(j, "end", f->last_ts_us);
	json_uint(j, "age", age_s(f));
	if (f->flags & FLOW_F_EMERGENCY)
		json_bool(j, "emergency", true);
	json_str(j, "state", flow_state(f));
	json_str(j, "reason", f->end_reason < 3 ? reasons[f->end_reason] : "forced");
	json_bool(j, "alerted", (f->output_flags & EVE_FLOW_ALERTED) != 0);
	/* the whole flow's verdict, as Suricata 7's EveFlowLogJSON */
	if (f->flags & FLOW_F_ACTION_DROP)
		json_str(j, "action", "drop");
	else if (f->flags & FLOW_F_ACTION_PASS)
		json_str(j, "action", "pass");
	json_obj_close(j);
	/* EveFlowLogJSON: the common options between "flow" and "tcp" */
	eve_put_flow_common(j, w, f);
	if (f->key.proto == 6) {
		json_obj_open(j, "tcp");
		put_hex(j, "tcp_flags", f->tcp_flags[0] | f->tcp_flags[1]);
		put_hex(j, "tcp_flags_ts", f->tcp_flags[PKT_TO_SERVER]);
		put_hex(j, "tcp_flags_tc", f->tcp_flags[PKT_TO_CLIENT]);
		put_tcp_flags(j, f->tcp_flags[0] | f->tcp_flags[1]);
		json_str(j, "state", tcp_state(f));
		json_obj_close(j);
	}
	eve_close_record(j, w);
}

/* One direction: the header from that direction's sender, the protocol
 * that direction was judged (the flow's where undecided). */
static void build_netflow(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct flow_ctx *c = arg;
	const struct flow *f = c->f;
	const uint8_t dp = c->ap->dir[c->dir];

	json_obj_open(j, NULL);
	eve_put_flow_header(j, w, f, "netflow", c->dir == PKT_TO_SERVER ? 0 : 1, NULL, NULL);
	put_app_proto(j, dp != APP_PROTO_UNKNOWN ? dp : c->ap->proto);
	json_obj_open(j, "netflow");
	json_uint(j, "pkts", f->pkts[c->dir]);
	json_uint(j, "bytes", f->bytes[c->dir]);
	eve_put_time(j, "start", f->first_ts_us);
	eve_put_time(j, "end", f->last_ts_us);
	json_uint(j, "age", age_s(f));
	json_obj_close(j);
	if (f->key.proto == 6) {
		json_obj_open(j, "tcp");
		put_hex(j, "tcp_flags", f->tcp_flags[c->dir]);
		put_tcp_flags(j, f->tcp_flags[c->dir]);
		json_obj_close(j);
	}
	/* JsonNetFlowLogger: the common options last */
	eve_put_flow_common(j, w, f);
	eve_close_record(j, w);
}

void eve_write_flow(struct eve_writer *w, const struct flow *f, const struct app_protos *ap)
{
	struct flow_ctx c = { .f = f, .ap = ap, .dir = PKT_TO_SERVER };

	eve_emit(w, EVE_T_FLOW, build_flow, &c);
	if (f->pkts[PKT_TO_SERVER] > 0)
		eve_emit(w, EVE_T_NETFLOW, build_netflow, &c);
	c.dir = PKT_TO_CLIENT;
	if (f->pkts[PKT_TO_CLIENT] > 0)
		eve_emit(w, EVE_T_NETFLOW, build_netflow, &c);
}

/* One transaction as Suricata's http, dns and tls loggers write it. */
static void build_app_tx(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct flow_ctx *c = arg;
	const struct eve_app *app = c->app;
	char xff[INET6_ADDRSTRLEN];
	const char *extra, *client;

	eve_xff_resolve(&w->opt.http_xff, app->proto == APP_PROTO_HTTP ? &app->http : NULL,
			c->f->key.ip_ver, xff, sizeof(xff), &client, &extra);
	json_obj_open(j, NULL);
	eve_put_flow_header(j, w, c->f,
			    app->proto == APP_PROTO_FTPDATA ? "ftp_data" :
			    eve_app_proto_name(app->proto), 0, app->pkt, client);
	eve_put_flow_common(j, w, c->f);
	switch (app->proto) {
	case APP_PROTO_FTPDATA:
		/* JsonFTPLogger: the flow's direction, tx_id, "ftp_data" */
		json_uint(j, "tx_id", app->tx_id);
		eve_put_ftpdata(j, &app->ftpdata);
		break;
	case APP_PROTO_FTP:
		/* JsonFTPLogger: the flow's direction, tx_id, "ftp" */
		json_uint(j, "tx_id", app->tx_id);
		eve_put_ftp(j, &app->ftp);
		break;
	case APP_PROTO_SMTP:
		/* JsonSmtpLogger: tx_id, "smtp", "email" */
		json_uint(j, "tx_id", app->tx_id);
		eve_put_smtp_email(j, &app->smtp);
		break;
	case APP_PROTO_HTTP:
		json_uint(j, "tx_id", app->tx_id);
		eve_put_http(j, &app->http, &w->opt, NULL);
		/* JsonHttpLogger: the address beside the http object */
		if (extra != NULL)
			json_str(j, "xff", extra);
		break;
	case APP_PROTO_DNS:
		eve_put_dns_v2(j, &app->dns, app->tx_id, &w->opt);
		break;
	case APP_PROTO_SSH:
		/* JsonSshLogger: tx_id, "ssh" */
		json_uint(j, "tx_id", app->tx_id);
		eve_put_ssh(j, &app->ssh);
		break;
	default:
		eve_put_tls(j, &app->tls, w->opt.tls_fields);
		break;
	}
	eve_close_record(j, w);
}

/* dns: requests: no / responses: no leave those out. */
static bool dns_wanted(const struct eve_writer *w, const void *arg)
{
	const struct flow_ctx *c = arg;

	return c->app->dns.response ? !w->opt.dns_no_responses : !w->opt.dns_no_requests;
}

/* JsonTlsLogger: a resumed session (no certificate) is logged only where
 * session-resumption is on. */
static bool tls_wanted(const struct eve_writer *w, const void *arg)
{
	const struct app_tls_info *t = &((const struct flow_ctx *)arg)->app->tls;

	return !t->session_resumed || t->subject != NULL || t->issuer != NULL ||
	       (w->opt.tls_fields & EVE_TLS_SESSION_RESUMED);
}

void eve_write_app_tx(struct eve_writer *w, const struct flow *f, const struct eve_app *app)
{
	struct flow_ctx c = { .f = f, .app = app };

	if (app->proto == APP_PROTO_HTTP && app->has_http)
		eve_emit(w, EVE_T_HTTP, build_app_tx, &c);
	else if (app->proto == APP_PROTO_DNS && app->has_dns)
		eve_emit_if(w, EVE_T_DNS, dns_wanted, build_app_tx, &c);
	else if ((app->proto == APP_PROTO_FTPDATA && app->has_ftpdata) ||
		 (app->proto == APP_PROTO_FTP && app->has_ftp))
		eve_emit(w, EVE_T_FTP, build_app_tx, &c);
	else if (app->proto == APP_PROTO_SMTP && app->has_smtp)
		eve_emit(w, EVE_T_SMTP, build_app_tx, &c);
	else if (app->proto == APP_PROTO_SSH && app->has_ssh)
		eve_emit(w, EVE_T_SSH, build_app_tx, &c);
	else if (app->proto == APP_PROTO_TLS && app->has_tls &&
		 (app->tls.version != NULL || app->tls.sni != NULL))
		eve_emit_if(w, EVE_T_TLS, tls_wanted, build_app_tx, &c);
}
