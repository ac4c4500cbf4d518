/* SPDX-License-Identifier: MIT */
/* Unit tests for eve_applayer.c: the app-layer part of alert records
 * ("tx_id", "app_proto", and the http, tls and dns objects), compared byte
 * for byte with what Suricata writes. */
#include <string.h>

#include "check.h"
#include "common/json.h"
#include "dataplane/output/eve-int.h"

static char out[2048];

/* The members eve_put_app writes with alert options opt, inside braces. */
static const char *render_opt(const struct eve_app *app, const struct eve_options *opt)
{
	struct json_w j;

	json_init(&j, out, sizeof(out) - 1);
	json_obj_open(&j, NULL);
	eve_put_app(&j, app, opt);
	json_obj_close(&j);
	CHECK(json_ok(&j));
	out[json_len(&j)] = '\0';
	return out;
}

static const char *render(const struct eve_app *app)
{
	static const struct eve_options none;

	return render_opt(app, &none);
}

static void test_http(void)
{
	struct eve_app a = { .proto = APP_PROTO_HTTP, .has_tx = true, .tx_id = 3, .has_http = true };

	a.http = (struct app_http_info){
		.hostname = "www.example.com", .url = "/a?b=\"c\"", .user_agent = "curl/8",
		.method = "GET", .protocol = "HTTP/1.1", .content_type = "text/html",
		.status = 200, .length = 512, .port = -1,
	};
	CHECK_STR("{\"tx_id\":3,\"app_proto\":\"http\",\"http\":{\"hostname\":\"www.example.com\","
		  "\"url\":\"/a?b=\\\"c\\\"\",\"http_user_agent\":\"curl/8\","
		  "\"http_content_type\":\"text/html\",\"http_method\":\"GET\","
		  "\"protocol\":\"HTTP/1.1\",\"status\":200,\"length\":512}}", render(&a));

	/* request only: no status, no length */
	a.http = (struct app_http_info){ .hostname = "h", .url = "/", .method = "POST",
					 .status = -1, .length = -1, .port = -1 };
	CHECK_STR("{\"tx_id\":3,\"app_proto\":\"http\",\"http\":{\"hostname\":\"h\",\"url\":\"/\","
		  "\"http_method\":\"POST\"}}", render(&a));

	/* the basic fields of Suricata 7 besides: port, xff, content_range, and
	 * the extended redirect */
	a.http = (struct app_http_info){ .hostname = "h", .port = 8080, .x_forwarded_for = "1.2.3.4",
					 .content_range = "bytes */100", .range_start = -1,
					 .range_end = -1, .range_size = 100, .status = 302,
					 .redirect = "/n", .length = -1 };
	CHECK_STR("{\"tx_id\":3,\"app_proto\":\"http\",\"http\":{\"hostname\":\"h\","
		  "\"http_port\":8080,\"xff\":\"1.2.3.4\",\"content_range\":{\"raw\":"
		  "\"bytes */100\",\"size\":100},\"status\":302,\"redirect\":\"/n\"}}",
		  render(&a));

	/* a packet alert on an HTTP flow: the protocol only */
	a = (struct eve_app){ .proto = APP_PROTO_HTTP };
	CHECK_STR("{\"app_proto\":\"http\"}", render(&a));
	a.proto = APP_PROTO_FAILED;
	CHECK_STR("{\"app_proto\":\"failed\"}", render(&a));
	a.proto = APP_PROTO_UNKNOWN;
	CHECK_STR("{}", render(&a));
}

static void test_tls(void)
{
	struct eve_app a = { .proto = APP_PROTO_TLS, .has_tx = true, .has_tls = true };

	a.tls = (struct app_tls_info){
		.sni = "example.org", .version = "TLS 1.2", .subject = "CN=example.org",
		.issuer = "CN=CA", .serial = "01:02", .fingerprint = "aa:bb",
		.ja3_hash = "0123", .ja3_string = "771,1-2,0,,",
	};
	CHECK_STR("{\"tx_id\":0,\"app_proto\":\"tls\",\"tls\":{\"subject\":\"CN=example.org\","
		  "\"issuerdn\":\"CN=CA\",\"serial\":\"01:02\",\"fingerprint\":\"aa:bb\","
		  "\"sni\":\"example.org\",\"version\":\"TLS 1.2\","
		  "\"ja3\":{\"hash\":\"0123\",\"string\":\"771,1-2,0,,\"}}}", render(&a));
	a.tls = (struct app_tls_info){ .version = "TLS 1.3", .ja3s_hash = "ff" };
	CHECK_STR("{\"tx_id\":0,\"app_proto\":\"tls\",\"tls\":{\"version\":\"TLS 1.3\","
		  "\"ja3s\":{\"hash\":\"ff\"}}}", render(&a));
}

