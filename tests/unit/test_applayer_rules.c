// SPDX-License-Identifier: MIT
/* App-layer rule keywords: header protocols, sticky buffers, legacy
 * modifiers, pcre buffer flags, urilen, app-layer-protocol, tls.version,
 * dns.opcode, dotprefix, and the errors for rules mixing protocols. */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "tests/unit/check.h"

static struct rule_env *env;
static char err[256];

static struct rule *parse(const char *s)
{
	err[0] = '\0';
	return rule_parse(env, s, err, sizeof(err));
}

static void test_headers(void)
{
	struct rule *r = parse("alert http any any -> any any (msg:\"x\"; sid:1;)");

	CHECK(r != NULL);
	CHECK_INT(RULE_PROTO_TCP, r->proto);
	CHECK_INT(APP_PROTO_HTTP, r->app_proto);
	rule_free(r);
	r = parse("alert dns any any -> any any (sid:2;)");
	CHECK_INT(RULE_PROTO_IP, r->proto);
	CHECK_INT(APP_PROTO_DNS, r->app_proto);
	rule_free(r);
	r = parse("alert tls any any -> any any (sid:3;)");
	CHECK_INT(APP_PROTO_TLS, r->app_proto);
	rule_free(r);
	r = parse("alert tcp any any -> any any (content:\"a\"; sid:4;)");
	CHECK_INT(APP_PROTO_UNKNOWN, r->app_proto);
	rule_free(r);
	/* detected only: a tcp rule on flows of that protocol */
	r = parse("alert smtp any any -> any any (content:\"EHLO\"; sid:5;)");
	CHECK_INT(RULE_PROTO_TCP, r->proto);
	CHECK_INT(APP_PROTO_SMTP, r->app_proto);
	rule_free(r);
	r = parse("alert dcerpc any any -> any any (sid:6;)");
	CHECK_INT(APP_PROTO_DCERPC, r->app_proto);
	rule_free(r);
	r = parse("alert tcp any any -> any any (app-layer-protocol:smb; sid:8;)");
	CHECK_INT(APP_PROTO_SMB, r->alp);
	rule_free(r);
	/* ftp-data: a data connection an FTP control connection announced */
	r = parse("alert ftp-data any any -> any any (content:\"x\"; sid:7;)");
	CHECK(r != NULL && r->proto == RULE_PROTO_TCP && r->app_proto == APP_PROTO_FTPDATA);
	rule_free(r);
	r = parse("alert tcp any any -> any any (app-layer-protocol:ftp-data; sid:7;)");
	CHECK(r != NULL && r->alp == APP_PROTO_FTPDATA);
	rule_free(r);
	/* its parser has a file: another protocol's buffer is a mix */
	CHECK(parse("alert ftp-data any any -> any any (http.uri; content:\"x\"; sid:7;)") == NULL);
	CHECK_STR("rule mixes protocols: http buffer in a ftp-data rule", err);
	/* file_data is its transfer's bytes */
	r = parse("alert ftp-data any any -> any any (file_data; content:\"x\"; file.data; "
		  "content:\"y\"; sid:7;)");
	CHECK(r != NULL && r->nmatch == 2 && r->match[0].buf == RULE_BUF_FTPDATA_FILE_DATA &&
	      r->match[1].buf == RULE_BUF_FTPDATA_FILE_DATA && r->app_proto == APP_PROTO_FTPDATA);
	rule_free(r);
	r = parse("alert ftp-data any any -> any any (filename:\"a.bin\"; sid:7;)");
	CHECK(r != NULL && r->app_proto == APP_PROTO_FTPDATA);
	rule_free(r);
	/* SMTP is parsed: file_data on an smtp rule is its mails' attachments;
	 * another protocol's buffer is a mix */
	r = parse("alert smtp any any -> any any (file_data; content:\"x\"; sid:9;)");
	CHECK(r != NULL && r->nmatch == 1 && r->match[0].buf == RULE_BUF_SMTP_FILE_DATA);
	CHECK(r != NULL && r->app_proto == APP_PROTO_SMTP);
	rule_free(r);
	CHECK(parse("alert smtp any any -> any any (http.uri; content:\"x\"; sid:10;)") == NULL);
	CHECK_STR("rule mixes protocols: http buffer in a smtp rule", err);
	/* no parser: app-layer buffers and keywords are refused, never ignored */
	CHECK(parse("alert smb any any -> any any (content:\"x\"; http_uri; sid:11;)") == NULL);
	CHECK_STR("unsupported app-layer keyword on smb (needs the SMB parser)", err);
	/* FTP is parsed: ftpbounce makes an ftp rule, inspected to the server;
	 * another protocol's keyword is a mix */
	CHECK(parse("alert ftp any any -> any any (urilen:5; sid:12;)") == NULL);
	CHECK_STR("rule mixes protocols: urilen keyword in a ftp rule", err);
	r = parse("alert tcp any any -> any 21 (content:\"PORT\"; ftpbounce; sid:13;)");
	CHECK(r != NULL && r->app_proto == APP_PROTO_FTP && (r->app_has & RULE_APP_HAS_FTPBOUNCE));
	rule_free(r);
	CHECK(parse("alert http any any -> any any (ftpbounce; sid:13;)") == NULL);
	CHECK_STR("rule mixes protocols: ftpbounce keyword in a http rule", err);
	CHECK(parse("alert ftp any any -> any any (ftpbounce:1; sid:13;)") == NULL);
	CHECK_STR("keyword 'ftpbounce' takes no value", err);
	r = parse("alert ssh any any -> any any (content:\"a\"; pkt_data; content:\"b\"; sid:14;)");
	CHECK_INT(APP_PROTO_SSH, r->app_proto);
	rule_free(r);
}

