/* SPDX-License-Identifier: MIT */
/* The TCP handshakes as Suricata 7's stream engine judges them
 * (stream-tcp.c StreamTcpPacketStateSynSent / SynRecv), with its default
 * settings (stream.max-syn-queued 10, stream.max-synack-queued 5,
 * stream.async-oneside off, IDS mode unless stream.inline):
 *
 *   3-way:  SYN (client) -> SYN/ACK (server) -> ACK (client)
 *   4-way:  SYN (client) -> SYN (server) -> SYN/ACK (client) -> ACK (server)
 *   TFO:    SYN with the Fast Open option may carry data; the SYN/ACK acks
 *           it, or only the SYN (the data was ignored: the client sends it
 *           again)
 *   async:  SYN (client) -> ACK (client), only with stream.async-oneside
 *
 * A SYN sent again with other options, or a SYN/ACK sent again with
 * another ISN, is held as Suricata holds it (its queue); past the limit
 * the packet raises 3whs_syn_flood / 3whs_synack_flood. The queue here
 * keeps its length and its last entry only (struct tcp_seq: no memory per
 * flow beyond that), so an entry equal to an older one than the last is
 * counted again, and the final ACK can follow the last SYN/ACK held. */
#include "flow-tcp-int.h"

#define MAX_SYN_QUEUED    10u   /* stream.max-syn-queued default */
#define MAX_SYNACK_QUEUED 5u    /* stream.max-synack-queued default */

void tcp_hs_syn(struct tcp_seq *t, const struct packet *p)
{
	*t = (struct tcp_seq){ .state = SEQ_ST_NONE };
	t->side[0].next_seq = p->tcp.seq + 1;
	/* windows of SYN and SYN/ACK are never scaled (RFC 7323 2.2) */
	t->side[1].window = p->tcp.win;
	if (p->flags & PKT_F_TCP_WSCALE) {
		t->flags |= TCP_SEQ_F_SYN_WS;
		t->side[0].wscale = wscale_of(p);
	}
	if (p->flags & PKT_F_TCP_TS) {
		t->flags |= TCP_SEQ_F_SYN_TS;
		t->side[0].last_ts = p->tcp.ts_val;
	}
	if (p->flags & PKT_F_TCP_SACKOK)
		t->flags |= TCP_SEQ_F_SYN_SACK;
	/* RFC 7413: the data of a Fast Open SYN follows its sequence number */
	if (p->flags & PKT_F_TCP_TFO) {
		t->flags |= TCP_SEQ_F_TFO;
		t->side[0].next_seq += p->payload_len;
	}
}

/* The client's SYN again in SYN_SENT: one with other options than the
 * session holds replaces them, the old ones go to the queue (a SYN with
 * the same timestamp as the one held is not added again). Raises
 * 3whs_syn_flood when the queue is full; the packet is taken all the same
 * (Suricata goes on after a failed store). */
static void syn_again(struct tcp_seq *t, struct packet *p)
{
	uint16_t opt = TCP_SEQ_F_SYN_TS | TCP_SEQ_F_SYN_WS | TCP_SEQ_F_SYN_SACK;
	uint16_t now = (uint16_t)(((p->flags & PKT_F_TCP_TS) ? TCP_SEQ_F_SYN_TS : 0) |
				  ((p->flags & PKT_F_TCP_WSCALE) ? TCP_SEQ_F_SYN_WS : 0) |
				  ((p->flags & PKT_F_TCP_SACKOK) ? TCP_SEQ_F_SYN_SACK : 0));
	struct tcp_seq_side *c = &t->side[0];
	uint32_t held_ts = (t->flags & TCP_SEQ_F_SYN_TS) ? c->last_ts : 0;

	if ((t->flags & opt) == now && t->side[1].window == p->tcp.win &&
	    (!(now & TCP_SEQ_F_SYN_WS) || c->wscale == wscale_of(p)) &&
	    (!(now & TCP_SEQ_F_SYN_TS) || c->last_ts == p->tcp.ts_val))
		return;     /* a plain retransmission */
	if (t->qlen == 0 || t->qlast != held_ts) {
		if (t->qlen >= MAX_SYN_QUEUED) {
			ev(p, PEV_STREAM_3WHS_SYN_FLOOD);
		} else {
			t->qlen++;
			t->qlast = held_ts;
		}
	}
	t->flags = (uint16_t)((t->flags & ~opt) | now);
	t->side[1].window = p->tcp.win;
	c->wscale = (now & TCP_SEQ_F_SYN_WS) ? wscale_of(p) : 0;
	c->last_ts = (now & TCP_SEQ_F_SYN_TS) ? p->tcp.ts_val : 0;
}

/* The server's SYN/ACK (its ack checked): both sides known, the queue of
 * SYNs dropped. */
