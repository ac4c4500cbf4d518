/* SPDX-License-Identifier: MIT */
/* Unit tests for the app-layer keywords added after the first wave: the
 * legacy TLS value keywords (tls.subject, tls.issuerdn, tls.fingerprint
 * with '!'), tls.random*, tls.alpn, tls.cert_chain_len, dns.queries.rrname,
 * dns.answers.rrname, dns.response.rrname, dns.rrtype and the certificate
 * dates (tls_cert_notbefore/notafter/expired/valid): parse errors,
 * matches and near misses on messages built here and fed to the real
 * parsers, multi-buffer instances, and malformed input (a truncated ALPN
 * list, a compression loop in an answer). absent (and absent: or_else):
 * parse errors, and when it fires on HTTP and TLS transactions.
 * tls.subjectaltname's iPAddress entries as Suricata 8 writes them. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "check.h"
#include "app_fixture.h"
#include "dataplane/applayer/applayer.h"
#include "dataplane/applayer/tls_x509.h"
#include "dataplane/detect/detect.h"
#include "dataplane/flow/flow-t.h"
#include "rules/rules.h"

static struct detect_result res;
static uint64_t pkt_ts_us;        /* the inspected packets' time */

static struct app_env *setup(const char *text)
{
	return app_env_setup(text, NULL, "applayer_kw");
}

static void flow_open(struct app_env *e, uint8_t proto, uint16_t cport, uint16_t sport)
{
	app_env_flow_open(e, proto, cport, sport);
}

static void feed(struct app_env *e, enum app_dir dir, const void *d, size_t len)
{
	CHECK_INT(0, app_flow_data(e->al, e->f.app, dir, d, (uint32_t)len, 1000));
}

/* Detection on an empty packet of the flow in direction dir; the sids that
 * alerted, ascending, as a bit mask of (sid - 1) (sids 1..63). */
static uint64_t inspect(struct app_env *e, enum pkt_dir dir)
{
	struct packet p = app_env_packet(e, dir, pkt_ts_us);
	uint64_t mask = 0;

	detect_packet(e->d.dt, &p, &res);
	for (uint32_t i = 0; i < res.nalerts; i++) {
		uint32_t sid = res.alerts[i].rule->sid;

		CHECK(sid >= 1 && sid <= 64);
		mask |= 1ull << (sid - 1);
	}
	app_flow_inspected_dir(e->al, e->f.app, (enum app_dir)dir);
	return mask;
}

#define SID(n) (1ull << ((n) - 1))

/* ---- rule parsing ---- */

static struct rule_env *penv;

/* "" when the tls rule with these options parses, else its error. */
static const char *parse_err(const char *opts)
{
	const char *e = rule_opts_err(penv, "tls", opts);

	return strcmp(e, "(parsed)") == 0 ? "" : e;
}

static struct rule *parse_ok(const char *proto, const char *opts)
{
	char text[1024], err[512] = "";
	struct rule *r;

	snprintf(text, sizeof(text), "alert %s any any -> any any (%s sid:1;)", proto, opts);
	r = rule_parse(penv, text, err, sizeof(err));
	CHECK_STR("", err);
	return r;
}

/* Two rules from a file: the first loads, the second fails with reason,
 * reported with the file and line 2. */
static void check_second_fails(const char *text, const char *reason)
{
	char path[] = "/tmp/test_applayer_kw_rules_XXXXXX";
	char out[1024] = "", where[96];
	FILE *log = tmpfile();
	struct ruleset *rs = ruleset_new();
	int fd = mkstemp(path);
	size_t n;

	CHECK(fd >= 0 && log != NULL && rs != NULL);
	CHECK_INT((long long)strlen(text), write(fd, text, strlen(text)));
	close(fd);
	ruleset_load_file(rs, penv, path, log);
	CHECK_INT(1, rs->n);
	CHECK_INT(1, rs->nfailed);
	rewind(log);
	n = fread(out, 1, sizeof(out) - 1, log);
	out[n] = '\0';
	snprintf(where, sizeof(where), "%s:2", path);
	CHECK(strstr(out, where) != NULL);
	CHECK(strstr(out, reason) != NULL);
	fclose(log);
	ruleset_free(rs);
	unlink(path);
}

/* A file's bad rule is reported with the file and line. */
static void check_file_line(void)
{
	check_second_fails("alert tls any any -> any any (msg:\"ok\"; tls.subject:\"CN=a\"; sid:1;)\n"
			   "alert dns any any -> any any (msg:\"bad\"; dns.rrtype:70000; sid:2;)\n",
			   "invalid dns.rrtype");
}

