/* SPDX-License-Identifier: MIT */
/* A parsed rule in Suricata syntax. The parser (rule_parse.c) fills it; the
 * compiler (rule_compile.c) and the detect stage only read it. */
#ifndef IDS_RULE_T_H
#define IDS_RULE_T_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/ip_addr-t.h"

/* Actions, ordered as Suricata's default action-order: pass, drop, reject, alert. */
enum rule_action {
	RULE_ACT_PASS = 0,
	RULE_ACT_DROP,
	RULE_ACT_REJECT,       /* reject, rejectsrc, rejectdst, rejectboth */
	RULE_ACT_ALERT,
	RULE_ACT_MAX
};

enum rule_reject { REJECT_NONE, REJECT_SRC, REJECT_DST, REJECT_BOTH };

/* Header protocol keyword. */
enum rule_proto {
	RULE_PROTO_IP = 0,     /* ip, ipv4, ipv6 (ip_family narrows) */
	RULE_PROTO_TCP,        /* tcp: packets and stream */
	RULE_PROTO_TCP_PKT,    /* tcp-pkt: packets only */
	RULE_PROTO_TCP_STREAM, /* tcp-stream: reassembled stream only */
	RULE_PROTO_UDP,
	RULE_PROTO_ICMP,       /* icmp: ICMPv4 and ICMPv6, as Suricata */
	RULE_PROTO_ICMPV4,
	RULE_PROTO_ICMPV6,
	RULE_PROTO_MAX
};

/* A set of addresses: sorted, non-overlapping inclusive ranges per family,
 * the result of resolving variables, lists and negations at parse time. */
struct addr_range {
	union ip_addr lo, hi;
};

struct addr_set {
	bool any;                 /* matches every address of both families (the
				   * ranges then also hold the full v4 and v6 spaces) */
	uint32_t n4, n6;
	struct addr_range *v4;    /* n4 ranges, ascending */
	struct addr_range *v6;    /* n6 ranges, ascending */
};

struct port_range {
	uint16_t lo, hi;          /* inclusive */
};

struct port_set {
	bool any;                 /* 0-65535 (r then also holds that one range) */
	uint32_t n;
	struct port_range *r;     /* ascending, non-overlapping */
};

/* Integer comparison shared by dsize, ttl, itype, icode, ... (Suricata's
 * "detect-engine-uint" forms): N, <N, >N, <=N, >=N, !N, N<>M (exclusive), N-M. */
enum u32_op { U32_EQ, U32_NE, U32_LT, U32_LE, U32_GT, U32_GE, U32_RANGE };

struct u32_cmp {
	enum u32_op op;
	uint32_t a;               /* the value, or the exclusive lower bound for RANGE */
	uint32_t b;               /* exclusive upper bound for RANGE */
};

/* Which buffer a payload match inspects. Only the packet payload for now;
 * app-layer buffers extend this enum. */
enum rule_buffer { RULE_BUF_PAYLOAD = 0, RULE_BUF_MAX };

/* struct rule_content.flags */
#define CONTENT_NOCASE      0x0001u
#define CONTENT_NEGATED     0x0002u
#define CONTENT_OFFSET      0x0004u
#define CONTENT_DEPTH       0x0008u
#define CONTENT_DISTANCE    0x0010u
#define CONTENT_WITHIN      0x0020u
#define CONTENT_FAST_PATTERN 0x0040u /* fast_pattern given explicitly */
#define CONTENT_FP_ONLY     0x0080u /* fast_pattern:only */
#define CONTENT_FP_CHOP     0x0100u /* fast_pattern:<off>,<len> */
#define CONTENT_STARTSWITH  0x0200u
#define CONTENT_ENDSWITH    0x0400u
#define CONTENT_RAWBYTES    0x0800u
/* Relative to the previous match in the same buffer (distance/within). */
#define CONTENT_RELATIVE    (CONTENT_DISTANCE | CONTENT_WITHIN)

struct rule_content {
	uint8_t *pat;             /* decoded bytes (|hex| resolved), owned */
	uint32_t len;
	uint32_t flags;           /* CONTENT_* */
	int32_t offset;           /* valid with CONTENT_OFFSET */
	int32_t depth;            /* valid with CONTENT_DEPTH */
	int32_t distance;         /* valid with CONTENT_DISTANCE (may be negative) */
	int32_t within;           /* valid with CONTENT_WITHIN */
	uint16_t fp_off, fp_len;  /* valid with CONTENT_FP_CHOP */
};

/* struct rule_pcre.flags */
#define PCRE_F_NEGATED  0x01u
#define PCRE_F_RELATIVE 0x02u   /* /R */
#define PCRE_F_RAWBYTES 0x04u   /* /B */

struct rule_pcre {
	char *expr;               /* the expression between the slashes, owned */
	uint32_t pcre2_opts;      /* PCRE2_* compile options from i s m x A E G */
	uint32_t flags;           /* PCRE_F_* */
	void *code;               /* pcre2_code *, compiled at parse time, owned */
};

