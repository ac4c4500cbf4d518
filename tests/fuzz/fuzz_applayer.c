/* SPDX-License-Identifier: MIT */
/* Fuzz target for the app-layer parsers (detection, HTTP through libhtp,
 * TLS, DNS over TCP and UDP), fed as the stream feeds them. Input: byte 0
 * picks the flow (TCP to 80, 443, 53 or 8080, UDP to 53) and when
 * detection marks transactions inspected; then chunks, each a header byte
 * (bit 7: to client; low 7 bits: length, 0 ends that direction, 127 the
 * rest of the input) and its bytes. After each chunk every buffer of every
 * transaction is read (app_visit.h). Seeds: HTTP (pipelined, chunked,
 * gzip bodies, 100-continue), TLS hellos, encrypted records and heartbeats,
 * SSLv2 records, DNS queries and answers, an FTP control connection (PORT,
 * PASV, EPSV, EPRT, RETR/STOR, multi-line and preliminary replies), an SMTP
 * session (pipelining, a refused DATA, a MIME mail, BDAT, STARTTLS). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "fuzz.h"
#include "app_visit.h"

struct flow_kind {
	uint8_t ipproto;
	uint16_t cport, sport;
};

static const struct flow_kind kinds[] = {
	{ 6, 40000, 80 }, { 6, 40001, 443 }, { 6, 40002, 53 }, { 17, 40003, 53 },
	{ 6, 40004, 8080 },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static struct applayer_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct flow_kind *k;
	struct app_flow *af;
	uint8_t mode;
	size_t off = 1;

	if (size < 1)
		return 0;
	if (ctx == NULL && (ctx = fuzz_applayer_ctx()) == NULL)
		abort();
	k = &kinds[data[0] % NKINDS];
	mode = data[0] / NKINDS % 3;
	af = app_flow_new(ctx, k->ipproto, k->cport, k->sport);
	if (af == NULL)
		abort();
	while (off < size) {
		uint8_t h = data[off++];
		enum app_dir dir = h & 0x80 ? APP_TO_CLIENT : APP_TO_SERVER;
		size_t n = h & 0x7f;

		if (n == 0) {
			app_flow_eof(ctx, af, dir);
		} else {
			if (n == 0x7f || n > size - off)
				n = size - off;
			app_flow_data(ctx, af, dir, data + off, (uint32_t)n, 1000000u + off);
			off += n;
		}
		app_visit(ctx, af);
		/* as detection would: both directions, this one, or not yet */
		if (mode == 0)
			app_flow_inspected(ctx, af);
		else if (mode == 1)
			app_flow_inspected_dir(ctx, af, dir);
	}
	app_flow_eof(ctx, af, APP_TO_SERVER);
	app_flow_eof(ctx, af, APP_TO_CLIENT);
	app_visit(ctx, af);
	app_flow_free(ctx, af);
	return 0;
}

static void fini(void)
{
	applayer_ctx_destroy(ctx);
	ctx = NULL;
}

/* ---- seeds ------------------------------------------------------------ */

struct msg {
	enum app_dir dir;
	const void *p;
	size_t len;
};

/* Encodes messages as chunks of at most step bytes. */
static void add_flow(fuzz_add_fn add, uint8_t kind, size_t step, const struct msg *m, int n)
{
	static uint8_t buf[8192];
	size_t len = 0;

	buf[len++] = kind;
	for (int i = 0; i < n; i++) {
		const uint8_t *p = m[i].p;

		for (size_t o = 0; o < m[i].len; o += step) {
			size_t c = m[i].len - o < step ? m[i].len - o : step;

			if (len + c + 1 > sizeof(buf))
				return;
			buf[len++] = (uint8_t)((m[i].dir == APP_TO_CLIENT ? 0x80 : 0) | c);
			memcpy(buf + len, p + o, c);
			len += c;
		}
	}
	add(buf, len);
}

#define S(dir, s) { dir, s, sizeof(s) - 1 }

