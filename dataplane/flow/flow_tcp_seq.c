/* SPDX-License-Identifier: MIT */
/* TCP sequence tracking for Suricata 7's stream events (stream-tcp.c):
 * per side the next sequence number, the last ack, the window and its
 * right edge, the last timestamp; and Suricata's own session states past
 * the handshake, named from the server's side:
 *
 *   EST --FIN (client)--> CLOSE_WAIT --FIN (server)--> LAST_ACK --ACK (client)--> CLOSED
 *   EST --FIN (server)--> FIN_WAIT1 --ACK of it--> FIN_WAIT2 --FIN (client)--> TIME_WAIT
 *                         FIN_WAIT1 --FIN with ACK (either side)--> TIME_WAIT
 *                         FIN_WAIT1 --FIN without ACK--> CLOSING --ACK--> TIME_WAIT
 *   TIME_WAIT --ACK (either side)--> CLOSED        any session --RST--> CLOSED
 *
 * In CLOSED nothing is judged, reassembled or raised (StreamTcpPacketStateClosed),
 * but for the sender of an RST with MD5/AO going on (flow_tcp.c's rst_ignored
 * gives the session its state before the RST back).
 *
 * Only sessions seen from their SYN are tracked (a midstream pickup knows
 * no side's numbers); the handshakes are flow_tcp_hs.c's. A packet
 * Suricata refuses raises its event and leaves the state as it was.
 * O(1) per packet. */
#include "flow-tcp-int.h"

/* StreamTcpValidateTimestamp with the default (BSD) policy: a packet with
 * a timestamp older than its side's last, or 0, is refused. */
bool tcp_seq_ts_ok(const struct tcp_seq *t, const struct tcp_seq_side *snd, struct packet *p)
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
bool tcp_seq_ack_ok(const struct tcp_seq_side *rcv, struct packet *p)
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

/* A FIN's sequence number outside what snd may send in a closing state.
 * idsd's next_seq counts a FIN sent; Suricata 7's counts the server's FIN
 * only (StreamTcpHandleFin), and its FIN_WAIT1 compares with next_seq - 1:
 * there a FIN sent again (its ack unseen) is taken, as the FIN that moved
 * the state was. In CLOSE_WAIT the client's FIN is judged against its own
 * sequence number until an ack of it moves Suricata's next_seq past it
 * (the "missed the client packet" update of the server's packets): sent
 * again before that ack it raises nothing, after it
 * closewait_fin_out_of_window. */
static bool fin_outside(const struct tcp_seq *t, const struct tcp_seq_side *snd,
			const struct packet *p, bool from_client)
{
	uint32_t floor = snd->next_seq;

	if (t->state == SEQ_ST_FIN_WAIT1)
		floor = snd->next_seq - 1;
	else if (t->state == SEQ_ST_CLOSE_WAIT && from_client)
		floor = seq_gt(snd->last_ack, snd->next_seq - 1) ? snd->last_ack : snd->next_seq - 1;
	return seq_lt(p->tcp.seq, floor) || seq_gt(p->tcp.seq, snd->last_ack + snd->window);
}

/* An accepted packet from snd: its data and FIN move snd's next sequence
 * number; its window, ack and timestamp update what rcv may send. */
