/* SPDX-License-Identifier: MIT */
/* EVE output and the JSON writer: exact records for v4/v6 TCP, UDP, ICMP,
 * ICMPv6; escaping; stats nesting; buffering, flushes, two writers on one
 * file, logrotate reopen, write errors and drops. Every line written is
 * checked by a strict JSON validator (below) that also rejects duplicate
 * keys and invalid UTF-8. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "common/json.h"
#include "dataplane/detect/detect.h"
#include "dataplane/flow/flow-t.h"
#include "dataplane/output/eve-int.h"
#include "rules/rule-t.h"

/* ---- strict JSON validator (RFC 8259) ---- */

struct jv {
	const unsigned char *s, *end;
	int depth;
};

static void v_ws(struct jv *v)
{
	while (v->s < v->end && (*v->s == ' ' || *v->s == '\t' || *v->s == '\n' || *v->s == '\r'))
		v->s++;
}

static bool v_lit(struct jv *v, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(v->end - v->s) < n || memcmp(v->s, lit, n) != 0)
		return false;
	v->s += n;
	return true;
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* One UTF-8 character: decode it, then insist on the shortest form, no
 * surrogate and nothing above U+10FFFF. */
static bool v_utf8(struct jv *v)
{
	unsigned char c = *v->s;
	int n;
	uint32_t cp;

	if (c >= 0xf0 && c <= 0xf7) {
		n = 3;
		cp = c & 7;
	} else if (c >= 0xe0) {
		n = 2;
		cp = c & 15;
	} else if (c >= 0xc0) {
		n = 1;
		cp = c & 31;
	} else {
		return false;
	}
	if (c >= 0xf8 || v->end - v->s <= n)
		return false;
	for (int i = 1; i <= n; i++) {
		if ((v->s[i] & 0xc0) != 0x80)
			return false;
		cp = cp << 6 | (v->s[i] & 0x3f);
	}
	static const uint32_t min[4] = { 0, 0x80, 0x800, 0x10000 };
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return false;
	v->s += n + 1;
	return true;
}

static bool v_string(struct jv *v)
{
	if (v->s >= v->end || *v->s != '"')
		return false;
	v->s++;
	while (v->s < v->end) {
		unsigned char c = *v->s;
		if (c == '"') {
			v->s++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (v->end - v->s < 2)
				return false;
			c = v->s[1];
			if (c == 'u') {
				if (v->end - v->s < 6)
					return false;
				for (int i = 2; i < 6; i++)
					if (!is_hex(v->s[i]))
						return false;
				v->s += 6;
			} else if (strchr("\"\\/bfnrt", c) != NULL && c != 0) {
				v->s += 2;
			} else {
				return false;
			}
		} else if (c >= 0x80) {
			if (!v_utf8(v))
				return false;
		} else {
			v->s++;
		}
	}
	return false;
}

static bool v_digits(struct jv *v)
{
	const unsigned char *b = v->s;

	while (v->s < v->end && *v->s >= '0' && *v->s <= '9')
		v->s++;
	return v->s > b;
}

static bool v_number(struct jv *v)
{
	if (v->s < v->end && *v->s == '-')
		v->s++;
	if (v->s < v->end && *v->s == '0')
		v->s++;
	else if (!v_digits(v))
		return false;
	if (v->s < v->end && *v->s == '.') {
		v->s++;
		if (!v_digits(v))
			return false;
	}
	if (v->s < v->end && (*v->s == 'e' || *v->s == 'E')) {
		v->s++;
		if (v->s < v->end && (*v->s == '+' || *v->s == '-'))
			v->s++;
		if (!v_digits(v))
			return false;
	}
	return true;
}

static bool v_value(struct jv *v);

static bool v_object(struct jv *v)
{
	const unsigned char *keys[256];
	size_t klen[256], nkeys = 0;

	v->s++;
	v_ws(v);
	if (v->s < v->end && *v->s == '}') {
		v->s++;
		return true;
	}
	for (;;) {
		const unsigned char *k = v->s;
		if (!v_string(v))
			return false;
		size_t len = (size_t)(v->s - k);
		for (size_t i = 0; i < nkeys; i++)
			if (klen[i] == len && memcmp(keys[i], k, len) == 0)
				return false;   /* duplicate key */
		if (nkeys < 256) {
			keys[nkeys] = k;
			klen[nkeys++] = len;
		}
		v_ws(v);
		if (v->s >= v->end || *v->s++ != ':')
			return false;
		if (!v_value(v))
			return false;
		v_ws(v);
		if (v->s >= v->end)
			return false;
		if (*v->s == '}') {
			v->s++;
			return true;
		}
		if (*v->s++ != ',')
			return false;
		v_ws(v);
	}
}

static bool v_array(struct jv *v)
{
	v->s++;
	v_ws(v);
	if (v->s < v->end && *v->s == ']') {
		v->s++;
		return true;
	}
	for (;;) {
		if (!v_value(v))
			return false;
		v_ws(v);
		if (v->s >= v->end)
			return false;
		if (*v->s == ']') {
			v->s++;
			return true;
		}
		if (*v->s++ != ',')
			return false;
	}
}

static bool v_value(struct jv *v)
{
	bool ok;

	v_ws(v);
	if (v->s >= v->end || ++v->depth > 100)
		return false;
	switch (*v->s) {
	case '{': ok = v_object(v); break;
	case '[': ok = v_array(v); break;
	case '"': ok = v_string(v); break;
	case 't': ok = v_lit(v, "true"); break;
	case 'f': ok = v_lit(v, "false"); break;
	case 'n': ok = v_lit(v, "null"); break;
	default: ok = v_number(v); break;
	}
	v->depth--;
	return ok;
}

/* s[0..len) is exactly one JSON value (surrounding blanks allowed). */
static bool json_valid(const char *s, size_t len)
{
	struct jv v = { (const unsigned char *)s, (const unsigned char *)s + len, 0 };

	if (!v_value(&v))
		return false;
	v_ws(&v);
	return v.s == v.end;
}

/* ---- helpers ---- */

static char tmpdir[64];

static void path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

/* Whole file, NUL-terminated; *len its size. NULL if it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Count lines, each checked: valid JSON, newline-terminated. */
static size_t check_lines(const char *buf, size_t len, size_t *invalid)
{
	size_t lines = 0;
	const char *p = buf, *end = buf + len;

	*invalid = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			(*invalid)++;   /* a partial last line */
			break;
		}
		if (!json_valid(p, (size_t)(nl - p)))
			(*invalid)++;
		lines++;
		p = nl + 1;
	}
	return lines;
}

/* Cut the next line out of *cur (its '\n' becomes NUL); NULL at the end. */
static char *next_line(char **cur)
{
	char *l = *cur, *nl = strchr(l, '\n');

	if (nl == NULL)
		return NULL;
	*nl = '\0';
	*cur = nl + 1;
	return l;
}

static uint64_t field_u64(const char *line, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	const char *f = strstr(line, pat);
	return f ? strtoull(f + strlen(pat), NULL, 10) : UINT64_MAX;
}

/* Fixtures: an Ethernet + IPv4 + TCP frame carrying 20 bytes of payload. */
static const uint8_t frame_v4_tcp[] = {
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x3c, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	0xc0, 0xa8, 0x01, 0x0a, 0x0a, 0x00, 0x00, 0x01,
	0xc0, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x50, 0x18, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n',
	0x00, 0xff, '"', '\\',
};

#define TS_2024 (1713693600ull * 1000000 + 123456)  /* 2024-04-21T10:00:00.123456Z */

static void packet_v4_tcp(struct packet *p, struct flow *f)
{
	memset(p, 0, sizeof(*p));
	memset(f, 0, sizeof(*f));
	p->data = frame_v4_tcp;
	p->len = p->wire_len = sizeof(frame_v4_tcp);
	p->ts_us = TS_2024;
	p->pcap_cnt = 7;
	p->eth_type = 0x0800;
	p->ip_ver = 4;
	p->proto = 6;
	memcpy(p->src.b, (uint8_t[]){ 192, 168, 1, 10 }, 4);
	memcpy(p->dst.b, (uint8_t[]){ 10, 0, 0, 1 }, 4);
	p->l3 = frame_v4_tcp + 14;
	p->l4 = frame_v4_tcp + 34;
	p->sp = 49152;
	p->dp = 80;
	p->payload = frame_v4_tcp + 54;
	p->payload_len = 20;
	/* EVE's flow_id: (hash << 31 | start s & 0xffff << 16 | start us &
	 * 0xffff), 51 bits, as Suricata's FlowGetId */
	f->id_hash = 0x2468ace;
	f->first_ts_us = TS_2024;
	p->flow = f;
	p->flags = PKT_F_HAS_FLOW;
	p->dir = PKT_TO_SERVER;
}

static void rule_init(struct rule *r, uint32_t sid, char *msg, const char *cat, uint32_t prio)
{
	memset(r, 0, sizeof(*r));
	r->gid = 1;
	r->sid = sid;
	r->rev = 3;
	r->msg = msg;
	r->class_desc = cat;
	r->priority = prio;
	r->action = RULE_ACT_ALERT;
}

/* Write one alert to a fresh file; returns its content (caller frees). */
static char *one_alert(const char *name, const struct eve_options *opt, const char *iface,
		       const struct packet *p, const struct detect_alert *a)
{
	char path[128], err[256];

	path_of(path, sizeof(path), name);
	unlink(path);
	struct eve_file *ef = eve_file_open(path, err, sizeof(err));
	CHECK(ef != NULL);
	if (ef == NULL)
		return NULL;
	struct eve_writer *w = eve_writer_create(ef, opt, iface, 0);
	CHECK(w != NULL);
	eve_write_alert(w, p, a);
	CHECK_INT(1, eve_writer_stats(w)->records);
	eve_writer_destroy(w);
	eve_file_close(ef);
	return slurp(path, NULL);
}

/* Write one drop record to a fresh file; returns its content (caller frees). */
static char *one_drop(const char *name, const struct eve_options *opt, const struct packet *p,
		      enum drop_reason reason, const struct rule *r)
{
	char path[128], err[256];

