/* SPDX-License-Identifier: MIT */
/* Per-worker flow table: symmetric hashing, TCP state, timeouts, eviction. */
#ifndef IDS_FLOW_H
#define IDS_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow-t.h"
#include "../decode/packet-t.h"

/* flow-timeouts.<proto>: seconds; the emergency ones (emergency-new, ...)
 * are in force while the table is in emergency mode (flow_emerg.c). */
struct flow_timeouts {
	uint32_t new_s, established_s, closed_s;
	uint32_t emerg_new_s, emerg_established_s, emerg_closed_s;
};

enum flow_proto_class { FLOW_PC_TCP, FLOW_PC_UDP, FLOW_PC_ICMP, FLOW_PC_OTHER, FLOW_PC_MAX };

#define FLOW_MEMCAP_DEFAULT (UINT64_C(32) << 20)
/* Suricata's flow.prealloc default; idsd backs that many slots per worker */
#define FLOW_PREALLOC_DEFAULT 10000u
/* Suricata's flow.emergency-recovery default (percent) */
#define FLOW_EMERG_RECOVERY_DEFAULT 30u

struct memcap;

struct flow_config {
	uint64_t memcap;             /* bytes for flows; 0: default 32 MiB */
	/* the process's flow.memcap, which all workers' tables share
	 * (common/memcap.h, of flow_table_budget() bytes); NULL: a budget of
	 * this table's own */
	struct memcap *budget;
	uint32_t hash_size;          /* buckets; 0: default 65536 */
	uint32_t prealloc;           /* flow slots backed at creation (flow.prealloc) */
	uint32_t emerg_recovery;     /* flow.emergency-recovery, percent (1-100); 0: 30 */
	bool midstream;              /* stream.midstream: established without a handshake */
	bool async_oneside;          /* stream.async-oneside: a SYN then the client's ACK */
	bool inline_mode;            /* stream.inline: the handshake's checks of IPS mode */
	struct flow_timeouts to[FLOW_PC_MAX];   /* zero fields take Suricata's defaults */
	uint16_t worker_id;          /* mixed into flow_id so ids are unique across workers */
};

struct flow_stats {
	uint64_t created;            /* flow.total */
	uint64_t tcp, udp, icmp, other;
	uint64_t active;             /* flows in the table now */
	uint64_t timed_out;
	uint64_t get_used;           /* flow.get_used: a new flow past flow.memcap
				      * forced one out (flow_table.c) */
	uint64_t get_used_failed;    /* flow.get_used_failed: ... found none to force
				      * out (all still alive): the packet went without
				      * a flow (flow.memcap-policy applies) */
	uint64_t emerg_entered;      /* flow.emerg_mode_entered */
	uint64_t emerg_over;         /* flow.emerg_mode_over */
	uint64_t no_flow;            /* packets without a flow (no memory, non-IP,
				      * emergency mode's TCP that is no SYN) */
	uint64_t tcp_reused;         /* SYN on a closed flow: old flow released, new one started */
};

struct flow_table;

/* Symmetric 5-tuple hash of p (needs p->ip_ver != 0): equal for both directions. */
uint32_t flow_hash_packet(const struct packet *p);

/* The bytes of cfg's memcap: at least one flow's, so a table is always usable. */
uint64_t flow_table_budget(const struct flow_config *cfg);

/* Table sized from cfg: room for all of the memcap's flows, backed as they
 * are first used, so that one worker may hold the whole budget when the
 * others hold none. NULL on allocation failure. socket: NUMA node or -1. */
struct flow_table *flow_table_create(const struct flow_config *cfg, int socket);
void flow_table_destroy(struct flow_table *ft);

/* Find or create p's flow, update its state from p and set p->flow, p->dir,
 * p->flow_flags (PKT_FLOW_*). Non-IP packets and packets for which no flow can
 * be had get p->flow == NULL (counted in no_flow). When flow.memcap is
 * reached the table enters emergency mode (see below) and a flow of the
 * table idle past its timeout makes room (timed out), else its least
 * recently used flow that is not still alive (forced: get_used), else none
 * (no flow: get_used_failed); forced and expired flows go through the
 * table's release callback before their memory is reused.
 *
 * Emergency mode, as Suricata's: entered when a new flow finds flow.memcap
 * reached; while in it the table judges its flows by the emergency
 * timeouts, and, with stream.midstream, a TCP packet that is not a SYN
 * starts no flow. It is left once, at 30 checks in a row a quarter of a
 * second of packet time apart (flow_table_expire() makes them), the memcap
 * had room for more than flow.emergency-recovery percent of the table's
 * flow.prealloc flows. */
