/* SPDX-License-Identifier: MIT */
/* Detection: candidate rules from the fast-pattern prefilter (Hyperscan),
 * then full verification, action order, flowbits and thresholds. */
#ifndef IDS_DETECT_H
#define IDS_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../rules/rule-t.h"
#include "../decode/packet-t.h"

/* Immutable after build: shared read-only by all workers. */
struct detect_engine;
/* One per worker: Hyperscan scratch, candidate lists, match data, threshold state. */
struct detect_thread;

/* Build the engine from a finalized ruleset (compiles the Hyperscan
 * database). The engine keeps a pointer to rs; rs must outlive it.
 * NULL with err filled on failure. */
struct detect_engine *detect_engine_build(const struct ruleset *rs, char *err, size_t errlen);
void detect_engine_free(struct detect_engine *de);

/* (added) A rule the engine cannot take: Hyperscan refuses its fast pattern
 * (a content over its length limit, a pattern it cannot compile). */
typedef void (*detect_reject_fn)(void *ctx, const struct rule *r, const char *reason);

/* detect_engine_build, except that a fast pattern Hyperscan refuses does not
 * fail the build: each rule using it is passed to reject() and the pattern
 * is left out. Such a rule would never fire: the caller takes the rejected
 * rules out of rs (ruleset_reject) and builds again. */
struct detect_engine *detect_engine_build_rejecting(const struct ruleset *rs,
						    detect_reject_fn reject, void *ctx,
						    char *err, size_t errlen);

/* Figures for the startup report. */
struct detect_engine_info {
	uint32_t rules, with_fast_pattern, without_fast_pattern;
	uint32_t patterns;          /* Hyperscan patterns, over every prefilter */
	uint64_t db_bytes;
	uint32_t port_dbs;          /* (added) databases of the port groups (detect_pfport.c) */
	double compile_ms;
};
void detect_engine_info(const struct detect_engine *de, struct detect_engine_info *out);

/* The compiled prefilter database TCP payload is scanned against once, in
 * the stream (a Hyperscan hs_database_t: the largest set, the TCP stream
 * rules'), shared and read-only; NULL when no such rule has a fast pattern.
 * For tools that measure the raw scan rate against the same database
 * (ids-bench's ceiling). */
struct hs_database;
const struct hs_database *detect_engine_hs_database(const struct detect_engine *de);

/* Which payload match of r Suricata would use as the fast pattern: an
 * explicit fast_pattern, else the longest non-negated content (ties: the
 * strongest pattern, then the first). Returns its index in r->match, or -1
 * when the rule has none (it is then checked on every packet of its protocol). */
int32_t detect_fast_pattern_select(const struct rule *r);

/* socket: the worker's NUMA node (-1: any); its state is small and taken
 * from the allocator as it comes. */
struct detect_thread *detect_thread_create(const struct detect_engine *de, int socket);
void detect_thread_destroy(struct detect_thread *dt);

/* The packet's alert queue (detect_alertq.c): packet-alert-max alerts, as
 * Suricata 7 (1 to 255, default 15); the matches kept are those of the
 * highest-priority rules (lowest evaluation order), listed in that order. */
#define DETECT_MAX_ALERTS 255     /* packet-alert-max's upper bound: the array */
#define DETECT_ALERTS_DEFAULT 15  /* packet-alert-max's default */

/* packet-alert-max for the threads of de (before they run; 0: the default). */
void detect_engine_set_alert_max(struct detect_engine *de, uint32_t max);

/* alert.action in EVE */
enum alert_action { ALERT_ALLOWED = 0, ALERT_BLOCKED };

struct app_tx;

struct detect_alert {
	const struct rule *rule;
	enum alert_action action;
	uint8_t stream;             /* (added) 1: matched on reassembled stream data */
	uint8_t reject;             /* (added) 1: the action taken is reject (the rule's, or
				     * a rate_filter's new_action) */
	uint8_t flip;               /* (added) app-layer match of the other direction than the
				     * packet's: the alert is seen from that direction */
	struct app_tx *tx;          /* (added) the transaction matched, NULL: none */
};

