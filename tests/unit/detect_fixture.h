/* SPDX-License-Identifier: MIT */
/* A detect engine and thread built from rules text, for the detect tests. */
#ifndef IDS_TEST_DETECT_FIXTURE_H
#define IDS_TEST_DETECT_FIXTURE_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "common/wmem.h"
#include "dataplane/detect/detect.h"
#include "rules/rules.h"

struct detect_env {
	struct ruleset *rs;
	struct detect_engine *de;
	struct detect_thread *dt;
	struct wmem *mem;        /* the worker's pool, for the flows' stream state */
};

/* Text into a temporary file; its path in path (a mkstemp template). */
static inline void detect_env_file(char *path, const char *text)
{
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK_INT((long long)strlen(text), write(fd, text, strlen(text)));
	close(fd);
}

/* Rules text (one per line) -> finalized ruleset, every rule loaded, and
 * threshold.config text applied (thr NULL: none; every line must apply) ->
 * engine -> thread. renv NULL: a fresh one with the default variables.
 * Without an engine the test cannot go on: it ends with check_result(name). */
static inline struct detect_env detect_env_setup_thr(struct rule_env *renv, const char *text,
						     const char *thr, const char *name)
{
	struct detect_env e = { 0 };
	char path[] = "/tmp/test_detect_env_XXXXXX";
	char err[256];
	struct rule_env *own = renv ? NULL : rule_env_new();

	CHECK(renv != NULL || own != NULL);
	detect_env_file(path, text);
	if (own != NULL)
		rule_env_set_default_vars(own);
	e.rs = ruleset_new();
	CHECK_INT(0, ruleset_load_file(e.rs, renv ? renv : own, path, stderr));
	CHECK_INT(0, e.rs->nfailed);
	unlink(path);
	ruleset_finalize(e.rs, stderr);
	if (thr != NULL) {	/* after finalize, as idsd's engine_load */
		char tpath[] = "/tmp/test_detect_thr_XXXXXX";

		detect_env_file(tpath, thr);
		CHECK_INT(0, ruleset_apply_threshold_file(e.rs, renv ? renv : own, tpath, stderr));
		unlink(tpath);
	}
	rule_env_free(own);
	err[0] = '\0';
	e.de = detect_engine_build(e.rs, err, sizeof(err));
	CHECK_STR("", err);
	if (e.de == NULL)
		exit(check_result(name));
	e.dt = detect_thread_create(e.de, -1);
	CHECK(e.dt != NULL);
	e.mem = wmem_create();
	CHECK(e.mem != NULL);
	return e;
}

static inline struct detect_env detect_env_setup(struct rule_env *renv, const char *text,
						 const char *name)
{
	return detect_env_setup_thr(renv, text, NULL, name);
}

/* What rule_parse says of this rule text: "(parsed)" when it parses (the
 * rule is freed), else its error, in a buffer the next call reuses. */
static inline const char *rule_text_err(struct rule_env *renv, const char *text)
{
	static char err[512];
	struct rule *r;

	err[0] = '\0';
	r = rule_parse(renv, text, err, sizeof(err));
	if (r) {
		rule_free(r);
		return "(parsed)";
	}
	return err;
}

/* The same for "alert PROTO any any -> any any (OPTS sid:1;)". */
static inline const char *rule_opts_err(struct rule_env *renv, const char *proto,
					const char *opts)
{
	char text[1024];

	snprintf(text, sizeof(text), "alert %s any any -> any any (%s sid:1;)", proto, opts);
	return rule_text_err(renv, text);
}

/* An IPv4 or IPv6 address from text. */
static inline union ip_addr ip(const char *s)
{
	union ip_addr a;

	memset(&a, 0, sizeof(a));
	if (strchr(s, ':'))
		CHECK_INT(1, inet_pton(AF_INET6, s, a.b));
	else
		CHECK_INT(1, inet_pton(AF_INET, s, a.b));
	return a;
}

/* A packet with no flow from src:sp to dst:dp (IPv6 when src has a ':'),
 * TTL 64, payload a C string, its transport header taken as decoded (the
 * detect tests do not read its bytes). */
static inline struct packet detect_pkt(uint8_t proto, const char *src, uint16_t sp,
				       const char *dst, uint16_t dp, const char *payload)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	p.ip_ver = strchr(src, ':') ? 6 : 4;
	p.proto = proto;
	p.ttl = 64;
	p.src = ip(src);
	p.dst = ip(dst);
	p.sp = sp;
	p.dp = dp;
	p.payload = (const uint8_t *)payload;
	p.payload_len = (uint32_t)strlen(payload);
	p.l4 = p.payload;
	return p;
}

/* Every flow's state must have gone back to the pool (detect_flow_free). */
/* The sids of a result, "1,2,3" (until the next call). */
static inline const char *detect_result_sids(const struct detect_result *r)
{
	static char s[256];
	size_t off = 0;

	s[0] = '\0';
	for (uint32_t i = 0; i < r->nalerts; i++)
		off += (size_t)snprintf(s + off, sizeof(s) - off, "%s%u", i ? "," : "",
					r->alerts[i].rule->sid);
	return s;
}

static inline void detect_env_teardown(struct detect_env *e)
{
	CHECK_INT(0, wmem_used_bytes(e->mem));
	wmem_destroy(e->mem);
	detect_thread_destroy(e->dt);
	detect_engine_free(e->de);
	ruleset_free(e->rs);
}

#endif
