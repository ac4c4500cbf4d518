/* SPDX-License-Identifier: MIT */
/* Unit tests of the management library's pure parts: framing, request
 * encoding, the reply writer's two renderings, the configuration and
 * roles. The network path is covered by test_mgmt.py. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "control/mgmt/mgmt-priv.h"
#include "tests/unit/check.h"

static void test_frames(void)
{
	uint8_t buf[64] = { 0, 0, 0, 3, 'Q', 'a', 'b', 0, 0 };
	struct mgmt_frame f;
	enum mgmt_bad bad;

	CHECK_INT(0, mgmt_frame_parse(buf, 3, 1024, &f, &bad));
	CHECK_INT(0, mgmt_frame_parse(buf, 6, 1024, &f, &bad));
	CHECK_INT(7, mgmt_frame_parse(buf, 9, 1024, &f, &bad));
	CHECK_INT('Q', f.type);
	CHECK_INT(2, f.len);
	CHECK(memcmp(f.payload, "ab", 2) == 0);
	/* oversized: refused from the header alone */
	memcpy(buf, "\x00\x10\x00\x01", 4);
	CHECK_INT(-EMSGSIZE, mgmt_frame_parse(buf, 4, 1024, &f, &bad));
	CHECK_INT(MGMT_BAD_OVERSIZED, bad);
	memcpy(buf, "\x00\x00\x00\x00", 4);
	CHECK_INT(-EPROTO, mgmt_frame_parse(buf, 4, 1024, &f, &bad));
	CHECK_INT(MGMT_BAD_EMPTY, bad);
	memcpy(buf, "\x00\x00\x00\x01Z", 5);
	CHECK_INT(-EPROTO, mgmt_frame_parse(buf, 5, 1024, &f, &bad));
	CHECK_INT(MGMT_BAD_TYPE, bad);
	mgmt_frame_header(buf, MGMT_F_HELLO, 258);
	CHECK(memcmp(buf, "\x00\x00\x01\x03H", 5) == 0);
	CHECK_STR("oversized", mgmt_bad_name(MGMT_BAD_OVERSIZED));
}

static void test_requests(void)
{
	char *argv[] = { "rules", "reload" };
	char *bad_argv[] = { "a\nb" };
	uint8_t buf[64];
	struct mgmt_request req;
	enum mgmt_bad bad;
	int n;

	n = mgmt_request_encode(MGMT_REQ_JSON, 2, argv, buf, sizeof(buf));
	CHECK_INT(14, n);
	CHECK_INT(0, mgmt_request_parse(buf, (size_t)n, &req, &bad));
	CHECK_INT(2, req.argc);
	CHECK_STR("rules", req.argv[0]);
	CHECK_STR("reload", req.argv[1]);
	CHECK_INT(MGMT_REQ_JSON, req.flags);
	CHECK_INT(-EINVAL, mgmt_request_encode(0, 1, bad_argv, buf, sizeof(buf)));
	CHECK_INT(-ENOSPC, mgmt_request_encode(0, 2, argv, buf, 8));
	/* unterminated last argument */
	CHECK_INT(-EINVAL, mgmt_request_parse(buf, (size_t)n - 1, &req, &bad));
	CHECK_INT(MGMT_BAD_ARGS, bad);
	/* unknown flag bits */
	buf[0] = 0x80;
	CHECK_INT(-EINVAL, mgmt_request_parse(buf, (size_t)n, &req, &bad));
	CHECK_INT(MGMT_BAD_FLAGS, bad);
	/* no argument at all */
	buf[0] = 0;
	CHECK_INT(-EINVAL, mgmt_request_parse(buf, 1, &req, &bad));
	/* a control byte inside an argument */
	memcpy(buf, "\0a\x01\0", 4);
	CHECK_INT(-EINVAL, mgmt_request_parse(buf, 4, &req, &bad));
	CHECK_INT(MGMT_BAD_CHARS, bad);
}

