/* SPDX-License-Identifier: MIT */
/* Unit tests for transforms: the keywords as rules/ reads them (chains,
 * errors with file:line), each transform on exact inputs as
 * dataplane/detect/detect_transform.c computes it, and which rules share a
 * buffer variant (and its prefilter) in the app-layer engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dataplane/detect/detect_applayer-int.h"
#include "rules/rules.h"

static struct rule_env *renv;
static pcre2_match_data *md;
static char err[512];

static struct rule *parse(const char *text)
{
	err[0] = '\0';
	return rule_parse(renv, text, err, sizeof(err));
}

/* The rule "http.uri; <xf> content:"x";" read, its chain run on in[0..len):
 * the result must be exactly want[0..wlen). */
static void xf_case(int line, const char *xf, const void *in, size_t len, const void *want,
		    size_t wlen)
{
	char text[512];
	struct rule *r;
	uint8_t *buf;
	uint32_t n, room;

	snprintf(text, sizeof(text),
		 "alert http any any -> any any (http.uri; %s content:\"x\"; sid:1;)", xf);
	r = parse(text);
	CHECK(r != NULL);
	if (r == NULL) {
		fprintf(stderr, "line %d: %s: %s\n", line, xf, err);
		return;
	}
	CHECK_INT(1, r->nxchain);
	CHECK_INT(1, r->match[0].xf);
	room = detect_xf_bound(&r->xchain[0], (uint32_t)len);
	CHECK(room >= len);
	buf = malloc(room ? room : 1);
	if (len)
		memcpy(buf, in, len);
	n = detect_xf_apply(&r->xchain[0], buf, (uint32_t)len, md, NULL);
	CHECK(n <= room);
	if (n != wlen || (wlen && memcmp(buf, want, wlen) != 0)) {
		check_failures++;
		fprintf(stderr, "%s:%d: transform '%s' gave %u bytes '%.*s', want %zu '%.*s'\n",
			__FILE__, line, xf, n, (int)n, (const char *)buf, wlen, (int)wlen,
			(const char *)want);
	}
	check_count++;
	free(buf);
	rule_free(r);
}

#define XF(xf, in, want) xf_case(__LINE__, xf, in, sizeof(in) - 1, want, sizeof(want) - 1)

static void test_text_transforms(void)
{
	XF("dotprefix;", "a.example.com", ".a.example.com");
	XF("dotprefix;", "", "");
	XF("strip_whitespace;", " a \t b\r\n\vc\f", "abc");
	XF("strip_whitespace;", " \t\r\n ", "");
	XF("strip_whitespace;", "", "");
	XF("compress_whitespace;", "a  \t b  ", "a b ");
	XF("compress_whitespace;", "\t\t \n", "\t");
	XF("compress_whitespace;", "", "");
	XF("compress_whitespace;", "ab", "ab");
	XF("to_lowercase;", "AbC1%Z\xc4", "abc1%z\xc4");
	XF("to_lowercase;", "", "");
	XF("to_uppercase;", "aBc-z\xe4", "ABC-Z\xe4");
	XF("header_lowercase;", "Host: ABC\r\nX-Foo: Bar:Baz\r\n",
	   "host: ABC\r\nx-foo: Bar:Baz\r\n");
	XF("strip_pseudo_headers;", ":method: GET\r\nHost: a\r\n:path: /\r\nX: y",
	   "Host: a\r\nX: y");
	XF("strip_pseudo_headers;", ":only\r\n", "");
}

static void test_url_decode(void)
{
	XF("url_decode;", "a%41b", "aAb");
	XF("url_decode;", "%2f%2F%7e", "//~");
	XF("url_decode;", "a+b", "a b");
	XF("url_decode;", "%41", "A");
	XF("url_decode;", "%4", "%4");
	XF("url_decode;", "x%zz", "x%zz");
	XF("url_decode;", "%4g%", "%4g%");
	XF("url_decode;", "%%41", "%A");
	XF("url_decode;", "%00", "\0");
	XF("url_decode;", "", "");
}

