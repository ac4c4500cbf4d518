/* SPDX-License-Identifier: MIT */
/* TCP sequence tracking for Suricata 7's stream events (stream-tcp.c):
 * per side the next sequence number, the last ack, the window and its
 * right edge, the last timestamp; and Suricata's own session states past
 * the handshake, named from the server's side:
 *
 *   EST --FIN (client)--> CLOSE_WAIT --FIN (server)--> LAST_ACK --ACK--> TIME_WAIT
 *   EST --FIN (server)--> FIN_WAIT1 --ACK of it--> FIN_WAIT2 --FIN (client)--> TIME_WAIT
 *                         FIN_WAIT1 --FIN (client)--> CLOSING --ACK--> TIME_WAIT
 *
 * Only sessions seen from their SYN are tracked (a midstream pickup knows
 * no side's numbers). A packet Suricata refuses raises its event and
 * leaves the state as it was. An RST's sequence number, suspected RST
 * injection and the inline-only 3whs_ack_in_wrong_dir are not judged
 * here. O(1) per packet. */
#include "flow-int.h"

#include "../../common/events.h"

enum tcp_seq_state {
	SEQ_ST_NONE = 0,         /* not tracked */
	SEQ_ST_HANDSHAKE,        /* SYN and SYN/ACK seen, the client's ACK not yet */
	SEQ_ST_EST,
	SEQ_ST_CLOSE_WAIT,       /* the client sent a FIN */
	SEQ_ST_FIN_WAIT1,        /* the server sent a FIN */
	SEQ_ST_FIN_WAIT2,        /* ... and the client acked it */
	SEQ_ST_CLOSING,          /* FINs crossed: both sent, the server's not acked */
	SEQ_ST_LAST_ACK,         /* both sent, the client's first */
	SEQ_ST_TIME_WAIT,
};

#define TCP_SEQ_F_SYN_TS     0x01u /* the SYN had a timestamp */
#define TCP_SEQ_F_SYN_WS     0x02u /* the SYN had a window scale */
#define TCP_SEQ_F_TS         0x04u /* both sides use timestamps */
#define TCP_SEQ_F_CONFIRMED  0x08u /* the server sent after the handshake (3whs confirmed) */

#define WSCALE_MAX 14u           /* RFC 7323 2.3 */

static bool seq_lt(uint32_t a, uint32_t b)  { return (int32_t)(a - b) < 0; }
static bool seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static bool seq_gt(uint32_t a, uint32_t b)  { return (int32_t)(a - b) > 0; }

static void ev(struct packet *p, enum pkt_event e)
{
	pkt_event_set(&p->events, e);
}

/* The client's SYN opens the tracking. */
static void on_syn(struct tcp_seq *t, const struct packet *p)
{
	*t = (struct tcp_seq){ .state = SEQ_ST_NONE };
	t->side[0].next_seq = p->tcp.seq + 1;
	/* windows of SYN and SYN/ACK are never scaled (RFC 7323 2.2) */
	t->side[1].window = p->tcp.win;
	if (p->flags & PKT_F_TCP_WSCALE) {
		t->flags |= TCP_SEQ_F_SYN_WS;
		t->side[0].wscale = p->tcp.wscale < WSCALE_MAX ? p->tcp.wscale : WSCALE_MAX;
	}
	if (p->flags & PKT_F_TCP_TS) {
		t->flags |= TCP_SEQ_F_SYN_TS;
		t->side[0].last_ts = p->tcp.ts_val;
	}
}

/* The server's SYN/ACK (its ack already checked): both sides known. */
static void on_synack(struct tcp_seq *t, const struct packet *p)
{
	struct tcp_seq_side *c = &t->side[0], *s = &t->side[1];

	s->next_seq = p->tcp.seq + 1;
	s->last_ack = p->tcp.seq + 1;
	c->last_ack = p->tcp.ack;
	c->window = p->tcp.win;
	if ((t->flags & TCP_SEQ_F_SYN_WS) && (p->flags & PKT_F_TCP_WSCALE))
		s->wscale = p->tcp.wscale < WSCALE_MAX ? p->tcp.wscale : WSCALE_MAX;
	else
		c->wscale = s->wscale = 0;
	if ((t->flags & TCP_SEQ_F_SYN_TS) && (p->flags & PKT_F_TCP_TS)) {
		t->flags |= TCP_SEQ_F_TS;
		s->last_ts = p->tcp.ts_val;
	}
	c->next_win = c->last_ack + c->window;
	s->next_win = s->last_ack + s->window;
	t->state = SEQ_ST_HANDSHAKE;
}

/* StreamTcpValidateTimestamp with the default (BSD) policy: a packet with
 * a timestamp older than its side's last, or 0, is refused. */