static void fill(struct mgmt_reply *r)
{
	mgmt_reply_str(r, "node", "a");
	mgmt_reply_obj_open(r, "vrrp");
	mgmt_reply_uint(r, "priority", 150);
	mgmt_reply_bool(r, "preempt", true);
	mgmt_reply_obj_close(r);
	mgmt_reply_arr_open(r, "rules");
	mgmt_reply_obj_open(r, NULL);
	mgmt_reply_int(r, "sid", -1);
	mgmt_reply_str(r, "msg", "x\"y");
	mgmt_reply_obj_close(r);
	mgmt_reply_str(r, NULL, "plain");
	mgmt_reply_arr_close(r);
}

static void test_reply(void)
{
	struct mgmt_reply r;
	const char *b;
	char *s;
	size_t n = 0;

	CHECK_INT(0, mgmt_reply_init(&r, true));
	fill(&r);
	b = mgmt_reply_body(&r, &n);
	s = strndup(b, n);
	CHECK_STR("{\"node\":\"a\",\"vrrp\":{\"priority\":150,\"preempt\":true},"
		  "\"rules\":[{\"sid\":-1,\"msg\":\"x\\\"y\"},\"plain\"]}\n", s);
	free(s);
	mgmt_reply_release(&r);

	CHECK_INT(0, mgmt_reply_init(&r, false));
	fill(&r);
	b = mgmt_reply_body(&r, &n);
	s = strndup(b, n);
	CHECK_STR("node: a\nvrrp:\n  priority: 150\n  preempt: true\nrules:\n  -\n"
		  "    sid: -1\n    msg: x\"y\n  - plain\n", s);
	free(s);
	CHECK_INT(-EPERM, mgmt_reply_error(&r, -EPERM, "permission denied: needs %s\nx",
					   "admin"));
	CHECK_STR("permission denied: needs admin", r.msg);
	mgmt_reply_release(&r);
}

static void test_conf_redact(void)
{
	struct conf *c = conf_new();
	struct mgmt_reply r;
	char err[256], *s;
	const char *b;
	size_t n;

	CHECK_INT(0, conf_load_string(c, "t.yaml", "vrrp:\n  auth_pass: hunter2\n  prio: 5\n",
				      err, sizeof(err)));
	mgmt_reply_init(&r, true);
	mgmt_reply_conf(&r, "config", c->root);
	b = mgmt_reply_body(&r, &n);
	s = strndup(b, n);
	CHECK_STR("{\"config\":{\"vrrp\":{\"auth_pass\":\"<redacted>\",\"prio\":\"5\"}}}\n", s);
	free(s);
	mgmt_reply_release(&r);
	conf_free(c);
}

static int parse(const char *yaml, struct mgmt_conf *mc, char *err, size_t len)
{
	struct conf *c = conf_new();
	int rc = conf_load_string(c, "m.yaml", yaml, err, len);

	if (!rc)
		rc = mgmt_conf_parse(mc, conf_get(c, "management"), err, len);
	conf_free(c);
	return rc;
}