	path_of(path, sizeof(path), name);
	unlink(path);
	struct eve_file *ef = eve_file_open(path, err, sizeof(err));
	CHECK(ef != NULL);
	if (ef == NULL)
		return NULL;
	struct eve_writer *w = eve_writer_create(ef, opt, NULL, 0);
	CHECK(w != NULL);
	eve_write_drop(w, p, reason, r);
	eve_writer_destroy(w);
	eve_file_close(ef);
	return slurp(path, NULL);
}

/* ---- JSON writer ---- */

static void test_json_basic(void)
{
	char buf[512];
	struct json_w j;

	json_init(&j, buf, sizeof(buf));
	json_obj_open(&j, NULL);
	json_uint(&j, "u", UINT64_MAX);
	json_int(&j, "i", INT64_MIN);
	json_int(&j, "z", 0);
	json_bool(&j, "t", true);
	json_bool(&j, "f", false);
	json_null(&j, "n");
	json_arr_open(&j, "a");
	json_uint(&j, NULL, 1);
	json_obj_open(&j, NULL);
	json_obj_close(&j);
	json_arr_open(&j, NULL);
	json_arr_close(&j);
	json_str(&j, NULL, "x");
	json_arr_close(&j);
	json_keyn(&j, "k.ignored", 1);
	json_str(&j, NULL, NULL);
	json_str(&j, "q\"k", "v");
	json_obj_close(&j);
	json_newline(&j);
	CHECK(json_ok(&j));
	buf[json_len(&j)] = '\0';
	CHECK_STR("{\"u\":18446744073709551615,\"i\":-9223372036854775808,\"z\":0,"
		  "\"t\":true,\"f\":false,\"n\":null,\"a\":[1,{},[],\"x\"],\"k\":\"\","
		  "\"q\\\"k\":\"v\"}\n", buf);
	CHECK(json_valid(buf, json_len(&j)));
}

static void test_json_escape(void)
{
	static const char in[] = "q\"b\\s\x01\x1f\n\t\r\b\f\x7f|\xc3\xa9|\xc3|\xe0\x80\x80|"
				 "\xed\xa0\x80|\xf4\x90\x80\x80|\xf0\x9f\x98\x80|\x80\xff|\xe2\x82";
	static const char want[] = "\"q\\\"b\\\\s\\u0001\\u001f\\n\\t\\r\\b\\f\x7f|\xc3\xa9|"
				   "\\u00c3|\\u00e0\\u0080\\u0080|\\u00ed\\u00a0\\u0080|"
				   "\\u00f4\\u0090\\u0080\\u0080|\xf0\x9f\x98\x80|\\u0080\\u00ff|"
				   "\\u00e2\\u0082\"";
	char buf[512];
	struct json_w j;

	json_init(&j, buf, sizeof(buf));
	json_strn(&j, NULL, in, sizeof(in) - 1);
	CHECK(json_ok(&j));
	buf[json_len(&j)] = '\0';
	CHECK_STR(want, buf);
	CHECK(json_valid(buf, json_len(&j)));

	/* an embedded NUL is a control byte like the others */
	json_init(&j, buf, sizeof(buf));
	json_strn(&j, NULL, "a\0b", 3);
	buf[json_len(&j)] = '\0';
	CHECK_STR("\"a\\u0000b\"", buf);

	/* each byte value at each place of a string longer than two words:
	 * the 8-byte scan must stop at whatever needs a look of its own */
	for (unsigned c = 0; c < 256; c++) {
		for (unsigned at = 0; at < 18; at++) {
			char s[18], exp[64], e[8];
			size_t k = 0;

			memset(s, 'a', sizeof(s));
			s[at] = (char)c;
			exp[k++] = '"';
			for (unsigned i = 0; i < sizeof(s); i++) {
				uint8_t b = (uint8_t)s[i];
				const char *esc = b == '"' ? "\\\"" : b == '\\' ? "\\\\" :
						  b == '\n' ? "\\n" : b == '\t' ? "\\t" :
						  b == '\r' ? "\\r" : b == '\b' ? "\\b" :
						  b == '\f' ? "\\f" : NULL;

				if (esc == NULL && (b < 0x20 || b >= 0x80)) {
					snprintf(e, sizeof(e), "\\u00%02x", b);
					esc = e;
				}
				if (esc != NULL) {
					memcpy(exp + k, esc, strlen(esc));
					k += strlen(esc);
				} else {
					exp[k++] = (char)b;
				}
			}
			exp[k++] = '"';
			exp[k] = '\0';
			json_init(&j, buf, sizeof(buf));
			json_strn(&j, NULL, s, sizeof(s));
			buf[json_len(&j)] = '\0';
			if (strcmp(exp, buf) != 0) {
				fprintf(stderr, "byte %02x at %u\n", c, at);
				CHECK_STR(exp, buf);
			}
		}
	}

	/* the validator itself must refuse what the writer avoids */
	CHECK(!json_valid("\"\x01\"", 3));
	CHECK(!json_valid("\"\xc3\"", 3));
	CHECK(!json_valid("\"\xed\xa0\x80\"", 5));
	CHECK(!json_valid("{\"a\":1,\"a\":2}", 13));
	CHECK(!json_valid("{\"a\":1,}", 8));
	CHECK(json_valid("{\"a\":[1.5e3,-0,\"\\u00ff\"]}", 25));
}

/* Suricata's JsonBuilder set_string_from_bytes: valid UTF-8 as it is (its
 * escapes as json_strn's); any invalid byte and every byte above 0x7f of
 * the value, the valid sequence too, is the text \xNN (Suricata's
 * test_invalid_utf8: f0 f1 f2 gives "\\xf0\\xf1\\xf2"). */
static void test_json_strn_bytes(void)
{
	static const struct {
		const char *in, *want;
	} c[] = {
		{ "SSH-2.0", "\"SSH-2.0\"" },
		{ "\xc3\xa9\x01\"", "\"\xc3\xa9\\u0001\\\"\"" },
		{ "\xf0\xf1\xf2", "\"\\\\xf0\\\\xf1\\\\xf2\"" },
		{ "a\xc3\xa9\xff\t\\", "\"a\\\\xc3\\\\xa9\\\\xff\\t\\\\\"" },
		{ "\xed\xa0\x80", "\"\\\\xed\\\\xa0\\\\x80\"" },
	};
	char buf[128];
	struct json_w j;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		json_init(&j, buf, sizeof(buf));
		json_strn_bytes(&j, NULL, c[i].in, strlen(c[i].in));
		CHECK(json_ok(&j));
		buf[json_len(&j)] = '\0';
		CHECK_STR(c[i].want, buf);
		CHECK(json_valid(buf, json_len(&j)));
	}
}

static void test_json_base64_printable(void)
{
	static const struct { const char *in, *out; } v[] = {
		/* RFC 4648 section 10 */
		{ "", "\"\"" }, { "f", "\"Zg==\"" }, { "fo", "\"Zm8=\"" }, { "foo", "\"Zm9v\"" },
		{ "foob", "\"Zm9vYg==\"" }, { "fooba", "\"Zm9vYmE=\"" },
		{ "foobar", "\"Zm9vYmFy\"" },
	};
	char buf[128];
	struct json_w j;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		json_init(&j, buf, sizeof(buf));
		json_base64(&j, NULL, (const uint8_t *)v[i].in, strlen(v[i].in));
		buf[json_len(&j)] = '\0';
		CHECK_STR(v[i].out, buf);
	}
	json_init(&j, buf, sizeof(buf));
	json_base64(&j, NULL, (const uint8_t[]){ 0x00, 0xff, 0xfe, 0x80 }, 4);
	buf[json_len(&j)] = '\0';
	CHECK_STR("\"AP/+gA==\"", buf);

	json_init(&j, buf, sizeof(buf));
	json_printable(&j, NULL, (const uint8_t *)"a\x1f \x7f~\"\\\xff\n", 9);
	buf[json_len(&j)] = '\0';
	CHECK_STR("\"a. .~\\\"\\\\..\"", buf);
}

static void test_json_bounds(void)
{
	char buf[16];
	struct json_w j;

	/* bounded: the writer stops at the end and says so */
	json_init(&j, buf, sizeof(buf));
	json_obj_open(&j, NULL);
	json_str(&j, "key", "a long value here");
	CHECK(!json_ok(&j));
	CHECK(json_len(&j) <= sizeof(buf));

	/* exactly full is fine */
	json_init(&j, buf, 4);
	json_str(&j, NULL, "ab");
	CHECK(json_ok(&j));
	CHECK_INT(4, json_len(&j));

	/* misuse is an error, not a crash */
	json_init(&j, buf, sizeof(buf));
	json_obj_close(&j);
	CHECK(!json_ok(&j));
	json_init(&j, buf, sizeof(buf));
	json_arr_open(&j, NULL);
	json_newline(&j);
	CHECK(!json_ok(&j));

	/* nesting deeper than JSON_MAX_DEPTH fails */
	char big[512];
	json_init(&j, big, sizeof(big));
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_arr_open(&j, NULL);
	CHECK(!json_ok(&j));

	/* growable: grows from a tiny start, reset keeps the memory */
	CHECK_INT(0, json_init_growable(&j, 1));
	json_arr_open(&j, NULL);
	for (int i = 0; i < 1000; i++)
		json_uint(&j, NULL, (uint64_t)i);
	json_arr_close(&j);
	CHECK(json_ok(&j));
	CHECK(json_valid(j.buf, json_len(&j)));
	CHECK_INT(3891, json_len(&j));   /* 10*1 + 90*2 + 900*3 digits, 999 commas, 2 brackets */
	json_reset(&j);
	json_str(&j, NULL, "x");
	CHECK_INT(3, json_len(&j));
	json_release(&j);
}

/* Member names take a path of their own (copied while scanned): each byte
 * value at each place of a name must come out as json_strn escapes it, and
 * a name must fit whole, its quotes and colon included, or fail. */
