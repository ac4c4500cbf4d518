/* SPDX-License-Identifier: MIT */
/* TCP session state as the flow table tracks it: enough for flow:established
 * and for timeouts, without sequence tracking (that belongs to the stream stage).
 *
 *   NONE --SYN--> SYN_SENT --SYN/ACK (server)--> SYN_RECV --ACK (client)--> ESTABLISHED
 *   NONE --SYN/ACK, midstream--> SYN_RECV        NONE --ACK, midstream--> ESTABLISHED
 *   SYN_SENT --SYN (server), SYN/ACK (client)--> SYN_RECV --ACK (server)--> ESTABLISHED
 *   SYN_SENT --ACK (client), stream.async-oneside--> ESTABLISHED
 *   ESTABLISHED --FIN--> CLOSING --FIN (other side)--> CLOSED
 *   any session --RST--> CLOSED                  done enough --SYN--> new flow (caller)
 *   CLOSED by an RST with MD5/AO --its sender goes on--> the state before it
 *
 * Past ESTABLISHED, a session tracked from its SYN takes the state of
 * Suricata's (flow_tcp_seq.c's) as StreamTcpPacketSetState gives the
 * flow its state: CLOSING (established) in CLOSE_WAIT, FIN_WAIT1/2 and
 * CLOSING, CLOSED from LAST_ACK, TIME_WAIT and CLOSED on.
 *
 * The 4-way handshake (SYN both ways, then the client's SYN/ACK) is
 * Suricata's: flow_tcp_seq.c judges it. A packet the tracker refuses, or
 * lets pass unjudged (flow_tcp_seq), moves no state and is marked
 * PKT_F_STREAM_INVALID.
 *
 * NONE means "no session", as in Suricata: without stream.midstream only a SYN
 * starts one, and RST, FIN or data on a NONE flow leave it NONE. */
#include "../../common/bug.h"
#include "flow-tcp-int.h"
#include "flow.h"

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

/* Exchanges bits a and b of *v. */
static uint16_t swap_bits(uint16_t v, uint16_t a, uint16_t b)
{
	uint16_t r = v & (uint16_t)~(a | b);

	if (v & a)
		r |= b;
	if (v & b)
		r |= a;
	return r;
}