static void test_conf(void)
{
	struct mgmt_conf mc;
	char err[512];

	CHECK_INT(0, parse("management:\n"
			   "  listen: { address: 127.0.0.1, port: 0 }\n"
			   "  tls: { cert: c.pem, key: k.pem }\n"
			   "  sasl: { mechanisms: [scram-sha-256, PLAIN], allowed_users: [] }\n"
			   "  roles: { alice: admin, bob: viewer, '*@EXAMPLE.COM': operator }\n",
			   &mc, err, sizeof(err)));
	CHECK_STR("127.0.0.1", mc.address);
	CHECK_INT(0, mc.port);
	CHECK_INT(2, mc.n_mechs);
	CHECK_STR("SCRAM-SHA-256", mc.mechs[0]);
	CHECK(mc.users_set);
	CHECK_INT(0, mc.n_users);
	CHECK_INT(MGMT_ROLE_ADMIN, mgmt_conf_role(&mc, "alice"));
	CHECK_INT(MGMT_ROLE_VIEWER, mgmt_conf_role(&mc, "bob"));
	CHECK_INT(MGMT_ROLE_OPERATOR, mgmt_conf_role(&mc, "carol@EXAMPLE.COM"));
	CHECK_INT(MGMT_ROLE_NONE, mgmt_conf_role(&mc, "carol"));
	CHECK_INT(65536, mc.max_frame);
	CHECK_INT(10000000, mc.auth_us);	/* TLS + SASL within 10 s of accept */
	CHECK_INT(4, mc.max_unauth_src);
	CHECK_INT(10, mc.lockout_fails);
	CHECK_INT(300000000, mc.lockout_us);
	CHECK(!mc.bind_client_cert);
	CHECK_STR("NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2", mc.priority);
	mgmt_conf_release(&mc);

	CHECK_INT(-EINVAL, parse("management:\n  tls: { cert: c, key: k }\n"
				 "  sasl: { mechanisms: [DIGEST-MD5] }\n", &mc, err, sizeof(err)));
	CHECK(strstr(err, "DIGEST-MD5 is refused (weak)") != NULL);
	CHECK_INT(0, parse("management:\n  tls: { cert: c, key: k }\n"
			   "  sasl: { mechanisms: [CRAM-MD5], allow_weak_mechanisms: true }\n",
			   &mc, err, sizeof(err)));
	mgmt_conf_release(&mc);
	CHECK_INT(-EINVAL, parse("management:\n  tls: { cert: c, key: k }\n"
				 "  roles: { alice: root }\n", &mc, err, sizeof(err)));
	CHECK(strstr(err, "expected viewer, operator or admin, got 'root'") != NULL);
	CHECK_INT(-EINVAL, parse("management:\n  tls: { cert: c }\n", &mc, err, sizeof(err)));
	CHECK(strstr(err, "tls.cert and tls.key are required") != NULL);
	CHECK_INT(-EINVAL, parse("management:\n  tls: { cert: c, key: k }\n"
				 "  sasl: { mechanisms: [EXTERNAL] }\n", &mc, err, sizeof(err)));
	CHECK(strstr(err, "tls.ca is required") != NULL);
	CHECK_INT(-EINVAL, parse("management:\n  tls: { cert: c, key: k }\n"
				 "  limits: { max_frame: 10 }\n", &mc, err, sizeof(err)));
	CHECK(strstr(err, "m.yaml:") == err);
}

static void test_match(void)
{
	char *pats[] = { "CN=*,O=Example,C=GB", "admin" };

	CHECK(mgmt_match_any(pats, 2, "CN=alice,O=Example,C=GB"));
	CHECK(!mgmt_match_any(pats, 2, "CN=alice,O=Evil,C=GB"));
	CHECK(mgmt_match_any(pats, 2, "admin"));
	CHECK(!mgmt_match_any(pats, 0, "admin"));
	CHECK_STR("operator", mgmt_role_name(MGMT_ROLE_OPERATOR));
}

/* EVE alert lines as fast.log lines: the form idsd's outputs.fast writes
 * (tests/e2e/test_outputs.py checks that one against Suricata's). */
