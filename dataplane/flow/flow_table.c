/* SPDX-License-Identifier: MIT */
/* The per-worker flow table: a pool mapped at creation, a chained hash, and
 * one LRU list per timeout class (struct flow_list), whose heads expiry
 * takes (flow_timeout.c) and eviction chooses among; its emergency mode
 * is flow_emerg.c's. One worker owns a table: no locks, and no allocation
 * after flow_table_create(); the flows in use are counted against
 * flow.memcap, one budget for all workers' tables. */
#include <stdlib.h>
#include <sys/random.h>

#include "../../common/bug.h"
#include "../../common/hugemap.h"
#include "../../common/memcap.h"
#include "flow-int.h"

#define FLOW_DEFAULT_HASH_SIZE 65536u
#define FLOW_MAX_HASH_SIZE     (1u << 30)
/* what one flow_table_back_spare() call backs at most: a few pages, so the
 * thread that calls it between other duties is not held long */
#define FLOW_BACK_STEP         (4 * HUGEMAP_PAGE)

static uint32_t round_pow2(uint32_t n)
{
	uint32_t r = 1;

	while (r < n && r < FLOW_MAX_HASH_SIZE)
		r <<= 1;
	return r;
}

uint64_t flow_table_budget(const struct flow_config *cfg)
{
	uint64_t memcap = cfg->memcap ? cfg->memcap : FLOW_MEMCAP_DEFAULT;

	return memcap > FLOW_SLOT_SIZE ? memcap : FLOW_SLOT_SIZE;
}

struct flow_table *flow_table_create(const struct flow_config *cfg, int socket)
{
	uint64_t n = flow_table_budget(cfg) / FLOW_SLOT_SIZE;
	uint32_t nbuckets = round_pow2(cfg->hash_size ? cfg->hash_size : FLOW_DEFAULT_HASH_SIZE);
	struct flow_table *ft;
	void *mem;

	if (n > UINT32_MAX)
		n = UINT32_MAX;

	/* the header is small and written on every packet: heap, cache aligned */
	if (posix_memalign(&mem, FLOW_CACHE_LINE, sizeof(*ft)) != 0)
		return NULL;
	ft = memset(mem, 0, sizeof(*ft));

	ft->pool_n = (uint32_t)n;
	ft->pool_bytes = (size_t)n * FLOW_SLOT_SIZE;
	ft->pool = flow_mem_alloc(ft->pool_bytes, socket);
	ft->mem = memcap_join(cfg->budget, flow_table_budget(cfg));
	if (ft->pool == NULL || ft->mem == NULL)
		goto fail;
	ft->buckets_bytes = (size_t)nbuckets * sizeof(*ft->buckets);
	ft->buckets = flow_mem_alloc(ft->buckets_bytes, socket);
	if (ft->buckets == NULL)
		goto fail;
	ft->mask = nbuckets - 1;
	if (getrandom(&ft->seed, sizeof(ft->seed), GRND_NONBLOCK) != sizeof(ft->seed))
		ft->seed = (uint32_t)(uintptr_t)ft ^ FLOW_HASH_SEED;
	/* the creating thread, not the worker, pays the first touch of the
	 * buckets (every new flow lands on a random one) and of the slots the
	 * first flows take (Suricata's flow.prealloc) */
	hugemap_populate(ft->buckets, ft->buckets_bytes);
	ft->spare = cfg->prealloc < ft->pool_n ? cfg->prealloc : ft->pool_n;
	hugemap_populate(ft->pool, (size_t)ft->spare * FLOW_SLOT_SIZE);
	ft->backed = ((size_t)ft->spare * FLOW_SLOT_SIZE) & ~(HUGEMAP_PAGE - 1);
	ft->tcp = (struct flow_tcp_opts){ cfg->midstream, cfg->async_oneside, cfg->inline_mode };
	ft->id_base = (uint64_t)cfg->worker_id << FLOW_ID_SEQ_BITS;
	flow_timeouts_init(ft, cfg);
	/* Suricata cannot start with flow.prealloc flows past the memcap;
	 * here the preallocation stops at the pool, and so does the base */
	ft->emerg_base = cfg->prealloc < ft->pool_n ? cfg->prealloc : ft->pool_n;
	if (ft->emerg_base == 0)
		ft->emerg_base = 1;
	ft->emerg_recovery = cfg->emerg_recovery ? cfg->emerg_recovery :
						   FLOW_EMERG_RECOVERY_DEFAULT;
	return ft;

fail:
	flow_table_destroy(ft);
	return NULL;
}