void flow_reverse(struct flow *f)
{
	uint8_t fl = f->tcp_flags[0];

	/* a pickup without a SYN/ACK: no ISNs, no sequence tracking to turn */
	BUG_ON_HOT(f->seq.state != SEQ_ST_NONE || (f->flags & FLOW_F_MIDSTREAM_SYNACK));
	flow_set_client(f, f->client ^ 1u);
	f->flags = swap_bits(f->flags, FLOW_F_FIN_TOSERVER, FLOW_F_FIN_TOCLIENT);
	f->tcp_flags[0] = f->tcp_flags[1];
	f->tcp_flags[1] = fl;
	f->detect_flags = (uint8_t)swap_bits(f->detect_flags, 1u, 2u);
	f->output_flags = (uint8_t)swap_bits(f->output_flags, 1u, 2u);
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

/* (added) Suricata's stream events this state machine can tell, on p:
 * a SYN or SYN/ACK sent the wrong way for the state, RST or FIN with no
 * session, and a non-zero ack field without the ACK flag. true: p is one
 * Suricata refuses (all but the broken ack). */
static bool tcp_events(const struct flow *f, struct packet *p, bool from_client)
{
	uint8_t fl = p->tcp.flags, synack = fl & (TCP_SYN | TCP_ACK);
	enum pkt_event e;

	if (!(fl & TCP_ACK) && p->tcp.ack != 0)
		pkt_event_set(&p->events, PEV_STREAM_PKT_BROKEN_ACK);
	/* a FIN with SYN is a FIN to the states past the handshake, as RST
	 * comes before both (stream-tcp.c's order of checks) */
	if (fl & TCP_RST)
		synack = 0;
	switch (f->tcp_state) {
	case TCP_ST_NONE:
		if (fl & TCP_RST)
			e = PEV_STREAM_RST_BUT_NO_SESSION;
		else if (fl & TCP_FIN)
			e = PEV_STREAM_FIN_BUT_NO_SESSION;
		else
			return false;
		break;
	case TCP_ST_SYN_SENT:
		if (synack != (TCP_SYN | TCP_ACK) || !from_client || (f->seq.flags & TCP_SEQ_F_4WHS))
			return false;
		e = PEV_STREAM_3WHS_SYNACK_IN_WRONG_DIRECTION;
		break;
	case TCP_ST_SYN_RECV:
		if (fl & TCP_FIN)
			return false;
		if (synack == (TCP_SYN | TCP_ACK) && from_client)
			e = PEV_STREAM_3WHS_SYNACK_TOSERVER_ON_SYN_RECV;
		else if (synack == TCP_SYN && !from_client)
			e = PEV_STREAM_3WHS_SYN_TOCLIENT_ON_SYN_RECV;
		else
			return false;
		break;
	case TCP_ST_ESTABLISHED:
		if (fl & TCP_FIN)
			return false;
		if (synack == (TCP_SYN | TCP_ACK) && from_client)
			e = PEV_STREAM_EST_SYNACK_TOSERVER;
		else if (synack == TCP_SYN && !from_client)
			e = PEV_STREAM_EST_SYN_TOCLIENT;
		else
			return false;
		break;
	default:
		return false;
	}
	pkt_event_set(&p->events, e);
	return true;
}

/* A session tracked from its SYN, past ESTABLISHED: the flow's state
 * follows its session's (the header). */
static void follow_session(struct flow *f)
{
	if (f->seq.state >= SEQ_ST_LAST_ACK)
		f->tcp_state = TCP_ST_CLOSED;
	else if (f->seq.state > SEQ_ST_EST)
		f->tcp_state = TCP_ST_CLOSING;
}

/* (added) A non-RST packet from the side that sent an RST carrying an
 * MD5 or AO option (accepted: such an RST cannot be verified): the
 * sender ignored its own RST, so it was injected (Suricata's
 * StreamTcpPacketCheckPostRst): the session goes on as before it. */
static void rst_ignored(struct flow *f, struct packet *p, bool from_client)
{
	uint16_t rcv = from_client ? TCP_SEQ_F_RST_S : TCP_SEQ_F_RST_C;

	if (!(f->seq.flags & rcv) || (p->tcp.flags & TCP_RST))
		return;
	f->seq.flags &= (uint16_t)~rcv;
	pkt_event_set(&p->events, PEV_STREAM_SUSPECTED_RST_INJECT);
	if (f->seq.state == SEQ_ST_CLOSED)
		f->seq.state = f->seq.pstate;
	if (f->tcp_state == TCP_ST_CLOSED)
		f->tcp_state = f->flags & (FLOW_F_FIN_TOSERVER | FLOW_F_FIN_TOCLIENT)
				       ? TCP_ST_CLOSING
				       : (f->flags & FLOW_F_ESTABLISHED) ? TCP_ST_ESTABLISHED
									 : TCP_ST_SYN_RECV;
	follow_session(f);
}

bool flow_tcp_done(const struct flow *f)
{
	return f->key.proto == 6 && f->seq.state == SEQ_ST_CLOSED &&
	       !(f->seq.flags & (TCP_SEQ_F_RST_C | TCP_SEQ_F_RST_S));
}

/* TcpSessionReuseDoneEnough's "state >= TCP_LAST_ACK" (LAST_ACK,
 * CLOSE_WAIT, CLOSING, CLOSED in Suricata's order; not TIME_WAIT), or
 * there is no session. A midstream pickup has no finer state than the
 * flow's: closed, or the client's FIN alone (CLOSE_WAIT). */
static bool done_enough(const struct flow *f)
{
	if (f->seq.state != SEQ_ST_NONE)
		return flow_tcp_past_time_wait(f);
	return f->tcp_state == TCP_ST_NONE || f->tcp_state == TCP_ST_CLOSED ||
	       (f->tcp_state == TCP_ST_CLOSING &&
		(f->flags & (FLOW_F_FIN_TOSERVER | FLOW_F_FIN_TOCLIENT)) == FLOW_F_FIN_TOSERVER);
}

bool flow_tcp_is_reuse(const struct flow *f, const struct packet *p, unsigned src_idx,
		       const struct flow_tcp_opts *o)
{
	uint8_t synack = p->tcp.flags & (TCP_SYN | TCP_ACK);
	bool from_client = src_idx == f->client, known = !(f->flags & FLOW_F_MIDSTREAM);

	/* TcpSessionPacketIsStreamStarter */
	if (p->tcp.flags & (TCP_RST | TCP_FIN))
		return false;
	if (synack == TCP_SYN) {
		/* the client's SYN again (its ISN): a retransmission */
		if (f->tcp_state != TCP_ST_NONE && from_client && known &&
		    p->tcp.seq == f->isn[0])
			return false;
	} else if (synack == (TCP_SYN | TCP_ACK) && (o->midstream || o->async_oneside)) {
		/* no session: the SYN/ACK picks one up (StreamTcpPacketStateNone) */
		if (f->tcp_state == TCP_ST_NONE)
			return from_client;
		if (!from_client && known && p->tcp.seq == f->isn[1])
			return false;
	} else {
		return false;
	}
	return done_enough(f);
}

void flow_tcp_update(struct flow *f, struct packet *p, unsigned src_idx,
		     const struct flow_tcp_opts *o)
{
	uint8_t fl = p->tcp.flags;
	uint8_t synack = fl & (TCP_SYN | TCP_ACK);
	bool from_client = src_idx == f->client;
	bool four;

	rst_ignored(f, p, from_client);
	/* a packet Suricata's stream engine refuses moves no state, and its
	 * data and ack stay out of the stream (stream_packet) */
	if (tcp_events(f, p, from_client) || flow_tcp_seq(f, p, from_client, o)) {
		p->flags |= PKT_F_STREAM_INVALID;
		return;
	}
	/* a 4-way handshake, as the tracker sees it after p */
	four = (f->seq.flags & TCP_SEQ_F_4WHS) != 0;
	if (fl & TCP_RST) {
		if (f->tcp_state != TCP_ST_NONE)
			f->tcp_state = TCP_ST_CLOSED;
		return;
	}

	switch (f->tcp_state) {
	case TCP_ST_NONE:
		if (synack != TCP_SYN)
			p->flags |= PKT_F_MIDSTREAM;
		if (synack == TCP_SYN) {
			flow_set_client(f, src_idx);
			f->tcp_state = TCP_ST_SYN_SENT;
			f->isn[0] = p->tcp.seq;
		} else if (synack == (TCP_SYN | TCP_ACK) && o->midstream) {
			flow_set_client(f, src_idx ^ 1);
			f->tcp_state = TCP_ST_SYN_RECV;
			f->flags |= FLOW_F_MIDSTREAM | FLOW_F_MIDSTREAM_SYNACK;
		} else if (synack == TCP_ACK && o->midstream) {
			f->tcp_state = TCP_ST_ESTABLISHED;
			f->flags |= FLOW_F_MIDSTREAM | FLOW_F_ESTABLISHED;
			if (fl & TCP_FIN)
				flow_tcp_fin(f, from_client);
		}
		break;
	case TCP_ST_SYN_SENT:
		if (synack == TCP_SYN && !from_client) {
			/* the server's own SYN: a 4-way handshake */
			f->isn[1] = p->tcp.seq;
		} else if (synack == (TCP_SYN | TCP_ACK) && from_client == four) {
			/* the server's SYN/ACK, or the client's on a 4-way handshake */
			f->tcp_state = TCP_ST_SYN_RECV;
			if (!four)
				f->isn[1] = p->tcp.seq;
		} else if (synack == TCP_ACK && from_client && o->async_oneside) {
			/* one side seen: the client's ACK with the right sequence number */
			f->tcp_state = TCP_ST_ESTABLISHED;
			f->flags |= FLOW_F_ESTABLISHED;
		}
		break;
	case TCP_ST_SYN_RECV:
		/* the ACK completing the handshake is itself established: the
		 * client's, or the server's on a 4-way handshake */
		if (synack == TCP_ACK && from_client != four) {
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
	follow_session(f);
}