static void test_json_key(void)
{
	char buf[128], exp[128];
	struct json_w j;

	for (unsigned c = 1; c < 256; c++) {
		for (unsigned at = 0; at < 10; at++) {
			char key[11];
			size_t k;

			memset(key, 'k', 10);
			key[10] = '\0';
			key[at] = (char)c;
			json_init(&j, exp, sizeof(exp));
			json_strn(&j, NULL, key, 10);
			k = json_len(&j);
			memcpy(exp + k, ":1}", 4);
			json_init(&j, buf, sizeof(buf));
			json_obj_open(&j, NULL);
			json_uint(&j, key, 1);
			json_obj_close(&j);
			CHECK(json_ok(&j));
			buf[json_len(&j)] = '\0';
			if (buf[0] != '{' || strcmp(exp, buf + 1) != 0) {
				fprintf(stderr, "key byte %02x at %u\n", c, at);
				CHECK_STR(exp, buf + 1);
			}
		}
	}

	/* at the buffer's end: the name, quotes and colon whole or an error */
	static const struct {
		const char *key, *out;
	} e[] = { { "abc", "\"abc\":{" }, { "q\"", "\"q\\\"\":{" } };
	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		for (size_t cap = 0; cap <= 12; cap++) {
			json_init(&j, buf, cap);
			json_obj_open(&j, e[i].key);
			CHECK(json_ok(&j) == (cap >= strlen(e[i].out)));
			CHECK(json_len(&j) <= cap);
			if (json_ok(&j)) {
				buf[json_len(&j)] = '\0';
				CHECK_STR(e[i].out, buf);
			}
		}
	}
}

/* ---- alerts ---- */

static void test_alert_v4_tcp(void)
{
	struct packet p;
	struct flow f;
	struct rule r;
	char msg[] = "ET TEST \"quoted\" back\\slash";
	struct eve_options opt = {
		.payload = true, .payload_printable = true, .packet = true, .ether = true,
		.pcap_cnt = true,
	};

	packet_v4_tcp(&p, &f);
	rule_init(&r, 1000001, msg, "Attempted Information Leak", 2);
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };
	char *out = one_alert("v4tcp.json", &opt, "eth0", &p, &a);
	CHECK_STR("{\"timestamp\":\"2024-04-21T10:00:00.123456+0000\",\"flow_id\":920737433051712,"
		  "\"in_iface\":\"eth0\",\"pcap_cnt\":7,\"event_type\":\"alert\","
		  "\"src_ip\":\"192.168.1.10\",\"src_port\":49152,\"dest_ip\":\"10.0.0.1\","
		  "\"dest_port\":80,\"proto\":\"TCP\",\"ip_v\":4,\"pkt_src\":\"wire/pcap\","
		  "\"ether\":{\"ether_type\":2048,\"src_mac\":\"00:11:22:33:44:55\","
		  "\"dest_mac\":\"66:77:88:99:aa:bb\"},"
		  "\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":1000001,\"rev\":3,"
		  "\"signature\":\"ET TEST \\\"quoted\\\" back\\\\slash\","
		  "\"category\":\"Attempted Information Leak\",\"severity\":2},"
		  "\"direction\":\"to_server\",\"payload\":\"R0VUIC8gSFRUUC8xLjENCgD/Ilw=\","
		  "\"payload_printable\":\"GET / HTTP/1.1....\\\"\\\\\",\"stream\":0,"
		  "\"packet\":\"ZneImaq7ABEiM0RVCABFAAA8AAFAAEAGAADAqAEKCgAAAcAAAFAAAAABAAAAAFAY"
		  "//8AAAAAR0VUIC8gSFRUUC8xLjENCgD/Ilw=\","
		  "\"packet_info\":{\"linktype\":1,\"linktype_name\":\"EN10MB\"}}\n", out);
	if (out)
		CHECK(json_valid(out, strlen(out)));
	free(out);

	/* options off, reply direction, drop in IPS: only the core fields */
	struct eve_options none = { 0 };
	p.dir = PKT_TO_CLIENT;
	a.action = ALERT_BLOCKED;
	out = one_alert("v4tcp-min.json", &none, NULL, &p, &a);
	CHECK_STR("{\"timestamp\":\"2024-04-21T10:00:00.123456+0000\",\"flow_id\":920737433051712,"
		  "\"event_type\":\"alert\",\"src_ip\":\"192.168.1.10\",\"src_port\":49152,"
		  "\"dest_ip\":\"10.0.0.1\",\"dest_port\":80,\"proto\":\"TCP\",\"ip_v\":4,"
		  "\"pkt_src\":\"wire/pcap\",\"alert\":{\"action\":\"blocked\",\"gid\":1,"
		  "\"signature_id\":1000001,\"rev\":3,"
		  "\"signature\":\"ET TEST \\\"quoted\\\" back\\\\slash\","
		  "\"category\":\"Attempted Information Leak\",\"severity\":2},"
		  "\"direction\":\"to_client\"}\n", out);
	free(out);
}

static void test_alert_v6_udp(void)
{
	static const uint8_t src6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0, 0,
					  0, 0, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34 };
	static const uint8_t dst6[16] = { 0xfe, 0x80, [15] = 1 };
	static const uint8_t frame[64] = { [12] = 0x81, [13] = 0x00 };
	struct packet p;
	struct flow f;
	struct rule r;
	char msg[] = "v6 udp";

	memset(&p, 0, sizeof(p));
	memset(&f, 0, sizeof(f));
	p.data = frame;
	p.len = sizeof(frame);
	p.ts_us = 1709251199ull * 1000000 + 999999;     /* 2024-02-29T23:59:59.999999Z */
	p.pcap_cnt = 3;
	p.vlan_cnt = 2;
	p.vlan_id[0] = 100;
	p.vlan_id[1] = 200;
	p.ip_ver = 6;
	p.proto = 17;
	memcpy(p.src.b, src6, 16);
	memcpy(p.dst.b, dst6, 16);
	p.l4 = frame + 58;
	p.sp = 53;
	p.dp = 5353;
	f.id_hash = 42;
	f.first_ts_us = p.ts_us;
	p.flow = &f;
	p.dir = PKT_TO_CLIENT;
	rule_init(&r, 2, msg, NULL, 1);
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };
	struct eve_options opt = { .pcap_cnt = false, .ether = true, .payload = true,
				   .payload_printable = true };

	char *out = one_alert("v6udp.json", &opt, "net_pcap0", &p, &a);
	CHECK_STR("{\"timestamp\":\"2024-02-29T23:59:59.999999+0000\",\"flow_id\":90638860863,"
		  "\"in_iface\":\"net_pcap0\",\"event_type\":\"alert\",\"vlan\":[100,200],"
		  "\"src_ip\":\"2001:0db8:85a3:0000:0000:8a2e:0370:7334\",\"src_port\":53,"
		  "\"dest_ip\":\"fe80:0000:0000:0000:0000:0000:0000:0001\",\"dest_port\":5353,"
		  "\"proto\":\"UDP\",\"ip_v\":6,\"pkt_src\":\"wire/pcap\","
		  "\"ether\":{\"ether_type\":33024,\"src_mac\":\"00:00:00:00:00:00\","
		  "\"dest_mac\":\"00:00:00:00:00:00\"},"
		  "\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":2,\"rev\":3,"
		  "\"signature\":\"v6 udp\",\"category\":\"\",\"severity\":1},"
		  "\"direction\":\"to_client\",\"payload\":\"\",\"payload_printable\":\"\","
		  "\"stream\":0}\n", out);
	free(out);

	/* eve-log.ipv6-compress: RFC 5952 text */
	opt.ipv6_compress = true;
	out = one_alert("v6udp-compress.json", &opt, "net_pcap0", &p, &a);
	CHECK(out != NULL && strstr(out, "\"src_ip\":\"2001:db8:85a3::8a2e:370:7334\","
				       "\"src_port\":53,\"dest_ip\":\"fe80::1\",") != NULL);
	free(out);

	/* payload and payload-printable are options of their own, as Suricata's */
	opt.payload_printable = false;
	out = one_alert("v6udp-b64.json", &opt, "net_pcap0", &p, &a);
	CHECK(out != NULL && strstr(out, "\"payload\":\"\",\"stream\":0}") != NULL);
	free(out);
	opt.payload = false;
	opt.payload_printable = true;
	out = one_alert("v6udp-printable.json", &opt, "net_pcap0", &p, &a);
	CHECK(out != NULL && strstr(out, "\"direction\":\"to_client\",\"payload_printable\":\"\","
				       "\"stream\":0}") != NULL);
	free(out);
}