/* verdict for the packet */
enum detect_verdict { VERDICT_ACCEPT = 0, VERDICT_DROP };

/* Why the verdict is DROP (EVE drop.reason). */
enum drop_reason {
	DROP_REASON_NONE = 0, DROP_REASON_RULES, DROP_REASON_FLOW,
	/* (added) an exception policy's drop (pipeline/exception.h), by point */
	DROP_REASON_FLOW_MEMCAP, DROP_REASON_STREAM_MEMCAP, DROP_REASON_STREAM_REASSEMBLY,
	DROP_REASON_DEFRAG_MEMCAP, DROP_REASON_STREAM_MIDSTREAM,
	DROP_REASONS
};

/* (added) A packet variable (a pcre capture into pkt:NAME) of the packet
 * inspected, for EVE's metadata: the name is the rule's, the value in the
 * thread's area; valid until the thread's next packet. */
struct detect_pktvar {
	const char *name;
	uint64_t name_hash;
	const uint8_t *value;
	uint32_t len;
};

struct detect_result {
	enum detect_verdict verdict;
	enum drop_reason drop_reason;
	const struct rule *drop_rule;  /* the first rule that dropped (noalert ones too) */
	uint32_t nalerts;
	struct detect_alert alerts[DETECT_MAX_ALERTS];
	uint32_t alerts_dropped;    /* matched, but not among the packet-alert-max kept */
	uint32_t npktvars;          /* (added) the packet's variables, in the order set */
	const struct detect_pktvar *pktvars;
};

struct detect_stats {
	uint64_t alerts;            /* detect.alert */
	uint64_t alerts_suppressed; /* thresholds and detection_filter */
	uint64_t alert_queue_overflow;
	uint64_t candidates;        /* rules sent to verification by the prefilter */
	uint64_t verified;          /* of those, rules that matched */
	uint64_t app_unchanged;     /* (added) app candidates not verified again: the buffer
				     * that failed them is unchanged (detect_applayer_tx.c) */
	uint64_t pcre_errors;       /* pcre2 match limits hit */
	uint64_t threshold_table_full;
	uint64_t scan_errors;       /* Hyperscan scan failed: a bug, counted */
	uint64_t inspect_limit;     /* a rule gave up after INSPECT_MAX_STEPS (backtracking) */
	uint64_t flowbits_overflow; /* a flowbit could not be set: FLOW_MAX_BITS on the flow */
	uint64_t flow_dropped;      /* packets dropped without inspection: flow marked drop */
	uint64_t flow_passed;       /* packets not inspected: flow marked pass */
	uint64_t vars_table_full;   /* (added) an xbit/flowint could not be stored */
	uint64_t vars_refused;      /* (added) a pcre capture could not be kept (bounds) */
	uint64_t app_mark_nomem;    /* (added) a transaction could not remember an alert */
	/* prefilter work, by what was scanned (ids-bench and the stats report
	 * bytes scanned per payload byte); the bytes count those answered from
	 * the memo too (mpm_remembered, detect_patmemo.c) */
	uint64_t mpm_pkt_bytes;     /* packet payloads */
	uint64_t mpm_stream_bytes;  /* reassembled stream windows */
	uint64_t mpm_app_bytes;     /* app-layer buffers */
	uint64_t mpm_body_stream_bytes; /* (added) response body bytes whose hits came from
				     * the stream's scan (not in mpm_app_bytes) */
	uint64_t mpm_scans;         /* Hyperscan calls */
	uint64_t mpm_remembered;    /* (added) short buffers answered from the memo instead */
	uint64_t mpm_stream_unjoined; /* (added) HTTP response windows scanned without the
				     * body set: no body placed in the stream holds
				     * their bytes (detect_body_stream.c) */
	uint64_t mpm_checked_out;   /* (added) packet scans left out: none of the set's rules
				     * could match (detect_pfcheck.c; bytes not counted) */
	uint64_t mpm_pkt_both;      /* (added) packet scans of a family's two packet sets at
				     * once, in their pair's database (detect_pfpair.c) */
	uint64_t mpm_matches;       /* pattern hits reported to the callbacks */
};


