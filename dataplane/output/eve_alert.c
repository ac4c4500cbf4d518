/* SPDX-License-Identifier: MIT */
/* "alert" records, field for field as Suricata's EVE (CreateEveHeader and
 * AlertJson): the packet's own source and destination, ports only for
 * TCP, UDP and SCTP, ICMP type and code, the optional ether, payload and
 * packet fields. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../decode/decode.h"
#include "../decode/pkt_build.h"
#include "../flow/flow-t.h"
#include "eve-int.h"

#define IPPROTO_NUM_ICMP   1
#define IPPROTO_NUM_TCP    6
#define IPPROTO_NUM_UDP    17
#define IPPROTO_NUM_ICMPV6 58
#define IPPROTO_NUM_SCTP   132

#define ETH_HLEN           14

/* IANA protocol keywords as Suricata spells them in "proto"; numbers past
 * the table are printed in decimal. */
static const char *const proto_names[] = {
	"HOPOPT", "ICMP", "IGMP", "GGP", "IP-in-IP", "ST", "TCP", "CBT",
	"EGP", "IGP", "BBN-RCC-MON", "NVP-II", "PUP", "ARGUS", "EMCON", "XNET",
	"CHAOS", "UDP", "MUX", "DCN-MEAS", "HMP", "PRM", "XNS-IDP", "TRUNK-1",
	"TRUNK-2", "LEAF-1", "LEAF-2", "RDP", "IRTP", "ISO-TP4", "NETBLT", "MFE-NSP",
	"MERIT-INP", "DCCP", "3PC", "IDPR", "XTP", "DDP", "IDPR-CMTP", "TP++",
	"IL", "IPv6", "SDRP", "IPv6-Route", "IPv6-Frag", "IDRP", "RSVP", "GRE",
	"DSR", "BNA", "ESP", "AH", "I-NLSP", "SwIPe", "NARP", "MOBILE",
	"TLSP", "SKIP", "IPv6-ICMP", "IPv6-NoNxt", "IPv6-Opts", "Any", "CFTP", "Any",
	"SAT-EXPAK", "KRYPTOLAN", "RVD", "IPPC", "Any", "SAT-MON", "VISA", "IPCU",
	"CPNX", "CPHB", "WSN", "PVP", "BR-SAT-MON", "SUN-ND", "WB-MON", "WB-EXPAK",
	"ISO-IP", "VMTP", "SECURE-VMTP", "VINES", "TTP", "NSFNET-IGP", "DGP", "TCF",
	"EIGRP", "OSPF", "Sprite-RPC", "LARP", "MTP", "AX.25", "OS", "MICP",
	"SCC-SP", "ETHERIP", "ENCAP", "Any", "GMTP", "IFMP", "PNNI", "PIM",
	"ARIS", "SCPS", "QNX", "A/N", "IPComp", "SNP", "Compaq-Peer", "IPX-in-IP",
	"VRRP", "PGM", "Any", "L2TP", "DDX", "IATP", "STP", "SRP",
	"UTI", "SMP", "SM", "PTP", "IS-IS", "FIRE", "CRTP", "CRUDP",
	"SSCOPMCE", "IPLT", "SPS", "PIPE", "SCTP", "FC", "RSVP-E2E-IGNORE", "Mobility",
	"UDPLite", "MPLS-in-IP", "manet", "HIP", "Shim6", "WESP", "ROHC", "Ethernet",
};

void eve_put_proto(struct json_w *j, uint8_t proto)
{
	if (proto < sizeof(proto_names) / sizeof(proto_names[0])) {
		json_str(j, "proto", proto_names[proto]);
	} else {
		char s[4];
		size_t n = 0;
		if (proto >= 100)
			s[n++] = (char)('0' + proto / 100);
		if (proto >= 10)
			s[n++] = (char)('0' + proto / 10 % 10);
		s[n++] = (char)('0' + proto % 10);
		json_strn(j, "proto", s, n);
	}
}

static const char hex[] = "0123456789abcdef";

/* IPv4 dotted quad; IPv6 as Suricata's PrintInet: all eight groups, four
 * lower-case hex digits each, no "::" compression. */
/* IPv6 in full (Suricata's default) or, with eve-log.ipv6-compress, in
 * the RFC 5952 form. */