static void test_xor(void)
{
	XF("xor:\"0102\";", "\x10\x10\x10", "\x11\x12\x11");
	/* a key longer than the data: only its first bytes are used */
	XF("xor:\"01020304\";", "ab", "\x60\x60");
	XF("xor:\"FF\";", "", "");
	/* twice with the same key: the identity */
	XF("xor:\"2a\"; xor:\"2A\";", "secret", "secret");
}

static void test_digests(void)
{
	XF("to_md5;", "", "\xd4\x1d\x8c\xd9\x8f\x00\xb2\x04\xe9\x80\x09\x98\xec\xf8\x42\x7e");
	XF("to_md5;", "abc", "\x90\x01\x50\x98\x3c\xd2\x4f\xb0\xd6\x96\x3f\x7d\x28\xe1\x7f\x72");
	XF("to_sha1;", "abc",
	   "\xa9\x99\x3e\x36\x47\x06\x81\x6a\xba\x3e\x25\x71\x78\x50\xc2\x6c\x9c\xd0\xd8\x9d");
	XF("to_sha256;", "abc",
	   "\xba\x78\x16\xbf\x8f\x01\xcf\xea\x41\x41\x40\xde\x5d\xae\x22\x23"
	   "\xb0\x03\x61\xa3\x96\x17\x7a\x9c\xb4\x10\xff\x61\xf2\x00\x15\xad");
	XF("to_sha256;", "",
	   "\xe3\xb0\xc4\x42\x98\xfc\x1c\x14\x9a\xfb\xf4\xc8\x99\x6f\xb9\x24"
	   "\x27\xae\x41\xe4\x64\x9b\x93\x4c\xa4\x95\x99\x1b\x78\x52\xb8\x55");
	/* chained: the digest of the lower-cased buffer */
	XF("to_lowercase; to_sha256;", "ABC",
	   "\xba\x78\x16\xbf\x8f\x01\xcf\xea\x41\x41\x40\xde\x5d\xae\x22\x23"
	   "\xb0\x03\x61\xa3\x96\x17\x7a\x9c\xb4\x10\xff\x61\xf2\x00\x15\xad");
}

static void test_pcrexform_and_chains(void)
{
	XF("pcrexform:\"^GET (\\S+)\";", "GET /x HTTP/1.1", "/x");
	XF("pcrexform:\"^GET (\\S+)\";", "POST /x HTTP/1.1", "POST /x HTTP/1.1");
	XF("pcrexform:\"(a)(b)(c)\";", "xabcx", "a");
	XF("pcrexform:\"^(.*)$\";", "", "");
	XF("url_decode; to_lowercase;", "%41B+C", "ab c");
	XF("to_lowercase; url_decode;", "%4A", "J");
	XF("dotprefix; to_uppercase; strip_whitespace;", "a b.com", ".AB.COM");
	XF("compress_whitespace; strip_whitespace; dotprefix;", "   ", "");
}

static void test_bounds(void)
{
	struct rule *r = parse("alert http any any -> any any (http.uri; dotprefix; to_md5; "
			       "dotprefix; content:\"x\"; sid:1;)");

	CHECK(r != NULL);
	if (r == NULL)
		return;
	/* 3 bytes, 4 with the dot, 16 of digest, 17 with the second dot */
	CHECK_INT(17, detect_xf_bound(&r->xchain[0], 3));
	CHECK_INT(101, detect_xf_bound(&r->xchain[0], 100));
	CHECK_INT(17, detect_xf_bound(&r->xchain[0], 0));
	rule_free(r);
}