static void test_sticky(void)
{
	struct rule *r = parse("alert http any any -> any any (http.method; content:\"GET\"; "
			       "http.uri; content:\"/a\"; content:\"b\"; distance:0; pkt_data; "
			       "content:\"raw\"; sid:10;)");

	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_INT(4, r->nmatch);
	CHECK_INT(RULE_BUF_HTTP_METHOD, r->match[0].buf);
	CHECK_INT(RULE_BUF_HTTP_URI, r->match[1].buf);
	CHECK_INT(RULE_BUF_HTTP_URI, r->match[2].buf);
	CHECK_INT(RULE_BUF_PAYLOAD, r->match[3].buf);
	CHECK(r->app_bufs == (1ull << RULE_BUF_HTTP_METHOD | 1ull << RULE_BUF_HTTP_URI |
			      1ull << RULE_BUF_PAYLOAD));
	rule_free(r);

	/* legacy modifiers move the content before them; the rule becomes HTTP */
	r = parse("alert tcp any any -> any any (content:\"/x\"; http_uri; content:\"POST\"; "
		  "http_method; content:\"c=1\"; http_cookie; sid:11;)");
	CHECK(r != NULL);
	CHECK_INT(RULE_BUF_HTTP_URI, r->match[0].buf);
	CHECK_INT(RULE_BUF_HTTP_METHOD, r->match[1].buf);
	CHECK_INT(RULE_BUF_HTTP_COOKIE, r->match[2].buf);
	CHECK_INT(APP_PROTO_HTTP, r->app_proto);
	CHECK_INT(RULE_PROTO_TCP, r->proto);
	rule_free(r);

	r = parse("alert tls any any -> any any (tls_sni; content:\"evil\"; ja3_hash; "
		  "content:\"e7d705a3286e19ea42f587b344ee6865\"; tls.cert_subject; content:\"CN=\"; "
		  "sid:12;)");
	CHECK(r != NULL);
	CHECK_INT(RULE_BUF_TLS_SNI, r->match[0].buf);
	CHECK_INT(RULE_BUF_JA3_HASH, r->match[1].buf);
	CHECK_INT(RULE_BUF_TLS_CERT_SUBJECT, r->match[2].buf);
	rule_free(r);

	r = parse("alert dns any any -> any any (dns.query; dotprefix; content:\".evil.com\"; "
		  "endswith; sid:13;)");
	CHECK(r != NULL);
	CHECK_INT(1, r->nxchain);
	CHECK_INT(RULE_BUF_DNS_QUERY, r->xchain[0].buf);
	CHECK_INT(1, r->xchain[0].n);
	CHECK_INT(XFORM_DOTPREFIX, r->xchain[0].x[0].kind);
	CHECK_INT(1, r->match[0].xf);
	rule_free(r);
	CHECK(parse("alert dns any any -> any any (dotprefix; content:\"x\"; sid:14;)") == NULL);
	CHECK_STR("dotprefix needs a sticky buffer before it", err);

	/* tls.fingerprint: a content on the certificate's fingerprint, lower case */
	r = parse("alert tls any any -> any any (tls.fingerprint:\"AB:cd\"; sid:15;)");
	CHECK(r != NULL);
	CHECK_INT(RULE_BUF_TLS_CERT_FINGERPRINT, r->match[0].buf);
	CHECK(memcmp(r->match[0].content.pat, "ab:cd", 5) == 0);
	rule_free(r);
	r = parse("alert http any any -> any any (uricontent:\"/u\"; sid:16;)");
	CHECK(r != NULL);
	CHECK_INT(RULE_BUF_HTTP_URI, r->match[0].buf);
	rule_free(r);
}

