/* SPDX-License-Identifier: MIT */
/* Flow table internals shared by the files of dataplane/flow (not a public API). */
#ifndef IDS_FLOW_INT_H
#define IDS_FLOW_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "flow.h"

#define FLOW_CACHE_LINE 64

/* One pool entry: a flow padded to whole cache lines so that its hot first line
 * (key, hash, state, last_ts, hnext) never straddles two lines. The memcap
 * counts slots, so the tables never use more than they were given. */
struct flow_slot {
	struct flow f;
} __attribute__((aligned(FLOW_CACHE_LINE)));

#define FLOW_SLOT_SIZE sizeof(struct flow_slot)

_Static_assert(sizeof(struct flow_key) == 40, "flow_key must have no padding (memcmp)");
_Static_assert(offsetof(struct flow, hnext) + sizeof(void *) <= FLOW_CACHE_LINE,
	       "hot flow fields must fit the first cache line");

/* Timeout classes, indexing flow_table.to_us[][] */
enum flow_to_class { FLOW_TO_NEW, FLOW_TO_EST, FLOW_TO_CLOSED, FLOW_TO_MAX };

/* The flows of one timeout (a protocol class's new, established or closed),
 * least recently used first. A flow goes to the tail of its list on each
 * packet, and to another list when the packet changes its class, so each
 * head is its list's first flow to time out: expiry takes heads and never
 * steps over a flow that is not due. Index: flow_list_of(). */
struct flow_list {
	struct flow *head, *tail;
};

#define FLOW_LISTS (FLOW_PC_MAX * FLOW_TO_MAX)

/* flow_id = worker_id << FLOW_ID_SEQ_BITS | seq, seq in [1, 2^37): 16 + 37 = 53
 * bits, so ids stay exact in a JSON double and never collide across workers. */
#define FLOW_ID_SEQ_BITS 37
#define FLOW_ID_SEQ_MASK ((UINT64_C(1) << FLOW_ID_SEQ_BITS) - 1)

/* Suricata's stream settings the session tracker follows. */
struct flow_tcp_opts {
	bool midstream;              /* stream.midstream */
	bool async_oneside;          /* stream.async-oneside */
	bool inline_mode;            /* stream.inline */
};

struct memcap_user;

struct flow_table {
	/* hot: every packet */
	struct flow **buckets;
	uint32_t mask;                 /* nbuckets - 1 */
	uint32_t seed;                 /* of the bucket hash, random per table: with a
					* known one, crafted keys chain every flow in one
					* bucket and each packet walks them all */
	struct flow_tcp_opts tcp;      /* stream.* the session tracker follows */
	struct flow *free_list;        /* chained through hnext */
	uint32_t bump;                 /* pool slots below it were handed out once; the
					* worker stores it atomically: the spare backer
					* reads it from another thread */
	struct memcap_user *mem;       /* this table's share of flow.memcap */
	uint64_t lru_seq;              /* packets that touched a flow (flow->lru_seq) */
	struct flow_list lru[FLOW_LISTS];
	uint64_t id_base;              /* worker_id << FLOW_ID_SEQ_BITS */
	uint64_t id_seq;               /* last sequence number handed out */
	struct flow_stats stats;

	/* warm: expiry and release */
	flow_release_cb release_cb;
	void *release_arg;
	uint64_t to_us[FLOW_PC_MAX][FLOW_TO_MAX];   /* in force: one of the two below */
	bool emerg;                    /* in emergency mode (flow.h) */
	uint8_t emerg_over;            /* checks in a row that found room enough */
	uint32_t emerg_base;           /* flows flow.emergency-recovery is a percentage of */
	uint32_t emerg_recovery;       /* flow.emergency-recovery, percent */
	uint64_t emerg_check_us;       /* packet time of the next check */

	/* cold: switching modes */
	uint64_t to_norm_us[FLOW_PC_MAX][FLOW_TO_MAX];
	uint64_t to_emerg_us[FLOW_PC_MAX][FLOW_TO_MAX];

	/* cold: the spare backer's (flow_table_back_spare), from another thread */
	uint32_t spare;                /* never-used slots kept backed ahead of bump */
	size_t backed;                 /* bytes of the pool backed from its start */

	/* cold: teardown */
	struct flow_slot *pool;
	uint32_t pool_n;
	size_t pool_bytes;
	size_t buckets_bytes;
};

static inline enum flow_proto_class flow_proto_class(uint8_t proto)
{
	switch (proto) {
	case 6:
		return FLOW_PC_TCP;
	case 17:
		return FLOW_PC_UDP;
	case 1:
	case 58:
		return FLOW_PC_ICMP;
	default:
		return FLOW_PC_OTHER;
	}
}

/* Ports take part in the key only where they name a conversation (TCP, UDP);
 * ICMP and other protocols are one flow per address pair, as in Suricata. */
