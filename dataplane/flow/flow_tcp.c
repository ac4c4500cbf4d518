/* SPDX-License-Identifier: MIT */
/* TCP session state as the flow table tracks it: enough for flow:established
 * and for timeouts, without sequence tracking (that belongs to the stream stage).
 *
 *   NONE --SYN--> SYN_SENT --SYN/ACK (server)--> SYN_RECV --ACK (client)--> ESTABLISHED
 *   NONE --SYN/ACK, midstream--> SYN_RECV        NONE --ACK, midstream--> ESTABLISHED
 *   ESTABLISHED --FIN--> CLOSING --FIN (other side)--> CLOSED
 *   any session --RST--> CLOSED                  CLOSED --SYN--> new flow (caller)
 *
 * NONE means "no session", as in Suricata: without stream.midstream only a SYN
 * starts one, and RST, FIN or data on a NONE flow leave it NONE. */
#include "flow-int.h"

/* The initiator turned out to be the other side (a SYN, or a SYN/ACK, after
 * packets that did not tell): swap the per-direction counters with it. */
static void flow_set_client(struct flow *f, unsigned idx)
{
	uint64_t t;
	uint16_t seen;

	if (f->client == idx)
		return;
	f->client = (uint8_t)idx;
	t = f->pkts[0];
	f->pkts[0] = f->pkts[1];
	f->pkts[1] = t;
	t = f->bytes[0];
	f->bytes[0] = f->bytes[1];
	f->bytes[1] = t;
	seen = f->flags & (FLOW_F_TOSERVER_SEEN | FLOW_F_TOCLIENT_SEEN);
	f->flags &= (uint16_t)~(FLOW_F_TOSERVER_SEEN | FLOW_F_TOCLIENT_SEEN);
	if (seen & FLOW_F_TOSERVER_SEEN)
		f->flags |= FLOW_F_TOCLIENT_SEEN;
	if (seen & FLOW_F_TOCLIENT_SEEN)
		f->flags |= FLOW_F_TOSERVER_SEEN;
}

static void flow_tcp_fin(struct flow *f, bool from_client)
{
	f->flags |= from_client ? FLOW_F_FIN_TOSERVER : FLOW_F_FIN_TOCLIENT;
	if ((f->flags & (FLOW_F_FIN_TOSERVER | FLOW_F_FIN_TOCLIENT)) ==
	    (FLOW_F_FIN_TOSERVER | FLOW_F_FIN_TOCLIENT))
		f->tcp_state = TCP_ST_CLOSED;
	else
		f->tcp_state = TCP_ST_CLOSING;
}

/* (added) The handshake's sequence checks, as Suricata's (stream-tcp.c
 * SynSent/SynRecv): the server's SYN/ACK must ack the client's SYN, a
 * SYN/ACK sent again must ack it too and keep the server's ISN, a SYN sent
 * again must keep the client's ISN. true: p is refused (state unchanged). */
static bool handshake_events(const struct flow *f, struct packet *p, bool from_client)
{
	uint8_t synack = p->tcp.flags & (TCP_SYN | TCP_ACK);

	if (synack == (TCP_SYN | TCP_ACK) && !from_client) {
		if (f->tcp_state == TCP_ST_SYN_SENT && p->tcp.ack != f->isn[0] + 1) {
			pkt_event_set(&p->events, PEV_STREAM_3WHS_SYNACK_WITH_WRONG_ACK);
			return true;
		}
		if (f->tcp_state != TCP_ST_SYN_RECV || (f->flags & FLOW_F_MIDSTREAM))
			return false;
		if (p->tcp.ack != f->isn[0] + 1) {
			pkt_event_set(&p->events, PEV_STREAM_3WHS_SYNACK_RESEND_WITH_DIFFERENT_ACK);
			return true;
		}
		if (p->tcp.seq != f->isn[1]) {
			pkt_event_set(&p->events, PEV_STREAM_3WHS_SYNACK_RESEND_WITH_DIFF_SEQ);
			return true;
		}
	} else if (synack == TCP_SYN && from_client && f->tcp_state == TCP_ST_SYN_RECV &&
		   !(f->flags & FLOW_F_MIDSTREAM) && p->tcp.seq != f->isn[0]) {
		pkt_event_set(&p->events, PEV_STREAM_3WHS_SYN_RESEND_DIFF_SEQ_ON_SYN_RECV);
		return true;
	}
	return false;
}