static void test_errors(void)
{
	CHECK(parse("alert dns any any -> any any (http.uri; content:\"a\"; sid:20;)") == NULL);
	CHECK_STR("rule mixes protocols: http buffer in a dns rule", err);
	CHECK(parse("alert http any any -> any any (http.uri; content:\"a\"; tls.sni; "
		    "content:\"b\"; sid:21;)") == NULL);
	CHECK_STR("rule mixes protocols: tls buffer in a http rule", err);
	CHECK(parse("alert http any any -> any any (http_uri; sid:22;)") == NULL);
	CHECK_STR("http_uri needs a preceding content", err);
	CHECK(parse("alert http any any -> any any (http.uri:1; sid:23;)") == NULL);
	CHECK_STR("keyword 'http.uri' takes no value", err);
	CHECK(parse("alert http any any -> any any (urilen:abc; sid:24;)") == NULL);
	CHECK_STR("invalid urilen: 'abc'", err);
	CHECK(parse("alert tcp any any -> any any (app-layer-protocol:nfs; sid:25;)") == NULL);
	CHECK_STR("unsupported app-layer-protocol 'nfs'", err);
	CHECK(parse("alert tls any any -> any any (tls.version:9; sid:26;)") == NULL);
	CHECK_STR("invalid tls.version: '9'", err);
	CHECK(parse("alert http any any -> any any (content:\"a\"; http.uri; content:\"b\"; "
		    "http_method; sid:27;)") == NULL);
	CHECK_STR("http_method can't modify a content of another buffer", err);
}