struct flow *flow_handle_packet(struct flow_table *ft, struct packet *p);

/* Called for each flow that leaves the table (timeout, eviction, flush, TCP
 * port reuse), exactly once, with the flow still intact. It must not call back
 * into the table; the flow's memory is reused after it returns. */
typedef void (*flow_release_cb)(struct flow *f, void *arg);
void flow_table_set_release_cb(struct flow_table *ft, flow_release_cb cb, void *arg);

/* Suricata's flow manager keeps flow.prealloc spare flows allocated ahead
 * of the workers. Here the pool is mapped whole at creation but backed by
 * memory only as it is first touched, a fault that zeroes a page (2 MiB:
 * milliseconds on a virtual machine) in the middle of a worker's packets.
 * Called from a thread other than the table's worker (the main thread's
 * loop), this backs never-used slots so that flow.prealloc of them stay
 * backed ahead of the worker, a few MiB a call at most. Safe while the
 * worker runs: it reads only the worker's high-water mark, and backing
 * changes no byte. Only one thread may call it. Returns the bytes backed
 * (0: the spare is backed already). */
size_t flow_table_back_spare(struct flow_table *ft);

/* Expire flows idle past their timeout at now_us, those whose timeout ran
 * out first first; at most budget flows per call so the worker loop stays
 * short. The work is proportional to the flows expired (no flow that is not
 * due is looked at but the few heads of the timeout classes' lists), so
 * calling often costs little. In emergency mode it also judges, when one
 * is due, whether the mode is over. Returns the number expired: budget
 * means more may be due. */
unsigned flow_table_expire(struct flow_table *ft, uint64_t now_us, unsigned budget);

/* Release every flow (end of input, shutdown): those idle past their
 * timeout at now_us as timed out, the rest as shut down. */
void flow_table_flush(struct flow_table *ft, uint64_t now_us);

const struct flow_stats *flow_table_stats(const struct flow_table *ft);

/* The table is in emergency mode. */
bool flow_table_emergency(const struct flow_table *ft);

/* f's TCP session is past TCP_TIME_WAIT in Suricata's order of its states
 * (LAST_ACK, CLOSE_WAIT, CLOSING, CLOSED: stream-tcp-private.h's enum), the
 * test of its port reuse and of a FIN's reassembly of both directions. */
static inline bool flow_tcp_past_time_wait(const struct flow *f)
{
	return f->seq.state == SEQ_ST_CLOSE_WAIT || f->seq.state == SEQ_ST_CLOSING ||
	       f->seq.state == SEQ_ST_LAST_ACK || f->seq.state == SEQ_ST_CLOSED;
}

/* (added) f's TCP session is closed for good (Suricata's TCP_CLOSED after
 * the last ACK or an RST taken): nothing more is reassembled or parsed on
 * it. Not while an RST with MD5/AO, which cannot be verified, may yet be
 * found injected and the session resumed (flow_tcp.c). */
bool flow_tcp_done(const struct flow *f);

/* (added) Turn f around, as Suricata's FlowSwap when protocol detection
 * finds that a TCP flow picked up midstream (from a packet that was no
 * SYN/ACK, so with no handshake tracked) runs the other way: the server
 * becomes the client, and the flow's own per-direction state (packet and
 * byte counters, seen and FIN flags, TCP flags seen, the per-direction bits
 * of detect_flags and output_flags) follows. The stream's, detection's and the app layer's
 * are their owners' to turn (stream_flow_reverse, detect_flow_reverse). */
void flow_reverse(struct flow *f);

/* Bytes of flow.memcap this table's flows use (flow.memuse, summed over
 * the workers). */
uint64_t flow_table_memuse(const struct flow_table *ft);

#endif