size_t flow_table_back_spare(struct flow_table *ft)
{
	const size_t map = (ft->pool_bytes + HUGEMAP_PAGE - 1) & ~(HUGEMAP_PAGE - 1);
	uint64_t want = (uint64_t)__atomic_load_n(&ft->bump, __ATOMIC_RELAXED) + ft->spare;
	size_t to;

	if (want > ft->pool_n)
		want = ft->pool_n;
	to = ((size_t)want * FLOW_SLOT_SIZE + HUGEMAP_PAGE - 1) & ~(HUGEMAP_PAGE - 1);
	if (to > map)
		to = map;
	if (to <= ft->backed)
		return 0;
	if (to - ft->backed > FLOW_BACK_STEP)
		to = ft->backed + FLOW_BACK_STEP;
	if (!hugemap_populate_shared((uint8_t *)ft->pool + ft->backed, to - ft->backed)) {
		/* refused (an old kernel): the worker's first touches back the
		 * rest, as without a backer */
		ft->backed = map;
		return 0;
	}
	to -= ft->backed;
	ft->backed += to;
	return to;
}

/* Frees the memory only: flows still in the table are not released through
 * the callback (call flow_table_flush() first if later stages need them). */
void flow_table_destroy(struct flow_table *ft)
{
	if (ft == NULL)
		return;
	flow_mem_free(ft->buckets, ft->buckets_bytes);
	flow_mem_free(ft->pool, ft->pool_bytes);
	memcap_leave(ft->mem);
	free(ft);
}

void flow_table_set_release_cb(struct flow_table *ft, flow_release_cb cb, void *arg)
{
	ft->release_cb = cb;
	ft->release_arg = arg;
}

const struct flow_stats *flow_table_stats(const struct flow_table *ft)
{
	return &ft->stats;
}

uint64_t flow_table_memuse(const struct flow_table *ft)
{
	return memcap_used(ft->mem);
}

static void lru_unlink(struct flow_table *ft, struct flow *f)
{
	struct flow_list *l = &ft->lru[f->lru_list];

	if (f->lru_prev != NULL)
		f->lru_prev->lru_next = f->lru_next;
	else
		l->head = f->lru_next;
	if (f->lru_next != NULL)
		f->lru_next->lru_prev = f->lru_prev;
	else
		l->tail = f->lru_prev;
}

/* f, the table's most recently used flow, goes to the tail of its list. */
static void lru_append(struct flow_table *ft, struct flow *f)
{
	struct flow_list *l = &ft->lru[f->lru_list];

	f->lru_seq = ++ft->lru_seq;
	f->lru_next = NULL;
	f->lru_prev = l->tail;
	if (l->tail != NULL)
		l->tail->lru_next = f;
	else
		l->head = f;
	l->tail = f;
}

/* f had a packet: it goes to the tail of the list its state puts it in
 * now (another one when the packet changed its timeout class). */
static void lru_touch(struct flow_table *ft, struct flow *f)
{
	unsigned l = flow_list_of(f);

	if (l == f->lru_list && f == ft->lru[l].tail) {
		f->lru_seq = ++ft->lru_seq;
		return;
	}
	lru_unlink(ft, f);
	f->lru_list = (uint8_t)l;
	lru_append(ft, f);
}

/* The least recently used flow of the whole table: the list head that had
 * a packet first. NULL: the table is empty. */
