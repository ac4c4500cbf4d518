// SPDX-License-Identifier: MIT
/* File keywords (rules/rule_kw_file.c): filename, fileext and filemagic as
 * Suricata 7's contents on file.name / file.magic, filesize, the hash
 * lists read beside the rule file, filestore's warning, and the load
 * errors of bad arguments and unreadable lists. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"
#include "tests/unit/check.h"

static struct rule_env *env;
static char err[256];

static struct rule *parse(const char *s)
{
	err[0] = '\0';
	return rule_parse(env, s, err, sizeof(err));
}

static void test_contents(void)
{
	struct rule *r = parse("alert http any any -> any any (filename:!\"A.exe\"; "
			       "content:\"x\"; sid:1;)");
	const struct rule_content *ct;

	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_INT(2, r->nmatch);
	CHECK_INT(RULE_BUF_FILE_NAME, r->match[0].buf);
	ct = &r->match[0].content;
	CHECK_INT(5, ct->len);
	CHECK(memcmp(ct->pat, "A.exe", 5) == 0);
	CHECK_INT(CONTENT_NOCASE | CONTENT_NEGATED, ct->flags);
	/* the sticky buffer ends there, as in Suricata */
	CHECK_INT(RULE_BUF_PAYLOAD, r->match[1].buf);
	CHECK_INT(APP_PROTO_HTTP, r->app_proto);
	rule_free(r);

	r = parse("alert http any any -> any any (fileext:pdf; filemagic:\"PDF document\"; "
		  "sid:2;)");
	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_INT(RULE_BUF_FILE_NAME, r->match[0].buf);
	CHECK(r->match[0].content.len == 4 && memcmp(r->match[0].content.pat, ".pdf", 4) == 0);
	CHECK_INT(CONTENT_NOCASE | CONTENT_ENDSWITH, r->match[0].content.flags);
	CHECK_INT(RULE_BUF_FILE_MAGIC, r->match[1].buf);
	CHECK_INT(CONTENT_NOCASE, r->match[1].content.flags);
	rule_free(r);

	r = parse("alert http any any -> any any (file.name; content:\"a\"; startswith; "
		  "file.magic; content:\"b\"; sid:3;)");
	CHECK(r != NULL && r->match[0].buf == RULE_BUF_FILE_NAME &&
	      r->match[1].buf == RULE_BUF_FILE_MAGIC && r->match[1].content.flags == 0);
	rule_free(r);
}

static void test_values(void)
{
	struct rule *r = parse("alert http any any -> any any (filesize:100<>200; sid:1;)");

	CHECK(r != NULL && (r->app_has & RULE_APP_HAS_FILESIZE));
	if (r != NULL) {
		CHECK_INT(U32_RANGE, r->filekw.size.op);
		CHECK_INT(100, r->filekw.size.a);
		CHECK_INT(200, r->filekw.size.b);
	}
	rule_free(r);
	r = parse("alert http any any -> any any (filemd5:!bad.md5; filesha256:\"x y\"; sid:2;)");
	CHECK(r != NULL && r->filekw.nhash == 2);
	if (r != NULL) {
		CHECK(r->filekw.hash[0].negated && r->filekw.hash[0].len == 16);
		CHECK_STR("bad.md5", r->filekw.hash[0].path);
		CHECK(!r->filekw.hash[1].negated && r->filekw.hash[1].len == 32);
		CHECK_STR("x y", r->filekw.hash[1].path);
	}
	rule_free(r);
	r = parse("alert http any any -> any any (filestore:request,file; sid:3;)");
	CHECK(r != NULL && r->filekw.store && (r->app_has & RULE_APP_HAS_FILE));
	rule_free(r);
}

static void test_errors(void)
{
	static const struct {
		const char *opts, *err;
	} bad[] = {
		{ "filename:\"\";", "invalid filename: empty value" },
		{ "filename;", "keyword 'filename' needs a value" },
		{ "fileext:\"x;", "invalid fileext: '\"x'" },
		{ "filesize:>>1;", "invalid filesize: '>>1'" },
		{ "filesize:abc;", "invalid filesize: 'abc'" },
		{ "filesize:1; filesize:2;", "duplicate keyword 'filesize'" },
		{ "filemd5:a; filemd5:b;", "duplicate keyword 'filemd5'" },
		{ "filesha1:\"\";", "invalid filesha1: '\"\"'" },
		{ "file.name:x;", "keyword 'file.name' takes no value" },
		{ "filemd5;", "keyword 'filemd5' needs a value" },
		{ "filemd5x:a;", "unsupported keyword 'filemd5x'" },
	};
	char text[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "alert http any any -> any any (%s sid:1;)",
			 bad[i].opts);
		CHECK(parse(text) == NULL);
		CHECK_STR(bad[i].err, err);
	}
	CHECK(parse("alert dns any any -> any any (filesize:1; sid:1;)") == NULL);
	CHECK_STR("protocol dns doesn't support file matching", err);
	CHECK(parse("alert dns any any -> any any (filename:\"a\"; sid:1;)") == NULL);
	CHECK_STR("protocol dns doesn't support file matching", err);
	/* no protocol named: every file protocol's files; or SMTP's, ftp-data's */
	for (int i = 0; i < 3; i++) {
		static const char *const hdr[] = { "tcp", "smtp", "ftp-data" };
		static const uint8_t want[] = { APP_PROTO_UNKNOWN, APP_PROTO_SMTP, APP_PROTO_FTPDATA };
		struct rule *r;

		snprintf(text, sizeof(text), "alert %s any any -> any any (filesize:>1; "
			 "filename:\"a\"; sid:1;)", hdr[i]);
		r = parse(text);
		CHECK(r != NULL && r->app_proto == want[i]);
		rule_free(r);
	}
}