static void on_synack(struct tcp_seq *t, const struct packet *p)
{
	struct tcp_seq_side *c = &t->side[0], *s = &t->side[1];

	s->next_seq = p->tcp.seq + 1;
	s->last_ack = p->tcp.seq + 1;
	c->last_ack = p->tcp.ack;
	c->window = p->tcp.win;
	if ((t->flags & TCP_SEQ_F_SYN_WS) && (p->flags & PKT_F_TCP_WSCALE))
		s->wscale = wscale_of(p);
	else
		c->wscale = s->wscale = 0;
	if ((t->flags & TCP_SEQ_F_SYN_TS) && (p->flags & PKT_F_TCP_TS)) {
		t->flags |= TCP_SEQ_F_TS;
		s->last_ts = p->tcp.ts_val;
	}
	c->next_win = c->last_ack + c->window;
	s->next_win = s->last_ack + s->window;
	t->flags &= (uint16_t)~TCP_SEQ_F_4WHS;
	t->qlen = 0;
	t->state = SEQ_ST_HANDSHAKE;
}

/* SYN_SENT, the server's SYN/ACK: it acks the SYN (Fast Open: the SYN and
 * its data, or the SYN only: the data was ignored). */
static bool synack(struct flow *f, struct tcp_seq *t, struct packet *p)
{
	uint32_t ack = p->tcp.ack;

	if ((t->flags & TCP_SEQ_F_TFO) || (p->flags & PKT_F_TCP_TFO)) {
		if (ack == f->isn[0] + 1 && ack != t->side[0].next_seq) {
			ev(p, PEV_STREAM_3WHS_SYNACK_TFO_DATA_IGNORED);
			t->side[0].next_seq = ack;
		} else if (ack != t->side[0].next_seq) {
			ev(p, PEV_STREAM_3WHS_SYNACK_WITH_WRONG_ACK);
			return true;
		}
	} else if (ack != f->isn[0] + 1) {
		ev(p, PEV_STREAM_3WHS_SYNACK_WITH_WRONG_ACK);
		return true;
	}
	on_synack(t, p);
	return false;
}

/* SYN_SENT, a SYN from the server: the 4-way handshake's second SYN. */
static void server_syn(struct tcp_seq *t, const struct packet *p)
{
	struct tcp_seq_side *c = &t->side[0], *s = &t->side[1];

	t->flags |= TCP_SEQ_F_4WHS;
	t->flags &= (uint16_t)~(TCP_SEQ_F_SRV_TS | TCP_SEQ_F_SRV_WS);
	s->next_seq = p->tcp.seq + 1;
	c->window = p->tcp.win;
	s->last_ts = 0;
	s->wscale = 0;
	if (p->flags & PKT_F_TCP_TS) {
		t->flags |= TCP_SEQ_F_SRV_TS;
		s->last_ts = p->tcp.ts_val;
	}
	if (p->flags & PKT_F_TCP_WSCALE) {
		t->flags |= TCP_SEQ_F_SRV_WS;
		s->wscale = wscale_of(p);
	}
}

/* SYN_SENT on a 4-way handshake, the client's SYN/ACK: it acks the
 * server's SYN and carries the client's first SYN's sequence number. */
static bool synack_4whs(struct flow *f, struct tcp_seq *t, struct packet *p)
{
	struct tcp_seq_side *c = &t->side[0], *s = &t->side[1];

	if (p->tcp.ack != s->next_seq) {
		ev(p, PEV_STREAM_4WHS_SYNACK_WITH_WRONG_ACK);
		return true;
	}
	if (p->tcp.seq != f->isn[0]) {
		ev(p, PEV_STREAM_4WHS_SYNACK_WITH_WRONG_SYN);
		return true;
	}
	c->last_ack = c->next_seq;
	s->last_ack = p->tcp.ack;
	s->window = p->tcp.win;
	if (!(t->flags & TCP_SEQ_F_SRV_WS) || !(p->flags & PKT_F_TCP_WSCALE))
		c->wscale = s->wscale = 0;
	if ((t->flags & TCP_SEQ_F_SRV_TS) && (p->flags & PKT_F_TCP_TS)) {
		t->flags |= TCP_SEQ_F_TS;
		c->last_ts = p->tcp.ts_val;
	}
	c->next_win = c->last_ack + c->window;
	s->next_win = s->last_ack + s->window;
	t->qlen = 0;
	t->state = SEQ_ST_HANDSHAKE;
	return false;
}

bool tcp_hs_syn_sent(struct flow *f, struct packet *p, bool from_client,
		     const struct flow_tcp_opts *o)
{
	struct tcp_seq *t = &f->seq;
	uint8_t synack_fl = p->tcp.flags & (TCP_SYN | TCP_ACK);

	if (synack_fl == (TCP_SYN | TCP_ACK))
		return from_client ? synack_4whs(f, t, p) : synack(f, t, p);
	if (p->tcp.flags & (TCP_RST | TCP_FIN))
		return false;
	if (synack_fl == TCP_SYN) {
		if (from_client)
			syn_again(t, p);
		else
			server_syn(t, p);
		return false;
	}
	if (synack_fl != TCP_ACK || !from_client || !o->async_oneside)
		return false;
	/* one side seen: the client's next sequence number, or refused */
	if (p->tcp.seq != t->side[0].next_seq) {
		ev(p, PEV_STREAM_3WHS_ASYNC_WRONG_SEQ);
		return true;
	}
	/* Suricata relaxes its checks on such a session; it is not tracked further */
	t->state = SEQ_ST_NONE;
	return false;
}