static struct flow *lru_oldest(const struct flow_table *ft)
{
	struct flow *oldest = NULL;

	for (unsigned l = 0; l < FLOW_LISTS; l++) {
		struct flow *f = ft->lru[l].head;

		if (f != NULL && (oldest == NULL || f->lru_seq < oldest->lru_seq))
			oldest = f;
	}
	return oldest;
}

static void bucket_unlink(struct flow_table *ft, struct flow *f)
{
	struct flow **pp = &ft->buckets[f->hash & ft->mask];

	while (*pp != f) {
		BUG_ON_HOT(*pp == NULL);
		pp = &(*pp)->hnext;
	}
	*pp = f->hnext;
}

/* f leaves the table; its slot is the caller's (still counted in the memcap). */
static void flow_leave(struct flow_table *ft, struct flow *f, enum flow_end why)
{
	f->end_reason = (uint8_t)why;
	bucket_unlink(ft, f);
	lru_unlink(ft, f);
	ft->stats.active--;
	if (ft->release_cb != NULL)
		ft->release_cb(f, ft->release_arg);
}

void flow_table_release(struct flow_table *ft, struct flow *f, enum flow_end why)
{
	flow_leave(ft, f, why);
	memcap_give(ft->mem, FLOW_SLOT_SIZE);
	f->hnext = ft->free_list;
	ft->free_list = f;
}

/* In the order of the flows' last packets, as a single list would give
 * them (a capture read by several workers merges the workers' flushes in
 * that order: hoststate/seq_gate.h). */
void flow_table_flush(struct flow_table *ft, uint64_t now_us)
{
	struct flow *f;

	while ((f = lru_oldest(ft)) != NULL) {
		if (flow_timed_out(ft, f, now_us)) {
			ft->stats.timed_out++;
			flow_table_release(ft, f, FLOW_END_TIMEOUT);
		} else {
			flow_table_release(ft, f, FLOW_END_SHUTDOWN);
		}
	}
}

/* Suricata 7's StillAlive (flow-hash.c): a flow that had a packet this
 * recently, in whole seconds of packet time, is not forced out: 1 s when
 * new, 5 s established, 3 s closed. */
static bool still_alive(const struct flow *f, uint64_t now_us)
{
	static const uint64_t alive_s[FLOW_TO_MAX] = {
		[FLOW_TO_NEW] = 1, [FLOW_TO_EST] = 5, [FLOW_TO_CLOSED] = 3,
	};
	const uint64_t now_s = now_us / 1000000u, last_s = f->last_ts_us / 1000000u;

	return now_s <= last_s || now_s - last_s <= alive_s[flow_list_of(f) % FLOW_TO_MAX];
}

/* The least recently used flow that is not still alive, NULL: none. The
 * heads of the lists are their least recently used flows. */
static struct flow *used_flow(const struct flow_table *ft, uint64_t now_us)
{
	struct flow *victim = NULL;

	for (unsigned l = 0; l < FLOW_LISTS; l++) {
		struct flow *f = ft->lru[l].head;

		if (f != NULL && !still_alive(f, now_us) &&
		    (victim == NULL || f->lru_seq < victim->lru_seq))
			victim = f;
	}
	return victim;
}

/* A free flow: a slot released before, else one never used (slots are
 * handed out in pool order, so only the pages used are backed), each if
 * flow.memcap allows it. Past the memcap the table enters emergency mode,
 * and a flow of this table makes room, released first: one idle past its
 * timeout at now_us if there is one (it timed out, whether or not expiry
 * got to it yet), else the least recently used one that is not still
 * alive (forced out, get_used). NULL: none (get_used_failed; also when the
 * other workers' tables hold the memcap).
 *
 * As Suricata 7's FlowGetNew and FlowGetUsedFlow, which force out a flow
 * past the memcap only if it is not still alive, and otherwise leave the
 * packet without a flow (flow.get_used_failed, the memcap exception
 * policy): so a flood of new flows does not push out the sessions in use.
 * Suricata looks for one at a few hash rows from a moving index; here the
 * least recently used of them goes. Its flow.memcap counts only a flow
 * allocation that fails after its memcap check passed (threads racing for
 * the last room); the table's budget is taken in one step, so never here. */