void tcp_seq_accept(struct tcp_seq *t, struct tcp_seq_side *snd, struct tcp_seq_side *rcv,
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

/* ESTABLISHED: StreamTcpHandleFin and HandleEstablishedPacketTo{Server,Client}.
 * A FIN's ack is checked first (fin_invalid_ack), then its segment against
 * what the receiver acked and allows (Suricata 7 since its "improve FIN
 * checking", 39a6f411: from the last ack to the window's right edge; data
 * sent again with the FIN is in), then a SYN beside it from the client. */
static bool established(struct tcp_seq *t, struct packet *p, bool from_client)
{
	struct tcp_seq_side *snd = &t->side[!from_client], *rcv = &t->side[from_client];
	uint32_t seq = p->tcp.seq, end = seq + p->payload_len;

	if (p->tcp.flags & TCP_FIN) {
		if (!tcp_seq_ts_ok(t, snd, p))
			return true;
		if (!tcp_seq_ack_ok(rcv, p)) {
			ev(p, PEV_STREAM_FIN_INVALID_ACK);
			return true;
		}
		if (seq_lt(seq, snd->last_ack) || seq_gt(end, snd->next_win)) {
			ev(p, PEV_STREAM_FIN_OUT_OF_WINDOW);
			return true;
		}
		if (from_client && (p->tcp.flags & TCP_SYN)) {
			ev(p, PEV_STREAM_FIN_SYN);
			return true;
		}
		/* "if we accept the FIN, next_seq needs to reflect the FIN",
		 * wherever it was (idsd counts the FIN on both sides) */
		snd->next_seq = end + 1;
		tcp_seq_accept(t, snd, rcv, p);
		t->state = from_client ? SEQ_ST_CLOSE_WAIT : SEQ_ST_FIN_WAIT1;
		return false;
	}
	if (!(p->tcp.flags & TCP_ACK))
		return false;
	if (!tcp_seq_ts_ok(t, snd, p))
		return true;
	if (!tcp_seq_ack_ok(rcv, p)) {
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
	/* HandleEstablishedPacketTo*: the next sequence number moves to the
	 * end of any segment reaching it, past a hole too (data lost before
	 * the capture point) */
	if (!seq_lt(end, snd->next_seq))
		snd->next_seq = end;
	tcp_seq_accept(t, snd, rcv, p);
	return false;
}

/* The closing states' events for a FIN or ACK from snd refused for its
 * sequence number or its ack. */
struct close_events {
	enum pkt_event fin_seq, ack_seq, invalid_ack;
};

static const struct close_events close_ev[] = {
	[SEQ_ST_CLOSE_WAIT] = { PEV_STREAM_CLOSEWAIT_FIN_OUT_OF_WINDOW,
				PEV_STREAM_CLOSEWAIT_ACK_OUT_OF_WINDOW,
				PEV_STREAM_CLOSEWAIT_INVALID_ACK },
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

/* The state a packet accepted in CLOSE_WAIT, FIN_WAIT2 or CLOSING leads to. */
static uint8_t close_next(const struct tcp_seq *t, const struct packet *p, bool from_client)
{
	bool fin = p->tcp.flags & TCP_FIN;
	bool acks_cli_fin = (p->tcp.flags & TCP_ACK) && p->tcp.ack == t->side[0].next_seq;

	switch (t->state) {
	case SEQ_ST_CLOSE_WAIT:
		return fin && !from_client ? SEQ_ST_LAST_ACK : t->state;
	case SEQ_ST_FIN_WAIT2:
		return fin && from_client ? SEQ_ST_TIME_WAIT : t->state;
	case SEQ_ST_CLOSING:
		return !from_client && acks_cli_fin ? SEQ_ST_TIME_WAIT : t->state;
	default:
		return t->state;
	}
}

/* FIN_WAIT1, the server's FIN sent: StreamTcpPacketStateFinWait1.
 * - A FIN from either side, not a retransmission, moves to TIME_WAIT when
 *   it carries an ACK, whatever that acks (a client's FIN crossing the
 *   server's, or the server's FIN again acking new data), to CLOSING
 *   without one. The server's FIN again with the ack it gave before is a
 *   retransmission (no event, no move). Its sequence number may be one
 *   below the sender's next (fin_outside).
 * - An ACK's ack is checked first. The client's acking the server's FIN
 *   exactly is judged by its segment's end against the window
 *   (fin1_ack_wrong_seq), and moves to FIN_WAIT2 from the client's next
 *   sequence number; one acking less is taken as it is. The server's own
 *   ACK is judged alike, and moves to FIN_WAIT2 from its FIN's sequence
 *   number, as Suricata's does. */
static bool fin_wait1(struct tcp_seq *t, struct packet *p, bool from_client)
{
	struct tcp_seq_side *snd = &t->side[!from_client], *rcv = &t->side[from_client];
	const bool fin = p->tcp.flags & TCP_FIN, ack = p->tcp.flags & TCP_ACK;
	uint8_t next = t->state;
	int retrans;

	if (!fin && !ack)
		return false;
	if (!tcp_seq_ts_ok(t, snd, p))
		return true;
	retrans = retransmission(snd, p);
	if (fin) {
		if (!retrans && !from_client && ack && p->tcp.seq == snd->next_seq - 1 &&
		    p->tcp.ack == rcv->last_ack)
			retrans = 1;
		if (!retrans && fin_outside(t, snd, p, from_client)) {
			ev(p, PEV_STREAM_FIN1_FIN_WRONG_SEQ);
			return true;
		}
		if (!tcp_seq_ack_ok(rcv, p)) {
			ev(p, PEV_STREAM_FIN1_INVALID_ACK);
			return true;
		}
		if (!retrans)
			next = ack ? SEQ_ST_TIME_WAIT : SEQ_ST_CLOSING;
	} else {
		const uint32_t end = p->tcp.seq + p->payload_len;
		/* the client's ack of the server's FIN, or any ACK of the server */
		const bool judged = !retrans && (!from_client || p->tcp.ack == rcv->next_seq);

		if (!tcp_seq_ack_ok(rcv, p)) {
			ev(p, PEV_STREAM_FIN1_INVALID_ACK);
			return true;
		}
		if (judged && seq_gt(end, snd->next_win)) {
			ev(p, PEV_STREAM_FIN1_ACK_WRONG_SEQ);
			return true;
		}
		if (judged && p->tcp.seq == snd->next_seq - (from_client ? 0u : 1u))
			next = SEQ_ST_FIN_WAIT2;
	}
	tcp_seq_accept(t, snd, rcv, p);
	t->state = next;
	return false;
}

/* CLOSE_WAIT, FIN_WAIT2 and CLOSING: a FIN or an ACK from snd is judged by
 * its sequence number and ack. */
static bool closing(struct tcp_seq *t, struct packet *p, bool from_client)
{
	struct tcp_seq_side *snd = &t->side[!from_client], *rcv = &t->side[from_client];
	const struct close_events *e = &close_ev[t->state];
	bool fin = p->tcp.flags & TCP_FIN;
	int retrans;

	if (!fin && !(p->tcp.flags & TCP_ACK))
		return false;
	if (!tcp_seq_ts_ok(t, snd, p))
		return true;
	retrans = retransmission(snd, p);
	if (t->state == SEQ_ST_CLOSE_WAIT && !fin && p->payload_len > 0 &&
	    seq_leq(p->tcp.seq + p->payload_len, snd->last_ack)) {
		ev(p, PEV_STREAM_CLOSEWAIT_PKT_BEFORE_LAST_ACK);
		return true;
	}
	if (!retrans && (fin ? fin_outside(t, snd, p, from_client)
			     : (t->state == SEQ_ST_CLOSE_WAIT
					? seq_gt(p->tcp.seq, snd->last_ack + snd->window)
					: seq_outside(snd, p)))) {
		ev(p, fin ? e->fin_seq : e->ack_seq);
		return true;
	}
	if (!tcp_seq_ack_ok(rcv, p)) {
		ev(p, e->invalid_ack);
		return true;
	}
	tcp_seq_accept(t, snd, rcv, p);
	if (!retrans)
		t->state = close_next(t, p, from_client);
	return false;
}

/* Suricata's next sequence number of snd in LAST_ACK and TIME_WAIT: it
 * does not count the client's FIN (StreamTcpHandleFin, FIN_WAIT1 and 2),
 * idsd's counts every FIN taken; and the closing states move it to the
 * other side's ack when that acks more ("in case we have missed the
 * client packet": data lost before the capture point). */
static uint32_t final_next(const struct flow *f, const struct tcp_seq_side *snd, bool from_client)
{
	uint32_t next = snd->next_seq;

	if (from_client && (f->flags & FLOW_F_FIN_TOSERVER))
		next--;
	return seq_gt(snd->last_ack, next) ? snd->last_ack : next;
}

/* LAST_ACK and TIME_WAIT (StreamTcpPacketStateLastAck, ...TimeWait): only
 * an ACK is judged, its sequence number against the sender's next one
 * exactly; the one taken, not a retransmission, closes the session
 * (CLOSED). The rest passes unjudged and stays out of the stream: a FIN
 * ("\todo": one sent again by a peer that missed the ack of its FIN,
 * common on real traffic), a packet with neither ACK nor FIN, and in
 * LAST_ACK every packet of the server's.
 * - LAST_ACK, the client's ACK: the ack is checked first; a sequence
 *   number before the next is taken without closing ("not updating state
 *   as packet is before next_seq"), one neither next nor next + 1 is the
 *   wrong seq.
 * - TIME_WAIT: the client's next or next + 1, the server's next - 1 or
 *   next (its FIN counted), then the ack; the server's data starting at
 *   what the client acked passes unjudged. */
static bool final_ack(struct flow *f, struct packet *p, bool from_client)
{
	struct tcp_seq *t = &f->seq;
	struct tcp_seq_side *snd = &t->side[!from_client], *rcv = &t->side[from_client];
	const struct close_events *e = &close_ev[t->state];
	const uint32_t next = final_next(f, snd, from_client), seq = p->tcp.seq;
	bool before = false;
	int retrans;

	if ((p->tcp.flags & (TCP_FIN | TCP_ACK)) != TCP_ACK)
		return true;
	if (!tcp_seq_ts_ok(t, snd, p))
		return true;
	if (t->state == SEQ_ST_LAST_ACK && !from_client)
		return true;
	retrans = retransmission(snd, p);
	if (t->state == SEQ_ST_LAST_ACK) {
		if (!tcp_seq_ack_ok(rcv, p)) {
			ev(p, e->invalid_ack);
			return true;
		}
		before = seq_lt(seq, next);
		if (!retrans && !before && seq != next && seq != next + 1) {
			ev(p, e->ack_seq);
			return true;
		}
	} else {
		if (!retrans && (from_client ? seq != next && seq != next + 1
					     : seq != next - 1 && seq != next)) {
			if (!from_client && p->payload_len > 0 && seq == snd->last_ack)
				return true;
			ev(p, e->ack_seq);
			return true;
		}
		if (!tcp_seq_ack_ok(rcv, p)) {
			ev(p, e->invalid_ack);
			return true;
		}
	}
	tcp_seq_accept(t, snd, rcv, p);
	if (!retrans && !before)
		t->state = SEQ_ST_CLOSED;
	return false;
}

/* StreamTcpValidateRst with the default (BSD) policy: the timestamp, an
 * ack past the window the RST answers (rst_invalid_ack), then the sequence
 * number: exactly the sender's next one, or the RST is ignored without an
 * event (the session stays open). In SYN_SENT only the server's answer to
 * the SYN is taken (sequence number 0, as stacks send it, or its own next
 * on a 4-way handshake); the client's RST there closes nothing. An
 * accepted RST carrying MD5 or AO cannot be verified: its receiver is
 * marked, so that its sender going on shows an injection (flow_tcp.c). */
static bool rst_refused(struct flow *f, struct packet *p, bool from_client)
{
	struct tcp_seq *t = &f->seq;
	struct tcp_seq_side *snd = &t->side[!from_client];
	uint32_t want = snd->next_seq;

	if (f->tcp_state == TCP_ST_SYN_SENT) {
		if (from_client)
			return true;
		if (!(t->flags & TCP_SEQ_F_4WHS))
			want = 0;
	} else {
		if (t->state < SEQ_ST_HANDSHAKE)
			return false;
		if (!tcp_seq_ts_ok(t, snd, p))
			return true;
		if ((p->tcp.flags & TCP_ACK) && p->tcp.ack != 0 &&
		    !tcp_seq_ack_ok(&t->side[from_client], p)) {
			ev(p, PEV_STREAM_RST_INVALID_ACK);
			return true;
		}
	}
	if (p->tcp.seq != want)
		return true;
	if (p->flags & PKT_F_TCP_AUTH)
		t->flags |= from_client ? TCP_SEQ_F_RST_S : TCP_SEQ_F_RST_C;
	return false;
}

/* StreamTcpPacketIsBadWindowUpdate: past the handshake, a packet from snd
 * beyond its next byte, acking data rcv has not sent, that shrinks the
 * window it gives rcv by more than its own data and more than its ack
 * moved (32 bytes of slack above a 1 KiB window). Ignored with its event
 * (a FIN shutdown's last ACK is not judged). */
static bool bad_window_update(const struct tcp_seq *t, struct packet *p, bool from_client)
{
	const struct tcp_seq_side *snd = &t->side[!from_client], *rcv = &t->side[from_client];
	uint32_t win, diff, adiff;

	if (p->tcp.flags & (TCP_SYN | TCP_FIN | TCP_RST))
		return false;
	if ((t->state == SEQ_ST_TIME_WAIT || t->state == SEQ_ST_CLOSE_WAIT ||
	     t->state == SEQ_ST_LAST_ACK) && p->tcp.flags == TCP_ACK && p->payload_len == 0 &&
	    p->tcp.seq == snd->next_seq + 1 && p->tcp.ack == rcv->next_seq + 1)
		return false;
	win = (uint32_t)p->tcp.win << snd->wscale;
	if (win >= rcv->window)
		return false;
	diff = rcv->window - win;
	if (diff <= p->payload_len || !seq_gt(p->tcp.ack, rcv->next_seq) ||
	    !seq_gt(p->tcp.seq, snd->next_seq))
		return false;
	adiff = p->tcp.ack - rcv->last_ack;
	if (win > 1024 ? diff <= adiff + 32 : diff <= adiff)
		return false;
	ev(p, PEV_STREAM_PKT_BAD_WINDOW_UPDATE);
	return true;
}

bool flow_tcp_seq(struct flow *f, struct packet *p, bool from_client,
		  const struct flow_tcp_opts *o)
{
	struct tcp_seq *t = &f->seq;
	uint8_t fl = p->tcp.flags;

	if (f->tcp_state == TCP_ST_NONE) {
		if ((fl & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN)
			tcp_hs_syn(t, p);
		return false;
	}
	/* StreamTcpPacketStateClosed: an RST or anything else passes unjudged
	 * and stays out of the stream */
	if (t->state == SEQ_ST_CLOSED)
		return true;
	if (fl & TCP_RST) {
		if (rst_refused(f, p, from_client))
			return true;
		/* StreamTcpCloseSsnWithReset, midstream pickups too */
		t->pstate = t->state;
		t->state = SEQ_ST_CLOSED;
		return false;
	}
	if (f->tcp_state == TCP_ST_SYN_SENT)
		return tcp_hs_syn_sent(f, p, from_client, o);
	if (t->state == SEQ_ST_NONE)
		return false;
	if (t->state == SEQ_ST_HANDSHAKE)
		return tcp_hs_syn_recv(f, p, from_client, o);
	if (bad_window_update(t, p, from_client))
		return true;
	/* FIN comes before SYN in Suricata's checks of these states */
	if ((fl & (TCP_SYN | TCP_FIN)) == TCP_SYN) {
		if (t->state == SEQ_ST_EST)
			return est_syn(t, f, p, from_client);
		ev(p, PEV_STREAM_SHUTDOWN_SYN_RESEND);
		return true;
	}
	if (t->state == SEQ_ST_EST)
		return established(t, p, from_client);
	if (t->state == SEQ_ST_FIN_WAIT1)
		return fin_wait1(t, p, from_client);
	if (t->state == SEQ_ST_LAST_ACK || t->state == SEQ_ST_TIME_WAIT)
		return final_ack(f, p, from_client);
	return closing(t, p, from_client);
}
