/* SPDX-License-Identifier: MIT */
/* A detect engine with an app-layer context and one flow with app state,
 * for the app-layer detection tests: messages are fed to the real parsers,
 * then the engine inspects the transactions. */
#ifndef IDS_TEST_APP_FIXTURE_H
#define IDS_TEST_APP_FIXTURE_H

#include <arpa/inet.h>

#include "dataplane/applayer/applayer.h"
#include "dataplane/flow/flow-t.h"
#include "detect_fixture.h"

struct app_env {
	struct detect_env d;
	struct applayer_ctx *al;
	struct flow f;
};

/* Rules text -> engine and thread (detect_env_setup), and an app-layer
 * context with cfg (NULL: defaults). Heap-allocated: free with
 * app_env_teardown. */
static inline struct app_env *app_env_setup(const char *text, const struct applayer_config *cfg,
					    const char *name)
{
	struct app_env *e = calloc(1, sizeof(*e));

	CHECK(e != NULL);
	if (e == NULL)
		exit(check_result(name));
	e->d = detect_env_setup(NULL, text, name);
	e->al = applayer_ctx_create(cfg);
	CHECK(e->al != NULL);
	return e;
}

/* A flow from 10.0.0.1:cport (client) to 192.168.1.1:sport with app state. */
static inline void app_env_flow_open(struct app_env *e, uint8_t proto, uint16_t cport,
				     uint16_t sport)
{
	memset(&e->f, 0, sizeof(e->f));
	e->f.key.proto = proto;
	e->f.key.ip_ver = 4;
	CHECK_INT(1, inet_pton(AF_INET, "10.0.0.1", e->f.key.addr[0].b));
	CHECK_INT(1, inet_pton(AF_INET, "192.168.1.1", e->f.key.addr[1].b));
	e->f.key.port[0] = cport;
	e->f.key.port[1] = sport;
	e->f.client = 0;
	e->f.app = app_flow_new(e->al, proto, cport, sport);
	CHECK(e->f.app != NULL);
}

/* An empty packet of the flow in direction dir, established, at ts_us. */
static inline struct packet app_env_packet(struct app_env *e, enum pkt_dir dir, uint64_t ts_us)
{
	struct packet p;
	int c = dir == PKT_TO_SERVER ? 0 : 1;

	memset(&p, 0, sizeof(p));
	p.ip_ver = 4;
	p.proto = e->f.key.proto;
	p.ttl = 64;
	p.src = e->f.key.addr[c];
	p.dst = e->f.key.addr[c ^ 1];
	p.sp = e->f.key.port[c];
	p.dp = e->f.key.port[c ^ 1];
	p.flow = &e->f;
	p.flags |= PKT_F_HAS_FLOW;
	p.dir = dir;
	p.ts_us = ts_us;
	p.flow_flags = (dir == PKT_TO_SERVER ? PKT_FLOW_TOSERVER : PKT_FLOW_TOCLIENT) |
		       PKT_FLOW_ESTABLISHED;
	return p;
}

static inline void app_env_flow_close(struct app_env *e)
{
	app_flow_free(e->al, e->f.app);
	e->f.app = NULL;
}

static inline void app_env_teardown(struct app_env *e)
{
	if (e->f.app != NULL)
		app_env_flow_close(e);
	applayer_ctx_destroy(e->al);
	detect_env_teardown(&e->d);
	free(e);
}

#endif