static inline bool flow_proto_has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17;
}

/* <0, 0, >0 as memcmp() of the addresses' bytes (network order); IPv4's
 * one word compared in a register, not through a call. */
static inline int flow_addr_cmp(const union ip_addr *a, const union ip_addr *b,
				uint8_t ip_ver)
{
	if (ip_ver == 4) {
		uint32_t x = __builtin_bswap32(a->w[0]), y = __builtin_bswap32(b->w[0]);

		return (x > y) - (x < y);
	}
	return memcmp(a->b, b->b, sizeof(a->b));
}

/* Build p's symmetric key. Returns the index in key->addr[] of p's source. */
static inline unsigned flow_key_from_packet(const struct packet *p, struct flow_key *key)
{
	uint16_t sp = 0, dp = 0;
	unsigned src_idx;
	int cmp;

	if (flow_proto_has_ports(p->proto)) {
		sp = p->sp;
		dp = p->dp;
	}
	cmp = flow_addr_cmp(&p->src, &p->dst, p->ip_ver);
	src_idx = (cmp > 0 || (cmp == 0 && sp > dp)) ? 1 : 0;

	if (p->ip_ver == 4) {
		key->addr[src_idx] = (union ip_addr){ .w = { p->src.w[0] } };
		key->addr[src_idx ^ 1] = (union ip_addr){ .w = { p->dst.w[0] } };
	} else {
		key->addr[src_idx] = p->src;
		key->addr[src_idx ^ 1] = p->dst;
	}
	key->port[src_idx] = sp;
	key->port[src_idx ^ 1] = dp;
	key->vlan = p->vlan_cnt ? (p->vlan_id[0] & 0x0fff) : 0;
	key->proto = p->proto;
	key->ip_ver = p->ip_ver;
	/* deeper still is rare enough to share the deepest level */
	key->depth = p->origin.depth < FLOW_DEPTH_MAX ? p->origin.depth : FLOW_DEPTH_MAX;
	return src_idx;
}

static inline uint32_t flow_rotl32(uint32_t x, unsigned r)
{
	return (x << r) | (x >> (32 - r));
}

/* One murmur3-style block step: scramble the word, fold it into the state. */
static inline uint32_t flow_hash_word(uint32_t h, uint32_t k)
{
	k *= 0xcc9e2d51u;
	k = flow_rotl32(k, 15);
	k *= 0x1b873593u;
	h ^= k;
	h = flow_rotl32(h, 13);
	return h * 5 + 0xe6546b64u;
}