static void test_values(void)
{
	struct rule *r = parse("alert http any any -> any any (urilen:5<>10,raw; sid:30;)");

	CHECK(r != NULL);
	CHECK_INT(RULE_APP_HAS_URILEN | RULE_APP_HAS_URILEN_RAW, r->app_has);
	CHECK_INT(U32_RANGE, r->urilen.op);
	CHECK_INT(5, r->urilen.a);
	CHECK_INT(10, r->urilen.b);
	rule_free(r);
	r = parse("alert tcp any any -> any any (app-layer-protocol:!tls; sid:31;)");
	CHECK_INT(APP_PROTO_TLS, r->alp);
	CHECK(r->alp_neg);
	CHECK_INT(APP_PROTO_UNKNOWN, r->app_proto);
	rule_free(r);
	r = parse("alert tls any any -> any any (tls.version:1.2; sid:32;)");
	CHECK_INT(0x0303, r->tls_version);
	rule_free(r);
	/* ftpdata_command: retr or stor, lower case; implies ftp-data */
	r = parse("alert tcp any any -> any any (ftpdata_command: stor ; sid:38;)");
	CHECK(r != NULL && r->ftpdata_cmd == RULE_FTPDATA_STOR &&
	      r->app_proto == APP_PROTO_FTPDATA && r->app_has == RULE_APP_HAS_FTPDATA_CMD);
	rule_free(r);
	r = parse("alert ftp-data any any -> any any (ftpdata_command:retr; sid:39;)");
	CHECK(r != NULL && r->ftpdata_cmd == RULE_FTPDATA_RETR);
	rule_free(r);
	CHECK(parse("alert ftp-data any any -> any any (ftpdata_command:RETR; sid:40;)") == NULL);
	CHECK_STR("invalid ftpdata_command: 'RETR' (retr or stor)", err);
	CHECK(parse("alert ftp-data any any -> any any (ftpdata_command:retrx; sid:40;)") == NULL);
	CHECK_STR("invalid ftpdata_command: 'retrx' (retr or stor)", err);
	CHECK(parse("alert ftp-data any any -> any any (ftpdata_command;"
		    " sid:40;)") == NULL);
	CHECK_STR("keyword 'ftpdata_command' needs a value", err);
	CHECK(parse("alert tls any any -> any any (ftpdata_command:stor; sid:40;)") == NULL);
	CHECK_STR("rule mixes protocols: ftpdata_command keyword in a tls rule", err);
	/* ssl_state: '|' or ',' between states, '!' negates one; implies tls */
	r = parse("alert tcp any any -> any any (ssl_state: client_hello | !server_keyx,"
		  "client_keyx; sid:35;)");
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(RULE_SSL_ST_CLIENT_HELLO | RULE_SSL_ST_SERVER_KEYX |
			  RULE_SSL_ST_CLIENT_KEYX, r->ssl_states);
		CHECK_INT(RULE_SSL_ST_SERVER_KEYX, r->ssl_negated);
		CHECK_INT(RULE_APP_HAS_SSL_STATE, r->app_has);
		CHECK_INT(APP_PROTO_TLS, r->app_proto);
	}
	rule_free(r);
	r = parse("alert tls any any -> any any (ssl_state:unknown; sid:36;)");
	CHECK(r != NULL && r->ssl_states == RULE_SSL_ST_UNKNOWN && r->ssl_negated == 0);
	rule_free(r);
	CHECK(parse("alert tls any any -> any any (ssl_state:client; sid:37;)") == NULL);
	CHECK_STR("invalid ssl_state option 'client'", err);
	CHECK(parse("alert tls any any -> any any (ssl_state:!; sid:37;)") == NULL);
	CHECK_STR("invalid ssl_state: '!'", err);
	CHECK(parse("alert tls any any -> any any (ssl_state:server_hello client_hello; "
		    "sid:37;)") == NULL);
	CHECK_STR("invalid ssl_state: 'server_hello client_hello'", err);
	CHECK(parse("alert dns any any -> any any (ssl_state:server_hello; sid:37;)") == NULL);
	CHECK_STR("rule mixes protocols: ssl_state keyword in a dns rule", err);
	r = parse("alert dns any any -> any any (dns.opcode:!0; sid:33;)");
	CHECK_INT(U32_NE, r->dns_opcode.op);
	CHECK_INT(RULE_APP_HAS_DNS_OPCODE, r->app_has);
	rule_free(r);
	r = parse("alert tcp any any -> any any (pcre:\"/^\\/a/Ui\"; pcre:\"/x/H\"; "
		  "pcre:\"/y/\"; sid:34;)");
	CHECK(r != NULL);
	CHECK_INT(RULE_BUF_HTTP_URI, r->match[0].buf);
	CHECK_INT(RULE_BUF_HTTP_HEADER, r->match[1].buf);
	CHECK_INT(RULE_BUF_PAYLOAD, r->match[2].buf);
	CHECK_INT(APP_PROTO_HTTP, r->app_proto);
	rule_free(r);
	CHECK_STR("dns", rule_app_proto_name(APP_PROTO_DNS));
	CHECK_INT(APP_PROTO_TLS, rule_buffer_app_proto(RULE_BUF_JA3S_STRING));
	CHECK_INT(APP_PROTO_UNKNOWN, rule_buffer_app_proto(RULE_BUF_PAYLOAD));
}