static bool ts_ok(const struct tcp_seq *t, const struct tcp_seq_side *snd, struct packet *p)
{
	if (!(t->flags & TCP_SEQ_F_TS) || !(p->flags & PKT_F_TCP_TS))
		return true;
	if (p->tcp.ts_val != 0 && (snd->last_ts == 0 || !seq_lt(p->tcp.ts_val, snd->last_ts)))
		return true;
	ev(p, PEV_STREAM_PKT_INVALID_TIMESTAMP);
	return false;
}

/* StreamTcpValidateAck: p's ack of rcv's data may not pass the right edge
 * of the window p's sender gave rcv. */
static bool ack_ok(const struct tcp_seq_side *rcv, struct packet *p)
{
	if (!(p->tcp.flags & TCP_ACK) || seq_leq(p->tcp.ack, rcv->next_win))
		return true;
	ev(p, PEV_STREAM_PKT_INVALID_ACK);
	return false;
}

/* StreamTcpPacketIsRetransmission: data already acked (1) or already sent
 * (2), 0: new data. */
static int retransmission(const struct tcp_seq_side *snd, struct packet *p)
{
	uint32_t end = p->tcp.seq + p->payload_len;

	if (p->payload_len == 0)
		return 0;
	if (seq_leq(end, snd->last_ack) || seq_lt(p->tcp.seq, snd->last_ack)) {
		ev(p, PEV_STREAM_PKT_RETRANSMISSION);
		return 1;
	}
	if (seq_leq(end, snd->next_seq)) {
		ev(p, PEV_STREAM_PKT_RETRANSMISSION);
		return 2;
	}
	return 0;
}

/* The sequence number lies outside what snd may send: before its next
 * byte, or past its window (Suricata's FIN and closing-state seq checks). */
static bool seq_outside(const struct tcp_seq_side *snd, const struct packet *p)
{
	return seq_lt(p->tcp.seq, snd->next_seq) ||
	       seq_gt(p->tcp.seq, snd->last_ack + snd->window);
}

/* An accepted packet from snd: its data and FIN move snd's next sequence
 * number; its window, ack and timestamp update what rcv may send. */
static void accept(struct tcp_seq *t, struct tcp_seq_side *snd, struct tcp_seq_side *rcv,
		   const struct packet *p)
{
	uint32_t end = p->tcp.seq + p->payload_len + ((p->tcp.flags & TCP_FIN) ? 1u : 0u);
	uint32_t edge;

	if (seq_leq(p->tcp.seq, snd->next_seq) && seq_gt(end, snd->next_seq))
		snd->next_seq = end;
	if (p->tcp.flags & TCP_ACK) {
		rcv->window = (uint32_t)p->tcp.win << snd->wscale;
		if (seq_gt(p->tcp.ack, rcv->last_ack))
			rcv->last_ack = p->tcp.ack;
		edge = rcv->last_ack + rcv->window;
		if (seq_gt(edge, rcv->next_win))
			rcv->next_win = edge;
	}
	if ((t->flags & TCP_SEQ_F_TS) && (p->flags & PKT_F_TCP_TS) &&
	    !seq_lt(p->tcp.ts_val, snd->last_ts))
		snd->last_ts = p->tcp.ts_val;
}

/* SYN_RECV: the client's ACK must carry its next sequence number and ack
 * the server's SYN (StreamTcpPacketStateSynRecv, IDS mode). */
static bool handshake_ack(struct tcp_seq *t, struct packet *p, bool from_client)
{
	struct tcp_seq_side *c = &t->side[0], *s = &t->side[1];

	if ((p->tcp.flags & (TCP_SYN | TCP_ACK)) != TCP_ACK || !from_client)
		return false;
	if (!ts_ok(t, c, p))
		return true;
	if ((p->tcp.seq == c->next_seq ||
	     (seq_gt(p->tcp.seq, c->next_seq) && seq_leq(p->tcp.seq, c->next_win))) &&
	    p->tcp.ack == s->next_seq) {
		accept(t, c, s, p);
		t->state = SEQ_ST_EST;
		return false;
	}
	ev(p, p->tcp.seq == c->next_seq ? PEV_STREAM_3WHS_RIGHT_SEQ_WRONG_ACK_EVASION
					 : PEV_STREAM_3WHS_WRONG_SEQ_WRONG_ACK);
	return true;
}

/* SYN or SYN/ACK again on an established session (the wrong-direction
 * ones are flow_tcp.c's). */