void eve_put_ip(struct json_w *j, const char *key, const union ip_addr *a, uint8_t ver,
		bool compress)
{
	char s[INET6_ADDRSTRLEN], *o = s;

	if (ver == 6 && compress) {
		if (inet_ntop(AF_INET6, a->b, s, sizeof(s)) != NULL) {
			json_str(j, key, s);
			return;
		}
	}
	if (ver == 4) {
		for (int i = 0; i < 4; i++) {
			uint8_t b = a->b[i];
			if (i)
				*o++ = '.';
			if (b >= 100)
				*o++ = (char)('0' + b / 100);
			if (b >= 10)
				*o++ = (char)('0' + b / 10 % 10);
			*o++ = (char)('0' + b % 10);
		}
	} else {
		for (int i = 0; i < 16; i += 2) {
			if (i)
				*o++ = ':';
			*o++ = hex[a->b[i] >> 4];
			*o++ = hex[a->b[i] & 15];
			*o++ = hex[a->b[i + 1] >> 4];
			*o++ = hex[a->b[i + 1] & 15];
		}
	}
	json_strn(j, key, s, (size_t)(o - s));
}

static void put_mac(struct json_w *j, const char *key, const uint8_t *m)
{
	char s[17], *o = s;

	for (int i = 0; i < 6; i++) {
		if (i)
			*o++ = ':';
		*o++ = hex[m[i] >> 4];
		*o++ = hex[m[i] & 15];
	}
	json_strn(j, key, s, sizeof(s));
}

bool eve_has_ports(uint8_t proto)
{
	return proto == IPPROTO_NUM_TCP || proto == IPPROTO_NUM_UDP || proto == IPPROTO_NUM_SCTP;
}

static bool is_icmp(const struct packet *p)
{
	if (p->l4 == NULL)
		return false;
	return (p->ip_ver == 4 && p->proto == IPPROTO_NUM_ICMP) ||
	       (p->ip_ver == 6 && p->proto == IPPROTO_NUM_ICMPV6);
}

struct alert_ctx {
	const struct packet *p;
	const struct detect_alert *a;
	const struct eve_stream_payload *sp;   /* NULL: a packet match */
};

const char *eve_pkt_src(const struct packet *p)
{
	static const char *const tunnel_src[] = {
		[PKT_SRC_WIRE] = "wire/pcap",
		[PKT_SRC_GRE] = "gre tunnel",
		[PKT_SRC_IPV4] = "ipv4 tunnel",
		[PKT_SRC_IPV6] = "ipv6 tunnel",
		[PKT_SRC_TEREDO] = "teredo tunnel",
		[PKT_SRC_VXLAN] = "vxlan encapsulation",
		[PKT_SRC_GENEVE] = "geneve encapsulation",
	};

	if (p->flags & PKT_F_PSEUDO)
		return "stream (flow timeout)";
	if (p->flags & PKT_F_REASSEMBLED)
		return "defrag";
	if (p->origin.src < sizeof(tunnel_src) / sizeof(tunnel_src[0]))
		return tunnel_src[p->origin.src];
	return "<unknown>";
}

/* Suricata's alert "tunnel" object for a packet out of a tunnel: the wire
 * packet's 5-tuple (ports 0 where it has none), the depth, and the wire
 * packet's number and source. */
static void put_tunnel(struct json_w *j, const struct eve_writer *w, const struct packet *p)
{
	const struct packet *r = p->origin.root;
	bool ports = eve_has_ports(r->proto) && r->l4 != NULL;

	json_obj_open(j, "tunnel");
	eve_put_ip(j, "src_ip", &r->src, r->ip_ver, w->opt.ipv6_compress);
	json_uint(j, "src_port", ports ? r->sp : 0);
	eve_put_ip(j, "dest_ip", &r->dst, r->ip_ver, w->opt.ipv6_compress);
	json_uint(j, "dest_port", ports ? r->dp : 0);
	eve_put_proto(j, r->proto);
	json_uint(j, "depth", p->origin.depth);
	if (r->pcap_cnt != 0)
		json_uint(j, "pcap_cnt", r->pcap_cnt);
	json_str(j, "pkt_src", eve_pkt_src(r));
	json_obj_close(j);
}

/* The stream payload as Suricata logs it: a skipped hole as text, then the
 * data, the whole cut at cap (Suricata's payload buffer size). out has
 * room for cap + 1 bytes (snprintf's NUL). Returns the length written. */
static size_t stream_payload(const struct eve_stream_payload *sp, uint8_t *out, size_t cap)
{
	size_t n = 0, take;

	if (sp->gap_before > 0)
		n = (size_t)snprintf((char *)out, cap + 1, "[%u bytes missing]", sp->gap_before);
	if (n > cap)
		n = cap;
	take = sp->len < cap - n ? sp->len : cap - n;
	if (take > 0)
		memcpy(out + n, sp->data, take);
	return n + take;
}