/* ssl_version: the versions named, negated all or none; tls.store makes a
 * TLS rule and is otherwise only remembered (for the load warning). */
static void test_ssl_version_tls_store(void)
{
	struct rule *r = parse("alert tcp any any -> any any (ssl_version: SSLv3, tls1.0 "
			       "tls1.3; sid:1;)");

	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_INT(APP_PROTO_TLS, r->app_proto);
	CHECK(r->app_has & RULE_APP_HAS_SSL_VERSION);
	CHECK_INT((1 << RULE_SSLV_SSL3) | (1 << RULE_SSLV_TLS10) | (1 << RULE_SSLV_TLS13),
		  r->ssl_versions);
	CHECK_INT(0, r->ssl_versions_neg);
	rule_free(r);
	r = parse("alert tls any any -> any any (ssl_version:!sslv2,!tls1.1; sid:2;)");
	CHECK(r != NULL && r->ssl_versions == r->ssl_versions_neg &&
	      r->ssl_versions == ((1 << RULE_SSLV_SSL2) | (1 << RULE_SSLV_TLS11)));
	rule_free(r);
	CHECK(parse("alert tls any any -> any any (ssl_version:tls1.2,!tls1.1; sid:3;)") == NULL);
	CHECK_STR("invalid ssl_version: 'tls1.2,!tls1.1' mixes negated and plain values", err);
	CHECK(parse("alert tls any any -> any any (ssl_version:tls1.2x; sid:3;)") == NULL);
	CHECK_STR("invalid ssl_version: unknown value 'tls1.2x'", err);
	CHECK(parse("alert tls any any -> any any (ssl_version:  ,; sid:3;)") == NULL);
	CHECK_STR("invalid ssl_version: empty value in ','", err);
	CHECK(parse("alert tls any any -> any any (ssl_version:tls1.0,!; sid:3;)") == NULL);
	CHECK_STR("invalid ssl_version: empty value in 'tls1.0,!'", err);
	CHECK(parse("alert dns any any -> any any (ssl_version:tls1.2; sid:3;)") == NULL);
	CHECK_STR("rule mixes protocols: ssl_version keyword in a dns rule", err);

	r = parse("alert tcp any any -> any any (tls.cert_subject; content:\"O=A\"; tls.store; "
		  "sid:4;)");
	CHECK(r != NULL && r->app_proto == APP_PROTO_TLS && (r->flags & RULE_F_TLS_STORE) &&
	      r->nmatch == 1 && r->match[0].buf == RULE_BUF_TLS_CERT_SUBJECT);
	rule_free(r);
	CHECK(parse("alert tcp any any -> any any (tls.store; http.uri; content:\"a\"; "
		    "sid:5;)") == NULL);
	CHECK_STR("rule mixes protocols: http buffer in a tls rule", err);
	CHECK(parse("alert smtp any any -> any any (tls.store; sid:6;)") == NULL);
	CHECK_STR("rule mixes protocols: tls.store in a smtp rule", err);
}

/* frame: the long and the short form, the protocol it implies, and
 * Suricata's refusals */
