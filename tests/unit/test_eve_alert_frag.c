/* SPDX-License-Identifier: MIT */
/* The writer's cache of per-rule alert text (eve_alert_frag.c) and the
 * JSON writer's json_members that appends it: an alert object made from
 * the cache is byte for byte the one rendered member by member, for rules
 * with every optional part, on a hit as on a miss, after the cache was
 * emptied for new rules, when it overflows, and for a rule too large for
 * it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "common/json.h"
#include "dataplane/output/eve-int.h"
#include "rules/rule-t.h"

#define OUT_CAP (2u * 1024 * 1024)

static char *out_a, *out_b;

/* meta: "key value" items separated by '|', packed as the parser packs
 * them ("key\0value\0..."). */
static void rule_make(struct rule *r, uint32_t gid, uint32_t sid, char *msg, const char *cat,
		      const char *meta)
{
	memset(r, 0, sizeof(*r));
	r->gid = gid;
	r->sid = sid;
	r->rev = 7;
	r->priority = 2;
	r->msg = msg;
	r->class_desc = cat;
	if (meta == NULL)
		return;
	r->meta = strdup(meta);
	r->meta_len = (uint32_t)strlen(meta) + 1;
	for (char *c = r->meta; *c; c++)
		if (*c == ' ' || *c == '|')
			*c = '\0';
	/* every second NUL ends an item */
	for (uint32_t i = 0; i < r->meta_len; i++)
		r->nmeta += r->meta[i] == '\0';
	r->nmeta /= 2;
}

/* The alert object of r as writer w writes it, in buf (NUL-terminated). */
static size_t alert_text(char *buf, const struct eve_writer *w, const struct rule *r,
			 bool blocked, const char *xff)
{
	struct json_w j;

	json_init(&j, buf, OUT_CAP - 1);
	json_obj_open(&j, NULL);
	json_str(&j, "before", "x");
	eve_put_alert(&j, w, r, blocked, xff);
	json_str(&j, "after", "y");
	json_obj_close(&j);
	CHECK(json_ok(&j));
	buf[json_len(&j)] = '\0';
	return json_len(&j);
}

/* The cached text equals the text rendered without the cache, on the
 * rule's first alert and on a later one, for each option. */
static void check_same(struct eve_writer *w, const struct rule *r)
{
	struct eve_frag_cache *c = w->frags;
	const char *xffs[] = { NULL, "192.0.2.9" };

	for (int flow = 0; flow < 2; flow++) {
		w->opt.flow = flow;
		for (int x = 0; x < 2; x++) {
			for (int blocked = 0; blocked < 2; blocked++) {
				w->frags = NULL;
				alert_text(out_a, w, r, blocked, xffs[x]);
				w->frags = c;
				for (int again = 0; again < 2; again++) {
					alert_text(out_b, w, r, blocked, xffs[x]);
					CHECK_STR(out_a, out_b);
				}
			}
		}
	}
	w->opt.flow = false;
}

static void test_json_members(void)
{
	char buf[64];
	struct json_w j;

	json_init(&j, buf, sizeof(buf));
	json_obj_open(&j, NULL);
	json_members(&j, "\"a\":1,\"b\":[2]", 13);
	json_uint(&j, "c", 3);
	json_members(&j, "\"d\":{}", 6);
	json_members(&j, "", 0);		/* nothing, and no comma */
	json_obj_close(&j);
	CHECK(json_ok(&j));
	buf[json_len(&j)] = '\0';
	CHECK_STR("{\"a\":1,\"b\":[2],\"c\":3,\"d\":{}}", buf);

	/* outside any container, and where a value is due: refused */
	json_init(&j, buf, sizeof(buf));
	json_members(&j, "\"a\":1", 5);
	CHECK(!json_ok(&j));
	json_init(&j, buf, sizeof(buf));
	json_obj_open(&j, NULL);
	json_keyn(&j, "k", 1);
	json_members(&j, "\"a\":1", 5);
	CHECK(!json_ok(&j));

	/* a bounded buffer without room: the writer fails as for any value */
	json_init(&j, buf, 8);
	json_obj_open(&j, NULL);
	json_members(&j, "\"abc\":12345", 11);
	CHECK(!json_ok(&j));
}