static void test_parse(void)
{
	struct rule *r;

	penv = rule_env_new();
	CHECK(penv != NULL);
	rule_env_set_default_vars(penv);
	check_file_line();

	r = parse_ok("tls", "tls.subject:!\"CN=Google\";");
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(1, r->nmatch);
		CHECK_INT(RULE_BUF_TLS_CERT_SUBJECT, r->match[0].buf);
		CHECK_INT(CONTENT_NEGATED, r->match[0].content.flags & CONTENT_NEGATED);
		CHECK_INT(9, r->match[0].content.len);
		CHECK_INT(APP_PROTO_TLS, r->app_proto);
		rule_free(r);
	}
	/* unquoted, as Suricata's parser allows; no negation */
	r = parse_ok("ip", "tls.issuerdn:CN=Evil CA;");
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(RULE_BUF_TLS_CERT_ISSUER, r->match[0].buf);
		CHECK_INT(0, r->match[0].content.flags & CONTENT_NEGATED);
		CHECK(memcmp(r->match[0].content.pat, "CN=Evil CA", 10) == 0);
		CHECK_INT(APP_PROTO_TLS, r->app_proto);
		rule_free(r);
	}
	/* after a sticky buffer with a transform: the legacy value has none */
	r = parse_ok("tls", "tls.sni; to_uppercase; content:\"A\"; tls.fingerprint:\"AB:cd\";");
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(2, r->nmatch);
		CHECK_INT(RULE_BUF_TLS_CERT_FINGERPRINT, r->match[1].buf);
		CHECK_INT(0, r->match[1].xf);
		CHECK(memcmp(r->match[1].content.pat, "ab:cd", 5) == 0);
		rule_free(r);
	}
	r = parse_ok("dns", "dns.rrtype:!28;");
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(RULE_APP_HAS_DNS_RRTYPE, r->app_has);
		CHECK_INT(U32_NE, r->dns_rrtype.op);
		CHECK_INT(28, r->dns_rrtype.a);
		rule_free(r);
	}
	r = parse_ok("ip", "tls.cert_chain_len:>2;");
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(U32_GT, r->tls_chain_len.op);
		CHECK_INT(2, r->tls_chain_len.a);
		CHECK_INT(APP_PROTO_TLS, r->app_proto);
		rule_free(r);
	}
	/* a multi-instance buffer named again opens a list (grp) of its own;
	 * pkt_data in between changes nothing, dns_query is the same keyword;
	 * a value keyword (filename) adds to the buffer's first list; a buffer
	 * that is one a direction (http.uri) keeps its one list */
	r = parse_ok("dns", "dns.query; content:\"a\"; bsize:>1; dns.query; content:\"b\"; "
		     "pkt_data; content:\"c\"; dns_query; content:\"d\";");
	CHECK(r != NULL);
	if (r) {
		static const uint8_t grp[] = { 0, 0, 1, 0, 2 };

		CHECK_INT(5, r->nmatch);
		for (uint32_t i = 0; i < 5 && i < r->nmatch; i++)
			CHECK_INT(grp[i], r->match[i].grp);
		rule_free(r);
	}
	r = parse_ok("http", "file.name; content:\"a\"; file.name; content:\"b\"; "
		     "filename:\"c\"; http.uri; content:\"u\"; http.uri; content:\"v\"; "
		     "http.request_header; content:\"h\"; http.request_header; "
		     "to_lowercase; content:\"i\";");
	CHECK(r != NULL);
	if (r) {
		static const uint8_t grp[] = { 0, 1, 0, 0, 0, 0, 1 };

		CHECK_INT(7, r->nmatch);
		for (uint32_t i = 0; i < 7 && i < r->nmatch; i++)
			CHECK_INT(grp[i], r->match[i].grp);
		CHECK_INT(RULE_BUF_FILE_NAME, r->match[2].buf);
		CHECK_INT(1, r->match[6].xf);
		rule_free(r);
	}
	r = parse_ok("ip", "dns.answers.rrname; content:\"x\";");
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(APP_PROTO_DNS, r->app_proto);
		rule_free(r);
	}
	CHECK(strstr(parse_err("tls.subject;"), "needs a value") != NULL);
	CHECK(strstr(parse_err("tls.issuerdn:\"CN=x;"), "unterminated") != NULL);
	CHECK(strstr(parse_err("tls.subject:!;"), "empty") != NULL);
	CHECK(strstr(parse_err("dns.rrtype:65536;"), "invalid dns.rrtype") != NULL);
	CHECK(strstr(parse_err("dns.rrtype:x;"), "invalid dns.rrtype") != NULL);
	CHECK(strstr(parse_err("dns.rcode:16;"), "invalid dns.rcode") != NULL);
	CHECK(strstr(parse_err("dns.rcode:nxdomainx;"), "invalid dns.rcode") != NULL);
	CHECK(strstr(parse_err("dns.rcode:1; dns.rcode:2;"), "duplicate") != NULL);
	CHECK(strstr(parse_err("tls.cert_chain_len:;"), "needs a value") != NULL);
	CHECK(strstr(parse_err("tls.cert_chain_len:1; tls.cert_chain_len:2;"), "duplicate") !=
	      NULL);
	CHECK(strstr(parse_err("tls.alpn:\"h2\";"), "takes no value") != NULL);
	CHECK(strstr(parse_err("dns.rrtype:1; tls.sni; content:\"a\";"), "mixes protocols") !=
	      NULL);
	CHECK(strstr(parse_err("tls.random; content:\"a\"; dns.queries.rrname; content:\"b\";"),
		     "mixes protocols") != NULL);
	rule_env_free(penv);
}

/* tls_cert_notbefore/notafter values (epochs, dates with their fields left
 * out, '<' '>' and ranges) and their errors. */