static void test_dns(void)
{
	struct eve_app a = { .proto = APP_PROTO_DNS, .has_tx = true, .tx_id = 1,
			     .has_dns = true };

	/* a query: Suricata 7's "query" list of one object per question */
	a.dns = (struct app_dns_info){ .rrname = "www.example.com", .rrtype = 1, .id = 0x1234,
				       .flags = 0x0100 };
	CHECK_STR("{\"tx_id\":1,\"app_proto\":\"dns\",\"dns\":{\"query\":[{\"type\":\"query\","
		  "\"id\":4660,\"rrname\":\"www.example.com\",\"rrtype\":\"A\",\"tx_id\":1,"
		  "\"opcode\":0}]}}", render(&a));
	/* z flag and an opcode, an unnamed record type as its number in a
	 * string (Suricata's dns_rrtype_string) */
	a.dns = (struct app_dns_info){ .rrname = "x", .rrtype = 999, .id = 1,
				       .flags = 0x2840, .opcode = 5 };
	CHECK_STR("{\"tx_id\":1,\"app_proto\":\"dns\",\"dns\":{\"query\":[{\"type\":\"query\","
		  "\"id\":1,\"rrname\":\"x\",\"rrtype\":\"999\",\"tx_id\":1,\"z\":true,"
		  "\"opcode\":5}]}}", render(&a));
	/* a response: the answer object, version 2, flags in hex */
	a.dns = (struct app_dns_info){ .rrname = "nx.example", .rrtype = 28, .id = 7,
				       .flags = 0x8183, .response = true, .rcode = 3 };
	CHECK_STR("{\"tx_id\":1,\"app_proto\":\"dns\",\"dns\":{\"query\":[],\"answer\":{"
		  "\"version\":2,\"type\":\"answer\",\"id\":7,\"flags\":\"8183\",\"qr\":true,"
		  "\"rd\":true,\"ra\":true,\"opcode\":0,\"rrname\":\"nx.example\","
		  "\"rrtype\":\"AAAA\",\"rcode\":\"NXDOMAIN\"}}}", render(&a));
	a.dns.rcode = 14;
	a.dns.flags = 0x840e;
	a.dns.rrname = NULL;
	CHECK_STR("{\"tx_id\":1,\"app_proto\":\"dns\",\"dns\":{\"query\":[],\"answer\":{"
		  "\"version\":2,\"type\":\"answer\",\"id\":7,\"flags\":\"840e\",\"qr\":true,"
		  "\"aa\":true,\"opcode\":0,\"rcode\":\"14\"}}}", render(&a));
}

/* Alert http-body / http-body-printable: each side's buffered body, at
 * the end of the http object, printable before base64 (Suricata's order). */
static void test_http_bodies(void)
{
	struct eve_app a = { .proto = APP_PROTO_HTTP, .has_http = true };
	struct eve_options opt = { .http_body = true };

	a.http = (struct app_http_info){ .status = -1, .length = -1, .port = -1 };
	a.http.body[0] = (const uint8_t *)"a=1";
	a.http.body_len[0] = 3;
	a.http.body[1] = (const uint8_t *)"<p>\x01";
	a.http.body_len[1] = 4;
	CHECK_STR("{\"app_proto\":\"http\",\"http\":{\"http_request_body\":\"YT0x\","
		  "\"http_response_body\":\"PHA+AQ==\"}}", render_opt(&a, &opt));
	opt = (struct eve_options){ .http_body_printable = true };
	a.http.body_len[0] = 0;
	CHECK_STR("{\"app_proto\":\"http\",\"http\":{\"http_response_body_printable\":"
		  "\"<p>.\"}}", render_opt(&a, &opt));
	/* neither option: no body */
	CHECK(strstr(render(&a), "body") == NULL);
}

/* Suricata 7's "ssh" object (rust/src/ssh/logger.rs): each side whose
 * banner was read, software_version only when not empty, "hassh" only when
 * computed; on an alert of a packet rule, without tx_id. */
static void test_ssh(void)
{
	struct eve_app a = { .proto = APP_PROTO_SSH, .has_tx = true, .has_ssh = true };

	a.ssh.side[0] = (struct app_ssh_side){ .proto = "2.0", .proto_len = 3,
					       .software = "PuTTY_0.70", .software_len = 10,
					       .hassh = "0123456789abcdef0123456789abcdef",
					       .hassh_string = "k;e;m;c", .hassh_string_len = 7 };
	a.ssh.side[1] = (struct app_ssh_side){ .proto = "1.99", .proto_len = 4, .software = "",
					       .software_len = 0 };
	CHECK_STR("{\"tx_id\":0,\"app_proto\":\"ssh\",\"ssh\":{\"client\":{\"proto_version\":"
		  "\"2.0\",\"software_version\":\"PuTTY_0.70\",\"hassh\":{\"hash\":"
		  "\"0123456789abcdef0123456789abcdef\",\"string\":\"k;e;m;c\"}},\"server\":"
		  "{\"proto_version\":\"1.99\"}}}", render(&a));

	/* the server's banner only, on a packet alert */
	a.has_tx = false;
	a.ssh.side[0] = (struct app_ssh_side){ 0 };
	a.ssh.side[1] = (struct app_ssh_side){ .proto = "2.0", .proto_len = 3,
					       .software = "OpenSSH_9.6", .software_len = 11 };
	CHECK_STR("{\"app_proto\":\"ssh\",\"ssh\":{\"server\":{\"proto_version\":\"2.0\","
		  "\"software_version\":\"OpenSSH_9.6\"}}}", render(&a));
}

int main(void)
{
	test_ssh();
	test_http();
	test_http_bodies();
	test_tls();
	test_dns();
	return check_result("eve_applayer");
}