/* One ordered payload match (Suricata's sigmatch list for a buffer). */
enum rule_match_kind { MATCH_CONTENT, MATCH_PCRE };

struct rule_match {
	enum rule_match_kind kind;
	enum rule_buffer buf;
	union {
		struct rule_content content;
		struct rule_pcre pcre;
	};
};

/* flow keyword: rule->flow_flags */
#define RULE_FLOW_TOSERVER      0x01u /* to_server / from_client */
#define RULE_FLOW_TOCLIENT      0x02u /* to_client / from_server */
#define RULE_FLOW_ESTABLISHED   0x04u
#define RULE_FLOW_NOT_ESTABLISHED 0x08u
#define RULE_FLOW_STATELESS     0x10u
#define RULE_FLOW_ONLY_STREAM   0x20u
#define RULE_FLOW_NO_STREAM     0x40u

enum flowbit_op { FB_SET, FB_UNSET, FB_TOGGLE, FB_ISSET, FB_ISNOTSET, FB_NOALERT };

/* One flowbits keyword. isset/isnotset may name several bits joined by
 * '|' (any of them), set/unset/toggle several joined by '&' (all of them). */
struct rule_flowbit {
	enum flowbit_op op;
	uint16_t n;               /* 0 for FB_NOALERT */
	uint32_t *ids;            /* flowbit ids, resolved by the ruleset's name table */
	char **names;             /* n names as written, owned (added: rule_parse has no
				   * ruleset, so ids are RULE_FLOWBIT_UNRESOLVED until
				   * ruleset_load_file interns the names) */
};

#define RULE_FLOWBIT_UNRESOLVED UINT32_MAX

enum thresh_type { THRESH_NONE, THRESH_LIMIT, THRESH_THRESHOLD, THRESH_BOTH, THRESH_DETECTION_FILTER };
enum thresh_track { TRACK_BY_SRC, TRACK_BY_DST, TRACK_BY_RULE, TRACK_BY_BOTH, TRACK_BY_FLOW };

struct rule_threshold {
	enum thresh_type type;
	enum thresh_track track;
	uint32_t count;
	uint32_t seconds;
};

/* rule->flags */
#define RULE_F_BIDIR        0x0001u /* <> */
#define RULE_F_NOALERT      0x0002u /* noalert or flowbits:noalert */
#define RULE_F_IPV4_ONLY    0x0004u /* header proto ipv4 */
#define RULE_F_IPV6_ONLY    0x0008u /* header proto ipv6 */
#define RULE_F_SRC_NEGATED  0x0010u /* informational: header had a top-level '!' */
#define RULE_F_DST_NEGATED  0x0020u

/* rule->has: which optional packet tests are present */
#define RULE_HAS_DSIZE   0x0001u
#define RULE_HAS_TTL     0x0002u
#define RULE_HAS_ITYPE   0x0004u
#define RULE_HAS_ICODE   0x0008u
#define RULE_HAS_IPPROTO 0x0010u

struct rule {
	/* identity */
	uint32_t gid, sid, rev;
	uint32_t priority;        /* from priority:, else classtype's, else 3 */
	char *msg;                /* owned, unescaped */
	const char *classtype;    /* short name, from the classification table (not owned) */
	const char *class_desc;   /* EVE "category" (not owned) */
	char *file;               /* where it was read (owned) */
	uint32_t line;

	/* header */
	enum rule_action action;
	enum rule_reject reject;
	enum rule_proto proto;
	uint32_t flags;           /* RULE_F_* */
	struct addr_set src, dst;
	struct port_set sp, dp;

	/* packet tests */
	uint32_t has;             /* RULE_HAS_* */
	struct u32_cmp dsize, ttl, itype, icode;
	uint8_t ip_proto;         /* with RULE_HAS_IPPROTO; ip_proto_neg flips it */
	bool ip_proto_neg;
	uint32_t flow_flags;      /* RULE_FLOW_* */

	/* payload matches, in rule order */
	uint32_t nmatch;
	struct rule_match *match;

	/* state */
	uint32_t nflowbit;
	struct rule_flowbit *flowbit;
	struct rule_threshold threshold;  /* type THRESH_NONE if absent */

	/* set by the compiler */
	int32_t fp_index;         /* index in match[] of the fast pattern, -1: none */
	uint32_t order;           /* evaluation order (action order, then priority, then sid) */
};

/* What a loaded set of rules holds, plus its tallies. */
struct ruleset {
	uint32_t n;
	struct rule **rules;          /* the rules that loaded, in file order */
	uint32_t nfailed;
	uint32_t nflowbits;           /* distinct flowbit names */
	char **flowbit_names;         /* id -> name */
	/* failure tallies by reason, for the -T summary */
	uint32_t nreasons;
	struct ruleset_reason { char *reason; uint32_t count; } *reasons;
	/* (added) private to the loader: the gid:sid index for duplicate checks */
	void *sid_index;
};

#endif
