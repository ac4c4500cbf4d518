/* SPDX-License-Identifier: MIT */
/* Internals shared by the detect stage's files; not part of the public API. */
#ifndef IDS_DETECT_INT_H
#define IDS_DETECT_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <hs/hs.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../flow/flow-t.h"
#include "../hoststate/host_table.h"
#include "../hoststate/seq_gate.h"
#include "detect.h"

/* Packet classes: a rule lists the classes it can match (header protocol and
 * IPv4/IPv6 flags), so the always-check lists are split by class and a
 * prefilter candidate of the wrong class is dropped before verification. */
enum pclass {
	PC_TCP4, PC_TCP6, PC_UDP4, PC_UDP6, PC_ICMP4, PC_ICMP6, PC_OTHER4, PC_OTHER6,
	PC_MAX
};

/* struct de_rule.flags */
#define DR_F_IPONLY      0x01u /* Suricata's IP-only: first packet of each flow direction */
#define DR_F_NEED_FLOW   0x04u /* flowbits or flow keyword (except stateless) */
#define DR_F_PAYLOAD     0x08u /* has payload matches */
#define DR_F_SP_ANY      0x10u
#define DR_F_DP_ANY      0x20u
#define DR_F_APP         0x40u /* (added) app-layer buffers or keywords: run per transaction */
#define DR_F_APP_PROTO   0x80u /* (added) packet rule that needs the flow's app protocol */

/* One rule as the engine sees it, in evaluation order (index = rank). */
struct de_rule {
	const struct rule *r;
	uint16_t classes;        /* bit per enum pclass */
	uint8_t flags;           /* DR_F_* */
	uint8_t app_dirs;        /* (added) DR_F_APP: bit per enum pkt_dir it is inspected in */
	int32_t fp;              /* index in r->match of the fast pattern, -1: none */
};

struct detect_app_engine;
struct detect_app_thread;
struct addr_index;

/* (added) The always-checked rules of one packet class by destination port
 * (detect_group.c): range k starts at port lo[k] and lists its rules in
 * ranks[first[k]..first[k + 1]), ascending; the IP-only rules apart. A class
 * without ports has one range. */
struct rule_groups {
	uint32_t n;
	uint16_t *lo;
	uint32_t *first;         /* n + 1 */
	uint32_t *ranks;
	uint32_t niponly;
	uint32_t *iponly;        /* ascending */
};

/* A prefilter: one Hyperscan block database and its pattern id -> rule
 * ranks table (CSR: ranks pat_rules[pat_first[id] .. pat_first[id + 1])). */
/* The longest slice of a fast pattern that goes into a database: the
 * verification checks the whole content, and a scan resumed in a stream or
 * a growing buffer repeats DETECT_PF_LEN_MAX - 1 bytes at most. */
#define DETECT_PF_LEN_MAX 32u
/* Only patterns this short go in with their bound (max_offset): with ET
 * Open they make most of the literal matcher's false hits (bounding them
 * halves the pattern matches on corpus-mix), while bounding all patterns
 * made the compile 4x slower (2.8 s -> 13 s) for a few percent more. */
#define DETECT_PF_BOUNDED_LEN 4u

struct pat_db {
	hs_database_t *db;       /* NULL when no rule has a fast pattern here */
	uint32_t npat;
	uint32_t maxlen;         /* longest pattern: a scan resumed maxlen - 1 bytes
				  * back misses no match across the resume point */
	uint32_t minlen;         /* shortest: a shorter buffer is not scanned (nor
				  * the database's memory touched) */
	uint32_t *pat_first;     /* npat + 1 */
	uint32_t *pat_rules;
};

/* One fast pattern on its way to a database. */
struct pat_ref {
	const uint8_t *b;
	uint32_t len;
	bool nocase;
	uint32_t bound;          /* a hit ends this far into the scan at most, 0: anywhere */
	uint32_t rank;           /* the rule's evaluation rank */
	uint32_t id;             /* filled by pat_db_build */
};

/* detect_patdb.c: the fast pattern bytes of content c (fast_pattern chop
 * applied) for the rule of rank. */