static bool est_syn(struct tcp_seq *t, const struct flow *f, struct packet *p, bool from_client)
{
	if ((p->tcp.flags & TCP_ACK) && !from_client) {
		if (p->tcp.ack != t->side[0].last_ack) {
			ev(p, PEV_STREAM_EST_SYNACK_RESEND_WITH_DIFFERENT_ACK);
		} else if (p->tcp.seq != f->isn[1]) {
			ev(p, PEV_STREAM_EST_SYNACK_RESEND_WITH_DIFF_SEQ);
		} else if (t->flags & TCP_SEQ_F_CONFIRMED) {
			ev(p, PEV_STREAM_EST_SYNACK_RESEND);
		} else {
			return false;    /* the client's ACK may have been lost */
		}
		return true;
	}
	if (!(p->tcp.flags & TCP_ACK) && from_client) {
		ev(p, p->tcp.seq != f->isn[0] ? PEV_STREAM_EST_SYN_RESEND_DIFF_SEQ
					      : PEV_STREAM_EST_SYN_RESEND);
		return true;
	}
	return true;
}

/* ESTABLISHED: StreamTcpHandleFin and HandleEstablishedPacketTo{Server,Client}. */
static bool established(struct tcp_seq *t, struct packet *p, bool from_client)
{
	struct tcp_seq_side *snd = &t->side[!from_client], *rcv = &t->side[from_client];
	uint32_t seq = p->tcp.seq, end = seq + p->payload_len;

	if (p->tcp.flags & TCP_FIN) {
		if (!ts_ok(t, snd, p))
			return true;
		if (seq_outside(snd, p)) {
			ev(p, PEV_STREAM_FIN_OUT_OF_WINDOW);
			return true;
		}
		if (!ack_ok(rcv, p)) {
			ev(p, PEV_STREAM_FIN_INVALID_ACK);
			return true;
		}
		accept(t, snd, rcv, p);
		t->state = from_client ? SEQ_ST_CLOSE_WAIT : SEQ_ST_FIN_WAIT1;
		return false;
	}
	if (!(p->tcp.flags & TCP_ACK))
		return false;
	if (!ts_ok(t, snd, p))
		return true;
	if (!ack_ok(rcv, p)) {
		ev(p, PEV_STREAM_EST_INVALID_ACK);
		return true;
	}
	/* data the other side acked already (StreamTcpPacketIsSpuriousRetransmission) */
	if (p->payload_len > 0 && seq_leq(end, snd->last_ack))
		ev(p, PEV_STREAM_PKT_SPURIOUS_RETRANSMISSION);
	/* a keep-alive probes with the byte before the next */
	if (!(p->payload_len <= 1 && seq == snd->next_seq - 1) && seq_lt(end, snd->last_ack) &&
	    seq != snd->next_seq) {
		ev(p, PEV_STREAM_EST_PKT_BEFORE_LAST_ACK);
		return true;
	}
	if (!seq_leq(end, snd->next_win)) {
		ev(p, PEV_STREAM_EST_PACKET_OUT_OF_WINDOW);
		return true;
	}
	if (!from_client)
		t->flags |= TCP_SEQ_F_CONFIRMED;
	accept(t, snd, rcv, p);
	return false;
}

/* The closing states: a FIN or ACK from snd is judged by its sequence
 * number and ack, with Suricata's event of the state. */
struct close_events {
	enum pkt_event fin_seq, ack_seq, invalid_ack;
};

static const struct close_events close_ev[] = {
	[SEQ_ST_CLOSE_WAIT] = { PEV_STREAM_CLOSEWAIT_FIN_OUT_OF_WINDOW,
				PEV_STREAM_CLOSEWAIT_ACK_OUT_OF_WINDOW,
				PEV_STREAM_CLOSEWAIT_INVALID_ACK },
	[SEQ_ST_FIN_WAIT1] = { PEV_STREAM_FIN1_FIN_WRONG_SEQ, PEV_STREAM_FIN1_ACK_WRONG_SEQ,
			       PEV_STREAM_FIN1_INVALID_ACK },
	[SEQ_ST_FIN_WAIT2] = { PEV_STREAM_FIN2_FIN_WRONG_SEQ, PEV_STREAM_FIN2_ACK_WRONG_SEQ,
			       PEV_STREAM_FIN2_INVALID_ACK },
	[SEQ_ST_CLOSING] = { PEV_STREAM_CLOSING_ACK_WRONG_SEQ, PEV_STREAM_CLOSING_ACK_WRONG_SEQ,
			     PEV_STREAM_CLOSING_INVALID_ACK },
	[SEQ_ST_LAST_ACK] = { PEV_STREAM_LASTACK_ACK_WRONG_SEQ, PEV_STREAM_LASTACK_ACK_WRONG_SEQ,
			      PEV_STREAM_LASTACK_INVALID_ACK },
	[SEQ_ST_TIME_WAIT] = { PEV_STREAM_TIMEWAIT_ACK_WRONG_SEQ,
			       PEV_STREAM_TIMEWAIT_ACK_WRONG_SEQ,
			       PEV_STREAM_TIMEWAIT_INVALID_ACK },
};