static struct flow *flow_get(struct flow_table *ft, uint64_t now_us)
{
	struct flow *f = ft->free_list;

	if (f == NULL && ft->bump < ft->pool_n)
		f = &ft->pool[ft->bump].f;
	if (f != NULL && memcap_take(ft->mem, FLOW_SLOT_SIZE)) {
		if (f == ft->free_list)
			ft->free_list = f->hnext;
		else
			__atomic_store_n(&ft->bump, ft->bump + 1, __ATOMIC_RELAXED);
		return f;
	}
	if (!ft->emerg)
		flow_emerg_enter(ft, now_us);
	/* judged by the emergency timeouts now */
	f = flow_table_due(ft, now_us);
	if (f == NULL)
		f = used_flow(ft, now_us);
	if (f == NULL) {
		ft->stats.get_used_failed++;
		return NULL;
	}
	/* why it ends goes by packet time alone, as at lookup and flush */
	if (flow_timed_out(ft, f, now_us)) {
		ft->stats.timed_out++;
		flow_leave(ft, f, FLOW_END_TIMEOUT);
	} else {
		ft->stats.get_used++;
		f->flags |= FLOW_F_EMERGENCY;
		flow_leave(ft, f, FLOW_END_FORCED);
	}
	return f;
}

static struct flow *flow_new(struct flow_table *ft, const struct packet *p,
			     const struct flow_key *key, uint32_t hash, unsigned src_idx)
{
	struct flow **bucket = &ft->buckets[hash & ft->mask];
	struct flow *f;

	if (__builtin_expect(flow_emerg_refuses(ft, p), 0))
		return NULL;
	f = flow_get(ft, p->ts_us);
	if (f == NULL)
		return NULL;
	memset(f, 0, sizeof(*f));
	f->key = *key;
	f->hash = hash;
	f->id_hash = flow_key_hash(key);
	f->client = (uint8_t)src_idx;
	/* a SYN/ACK first means the SYN was missed: its receiver is the client */
	if (key->proto == 6 && (p->tcp.flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
		f->client = (uint8_t)(src_idx ^ 1);
	ft->id_seq = (ft->id_seq + 1) & FLOW_ID_SEQ_MASK;
	if (ft->id_seq == 0)
		ft->id_seq = 1;
	f->flow_id = ft->id_base | ft->id_seq;
	f->first_ts_us = p->ts_us;
	f->icmp_type = p->icmp.type;
	f->icmp_code = p->icmp.code;

	f->hnext = *bucket;
	*bucket = f;
	f->lru_list = (uint8_t)flow_list_of(f);
	lru_append(ft, f);

	ft->stats.created++;
	ft->stats.active++;
	switch (flow_proto_class(key->proto)) {
	case FLOW_PC_TCP:
		ft->stats.tcp++;
		break;
	case FLOW_PC_UDP:
		ft->stats.udp++;
		break;
	case FLOW_PC_ICMP:
		ft->stats.icmp++;
		break;
	default:
		ft->stats.other++;
		break;
	}
	return f;
}

static struct flow *flow_lookup(const struct flow_table *ft, const struct flow_key *key,
				uint32_t hash)
{
	struct flow *f;

	for (f = ft->buckets[hash & ft->mask]; f != NULL; f = f->hnext)
		if (f->hash == hash && flow_key_equal(&f->key, key))
			return f;
	return NULL;
}

/* Packets that cannot have a flow: no IP, a decode error, or a raw fragment
 * (Suricata tracks only the reassembled packet). */
static bool flow_untrackable(const struct packet *p)
{
	if (p->ip_ver == 0 || p->err != DECODE_OK)
		return true;
	return (p->flags & (PKT_F_IPV4_FRAG | PKT_F_IPV6_FRAG)) &&
		!(p->flags & PKT_F_REASSEMBLED);
}

static struct flow *no_flow(struct flow_table *ft, struct packet *p)
{
	ft->stats.no_flow++;
	p->flow = NULL;
	p->flags &= ~PKT_F_HAS_FLOW;
	p->flow_flags = 0;
	return NULL;
}

struct flow *flow_handle_packet(struct flow_table *ft, struct packet *p)
{
	struct flow_key key;
	struct flow *f;
	uint32_t hash;
	unsigned src_idx;
	bool was_established;
	uint8_t pf = 0;
	int dir;

	if (__builtin_expect(flow_untrackable(p), 0))
		return no_flow(ft, p);

	src_idx = flow_key_from_packet(p, &key);
	hash = flow_key_hash_seeded(&key, ft->seed);
	f = flow_lookup(ft, &key, hash);
	/* idle past its timeout, whether or not the expiry walk (budgeted,
	 * per worker) got to it yet: it ends, the packet starts a new flow
	 * (Suricata's flow hash lookup moves timed-out flows out the same way) */
	if (f != NULL && flow_timed_out(ft, f, p->ts_us)) {
		ft->stats.timed_out++;
		flow_table_release(ft, f, FLOW_END_TIMEOUT);
		f = NULL;
	}
	if (f != NULL && key.proto == 6 && flow_tcp_is_reuse(f, p, src_idx, &ft->tcp)) {
		/* port reuse: the closed connection ends here, the SYN starts a new one */
		ft->stats.tcp_reused++;
		flow_table_release(ft, f, FLOW_END_FORCED);
		f = NULL;
	}
	if (f == NULL) {
		f = flow_new(ft, p, &key, hash, src_idx);
		if (__builtin_expect(f == NULL, 0))
			return no_flow(ft, p);
		pf |= PKT_FLOW_FIRST;
	}

	was_established = (f->flags & FLOW_F_ESTABLISHED) != 0;
	if (key.proto == 6) {
		uint8_t before = f->tcp_state;

		flow_tcp_update(f, p, src_idx, &ft->tcp);
		/* a midstream pickup has no handshake to wait for */
		if (before == TCP_ST_NONE && f->tcp_state == TCP_ST_ESTABLISHED)
			was_established = true;
	}

	dir = src_idx == f->client ? PKT_TO_SERVER : PKT_TO_CLIENT;
	if (key.proto == 6)
		f->tcp_flags[dir] |= p->tcp.flags;
	f->pkts[dir]++;
	f->bytes[dir] += p->len;
	if (p->ts_us > f->last_ts_us)
		f->last_ts_us = p->ts_us;
	f->last_pkt = p->pcap_cnt;
	if (dir == PKT_TO_SERVER) {
		f->flags |= FLOW_F_TOSERVER_SEEN;
		pf |= PKT_FLOW_TOSERVER;
	} else {
		f->flags |= FLOW_F_TOCLIENT_SEEN;
		pf |= PKT_FLOW_TOCLIENT;
	}
	if (key.proto != 6 &&
	    (f->flags & (FLOW_F_TOSERVER_SEEN | FLOW_F_TOCLIENT_SEEN)) ==
	    (FLOW_F_TOSERVER_SEEN | FLOW_F_TOCLIENT_SEEN))
		f->flags |= FLOW_F_ESTABLISHED;
	/* As Suricata's flow engine, which runs before its stream engine: a TCP
	 * packet is established when the session was before it arrived. So the
	 * ACK completing the handshake is not yet, while FIN and RST packets and
	 * what follows them still are. Other protocols: once both ways seen. */
	if (key.proto == 6 ? was_established : (f->flags & FLOW_F_ESTABLISHED))
		pf |= PKT_FLOW_ESTABLISHED;
	/* once the packet's state changes are made */
	lru_touch(ft, f);

	p->flow = f;
	p->flags |= PKT_F_HAS_FLOW;
	p->dir = (uint8_t)dir;
	p->flow_flags = pf;
	return f;
}
