/* SPDX-License-Identifier: MIT */
/* "drop" records (IPS verdicts), as Suricata's drop log in EVE: the packet
 * header, the IP and transport fields of the dropped packet, the reason,
 * and the rule that dropped it when there is one. */
#include "../../rules/rule-t.h"
#include "eve-int.h"

struct drop_ctx {
	const struct packet *p;
	enum drop_reason reason;
	const struct rule *r;
};

static void put_transport(struct json_w *j, const struct packet *p)
{
	if (p->l4 == NULL)
		return;
	switch (p->proto) {
	case 6:
		json_uint(j, "tcpseq", p->tcp.seq);
		json_uint(j, "tcpack", p->tcp.ack);
		json_uint(j, "tcpwin", p->tcp.win);
		json_bool(j, "syn", p->tcp.flags & TCP_SYN);
		json_bool(j, "ack", p->tcp.flags & TCP_ACK);
		json_bool(j, "psh", p->tcp.flags & TCP_PSH);
		json_bool(j, "rst", p->tcp.flags & TCP_RST);
		json_bool(j, "urg", p->tcp.flags & TCP_URG);
		json_bool(j, "fin", p->tcp.flags & TCP_FIN);
		json_uint(j, "tcpres", p->l4_len >= 13 ? (p->l4[12] & 0x0f) : 0);
		json_uint(j, "tcpurgp", p->l4_len >= 20 ? (uint16_t)(p->l4[18] << 8 | p->l4[19]) : 0);
		break;
	case 17:
		json_uint(j, "udplen", p->l4_len);
		break;
	case 1:
	case 58:
		json_uint(j, "icmp_id", p->icmp.id);
		json_uint(j, "icmp_seq", p->icmp.seq);
		break;
	default:
		break;
	}
}

static void build_drop(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	/* Suricata 7's PacketDropReasonToString */
	static const char *const reasons[DROP_REASONS] = {
		[DROP_REASON_NONE] = "rules", [DROP_REASON_RULES] = "rules",
		[DROP_REASON_FLOW] = "flow drop", [DROP_REASON_FLOW_MEMCAP] = "flow memcap",
		[DROP_REASON_STREAM_MEMCAP] = "stream memcap",
		[DROP_REASON_STREAM_REASSEMBLY] = "stream reassembly",
		[DROP_REASON_DEFRAG_MEMCAP] = "defrag memcap",
		[DROP_REASON_STREAM_MIDSTREAM] = "stream midstream",
	};
	const struct drop_ctx *c = arg;
	const struct packet *p = c->p;

	json_obj_open(j, NULL);
	eve_put_header(j, w, p, "drop", NULL);
	json_obj_open(j, "drop");
	json_uint(j, "len", p->l3_len);
	json_uint(j, "tos", p->tos);
	json_uint(j, "ttl", p->ttl);
	json_uint(j, "ipid", p->ip_id);
	put_transport(j, p);
	json_str(j, "reason", reasons[c->reason < DROP_REASONS ? c->reason : DROP_REASON_RULES]);
	json_obj_close(j);
	if (c->r != NULL && w->opt.drop_alerts)
		eve_put_alert(j, w, c->r, true, NULL);
	eve_close_record(j, w);
}

void eve_write_drop(struct eve_writer *w, const struct packet *p, enum drop_reason reason,
		    const struct rule *r)
{
	struct drop_ctx c = { .p = p, .reason = reason, .r = r };

	eve_emit(w, EVE_T_DROP, build_drop, &c);
}