uint64_t eve_flow_id(const struct flow *f)
{
	uint64_t sec = f->first_ts_us / 1000000u, usec = f->first_ts_us % 1000000u;

	return ((uint64_t)f->id_hash << 31 | (sec & 0xffffu) << 16 | (usec & 0xffffu)) &
	       0x7ffffffffffffull;
}

/* The common header of Suricata's packet records, in its order. Packets
 * without IP (decoder events) carry no addresses, as in Suricata. */
void eve_put_header(struct json_w *j, const struct eve_writer *w, const struct packet *p,
		    const char *event_type, const char *client_ip)
{
	bool ip = p->ip_ver == 4 || p->ip_ver == 6;
	bool client_is_dst = p->flow != NULL && p->dir == PKT_TO_CLIENT;

	eve_put_time(j, "timestamp", p->ts_us);
	if (p->flow != NULL)
		json_uint(j, "flow_id", eve_flow_id(p->flow));
	if (w->in_iface != NULL)
		json_str(j, "in_iface", w->in_iface);
	if (w->opt.pcap_cnt && p->pcap_cnt != 0)
		json_uint(j, "pcap_cnt", p->pcap_cnt);
	json_str(j, "event_type", event_type);
	if (p->vlan_cnt > 0) {
		json_arr_open(j, "vlan");
		for (unsigned i = 0; i < p->vlan_cnt && i < 2; i++)
			json_uint(j, NULL, p->vlan_id[i]);
		json_arr_close(j);
	}
	if (ip) {
		if (client_ip != NULL && !client_is_dst)
			json_str(j, "src_ip", client_ip);
		else
			eve_put_ip(j, "src_ip", &p->src, p->ip_ver, w->opt.ipv6_compress);
		if (eve_has_ports(p->proto))
			json_uint(j, "src_port", p->sp);
		if (client_ip != NULL && client_is_dst)
			json_str(j, "dest_ip", client_ip);
		else
			eve_put_ip(j, "dest_ip", &p->dst, p->ip_ver, w->opt.ipv6_compress);
		if (eve_has_ports(p->proto))
			json_uint(j, "dest_port", p->dp);
		eve_put_proto(j, p->proto);
		json_uint(j, "ip_v", p->ip_ver);
		if (is_icmp(p)) {
			json_uint(j, "icmp_type", p->icmp.type);
			json_uint(j, "icmp_code", p->icmp.code);
		}
	}
	json_str(j, "pkt_src", eve_pkt_src(p));
	/* EveAddCommonOptions: metadata, ether, community_id */
	eve_put_vars(j, w, p->flow);
	if (w->opt.ether && decode_starts_with_eth(p) && p->len >= ETH_HLEN) {
		json_obj_open(j, "ether");
		json_uint(j, "ether_type", (uint16_t)(p->data[12] << 8 | p->data[13]));
		put_mac(j, "src_mac", p->data + 6);
		put_mac(j, "dest_mac", p->data);
		json_obj_close(j);
	}
	if (w->opt.community_id && p->flow != NULL)
		eve_put_community_id(j, w, p->flow);
}

/* Suricata's alert "flow" object: counters by direction, the start, and
 * the 5-tuple in the flow's client-to-server orientation. */
static void put_flow(struct json_w *j, const struct packet *p, bool compress)
{
	const struct flow *f = p->flow;
	bool rev = p->dir == PKT_TO_CLIENT;

	json_obj_open(j, "flow");
	json_uint(j, "pkts_toserver", f->pkts[PKT_TO_SERVER]);
	json_uint(j, "pkts_toclient", f->pkts[PKT_TO_CLIENT]);
	json_uint(j, "bytes_toserver", f->bytes[PKT_TO_SERVER]);
	json_uint(j, "bytes_toclient", f->bytes[PKT_TO_CLIENT]);
	eve_put_time(j, "start", f->first_ts_us);
	eve_put_ip(j, "src_ip", rev ? &p->dst : &p->src, p->ip_ver, compress);
	eve_put_ip(j, "dest_ip", rev ? &p->src : &p->dst, p->ip_ver, compress);
	if (eve_has_ports(p->proto) && p->sp > 0) {
		json_uint(j, "src_port", rev ? p->dp : p->sp);
		json_uint(j, "dest_port", rev ? p->sp : p->dp);
	}
	json_obj_close(j);
}

