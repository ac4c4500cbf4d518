/* SPDX-License-Identifier: MIT */
/* The symmetric flow hash, for callers outside the table (software RSS). */
#include "../../common/bug.h"
#include "flow-int.h"

uint32_t flow_hash_packet(const struct packet *p)
{
	struct flow_key key;

	BUG_ON_HOT(p->ip_ver == 0);
	flow_key_from_packet(p, &key);
	return flow_key_hash(&key);
}