/* The state a packet accepted in a closing state leads to. */
static uint8_t close_next(const struct tcp_seq *t, const struct packet *p, bool from_client)
{
	bool fin = p->tcp.flags & TCP_FIN;
	bool acks_srv_fin = (p->tcp.flags & TCP_ACK) && p->tcp.ack == t->side[1].next_seq;
	bool acks_cli_fin = (p->tcp.flags & TCP_ACK) && p->tcp.ack == t->side[0].next_seq;

	switch (t->state) {
	case SEQ_ST_CLOSE_WAIT:
		return fin && !from_client ? SEQ_ST_LAST_ACK : t->state;
	case SEQ_ST_FIN_WAIT1:
		if (!from_client)
			return t->state;
		if (fin)
			return acks_srv_fin ? SEQ_ST_TIME_WAIT : SEQ_ST_CLOSING;
		return acks_srv_fin ? SEQ_ST_FIN_WAIT2 : t->state;
	case SEQ_ST_FIN_WAIT2:
		return fin && from_client ? SEQ_ST_TIME_WAIT : t->state;
	case SEQ_ST_CLOSING:
		return !from_client && acks_cli_fin ? SEQ_ST_TIME_WAIT : t->state;
	case SEQ_ST_LAST_ACK:
		return from_client && acks_srv_fin ? SEQ_ST_TIME_WAIT : t->state;
	default:
		return t->state;
	}
}

static bool closing(struct tcp_seq *t, struct packet *p, bool from_client)
{
	struct tcp_seq_side *snd = &t->side[!from_client], *rcv = &t->side[from_client];
	const struct close_events *e = &close_ev[t->state];
	bool fin = p->tcp.flags & TCP_FIN;
	int retrans;

	if (!fin && !(p->tcp.flags & TCP_ACK))
		return false;
	if (!ts_ok(t, snd, p))
		return true;
	retrans = retransmission(snd, p);
	if (t->state == SEQ_ST_CLOSE_WAIT && !fin && p->payload_len > 0 &&
	    seq_leq(p->tcp.seq + p->payload_len, snd->last_ack)) {
		ev(p, PEV_STREAM_CLOSEWAIT_PKT_BEFORE_LAST_ACK);
		return true;
	}
	if (!retrans && (fin ? seq_outside(snd, p)
			     : (t->state == SEQ_ST_CLOSE_WAIT
					? seq_gt(p->tcp.seq, snd->last_ack + snd->window)
					: seq_outside(snd, p)))) {
		ev(p, fin ? e->fin_seq : e->ack_seq);
		return true;
	}
	if (!ack_ok(rcv, p)) {
		ev(p, e->invalid_ack);
		return true;
	}
	accept(t, snd, rcv, p);
	if (!retrans)
		t->state = close_next(t, p, from_client);
	return false;
}

/* StreamTcpValidateRst, its ack part: an RST acking past the window it
 * answers is ignored (the session stays open). Its sequence number is
 * not judged: Suricata ignores a wrong one without an event. */
static bool rst_refused(struct tcp_seq *t, struct packet *p, bool from_client)
{
	if (t->state < SEQ_ST_EST || !(p->tcp.flags & TCP_ACK) || p->tcp.ack == 0)
		return false;
	if (!ts_ok(t, &t->side[!from_client], p))
		return true;
	if (ack_ok(&t->side[from_client], p))
		return false;
	ev(p, PEV_STREAM_RST_INVALID_ACK);
	return true;
}

bool flow_tcp_seq(struct flow *f, struct packet *p, bool from_client)
{
	struct tcp_seq *t = &f->seq;
	uint8_t synack = p->tcp.flags & (TCP_SYN | TCP_ACK);

	if (p->tcp.flags & TCP_RST)
		return rst_refused(t, p, from_client);
	switch (f->tcp_state) {
	case TCP_ST_NONE:
		if (synack == TCP_SYN)
			on_syn(t, p);
		return false;
	case TCP_ST_SYN_SENT:
		/* the SYN's sender is the client by now: a SYN/ACK back */
		if (synack == (TCP_SYN | TCP_ACK) && !from_client && !(f->flags & FLOW_F_MIDSTREAM))
			on_synack(t, p);
		return false;
	default:
		break;
	}
	if (t->state == SEQ_ST_NONE)
		return false;
	if (t->state == SEQ_ST_HANDSHAKE)
		return handshake_ack(t, p, from_client);
	if (p->tcp.flags & TCP_SYN) {
		if (t->state == SEQ_ST_EST)
			return est_syn(t, f, p, from_client);
		ev(p, PEV_STREAM_SHUTDOWN_SYN_RESEND);
		return true;
	}
	if (t->state == SEQ_ST_EST)
		return established(t, p, from_client);
	return closing(t, p, from_client);
}
