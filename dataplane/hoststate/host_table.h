/* SPDX-License-Identifier: MIT */
/* State kept per host, per address pair or per rule, shared by every worker
 * (Suricata's host and ippair tables): xbits/hostbits and the thresholds and
 * detection_filters tracked by_src, by_dst, by_both or by_rule. RSS spreads
 * one host's flows over several workers, so such state cannot be per worker.
 *
 * Built for rare use from many threads: a fixed array of buckets, each with
 * its own spinlock and a chain of entries taken from one preallocated pool
 * (host.memcap bytes, touched only as entries are first used). Nothing is
 * locked per packet: a worker takes one bucket lock only when a rule with
 * such state matched or tests it. An entry lives while its expiry (packet
 * time) is ahead of the time it is looked up at; dead entries are reclaimed
 * on the way (the chain walked, a bounded sweep when the pool is empty). A
 * full table refuses new entries and counts the refusal; nothing crashes. */
#ifndef IDS_HOST_TABLE_H
#define IDS_HOST_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "../../common/ip_addr-t.h"

/* Suricata's host.memcap and host.hash-size defaults. */
#define HOST_TABLE_MEMCAP_DEFAULT    (32ull << 20)
#define HOST_TABLE_HASH_SIZE_DEFAULT 4096u
/* A chain never grows past this many live entries (hostile address
 * spreads cost bounded work per lookup): a further key is refused. */
#define HOST_TABLE_CHAIN_MAX         64u

struct host_table;

struct host_table_config {
	uint64_t memcap;           /* bytes of entries; 0: the default */
	uint32_t hash_size;        /* buckets (rounded up to a power of two); 0: the default */
};

/* What an entry is about: the caller's kind (xbit by source, threshold, ...),
 * an id within it (an xbit's name hash, a rule's gid and sid), and the host
 * or the ordered pair (zero for state of the rule as a whole). */
struct host_key {
	uint64_t id;
	uint8_t kind;
	uint8_t ip_ver;
	union ip_addr a, b;
};

/* The value, read and written only while its bucket is locked. An entry is
 * live while expire_us > the lookup time: expire_us is the first
 * microsecond it no longer covers. The rest is the caller's. */
struct host_val {
	uint64_t expire_us;
	uint64_t start_us;
	uint64_t next;
	uint32_t count;
};

struct host_table_stats {
	uint64_t entries;          /* the pool's size */
	uint64_t used;             /* entries out of the pool now */
	uint64_t refused;          /* new keys refused: pool or chain full */
};

/* A locked bucket; host_table_unlock() releases it. */
struct host_lock {
	struct host_bucket *b;
};

/* The entries c gives (memcap over the entry size), 0 when fewer than its
 * buckets: a config host_table_create() refuses. */
uint64_t host_table_capacity(const struct host_table_config *c);

/* NULL on a bad config (host_table_capacity() 0) or no memory. */
struct host_table *host_table_create(const struct host_table_config *c);
void host_table_destroy(struct host_table *ht);

/* Lock k's bucket and return k's live entry at time now_us. With create, a
 * key without one gets a zeroed entry (*fresh set) unless the table is full
 * (NULL, counted). In every case the bucket stays locked until
 * host_table_unlock(lk): the caller updates the value in between and takes
 * no other bucket's lock. */
struct host_val *host_table_lock(struct host_table *ht, const struct host_key *k, uint64_t now_us,
				 bool create, bool *fresh, struct host_lock *lk);
void host_table_unlock(struct host_lock *lk);

/* For state a caller must look for on every packet (host tags): the latest
 * expiry any such entry was given, so that while the packet time is past it
 * no lookup is needed. Only grows; the caller that gives an entry a later
 * expiry calls host_table_watch() with it (after its unlock is fine: the
 * caller orders packets itself where it matters, see seq_gate.h). */
void host_table_watch(struct host_table *ht, uint64_t until_us);
uint64_t host_table_watched(const struct host_table *ht);

/* Counters, read without stopping the writers (each figure is exact, the
 * set is not a snapshot). */
void host_table_stats(const struct host_table *ht, struct host_table_stats *out);

#endif