void pat_ref_set(struct pat_ref *p, const struct rule_content *c, uint32_t rank);
/* Sort and deduplicate refs[0..n) (reordered), fill db and compile it (no
 * database when n == 0). A pattern Hyperscan refuses fails the build, or,
 * when de->reject is set, has each of its rules passed to it and is left
 * out. 0, or -errno with err filled; pat_db_free either way. */
int pat_db_build(const struct detect_engine *de, struct pat_db *db, struct pat_ref *refs,
		 uint32_t n, char *err, size_t errlen);
void pat_db_free(struct pat_db *db);

/* The payload prefilters: each payload byte is scanned against the rules
 * that can match it there, once. A TCP packet whose data went into the
 * stream is inspected by the stream rules on the stream only, so its own
 * scan needs just the packet rules (tcp-pkt, dsize, flow:no_stream); the
 * stream window is scanned for the stream rules. Other protocols have
 * their own rules (and the ip rules, which are in every set). */
enum pf_kind { PFK_TCP_STREAM, PFK_TCP_PKT, PFK_UDP, PFK_ICMP, PFK_OTHER, PFK_MAX };

struct detect_engine {
	uint64_t serial;         /* unique per build: per-flow and per-transaction state
				  * made with another engine (before a reload) is dropped */
	const struct ruleset *rs;
	uint32_t nrules;
	struct de_rule *rules;   /* sorted by rule->order */

	struct pat_db pf[PFK_MAX];  /* payload prefilters by enum pf_kind */
	hs_scratch_t *scratch;   /* prototype (large enough for every pf), cloned by each thread */

	/* rules without a fast pattern, by packet class, ascending rank */
	uint32_t nalways[PC_MAX];
	uint32_t *always[PC_MAX];
	struct rule_groups groups[PC_MAX]; /* (added) the same rules by port */

	uint32_t max_captures;   /* largest pcre capture count, sizes the match data */
	struct detect_engine_info info;
	struct detect_app_engine *app; /* (added) app-layer prefilter and lists, NULL: none */
	detect_reject_fn reject; /* (added) while building: rules whose pattern is refused */
	void *reject_ctx;
	uint32_t nevent;         /* (added) decode-event rules: ranks, ascending */
	uint32_t *event_rules;
	uint32_t addr_min;       /* (added) ranges that make a list large, 0: no index */
	struct addr_index *addr; /* (added) rules with large address lists, NULL: none */
	bool profiling;          /* (added) profiling.rules: threads count (detect_profile.c) */
	uint32_t ntag_host;      /* (added) rules with tag:host (detect_tag_host.c) */
	const struct rule **tag_host;
};

/* (added) flowint values: per thread, open addressing, bounded probe; an
 * entry is live while expire_us > the packet time. */
struct var_entry {
	uint64_t name_hash;
	uint64_t expire_us;      /* 0: never used; <= now: free */
	uint64_t flow_id;
	uint32_t value;
};

/* (added) Kinds of the state this stage keeps in the shared host table. */
enum host_kind {
	HK_XBIT_HOST = 1,        /* an xbit on one address (track ip_src or ip_dst) */
	HK_XBIT_PAIR,            /* an xbit on an address pair (track ip_pair) */
	HK_THRESHOLD,            /* + enum thresh_track: a rule's threshold window */
	HK_TAG_HOST = HK_THRESHOLD + 16, /* a rule's tag:host on one address */
};

#define VAR_TABLE_SIZE  16384u /* power of two */
#define VAR_PROBE       16u
/* flowint values outlive no flow: they are dropped this long after the last
 * write (longer than any default flow timeout). */
#define VAR_FLOWINT_TTL_US (3600ull * 1000000ull)

/* (added) The thread's own host tables (by_flow thresholds; host state
 * when no shared table is given): small, backed as they fill. */
#define DETECT_OWN_HOSTS_MEMCAP    (2ull << 20)
#define DETECT_OWN_HOSTS_HASH_SIZE 2048u

/* Bound on content/pcre inspection steps per rule and packet, as Suricata's
 * inspection recursion limit: a pathological rule gives up (no match). */
#define INSPECT_MAX_STEPS 3000u

struct detect_thread {
	const struct detect_engine *de;
	hs_scratch_t *scratch;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack; /* JIT-compiled pcres run on it (Suricata's sizes) */
	int ips;