static const char get_req[] =
	"GET /a/../b/%41x.php?q=1&r=%u0041 HTTP/1.1\r\nHost: WWW.Example.com:8080\r\n"
	"User-Agent: fuzz\r\nAccept: */*\r\nAccept-Language: en\r\nAccept-Encoding: gzip\r\n"
	"Cookie: a=1; b=2\r\nReferer: http://x/\r\nX-Forwarded-For: 10.0.0.1, 10.0.0.2\r\n"
	"Connection: keep-alive\r\n\r\n";
static const char chunked_resp[] =
	"HTTP/1.1 200 OK\r\nServer: nginx\r\nTransfer-Encoding: chunked\r\n"
	"Content-Type: text/html\r\n"
	"Set-Cookie: s=1\r\nLocation: /x\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n"
	"Trailer: x\r\n\r\n";
static const char pipelined[] =
	"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /2 HTTP/1.0\r\n\r\n"
	"POST /3 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nx=1&y";
static const char resp_len[] =
	"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.0 404 Not Found\r\n\r\n"
	"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n";
static const char expect_req[] =
	"PUT /up HTTP/1.1\r\nHost: b\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
static const char multipart_req[] =
	"POST /form HTTP/1.1\r\nHost: m\r\nContent-Type: multipart/form-data; boundary=\"Bd\"\r\n"
	"Content-Length: 144\r\n\r\n"
	"--Bd\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nfield\r\n"
	"--Bd\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a;b.txt\"\r\n\r\n"
	"x\r\n--B\r\r\n--Bd--\r\n";
static const char disposition_resp[] =
	"HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"r\\\"q.pdf\"; x=1\r\n"
	"Content-Range: bytes 0-3/9\r\nContent-Length: 4\r\n\r\n%PDF";
static const char http09[] = "GET /\r\n";
static const char connect_req[] = "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example\r\n\r\n";

/* ClientHello: TLS 1.2 record, SNI www.example.com, ALPN h2/http1.1,
 * supported groups, point formats, signature algorithms. */
static const uint8_t client_hello[] = {
	0x16, 0x03, 0x01, 0x00, 0x6d,
	0x01, 0x00, 0x00, 0x69, 0x03, 0x03,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
	0x00, 0x00, 0x04, 0xc0, 0x2f, 0x00, 0x9c, 0x01, 0x00,
	0x00, 0x3c,
	0x00, 0x00, 0x00, 0x14, 0x00, 0x12, 0x00, 0x00, 0x0f,
	'w', 'w', 'w', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
	0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 'h', '2', 0x08,
	'h', 't', 't', 'p', '/', '1', '.', '1',
	0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,
	0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,
	0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x01,
};
/* ServerHello (ALPN h2), a Certificate message with one bogus certificate,
 * ServerHelloDone, then an alert record. */
static const uint8_t server_flight[] = {
	0x16, 0x03, 0x03, 0x00, 0x35,
	0x02, 0x00, 0x00, 0x31, 0x03, 0x03,
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	0x00, 0xc0, 0x2f, 0x00,
	0x00, 0x09, 0x00, 0x10, 0x00, 0x05, 0x00, 0x03, 0x02, 'h', '2',
	0x16, 0x03, 0x03, 0x00, 0x13,
	0x0b, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x09,
	0x30, 0x07, 0x02, 0x01, 0x01, 0x30, 0x02, 0x05, 0x00,
	0x16, 0x03, 0x03, 0x00, 0x04, 0x0e, 0x00, 0x00, 0x00,
	0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28,
};
/* DNS: a query for www.example.com A, and its answer with a compressed
 * owner name and a CNAME pointing into the question. */
static const uint8_t dns_query[] = {
	0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	0x00, 0x01, 0x00, 0x01,
};
static const uint8_t dns_answer[] = {
	0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	0x00, 0x01, 0x00, 0x01,
	0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x05,
	2, 'c', 'n', 0xc0, 0x10,
	0xc0, 0x2d, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, 192, 0, 2, 1,
};