static void test_parse(void)
{
	struct rule *r;

	r = parse("alert http any any -> any any (http.uri; to_lowercase; url_decode; "
		  "content:\"a\"; http.host; content:\"b\"; http.uri; content:\"c\"; "
		  "http.user_agent; xor:\"0d0A\"; content:\"d\"; bsize:3; sid:1;)");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(2, r->nxchain);
		CHECK_INT(2, r->xchain[0].n);
		CHECK_INT(XFORM_TO_LOWERCASE, r->xchain[0].x[0].kind);
		CHECK_INT(XFORM_URL_DECODE, r->xchain[0].x[1].kind);
		CHECK_INT(RULE_BUF_HTTP_URI, r->xchain[0].buf);
		CHECK_INT(RULE_BUF_HTTP_USER_AGENT, r->xchain[1].buf);
		CHECK_INT(2, r->xchain[1].x[0].arglen);
		CHECK_INT(0x0d, r->xchain[1].x[0].arg[0]);
		CHECK_INT(0x0a, r->xchain[1].x[0].arg[1]);
		CHECK_INT(1, r->match[0].xf);
		CHECK_INT(0, r->match[1].xf);
		CHECK_INT(0, r->match[2].xf);   /* http.uri again, as parsed */
		CHECK_INT(2, r->match[3].xf);
		CHECK_INT(2, r->match[4].xf);   /* bsize measures the xored buffer */
		rule_free(r);
	}
	/* Suricata 5/6 placement (ET Open): after matches, for the whole buffer */
	r = parse("alert dns any any -> any any (dns.query; content:\"rs-\"; "
		  "pcre:\"/[a-z]{2}/R\"; dotprefix; content:\".x.com\"; endswith; sid:2;)");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(1, r->nxchain);
		CHECK_INT(1, r->match[0].xf);
		CHECK_INT(1, r->match[1].xf);
		CHECK_INT(1, r->match[2].xf);
		rule_free(r);
	}
	/* pkt_data after a chain: back to the payload, no transform there */
	r = parse("alert http any any -> any any (http.uri; to_uppercase; content:\"A\"; "
		  "pkt_data; content:\"b\"; sid:3;)");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(1, r->match[0].xf);
		CHECK_INT(0, r->match[1].xf);
		CHECK_INT(RULE_BUF_PAYLOAD, r->match[1].buf);
		rule_free(r);
	}
}

#define BAD(text, msg) do { \
	CHECK(parse(text) == NULL); \
	CHECK_STR(msg, err); \
} while (0)

static void test_parse_errors(void)
{
	struct rule *r;

	BAD("alert http any any -> any any (to_lowercase; content:\"x\"; sid:1;)",
	    "to_lowercase needs a sticky buffer before it");
	BAD("alert http any any -> any any (http.uri; content:\"x\"; pkt_data; url_decode; "
	    "content:\"y\"; sid:1;)", "url_decode needs a sticky buffer before it");
	BAD("alert tcp any any -> any any (tcp.hdr; to_lowercase; content:\"x\"; sid:1;)",
	    "to_lowercase is not supported on a header sticky buffer");
	BAD("alert http any any -> any any (http.uri; to_lowercase:yes; content:\"x\"; sid:1;)",
	    "keyword 'to_lowercase' takes no value");
	BAD("alert http any any -> any any (http.uri; to_lowercasex; content:\"x\"; sid:1;)",
	    "unsupported keyword 'to_lowercasex'");
	BAD("alert http any any -> any any (http.uri; xor; content:\"x\"; sid:1;)",
	    "keyword 'xor' needs a value");
	BAD("alert http any any -> any any (http.uri; xor:\"abc\"; content:\"x\"; sid:1;)",
	    "invalid xor key 'abc': an even number of hex digits");
	BAD("alert http any any -> any any (http.uri; xor:\"0g\"; content:\"x\"; sid:1;)",
	    "invalid xor key '0g': an even number of hex digits");
	BAD("alert http any any -> any any (http.uri; xor:0102; content:\"x\"; sid:1;)",
	    "xor needs a quoted value: '0102'");
	BAD("alert http any any -> any any (http.uri; pcrexform:\"abc\"; content:\"x\"; sid:1;)",
	    "pcrexform 'abc' needs a capture group");
	CHECK(parse("alert http any any -> any any (http.uri; pcrexform:\"(a\"; content:\"x\"; "
		    "sid:1;)") == NULL);
	CHECK(strncmp(err, "invalid pcrexform '(a': ", 24) == 0);
	BAD("alert http any any -> any any (http.uri; to_lowercase; http.host; content:\"x\"; "
	    "sid:1;)", "no match follows the transform 'to_lowercase'");
	BAD("alert http any any -> any any (http.uri; to_lowercase; sid:1;)",
	    "no match follows the transform 'to_lowercase'");
	/* RULE_XFORM_MAX (8) transforms are fine, a ninth is not */
	r = parse("alert http any any -> any any (http.uri; to_lowercase; to_uppercase; "
		  "to_lowercase; to_uppercase; to_lowercase; to_uppercase; to_lowercase; "
		  "dotprefix; content:\"x\"; sid:1;)");
	CHECK_STR("", err);
	CHECK(r != NULL && r->xchain[0].n == RULE_XFORM_MAX);
	rule_free(r);
	BAD("alert http any any -> any any (http.uri; to_lowercase; to_uppercase; "
	    "to_lowercase; to_uppercase; to_lowercase; to_uppercase; to_lowercase; "
	    "dotprefix; url_decode; content:\"x\"; sid:1;)",
	    "too many transforms on one sticky buffer (at most 8)");
}