static void test_parse_validity(void)
{
	struct rule *r;

	penv = rule_env_new();
	CHECK(penv != NULL);
	r = parse_ok("tls", "tls_cert_notbefore:<2015-10-22T23:59:59;");
	if (r) {
		CHECK_INT(RULE_TLS_NOTBEFORE, r->tls_validity);
		CHECK(r->app_has & RULE_APP_HAS_TLS_VALIDITY);
		CHECK_INT(TLS_DATE_LE, r->tls_notbefore.op);
		CHECK_INT(1445558399, r->tls_notbefore.a);
		rule_free(r);
	}
	r = parse_ok("ip", "tls_cert_notafter: 2000-10-22 <> 2020-05-15 ; tls_cert_expired;");
	if (r) {
		CHECK_INT(RULE_TLS_NOTAFTER | RULE_TLS_EXPIRED, r->tls_validity);
		CHECK_INT(TLS_DATE_RANGE, r->tls_notafter.op);
		CHECK_INT(972172800, r->tls_notafter.a);
		CHECK_INT(1589500800, r->tls_notafter.b);
		CHECK_INT(APP_PROTO_TLS, r->app_proto);
		rule_free(r);
	}
	r = parse_ok("tls", "tls_cert_notafter:1445852105; tls_cert_notbefore:>2015-10-22 12:30; "
		     "tls_cert_valid;");
	if (r) {
		CHECK_INT(TLS_DATE_EQ, r->tls_notafter.op);
		CHECK_INT(1445852105, r->tls_notafter.a);
		CHECK_INT(TLS_DATE_GE, r->tls_notbefore.op);
		CHECK_INT(1445517000, r->tls_notbefore.a);
		rule_free(r);
	}
	r = parse_ok("tls", "tls_cert_notbefore:2024-02;");
	if (r) {
		CHECK_INT(1706745600, r->tls_notbefore.a);
		rule_free(r);
	}
	r = parse_ok("tls", "tls_cert_notbefore:2024-2-29;");
	if (r) {
		CHECK_INT(1709164800, r->tls_notbefore.a);
		rule_free(r);
	}
	CHECK(strstr(parse_err("tls_cert_notbefore:2015-13-01;"), "invalid tls_cert_notbefore") !=
	      NULL);
	CHECK(strstr(parse_err("tls_cert_notbefore:2023-02-29;"), "invalid") != NULL);
	CHECK(strstr(parse_err("tls_cert_notbefore:2015-10-22T24;"), "invalid") != NULL);
	CHECK(strstr(parse_err("tls_cert_notbefore:2015-10-22X10;"), "invalid") != NULL);
	CHECK(strstr(parse_err("tls_cert_notbefore:15-10-22;"), "invalid") != NULL);
	CHECK(strstr(parse_err("tls_cert_notafter:2020-01-01<>2019-01-01;"),
		     "invalid tls_cert_notafter") != NULL);
	CHECK(strstr(parse_err("tls_cert_notafter:<2020-01-01<>2021-01-01;"), "invalid") != NULL);
	CHECK(strstr(parse_err("tls_cert_notafter:<;"), "invalid") != NULL);
	CHECK(strstr(parse_err("tls_cert_notafter;"), "needs a value") != NULL);
	CHECK(strstr(parse_err("tls_cert_expired:1;"), "takes no value") != NULL);
	CHECK(strstr(parse_err("tls_cert_valid; tls_cert_valid;"), "duplicate") != NULL);
	CHECK(strstr(parse_err("http.uri; content:\"a\"; tls_cert_valid;"), "mixes protocols") !=
	      NULL);
	rule_env_free(penv);
}

/* ---- TLS ---- */

struct bytes {
	uint8_t b[1024];
	size_t n;
};

static void put(struct bytes *o, const void *d, size_t n)
{
	CHECK(o->n + n <= sizeof(o->b));
	memcpy(o->b + o->n, d, n);
	o->n += n;
}

static void put8(struct bytes *o, uint32_t v)
{
	uint8_t b = (uint8_t)v;

	put(o, &b, 1);
}

static void put16(struct bytes *o, uint32_t v)
{
	put8(o, v >> 8);
	put8(o, v);
}

static void put24(struct bytes *o, uint32_t v)
{
	put8(o, v >> 16);
	put16(o, v);
}

/* A handshake record holding one message of type t with body b. */
static void record(struct bytes *out, uint8_t t, const struct bytes *b)
{
	out->n = 0;
	put8(out, 22);
	put16(out, 0x0301);
	put16(out, (uint32_t)b->n + 4);
	put8(out, t);
	put24(out, (uint32_t)b->n);
	put(out, b->b, b->n);
}

/* The ALPN extension's body: names given, or raw bytes for malformed ones. */
static void alpn_ext(struct bytes *ext, const char *const *names, size_t n)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += 1 + strlen(names[i]);
	put16(ext, 16);
	put16(ext, (uint32_t)total + 2);
	put16(ext, (uint32_t)total);
	for (size_t i = 0; i < n; i++) {
		put8(ext, (uint32_t)strlen(names[i]));
		put(ext, names[i], strlen(names[i]));
	}
}

/* ClientHello (client) or ServerHello with random bytes rnd[0..31] = seed+i,
 * an SNI (client) and the extensions in ext. */
static void hello(struct bytes *rec, bool client, uint8_t seed, const struct bytes *ext)
{
	struct bytes b = { .n = 0 }, e = { .n = 0 };

	put16(&b, 0x0303);
	for (int i = 0; i < 32; i++)
		put8(&b, (uint32_t)(seed + i));
	put8(&b, 0);
	if (client) {
		put16(&b, 2);
		put16(&b, 0x002f);
		put8(&b, 1);
		put8(&b, 0);
		put16(&e, 0);
		put16(&e, 14);
		put16(&e, 12);
		put8(&e, 0);
		put16(&e, 9);
		put(&e, "a.example", 9);
	} else {
		put16(&b, 0x002f);
		put8(&b, 0);
	}
	put(&e, ext->b, ext->n);
	put16(&b, (uint32_t)e.n);
	put(&b, e.b, e.n);
	record(rec, client ? 1 : 2, &b);
}