/* SYN_RECV, a SYN/ACK from the server again: it must ack the same; one
 * with another ISN is held (3whs_synack_flood past the limit). */
static bool synack_again(struct flow *f, struct tcp_seq *t, struct packet *p)
{
	if (p->tcp.ack != t->side[0].last_ack) {
		ev(p, PEV_STREAM_3WHS_SYNACK_RESEND_WITH_DIFFERENT_ACK);
		return true;
	}
	if (p->tcp.seq == f->isn[1] || (t->qlen > 0 && t->qlast == p->tcp.seq))
		return false;
	if (t->qlen >= MAX_SYNACK_QUEUED) {
		ev(p, PEV_STREAM_3WHS_SYNACK_FLOOD);
		return true;
	}
	t->qlen++;
	t->qlast = p->tcp.seq;
	return false;
}

/* SYN_RECV on a 4-way handshake: the server's ACK completes it. */
static bool ack_4whs(struct tcp_seq *t, struct packet *p)
{
	struct tcp_seq_side *c = &t->side[0], *s = &t->side[1];

	if (!tcp_seq_ts_ok(t, s, p))
		return true;
	if (p->tcp.seq != s->next_seq) {
		ev(p, PEV_STREAM_4WHS_WRONG_SEQ);
		return true;
	}
	if (!tcp_seq_ack_ok(c, p)) {
		ev(p, PEV_STREAM_4WHS_INVALID_ACK);
		return true;
	}
	tcp_seq_accept(t, s, c, p);
	t->state = SEQ_ST_EST;
	return false;
}

/* SYN_RECV, the client's ACK: it must carry its next sequence number and
 * ack the server's SYN (or a SYN/ACK held, which then stands for it). */
static bool ack_3whs(struct flow *f, struct tcp_seq *t, struct packet *p)
{
	struct tcp_seq_side *c = &t->side[0], *s = &t->side[1];

	if (t->qlen > 0 && p->tcp.ack - 1 == t->qlast && p->tcp.seq == c->last_ack) {
		f->isn[1] = t->qlast;
		s->next_seq = s->last_ack = t->qlast + 1;
		s->next_win = s->last_ack + s->window;
		t->qlen = 0;
	}
	if (!tcp_seq_ts_ok(t, c, p))
		return true;
	if ((p->tcp.seq == c->next_seq ||
	     (seq_gt(p->tcp.seq, c->next_seq) && seq_leq(p->tcp.seq, c->next_win))) &&
	    p->tcp.ack == s->next_seq) {
		tcp_seq_accept(t, c, s, p);
		t->state = SEQ_ST_EST;
		return false;
	}
	ev(p, p->tcp.seq == c->next_seq ? PEV_STREAM_3WHS_RIGHT_SEQ_WRONG_ACK_EVASION
					 : PEV_STREAM_3WHS_WRONG_SEQ_WRONG_ACK);
	return true;
}

bool tcp_hs_syn_recv(struct flow *f, struct packet *p, bool from_client,
		     const struct flow_tcp_opts *o)
{
	struct tcp_seq *t = &f->seq;
	uint8_t synack_fl = p->tcp.flags & (TCP_SYN | TCP_ACK);

	if (synack_fl == (TCP_SYN | TCP_ACK))
		return !from_client && synack_again(f, t, p);
	if (synack_fl == TCP_SYN) {
		if (from_client && p->tcp.seq != f->isn[0]) {
			ev(p, PEV_STREAM_3WHS_SYN_RESEND_DIFF_SEQ_ON_SYN_RECV);
			return true;
		}
		return false;
	}
	if (synack_fl != TCP_ACK)
		return false;
	if (t->flags & TCP_SEQ_F_4WHS)
		return !from_client && ack_4whs(t, p);
	if (from_client)
		return ack_3whs(f, t, p);
	/* the server's ACK before the client's: IPS sees every packet, so this
	 * is refused there (data fitting the server's next byte: an injection) */
	if (!o->inline_mode || (t->flags & TCP_SEQ_F_TFO))
		return false;
	ev(p, p->payload_len > 0 && p->tcp.ack == t->side[0].last_ack &&
			      p->tcp.seq == t->side[1].next_seq
		      ? PEV_STREAM_3WHS_ACK_DATA_INJECT
		      : PEV_STREAM_3WHS_ACK_IN_WRONG_DIR);
	return true;
}