static void test_fast(void)
{
	static const char tcp[] =
		"{\"timestamp\":\"2006-12-16T18:22:47.202144+0000\",\"flow_id\":1,"
		"\"event_type\":\"alert\",\"src_ip\":\"10.0.0.1\",\"src_port\":1234,"
		"\"dest_ip\":\"10.0.0.2\",\"dest_port\":80,\"proto\":\"TCP\","
		"\"metadata\":{\"x\":[1,{\"y\":\"}\"}]},"
		"\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":2001,\"rev\":3,"
		"\"signature\":\"ET \\\"quoted\\\" \\u0041\\nx\",\"category\":\"Misc activity\","
		"\"severity\":3,\"metadata\":{\"a\":[\"b\"]}}}";
	static const char icmp[] =
		"{ \"timestamp\": \"2024-05-01T10:00:00.5+0200\", \"src_ip\": \"2001:db8::1\", "
		"\"dest_ip\": \"2001:db8::2\", \"proto\": \"IPv6-ICMP\", \"icmp_type\": 128, "
		"\"icmp_code\": 0, \"alert\": { \"action\": \"blocked\", \"gid\": 1, "
		"\"signature_id\": 9, \"rev\": 1, \"signature\": \"ping\", \"category\": \"\", "
		"\"severity\": 2 } }";
	char out[MGMT_FAST_LINE], small[24];
	const char *l;
	size_t len;
	int n;

	n = mgmt_eve_fast(tcp, strlen(tcp), out, sizeof(out));
	CHECK_STR("12/16/2006-18:22:47.202144  [**] [1:2001:3] ET \"quoted\" A?x [**] "
		  "[Classification: Misc activity] [Priority: 3] {TCP} 10.0.0.1:1234 -> "
		  "10.0.0.2:80", out);
	CHECK_INT((int)strlen(out), n);
	mgmt_eve_fast(icmp, strlen(icmp), out, sizeof(out));
	CHECK_STR("05/01/2024-10:00:00.500000  [Drop] [**] [1:9:1] ping [**] "
		  "[Classification: ] [Priority: 2] {IPv6-ICMP} 2001:db8::1:128 -> 2001:db8::2:0",
		  out);
	/* truncated, never overrun */
	n = mgmt_eve_fast(tcp, strlen(tcp), small, sizeof(small));
	CHECK_INT((int)sizeof(small) - 1, n);
	CHECK_INT(sizeof(small) - 1, strlen(small));
	/* not an object, cut short, nested too deep: refused */
	CHECK_INT(-EINVAL, mgmt_eve_fast("[1]", 3, out, sizeof(out)));
	CHECK_INT(-EINVAL, mgmt_eve_fast(tcp, strlen(tcp) - 5, out, sizeof(out)));
	CHECK_INT(-EINVAL, mgmt_eve_fast("{\"a\":\"\\u00", 11, out, sizeof(out)));
	{
		char deep[200] = "{\"a\":";

		for (int i = 0; i < 40; i++)
			strcat(deep, "[");
		CHECK_INT(-EINVAL, mgmt_eve_fast(deep, strlen(deep), out, sizeof(out)));
	}
	/* what does not parse is shown as it is; --json shows the line */
	l = mgmt_alert_render("not json", true, out, sizeof(out), &len);
	CHECK_STR("not json", l);
	CHECK_INT(8, len);
	l = mgmt_alert_render(tcp, false, out, sizeof(out), &len);
	CHECK(l == tcp && len == strlen(tcp));
}

/* A reply sent as it is written: what was sent is dropped from the front,
 * the rest still renders in place, the pieces joined are the whole body. */
static void test_reply_streamed(void)
{
	static const char *const want[2] = {
		"{\"node\":\"a\",\"vrrp\":{\"priority\":150,\"preempt\":true},"
		"\"rules\":[{\"sid\":-1,\"msg\":\"x\\\"y\"},\"plain\"]}\n",
		"node: a\nvrrp:\n  priority: 150\n  preempt: true\nrules:\n  -\n"
		"    sid: -1\n    msg: x\"y\n  - plain\n",
	};

	for (int json = 1; json >= 0; json--) {
		struct mgmt_reply r;
		char all[512] = "";
		const char *b;
		size_t n = 0;

		CHECK_INT(0, mgmt_reply_init(&r, json));
		mgmt_reply_str(&r, "node", "a");
		mgmt_reply_obj_open(&r, "vrrp");
		mgmt_reply_uint(&r, "priority", 150);
		b = mgmt_reply_sofar(&r, &n);
		strncat(all, b, n);
		mgmt_reply_consume(&r, n);
		b = mgmt_reply_sofar(&r, &n);
		CHECK_INT(0, (long)n);
		mgmt_reply_bool(&r, "preempt", true);
		mgmt_reply_obj_close(&r);
		mgmt_reply_arr_open(&r, "rules");
		mgmt_reply_obj_open(&r, NULL);
		mgmt_reply_int(&r, "sid", -1);
		b = mgmt_reply_sofar(&r, &n);
		/* part of what is written: the rest stays for later */
		strncat(all, b, n - 2);
		mgmt_reply_consume(&r, n - 2);
		mgmt_reply_str(&r, "msg", "x\"y");
		mgmt_reply_obj_close(&r);
		mgmt_reply_str(&r, NULL, "plain");
		mgmt_reply_arr_close(&r);
		b = mgmt_reply_body(&r, &n);
		strncat(all, b, n);
		CHECK_STR(want[!json], all);
		mgmt_reply_release(&r);
	}
}

int main(void)
{
	test_frames();
	test_requests();
	test_reply();
	test_reply_streamed();
	test_conf_redact();
	test_conf();
	test_match();
	test_fast();
	return check_result("mgmt-unit");
}