/* r->meta is "key\0value\0key\0value\0...": a pair's value and the next pair. */
static const char *pair_value(const char *k)
{
	return k + strlen(k) + 1;
}

static const char *next_pair(const char *k)
{
	const char *v = pair_value(k);

	return v + strlen(v) + 1;
}

/* The rule's metadata keyword as Suricata groups it: {"key": [values]}, the
 * keys in the order of their first item. */
void eve_put_rule_meta(struct json_w *j, const struct rule *r)
{
	const char *end = r->meta + r->meta_len;

	json_obj_open(j, "metadata");
	for (const char *k = r->meta; k < end; k = next_pair(k)) {
		bool seen = false;

		for (const char *e = r->meta; e < k && !seen; e = next_pair(e))
			seen = strcmp(e, k) == 0;
		if (seen)
			continue;
		json_arr_open(j, k);
		for (const char *e = k; e < end; e = next_pair(e))
			if (strcmp(e, k) == 0)
				json_str(j, NULL, pair_value(e));
		json_arr_close(j);
	}
	json_obj_close(j);
}

void eve_put_rule_ident(struct json_w *j, const struct rule *r)
{
	json_uint(j, "gid", r->gid);
	json_uint(j, "signature_id", r->sid);
	json_uint(j, "rev", r->rev);
	json_str(j, "signature", r->msg);
	json_str(j, "category", r->class_desc);
	json_uint(j, "severity", r->priority);
}

/* The rule's parts come from the writer's cache (eve_alert_frag.c), made
 * by the two functions above on the rule's first alert; rendered here
 * only when the cache has no room for them. */
void eve_put_alert(struct json_w *j, const struct eve_writer *w, const struct rule *r,
		   bool blocked, const char *xff)
{
	struct eve_frag f;
	bool cached = eve_frag_get(w->frags, r, &f) == 0;
	bool meta = w->opt.flow && r->nmeta > 0;

	json_obj_open(j, "alert");
	json_str(j, "action", blocked ? "blocked" : "allowed");
	if (cached)
		json_members(j, f.ident, f.ident_len);
	else
		eve_put_rule_ident(j, r);
	if (xff != NULL)
		json_str(j, "xff", xff);
	if (meta && cached)
		json_members(j, f.meta, f.meta_len);
	else if (meta)
		eve_put_rule_meta(j, r);
	json_obj_close(j);
}

/* The frame Suricata 7 logs for a flow-end pseudo packet (flow-timeout.c):
 * the IP and TCP headers it makes up, its TCP sequence the next of the
 * packet's side and its ack the last the other side gave, no link header,
 * though packet_info names the capture's link type as Suricata's global
 * datalink does. A pseudo packet of another protocol has none (Suricata
 * makes them for TCP only). */
static void put_pseudo_frame(struct json_w *j, const struct packet *p)
{
	uint8_t buf[PKT_BUILD_IPV6_HDR + PKT_BUILD_TCP_HDR];
	const struct flow *f = p->flow;
	struct packet fr;
	unsigned me;

	if (p->proto != 6 || f == NULL)
		return;
	me = p->dir == PKT_TO_SERVER ? 0 : 1;	/* tcp_seq sides: client 0, server 1 */
	fr = *p;
	fr.data = buf;
	fr.len = (uint32_t)pkt_build_pseudo_tcp(p, f->seq.side[me].next_seq,
						f->seq.side[me ^ 1].last_ack, buf);
	eve_put_frame(j, &fr);
}

static void build_alert(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct alert_ctx *c = arg;
	const struct packet *p = c->p;
	const struct rule *r = c->a->rule;
	char xff[INET6_ADDRSTRLEN];
	const char *extra, *client;

	eve_xff_resolve(&w->opt.xff, w->app != NULL && w->app->has_http ? &w->app->http : NULL,
			p->ip_ver, xff, sizeof(xff), &client, &extra);
	json_obj_open(j, NULL);
	eve_put_header(j, w, p, "alert", client);
	eve_put_alert(j, w, r, c->a->action == ALERT_BLOCKED, extra);
	/* the wire packet is alive while its tunnel packets are inspected;
	 * a pseudo packet has none */
	if (p->origin.root != NULL)
		put_tunnel(j, w, p);
	if (w->app != NULL)
		eve_put_app(j, w->app, &w->opt);

	if (p->ip_ver == 4 || p->ip_ver == 6) {
		if (p->flow != NULL)
			json_str(j, "direction",
				 p->dir == PKT_TO_SERVER ? "to_server" : "to_client");
		if (p->flow != NULL && w->opt.flow)
			put_flow(j, p, w->opt.ipv6_compress);
		if (w->opt.payload || w->opt.payload_printable) {
			uint8_t buf[EVE_STREAM_PAYLOAD_MAX + 1];
			const uint8_t *pl = p->payload;
			size_t n = p->payload_len;

			if (c->sp != NULL) {
				n = stream_payload(c->sp, buf, EVE_STREAM_PAYLOAD_MAX);
				pl = buf;
			}
			if (w->opt.payload)
				json_base64(j, "payload", pl, n);
			if (w->opt.payload_printable)
				json_printable(j, "payload_printable", pl, n);
			json_uint(j, "stream", c->sp != NULL);
		}
	}
	if (w->opt.packet && (p->flags & PKT_F_PSEUDO))
		put_pseudo_frame(j, p);
	else if (w->opt.packet && p->len > 0)
		eve_put_frame(j, p);
	eve_close_record(j, w);
}