static const char tls_rules[] =
	"alert tls any any -> any any (msg:\"alpn h2\"; tls.alpn; content:\"h2\"; bsize:2; "
	"sid:1;)\n"
	"alert tls any any -> any any (msg:\"alpn http1\"; tls.alpn; content:\"http/1.1\"; "
	"sid:2;)\n"
	"alert tls any any -> any any (msg:\"alpn in one\"; tls.alpn; content:\"h2\"; "
	"content:\"http\"; sid:3;)\n"
	"alert tls any any -> any any (msg:\"rnd time\"; tls.random_time; "
	"content:\"|10 11 12 13|\"; bsize:4; sid:4;)\n"
	"alert tls any any -> any any (msg:\"rnd bytes\"; tls.random_bytes; "
	"content:\"|14 15|\"; startswith; bsize:28; sid:5;)\n"
	"alert tls any any -> any any (msg:\"rnd\"; tls.random; content:\"|80 81|\"; "
	"startswith; content:\"|9f|\"; endswith; bsize:32; sid:6;)\n"
	"alert tls any any -> any any (msg:\"rnd time no\"; tls.random_time; "
	"content:\"|14|\"; sid:7;)\n"
	"alert tls any any -> any any (msg:\"chain 2\"; tls.cert_chain_len:2; sid:8;)\n"
	"alert tls any any -> any any (msg:\"chain <2\"; tls.cert_chain_len:<2; sid:9;)\n"
	"alert tls any any -> any any (msg:\"sni\"; tls.sni; content:\"a.example\"; sid:10;)\n"
	"alert tls any any -> any any (msg:\"subject neg\"; tls.subject:!\"CN=x\"; sid:11;)\n"
	"alert tls any any -> any any (msg:\"alpn in two\"; tls.alpn; content:\"h2\"; bsize:2; "
	"tls.alpn; content:\"http\"; sid:12;)\n";

/* tls.alpn: each name is an instance, a direction's own list (the client's
 * h2 and http/1.1 to the server, the server's h2 to the client); no rule
 * sees two names as one buffer, but tls.alpn named twice is two lists,
 * met by two names of the direction. tls.random*: the direction's hello. */
static void test_tls_hello(void)
{
	static const char *const cnames[] = { "h2", "http/1.1" };
	static const char *const snames[] = { "h2" };
	struct app_env *e = setup(tls_rules);
	struct bytes ext = { .n = 0 }, rec;

	flow_open(e, 6, 40000, 443);
	alpn_ext(&ext, cnames, 2);
	hello(&rec, true, 0x10, &ext);
	feed(e, APP_TO_SERVER, rec.b, rec.n);
	CHECK_INT(SID(1) | SID(2) | SID(4) | SID(5) | SID(10) | SID(12),
		  inspect(e, PKT_TO_SERVER));
	ext.n = 0;
	alpn_ext(&ext, snames, 1);
	hello(&rec, false, 0x80, &ext);
	feed(e, APP_TO_CLIENT, rec.b, rec.n);
	/* sid 1 already alerted on the session's transaction */
	CHECK_INT(SID(6), inspect(e, PKT_TO_CLIENT));
	app_env_teardown(e);
}

/* A truncated ALPN list (a name longer than what is left) is dropped
 * whole; the rest of the hello (SNI, random) is still parsed. */
static void test_tls_alpn_truncated(void)
{
	struct app_env *e = setup(tls_rules);
	struct bytes ext = { .n = 0 }, rec;

	flow_open(e, 6, 40001, 443);
	put16(&ext, 16);
	put16(&ext, 6);
	put16(&ext, 4);
	put8(&ext, 2);
	put(&ext, "h2", 2);
	put8(&ext, 9);	/* 9 bytes claimed, none left */
	hello(&rec, true, 0x10, &ext);
	feed(e, APP_TO_SERVER, rec.b, rec.n);
	CHECK_INT(SID(4) | SID(5) | SID(10), inspect(e, PKT_TO_SERVER));
	app_env_teardown(e);
}

/* tls.cert_chain_len counts the server's Certificate message entries, even
 * ones GnuTLS cannot read; the legacy subject test needs a subject. */
static void test_tls_chain(void)
{
	struct app_env *e = setup(tls_rules);
	struct bytes b = { .n = 0 }, rec, ext = { .n = 0 };

	flow_open(e, 6, 40002, 443);
	hello(&rec, false, 0x40, &ext);
	feed(e, APP_TO_CLIENT, rec.b, rec.n);
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT) & (SID(8) | SID(9)));
	put24(&b, 2 * (3 + 3));
	for (int i = 0; i < 2; i++) {
		put24(&b, 3);
		put(&b, "xyz", 3);
	}
	record(&rec, 11, &b);
	feed(e, APP_TO_CLIENT, rec.b, rec.n);
	CHECK_INT(SID(8), inspect(e, PKT_TO_CLIENT));
	app_env_teardown(e);
}

/* A self-signed certificate (DER) valid from 2020-01-02T03:04:05 to
 * 2030-06-15T12:00:00, made here with GnuTLS; with_san: its
 * subjectAltName is DNS a.example, IP 192.0.2.1, IP 2001:db8::1. */
#define CERT_NOT_BEFORE 1577934245
#define CERT_NOT_AFTER  1907755200

static void make_cert(struct bytes *der, bool with_san)
{
	static const uint8_t ip4[] = { 192, 0, 2, 1 };
	static const uint8_t ip6[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t out = { NULL, 0 };
	static const uint8_t serial[] = { 1 };

	der->n = 0;
	CHECK_INT(0, gnutls_x509_privkey_init(&key));
	CHECK_INT(0, gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
				GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0));
	CHECK_INT(0, gnutls_x509_crt_init(&crt));
	CHECK_INT(0, gnutls_x509_crt_set_version(crt, 3));
	CHECK_INT(0, gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)));
	CHECK_INT(0, gnutls_x509_crt_set_dn(crt, "CN=dates.example", NULL));
	CHECK_INT(0, gnutls_x509_crt_set_issuer_dn(crt, "CN=dates.example", NULL));
	CHECK_INT(0, gnutls_x509_crt_set_activation_time(crt, CERT_NOT_BEFORE));
	CHECK_INT(0, gnutls_x509_crt_set_expiration_time(crt, CERT_NOT_AFTER));
	if (with_san) {
		CHECK_INT(0, gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME,
				"a.example", 9, GNUTLS_FSAN_APPEND));
		CHECK_INT(0, gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS,
				ip4, sizeof(ip4), GNUTLS_FSAN_APPEND));
		CHECK_INT(0, gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS,
				ip6, sizeof(ip6), GNUTLS_FSAN_APPEND));
	}
	CHECK_INT(0, gnutls_x509_crt_set_key(crt, key));
	CHECK_INT(0, gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0));
	CHECK_INT(0, gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &out));
	if (out.data)
		put(der, out.data, out.size);
	gnutls_free(out.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
}