	/* per packet */
	const struct pat_db *scan_db; /* the prefilter being scanned (its id -> ranks) */
	uint32_t ncand;
	uint32_t *cand;          /* prefilter candidates (ranks), de->nrules slots */
	uint32_t *always_buf;    /* (added) a group merged with the IP-only rules and
				  * the address index's lists */
	uint16_t pclass_bit;

	/* (added) stream inspection, per packet (detect_stream.c) */
	const struct detect_stream *stream; /* NULL: none with this packet */
	uint32_t ncand_pkt;      /* candidates from the packet scan, sorted */
	bool stream_match;       /* the last payload match was on the stream */

	struct host_table *flow_thr; /* (added) by_flow thresholds */
	struct var_entry *vars;  /* (added) VAR_TABLE_SIZE entries: flowint */
	/* (added) state per host, pair or rule: the table every worker shares,
	 * or the thread's own (hosts_own) when none was given; with a gate,
	 * accessed in capture order (detect_hosts) */
	struct host_table *hosts;
	struct host_table *hosts_own;
	struct seq_gate *gate;
	unsigned gate_id;
	struct detect_app_thread *app; /* (added) app-layer inspection state */
	uint8_t *b64;            /* (added) base64_decode output, DETECT_B64_OUT_MAX bytes */
	struct detect_stats stats;
	struct rule_prof *prof;  /* (added) per rank, NULL: profiling off (detect_profile.c) */
};

/* (added) The host table for p, once everything before p has had its turn
 * at it (multi-worker capture reading; no wait otherwise). A pseudo packet
 * of the final flush goes by its flow's last packet. */
static inline struct host_table *detect_hosts(struct detect_thread *dt, const struct packet *p)
{
	if (dt->gate != NULL) {
		if ((p->flags & PKT_F_PSEUDO) && p->flow != NULL)
			seq_gate_flow_end(dt->gate, dt->gate_id, p->flow->last_pkt);
		seq_gate_wait(dt->gate, dt->gate_id);
	}
	return dt->hosts;
}

/* (added) The most base64_decode can write: 3 bytes per 4 of its 65535 input. */
#define DETECT_B64_OUT_MAX (((RULE_B64_MAX_BYTES + 3u) / 4u) * 3u)

/* Verdict of the threshold stage (Suricata's PacketAlertThreshold). */
enum thr_result { THR_NO = 0, THR_ALERT = 1, THR_SILENT = 2,
		  THR_RATE = 3 /* (added) alert, with the rate_filter's new_action */ };

/* detect_group.c (added): build/free the engine's rule groups (after the
 * always lists); the always-checked rules p can match, ascending (the
 * IP-only ones too when iponly, and the address index's candidates), in the
 * engine or in dt->always_buf. */
int detect_group_build(struct detect_engine *de);
void detect_group_free(struct detect_engine *de);
const uint32_t *detect_group_rules(struct detect_thread *dt, const struct packet *p,
				   enum pclass pc, bool iponly, uint32_t *n);

/* detect_addrindex.c (added): rules without a fast pattern whose source or
 * destination list is large (addr_min ranges or more) are taken out of the
 * always lists and found through an address index instead: per packet class,
 * IP-only or not, and header side, disjoint intervals each listing the rules
 * whose indexed side covers it. build: after the rules' classes and flags,
 * before the always lists; 0 or -ENOMEM. */
#define DETECT_ADDR_MIN_RANGES 8u /* why 8: detect_addrindex.c */
#define DETECT_ADDR_LISTS      4u /* lists a lookup can return */

struct rank_list {
	const uint32_t *r;       /* ascending ranks */
	uint32_t n;
};

int detect_addr_build(struct detect_engine *de);
void detect_addr_free(struct detect_engine *de);
/* rank was taken into the index (it is in no always list) */
bool detect_addr_indexed(const struct detect_engine *de, uint32_t rank);
/* The indexed rules of class pc whose indexed side holds p's source or
 * destination (the IP-only ones too when iponly): up to DETECT_ADDR_LISTS
 * non-empty lists in out, their count returned. A bidirectional rule may be
 * in two lists. A superset: the header test still decides. */
uint32_t detect_addr_lists(const struct addr_index *ai, const struct packet *p, enum pclass pc,
			   bool iponly, struct rank_list *out);