static void test_alert_icmp(void)
{
	static const uint8_t frame[42] = { 0 };
	struct packet p;
	struct rule r;

	memset(&p, 0, sizeof(p));
	p.data = frame;
	p.len = sizeof(frame);
	p.ts_us = 1;
	p.ip_ver = 4;
	p.proto = 1;
	memcpy(p.src.b, (uint8_t[]){ 10, 1, 2, 3 }, 4);
	memcpy(p.dst.b, (uint8_t[]){ 255, 255, 255, 255 }, 4);
	p.l4 = frame + 34;
	p.icmp.type = 8;
	p.icmp.code = 0;
	rule_init(&r, 2, NULL, NULL, 3);
	r.rev = 1;
	struct detect_alert a = { .rule = &r, .action = ALERT_BLOCKED };

	char *out = one_alert("icmp.json", NULL, NULL, &p, &a);
	CHECK_STR("{\"timestamp\":\"1970-01-01T00:00:00.000001+0000\",\"event_type\":\"alert\","
		  "\"src_ip\":\"10.1.2.3\",\"dest_ip\":\"255.255.255.255\",\"proto\":\"ICMP\","
		  "\"ip_v\":4,\"icmp_type\":8,\"icmp_code\":0,\"pkt_src\":\"wire/pcap\","
		  "\"alert\":{\"action\":\"blocked\",\"gid\":1,\"signature_id\":2,\"rev\":1,"
		  "\"signature\":\"\",\"category\":\"\",\"severity\":3}}\n", out);
	free(out);

	/* ICMPv6 echo request */
	p.ip_ver = 6;
	p.proto = 58;
	memset(p.src.b, 0, 16);
	memset(p.dst.b, 0, 16);
	p.src.b[15] = 1;
	p.dst.b[0] = 0xff;
	p.dst.b[1] = 0x02;
	p.dst.b[15] = 1;
	p.icmp.type = 128;
	p.ts_us = 4107542400ull * 1000000;   /* 2100-03-01, after a non-leap Feb 28 */
	out = one_alert("icmp6.json", NULL, NULL, &p, &a);
	CHECK_STR("{\"timestamp\":\"2100-03-01T00:00:00.000000+0000\",\"event_type\":\"alert\","
		  "\"src_ip\":\"0000:0000:0000:0000:0000:0000:0000:0001\","
		  "\"dest_ip\":\"ff02:0000:0000:0000:0000:0000:0000:0001\",\"proto\":\"IPv6-ICMP\","
		  "\"ip_v\":6,\"icmp_type\":128,\"icmp_code\":0,\"pkt_src\":\"wire/pcap\","
		  "\"alert\":{\"action\":\"blocked\",\"gid\":1,\"signature_id\":2,\"rev\":1,"
		  "\"signature\":\"\",\"category\":\"\",\"severity\":3}}\n", out);
	free(out);

	/* a non-first fragment: no L4 header, so no ICMP fields; other protocols
	 * by name, unknown numbers in decimal */
	p.l4 = NULL;
	out = one_alert("icmp6-frag.json", NULL, NULL, &p, &a);
	CHECK(out != NULL && strstr(out, "icmp_type") == NULL);
	free(out);
	p.proto = 47;
	out = one_alert("gre.json", NULL, NULL, &p, &a);
	CHECK(out != NULL && strstr(out, "\"proto\":\"GRE\",\"ip_v\":6,\"pkt_src\"") != NULL);
	free(out);
	p.proto = 253;
	out = one_alert("p253.json", NULL, NULL, &p, &a);
	CHECK(out != NULL && strstr(out, "\"proto\":\"253\",") != NULL);
	free(out);
	p.proto = 132;
	p.sp = 1;
	p.dp = 2;
	out = one_alert("sctp.json", NULL, NULL, &p, &a);
	CHECK(out != NULL && strstr(out, "\"src_port\":1,") != NULL &&
	      strstr(out, "\"dest_port\":2,\"proto\":\"SCTP\"") != NULL);
	free(out);

	/* no IP at all (ARP): no addresses, still valid */
	p.ip_ver = 0;
	out = one_alert("arp.json", NULL, NULL, &p, &a);
	CHECK(out != NULL && strstr(out, "src_ip") == NULL && strstr(out, "proto") == NULL);
	if (out)
		CHECK(json_valid(out, strlen(out)));
	free(out);
}

static void test_alert_escaping(void)
{
	struct packet p;
	struct flow f;
	struct rule r;
	char msg[] = "m\"\\\x01\n\xc3\xa9\xff\xc3(";
	char cat[] = "c\t\x80";
	struct eve_options opt = { .payload = true, .payload_printable = true, .packet = true,
				   .ether = true };
	uint8_t pl[256];

	for (int i = 0; i < 256; i++)
		pl[i] = (uint8_t)i;
	packet_v4_tcp(&p, &f);
	p.payload = pl;
	p.payload_len = sizeof(pl);
	rule_init(&r, 9, msg, cat, 1);
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };
	char *out = one_alert("esc.json", &opt, "if\"0", &p, &a);
	CHECK(out != NULL);
	if (out == NULL)
		return;
	CHECK(json_valid(out, strlen(out)));
	CHECK(strstr(out, "\"signature\":\"m\\\"\\\\\\u0001\\n\xc3\xa9\\u00ff\\u00c3(\"") != NULL);
	CHECK(strstr(out, "\"category\":\"c\\t\\u0080\"") != NULL);
	CHECK(strstr(out, "\"in_iface\":\"if\\\"0\"") != NULL);
	/* printable: 32 dots, then ' ' .. '~' with " and \ escaped, then 129 dots */
	char want[512], *o = want;
	o += sprintf(o, "\"payload_printable\":\"");
	for (int i = 0; i < 256; i++) {
		if (i < 32 || i > 126) {
			*o++ = '.';
			continue;
		}
		if (i == '"' || i == '\\')
			*o++ = '\\';
		*o++ = (char)i;
	}
	strcpy(o, "\",\"stream\":0");
	CHECK(strstr(out, want) != NULL);
	CHECK(strstr(out, "\"payload\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIj")
	      != NULL);
	CHECK(strstr(out, "8/T19vf4+fr7/P3+/w==\",\"payload_printable\"") != NULL);
	free(out);
}

/* The alert "flow" object keeps the flow's client-to-server orientation
 * even on a reply packet. */
static void test_alert_flow(void)
{
	struct packet p;
	struct flow f;
	struct rule r;
	char msg[] = "flow";
	struct eve_options opt = { .flow = true };

	packet_v4_tcp(&p, &f);
	p.dir = PKT_TO_CLIENT;
	f.pkts[PKT_TO_SERVER] = 3;
	f.pkts[PKT_TO_CLIENT] = 2;
	f.bytes[PKT_TO_SERVER] = 300;
	f.bytes[PKT_TO_CLIENT] = 200;
	f.first_ts_us = TS_2024 - 1000000;
	rule_init(&r, 4, msg, "c", 2);
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };
	char *out = one_alert("flow.json", &opt, NULL, &p, &a);
	CHECK(out != NULL && strstr(out, "\"direction\":\"to_client\",\"flow\":{"
		"\"pkts_toserver\":3,\"pkts_toclient\":2,\"bytes_toserver\":300,"
		"\"bytes_toclient\":200,\"start\":\"2024-04-21T09:59:59.123456+0000\","
		"\"src_ip\":\"10.0.0.1\",\"dest_ip\":\"192.168.1.10\",\"src_port\":80,"
		"\"dest_port\":49152}}\n") != NULL);
	free(out);
}

/* (added) pcre captures in "metadata": the flow's variables then the
 * packet's, [{"name":"value"}] each, bytes outside printable ASCII but CR
 * and LF as '.', as Suricata 7's EveAddMetadata and PrintStringsToBuffer;
 * nothing with metadata off or no variable. */
static void test_alert_vars(void)
{
	static const uint8_t raw[] = { 'a', 0xff, 0x00, '"', '\r', '\n', 0xc3, 0xa9 };
	struct packet p;
	struct flow f;
	struct rule r;
	char msg[] = "vars", fname[] = "host\0example.com", pname[] = "ua";
	struct eve_options opt = { .metadata = true };
	struct detect_flow_vars fv = { .n = 1 };
	struct detect_pktvar pv = { .name = pname, .value = raw, .len = sizeof(raw) };

	packet_v4_tcp(&p, &f);
	rule_init(&r, 5, msg, "c", 2);
	fv.v[0] = (struct detect_flow_var){ .name = fname, .value = (const uint8_t *)fname + 5,
					    .len = 11 };
	f.det.vars = &fv;
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };
	char *out = one_alert("vars.json", &opt, NULL, &p, &a);
	CHECK(out != NULL && strstr(out, "\"pkt_src\":\"wire/pcap\",\"metadata\":{\"flowvars\":"
		"[{\"host\":\"example.com\"}]},\"alert\":{") != NULL);
	free(out);

	/* the packet's too, written while its alerts are */
	char path[128], err[256];
	path_of(path, sizeof(path), "pktvars.json");
	unlink(path);
	struct eve_file *ef = eve_file_open(path, err, sizeof(err));
	struct eve_writer *w = ef ? eve_writer_create(ef, &opt, NULL, 0) : NULL;
	CHECK(w != NULL);
	if (w != NULL) {
		eve_writer_set_pktvars(w, &pv, 1);
		eve_write_alert(w, &p, &a);
		eve_writer_set_pktvars(w, NULL, 0);
		eve_write_alert(w, &p, &a);
		eve_writer_destroy(w);
	}
	if (ef != NULL)
		eve_file_close(ef);
	out = slurp(path, NULL);
	CHECK(out != NULL && strstr(out, "\"metadata\":{\"flowvars\":[{\"host\":\"example.com\"}],"
		"\"pktvars\":[{\"ua\":\"a..\\\"\\r\\n..\"}]}") != NULL);
	/* the second alert: no packet variable any more */
	CHECK(out != NULL && strstr(strchr(out, '\n'), "pktvars") == NULL &&
	      strstr(strchr(out, '\n'), "\"flowvars\"") != NULL);
	free(out);

	/* metadata: no */
	opt.metadata = false;
	out = one_alert("vars-off.json", &opt, NULL, &p, &a);
	CHECK(out != NULL && strstr(out, "metadata") == NULL);
	free(out);
	/* no variable: the record as before */
	opt.metadata = true;
	f.det.vars = NULL;
	out = one_alert("vars-none.json", &opt, NULL, &p, &a);
	CHECK(out != NULL && strstr(out, "metadata") == NULL);
	free(out);
}

/* (added) The flow's flowbits and flowints in "metadata", as Suricata 7's
 * EveAddFlowVars: bits in the order set, traffic/id/ and traffic/label/
 * ones in a "traffic" object before it, counters {"name": value}, then the
 * captures; ids the running rules do not name are left out; where they go
 * in alert (before ether and community_id), flow and netflow records;
 * nothing with metadata off. */