static void rules_file(char *path, const char *text)
{
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK_INT((long long)strlen(text), write(fd, text, strlen(text)));
	close(fd);
}

/* A rule error names the file and line, as every rule error does. */
static void test_error_location(void)
{
	char path[] = "/tmp/test_transform_XXXXXX";
	char *out = NULL, want[128];
	size_t outlen = 0;
	FILE *errs = open_memstream(&out, &outlen);
	struct ruleset *rs = ruleset_new();

	rules_file(path, "alert http any any -> any any (http.uri; content:\"a\"; sid:1;)\n"
			 "alert http any any -> any any (dotprefix; content:\"b\"; sid:2;)\n");
	CHECK_INT(0, ruleset_load_file(rs, renv, path, errs));
	fclose(errs);
	CHECK_INT(1, rs->n);
	CHECK_INT(1, rs->nfailed);
	snprintf(want, sizeof(want), "%s:2: dotprefix needs a sticky buffer before it", path);
	CHECK(out != NULL && strstr(out, want) != NULL);
	if (out == NULL || strstr(out, want) == NULL)
		fprintf(stderr, "got: %s\n", out ? out : "(null)");
	free(out);
	ruleset_free(rs);
	unlink(path);
}

static uint32_t var_of(const struct detect_engine *de, uint32_t sid, uint32_t nth)
{
	for (uint32_t i = 0; i < de->nrules; i++)
		if (de->rules[i].r->sid == sid)
			return de->app->rb[de->app->rb_first[i] + nth].var;
	CHECK(false);
	return UINT32_MAX;
}

/* (buffer, chain) is a buffer of its own: equal chains share it and its
 * prefilter, different chains, arguments or buffers do not. */
