/* SPDX-License-Identifier: MIT */
/* A flow: both directions of a 5-tuple (plus VLAN), owned by one worker's table. */
#ifndef IDS_FLOW_T_H
#define IDS_FLOW_T_H

#include <stdint.h>

#include "../../common/ip_addr-t.h"
#include "../detect/detect_flow-t.h"

/* Addresses and ports ordered so that both directions give the same key. */
struct flow_key {
	union ip_addr addr[2];   /* addr[0] <= addr[1] (memcmp) */
	uint16_t port[2];        /* port[i] belongs to addr[i] */
	uint16_t vlan : 12;      /* outer VLAN id, 0 if none */
	uint16_t depth : 4;      /* (added) tunnels around the packets (FLOW_DEPTH_MAX
				  * at most): a flow inside a tunnel is its own,
				  * keyed as Suricata's by recursion level, not by
				  * the tunnel's endpoints */
	uint8_t proto;
	uint8_t ip_ver;
};

#define FLOW_DEPTH_MAX 15

enum tcp_state {
	TCP_ST_NONE = 0,
	TCP_ST_SYN_SENT,
	TCP_ST_SYN_RECV,
	TCP_ST_ESTABLISHED,
	TCP_ST_CLOSING,          /* a FIN seen */
	TCP_ST_CLOSED,           /* RST, or FIN both ways */
};

/* Why a flow left the table (flow->end_reason), as Suricata's EVE flow
 * "reason" names it. */
enum flow_end {
	FLOW_END_TIMEOUT = 0,    /* idle past its timeout */
	FLOW_END_FORCED,         /* evicted (table full) or its TCP port pair reused */
	FLOW_END_SHUTDOWN,       /* end of input, exit */
};

/* flow->flags */
#define FLOW_F_TOSERVER_SEEN 0x0001u
#define FLOW_F_TOCLIENT_SEEN 0x0002u
#define FLOW_F_MIDSTREAM     0x0004u /* picked up without the handshake */
#define FLOW_F_ACTION_PASS   0x0008u /* a rule passed the whole flow */
#define FLOW_F_ACTION_DROP   0x0010u /* a rule dropped the whole flow (IPS) */
#define FLOW_F_ESTABLISHED   0x0020u /* TCP: handshake done (or midstream); else: both ways seen */
#define FLOW_F_FIN_TOSERVER  0x0040u /* TCP: the client sent a FIN */
#define FLOW_F_FIN_TOCLIENT  0x0080u /* TCP: the server sent a FIN */
#define FLOW_F_DATA_ENDED    0x0100u /* (added) its streams' and app layer's end ran, their
				      * state is gone (a closed TCP session: dataplane/pipeline) */