static const char validity_rules[] =
	"alert tls any any -> any any (msg:\"nb eq\"; tls_cert_notbefore:2020-01-02T03:04:05; "
	"sid:1;)\n"
	"alert tls any any -> any any (msg:\"nb lt\"; tls_cert_notbefore:<2020-01-02; sid:2;)\n"
	"alert tls any any -> any any (msg:\"nb gt\"; tls_cert_notbefore:>2020-01-02; sid:3;)\n"
	"alert tls any any -> any any (msg:\"na range\"; "
	"tls_cert_notafter:2030-01-01<>2031-01-01; sid:4;)\n"
	"alert tls any any -> any any (msg:\"na lt\"; tls_cert_notafter:<2030-06-15; sid:5;)\n"
	"alert tls any any -> any any (msg:\"na epoch\"; tls_cert_notafter:1907755200; sid:6;)\n"
	"alert tls any any -> any any (msg:\"expired\"; tls_cert_expired; sid:7;)\n"
	"alert tls any any -> any any (msg:\"valid\"; tls_cert_valid; sid:8;)\n"
	"alert tls any any -> any any (msg:\"nb le edge\"; tls_cert_notbefore:<1577934245; "
	"sid:9;)\n"
	"alert tls any any -> any any (msg:\"range out\"; "
	"tls_cert_notafter:2031-01-01<>2032-01-01; sid:10;)\n";

/* The server's ServerHello then a one-certificate chain, on a flow of its
 * own with these rules, inspected at time now (seconds). */
static uint64_t cert_session(const char *rules, const struct bytes *cert, uint16_t cport,
			     int64_t now)
{
	struct app_env *e = setup(rules);
	struct bytes b = { .n = 0 }, rec, ext = { .n = 0 };
	uint64_t mask;

	pkt_ts_us = (uint64_t)now * 1000000u + 999999u;
	flow_open(e, 6, cport, 443);
	hello(&rec, false, 0x40, &ext);
	feed(e, APP_TO_CLIENT, rec.b, rec.n);
	/* no certificate yet: no date to test */
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	put24(&b, 3 + (uint32_t)cert->n);
	put24(&b, (uint32_t)cert->n);
	put(&b, cert->b, cert->n);
	record(&rec, 11, &b);
	feed(e, APP_TO_CLIENT, rec.b, rec.n);
	mask = inspect(e, PKT_TO_CLIENT);
	app_env_teardown(e);
	pkt_ts_us = 0;
	return mask;
}

/* tls_cert_notbefore/notafter against the end-entity certificate's dates,
 * '<' and '>' inclusive; expired and valid against the packet's time, the
 * last second of notAfter still valid. */
static void test_tls_validity(void)
{
	struct bytes cert;
	const uint64_t dates = SID(1) | SID(3) | SID(4) | SID(6) | SID(9);

	make_cert(&cert, false);
	CHECK(cert.n > 100);
	CHECK_INT(dates | SID(8), cert_session(validity_rules, &cert, 40010, 1700000000));
	CHECK_INT(dates | SID(8), cert_session(validity_rules, &cert, 40011, CERT_NOT_AFTER));
	CHECK_INT(dates | SID(7), cert_session(validity_rules, &cert, 40012, CERT_NOT_AFTER + 1));
}

static const char san_rules[] =
	"alert tls any any -> any any (msg:\"dns\"; tls.subjectaltname; content:\"a.example\"; "
	"startswith; endswith; sid:1;)\n"
	"alert tls any any -> any any (msg:\"ip4\"; tls.subjectaltname; "
	"content:\"[192, 0, 2, 1]\"; startswith; endswith; sid:2;)\n"
	"alert tls any any -> any any (msg:\"ip6\"; tls.subjectaltname; "
	"content:\"[32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]\"; startswith; endswith; "
	"sid:3;)\n"
	"alert tls any any -> any any (msg:\"ip4 text\"; tls.subjectaltname; "
	"content:\"192.0.2.1\"; sid:4;)\n"
	"alert tls any any -> any any (msg:\"ip6 text\"; tls.subjectaltname; "
	"content:\"2001:db8::1\"; sid:5;)\n";

/* iPAddress entries as Suricata 8's SCGeneralName writes them (Rust's Debug
 * of the bytes), in the walker's output and in the tls.subjectaltname
 * buffer; the text forms are not there. */