static void test_flow_metadata(void)
{
	char b0[] = "a.one", b1[] = "traffic/id/web", b2[] = "two", b3[] = "traffic/label/x";
	char i0[] = "cnt", i1[] = "lim";
	char *bits[] = { b0, b1, b2, b3 }, *ints[] = { i0, i1 };
	char msg[] = "bits", fname[] = "host\0example.com", path[128], err[256];
	struct ruleset rs = { .flowbits = { .n = 4, .names = bits },
			      .flowints = { .n = 2, .names = ints } };
	struct eve_options opt = { .metadata = true, .community_id = true, .ether = true };
	struct detect_flow_vars fv = { .n = 1, .nints = 3 };
	struct app_protos ap = { 0 };
	struct eve_file *ef;
	struct eve_writer *w;
	struct packet p;
	struct flow f;
	struct rule r;
	char *out, *line;

	packet_v4_tcp(&p, &f);
	f.key.ip_ver = 4;
	f.key.proto = 6;
	f.pkts[PKT_TO_SERVER] = f.pkts[PKT_TO_CLIENT] = 1;
	f.last_ts_us = TS_2024;
	/* set: two, traffic/id/web, a.one, an id of no rule, traffic/label/x */
	memcpy(f.bits, (uint32_t[]){ 2, 1, 0, 77, 3 }, 5 * sizeof(uint32_t));
	f.nbits = 5;
	fv.ints[0] = (struct detect_flow_int){ .id = 1, .value = 7 };
	fv.ints[1] = (struct detect_flow_int){ .id = 9, .value = 1 };	/* unnamed */
	fv.ints[2] = (struct detect_flow_int){ .id = 0, .value = UINT32_MAX };
	fv.v[0] = (struct detect_flow_var){ .name = fname, .value = (const uint8_t *)fname + 5,
					    .len = 11 };
	f.det.vars = &fv;
	rule_init(&r, 6, msg, "c", 2);
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };

	path_of(path, sizeof(path), "flowmeta.json");
	unlink(path);
	ef = eve_file_open(path, err, sizeof(err));
	w = ef ? eve_writer_create(ef, &opt, NULL, 0) : NULL;
	CHECK(w != NULL);
	if (w == NULL)
		return;
	eve_writer_set_names(w, &rs);
	eve_write_alert(w, &p, &a);
	eve_write_flow(w, &f, &ap);
	/* the rules gone: the bits and counters unnamed, the object stays */
	eve_writer_set_names(w, NULL);
	eve_write_alert(w, &p, &a);
	eve_writer_destroy(w);
	eve_file_close(ef);
	out = slurp(path, NULL);
	CHECK(out != NULL);
	if (out == NULL)
		return;
	line = out;
	const char *alert = next_line(&line), *flow = next_line(&line);
	const char *tc = next_line(&line), *ts = next_line(&line), *bare = next_line(&line);
	const char *meta = "\"traffic\":{\"id\":[\"web\"],\"label\":[\"x\"]},\"metadata\":{"
			   "\"flowbits\":[\"two\",\"a.one\"],\"flowints\":{\"lim\":7,"
			   "\"cnt\":4294967295},\"flowvars\":[{\"host\":\"example.com\"}]}";
	char want[512];

	/* alert: after pkt_src, then ether and community_id (EveAddCommonOptions) */
	snprintf(want, sizeof(want), "\"pkt_src\":\"wire/pcap\",%s,\"ether\":{", meta);
	CHECK(alert != NULL && strstr(alert, want) != NULL &&
	      strstr(strstr(alert, want), "},\"community_id\":") != NULL);
	/* flow: between the "flow" object and "tcp" (EveFlowLogJSON) */
	snprintf(want, sizeof(want), "\"alerted\":true},%s,\"community_id\":", meta);
	CHECK(flow != NULL && strstr(flow, "\"event_type\":\"flow\"") != NULL &&
	      strstr(flow, want) != NULL && strstr(strstr(flow, want), "\"tcp\":{") != NULL);
	/* netflow: last, after "tcp" (JsonNetFlowLogger) */
	CHECK(tc != NULL && ts != NULL && strstr(tc, "\"event_type\":\"netflow\"") != NULL);
	snprintf(want, sizeof(want), "},%s,\"community_id\":", meta);
	CHECK(tc != NULL && strstr(tc, want) != NULL && strstr(strstr(tc, want), "\"tcp\"") == NULL);
	CHECK(ts != NULL && strstr(ts, want) != NULL);
	CHECK(bare != NULL && strstr(bare, "\"metadata\":{\"flowvars\":[{\"host\":\"example.com\"}]}")
	      != NULL && strstr(bare, "traffic") == NULL && strstr(bare, "flowbits") == NULL);
	free(out);

	/* only traffic bits: "metadata" is there, empty, as Suricata's */
	f.det.vars = NULL;
	f.bits[0] = 1;
	f.nbits = 1;
	path_of(path, sizeof(path), "flowmeta-traffic.json");
	unlink(path);
	ef = eve_file_open(path, err, sizeof(err));
	w = ef ? eve_writer_create(ef, &opt, NULL, 0) : NULL;
	CHECK(w != NULL);
	if (w != NULL) {
		eve_writer_set_names(w, &rs);
		eve_write_alert(w, &p, &a);
		eve_writer_destroy(w);
	}
	if (ef != NULL)
		eve_file_close(ef);
	out = slurp(path, NULL);
	CHECK(out != NULL && strstr(out, "\"traffic\":{\"id\":[\"web\"]},\"metadata\":{},") != NULL);
	free(out);

	/* metadata: no */
	opt.metadata = false;
	out = one_alert("flowmeta-off.json", &opt, NULL, &p, &a);
	CHECK(out != NULL && strstr(out, "metadata") == NULL && strstr(out, "traffic") == NULL);
	free(out);
}

/* One alert with app-layer fields to a fresh file (caller frees). */
static char *one_app_alert(const struct eve_options *opt, const struct eve_app *app,
			   const struct packet *p, const struct detect_alert *a)
{
	char path[128], err[256];
	struct eve_file *ef;
	struct eve_writer *w;

	path_of(path, sizeof(path), "app.json");
	unlink(path);
	ef = eve_file_open(path, err, sizeof(err));
	w = ef ? eve_writer_create(ef, opt, NULL, 0) : NULL;
	CHECK(w != NULL);
	if (w == NULL)
		return NULL;
	eve_writer_set_app(w, app);
	eve_write_alert(w, p, a);
	eve_writer_destroy(w);
	eve_file_close(ef);
	return slurp(path, NULL);
}

/* xff: the address an HTTP proxy reported for the client, first or last of
 * the list, into "alert" or over the client-side address. */
static void test_alert_xff(void)
{
	static const struct {
		bool overwrite, forward, to_client;
		const char *want;
	} cases[] = {
		/* extra-data, reverse: the last address, in "alert" */
		{ false, false, false, "\"severity\":2,\"xff\":\"10.3.3.3\"}" },
		/* extra-data, forward: the first */
		{ false, true, false, "\"severity\":2,\"xff\":\"10.2.2.2\"}" },
		/* overwrite, to server: the source is the client */
		{ true, false, false, "\"src_ip\":\"10.3.3.3\",\"src_port\":49152,"
				      "\"dest_ip\":\"10.0.0.1\"" },
		/* overwrite, to client: the destination is */
		{ true, true, true, "\"src_ip\":\"192.168.1.10\",\"src_port\":49152,"
				   "\"dest_ip\":\"10.2.2.2\"" },
	};
	struct packet p;
	struct flow f;
	struct rule r;
	char msg[] = "m", ip[64], *out;
	struct eve_options opt = { .xff = { .enabled = true, .header = "X-Forwarded-For" } };
	struct eve_app app = { .proto = APP_PROTO_HTTP, .has_tx = true, .has_http = true };

	/* the pick: first or last element, spaces, ports and brackets gone */
	CHECK_INT(4, eve_xff_pick("10.2.2.2, 10.3.3.3", true, ip, sizeof(ip)));
	CHECK_STR("10.2.2.2", ip);
	CHECK_INT(4, eve_xff_pick("10.2.2.2, 10.3.3.3", false, ip, sizeof(ip)));
	CHECK_STR("10.3.3.3", ip);
	CHECK_INT(4, eve_xff_pick(" 1.2.3.4:8080 ", true, ip, sizeof(ip)));
	CHECK_STR("1.2.3.4", ip);
	CHECK_INT(6, eve_xff_pick("10.0.0.1,[2001:db8::1]:443", false, ip, sizeof(ip)));
	CHECK_STR("2001:db8::1", ip);
	CHECK_INT(6, eve_xff_pick("2001:db8::2", true, ip, sizeof(ip)));
	CHECK_INT(0, eve_xff_pick("unknown, 10.0.0.1", true, ip, sizeof(ip)));
	CHECK_INT(0, eve_xff_pick("10.0.0.1,", false, ip, sizeof(ip)));
	CHECK_INT(0, eve_xff_pick("[2001:db8::1", true, ip, sizeof(ip)));
	CHECK_INT(0, eve_xff_pick("", true, ip, sizeof(ip)));
	CHECK_INT(0, eve_xff_pick(NULL, true, ip, sizeof(ip)));

	packet_v4_tcp(&p, &f);
	rule_init(&r, 5, msg, "c", 2);
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };
	app.http = (struct app_http_info){ .xff = "10.2.2.2, 10.3.3.3", .status = -1, .port = -1,
					   .length = -1 };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		opt.xff.overwrite = cases[i].overwrite;
		opt.xff.forward = cases[i].forward;
		p.dir = cases[i].to_client ? PKT_TO_CLIENT : PKT_TO_SERVER;
		out = one_app_alert(&opt, &app, &p, &a);
		CHECK(out != NULL && strstr(out, cases[i].want) != NULL);
		free(out);
	}

	/* an IPv6 client cannot stand in for an IPv4 address: extra data */
	app.http.xff = "2001:db8::7";
	out = one_app_alert(&opt, &app, &p, &a);
	CHECK(out != NULL && strstr(out, "\"dest_ip\":\"10.0.0.1\"") != NULL &&
	      strstr(out, "\"xff\":\"2001:db8::7\"") != NULL);
	free(out);
	/* not an address: nothing */
	app.http.xff = "unknown";
	out = one_app_alert(&opt, &app, &p, &a);
	CHECK(out != NULL && strstr(out, "xff") == NULL);
	free(out);
	/* switched off: nothing either */
	app.http.xff = "10.2.2.2";
	opt.xff.enabled = false;
	out = one_app_alert(&opt, &app, &p, &a);
	CHECK(out != NULL && strstr(out, "10.2.2.2") == NULL);
	free(out);
}