/* Rules indexed, elementary intervals and bytes over all tables (reports). */
void detect_addr_info(const struct detect_engine *de, uint32_t *rules, uint64_t *intervals,
		      uint64_t *bytes);
/* detect_engine_build with the large-list threshold given (0: no index), so
 * tests can compare both paths. */
struct detect_engine *detect_engine_build_addr(const struct ruleset *rs, uint32_t addr_min,
					       char *err, size_t errlen);

/* Ranks ascending, in place. Candidate lists are mostly short: an insertion
 * sort of a few dozen beats qsort's indirect compares and merge buffer. */
#define DETECT_SORT_SHORT 48u

static inline int detect_rank_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static inline void detect_sort_ranks(uint32_t *a, uint32_t n)
{
	if (n > DETECT_SORT_SHORT) {
		qsort(a, n, sizeof(*a), detect_rank_cmp);
		return;
	}
	for (uint32_t i = 1; i < n; i++) {
		uint32_t v = a[i], j = i;

		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/* detect_spm.c: the first occurrence of pat in buf, ASCII case folded with
 * nocase; NULL when there is none. Linear in len. */
const uint8_t *detect_spm_find(const uint8_t *buf, size_t len, const uint8_t *pat, size_t plen,
			       bool nocase);

/* A payload rule that inspects the reassembled stream of a TCP packet, as
 * Suricata: all but tcp-pkt and flow:no_stream, and not the ones with dsize
 * (Suricata makes those packet rules). */
static inline bool detect_rule_sees_stream(const struct rule *r)
{
	return r->proto != RULE_PROTO_TCP_PKT && !(r->flow_flags & RULE_FLOW_NO_STREAM) &&
	       !(r->has & RULE_HAS_DSIZE);
}

/* detect_fp.c */
uint32_t fp_pattern_strength(const uint8_t *pat, uint32_t len);

/* detect_header.c: header, packet tests and flow keyword; true if they pass. */
enum pclass detect_pclass(const struct packet *p);
bool detect_match_header(const struct de_rule *dr, const struct packet *p);
bool detect_match_u32(const struct u32_cmp *c, uint32_t v);

/* detect_inspect.c: payload matches with Suricata's content inspection
 * semantics (relative matches, backtracking). true on match. */
bool detect_inspect_payload(struct detect_thread *dt, const struct de_rule *dr,
			    const uint8_t *buf, uint32_t len);

/* detect_inspect.c (added): one buffer's chain of matches, and the header
 * sticky buffers (ipv4.hdr, tcp.hdr, ...) of p; true on match. */
bool detect_inspect_buffer(struct detect_thread *dt, const struct de_rule *dr,
			   enum rule_buffer b, const uint8_t *buf, uint32_t len);
bool detect_inspect_hdr_buffers(struct detect_thread *dt, const struct de_rule *dr,
				const struct packet *p);
/* distance/within, pcre /R, or a relative byte keyword */
bool detect_match_is_relative(const struct rule_match *m);

/* detect_byte.c: byte keywords on buf[0, len) after a match ending at prev;
 * vars are the rule's byte_extract/byte_math values. */
bool detect_byte_test(const struct rule_byte *b, const uint8_t *buf, uint32_t len,
		      uint32_t prev, const uint64_t *vars);
bool detect_byte_jump(const struct rule_byte *b, const uint8_t *buf, uint32_t len,
		      uint32_t prev, const uint64_t *vars, uint32_t *newpos);
bool detect_byte_extract(const struct rule_byte *b, const uint8_t *buf, uint32_t len,
			 uint32_t prev, uint64_t *vars, uint32_t *newpos);
bool detect_byte_math(const struct rule_byte *b, const uint8_t *buf, uint32_t len,
		      uint32_t prev, uint64_t *vars, uint32_t *newpos);
int detect_isdataat(const struct rule_byte *b, uint32_t len, uint32_t prev,
		    const uint64_t *vars);

/* detect_asn1.c (added): the asn1 keyword on buf[0, len) after a match
 * ending at prev; true when one of its checks holds. */
bool detect_asn1(const struct rule_asn1 *a, const uint8_t *buf, uint32_t len, uint32_t prev);

/* detect_pktkw.c (added): flags ack seq window id fragbits fragoffset tos
 * ipopts sameip stream_size icmp_id icmp_seq tcp.mss, stream and applayer_*
 * events, checksum keywords; true if all hold. */
#define RULE_HAS_PKTKW (RULE_HAS_TCPFLAGS | RULE_HAS_ACK | RULE_HAS_SEQ | RULE_HAS_WINDOW | \
			RULE_HAS_IPID | RULE_HAS_FRAGBITS | RULE_HAS_FRAGOFF | RULE_HAS_TOS | \
			RULE_HAS_IPOPTS | RULE_HAS_SAMEIP | RULE_HAS_STREAMSIZE | \
			RULE_HAS_ICMPID | RULE_HAS_ICMPSEQ | RULE_HAS_TCPMSS | \
			RULE_HAS_PKTEVENT | RULE_HAS_CSUM)
bool detect_match_pktkw(const struct rule *r, const struct packet *p);

/* detect_vars.c (added): xbits and flowint. check: the tests (isset, ==,
 * ...) hold; apply: the rule matched, run the changes (set, +, ...). */
#define RULE_HAS_VARS (RULE_HAS_XBITS | RULE_HAS_FLOWINT)
bool detect_vars_check(struct detect_thread *dt, const struct rule *r, const struct packet *p);
void detect_vars_apply(struct detect_thread *dt, const struct rule *r, const struct packet *p);

/* detect_stream.c (added): the payload test of a rule on p and the stream
 * offered with it (sets dt->stream_match); the prefilter scan of the stream,
 * merged into dt->cand without duplicates. */
bool detect_payload_match(struct detect_thread *dt, const struct de_rule *dr,
			  const struct packet *p);
void detect_stream_prefilter(struct detect_thread *dt, const struct packet *p);

/* detect_thread.c (added): a rule matched; flowbits, threshold, action and
 * alert. true when a pass rule ends the inspection of the packet. */
bool detect_rule_fired(struct detect_thread *dt, const struct de_rule *dr, struct packet *p,
		       struct detect_result *res);

/* detect_applayer.c (added): app-layer rules. setup: flags, directions and
 * fast pattern of one rule (after classes and flags are set); build: the
 * per-buffer Hyperscan databases and lists, 0 or -errno with err filled. */
void detect_app_rule_setup(struct de_rule *dr);
int detect_app_build(struct detect_engine *de, char *err, size_t errlen);
void detect_app_free(struct detect_engine *de);
/* The flow's protocol satisfies the rule's header protocol and
 * app-layer-protocol (a packet rule with DR_F_APP_PROTO). */
bool detect_app_proto_match(const struct rule *r, const struct flow *f);

/* detect_applayer_tx.c (added): per-thread state, and the transactions of
 * p's flow updated since their last inspection, each rule at most once per
 * transaction. */
int detect_app_thread_init(struct detect_thread *dt);
void detect_app_thread_fini(struct detect_thread *dt);
void detect_app_packet(struct detect_thread *dt, struct packet *p, struct detect_result *res);

/* detect_event.c (added): decode-event rules. match: p was rejected for
 * the rule's event (the rule must have one); build/free: the engine's list
 * of them; packet: run them alone on a packet rejected below L4. */
bool detect_event_match(const struct rule *r, const struct packet *p);
int detect_event_build(struct detect_engine *de);
/* (added) de->tag_host: the rules with tag:host (detect_tag_host.c); 0 or -1 without memory. */
int detect_tag_host_build(struct detect_engine *de);
void detect_event_free(struct detect_engine *de);
void detect_event_packet(struct detect_thread *dt, struct packet *p, struct detect_result *res);

/* detect_flowbits.c */
bool detect_flowbits_check(const struct rule *r, const struct flow *f);
void detect_flowbits_apply(struct detect_thread *dt, const struct rule *r, struct flow *f);

/* detect_header.c: whether address a (of IP version ip_ver) is in s. */
bool detect_addr_in(const struct addr_set *s, const union ip_addr *a, uint8_t ip_ver);

/* detect_threshold.c (also threshold.config's suppressions: THR_NO for a
 * suppressed address) */
enum thr_result detect_threshold(struct detect_thread *dt, const struct rule *r,
				 const struct packet *p);

#endif