static void test_frame(void)
{
	struct rule *r = parse("alert udp any any -> any any (frame:dns.pdu; content:\"a\"; "
			       "sid:1;)");

	CHECK(r != NULL && r->app_proto == APP_PROTO_DNS && r->proto == RULE_PROTO_UDP &&
	      r->nmatch == 1 && r->match[0].buf == RULE_BUF_DNS_PDU);
	rule_free(r);
	r = parse("alert dns any any -> any any (frame:pdu; content:\"a\"; sid:2;)");
	CHECK(r != NULL && r->nmatch == 1 && r->match[0].buf == RULE_BUF_DNS_PDU);
	rule_free(r);
	CHECK_INT(APP_PROTO_DNS, rule_buffer_app_proto(RULE_BUF_DNS_PDU));
	CHECK(parse("alert tcp-pkt any any -> any any (frame:dns.pdu; content:\"a\"; sid:3;)")
	      == NULL);
	CHECK_STR("'frame' keyword only supported for TCP and UDP", err);
	CHECK(parse("alert http any any -> any any (frame:dns.pdu; content:\"a\"; sid:3;)")
	      == NULL);
	CHECK_STR("frame 'dns.pdu' protocol 'dns' mismatch with rule protocol 'http'", err);
	CHECK(parse("alert tls any any -> any any (frame:ssl2.hdr; content:\"a\"; sid:3;)")
	      == NULL);
	CHECK_STR("frame 'tls.ssl2.hdr' is not supported (idsd implements dns.pdu)", err);
	CHECK(parse("alert udp any any -> any any (frame:http.request; content:\"a\"; sid:3;)")
	      == NULL);
	CHECK_STR("unknown frame 'request' for protocol 'http'", err);
	CHECK(parse("alert dns any any -> any any (frame:dns.pdu; content:\"a\"; pkt_data; "
		    "content:\"b\"; sid:3;)") == NULL);
	CHECK_STR("a frame rule inspects its frame only: no payload or transaction keywords "
		  "beside it", err);
}

/* ssh.protoversion / ssh.softwareversion: an exact content on the field
 * (2_compat a pcre), values as Suricata's patterns allow */
static void test_http_header_lists(void)
{
	struct rule *r = parse("alert tcp any any -> any any (http.request_header; "
			       "content:\"Host: a\"; http.response_header; content:\"Server\"; "
			       "sid:1;)");

	CHECK(r != NULL && r->app_proto == APP_PROTO_HTTP && r->nmatch == 2 &&
	      r->match[0].buf == RULE_BUF_HTTP_REQUEST_HEADER &&
	      r->match[1].buf == RULE_BUF_HTTP_RESPONSE_HEADER);
	rule_free(r);
	CHECK(parse("alert dns any any -> any any (http.request_header; content:\"a\"; sid:2;)")
	      == NULL);
	CHECK_STR("rule mixes protocols: http buffer in a dns rule", err);
}

static void test_ssh_legacy(void)
{
	struct rule *r = parse("alert tcp any any -> any any (ssh.protoversion:\"2.0\"; "
			       "ssh.softwareversion:OpenSSH_9.0; sid:1;)");

	CHECK(r != NULL && r->app_proto == APP_PROTO_SSH && r->nmatch == 2);
	if (r != NULL && r->nmatch == 2) {
		CHECK_INT(RULE_BUF_SSH_PROTO, r->match[0].buf);
		CHECK_INT(CONTENT_STARTSWITH | CONTENT_ENDSWITH,
			  r->match[0].content.flags & (CONTENT_STARTSWITH | CONTENT_ENDSWITH));
		CHECK_INT(RULE_BUF_SSH_SOFTWARE, r->match[1].buf);
	}
	rule_free(r);
	r = parse("alert ssh any any -> any any (ssh.protoversion:2_compat; sid:2;)");
	CHECK(r != NULL && r->nmatch == 1 && r->match[0].kind == MATCH_PCRE &&
	      r->match[0].buf == RULE_BUF_SSH_PROTO);
	rule_free(r);
	CHECK(parse("alert ssh any any -> any any (ssh.protoversion:two; sid:3;)") == NULL);
	CHECK_STR("invalid ssh.protoversion: 'two'", err);
	CHECK(parse("alert ssh any any -> any any (ssh.softwareversion:\"a|b\"; sid:3;)") == NULL);
	CHECK_STR("invalid ssh.softwareversion: 'a|b'", err);
	CHECK(parse("alert http any any -> any any (ssh.protoversion:2.0; sid:3;)") == NULL);
	CHECK_STR("rule mixes protocols: ssh buffer in a http rule", err);
}