/* Final avalanche so that low bits (the bucket index) depend on every input bit. */
static inline uint32_t flow_hash_final(uint32_t h, uint32_t nwords)
{
	h ^= nwords * 4;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

#define FLOW_HASH_SEED 0x5bd1e995u

/* Hash of a key built by flow_key_from_packet(), from seed; symmetric
 * because the key is. */
static inline uint32_t flow_key_hash_seeded(const struct flow_key *k, uint32_t seed)
{
	uint32_t h = seed;
	unsigned aw = k->ip_ver == 4 ? 1 : 4, i;

	for (i = 0; i < aw; i++)
		h = flow_hash_word(h, k->addr[0].w[i]);
	for (i = 0; i < aw; i++)
		h = flow_hash_word(h, k->addr[1].w[i]);
	h = flow_hash_word(h, (uint32_t)k->port[0] << 16 | k->port[1]);
	/* ip_ver (4 or 6) takes 3 bits, the depth the 4 above */
	h = flow_hash_word(h, (uint32_t)k->vlan << 16 | (uint32_t)k->proto << 8 |
			      (uint32_t)k->depth << 3 | k->ip_ver);
	return flow_hash_final(h, 2 * aw + 2);
}

/* The same from the fixed seed: equal in every run and worker, for what
 * must be (EVE's flow_id, the software RSS). The table's buckets use its
 * own random seed instead (struct flow_table.seed). */
static inline uint32_t flow_key_hash(const struct flow_key *k)
{
	return flow_key_hash_seeded(k, FLOW_HASH_SEED);
}

static inline bool flow_key_equal(const struct flow_key *a, const struct flow_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* TCP state update for one packet of f travelling in direction dir
 * (flow_tcp.c). May change f->client (a SYN or SYN/ACK naming the initiator
 * on a flow that had no session yet): the caller recomputes dir after. */
void flow_tcp_update(struct flow *f, struct packet *p, unsigned src_idx,
		     const struct flow_tcp_opts *o);

/* struct tcp_seq.flags */
#define TCP_SEQ_F_SYN_TS     0x0001u /* the SYN had a timestamp */
#define TCP_SEQ_F_SYN_WS     0x0002u /* the SYN had a window scale */
#define TCP_SEQ_F_TS         0x0004u /* both sides use timestamps */
#define TCP_SEQ_F_CONFIRMED  0x0008u /* the server sent after the handshake (3whs confirmed) */
#define TCP_SEQ_F_SYN_SACK   0x0010u /* the SYN offered SACK */
#define TCP_SEQ_F_4WHS       0x0020u /* a SYN came back: SYN, SYN, SYN/ACK (client), ACK */
#define TCP_SEQ_F_SRV_TS     0x0040u /* 4WHS: the server's SYN had a timestamp */
#define TCP_SEQ_F_SRV_WS     0x0080u /* 4WHS: the server's SYN had a window scale */
#define TCP_SEQ_F_TFO        0x0100u /* TCP Fast Open: the SYN may carry data */
#define TCP_SEQ_F_RST_C      0x0200u /* an RST with MD5/AO went to the client (accepted:
				      * its sender may ignore it, a sign of injection) */
#define TCP_SEQ_F_RST_S      0x0400u /* ... to the server */

/* (added) Sequence tracking of p in f's session (flow_tcp_seq.c), before
 * flow_tcp_update() moves the state: Suricata's stream events that need
 * the sides' sequence numbers, acks, windows and timestamps. true when p is
 * one Suricata's stream engine refuses (the state must not move on it). */
bool flow_tcp_seq(struct flow *f, struct packet *p, bool from_client,
		  const struct flow_tcp_opts *o);

/* Port reuse (flow_tcp.c), Suricata's TcpSessionPacketSsnReuse: p, from
 * the side src_idx, starts a new connection (a SYN; a SYN/ACK with
 * stream.midstream or async-oneside) on f, whose session is done enough
 * or absent. The old flow must be released first. */
bool flow_tcp_is_reuse(const struct flow *f, const struct packet *p, unsigned src_idx,
		       const struct flow_tcp_opts *o);

/* Timeouts (flow_timeout.c): fill ft's normal and emergency timeouts from
 * cfg, the normal ones in force. */
void flow_timeouts_init(struct flow_table *ft, const struct flow_config *cfg);

/* Emergency mode (flow_emerg.c, the rules in flow.h): the table enters it
 * (a new flow found flow.memcap reached) at packet time now_us; and, in
 * it, the check of whether it is over, when one is due at now_us. */
void flow_emerg_enter(struct flow_table *ft, uint64_t now_us);
void flow_emerg_check(struct flow_table *ft, uint64_t now_us);

/* In emergency mode a TCP packet that is no SYN starts no flow, when
 * stream.midstream would pick it up (Suricata's FlowCreateCheck): the
 * flows the mode has room for go to connections seen from their start. */
static inline bool flow_emerg_refuses(const struct flow_table *ft, const struct packet *p)
{
	return ft->emerg && p->proto == 6 && ft->tcp.midstream &&
	       (p->tcp.flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) != TCP_SYN;
}

/* The timeout class f's state gives it, as an index into flow_table.lru[]. */
static inline unsigned flow_list_of(const struct flow *f)
{
	enum flow_to_class to = FLOW_TO_NEW;

	if (f->tcp_state == TCP_ST_CLOSED)
		to = FLOW_TO_CLOSED;
	else if (f->flags & FLOW_F_ESTABLISHED)
		to = FLOW_TO_EST;
	return (unsigned)flow_proto_class(f->key.proto) * FLOW_TO_MAX + to;
}

/* The timeout of the flows in list l. */
static inline uint64_t flow_list_timeout(const struct flow_table *ft, unsigned l)
{
	return ft->to_us[l / FLOW_TO_MAX][l % FLOW_TO_MAX];
}

static inline uint64_t flow_timeout_us(const struct flow_table *ft, const struct flow *f)
{
	return flow_list_timeout(ft, flow_list_of(f));
}

/* f is idle past its timeout at now_us. */
static inline bool flow_timed_out(const struct flow_table *ft, const struct flow *f,
				  uint64_t now_us)
{
	return now_us > f->last_ts_us && now_us - f->last_ts_us > flow_timeout_us(ft, f);
}

/* Remove f from the table and hand it to the release callback; its memory
 * goes back to the free list (flow_table.c). */
void flow_table_release(struct flow_table *ft, struct flow *f, enum flow_end why);

/* The flow idle past its timeout for longest at now_us, NULL when none is
 * (flow_timeout.c): one look at each list's head. */
struct flow *flow_table_due(const struct flow_table *ft, uint64_t now_us);

/* Zeroed memory on huge pages (2 MiB aligned), on NUMA node socket when
 * socket >= 0 and libnuma works (flow_mem.c). */
void *flow_mem_alloc(size_t size, int socket);
void flow_mem_free(void *ptr, size_t size);

#endif