/* (added) Suricata's stream events this state machine can tell, on p:
 * a SYN or SYN/ACK sent the wrong way for the state, RST or FIN with no
 * session, and a non-zero ack field without the ACK flag. */
static void tcp_events(const struct flow *f, struct packet *p, bool from_client)
{
	uint8_t fl = p->tcp.flags, synack = fl & (TCP_SYN | TCP_ACK);

	if (!(fl & TCP_ACK) && p->tcp.ack != 0)
		pkt_event_set(&p->events, PEV_STREAM_PKT_BROKEN_ACK);
	switch (f->tcp_state) {
	case TCP_ST_NONE:
		if (fl & TCP_RST)
			pkt_event_set(&p->events, PEV_STREAM_RST_BUT_NO_SESSION);
		else if (fl & TCP_FIN)
			pkt_event_set(&p->events, PEV_STREAM_FIN_BUT_NO_SESSION);
		break;
	case TCP_ST_SYN_SENT:
		if (synack == (TCP_SYN | TCP_ACK) && from_client)
			pkt_event_set(&p->events, PEV_STREAM_3WHS_SYNACK_IN_WRONG_DIRECTION);
		break;
	case TCP_ST_SYN_RECV:
		if (synack == (TCP_SYN | TCP_ACK) && from_client)
			pkt_event_set(&p->events, PEV_STREAM_3WHS_SYNACK_TOSERVER_ON_SYN_RECV);
		else if (synack == TCP_SYN && !from_client)
			pkt_event_set(&p->events, PEV_STREAM_3WHS_SYN_TOCLIENT_ON_SYN_RECV);
		break;
	case TCP_ST_ESTABLISHED:
		if (synack == (TCP_SYN | TCP_ACK) && from_client)
			pkt_event_set(&p->events, PEV_STREAM_EST_SYNACK_TOSERVER);
		else if (synack == TCP_SYN && !from_client)
			pkt_event_set(&p->events, PEV_STREAM_EST_SYN_TOCLIENT);
		break;
	default:
		break;
	}
}

void flow_tcp_update(struct flow *f, struct packet *p, unsigned src_idx, bool midstream)
{
	uint8_t fl = p->tcp.flags;
	uint8_t synack = fl & (TCP_SYN | TCP_ACK);
	bool from_client = src_idx == f->client;

	tcp_events(f, p, from_client);
	if (!(fl & TCP_RST) && handshake_events(f, p, from_client))
		return;
	if (flow_tcp_seq(f, p, from_client))
		return;
	if (fl & TCP_RST) {
		if (f->tcp_state != TCP_ST_NONE)
			f->tcp_state = TCP_ST_CLOSED;
		return;
	}

	switch (f->tcp_state) {
	case TCP_ST_NONE:
		if (synack == TCP_SYN) {
			flow_set_client(f, src_idx);
			f->tcp_state = TCP_ST_SYN_SENT;
			f->isn[0] = p->tcp.seq;
		} else if (synack == (TCP_SYN | TCP_ACK) && midstream) {
			flow_set_client(f, src_idx ^ 1);
			f->tcp_state = TCP_ST_SYN_RECV;
			f->flags |= FLOW_F_MIDSTREAM;
		} else if (synack == TCP_ACK && midstream) {
			f->tcp_state = TCP_ST_ESTABLISHED;
			f->flags |= FLOW_F_MIDSTREAM | FLOW_F_ESTABLISHED;
			if (fl & TCP_FIN)
				flow_tcp_fin(f, from_client);
		}
		break;
	case TCP_ST_SYN_SENT:
		if (synack == (TCP_SYN | TCP_ACK) && !from_client) {
			f->tcp_state = TCP_ST_SYN_RECV;
			f->isn[1] = p->tcp.seq;
		}
		break;
	case TCP_ST_SYN_RECV:
		/* the client's ACK completing the handshake is itself established */
		if (synack == TCP_ACK && from_client) {
			f->tcp_state = TCP_ST_ESTABLISHED;
			f->flags |= FLOW_F_ESTABLISHED;
			if (fl & TCP_FIN)
				flow_tcp_fin(f, from_client);
		}
		break;
	case TCP_ST_ESTABLISHED:
	case TCP_ST_CLOSING:
		if (fl & TCP_FIN)
			flow_tcp_fin(f, from_client);
		break;
	default:
		break;
	}
}