/* Suricata 7's HASSH sticky buffers: the side's buffer, the rule held to
 * that side's direction, an ssh rule; both sides in one rule refused. */
static void test_ssh_hassh(void)
{
	static const struct {
		const char *kw;
		enum rule_buffer buf;
		uint8_t side;
	} kws[] = {
		{ "ssh.hassh", RULE_BUF_SSH_HASSH, RULE_FLOW_TOSERVER },
		{ "ssh.hassh.string", RULE_BUF_SSH_HASSH_STRING, RULE_FLOW_TOSERVER },
		{ "ssh.hassh.server", RULE_BUF_SSH_HASSH, RULE_FLOW_TOCLIENT },
		{ "ssh-hassh-server-string", RULE_BUF_SSH_HASSH_STRING, RULE_FLOW_TOCLIENT },
	};
	char text[160];
	struct rule *r;

	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
		snprintf(text, sizeof(text), "alert tcp any any -> any any (flow:established; "
			 "%s; content:\"0123456789ABCDEF0123456789abcdef\"; sid:1;)", kws[i].kw);
		r = parse(text);
		CHECK(r != NULL && r->nmatch == 1);
		if (r == NULL || r->nmatch != 1) {
			rule_free(r);
			continue;
		}
		CHECK_INT(kws[i].buf, r->match[0].buf);
		CHECK_INT(kws[i].side, r->side_flags);
		CHECK_INT(APP_PROTO_SSH, r->app_proto);
		/* a HASSH is lowercase hex: its content is lowercased; the
		 * string buffers' are as written */
		CHECK(memcmp(r->match[0].content.pat, kws[i].buf == RULE_BUF_SSH_HASSH ?
			     "0123456789abcdef" : "0123456789ABCDEF", 16) == 0);
		rule_free(r);
	}
	CHECK(parse("alert ssh any any -> any any (ssh.hassh.server; content:\"abc\"; sid:4;)")
	      == NULL);
	CHECK_STR("invalid length of the specified ssh.hassh (should be 32 characters long)", err);
	CHECK(parse("alert ssh any any -> any any (ssh.hassh; "
		    "content:\"0123456789abcdef0123456789abcdeg\"; sid:5;)") == NULL);
	CHECK_STR("invalid ssh.hassh string (should be string of hexadecimal characters)", err);
	CHECK(parse("alert ssh any any -> any any (ssh.hassh; ssh.hassh.server; sid:2;)") == NULL);
	CHECK_STR("ssh.hassh.server: the rule inspects the other side's HASSH already", err);
	CHECK(parse("alert ssh any any -> any any (ssh.hassh:x; sid:3;)") == NULL);
	CHECK_STR("keyword 'ssh.hassh' takes no value", err);
}

int main(void)
{
	env = rule_env_new();
	CHECK(env != NULL);
	if (env == NULL)
		return check_result("applayer_rules");
	test_headers();
	test_sticky();
	test_errors();
	test_values();
	test_ssl_version_tls_store();
	test_frame();
	test_ssh_legacy();
	test_ssh_hassh();
	test_http_header_lists();
	rule_env_free(env);
	return check_result("applayer_rules");
}