/* One transaction record (eve_write_app_tx) of app on flow f, as text. */
static char *one_app_tx(const struct eve_options *opt, const struct flow *f,
			const struct eve_app *app)
{
	char path[128], err[256];
	struct eve_file *ef;
	struct eve_writer *w;

	path_of(path, sizeof(path), "tx.json");
	unlink(path);
	ef = eve_file_open(path, err, sizeof(err));
	w = ef ? eve_writer_create(ef, opt, NULL, 0) : NULL;
	CHECK(w != NULL);
	if (w == NULL)
		return NULL;
	eve_write_app_tx(w, f, app);
	eve_writer_destroy(w);
	eve_file_close(ef);
	return slurp(path, NULL);
}

/* Transaction records: "pcap_cnt" and "pkt_src" of the packet that has
 * them written (a flow end's pseudo packet: "stream (flow timeout)", no
 * pcap_cnt; none without a packet); the http record's xff (extra-data
 * beside the http object, overwrite on the client's src_ip); tls records
 * basic or extended. */
static void test_app_tx_records(void)
{
	struct packet p;
	struct flow f;
	struct eve_options opt = { .pcap_cnt = true,
				   .http_xff = { .enabled = true, .header = "X-Forwarded-For" } };
	struct eve_app app = { .proto = APP_PROTO_HTTP, .has_tx = true, .has_http = true,
			       .tx_id = 4, .pkt = &p };
	char *out;

	packet_v4_tcp(&p, &f);
	f.key.ip_ver = 4;
	f.key.proto = 6;
	f.key.addr[0] = p.src;
	f.key.addr[1] = p.dst;
	f.key.port[0] = 49152;
	f.key.port[1] = 80;
	app.http = (struct app_http_info){ .url = "/x", .xff = "10.2.2.2, 10.3.3.3",
					   .status = -1, .port = -1, .length = -1 };
	out = one_app_tx(&opt, &f, &app);
	CHECK(out != NULL && strstr(out, "\"pcap_cnt\":7,\"event_type\":\"http\"") != NULL &&
	      strstr(out, "\"pkt_src\":\"wire/pcap\"") != NULL &&
	      strstr(out, "\"src_ip\":\"192.168.1.10\"") != NULL &&
	      strstr(out, "\"url\":\"/x\"},\"xff\":\"10.3.3.3\"}") != NULL);
	free(out);
	opt.http_xff.overwrite = true;
	opt.http_xff.forward = true;
	out = one_app_tx(&opt, &f, &app);
	CHECK(out != NULL && strstr(out, "\"src_ip\":\"10.2.2.2\",\"src_port\":49152,"
					 "\"dest_ip\":\"10.0.0.1\"") != NULL &&
	      strstr(out, "},\"xff\"") == NULL);
	free(out);
	/* the flow's end: a pseudo packet */
	opt.http_xff.enabled = false;
	p.flags |= PKT_F_PSEUDO;
	p.pcap_cnt = 0;
	out = one_app_tx(&opt, &f, &app);
	CHECK(out != NULL && strstr(out, "\"pkt_src\":\"stream (flow timeout)\"") != NULL &&
	      strstr(out, "pcap_cnt") == NULL && strstr(out, "xff\":\"10") == NULL);
	free(out);
	app.pkt = NULL;
	out = one_app_tx(&opt, &f, &app);
	CHECK(out != NULL && strstr(out, "pkt_src") == NULL);
	free(out);

	/* tls: JsonTlsLogJSONBasic unless extended */
	app = (struct eve_app){ .proto = APP_PROTO_TLS, .has_tls = true, .pkt = &p };
	app.tls = (struct app_tls_info){ .subject = "CN=a", .issuer = "CN=b", .sni = "a.example",
					 .version = "TLS 1.2", .has_validity = true,
					 .not_before = 0, .not_after = 86400 * 366 };
	opt.tls_fields = EVE_TLS_BASIC | EVE_TLS_SESSION_RESUMED;
	out = one_app_tx(&opt, &f, &app);
	CHECK(out != NULL && strstr(out, "\"tls\":{\"subject\":\"CN=a\",\"issuerdn\":\"CN=b\"}") !=
	      NULL);
	free(out);
	opt.tls_fields = EVE_TLS_EXTENDED;
	out = one_app_tx(&opt, &f, &app);
	CHECK(out != NULL && strstr(out, "\"sni\":\"a.example\",\"version\":\"TLS 1.2\","
					 "\"notbefore\":\"1970-01-01T00:00:00\","
					 "\"notafter\":\"1971-01-02T00:00:00\"") != NULL);
	free(out);
	/* custom: those fields only, in Suricata's order whatever the list's */
	CHECK_INT(EVE_TLS_NOTAFTER, eve_tls_field("Not_After"));
	CHECK_INT(0, eve_tls_field("chain"));
	CHECK_INT(-1, eve_tls_field("nope"));
	CHECK_INT(-1, eve_tls_field("notbefore"));	/* the record's key, not the option's */
	opt.tls_fields = EVE_TLS_NOTAFTER | EVE_TLS_SNI | EVE_TLS_SUBJECT;
	out = one_app_tx(&opt, &f, &app);
	CHECK(out != NULL && strstr(out, "\"tls\":{\"subject\":\"CN=a\",\"sni\":\"a.example\","
					 "\"notafter\":\"1971-01-02T00:00:00\"}") != NULL);
	free(out);
	/* a resumed session (no certificate): only with session-resumption */
	app.tls = (struct app_tls_info){ .version = "TLS 1.2", .session_resumed = true };
	opt.tls_fields = EVE_TLS_BASIC;
	out = one_app_tx(&opt, &f, &app);
	CHECK(out == NULL || strstr(out, "\"tls\"") == NULL);
	free(out);
	opt.tls_fields = EVE_TLS_BASIC | EVE_TLS_SESSION_RESUMED;
	out = one_app_tx(&opt, &f, &app);
	CHECK(out != NULL && strstr(out, "\"tls\":{\"session_resumed\":true}") != NULL);
	free(out);
}

/* A stream match: "payload" is the stream window behind a note of the
 * skipped bytes, cut at EVE_STREAM_PAYLOAD_MAX; a pseudo packet (flow
 * timeout) has no frame, so no "packet". */
static void test_alert_stream(void)
{
	char path[128], err[256];
	struct packet p;
	struct flow f;
	struct rule r;
	char msg[] = "stream";
	struct eve_options opt = { .payload = true, .payload_printable = true, .packet = true };
	static uint8_t big[5000];

	packet_v4_tcp(&p, &f);
	p.flags |= PKT_F_PSEUDO;
	p.data = NULL;
	p.len = 0;
	p.payload = NULL;
	p.payload_len = 0;
	rule_init(&r, 6, msg, "c", 2);
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };
	struct eve_stream_payload sp = { .data = (const uint8_t *)"abc", .len = 3,
					 .gap_before = 10 };

	path_of(path, sizeof(path), "stream.json");
	unlink(path);
	struct eve_file *ef = eve_file_open(path, err, sizeof(err));
	struct eve_writer *w = ef ? eve_writer_create(ef, &opt, NULL, 0) : NULL;
	CHECK(w != NULL);
	if (w == NULL) {
		eve_file_close(ef);
		return;
	}
	eve_write_alert_stream(w, &p, &a, &sp);
	memset(big, 'x', sizeof(big));
	sp = (struct eve_stream_payload){ .data = big, .len = sizeof(big), .gap_before = 7 };
	eve_write_alert_stream(w, &p, &a, &sp);
	sp = (struct eve_stream_payload){ .data = NULL, .len = 0, .gap_before = 0 };
	eve_write_alert_stream(w, &p, &a, &sp);
	eve_writer_destroy(w);
	eve_file_close(ef);

	size_t len, bad;
	char *out = slurp(path, &len);
	CHECK(out != NULL);
	if (out == NULL)
		return;
	CHECK_INT(3, check_lines(out, len, &bad));
	CHECK_INT(0, bad);
	char *cur = out;
	char *l1 = next_line(&cur), *l2 = next_line(&cur), *l3 = next_line(&cur);
	/* base64("[10 bytes missing]abc") */
	CHECK(l1 != NULL && strstr(l1, "\"pkt_src\":\"stream (flow timeout)\"") != NULL);
	CHECK(l1 != NULL && strstr(l1, "\"payload\":\"WzEwIGJ5dGVzIG1pc3NpbmddYWJj\","
		"\"payload_printable\":\"[10 bytes missing]abc\",\"stream\":1,") != NULL);
	/* the headers Suricata makes up for it: 40 bytes (56 in base64) of
	 * IPv4 and TCP, the capture's link type */
	const char *pk = l1 ? strstr(l1, "\"packet\":\"") : NULL;
	CHECK(pk != NULL);
	if (pk != NULL) {
		pk += strlen("\"packet\":\"");
		CHECK_INT(56, strchr(pk, '"') - pk);
		CHECK(strncmp(pk, "RQAAKAAAAABA", 12) == 0);	/* 45 00 0028 0000 0000 40 */
		CHECK(strstr(pk, "\"packet_info\":{\"linktype\":1,") != NULL);
	}
	/* the note and the data together fill exactly the payload buffer */
	const char *pp = l2 ? strstr(l2, "\"payload_printable\":\"[7 bytes missing]xxx") : NULL;
	CHECK(pp != NULL);
	if (pp != NULL) {
		pp += strlen("\"payload_printable\":\"");
		CHECK_INT(EVE_STREAM_PAYLOAD_MAX, strchr(pp, '"') - pp);
	}
	CHECK(l3 != NULL && strstr(l3, "\"payload\":\"\",\"payload_printable\":\"\","
		"\"stream\":1,\"packet\":") != NULL);
	free(out);
}

/* ---- stats ---- */

