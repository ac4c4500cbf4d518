/* SPDX-License-Identifier: MIT */
/* Detection's state inside each flow (struct flow.det): types only. */
#ifndef IDS_DETECT_FLOW_T_H
#define IDS_DETECT_FLOW_T_H

#include <stdbool.h>
#include <stdint.h>

/* Per flow direction: the stream candidates of the last windows, carried
 * to the next ones (detect_stream.c). Each window is scanned from where the
 * last one ended (less the prefilter's longest pattern), so a rule whose
 * fast pattern lies in the kept context would not be found again: its rank
 * is carried while that context may still hold the hit. More than
 * DF_CARRY_MAX and the next window is scanned whole, context included: with
 * ET Open, 8 sent a third of all windows back over their context, 30 about
 * 1 %; 29, not 30, so that the whole state fills one 256-byte block of
 * the worker's pool (with 30 it would take a 512-byte one). Ranks belong to
 * the engine of serial; another engine (a reload) drops them and scans
 * whole. Taken from the worker's pool only for the directions whose stream
 * is inspected, so that a flow stays small. */
#define DF_CARRY_MAX 29u

/* (added) Of an HTTP flow's response stream: where the response body
 * patterns of the joined stream set hit (detect_body_stream.c), the latest
 * DF_BODY_HITS of them, and the sequence numbers [lo, hi) within which
 * every hit is logged. Valid for the engine of detect_flow_dir.serial. */
#define DF_BODY_HITS 32u

struct detect_body_log {
	bool any;                /* lo and hi are set */
	uint32_t lo, hi;
	uint32_t n, next;        /* entries held; the ring's next slot */
	struct {
		uint32_t end;    /* seq just past the hit */
		uint32_t id;     /* pattern id in the joined set */
	} hit[DF_BODY_HITS];
};

struct detect_flow_dir {
	uint64_t serial;         /* detect_engine.serial the ranks belong to, 0: none */
	uint32_t ncarry;
	bool rescan;             /* too many to carry: scan the next window whole */
	uint32_t rank[DF_CARRY_MAX];
	uint32_t until[DF_CARRY_MAX]; /* seq: the hit ended before this */
	struct detect_body_log *body; /* (added) NULL until an HTTP response stream scan */
};
_Static_assert(sizeof(struct detect_flow_dir) == 256, "one 256-byte block of the pool");

/* Per flow direction: its always-checked rules (detect_group.c), whether
 * the address index lists rules for its addresses, and the address and
 * port test of the first DETECT_FLOW_HDR_BITS of the rules. All depend
 * only on the packet class, addresses and ports, the same for every packet
 * of a direction, so each packet needs neither the group lookups nor, for
 * those rules, the address search again (except a rule with Snort 3
 * services, whose test also depends on the flow's protocol: never kept).
 * Kept from the first packet of a direction (its IP-only rules and the
 * address index's are merged beside them), not for a fragment; valid while
 * serial is the engine's. */
#define DETECT_FLOW_HDR_BITS 64u

enum df_addr_state { DF_ADDR_UNKNOWN, DF_ADDR_NONE, DF_ADDR_LISTED };

struct detect_flow_group {
	uint64_t serial;         /* detect_engine.serial, 0: nothing kept */
	const uint32_t *ranks;   /* the port group's ranks, ascending */
	uint32_t n;
	uint16_t dp;             /* the key they were found with */
	uint8_t pclass;
	uint8_t addr;            /* enum df_addr_state: the address index (not
				  * IP-only) for these addresses */
	uint64_t hdr_known;      /* bit i: ranks[i]'s address/port test was made */
	uint64_t hdr_pass;       /* bit i: and passed */
};

/* (added) Which of the engine's numbered address sets (detect_addrset.c)
 * hold each of the flow's two addresses: [0] is the source of its to-server
 * packets, [1] of its to-client ones; bit i of known: set i was searched
 * for that address, of in: and holds it. A flow's addresses are the same
 * for all its packets, so each numbered set is searched once per address
 * instead of once per candidate rule and packet.
 * And, by direction (enum pkt_dir), which numbered rule headers
 * (detect_hdrclass.c) pass its packets: bit c of cls_known: header c's
 * address and port test was made, of cls_pass: and passed. Addresses,
 * ports and protocol are the same for every packet of a direction (not
 * for a fragment: those are neither answered nor recorded), so a rule
 * whose header failed there, most prefilter candidates (corpus-mix: 39,000
 * of 44,000), is dropped before its test on the direction's later packets.
 * Valid while serial is the engine's; flow_reverse exchanges the two
 * addresses' and the two directions' bits. */
#define DETECT_ADDR_SETS 16u /* ET Open: 2 sets are 97 % of its 43,860 sides */
/* ET Open: 31 headers are 92 % of its rules; with 64-bit words (63) the
 * flow grew past its 448-byte pool slot (7 cache lines) to 512, which
 * answered 59,400 of corpus-mix's 74,500 header tests against 56,000 */
#define DETECT_HDR_CLASSES 31u

struct detect_flow_addr {
	uint64_t serial;         /* detect_engine.serial, 0: nothing known */
	uint16_t known[2];
	uint16_t in[2];
	uint32_t cls_known[2];
	uint32_t cls_pass[2];
};

/* (added) The flow's variables from pcre captures (flow:NAME), in the
 * order first set, as Suricata's flow var list: a capture of a name already
 * set replaces its value. The name and the value share one allocation. At
 * most DF_VARS_MAX variables and DF_VARS_BYTES bytes of names and values on
 * a flow: a capture past them is refused (detect_stats.vars_refused). */
#define DF_VARS_MAX   16u
#define DF_VARS_BYTES (32u * 1024u)

struct detect_flow_var {
	uint64_t name_hash;
	char *name;              /* NUL-ended, the value right after it; owned */
	const uint8_t *value;
	uint32_t len;
};

/* (added) The flow's flowint counters, in the order first set (as
 * Suricata's flow var list, which they share), by their id in the rules'
 * flowint names (struct ruleset.flowints). They live as long as the flow.
 * At most DF_INTS_MAX on a flow: another is refused (vars_table_full). */
#define DF_INTS_MAX   16u

struct detect_flow_int {
	uint32_t id;
	uint32_t value;
};

struct detect_flow_vars {
	uint32_t n;
	uint32_t bytes;          /* names (with their NUL) and values held */
	uint32_t nints;
	struct detect_flow_var v[DF_VARS_MAX];
	struct detect_flow_int ints[DF_INTS_MAX];
};

struct detect_flow {
	/* by enum pkt_dir; NULL until the direction's stream is inspected,
	 * freed by detect_flow_free */
	struct detect_flow_dir *d[2];
	struct detect_flow_group g[2];   /* by enum pkt_dir */
	struct detect_flow_addr addr;    /* (added) by address, see above */
	struct detect_flow_vars *vars;   /* (added) NULL until a flow var or flowint is set */
};

#endif