/* After the hellos: ChangeCipherSpec, an encrypted heartbeat each way, an
 * application data record, then SSLv2 records (an ERROR, a length 0). */
static const uint8_t tls_encrypted[] = {
	0x14, 0x03, 0x03, 0x00, 0x01, 0x01,
	0x18, 0x03, 0x03, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8,
	0x17, 0x03, 0x03, 0x00, 0x04, 9, 9, 9, 9,
	0x80, 0x03, 0x00, 0x00, 0x01, 0x80, 0x00, 0x01, 0x00,
};
static const uint8_t tls_heartbeat_reply[] = {
	0x18, 0x03, 0x03, 0x00, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8,
	0x16, 0x03, 0x03, 0x00, 0x00, 0x16, 0x03, 0x03, 0x00, 0x00,
};
static const char smtp_mail[] =
	"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
	"Content-Disposition: attachment; filename=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaa.txt\"\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJD\r\n--b1--\r\n.\r\n";

static void seeds(fuzz_add_fn add)
{
	static const char body[] = "user=admin&password=hunter2&note=xxxxxxxxxxxxxxxxxxxxxxxx";
	static uint8_t gz_req[512], tcp_q[2 + sizeof(dns_query)], tcp_a[2 + sizeof(dns_answer)];
	char hdr[128];
	uLongf zlen = 256;
	int hlen;

	{
		struct msg m[] = { S(APP_TO_SERVER, get_req), S(APP_TO_CLIENT, chunked_resp) };

		add_flow(add, 0, 100, m, 2);
		add_flow(add, 4 + NKINDS, 7, m, 2);
		add_flow(add, 2 * NKINDS, 126, m, 2);
	}
	{
		struct msg m[] = { S(APP_TO_SERVER, pipelined), S(APP_TO_CLIENT, resp_len),
				   S(APP_TO_SERVER, expect_req), S(APP_TO_CLIENT, resp_len),
				   S(APP_TO_SERVER, "abcd") };

		add_flow(add, 0, 40, m, 5);
	}
	{
		/* files: a multipart upload, a response named by Content-Disposition */
		struct msg m[] = { S(APP_TO_SERVER, multipart_req), S(APP_TO_CLIENT, disposition_resp) };

		add_flow(add, 0, 9, m, 2);
		add_flow(add, NKINDS, 126, m, 2);
	}
	{
		struct msg m[] = { S(APP_TO_SERVER, http09), S(APP_TO_SERVER, connect_req),
				   S(APP_TO_CLIENT, "HTTP/1.1 200 Connected\r\n\r\n") };

		add_flow(add, 4, 126, m, 3);
	}
	/* a zlib-wrapped request body (Content-Encoding: deflate) */
	if (compress2(gz_req + 128, &zlen, (const Bytef *)body, sizeof(body) - 1, 9) == Z_OK) {
		struct msg m[2] = { { 0 }, S(APP_TO_CLIENT, "HTTP/1.1 204 No Content\r\n\r\n") };

		hlen = snprintf(hdr, sizeof(hdr), "POST /f HTTP/1.1\r\nHost: z\r\n"
				"Content-Encoding: deflate\r\nContent-Length: %lu\r\n\r\n",
				(unsigned long)zlen);
		memcpy(gz_req + 128 - hlen, hdr, (size_t)hlen);
		m[0] = (struct msg){ APP_TO_SERVER, gz_req + 128 - hlen, (size_t)hlen + zlen };
		add_flow(add, 0, 50, m, 2);
	}
	{
		struct msg m[] = { { APP_TO_SERVER, client_hello, sizeof(client_hello) },
				   { APP_TO_CLIENT, server_flight, sizeof(server_flight) } };

		add_flow(add, 1, 126, m, 2);
		add_flow(add, 1 + NKINDS, 3, m, 2);
	}
	{
		struct msg m[] = { { APP_TO_SERVER, dns_query, sizeof(dns_query) },
				   { APP_TO_CLIENT, dns_answer, sizeof(dns_answer) } };

		add_flow(add, 3, 126, m, 2);
	}
	{
		struct msg m[] = {
			S(APP_TO_CLIENT, "220-welcome\r\n to the server\r\n220 ready\r\n"),
			S(APP_TO_SERVER, "USER anonymous\r\nPASS x@\r\n"),
			S(APP_TO_CLIENT, "331 pass\r\n230 in\r\n"),
			S(APP_TO_SERVER, "PORT 10,0,0,1,4,1\r\nRETR a\r\n"),
			S(APP_TO_CLIENT, "200 ok\r\n150 go\r\n226 done\r\n"),
			S(APP_TO_SERVER, "PASV\r\n"),
			S(APP_TO_CLIENT, "227 Entering Passive Mode (10,0,0,2,195,80)\r\n"),
			S(APP_TO_SERVER, "STOR b\r\nEPSV\r\n"),
			S(APP_TO_CLIENT, "150 go\r\n226 done\r\n229 Extended (|||50001|)\r\n"),
			S(APP_TO_SERVER, "EPRT |2|::1|6446|\r\nRETR c\r\nQUIT\r\n"),
			S(APP_TO_CLIENT, "200 ok\r\n425 no\r\n221 bye\r\n"),
		};

		add_flow(add, 4, 9, m, 11);
	}
	{
		struct msg m[] = { { APP_TO_SERVER, client_hello, sizeof(client_hello) },
				   { APP_TO_CLIENT, server_flight, sizeof(server_flight) },
				   { APP_TO_SERVER, tls_encrypted, sizeof(tls_encrypted) },
				   { APP_TO_CLIENT, tls_heartbeat_reply,
				     sizeof(tls_heartbeat_reply) } };

		add_flow(add, 1, 126, m, 4);
	}
	{
		struct msg m[] = {
			S(APP_TO_CLIENT, "220 mx ESMTP\r\n"),
			S(APP_TO_SERVER, "EHLO c\r\n"),
			S(APP_TO_CLIENT, "250-mx\r\n250 CHUNKING\r\n"),
			S(APP_TO_SERVER, "HELO c\r\nMAIL FROM:<a@c>\r\nMAIL FROM:<b@c>\r\n"),
			S(APP_TO_CLIENT, "250 ok\r\n250 ok\r\n250 ok\r\n"),
			S(APP_TO_SERVER, "DATA\r\n"),
			S(APP_TO_CLIENT, "451 later\r\n"),
			S(APP_TO_SERVER, "DATA\r\n"),
			S(APP_TO_CLIENT, "354 go\r\n"),
			S(APP_TO_SERVER, smtp_mail),
			S(APP_TO_CLIENT, "250 ok\r\n"),
			S(APP_TO_SERVER, "BDAT 6 LAST\r\nabcd\r\n"),
			S(APP_TO_CLIENT, "250 ok\r\n"),
			S(APP_TO_SERVER, "STARTTLS\r\nSTARTTLS\r\n"),
			S(APP_TO_CLIENT, "220 go\r\n220 go\r\n"),
		};

		add_flow(add, 4, 126, m, 15);
		add_flow(add, 4 + NKINDS, 5, m, 15);
	}
	tcp_q[1] = sizeof(dns_query);
	memcpy(tcp_q + 2, dns_query, sizeof(dns_query));
	tcp_a[1] = sizeof(dns_answer);
	memcpy(tcp_a + 2, dns_answer, sizeof(dns_answer));
	{
		struct msg m[] = { { APP_TO_SERVER, tcp_q, sizeof(tcp_q) },
				   { APP_TO_CLIENT, tcp_a, sizeof(tcp_a) } };

		add_flow(add, 2, 10, m, 2);
	}
}

const struct fuzz_target fuzz_target = {
	.name = "applayer",
	.max_len = 8192,
	.seeds = seeds,
	.fini = fini,
};
