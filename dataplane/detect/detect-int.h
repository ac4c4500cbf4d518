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
_Static_assert(PC_MAX <= 8, "struct de_rule.classes: a bit per class");

/* struct de_rule.flags */
#define DR_F_IPONLY      0x01u /* Suricata's IP-only: first packet of each flow direction */
#define DR_F_FILE        0x02u /* (added) DR_F_APP with file keywords: tried per file */
#define DR_F_NEED_FLOW   0x04u /* flowbits or flow keyword (except stateless) */
#define DR_F_PAYLOAD     0x08u /* has payload matches */
#define DR_F_SP_ANY      0x10u
#define DR_F_DP_ANY      0x20u
#define DR_F_APP         0x40u /* (added) app-layer buffers or keywords: run per transaction */
#define DR_F_APP_PROTO   0x80u /* (added) packet rule that needs the flow's app protocol */

/* One rule as the engine sees it, in evaluation order (index = rank). */
struct de_rule {
	const struct rule *r;
	uint8_t classes;         /* bit per enum pclass */
	uint8_t hdr_class;       /* (added) its header's number (detect_hdrclass.c) */
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
/* Patterns this short whose rules bound where their hit ends (depth,
 * offset + depth) go into a head database of their own, scanned over the
 * buffer's first head_len bytes only: with ET Open they make most of the
 * literal matcher's false hits where they run over every byte. They used to
 * go in with Hyperscan's max_offset, but one such pattern turns a literal
 * set into an engine with a start-up cost per scan (ET Open's ICMP set: 50
 * patterns, one bounded, 267 KB). */
#define DETECT_PF_BOUNDED_LEN 4u

struct pat_db {
	hs_database_t *db;       /* the other patterns, NULL: none */
	hs_database_t *head;     /* short bounded ones (DETECT_PF_BOUNDED_LEN), NULL: none */
	uint32_t head_len;       /* the head is scanned over this many bytes at most */
	struct pat_gate *gate;   /* (added) whether the head can hit (detect_patgate.c) */
	uint32_t npat;
	uint32_t maxlen;         /* longest pattern: a scan resumed maxlen - 1 bytes
				  * back misses no match across the resume point */
	uint32_t minlen;         /* shortest: a shorter buffer is not scanned (nor
				  * the database's memory touched) */
	uint32_t maxpayload;     /* a longer packet payload is not scanned: every
				  * rule here bounds dsize below it (UINT32_MAX: not) */
	uint32_t *pat_first;     /* npat + 1 */
	uint32_t *pat_rules;
	struct pat_info *info;   /* npat */
	uint32_t memo_key;       /* the memo's slot seed: the same from run to run */
	struct pf_check *check;  /* (added) a packet set's rules asked first, NULL: none
				  * (detect_pfcheck.c) */
};

/* (added) The rules of a packet prefilter set when they are few and each
 * has header tests (or flowbit tests, bits[i]) that often fail: the set is
 * scanned only for a packet that one of them passes. */
#define DETECT_PF_CHECK_MAX 8u
struct pf_check {
	uint32_t n;
	uint32_t rank[DETECT_PF_CHECK_MAX];
	bool bits[DETECT_PF_CHECK_MAX];
};

/* A pattern id's length and whether it went into the head database. */
struct pat_info {
	uint8_t len;
	bool head;
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

/* Which slice of a long fast pattern goes into a database: the tail
 * (DETECT_PF_LEN_MAX bytes), or for message bodies the DETECT_PF_RARE_LEN
 * bytes that end rarest (detect_rarity.c). Measured with ET Open, Hyperscan
 * instructions per byte of the file_data set: bench-http's bodies 23.1 ->
 * 9.6, real HTML and JavaScript 9.2 -> 7.8, the corpus payloads unchanged
 * (6.6). The TCP stream set got worse on the corpus payloads (12.1 -> 13.6)
 * and header buffers made more candidates (detect_applayer.c): they keep
 * the tail. */
enum pf_slice { PF_SLICE_TAIL, PF_SLICE_RARE };
#define DETECT_PF_RARE_LEN  16u
#define DETECT_PF_RARE_TAIL 4u
_Static_assert(DETECT_PF_RARE_LEN <= DETECT_PF_LEN_MAX, "a slice fits a pattern's text");
/* detect_rarity.c (generated by tools/gen/byte-rarity.py): how rare each
 * byte value is in traffic payloads, -4 log2 of its frequency; and with
 * the letters of both cases together. */
extern const uint8_t detect_byte_rarity[256];
extern const uint8_t detect_byte_rarity_nocase[256];

/* detect_patdb.c: the fast pattern bytes of content c (fast_pattern chop
 * applied, then cut to a slice) for the rule of rank. */
void pat_ref_set(struct pat_ref *p, const struct rule_content *c, uint32_t rank,
		 enum pf_slice slice);
/* (added) Hyperscan's literal matcher finds each pattern by its last 8
 * bytes and confirms the rest at every place they occur. When shared or
 * more of refs[0..n) end in the same 8 bytes (case folded), those bytes are
 * a token of a format rather than of an attack (15 of ET Open's HTTP
 * response patterns end in "</title>"), and each such pattern is cut back
 * to its latest end whose 8 bytes no pattern of the set ends in (its
 * bytes still a slice of the content; left whole if none). Patterns count
 * once however many rules share them; refs is reordered. 0 or -ENOMEM. */
int pat_refs_unshare_tails(struct pat_ref *refs, uint32_t n, uint32_t shared);
/* Sort and deduplicate refs[0..n) (reordered), fill db and compile it (no
 * database when n == 0). A pattern Hyperscan refuses fails the build, or,
 * when de->reject is set, has each of its rules passed to it and is left
 * out. 0, or -errno with err filled; pat_db_free either way. */
int pat_db_build(const struct detect_engine *de, struct pat_db *db, struct pat_ref *refs,
		 uint32_t n, char *err, size_t errlen);
void pat_db_free(struct pat_db *db);
/* detect_patgate.c: the gate of db's head database from the refs[0..n)
 * pat_db_build sorted (db->info filled); 0, or -ENOMEM. Then whether a
 * head pattern occurs in buf[0..len): false means a scan of the head over
 * those bytes reports nothing. */
int pat_gate_build(struct pat_db *db, const struct pat_ref *refs, uint32_t n);
bool pat_gate_pass(const struct pat_gate *g, const uint8_t *buf, uint32_t len);
void pat_gate_free(struct pat_db *db);
/* No rule has a fast pattern in db. */
static inline bool pat_db_empty(const struct pat_db *db)
{
	return db->db == NULL && db->head == NULL;
}
/* Grow scratch to fit db; HS_SUCCESS or Hyperscan's error. */
hs_error_t pat_db_scratch(const struct pat_db *db, hs_scratch_t **scratch);
/* db's compiled size, and its counts, added to the engine's figures. */
void pat_db_count(struct detect_engine *de, const struct pat_db *db);
/* Which patterns have reported in the scan under way (a thread's own): the
 * databases report every occurrence (Hyperscan's SINGLEMATCH made them a
 * fifth bigger), a rule needs the first. stamp: one per pattern id of the
 * engine's largest database. */
struct pat_memo_ent;
struct pat_seen {
	uint32_t *stamp;
	uint32_t n;              /* stamps */
	uint32_t cur;
	match_event_handler cb;
	void *ctx;
	struct pat_memo_ent *rec; /* the memo entry the scan under way fills, or NULL */
};
/* buf[0..len) through db, the first hit of each pattern to cb with offsets
 * from buf; the head over buf's first head_len bytes. HS_SUCCESS or
 * Hyperscan's error. */
hs_error_t pat_db_scan(const struct pat_db *db, const uint8_t *buf, uint32_t len,
		       hs_scratch_t *scratch, struct pat_seen *seen, match_event_handler cb,
		       void *ctx);
/* (added) As pat_db_scan, through the head database only. */
hs_error_t pat_db_scan_head(const struct pat_db *db, const uint8_t *buf, uint32_t len,
			    hs_scratch_t *scratch, struct pat_seen *seen, match_event_handler cb,
			    void *ctx);
/* (added) As pat_db_scan, but every hit goes to cb: the callback keeps
 * seen itself (a new scan's stamp is taken here). */
hs_error_t pat_db_scan_every(const struct pat_db *db, const uint8_t *buf, uint32_t len,
			     hs_scratch_t *scratch, struct pat_seen *seen,
			     match_event_handler cb, void *ctx);

/* How many rules name a distinct item (an address set, a rule header) and
 * when the first did: the build numbers the most named first, ties in rule
 * order. use_rank_order sorts pointers to structs that begin with one. */
struct use_rank {
	uint32_t uses;
	uint32_t first;
};
static inline int use_rank_order(const void *a, const void *b)
{
	const struct use_rank *x = *(const struct use_rank *const *)a;
	const struct use_rank *y = *(const struct use_rank *const *)b;

	if (x->uses != y->uses)
		return x->uses > y->uses ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* detect_patmemo.c: a worker's memo of short scans, two-way set associative
 * by a hash of (database, bytes): an entry holds the bytes and the pattern
 * ids their scan gave, first hits in order (a scan with more ids is not
 * kept). Valid for the databases of one engine: a thread and its memo
 * belong to one. */
#define PAT_MEMO_SLOTS 1024u     /* 197 KiB per worker */
#define PAT_MEMO_LEN   144u      /* bytes of the longest buffer remembered */
#define PAT_MEMO_IDS   9u
struct pat_memo_ent {
	const struct pat_db *db; /* NULL: empty */
	uint16_t len;
	uint8_t nid;             /* PAT_MEMO_IDS + 1 while recording: too many */
	uint32_t id[PAT_MEMO_IDS];
	uint8_t bytes[PAT_MEMO_LEN];
};
/* tag[]: a second part of each entry's hash (never 0: 0 is empty), 4 KiB
 * that stay cached where the 192 KiB of entries do not: most lookups find
 * nothing, and they no longer wait for two entries' lines to say so. */
struct pat_memo {
	uint32_t tag[PAT_MEMO_SLOTS];
	struct pat_memo_ent ent[PAT_MEMO_SLOTS]; /* set k: entries 2k and 2k + 1 */
	uint8_t mru[PAT_MEMO_SLOTS / 2];         /* per set: the way answered or filled last */
};
/* As pat_db_scan, answered from m when buf was scanned through db before
 * (*remembered set; m NULL, or buf longer than PAT_MEMO_LEN: scanned). A
 * remembered answer gives cb the pattern ids alone (offsets 0): for callers
 * that need only which patterns are present. */
hs_error_t pat_db_scan_memo(struct pat_memo *m, const struct pat_db *db, const uint8_t *buf,
			    uint32_t len, hs_scratch_t *scratch, struct pat_seen *seen,
			    match_event_handler cb, void *ctx, bool *remembered);
/* Id joins the entry being recorded (pat_db_scan's first hits). */
void pat_memo_record(struct pat_memo_ent *e, unsigned int id);

/* The payload prefilters: each payload byte is scanned against the rules
 * that can match it there, once. A TCP packet whose data went into the
 * stream is inspected by the stream rules on the stream only, so its own
 * scan needs just the packet rules (tcp-pkt, dsize, flow:no_stream); the
 * stream window is scanned for the stream rules. Other protocols have
 * their own rules (and the ip rules, which are in every set). */
enum pf_kind {
	PFK_TCP_STREAM, PFK_TCP_PKT, PFK_UDP, PFK_TCP_SMALL, PFK_UDP_SMALL, PFK_ICMP, PFK_OTHER,
	PFK_MAX
};
/* The packet rules whose dsize admits only payloads this short or shorter
 * have sets of their own (PFK_*_SMALL), which a longer payload skips: ET
 * Open's TCP packet rules are mostly such (dsize:10, dsize:<600), and
 * scanning every full-size segment of a flow with them cost a Hyperscan
 * pass over most of the traffic. */
#define DETECT_SMALL_PAYLOAD 1024u
/* The kinds of flows with a direction. Each also has a prefilter per
 * direction, without the rules that name the other one (flow:to_server,
 * to_client): most payload rules name one, and a literal matcher's cost per
 * byte grows with its pattern count (ET Open's TCP stream set: 1,915
 * patterns, 8.7 Hyperscan instructions per byte; its to-client part: ~250
 * patterns, 4.5). A packet without a flow has no direction: it takes the
 * kind's whole set. */
#define PFK_DIRECTED (PFK_UDP_SMALL + 1)

/* (added) The directed sets again by the server's port (detect_pfport.c),
 * as Suricata's signature group heads: a to-server packet's destination
 * port, a to-client packet's source port picks the set that holds only the
 * rules whose port set on that side admits it (any-port, bidirectional and
 * Snort 3 service rules are in all). Bounded as Suricata's profile medium
 * bounds its groups: the port ranges of Suricata's priority lists
 * (detect.grouping) and then those most rules name get a set of their own,
 * up to DETECT_PF_PORT_GROUPS per family and direction; the ports no
 * port-bound rule names share one (the any-port rules), every other port
 * the rest's (the rules of the ports without a set of their own). Equal
 * sets are built once; a set that would leave out too few patterns to pay
 * for its compile is the direction's whole set. All are supersets: the
 * header test decides. An earlier probe that cut every distinct port set
 * compiled ET Open in 96 s instead of 5 s. */
#define DETECT_PF_PORT_GROUPS 8u
#define DETECT_PF_SLOTS (DETECT_PF_PORT_GROUPS + 2u) /* + the rest and the unnamed ports */
enum pf_family { PFF_TCP, PFF_UDP, PFF_MAX };

struct pf_port_map {
	uint8_t *slot;           /* 65536: server port -> slot; NULL: the whole sets */
	uint32_t nslot;
	const struct pat_db *db[PFK_DIRECTED][DETECT_PF_SLOTS]; /* by kind and slot */
	const struct pat_db *both[DETECT_PF_SLOTS]; /* (added) by slot: its two packet
						     * sets in one (detect_pfpair.c),
						     * NULL: none */
};

static inline enum pf_family pf_kind_family(enum pf_kind k)
{
	return k == PFK_UDP || k == PFK_UDP_SMALL ? PFF_UDP : PFF_TCP;
}

/* (added) A family's two packet sets, scanned over the same payload: the
 * rules of any payload size (tcp-pkt, dsize without a small bound,
 * flow:no_stream; all UDP rules) and those of short payloads only
 * (PFK_*_SMALL). Their rules are disjoint. */
static const enum pf_kind pf_packet_kinds[PFF_MAX][2] = {
	[PFF_TCP] = { PFK_TCP_PKT, PFK_TCP_SMALL },
	[PFF_UDP] = { PFK_UDP, PFK_UDP_SMALL },
};

struct detect_engine {
	uint64_t serial;         /* unique per build: per-flow and per-transaction state
				  * made with another engine (before a reload) is dropped */
	const struct ruleset *rs;
	uint32_t nrules;
	struct de_rule *rules;   /* sorted by rule->order */

	struct pat_db pf[PFK_MAX];  /* payload prefilters by enum pf_kind */
	struct pat_db pf_dir[PFK_DIRECTED][2]; /* the same by enum pkt_dir, each compiled
						 * only when a port group takes it whole */
	uint32_t pf_dir_built;   /* bit k * 2 + dir: pf_dir[k][dir] is */
	struct pf_port_map pf_port[PFF_MAX][2]; /* (added) and by server port */
	struct pat_db *pf_grp;   /* (added) the port groups' own databases */
	uint32_t npf_grp;
	struct pat_db *pf_both;  /* (added) the packet set pairs' databases (pf_port_map.both) */
	uint32_t npf_both;
	hs_scratch_t *scratch;   /* prototype (large enough for every pf), cloned by each thread */
	uint32_t max_npat;       /* patterns of the largest database (struct pat_seen) */

	/* rules without a fast pattern, by packet class, ascending rank */
	uint32_t nalways[PC_MAX];
	uint32_t *always[PC_MAX];
	struct rule_groups groups[PC_MAX]; /* (added) the same rules by port */

	uint32_t max_captures;   /* largest pcre capture count, sizes the match data */
	bool captures;           /* (added) some rule stores pcre captures (RULE_F_CAPTURE) */
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
	uint32_t alert_max;      /* (added) packet-alert-max, 0: DETECT_ALERTS_DEFAULT */
	struct de_addr_ids *addr_ids; /* (added) by rank: its sides' address set numbers */
	uint32_t naddr_sets;     /* (added) sets numbered (detect_addrset.c), 0: none */
	uint32_t nhdr_classes;   /* (added) headers numbered (detect_hdrclass.c), 0: none */
};

/* The fast patterns of prefilter kind k for flow direction dir (enum
 * pkt_dir, or 2: any) into refs (room for de->nrules); their count, and in
 * *maxpayload the largest payload their rules' dsize admits. */
uint32_t detect_pf_refs(const struct detect_engine *de, struct pat_ref *refs, enum pf_kind k,
			unsigned dir, uint32_t *maxpayload);
/* (added) The same, of the rules keep(de, rank, ctx) takes only. */
typedef bool (*pf_keep_fn)(const struct detect_engine *de, uint32_t rank, const void *ctx);
uint32_t detect_pf_refs_kept(const struct detect_engine *de, struct pat_ref *refs,
			     enum pf_kind k, unsigned dir, pf_keep_fn keep, const void *ctx,
			     uint32_t *maxpayload);
/* (added) The prefilter database of pf into the engine: its scratch grown
 * and its figures counted. 0 or -ENOMEM. */
int detect_pf_adopt(struct detect_engine *de, const struct pat_db *db);
/* (added) pf_dir[k][dir] compiled, once. 0, or -errno with err filled. */
int detect_pf_dir_build(struct detect_engine *de, enum pf_kind k, unsigned dir, char *err,
			size_t errlen);

/* detect_pfcheck.c (added): the checks of the engine's packet prefilter
 * sets, once they are all built; 0 or -ENOMEM (pat_db_free frees them).
 * Then whether one of c's rules can match p (of packet class pclass_bit,
 * memo: its flow's address memo or NULL): false means no candidate of the
 * set could, and the scan is left out. */
int detect_pf_checks_build(struct detect_engine *de);
bool detect_pf_check_pass(const struct detect_engine *de, const struct pf_check *c,
			  const struct packet *p, uint16_t pclass_bit, struct detect_flow_addr *memo);

/* detect_pfport.c (added): the port groups' sets, after the directed ones;
 * 0, or -errno with err filled. free: theirs. */
int detect_pfport_build(struct detect_engine *de, char *err, size_t errlen);
void detect_pfport_free(struct detect_engine *de);

/* detect_pfpair.c (added): each port slot's two packet sets (pf_packet_kinds)
 * compiled into one more database, after the port groups and their checks;
 * 0 or -ENOMEM (a pair Hyperscan refuses is left without one). free: theirs. */
int detect_pfpair_build(struct detect_engine *de);
void detect_pfpair_free(struct detect_engine *de);

/* (added) Where the prefilters of one family are picked for packet p,
 * found once for the kinds p is scanned with: a flow's packet by its
 * direction and server port. */
struct pf_pick {
	const struct pf_port_map *m; /* NULL: p has no flow, the kinds' whole sets */
	uint8_t dir;
	uint8_t slot;            /* in m, when m->slot */
};

static inline struct pf_pick detect_pf_pick(const struct detect_engine *de, enum pf_family fam,
					    const struct packet *p)
{
	const struct pf_port_map *m;

	if (p->flow == NULL)
		return (struct pf_pick){ .m = NULL };
	m = &de->pf_port[fam][p->dir];
	return (struct pf_pick){
		.m = m, .dir = p->dir,
		.slot = m->slot != NULL ? m->slot[p->dir == PKT_TO_SERVER ? p->dp : p->sp] : 0,
	};
}

/* The prefilter of kind k (of pk's family) picked by pk. */
static inline const struct pat_db *detect_pf_picked(const struct detect_engine *de,
						    const struct pf_pick *pk, enum pf_kind k)
{
	if (k >= PFK_DIRECTED || pk->m == NULL)
		return &de->pf[k];
	if (pk->m->slot == NULL)
		return &de->pf_dir[k][pk->dir];
	return pk->m->db[k][pk->slot];
}

/* (added) pk's two packet sets in one database; NULL: none (scan them apart). */
static inline const struct pat_db *detect_pf_picked_both(const struct pf_pick *pk)
{
	return pk->m != NULL && pk->m->slot != NULL ? pk->m->both[pk->slot] : NULL;
}

/* The prefilter of kind k that packet p is scanned with. */
static inline const struct pat_db *detect_pf_db(const struct detect_engine *de, enum pf_kind k,
						const struct packet *p)
{
	struct pf_pick pk;

	if (k >= PFK_DIRECTED || p->flow == NULL)
		return &de->pf[k];
	pk = detect_pf_pick(de, pf_kind_family(k), p);
	return detect_pf_picked(de, &pk, k);
}

/* (added) Kinds of the state this stage keeps in the shared host table. */
enum host_kind {
	HK_XBIT_HOST = 1,        /* an xbit on one address (track ip_src or ip_dst) */
	HK_XBIT_PAIR,            /* an xbit on an address pair (track ip_pair) */
	HK_THRESHOLD,            /* + enum thresh_track: a rule's threshold window */
	HK_TAG_HOST = HK_THRESHOLD + 16, /* a rule's tag:host on one address */
};

/* by_flow state kept in a table rather than on its flow (a backoff
 * threshold's count) outlives no flow: it is dropped this long after its
 * last write (longer than any default flow timeout). */
#define DETECT_FLOW_STATE_TTL_US (3600ull * 1000000ull)

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
	struct pat_seen seen;    /* its patterns that have reported */
	struct pat_memo *memo;   /* short buffers' prefilter answers (detect_patmemo.c) */
	uint32_t ncand;
	uint32_t *cand;          /* prefilter candidates (ranks), de->nrules slots */
	uint32_t *always_buf;    /* (added) the IP-only rules merged with
				  * the address index's lists */
	uint16_t pclass_bit;
	struct detect_flow_addr *addr_memo; /* (added) the packet's flow's, NULL: none */
	uint32_t hdr_failed;     /* (added) header classes known to fail the packet
				  * (detect_hdr_failed) */

	/* (added) stream inspection, per packet (detect_stream.c) */
	const struct detect_stream *stream; /* NULL: none with this packet */
	uint32_t ncand_pkt;      /* candidates from the packet scan, sorted */
	bool stream_match;       /* the last payload match was on the stream */
	struct app_tx *match_tx; /* (added) the transaction of the rule being fired, NULL: none */

	struct host_table *flow_thr; /* (added) by_flow thresholds */
	/* (added) state per host, pair or rule: the table every worker shares,
	 * or the thread's own (hosts_own) when none was given; with a gate,
	 * accessed in capture order (detect_hosts) */
	struct host_table *hosts;
	struct host_table *hosts_own;
	struct seq_gate *gate;
	unsigned gate_id;
	struct detect_app_thread *app; /* (added) app-layer inspection state */
	struct detect_capture *cap; /* (added) pcre captures, NULL: the engine has none */
	uint8_t *b64;            /* (added) base64_decode output, DETECT_B64_OUT_MAX bytes */
	struct detect_stats stats;
	struct rule_prof *prof;  /* (added) per rank, NULL: profiling off (detect_profile.c) */
};

/* (added) Rule dr's header is known to fail the packet's flow direction
 * (dt->hdr_failed): it cannot match, whatever its buffers hold. */
static inline bool detect_hdr_fails(const struct detect_thread *dt, const struct de_rule *dr)
{
	return dt->hdr_failed >> dr->hdr_class & 1u;
}

/* (added) Rule dr can be a candidate of the packet under inspection: of
 * its class, and its header not known to fail. */
static inline bool detect_cand_ok(const struct detect_thread *dt, const struct de_rule *dr)
{
	return (dr->classes & dt->pclass_bit) && !detect_hdr_fails(dt, dr);
}

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

/* A list of rule ranks, ascending. */
struct rank_list {
	const uint32_t *r;       /* ascending ranks */
	uint32_t n;
};

/* detect_group.c (added): build/free the engine's rule groups (after the
 * always lists). detect_group_rules_flow: the always-checked rules p can
 * match, as two ascending lists of disjoint ranks: *grp its port group's,
 * and *extra the IP-only ones when iponly and the address index's
 * candidates (in the engine or in dt->always_buf). Returns the keeping of
 * the port group in p's flow direction (struct detect_flow_group; its
 * address test bits, by index in *grp, are the caller's to use), or NULL
 * when p's cannot be kept. */
int detect_group_build(struct detect_engine *de);
void detect_group_free(struct detect_engine *de);
struct detect_flow_group *detect_group_rules_flow(struct detect_thread *dt, struct packet *p,
						  enum pclass pc, bool iponly,
						  struct rank_list *grp, struct rank_list *extra);

/* detect_addrindex.c (added): rules without a fast pattern whose source or
 * destination list is large (addr_min ranges or more) are taken out of the
 * always lists and found through an address index instead: per packet class,
 * IP-only or not, and header side, disjoint intervals each listing the rules
 * whose indexed side covers it. build: after the rules' classes and flags,
 * before the always lists; 0 or -ENOMEM. */
#define DETECT_ADDR_MIN_RANGES 8u /* why 8: detect_addrindex.c */
#define DETECT_ADDR_LISTS      4u /* lists a lookup can return */

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

/* detect_capture.c (added): pcre captures into packet and flow variables,
 * as Suricata 7's DetectVarStoreMatch and DetectVarProcessList. A pcre of
 * rule inspection that matched stores its captures as pending (store); once
 * the rule's inspection is over, matched or not (Suricata commits at its
 * "next:" label either way), the pending ones go on the packet and its flow
 * (commit: a test of one counter when there are none). Values are cut at
 * DETECT_VAR_VALUE_MAX bytes (Suricata's 64 KiB); what the bounds refuse is
 * counted in vars_refused. The packet's and the flow's variables hold 32 KiB
 * each at most, so that an alert's record with all of them (escaped, twice
 * the bytes at worst) still fits an EVE writer's buffer. Each thread's areas
 * are allocated by detect_capture_init only when the engine has capture
 * rules. */
#define DETECT_VAR_VALUE_MAX   0xffffu
#define DETECT_CAP_PENDING     16u      /* captures pending for one rule */
#define DETECT_CAP_PEND_BYTES  (64u * 1024u)
#define DETECT_PKTVARS_MAX     16u      /* variables on one packet */
#define DETECT_PKTVARS_BYTES   (32u * 1024u)

struct detect_capture {
	bool mute;               /* an inspection that only checks: no store */
	uint32_t npend, pend_used;
	struct cap_pending {
		const struct rule_capture *cap;
		uint32_t off, len;       /* in pend_area */
	} pend[DETECT_CAP_PENDING];
	uint32_t npkt, pkt_used;
	struct detect_pktvar pkt[DETECT_PKTVARS_MAX];
	uint8_t pend_area[DETECT_CAP_PEND_BYTES];
	uint8_t pkt_area[DETECT_PKTVARS_BYTES];
};

int detect_capture_init(struct detect_thread *dt);
void detect_capture_fini(struct detect_thread *dt);
/* A new packet: no packet variables; res shows the thread's. */
void detect_capture_packet(struct detect_thread *dt, struct detect_result *res);
/* subject matched pcre pc with ovector ov (rc: pcre2_match's count). */
void detect_capture_store(struct detect_thread *dt, const struct rule_pcre *pc,
			  const uint8_t *subject, const PCRE2_SIZE *ov, int rc);
void detect_capture_commit_slow(struct detect_thread *dt, struct packet *p,
				struct detect_result *res);
static inline void detect_capture_commit(struct detect_thread *dt, struct packet *p,
					 struct detect_result *res)
{
	if (__builtin_expect(dt->cap != NULL && dt->cap->npend != 0, 0))
		detect_capture_commit_slow(dt, p, res);
}
/* The flow's variable name (name_hash its rule_name_hash), NULL: not set. */
const struct detect_flow_var *detect_flowvar_get(const struct flow *f, uint64_t name_hash,
						 const char *name);
/* The flow's variables (flow vars, flowints), made empty when it has none
 * yet; NULL: out of memory. */
struct detect_flow_vars *detect_flow_vars_make(struct flow *f);
/* Frees the flow's variables (detect_flow_free). */
void detect_flow_vars_free(struct flow *f);
/* The packet's first variable name, as Suricata's PktVarGet; NULL: none. */
const struct detect_pktvar *detect_pktvar_get(const struct detect_thread *dt,
					      uint64_t name_hash, const char *name);

/* detect_addrset.c (added): the address sets the most rule sides name
 * (compared by content) numbered 0 .. naddr_sets - 1, at most max of them
 * (DETECT_ADDR_SETS; 0: none), for the flows' memo of which hold their
 * addresses (struct detect_flow_addr). build: after the rules are sorted;
 * 0 or -ENOMEM. A side with "any" or a set without a number has
 * DETECT_ADDR_SET_NONE. */
#define DETECT_ADDR_SET_NONE 0xffu
struct de_addr_ids {
	uint8_t src, dst;
};
int detect_addrset_build(struct detect_engine *de, uint32_t max);
void detect_addrset_free(struct detect_engine *de);
/* p's flow's memo, emptied when another engine made it; NULL when p has no
 * flow or direction, or the engine numbered no set nor header. */
struct detect_flow_addr *detect_addr_memo(const struct detect_engine *de, struct packet *p);

/* detect_hdrclass.c (added): rules' headers (address sets, ports,
 * direction) numbered by content, the DETECT_HDR_CLASSES that the most rules
 * share (de_rule.hdr_class; DETECT_HDR_CLASS_NONE: no number), for the
 * flows' memo of which pass each flow direction (struct detect_flow_addr).
 * build: after detect_addrset_build (a numbered header names numbered
 * address sets or "any"). */
#define DETECT_HDR_CLASS_NONE DETECT_HDR_CLASSES /* its bit is never set */
_Static_assert(DETECT_HDR_CLASSES < 32, "a bit per class and none");
int detect_hdrclass_build(struct detect_engine *de); /* 0 or -ENOMEM */
/* The header classes that fail p (none for a fragment: its ports are not
 * the flow's), from its flow's memo m (NULL: none known): a prefilter
 * candidate of one of them can be dropped unseen. */
static inline uint32_t detect_hdr_failed(const struct detect_flow_addr *m, const struct packet *p)
{
	if (m == NULL || (p->flags & (PKT_F_IPV4_FRAG | PKT_F_IPV6_FRAG)))
		return 0;
	return m->cls_known[p->dir] & ~m->cls_pass[p->dir];
}

/* detect_fp.c */
uint32_t fp_pattern_strength(const uint8_t *pat, uint32_t len);
/* (added) c is one byte value, alone or repeated (|00 00 00 00 00|,
 * "AAAA", case folded with nocase). Hyperscan's literal matcher confirms such a pattern at
 * every byte of a run in the data (zero padding, exploit filler), even
 * once it reported (SINGLEMATCH): on corpus-mix |00 00 00 00 00| made half
 * of the UDP small-payload sets' instructions, "A" x 16 a third of the TCP
 * stream to-server set's. A rule's other content is as necessary a
 * condition (every content is verified), so the fast pattern is taken
 * among the others when there is one; an explicit fast_pattern stays. */
bool fp_one_byte_run(const struct rule_content *c);

/* detect_header.c: header, packet tests and flow keyword; true if they pass. */
enum pclass detect_pclass(const struct packet *p);
bool detect_match_header(const struct de_rule *dr, const struct packet *p);
/* Its two halves: addresses and ports, which are the same for every packet
 * of a flow direction that is not a fragment; and the rest. */
bool detect_match_addr_ports(const struct de_rule *dr, const struct packet *p);
bool detect_match_header_rest(const struct de_rule *dr, const struct packet *p);
/* (added) The same as detect_match_addr_ports and detect_match_header, the
 * address sets answered from the flow's memo m (detect_addr_memo; NULL:
 * searched); dr is a rule of de. */
bool detect_match_addr_ports_memo(const struct detect_engine *de, const struct de_rule *dr,
				  const struct packet *p, struct detect_flow_addr *m);
bool detect_match_header_memo(const struct detect_engine *de, const struct de_rule *dr,
			      const struct packet *p, struct detect_flow_addr *m);
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
 * ipopts sameip stream_size icmp_id icmp_seq tcp.mss icmpv6.mtu, flow.age and
 * the flow counters, stream and applayer_* events, checksum keywords; true if
 * all hold. */
#define RULE_HAS_PKTKW (RULE_HAS_TCPFLAGS | RULE_HAS_ACK | RULE_HAS_SEQ | RULE_HAS_WINDOW | \
			RULE_HAS_IPID | RULE_HAS_FRAGBITS | RULE_HAS_FRAGOFF | RULE_HAS_TOS | \
			RULE_HAS_IPOPTS | RULE_HAS_SAMEIP | RULE_HAS_STREAMSIZE | \
			RULE_HAS_ICMPID | RULE_HAS_ICMPSEQ | RULE_HAS_TCPMSS | \
			RULE_HAS_PKTEVENT | RULE_HAS_CSUM | RULE_HAS_FLOWAGE | \
			RULE_HAS_FLOWPKTS_TS | RULE_HAS_FLOWPKTS_TC | RULE_HAS_FLOWBYTES_TS | \
			RULE_HAS_FLOWBYTES_TC | RULE_HAS_FLOWEITHER | RULE_HAS_ICMPV6MTU)
bool detect_match_pktkw(const struct rule *r, const struct packet *p);

/* detect_vars.c (added): xbits and flowint. check: the tests (isset, ==,
 * ...) hold; apply: the rule matched, run the changes (set, +, ...). */
#define RULE_HAS_VARS (RULE_HAS_XBITS | RULE_HAS_FLOWINT | RULE_HAS_VARMATCH)
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

/* detect_alertq.c (added): the packet's alert queue, Suricata 7's
 * PacketAlertFinalize done as each alert comes: kept sorted by rule order
 * (then the later transaction first), at most packet-alert-max entries.
 * add: the slot for an alert of r on transaction tx (NULL: none), its rule
 * and tx set, the rest for the caller to fill; NULL when r ranks below
 * every kept alert of a full queue. A lower-ranked alert that makes room
 * is dropped. Both counted (alert_queue_overflow, res->alerts_dropped).
 * pass: pass rule r matched: the alerts ranked after it go, uncounted, as
 * Suricata's loop stops at the pass. */
struct detect_alert *detect_alertq_add(struct detect_thread *dt, struct detect_result *res,
				       const struct rule *r, struct app_tx *tx);
void detect_alertq_pass(struct detect_thread *dt, struct detect_result *res,
			const struct rule *r);

/* detect_applayer.c (added): app-layer rules. setup: flags, directions and
 * fast pattern of one rule (after classes and flags are set); build: the
 * per-buffer Hyperscan databases and lists, 0 or -errno with err filled. */
void detect_app_rule_setup(struct de_rule *dr);
int detect_app_build(struct detect_engine *de, char *err, size_t errlen);
void detect_app_free(struct detect_engine *de);
/* The flow's protocol satisfies the rule's header protocol and
 * app-layer-protocol (a packet rule with DR_F_APP_PROTO). */
bool detect_app_proto_match(const struct rule *r, const struct flow *f);
/* (added) Whether f's detected protocol is one of r's Snort 3 services
 * (rule.services), which then stand for the rule's ports. */
bool detect_service_match(const struct rule *r, const struct flow *f);

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
/* (added) the decode-event rules of the tcp, udp and icmp protocols on a
 * packet whose transport header could not be read (the ordinary path gave
 * them no turn); true when one ended the packet's inspection. */
bool detect_event_l4_packet(struct detect_thread *dt, struct packet *p,
			    struct detect_result *res);

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