#define FLOW_F_EMERGENCY     0x0200u /* forced out in emergency mode (EVE flow "emergency") */
#define FLOW_F_MIDSTREAM_SYNACK 0x0400u /* (added) TCP: picked up from the server's SYN/ACK
				      * (Suricata's STREAMTCP_FLAG_MIDSTREAM_SYNACK) */

struct stream_flow;
struct app_flow;

/* (added) TCP sequence tracking of one side, as Suricata's TcpStream
 * (flow_tcp_seq.c): what the stream events are judged against. */
struct tcp_seq_side {
	uint32_t next_seq;       /* the next sequence number this side should send */
	uint32_t last_ack;       /* the highest ack the other side gave this side's data */
	uint32_t window;         /* the other side's last window for this side, scaled */
	uint32_t next_win;       /* the right edge of that window, as far as it went */
	uint32_t last_ts;        /* this side's last TCP timestamp (session with timestamps) */
	uint8_t wscale;          /* the shift this side announced (both sides did) */
};

/* struct tcp_seq.state: Suricata's session states, named from the server's side */
enum tcp_seq_state {
	SEQ_ST_NONE = 0,         /* not tracked (or the SYN only: SYN_SENT) */
	SEQ_ST_HANDSHAKE,        /* SYN and SYN/ACK seen, the completing ACK not yet */
	SEQ_ST_EST,
	SEQ_ST_CLOSE_WAIT,       /* the client sent a FIN */
	SEQ_ST_FIN_WAIT1,        /* the server sent a FIN */
	SEQ_ST_FIN_WAIT2,        /* ... and the client acked it */
	SEQ_ST_CLOSING,          /* FINs crossed: both sent, the server's not acked */
	SEQ_ST_LAST_ACK,         /* both sent, the client's first */
	SEQ_ST_TIME_WAIT,
	SEQ_ST_CLOSED,           /* the last ACK (LAST_ACK, TIME_WAIT) or an RST taken:
				  * Suricata judges and reassembles nothing more */
};

/* (added) Both sides, indexed like isn[], and Suricata's finer session
 * state (its TCP_CLOSE_WAIT, TCP_FIN_WAIT1, ...: enum tcp_seq_state). */
struct tcp_seq {
	struct tcp_seq_side side[2];
	uint8_t state : 4;
	uint8_t pstate : 4;      /* the state an RST closed (Suricata's ssn->pstate) */
	uint8_t qlen;            /* handshake queue: SYNs resent with other options
				  * (SYN_SENT) or SYN/ACKs with another ISN (SYN_RECV)
				  * held, as Suricata's ssn->queue_len */
	uint16_t flags;          /* TCP_SEQ_F_* (flow-int.h) */
	uint32_t qlast;          /* the last one held: the SYN's timestamp, the SYN/ACK's
				  * sequence number (the queue keeps no more: bounded) */
};

#define FLOW_MAX_BITS 16        /* flowbits set at once on one flow; more is counted */

struct flow {
	/* hot: compared on every lookup */
	struct flow_key key;
	uint32_t hash;           /* the table's seeded hash of key (flow_table.c) */
	uint8_t client;          /* index into key.addr[] of the client (initiator) */
	uint8_t tcp_state;       /* enum tcp_state */
	uint16_t flags;          /* FLOW_F_* */
	uint64_t last_ts_us;
	struct flow *hnext;      /* hash bucket chain */
	/* (added) the list of its timeout class, oldest first (flow_table.c) */
	struct flow *lru_prev, *lru_next;
	uint64_t lru_seq;        /* (added) its last packet's place in the table's
				  * packet order: least recently used overall */
	uint8_t lru_list;        /* (added) which list (flow_list_of() of its state) */

	/* warm */
	uint32_t id_hash;        /* flow_key_hash(): hash is the table's seeded one */
	uint64_t flow_id;        /* stable id for EVE, unique per worker and run */
	uint64_t first_ts_us;
	uint64_t pkts[2];        /* indexed by enum pkt_dir */
	uint64_t bytes[2];
	uint8_t tcp_flags[2];    /* (added) TCP flags seen, by direction, for EVE flow records */
	uint8_t end_reason;      /* (added) enum flow_end, set before the release callback */
	uint8_t icmp_type, icmp_code; /* (added) ICMP: the first packet's, for Community ID */
	uint8_t input;           /* (added) the worker's input (port) its first packet came
				  * from (dataplane/pipeline): its records' in_iface, as
				  * Suricata's f->livedev */
	uint64_t last_pkt;       /* (added) pcap_cnt of its last packet: a capture read by
				  * several workers flushes in this order (hoststate/seq_gate.h) */
	uint32_t isn[2];         /* (added) TCP: the client's (0) and the server's (1)
				  * initial sequence numbers, as their SYN and SYN/ACK
				  * gave them, for the handshake's stream events */
	struct tcp_seq seq;      /* (added) TCP: sequence tracking, sessions with a handshake */

	/* detect state (meaning owned by dataplane/detect) */
	uint8_t nbits;
	/* bits 0 and 1 of these two are per direction (1 << enum pkt_dir):
	 * flow_reverse() exchanges them */
	uint8_t detect_flags;    /* detect's own per-flow marks (IP-only rules done per direction) */
	uint8_t output_flags;    /* output's marks (drop logged per direction, for flows: start) */
	uint32_t bits[FLOW_MAX_BITS]; /* flowbit ids set on this flow */
	uint32_t tags;           /* (added) session tags: 1 + index of the first in the
				  * worker's tag pool (dataplane/pipeline), 0: none */
	struct detect_flow det;  /* detect's per-flow state (dataplane/detect) */

	/* TCP reassembly state (owned by dataplane/stream; NULL until a session
	 * carries data, freed by the pipeline's release callback) */
	struct stream_flow *stream;
	/* (added) app-layer state (owned by dataplane/applayer; NULL until the
	 * flow carries data, freed by the pipeline's release callback) */
	struct app_flow *app;
};

#endif