static void test_exact_and_same(struct eve_writer *w)
{
	char msg[] = "ET \"quoted\" \\ back\x01 caf\xc3\xa9 bad\xff";
	char msg2[] = "plain";
	struct rule full, bare, nocat;

	eve_writer_set_names(w, NULL);
	rule_make(&full, 3, 2000001, msg, "A \"cat\"",
		  "created_at 2010_07_30|former_category POLICY|created_at 2019_01_02|"
		  "deployment \"Perimeter\"|signature_severity Major");
	rule_make(&bare, 1, 2000002, msg2, "cat", NULL);
	rule_make(&nocat, 1, 2000003, msg2, NULL, "k v");

	w->opt.flow = true;
	alert_text(out_b, w, &full, true, "192.0.2.9");
	alert_text(out_b, w, &full, true, "192.0.2.9");	/* a hit */
	CHECK_STR("{\"before\":\"x\",\"alert\":{\"action\":\"blocked\",\"gid\":3,"
		  "\"signature_id\":2000001,\"rev\":7,"
		  "\"signature\":\"ET \\\"quoted\\\" \\\\ back\\u0001 caf\xc3\xa9 bad\\u00ff\","
		  "\"category\":\"A \\\"cat\\\"\",\"severity\":2,\"xff\":\"192.0.2.9\","
		  "\"metadata\":{\"created_at\":[\"2010_07_30\",\"2019_01_02\"],"
		  "\"former_category\":[\"POLICY\"],\"deployment\":[\"\\\"Perimeter\\\"\"],"
		  "\"signature_severity\":[\"Major\"]}},\"after\":\"y\"}",
		  out_b);
	w->opt.flow = false;
	alert_text(out_b, w, &full, false, NULL);
	CHECK_STR("{\"before\":\"x\",\"alert\":{\"action\":\"allowed\",\"gid\":3,"
		  "\"signature_id\":2000001,\"rev\":7,"
		  "\"signature\":\"ET \\\"quoted\\\" \\\\ back\\u0001 caf\xc3\xa9 bad\\u00ff\","
		  "\"category\":\"A \\\"cat\\\"\",\"severity\":2},\"after\":\"y\"}",
		  out_b);
	check_same(w, &full);
	check_same(w, &bare);
	check_same(w, &nocat);
	free(full.meta);
	free(nocat.meta);
}

/* Entries are found again by address, and forgotten when the rules
 * change: a rule rewritten in place after eve_writer_set_names is written
 * as it now is. */
static void test_forget(struct eve_writer *w)
{
	char m1[] = "first", m2[] = "second";
	struct eve_frag f1, f2;
	struct rule r;

	/* the rules of the test before are gone: r may be where one was */
	eve_writer_set_names(w, NULL);
	rule_make(&r, 1, 10, m1, "c", "a b");
	CHECK_INT(0, eve_frag_get(w->frags, &r, &f1));
	CHECK_INT(0, eve_frag_get(w->frags, &r, &f2));
	CHECK(f1.ident == f2.ident && f1.meta == f2.meta && f1.meta != NULL);
	CHECK(f1.meta_len == strlen("\"metadata\":{\"a\":[\"b\"]}") &&
	      memcmp(f1.meta, "\"metadata\":{\"a\":[\"b\"]}", f1.meta_len) == 0);

	free(r.meta);
	rule_make(&r, 1, 11, m2, "c", NULL);
	eve_writer_set_names(w, NULL);
	alert_text(out_b, w, &r, false, NULL);
	CHECK(strstr(out_b, "\"signature_id\":11,") != NULL);
	CHECK(strstr(out_b, "\"signature\":\"second\"") != NULL);
	check_same(w, &r);
}

/* More rules than the table takes: it is emptied and filled again, every
 * alert still right; a rule larger than the whole text area is written
 * without the cache. */
static void test_overflow(struct eve_writer *w)
{
	enum { N = 5000 };
	struct rule *rs = calloc(N, sizeof(*rs));
	char (*msgs)[32] = calloc(N, sizeof(*msgs));
	struct eve_frag f;

	CHECK(rs != NULL && msgs != NULL);
	if (rs == NULL || msgs == NULL)
		goto out;
	eve_writer_set_names(w, NULL);
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < N; i++) {
			if (pass == 0) {
				snprintf(msgs[i], sizeof(msgs[i]), "rule %u", i);
				rule_make(&rs[i], 1, 100000 + i, msgs[i], "c", "k v");
			}
			check_same(w, &rs[i]);
		}
	}

	/* metadata of 700,000 bytes: more than the cache's whole area */
	size_t big = 700000;
	char *meta = malloc(big + 3);
	CHECK(meta != NULL);
	if (meta != NULL) {
		meta[0] = 'k';
		meta[1] = ' ';
		memset(meta + 2, 'v', big);
		meta[big + 2] = '\0';
		struct rule huge;
		char hm[] = "huge";

		rule_make(&huge, 1, 9, hm, "c", meta);
		CHECK_INT(-ENOSPC, eve_frag_get(w->frags, &huge, &f));
		check_same(w, &huge);
		w->opt.flow = true;
		alert_text(out_b, w, &huge, false, NULL);
		CHECK(strlen(out_b) > big);
		w->opt.flow = false;
		/* the cache still serves the others */
		CHECK_INT(0, eve_frag_get(w->frags, &rs[0], &f));
		free(huge.meta);
		free(meta);
	}
	for (uint32_t i = 0; i < N; i++)
		free(rs[i].meta);
out:
	free(rs);
	free(msgs);
}

int main(void)
{
	char path[] = "/tmp/test_eve_alert_frag.XXXXXX", err[256];
	int fd = mkstemp(path);
	struct eve_file *ef = fd >= 0 ? eve_file_open(path, err, sizeof(err)) : NULL;
	struct eve_writer *w = ef != NULL ? eve_writer_create(ef, NULL, NULL, 0) : NULL;

	out_a = malloc(OUT_CAP);
	out_b = malloc(OUT_CAP);
	CHECK(w != NULL && out_a != NULL && out_b != NULL);
	if (w != NULL && out_a != NULL && out_b != NULL) {
		test_json_members();
		test_exact_and_same(w);
		test_forget(w);
		test_overflow(w);
	}
	eve_writer_destroy(w);
	eve_file_close(ef);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	free(out_a);
	free(out_b);
	return check_result("eve_alert_frag");
}