/* Hash lists are read as the rule is added, beside its rule file; a
 * missing or malformed list fails the rule with its file and line. */
static void test_lists(void)
{
	char dir[] = "/tmp/test_file_rules.XXXXXX";
	char path[512], rules[64], *out = NULL;
	size_t outlen = 0;
	struct ruleset *rs = ruleset_new();
	FILE *f, *errs;

	CHECK(rs != NULL && mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/ok.md5", dir);
	f = fopen(path, "w");
	fputs("# md5 of the empty file, then another\n"
	      "D41D8CD98F00B204E9800998ECF8427E  empty\n\n"
	      "00112233445566778899aabbccddeeff\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/short.md5", dir);
	f = fopen(path, "w");
	fputs("d41d8cd98f00b204\n", f);
	fclose(f);
	snprintf(rules, sizeof(rules), "%s/t.rules", dir);
	f = fopen(rules, "w");
	fputs("alert http any any -> any any (filemd5:ok.md5; sid:1;)\n"
	      "alert http any any -> any any (filemd5:missing.md5; sid:2;)\n"
	      "alert http any any -> any any (filemd5:short.md5; sid:3;)\n"
	      "alert http any any -> any any (filestore; sid:4;)\n", f);
	fclose(f);
	errs = open_memstream(&out, &outlen);
	CHECK_INT(0, ruleset_load_file(rs, env, rules, errs));
	fclose(errs);
	CHECK_INT(2, rs->n);
	CHECK_INT(2, rs->nfailed);
	if (rs->n == 2) {
		const struct rule_hash_list *h = &rs->rules[0]->filekw.hash[0];
		uint8_t need;

		CHECK_INT(2, h->n);
		CHECK(h->digests[0] == 0x00 && h->digests[16] == 0xd4);   /* sorted */
		CHECK(h->path == NULL);
		CHECK(ruleset_file_needs(rs, &need));
		CHECK_INT(0x1, need);
	}
	snprintf(path, sizeof(path), "%s:2: cannot read hash list '%s/missing.md5'", rules, dir);
	CHECK(out != NULL && strstr(out, path) != NULL);
	snprintf(path, sizeof(path), "%s:3: hash list '%s/short.md5' line 1: not a 32-digit",
		 rules, dir);
	CHECK(out != NULL && strstr(out, path) != NULL);
	snprintf(path, sizeof(path), "%s:4: warning: filestore: idsd does not store files", rules);
	CHECK(out != NULL && strstr(out, path) != NULL);
	free(out);
	ruleset_free(rs);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CHECK_INT(0, system(path));
}

/* As Suricata's DetectFileHashParse: a relative list is read under
 * default-rule-path first, beside the rule file when not there. */
static void test_list_paths(void)
{
	char dir[] = "/tmp/test_file_rules.XXXXXX";
	char path[512], rules[128], sub[64];
	struct ruleset *rs = ruleset_new();
	FILE *f;

	CHECK(rs != NULL && mkdtemp(dir) != NULL);
	snprintf(sub, sizeof(sub), "%s/rules", dir);
	CHECK_INT(0, mkdir(sub, 0700));
	/* a.md5 in both: default-rule-path's (two hashes) wins; b.md5 beside
	 * the rule file only */
	snprintf(path, sizeof(path), "%s/a.md5", dir);
	f = fopen(path, "w");
	fputs("d41d8cd98f00b204e9800998ecf8427e\n00112233445566778899aabbccddeeff\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/a.md5", sub);
	f = fopen(path, "w");
	fputs("d41d8cd98f00b204e9800998ecf8427e\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/b.md5", sub);
	f = fopen(path, "w");
	fputs("d41d8cd98f00b204e9800998ecf8427e\n", f);
	fclose(f);
	snprintf(rules, sizeof(rules), "%s/t.rules", sub);
	f = fopen(rules, "w");
	fputs("alert http any any -> any any (filemd5:a.md5; sid:1;)\n"
	      "alert http any any -> any any (filemd5:b.md5; sid:2;)\n", f);
	fclose(f);
	CHECK_INT(0, ruleset_set_default_path(rs, dir));
	CHECK_INT(0, ruleset_load_file(rs, env, rules, NULL));
	CHECK_INT(2, rs->n);
	if (rs->n == 2) {
		CHECK_INT(2, rs->rules[0]->filekw.hash[0].n);
		CHECK_INT(1, rs->rules[1]->filekw.hash[0].n);
	}
	ruleset_free(rs);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CHECK_INT(0, system(path));
}

int main(void)
{
	env = rule_env_new();
	CHECK(env != NULL);
	if (env == NULL)
		return check_result("file_rules");
	test_contents();
	test_values();
	test_errors();
	test_lists();
	test_list_paths();
	rule_env_free(env);
	return check_result("file_rules");
}