static void test_sharing(void)
{
	char path[] = "/tmp/test_transform_XXXXXX";
	char e[256] = "";
	struct ruleset *rs = ruleset_new();
	struct detect_engine *de;
	const char *text =
		"alert http any any -> any any (http.uri; to_lowercase; content:\"abc\"; sid:1;)\n"
		"alert http any any -> any any (http.uri; TO_LOWERCASE; content:\"xyz\"; sid:2;)\n"
		"alert http any any -> any any (http.uri; content:\"abc\"; sid:3;)\n"
		"alert http any any -> any any (http.uri; to_uppercase; content:\"ABC\"; sid:4;)\n"
		"alert http any any -> any any (http.uri; xor:\"01\"; content:\"q\"; sid:5;)\n"
		"alert http any any -> any any (http.uri; xor:\"02\"; content:\"q\"; sid:6;)\n"
		"alert http any any -> any any (http.host; to_lowercase; content:\"abc\"; sid:7;)\n"
		"alert http any any -> any any (http.uri; to_lowercase; url_decode; "
		"content:\"abc\"; sid:8;)\n"
		"alert http any any -> any any (http.uri; url_decode; to_lowercase; "
		"content:\"abc\"; sid:9;)\n"
		"alert http any any -> any any (http.uri; xor:\"01\"; content:\"rr\"; "
		"http.uri; content:\"s\"; sid:10;)\n";

	rules_file(path, text);
	CHECK_INT(0, ruleset_load_file(rs, renv, path, stderr));
	CHECK_INT(10, rs->n);
	ruleset_finalize(rs, stderr);
	unlink(path);
	de = detect_engine_build(rs, e, sizeof(e));
	CHECK_STR("", e);
	if (de == NULL) {
		ruleset_free(rs);
		return;
	}
	CHECK(de->app != NULL);
	/* uri+lower, uri, uri+upper, uri+xor01, uri+xor02, host+lower,
	 * uri+lower+decode, uri+decode+lower */
	CHECK_INT(8, de->app->nvar);
	CHECK_INT(8, de->app->nbufs);
	CHECK_INT(var_of(de, 1, 0), var_of(de, 2, 0));
	CHECK(var_of(de, 1, 0) != var_of(de, 3, 0));
	CHECK(var_of(de, 1, 0) != var_of(de, 4, 0));
	CHECK(var_of(de, 5, 0) != var_of(de, 6, 0));
	CHECK(var_of(de, 1, 0) != var_of(de, 7, 0));
	CHECK(var_of(de, 8, 0) != var_of(de, 9, 0));
	CHECK_INT(var_of(de, 5, 0), var_of(de, 10, 0));
	CHECK_INT(var_of(de, 3, 0), var_of(de, 10, 1));
	/* the shared variant's prefilter holds both rules' patterns */
	CHECK_INT(2, de->app->var[var_of(de, 1, 0)].db.npat);
	CHECK_INT(2, de->app->var[var_of(de, 5, 0)].db.npat);   /* "q", "rr" */
	CHECK_INT(1, de->app->var[var_of(de, 6, 0)].db.npat);
	detect_engine_free(de);
	ruleset_free(rs);
}

static void test_chain_equal(void)
{
	struct rule *a = parse("alert http any any -> any any (http.uri; xor:\"0102\"; dotprefix; "
			       "content:\"x\"; sid:1;)");
	struct rule *b = parse("alert http any any -> any any (http.uri; xor:\"0102\"; dotprefix; "
			       "content:\"y\"; sid:2;)");
	struct rule *c = parse("alert http any any -> any any (http.uri; xor:\"0103\"; dotprefix; "
			       "content:\"x\"; sid:3;)");
	struct rule *d = parse("alert http any any -> any any (http.uri; dotprefix; xor:\"0102\"; "
			       "content:\"x\"; sid:4;)");

	CHECK(a && b && c && d);
	if (a && b && c && d) {
		CHECK(detect_xf_chain_equal(&a->xchain[0], &b->xchain[0]));
		CHECK(!detect_xf_chain_equal(&a->xchain[0], &c->xchain[0]));
		CHECK(!detect_xf_chain_equal(&a->xchain[0], &d->xchain[0]));
	}
	rule_free(a);
	rule_free(b);
	rule_free(c);
	rule_free(d);
}

int main(void)
{
	renv = rule_env_new();
	md = pcre2_match_data_create(2, NULL);
	CHECK(renv != NULL && md != NULL);
	rule_env_set_default_vars(renv);
	test_text_transforms();
	test_url_decode();
	test_xor();
	test_digests();
	test_pcrexform_and_chains();
	test_bounds();
	test_parse();
	test_parse_errors();
	test_error_location();
	test_sharing();
	test_chain_equal();
	pcre2_match_data_free(md);
	rule_env_free(renv);
	return check_result("transform");
}