/* ips: drop/reject rules really drop (inline or --simulate-ips); otherwise a
 * drop rule alerts only, as Suricata in IDS mode. */
void detect_thread_set_ips(struct detect_thread *dt, int ips);

/* Run the rules on p (decoded, flow attached when there is one). Updates
 * flowbits and flow actions on p->flow. */
void detect_packet(struct detect_thread *dt, struct packet *p, struct detect_result *res);

/* (added) Reassembled TCP data offered with a packet (Suricata's raw stream
 * inspection): data[0..len), of which data[0..old_len) was inspected with an
 * earlier packet; a rule whose match lies wholly in that part already had
 * its alert and is not repeated. */
struct wmem;
struct detect_stream {
	const uint8_t *data;
	uint32_t len;
	uint32_t old_len;
	uint32_t seq;               /* TCP sequence number of data[0] */
	/* the worker's pool detection's state for the flow's next windows
	 * comes from: give the same to detect_flow_free */
	struct wmem *mem;
};


/* detect_packet() plus the stream of p's direction (st may be NULL). As
 * Suricata: tcp-pkt rules see the packet only; tcp-stream rules the stream
 * only; other payload rules on TCP (tcp, ip) the stream first, then the
 * packet unless its data went into the stream (PKT_F_STREAM_ADD: it is
 * inspected there) or it is a pseudo packet (PKT_F_PSEUDO). Rules with dsize
 * are packet rules. An alert from the stream has .stream = 1. */
void detect_packet_stream(struct detect_thread *dt, struct packet *p,
			  const struct detect_stream *st, struct detect_result *res);

const struct detect_stats *detect_thread_stats(const struct detect_thread *dt);

/* (added) The rules dt runs (its engine's ruleset): their flowbit and
 * flowint names name the ids flows hold. */
const struct ruleset *detect_thread_ruleset(const struct detect_thread *dt);

/* Frees detection's state of a flow that is let go (whatever engine
 * made it: the state outlives reloads); mem: the pool its stream windows
 * named (struct detect_stream). */
struct flow;
void detect_flow_free(struct wmem *mem, struct flow *f);
/* (added) Gives back to mem only what detection keeps for f's streams'
 * next windows (a closed session has none); its variables stay. */
void detect_flow_streams_free(struct wmem *mem, struct flow *f);
/* (added) f was turned around (flow_reverse): each direction's stream
 * inspection state becomes the other's; the rule groups kept for each
 * direction are looked up again; what is known of each address's sets
 * stays with the address. */
void detect_flow_reverse(struct flow *f);

/* (added) State per host, address pair or rule (xbits by address,
 * thresholds and detection_filter not by_flow) goes to ht, which other
 * workers share, instead of the thread's own table (ht NULL: back to it).
 * With gate, each access first waits for capture order as worker id
 * (dataplane/hoststate/seq_gate.h). Before the thread's first packet; ht
 * and gate outlive the thread. */
struct host_table;
struct seq_gate;
void detect_thread_share_hosts(struct detect_thread *dt, struct host_table *ht,
			       struct seq_gate *gate, unsigned id);

/* (added) Host tags (tag:host, Suricata's detect-engine-tag.c), kept in the
 * host table every worker shares. Rule r (RULE_F_TAG, TAG_SCOPE_HOST)
 * alerted on p: tag p's destination (or source) host, or restart the rule's
 * tag there (at most RULE_TAG_MATCH_LIMIT times). */
void detect_tag_host_add(struct detect_thread *dt, const struct rule *r, const struct packet *p);

/* After the alerts of p are handled (p no pseudo packet): count p against
 * the tags of its source and destination hosts, drop the expired ones;
 * true when p is tagged. No lookup at all while no host tag can be live. */
bool detect_tag_host_packet(struct detect_thread *dt, const struct packet *p);

#endif