static void test_drop(void)
{
	struct packet p;
	struct flow f;
	struct rule r;
	char msg[] = "drop it";
	struct eve_options opt = { .drop = true, .drop_alerts = true };

	packet_v4_tcp(&p, &f);
	p.l3_len = 60;
	p.ttl = 64;
	p.ip_id = 1;
	p.l4_len = 40;
	p.tcp.seq = 1;
	p.tcp.win = 0xffff;
	p.tcp.flags = TCP_PSH | TCP_ACK;
	rule_init(&r, 9, msg, NULL, 3);
	r.action = RULE_ACT_DROP;
	char *out = one_drop("drop.json", &opt, &p, DROP_REASON_RULES, &r);
	CHECK_STR("{\"timestamp\":\"2024-04-21T10:00:00.123456+0000\",\"flow_id\":920737433051712,"
		  "\"event_type\":\"drop\",\"src_ip\":\"192.168.1.10\",\"src_port\":49152,"
		  "\"dest_ip\":\"10.0.0.1\",\"dest_port\":80,\"proto\":\"TCP\",\"ip_v\":4,"
		  "\"pkt_src\":\"wire/pcap\",\"drop\":{\"len\":60,\"tos\":0,\"ttl\":64,"
		  "\"ipid\":1,\"tcpseq\":1,\"tcpack\":0,\"tcpwin\":65535,\"syn\":false,"
		  "\"ack\":true,\"psh\":true,\"rst\":false,\"urg\":false,\"fin\":false,"
		  "\"tcpres\":0,\"tcpurgp\":0,\"reason\":\"rules\"},"
		  "\"alert\":{\"action\":\"blocked\",\"gid\":1,\"signature_id\":9,\"rev\":3,"
		  "\"signature\":\"drop it\",\"category\":\"\",\"severity\":3}}\n", out);
	free(out);

	/* a packet of a flow dropped earlier: the reason, and no alert object */
	out = one_drop("drop-flow.json", &opt, &p, DROP_REASON_FLOW, NULL);
	CHECK(out != NULL && strstr(out, "\"reason\":\"flow drop\"}}\n") != NULL);
	CHECK(out != NULL && strstr(out, "\"alert\"") == NULL);
	free(out);

	/* alerts: no leaves the rule out */
	opt.drop_alerts = false;
	out = one_drop("drop-noalert.json", &opt, &p, DROP_REASON_RULES, &r);
	CHECK(out != NULL && strstr(out, "\"alert\"") == NULL);
	CHECK(out != NULL && json_valid(out, strlen(out)));
	free(out);
}

static void test_stats(void)
{
	static const char *const names[] = {
		"decoder.pkts", "decoder.event.ipv4.trunc_pkt", "flow.memuse", "decoder.bytes",
		"decoder.event.ipv4.hlen_bad", "detect.alert", "decoder.event.tcp.trunc",
		"capture.kernel_packets", "decoder.pkts", "detect.alert.sub", "uptime",
		"x.b-c", "x.b.c",
	};
	static const uint64_t values[] = { 1, 2, 3, 4, 5, 6, 7, 9, 99, 98, 97, 11, 10 };
	char path[128], err[256];

	path_of(path, sizeof(path), "stats.json");
	unlink(path);
	struct eve_file *ef = eve_file_open(path, err, sizeof(err));
	CHECK(ef != NULL);
	if (ef == NULL)
		return;
	struct eve_writer *w = eve_writer_create(ef, NULL, NULL, 0);
	eve_write_stats(w, TS_2024, 42, names, values, sizeof(values) / sizeof(values[0]));
	eve_write_stats(w, TS_2024, 0, names, values, 0);
	eve_writer_destroy(w);
	eve_file_close(ef);
	char *out = slurp(path, NULL);
	CHECK_STR("{\"timestamp\":\"2024-04-21T10:00:00.123456+0000\",\"event_type\":\"stats\","
		  "\"stats\":{\"uptime\":42,\"capture\":{\"kernel_packets\":9},"
		  "\"decoder\":{\"bytes\":4,\"event\":{\"ipv4\":{\"hlen_bad\":5,\"trunc_pkt\":2},"
		  "\"tcp\":{\"trunc\":7}},\"pkts\":1},\"detect\":{\"alert\":6},"
		  "\"flow\":{\"memuse\":3},\"x\":{\"b\":{\"c\":10},\"b-c\":11}}}\n"
		  "{\"timestamp\":\"2024-04-21T10:00:00.123456+0000\",\"event_type\":\"stats\","
		  "\"stats\":{\"uptime\":0}}\n", out);
	size_t bad;
	if (out)
		CHECK_INT(2, check_lines(out, strlen(out), &bad));
	CHECK_INT(0, bad);
	free(out);
}

/* ---- buffering and files ---- */

static void test_many_records(void)
{
	enum { N = 20000 };
	char path[128], err[256];
	struct packet p;
	struct flow f;
	struct rule r;
	char msg[] = "bulk";
	struct eve_options opt = { .pcap_cnt = true, .payload = true };
	struct stat st;

	path_of(path, sizeof(path), "many.json");
	unlink(path);
	struct eve_file *ef = eve_file_open(path, err, sizeof(err));
	CHECK(ef != NULL);
	if (ef == NULL)
		return;
	struct eve_writer *w = eve_writer_create(ef, &opt, "eth0", 0);
	packet_v4_tcp(&p, &f);
	rule_init(&r, 5, msg, "cat", 2);
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };

	p.pcap_cnt = 1;
	eve_write_alert(w, &p, &a);
	CHECK_INT(0, stat(path, &st));
	CHECK_INT(0, st.st_size);       /* buffered, not written yet */
	for (uint64_t i = 2; i <= N; i++) {
		p.pcap_cnt = i;
		eve_write_alert(w, &p, &a);
	}
	CHECK_INT(0, stat(path, &st));
	CHECK(st.st_size > 0);          /* high-water flushes happened */
	/* what is on disk so far is whole lines only */
	char *part = slurp(path, NULL);
	CHECK(part != NULL && part[0] != '\0' && part[strlen(part) - 1] == '\n');
	free(part);
	CHECK_INT(N, eve_writer_stats(w)->records);
	CHECK_INT(0, eve_writer_stats(w)->dropped);
	CHECK_INT(0, eve_writer_stats(w)->write_errors);
	eve_writer_destroy(w);
	eve_file_close(ef);

	size_t len, bad;
	char *out = slurp(path, &len);
	CHECK(out != NULL);
	if (out == NULL)
		return;
	CHECK_INT(N, check_lines(out, len, &bad));
	CHECK_INT(0, bad);
	static uint8_t seen[N + 1];
	size_t dup = 0, missing = 0;
	char *cur = out, *l;
	while ((l = next_line(&cur)) != NULL) {
		uint64_t c = field_u64(l, "pcap_cnt");
		if (c >= 1 && c <= N && seen[c]++)
			dup++;
	}
	for (int i = 1; i <= N; i++)
		missing += !seen[i];
	CHECK_INT(0, dup);
	CHECK_INT(0, missing);
	free(out);
}

struct thr_arg {
	struct eve_file *ef;
	const char *iface;
	int n;
	char *msg;
};

static void *writer_thread(void *arg)
{
	struct thr_arg *t = arg;
	struct eve_options opt = { .pcap_cnt = true, .packet = true };
	struct eve_writer *w = eve_writer_create(t->ef, &opt, t->iface, 0);
	struct packet p;
	struct flow f;
	struct rule r;

	if (w == NULL)
		return NULL;
	packet_v4_tcp(&p, &f);
	rule_init(&r, 7, t->msg, "cat", 2);
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };
	for (int i = 1; i <= t->n; i++) {
		p.pcap_cnt = (uint64_t)i;
		eve_write_alert(w, &p, &a);
		if (i % 997 == 0)
			eve_writer_flush(w);  /* small writes too, as a periodic flush does */
	}
	eve_writer_destroy(w);
	return NULL;
}

/* Two workers, one file, and logrotate in the middle: every line whole,
 * every record in exactly one of the files. */
static void test_two_writers_and_rotate(void)
{
	enum { N = 15000 };
	char path[128], rotated[128], err[256];
	char msg_a[700], msg_b[900];

	/* characters base64 never uses, so the packet field cannot fake them */
	memset(msg_a, '#', sizeof(msg_a) - 1);
	msg_a[sizeof(msg_a) - 1] = '\0';
	memset(msg_b, '%', sizeof(msg_b) - 1);
	msg_b[sizeof(msg_b) - 1] = '\0';
	path_of(path, sizeof(path), "two.json");
	path_of(rotated, sizeof(rotated), "two.json.1");
	unlink(path);
	unlink(rotated);
	struct eve_file *ef = eve_file_open(path, err, sizeof(err));
	CHECK(ef != NULL);
	if (ef == NULL)
		return;
	struct thr_arg ta = { ef, "tA", N, msg_a }, tb = { ef, "tB", N, msg_b };
	pthread_t a, b;
	CHECK_INT(0, pthread_create(&a, NULL, writer_thread, &ta));
	CHECK_INT(0, pthread_create(&b, NULL, writer_thread, &tb));
	/* rotate once some data has reached the file */
	struct stat st;
	for (int i = 0; i < 5000; i++) {
		if (stat(path, &st) == 0 && st.st_size > 0)
			break;
		usleep(1000);
	}
	CHECK_INT(0, rename(path, rotated));
	CHECK_INT(0, eve_file_reopen(ef));
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	eve_file_close(ef);

	size_t len1 = 0, len2 = 0, bad1, bad2;
	char *f1 = slurp(rotated, &len1), *f2 = slurp(path, &len2);
	CHECK(f1 != NULL && f2 != NULL);
	if (f1 == NULL || f2 == NULL) {
		free(f1);
		free(f2);
		return;
	}
	size_t l1 = check_lines(f1, len1, &bad1), l2 = check_lines(f2, len2, &bad2);
	CHECK_INT(0, bad1);
	CHECK_INT(0, bad2);
	CHECK_INT(2 * N, l1 + l2);
	CHECK(l1 > 0);
	CHECK(l2 > 0);             /* the new file got the lines after the reopen */

	static uint8_t seen[2][N + 1];
	size_t dup = 0, missing = 0, mixed = 0;
	for (int k = 0; k < 2; k++) {
		char *cur = k ? f2 : f1, *l;
		while ((l = next_line(&cur)) != NULL) {
			const char *iface = strstr(l, "\"in_iface\":\"");
			int who = iface != NULL && strncmp(iface + 12, "tB", 2) == 0;
			uint64_t c = field_u64(l, "pcap_cnt");
			/* each line carries its own writer's message only */
			const char *want = who ? msg_b : msg_a, *other = who ? "####" : "%%%%";
			if (iface == NULL || strstr(l, want) == NULL || strstr(l, other) != NULL)
				mixed++;
			if (c >= 1 && c <= N && seen[who][c]++)
				dup++;
		}
	}
	for (int k = 0; k < 2; k++)
		for (int i = 1; i <= N; i++)
			missing += !seen[k][i];
	CHECK_INT(0, dup);
	CHECK_INT(0, missing);
	CHECK_INT(0, mixed);
	free(f1);
	free(f2);
}