static void test_tls_san_ip(void)
{
	static const char *const want[] = {
		"a.example", "[192, 0, 2, 1]",
		"[32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]",
	};
	struct bytes cert;
	struct tls_x509_cert c;
	struct tls_x509_san_iter it;
	char out[256], small[14];
	uint32_t n, i;

	make_cert(&cert, true);
	tls_x509_parse(cert.b, (uint32_t)cert.n, &c);
	CHECK(c.decoded);
	tls_x509_san_begin(&c, &it);
	for (i = 0; i < 3 && tls_x509_san_next(&it, out, sizeof(out), &n); i++) {
		CHECK_STR(want[i], out);
		CHECK_INT(strlen(want[i]), n);
	}
	CHECK_INT(3, i);
	CHECK(!tls_x509_san_next(&it, out, sizeof(out), &n));
	/* "[192, 0, 2, 1]" needs 15 bytes with its NUL: it does not fit in 14
	 * and is passed over, as is the IPv6 one; the DNS name fits */
	tls_x509_san_begin(&c, &it);
	CHECK(tls_x509_san_next(&it, small, sizeof(small), &n));
	CHECK_STR("a.example", small);
	CHECK(!tls_x509_san_next(&it, small, sizeof(small), &n));
	CHECK_INT(SID(1) | SID(2) | SID(3), cert_session(san_rules, &cert, 40020, 1700000000));
}

/* ---- DNS ---- */

static void name(struct bytes *o, const char *n)
{
	while (*n) {
		const char *dot = strchr(n, '.');
		size_t l = dot ? (size_t)(dot - n) : strlen(n);

		put8(o, (uint32_t)l);
		put(o, n, l);
		n += l + (dot != NULL);
	}
	put8(o, 0);
}

/* A response to "q.example" (type qtype) with answers: a CNAME at the
 * question (a compression pointer to offset 12) and an A at
 * "cdn.example"; one authority "ns.example", one additional "" (OPT). */
static void dns_response(struct bytes *o, uint16_t qtype)
{
	o->n = 0;
	put16(o, 0x1234);
	put16(o, 0x8180);
	put16(o, 1);
	put16(o, 2);
	put16(o, 1);
	put16(o, 1);
	name(o, "q.example");
	put16(o, qtype);
	put16(o, 1);
	put16(o, 0xc00c);
	put16(o, 5);
	put16(o, 1);
	put16(o, 0);
	put16(o, 60);
	put16(o, 13);
	name(o, "cdn.example");
	name(o, "cdn.example");
	put16(o, 1);
	put16(o, 1);
	put16(o, 0);
	put16(o, 60);
	put16(o, 4);
	put(o, "\x01\x02\x03\x04", 4);
	name(o, "ns.example");
	put16(o, 2);
	put16(o, 1);
	put16(o, 0);
	put16(o, 60);
	put16(o, 0);
	put8(o, 0);
	put16(o, 41);
	put16(o, 512);
	put16(o, 0);
	put16(o, 0);
	put16(o, 0);
}

static const char dns_rules[] =
	"alert dns any any -> any any (msg:\"qn\"; dns.queries.rrname; content:\"q.example\"; "
	"bsize:9; sid:1;)\n"
	"alert dns any any -> any any (msg:\"an q\"; dns.answers.rrname; "
	"content:\"q.example\"; bsize:9; sid:2;)\n"
	"alert dns any any -> any any (msg:\"an cdn\"; dns.answers.rrname; "
	"content:\"cdn.example\"; sid:3;)\n"
	"alert dns any any -> any any (msg:\"an ns no\"; dns.answers.rrname; "
	"content:\"ns.example\"; sid:4;)\n"
	"alert dns any any -> any any (msg:\"resp ns\"; dns.response.rrname; "
	"content:\"ns.example\"; sid:5;)\n"
	"alert dns any any -> any any (msg:\"query only\"; dns.query; content:\"q.example\"; "
	"sid:6;)\n"
	"alert dns any any -> any any (msg:\"type A\"; dns.rrtype:1; sid:7;)\n"
	"alert dns any any -> any any (msg:\"type AAAA\"; dns.rrtype:28; sid:8;)\n"
	"alert dns any any -> any any (msg:\"type not A\"; dns.rrtype:!1; sid:9;)\n"
	"alert dns any any -> any any (msg:\"resp q\"; dns.response.rrname; "
	"content:\"q.example\"; bsize:9; sid:10;)\n";

static void test_dns_sections(void)
{
	struct app_env *e = setup(dns_rules);
	struct bytes m;

	flow_open(e, 17, 5555, 53);
	/* the query: questions only; dns.response.rrname is absent */
	m.n = 0;
	put16(&m, 0x1234);
	put16(&m, 0x0100);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, 0);
	name(&m, "q.example");
	put16(&m, 28);
	put16(&m, 1);
	feed(e, APP_TO_SERVER, m.b, m.n);
	CHECK_INT(SID(1) | SID(6) | SID(8) | SID(9), inspect(e, PKT_TO_SERVER));
	dns_response(&m, 1);
	feed(e, APP_TO_CLIENT, m.b, m.n);
	CHECK_INT(SID(1) | SID(2) | SID(3) | SID(5) | SID(7) | SID(10),
		  inspect(e, PKT_TO_CLIENT));
	app_env_teardown(e);
}

/* An answer whose name points at itself: the loop is counted, the question
 * still inspected, no answer name kept. */
static void test_dns_loop(void)
{
	struct app_env *e = setup(dns_rules);
	const struct applayer_stats *st = applayer_ctx_stats(e->al);
	struct bytes m = { .n = 0 };
	uint16_t at;

	flow_open(e, 17, 5556, 53);
	put16(&m, 7);
	put16(&m, 0x8180);
	put16(&m, 1);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 0);
	name(&m, "q.example");
	put16(&m, 1);
	put16(&m, 1);
	at = (uint16_t)m.n;
	put16(&m, 0xc000 | at);
	put16(&m, 1);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 60);
	put16(&m, 4);
	put(&m, "\x01\x02\x03\x04", 4);
	feed(e, APP_TO_CLIENT, m.b, m.n);
	CHECK_INT(SID(1) | SID(7) | SID(10), inspect(e, PKT_TO_CLIENT));
	CHECK_INT(1, st->dns_loop);
	app_env_teardown(e);
}

