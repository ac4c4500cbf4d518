/* SPDX-License-Identifier: MIT */
/* Internals of the TCP session tracker shared by flow_tcp_seq.c (the
 * session once established, RSTs) and flow_tcp_hs.c (the handshakes). */
#ifndef IDS_FLOW_TCP_INT_H
#define IDS_FLOW_TCP_INT_H

#include "flow-int.h"

#include "../../common/events.h"

#define WSCALE_MAX 14u           /* RFC 7323 2.3 */

static inline bool seq_lt(uint32_t a, uint32_t b)  { return (int32_t)(a - b) < 0; }
static inline bool seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool seq_gt(uint32_t a, uint32_t b)  { return (int32_t)(a - b) > 0; }

static inline void ev(struct packet *p, enum pkt_event e)
{
	pkt_event_set(&p->events, e);
}

static inline uint8_t wscale_of(const struct packet *p)
{
	return p->tcp.wscale < WSCALE_MAX ? p->tcp.wscale : WSCALE_MAX;
}

/* flow_tcp_seq.c: StreamTcpValidateTimestamp (BSD policy: older or 0 is
 * refused, pkt_invalid_timestamp); StreamTcpValidateAck (an ack past the
 * right edge of rcv's window: pkt_invalid_ack); an accepted packet from
 * snd moving both sides. */
bool tcp_seq_ts_ok(const struct tcp_seq *t, const struct tcp_seq_side *snd, struct packet *p);
bool tcp_seq_ack_ok(const struct tcp_seq_side *rcv, struct packet *p);
void tcp_seq_accept(struct tcp_seq *t, struct tcp_seq_side *snd, struct tcp_seq_side *rcv,
		    const struct packet *p);

/* flow_tcp_hs.c: p on a session in SYN_SENT (the client's SYN seen) or
 * in the handshake (SEQ_ST_HANDSHAKE). true: refused. */
bool tcp_hs_syn_sent(struct flow *f, struct packet *p, bool from_client,
		     const struct flow_tcp_opts *o);
bool tcp_hs_syn_recv(struct flow *f, struct packet *p, bool from_client,
		     const struct flow_tcp_opts *o);
/* The client's SYN opens the tracking (NONE). */
void tcp_hs_syn(struct tcp_seq *t, const struct packet *p);

#endif