/* Write errors keep the data and are counted; a record only goes when
 * there is no room left; a record larger than the buffer is dropped. */
static void test_errors_and_drops(void)
{
	char err[256], path[128];
	struct packet p;
	struct flow f;
	struct rule r;
	char msg[] = "err";

	CHECK(eve_file_open("/nonexistent-dir/eve.json", err, sizeof(err)) == NULL);
	CHECK(strstr(err, "/nonexistent-dir/eve.json: ") == err);
	CHECK(eve_writer_create(NULL, NULL, NULL, 0) == NULL);

	packet_v4_tcp(&p, &f);
	rule_init(&r, 1, msg, "", 1);
	struct detect_alert a = { .rule = &r, .action = ALERT_ALLOWED };

	if (access("/dev/full", W_OK) == 0) {
		struct eve_file *ef = eve_file_open("/dev/full", err, sizeof(err));
		CHECK(ef != NULL);
		struct eve_writer *w = ef ? eve_writer_create(ef, NULL, NULL, 0) : NULL;
		if (w != NULL) {
			eve_write_alert(w, &p, &a);
			CHECK_INT(-ENOSPC, eve_writer_flush(w));
			CHECK_INT(1, eve_writer_stats(w)->write_errors);
			for (int i = 0; i < 5000; i++)
				eve_write_alert(w, &p, &a);
			const struct eve_stats *s = eve_writer_stats(w);
			CHECK(s->write_errors > 1);
			CHECK(s->dropped > 0);
			CHECK(s->records > 0);
			CHECK_INT(5001, s->records + s->dropped);
			eve_writer_destroy(w);
		}
		eve_file_close(ef);
	}

	/* a frame whose base64 alone exceeds the buffer */
	enum { BIG = 200000 };
	uint8_t *big = calloc(1, BIG);
	path_of(path, sizeof(path), "big.json");
	unlink(path);
	struct eve_file *ef = eve_file_open(path, err, sizeof(err));
	struct eve_options opt = { .packet = true };
	struct eve_writer *w = ef ? eve_writer_create(ef, &opt, NULL, 0) : NULL;
	CHECK(w != NULL && big != NULL);
	if (w != NULL && big != NULL) {
		eve_write_alert(w, &p, &a);            /* a normal one first */
		p.data = big;
		p.len = BIG;
		eve_write_alert(w, &p, &a);
		CHECK_INT(1, eve_writer_stats(w)->records);
		CHECK_INT(1, eve_writer_stats(w)->dropped);
		eve_writer_destroy(w);
		size_t len, bad;
		char *out = slurp(path, &len);
		CHECK_INT(1, out ? check_lines(out, len, &bad) : 0);
		free(out);
	}
	eve_file_close(ef);
	free(big);
}

static void cleanup(void)
{
	static const char *const files[] = {
		"v4tcp.json", "v4tcp-min.json", "v6udp.json", "icmp.json", "icmp6.json",
		"icmp6-frag.json", "gre.json", "p253.json", "sctp.json", "arp.json", "esc.json",
		"stats.json", "many.json", "two.json", "two.json.1", "big.json", "flow.json",
		"stream.json", "linked-a.json", "linked-b.json",
	};
	char path[128];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path_of(path, sizeof(path), files[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

/* Community ID v1 against the spec's published vectors (the baseline of
 * github.com/corelight/community-id-spec as Zeek's test of its
 * community_id_v1() lists them), both directions, seeds 0 and 1. */
static void test_community_id(void)
{
	static const uint8_t a4[4] = { 1, 2, 3, 4 }, b4[4] = { 5, 6, 7, 8 };
	static const uint8_t a6[16] = { 0xfe, 0x80, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
					0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d };
	static const uint8_t b6[16] = { 0xfe, 0x80, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
					0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d };
	static const struct {
		bool v6;
		uint16_t sp, dp;
		uint8_t proto;
		uint16_t seed;
		const char *want;
	} v[] = {
		{ false, 1122, 3344, 6, 0, "1:wCb3OG7yAFWelaUydu0D+125CLM=" },
		{ false, 1122, 3344, 17, 0, "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=" },
		{ false, 8, 0, 1, 0, "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=" },
		{ true, 128, 0, 58, 0, "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=" },
		{ false, 1122, 3344, 6, 1, "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=" },
		{ false, 1122, 3344, 17, 1, "1:OShq+iKDAMVouh/4bMxB9Sz4amw=" },
		{ false, 8, 0, 1, 1, "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=" },
		{ true, 128, 0, 58, 1, "1:IO27GQzPuCtNnwFvjWALMHu5tJE=" },
		{ false, 0, 0, 46, 0, "1:ikv3kmf89luf73WPz1jOs49S768=" },   /* RSVP: no ports */
	};
	char id[EVE_COMMUNITY_ID_LEN];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const uint8_t *a = v[i].v6 ? a6 : a4, *b = v[i].v6 ? b6 : b4;
		uint8_t ver = v[i].v6 ? 6 : 4;
		/* the other direction: ports swapped, ICMP the reply type */
		uint16_t rsp = v[i].proto == 1 ? 0 : v[i].proto == 58 ? 129 : v[i].dp;
		uint16_t rdp = v[i].proto == 1 || v[i].proto == 58 ? 0 : v[i].sp;

		CHECK_INT(0, eve_community_id(ver, a, b, v[i].sp, v[i].dp, v[i].proto, v[i].seed, id));
		CHECK_STR(v[i].want, id);
		CHECK_INT(0, eve_community_id(ver, b, a, rsp, rdp, v[i].proto, v[i].seed, id));
		CHECK_STR(v[i].want, id);
	}
	CHECK_INT(-EINVAL, eve_community_id(5, a4, b4, 1, 2, 6, 0, id));
}

/* Two eve-log outputs linked: each record reaches the outputs taking its
 * type, each with its own options; stats are summed; reopen and close go
 * down the chain. */
static void test_linked_outputs(void)
{
	static const char *const names[] = { "decoder.pkts" };
	static const uint64_t values[] = { 7 };
	char pa[128], pb[128], err[256];
	struct eve_options oa = { .payload = true }, ob = { .pcap_cnt = false };
	struct packet p;
	struct flow f;
	struct rule r;

	path_of(pa, sizeof(pa), "linked-a.json");
	path_of(pb, sizeof(pb), "linked-b.json");
	unlink(pa);
	unlink(pb);
	struct eve_file *a = eve_file_open(pa, err, sizeof(err));
	struct eve_file *b = eve_file_open(pb, err, sizeof(err));
	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return;
	eve_file_set_output(a, EVE_T_ALERT, &oa);
	eve_file_set_output(b, EVE_T_ALERT | EVE_T_STATS, &ob);
	eve_file_link(a, b);
	struct eve_writer *w = eve_writer_create(a, NULL, NULL, 0);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	packet_v4_tcp(&p, &f);
	rule_init(&r, 9, "linked", "cat", 2);
	struct detect_alert al = { .rule = &r, .action = ALERT_ALLOWED };

	eve_write_alert(w, &p, &al);
	eve_write_stats(w, TS_2024, 1, names, values, 1);
	eve_write_drop(w, &p, DROP_REASON_RULES, &r);     /* neither takes drops */
	CHECK_INT(3, eve_writer_stats(w)->records);
	CHECK_INT(0, eve_writer_flush(w));
	CHECK_INT(0, eve_file_reopen(a));
	eve_writer_destroy(w);
	eve_file_close(a);                                /* closes b too */
	char *ta = slurp(pa, NULL), *tb = slurp(pb, NULL);
	CHECK(ta != NULL && strstr(ta, "\"event_type\":\"alert\"") != NULL &&
	      strstr(ta, "\"payload\"") != NULL && strstr(ta, "\"stats\"") == NULL);
	CHECK(tb != NULL && strstr(tb, "\"event_type\":\"alert\"") != NULL &&
	      strstr(tb, "\"payload\"") == NULL && strstr(tb, "\"event_type\":\"stats\"") != NULL &&
	      strstr(tb, "\"drop\"") == NULL);
	size_t bad;
	if (ta)
		CHECK_INT(1, check_lines(ta, strlen(ta), &bad));
	if (tb)
		CHECK_INT(2, check_lines(tb, strlen(tb), &bad));
	free(ta);
	free(tb);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_eve.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_json_basic();
	test_json_escape();
	test_json_strn_bytes();
	test_json_base64_printable();
	test_json_bounds();
	test_json_key();
	test_alert_v4_tcp();
	test_alert_v6_udp();
	test_alert_icmp();
	test_alert_escaping();
	test_alert_flow();
	test_alert_vars();
	test_flow_metadata();
	test_alert_xff();
	test_app_tx_records();
	test_alert_stream();
	test_drop();
	test_stats();
	test_many_records();
	test_two_writers_and_rotate();
	test_errors_and_drops();
	test_linked_outputs();
	test_community_id();
	cleanup();
	return check_result("eve");
}