/* Suricata 8's DNS section buffers and dns.rcode: on the response of
 * dns_response (authority "ns.example", additional the root name, RCODE 0)
 * and a query whose RCODE bits are 3 (nxdomain), as upstream's dns-rcode
 * capture edits its query to have. */
static const char dns8_rules[] =
	"alert dns any any -> any any (msg:\"auth\"; dns.authorities.rrname; "
	"content:\"ns.example\"; bsize:10; sid:1;)\n"
	"alert dns any any -> any any (msg:\"auth not answer\"; dns.authorities.rrname; "
	"content:\"cdn\"; sid:2;)\n"
	"alert dns any any -> any any (msg:\"addl not auth\"; dns.additionals.rrname; "
	"content:\"ns.example\"; sid:3;)\n"
	"alert dns any any -> any any (msg:\"query.name\"; dns.query.name; "
	"content:\"q.example\"; bsize:9; sid:4;)\n"
	"alert dns any any -> any any (msg:\"answer.name\"; dns.answer.name; "
	"content:\"cdn.example\"; sid:5;)\n"
	"alert dns any any -> any any (msg:\"rcode 0\"; dns.rcode:noerror; sid:6;)\n"
	"alert dns any any -> any any (msg:\"rcode 3\"; dns.rcode:3; sid:7;)\n"
	"alert dns any any -> any any (msg:\"rcode not nx\"; dns.rcode:!nxdomain; sid:8;)\n"
	"alert dns any any -> any any (msg:\"rcode range\"; dns.rcode:1-4; sid:9;)\n";

static void test_dns8_keywords(void)
{
	struct app_env *e = setup(dns8_rules);
	struct bytes m = { .n = 0 };

	flow_open(e, 17, 5557, 53);
	put16(&m, 0x1234);
	put16(&m, 0x0103);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, 0);
	name(&m, "q.example");
	put16(&m, 1);
	put16(&m, 1);
	feed(e, APP_TO_SERVER, m.b, m.n);
	CHECK_INT(SID(4) | SID(7) | SID(9), inspect(e, PKT_TO_SERVER));
	dns_response(&m, 1);
	feed(e, APP_TO_CLIENT, m.b, m.n);
	CHECK_INT(SID(1) | SID(4) | SID(5) | SID(6) | SID(8), inspect(e, PKT_TO_CLIENT));
	app_env_teardown(e);
}

/* ---- absent ---- */

/* A relative byte keyword or isdataat outside a sticky buffer goes to the
 * list of the match before it (Suricata 7's DetectIsdataatSetup and byte
 * keyword setups): after a legacy modifier, that buffer. */
static void test_relative_after_modifier(void)
{
	struct rule *r;

	r = parse_ok("tcp", "content:\"/c/\"; http_raw_uri; isdataat:4,relative; "
		     "byte_test:1,=,0x64,0,relative; isdataat:1; content:\"x\"; isdataat:1,relative;");
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(6, r->nmatch);
		CHECK_INT(RULE_BUF_HTTP_URI_RAW, r->match[0].buf);
		CHECK_INT(RULE_BUF_HTTP_URI_RAW, r->match[1].buf);
		CHECK_INT(RULE_BUF_HTTP_URI_RAW, r->match[2].buf);
		CHECK_INT(RULE_BUF_PAYLOAD, r->match[3].buf);      /* not relative */
		CHECK_INT(RULE_BUF_PAYLOAD, r->match[4].buf);
		CHECK_INT(RULE_BUF_PAYLOAD, r->match[5].buf);      /* after a payload match */
		rule_free(r);
	}
}

static void test_parse_absent(void)
{
	struct rule *r;

	r = parse_ok("http", "http.referer; absent;");
	CHECK(r != NULL);
	if (r) {
		CHECK(r->absent_bufs == 1ull << RULE_BUF_HTTP_REFERER);
		CHECK(r->absent_or_else == 0);
		CHECK_INT(0, r->nmatch);
		CHECK_INT(APP_PROTO_HTTP, r->app_proto);
		rule_free(r);
	}
	r = parse_ok("http", "http.user_agent; absent: or_else; content:\"curl\";");
	CHECK(r != NULL);
	if (r) {
		CHECK(r->absent_or_else == 1ull << RULE_BUF_HTTP_USER_AGENT);
		CHECK_INT(1, r->nmatch);
		rule_free(r);
	}
	CHECK(strstr(parse_err("tls.sni; absent; content:\"a\";"), "absent can't be combined") !=
	      NULL);
	CHECK(strstr(parse_err("tls.sni; content:\"a\"; absent;"), "absent can't be combined") !=
	      NULL);
	CHECK(strstr(parse_err("absent;"), "needs an app-layer sticky buffer") != NULL);
	CHECK(strstr(parse_err("content:\"a\"; absent;"), "needs an app-layer sticky buffer") !=
	      NULL);
	CHECK(strstr(parse_err("tls.sni; absent; absent;"), "duplicate absent") != NULL);
	CHECK(strstr(parse_err("tls.sni; absent: maybe;"), "invalid absent value") != NULL);
	CHECK(strstr(parse_err("tls.sni; absent: or_else;"), "needs matches") != NULL);
	CHECK(strstr(parse_err("http.referer; absent; tls.sni; content:\"a\";"),
		     "mixes protocols") != NULL);
	/* another buffer's matches are fine */
	CHECK_STR("", parse_err("tls.sni; absent; tls.cert_subject; content:\"CN\";"));
}

/* The reason a rule file's absent rule fails, with file:line. */
static void check_absent_file_line(void)
{
	check_second_fails("alert http any any -> any any (http.referer; absent; sid:1;)\n"
			   "alert http any any -> any any (http.referer; absent; content:\"x\";"
			   " sid:2;)\n", "absent can't be combined");
}

