/* SPDX-License-Identifier: MIT */
/* TCP segments and flows for the stream tests (test_stream.c,
 * test_stream_app.c): just the packet fields the stream stage reads. */
#ifndef IDS_TEST_STREAM_FIXTURE_H
#define IDS_TEST_STREAM_FIXTURE_H

#include <string.h>

#include "dataplane/stream/stream.h"

struct seg {
	struct packet p;
	uint8_t l4[20 + 64];
};

/* A TCP packet of f in direction dir; payload copied after a 20-byte header. */
static inline struct packet *mk(struct seg *s, struct flow *f, uint8_t dir, uint8_t flags,
				uint32_t seq, uint32_t ack, const char *data)
{
	uint32_t n = data ? (uint32_t)strlen(data) : 0;

	memset(s, 0, sizeof(*s));
	memcpy(s->l4 + 20, data ? data : "", n);
	s->p.proto = 6;
	s->p.ip_ver = 4;
	s->p.l4 = s->l4;
	s->p.l4_len = 20 + n;
	s->p.payload = s->l4 + 20;
	s->p.payload_len = n;
	s->p.tcp.seq = seq;
	s->p.tcp.ack = ack;
	s->p.tcp.flags = flags;
	s->p.flow = f;
	s->p.dir = dir;
	return &s->p;
}

/* A flow whose handshake is done. */
static inline struct flow new_flow(void)
{
	struct flow f;

	memset(&f, 0, sizeof(f));
	f.tcp_state = TCP_ST_ESTABLISHED;
	return f;
}

#endif