void eve_put_frame(struct json_w *j, const struct packet *p)
{
	json_base64(j, "packet", p->data, p->len);
	json_obj_open(j, "packet_info");
	json_uint(j, "linktype", decode_pkt_link_type(p));
	json_str(j, "linktype_name", decode_pkt_link_name(p));
	json_obj_close(j);
}

/* fast.log, as Suricata's AlertFastLogger: "MM/DD/YYYY-hh:mm:ss.uuuuuu
 * [Drop] [**] [gid:sid:rev] msg [**] [Classification: c] [Priority: n]
 * {PROTO} src:sp -> dst:dp" (ICMP: type and code for the ports). */
static size_t fast_line(char *buf, size_t cap, const struct eve_writer *w, const void *arg)
{
	const struct alert_ctx *c = arg;
	const struct packet *p = c->p;
	const struct rule *r = c->a->rule;
	char ts[80], src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], proto[8];
	uint64_t secs = p->ts_us / 1000000u;
	time_t t = (time_t)secs;
	unsigned sp = p->sp, dp = p->dp;
	struct tm tm;
	int n;

	(void)w;
	gmtime_r(&t, &tm);
	snprintf(ts, sizeof(ts), "%02d/%02d/%04d-%02d:%02d:%02d.%06u", tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned)(p->ts_us % 1000000u));
	if (p->ip_ver == 4 || p->ip_ver == 6) {
		inet_ntop(p->ip_ver == 4 ? AF_INET : AF_INET6, p->src.b, src, sizeof(src));
		inet_ntop(p->ip_ver == 4 ? AF_INET : AF_INET6, p->dst.b, dst, sizeof(dst));
	} else {
		snprintf(src, sizeof(src), "-");
		snprintf(dst, sizeof(dst), "-");
	}
	if (is_icmp(p)) {
		sp = p->icmp.type;
		dp = p->icmp.code;
	} else if (!eve_has_ports(p->proto)) {
		sp = dp = 0;
	}
	if (p->proto < sizeof(proto_names) / sizeof(proto_names[0]))
		snprintf(proto, sizeof(proto), "%.7s", proto_names[p->proto]);
	else
		snprintf(proto, sizeof(proto), "%u", p->proto);
	n = snprintf(buf, cap, "%s  %s[**] [%u:%u:%u] %s [**] [Classification: %s] "
		     "[Priority: %u] {%s} %s:%u -> %s:%u\n", ts,
		     c->a->action == ALERT_BLOCKED ? "[Drop] " : "", r->gid, r->sid, r->rev,
		     r->msg ? r->msg : "", r->class_desc ? r->class_desc : "", r->priority, proto,
		     src, sp, dst, dp);
	return n < 0 ? cap : (size_t)n;
}

void eve_write_alert(struct eve_writer *w, const struct packet *p, const struct detect_alert *a)
{
	struct alert_ctx c = { .p = p, .a = a };

	if (p->flow != NULL)
		p->flow->output_flags |= EVE_FLOW_ALERTED;
	eve_emit(w, EVE_T_ALERT, build_alert, &c);
	eve_emit_text(w, EVE_T_FAST, fast_line, &c);
}

void eve_write_alert_stream(struct eve_writer *w, const struct packet *p,
			    const struct detect_alert *a, const struct eve_stream_payload *sp)
{
	struct alert_ctx c = { .p = p, .a = a, .sp = sp };

	if (p->flow != NULL)
		p->flow->output_flags |= EVE_FLOW_ALERTED;
	eve_emit(w, EVE_T_ALERT, build_alert, &c);
	eve_emit_text(w, EVE_T_FAST, fast_line, &c);
}