static const char absent_rules[] =
	"alert http any any -> any any (msg:\"no referer\"; http.referer; absent; sid:1;)\n"
	"alert http any any -> any any (msg:\"no location\"; http.location; absent; sid:2;)\n"
	"alert http any any -> any any (msg:\"ua curl or none\"; http.user_agent; "
	"absent: or_else; content:\"curl\"; sid:3;)\n"
	"alert http any any -> any any (msg:\"no resp body\"; http.response_body; absent; "
	"sid:4;)\n";

static void feed_str(struct app_env *e, enum app_dir dir, const char *s)
{
	feed(e, dir, s, strlen(s));
}

/* absent fires once the side carrying the buffer has all its headers, not
 * while they are still coming; present (even empty) never fires. */
static void test_http_absent(void)
{
	struct app_env *e = setup(absent_rules);

	flow_open(e, 6, 41000, 80);
	feed_str(e, APP_TO_SERVER, "GET /a HTTP/1.1\r\nHost: x\r\nUser-Agent: Mozilla\r\nAcc");
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	feed_str(e, APP_TO_SERVER, "ept: */*\r\n");
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	feed_str(e, APP_TO_SERVER, "\r\n");
	CHECK_INT(SID(1), inspect(e, PKT_TO_SERVER));
	feed_str(e, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nServer: y\r\n");
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	feed_str(e, APP_TO_CLIENT, "Content-Length: 3\r\n\r\n");
	CHECK_INT(SID(2), inspect(e, PKT_TO_CLIENT));
	feed_str(e, APP_TO_CLIENT, "abc");
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	/* alerted once per transaction */
	feed_str(e, APP_TO_SERVER, "GET /b HTTP/1.1\r\nHost: x\r\n");
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	app_env_teardown(e);

	e = setup(absent_rules);
	flow_open(e, 6, 41001, 80);
	feed_str(e, APP_TO_SERVER,
		 "GET /a HTTP/1.1\r\nHost: x\r\nReferer:\r\nUser-Agent: curl/8\r\n\r\n");
	CHECK_INT(SID(3), inspect(e, PKT_TO_SERVER));
	feed_str(e, APP_TO_CLIENT,
		 "HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n");
	CHECK_INT(SID(4), inspect(e, PKT_TO_CLIENT));
	app_env_teardown(e);

	e = setup(absent_rules);
	flow_open(e, 6, 41002, 80);
	feed_str(e, APP_TO_SERVER, "GET /a HTTP/1.1\r\nHost: x\r\nReferer: http://r/\r\n");
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	feed_str(e, APP_TO_SERVER, "\r\n");
	CHECK_INT(SID(3), inspect(e, PKT_TO_SERVER));
	feed_str(e, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nLocation: \r\nContent-Length: 2\r\n\r\nhi");
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	app_env_teardown(e);
}

static const char tls_absent_rules[] =
	"alert tls any any -> any any (msg:\"no sni\"; tls.sni; absent; sid:1;)\n"
	"alert tls any any -> any any (msg:\"no alpn\"; tls.alpn; absent; sid:2;)\n"
	"alert tls any any -> any any (msg:\"no server cert\"; tls.certs; absent; sid:3;)\n";

/* A ClientHello with no extension at all (no SNI, no ALPN). */
static void bare_client_hello(struct bytes *rec)
{
	struct bytes b = { .n = 0 };

	put16(&b, 0x0303);
	for (int i = 0; i < 32; i++)
		put8(&b, (uint32_t)i);
	put8(&b, 0);
	put16(&b, 2);
	put16(&b, 0x002f);
	put8(&b, 1);
	put8(&b, 0);
	record(rec, 1, &b);
}

/* tls.sni absent: decided by the ClientHello, not before it; the server's
 * certificates: by a handshake message at or after Certificate. */
static void test_tls_absent(void)
{
	static const char *const h2[] = { "h2" };
	struct app_env *e = setup(tls_absent_rules);
	struct bytes rec, ext = { .n = 0 }, done = { .n = 0 };

	flow_open(e, 6, 41100, 443);
	bare_client_hello(&rec);
	feed(e, APP_TO_SERVER, rec.b, 10);
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	feed(e, APP_TO_SERVER, rec.b + 10, rec.n - 10);
	CHECK_INT(SID(1) | SID(2), inspect(e, PKT_TO_SERVER));
	hello(&rec, false, 0x40, &ext);
	feed(e, APP_TO_CLIENT, rec.b, rec.n);
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	record(&rec, 14, &done);	/* ServerHelloDone: no Certificate came */
	feed(e, APP_TO_CLIENT, rec.b, rec.n);
	CHECK_INT(SID(3), inspect(e, PKT_TO_CLIENT));
	app_env_teardown(e);

	/* with an SNI and ALPN: neither fires */
	e = setup(tls_absent_rules);
	flow_open(e, 6, 41101, 443);
	alpn_ext(&ext, h2, 1);
	hello(&rec, true, 0x10, &ext);
	feed(e, APP_TO_SERVER, rec.b, rec.n);
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	app_env_teardown(e);
}

int main(void)
{
	test_parse();
	test_parse_validity();
	test_tls_hello();
	test_tls_alpn_truncated();
	test_tls_chain();
	test_tls_validity();
	test_tls_san_ip();
	test_dns_sections();
	test_dns_loop();
	test_dns8_keywords();
	test_relative_after_modifier();
	penv = rule_env_new();
	CHECK(penv != NULL);
	test_parse_absent();
	check_absent_file_line();
	rule_env_free(penv);
	test_http_absent();
	test_tls_absent();
	return check_result("applayer_kw");
}
