// SPDX-License-Identifier: MIT
/* App-layer keywords: HTTP, TLS and DNS sticky buffers, the legacy content
 * modifiers that move the previous content into one, pcre's buffer flags,
 * urilen, app-layer-protocol, tls.version, tls.cert_chain_len, dns.opcode,
 * dns.rcode, dns.rrtype and the legacy tls.subject/issuerdn/fingerprint (the transforms that
 * may follow a sticky buffer are in rule_kw_transform.c).
 *
 * Suricata's spellings: a dotted name (http.uri) is a sticky buffer, the
 * matches after it inspect that buffer until the next sticky buffer or
 * pkt_data; the old underscore names either alias a sticky buffer
 * (tls_sni, ja3_hash, http_request_line, ...) or modify the content just
 * before them (http_uri, http_client_body, ...). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "rule-int.h"

enum app_kw_kind {
	AKW_STICKY,               /* switch the current buffer */
	AKW_MODIFIER,             /* move the previous content to the buffer */
};

struct app_kw {
	const char *name;
	enum app_kw_kind kind;
	enum rule_buffer buf;
};

static const struct app_kw app_kws[] = {
	{ "http.uri",               AKW_STICKY,   RULE_BUF_HTTP_URI },
	{ "http.uri.raw",           AKW_STICKY,   RULE_BUF_HTTP_URI_RAW },
	{ "http.method",            AKW_STICKY,   RULE_BUF_HTTP_METHOD },
	{ "http.request_line",      AKW_STICKY,   RULE_BUF_HTTP_REQUEST_LINE },
	{ "http_request_line",      AKW_STICKY,   RULE_BUF_HTTP_REQUEST_LINE },
	{ "http.host",              AKW_STICKY,   RULE_BUF_HTTP_HOST },
	{ "http.host.raw",          AKW_STICKY,   RULE_BUF_HTTP_HOST_RAW },
	{ "http.user_agent",        AKW_STICKY,   RULE_BUF_HTTP_USER_AGENT },
	{ "http.request_body",      AKW_STICKY,   RULE_BUF_HTTP_REQUEST_BODY },
	{ "http.referer",           AKW_STICKY,   RULE_BUF_HTTP_REFERER },
	{ "http_referer",           AKW_STICKY,   RULE_BUF_HTTP_REFERER },
	{ "http.accept",            AKW_STICKY,   RULE_BUF_HTTP_ACCEPT },
	{ "http_accept",            AKW_STICKY,   RULE_BUF_HTTP_ACCEPT },
	{ "http.accept_lang",       AKW_STICKY,   RULE_BUF_HTTP_ACCEPT_LANG },
	{ "http_accept_lang",       AKW_STICKY,   RULE_BUF_HTTP_ACCEPT_LANG },
	{ "http.accept_enc",        AKW_STICKY,   RULE_BUF_HTTP_ACCEPT_ENC },
	{ "http_accept_enc",        AKW_STICKY,   RULE_BUF_HTTP_ACCEPT_ENC },
	{ "http.connection",        AKW_STICKY,   RULE_BUF_HTTP_CONNECTION },
	{ "http_connection",        AKW_STICKY,   RULE_BUF_HTTP_CONNECTION },
	{ "http.stat_code",         AKW_STICKY,   RULE_BUF_HTTP_STAT_CODE },
	{ "http.stat_msg",          AKW_STICKY,   RULE_BUF_HTTP_STAT_MSG },
	{ "http.response_line",     AKW_STICKY,   RULE_BUF_HTTP_RESPONSE_LINE },
	{ "http_response_line",     AKW_STICKY,   RULE_BUF_HTTP_RESPONSE_LINE },
	{ "http.response_body",     AKW_STICKY,   RULE_BUF_HTTP_RESPONSE_BODY },
	{ "file.data",              AKW_STICKY,   RULE_BUF_HTTP_RESPONSE_BODY },
	{ "file_data",              AKW_STICKY,   RULE_BUF_HTTP_RESPONSE_BODY },
	{ "http.location",          AKW_STICKY,   RULE_BUF_HTTP_LOCATION },
	{ "http.request_header",    AKW_STICKY,   RULE_BUF_HTTP_REQUEST_HEADER },
	{ "http.response_header",   AKW_STICKY,   RULE_BUF_HTTP_RESPONSE_HEADER },
	{ "http.server",            AKW_STICKY,   RULE_BUF_HTTP_SERVER },
	{ "http.header",            AKW_STICKY,   RULE_BUF_HTTP_HEADER },
	{ "http.header.raw",        AKW_STICKY,   RULE_BUF_HTTP_HEADER_RAW },
	{ "http.header_names",      AKW_STICKY,   RULE_BUF_HTTP_HEADER_NAMES },
	{ "http_header_names",      AKW_STICKY,   RULE_BUF_HTTP_HEADER_NAMES },
	{ "http.cookie",            AKW_STICKY,   RULE_BUF_HTTP_COOKIE },
	{ "http.content_type",      AKW_STICKY,   RULE_BUF_HTTP_CONTENT_TYPE },
	{ "http_content_type",      AKW_STICKY,   RULE_BUF_HTTP_CONTENT_TYPE },
	{ "http.content_len",       AKW_STICKY,   RULE_BUF_HTTP_CONTENT_LEN },
	{ "http_content_len",       AKW_STICKY,   RULE_BUF_HTTP_CONTENT_LEN },
	{ "http.start",             AKW_STICKY,   RULE_BUF_HTTP_START },
	{ "http_start",             AKW_STICKY,   RULE_BUF_HTTP_START },
	{ "http.protocol",          AKW_STICKY,   RULE_BUF_HTTP_PROTOCOL },
	{ "http_protocol",          AKW_STICKY,   RULE_BUF_HTTP_PROTOCOL },
	{ "tls.sni",                AKW_STICKY,   RULE_BUF_TLS_SNI },
	{ "tls_sni",                AKW_STICKY,   RULE_BUF_TLS_SNI },
	{ "tls.cert_subject",       AKW_STICKY,   RULE_BUF_TLS_CERT_SUBJECT },
	{ "tls_cert_subject",       AKW_STICKY,   RULE_BUF_TLS_CERT_SUBJECT },
	{ "tls.cert_issuer",        AKW_STICKY,   RULE_BUF_TLS_CERT_ISSUER },
	{ "tls_cert_issuer",        AKW_STICKY,   RULE_BUF_TLS_CERT_ISSUER },
	{ "tls.cert_serial",        AKW_STICKY,   RULE_BUF_TLS_CERT_SERIAL },
	{ "tls_cert_serial",        AKW_STICKY,   RULE_BUF_TLS_CERT_SERIAL },
	{ "tls.cert_fingerprint",   AKW_STICKY,   RULE_BUF_TLS_CERT_FINGERPRINT },
	{ "tls_cert_fingerprint",   AKW_STICKY,   RULE_BUF_TLS_CERT_FINGERPRINT },
	{ "tls.certs",              AKW_STICKY,   RULE_BUF_TLS_CERTS },
	{ "ja3.hash",               AKW_STICKY,   RULE_BUF_JA3_HASH },
	{ "ja3_hash",               AKW_STICKY,   RULE_BUF_JA3_HASH },
	{ "ja3.string",             AKW_STICKY,   RULE_BUF_JA3_STRING },
	{ "ja3_string",             AKW_STICKY,   RULE_BUF_JA3_STRING },
	{ "ja3s.hash",              AKW_STICKY,   RULE_BUF_JA3S_HASH },
	{ "ja3s_hash",              AKW_STICKY,   RULE_BUF_JA3S_HASH },
	{ "ja3s.string",            AKW_STICKY,   RULE_BUF_JA3S_STRING },
	{ "ja3s_string",            AKW_STICKY,   RULE_BUF_JA3S_STRING },
	{ "tls.random",             AKW_STICKY,   RULE_BUF_TLS_RANDOM },
	{ "tls.random_time",        AKW_STICKY,   RULE_BUF_TLS_RANDOM_TIME },
	{ "tls.random_bytes",       AKW_STICKY,   RULE_BUF_TLS_RANDOM_BYTES },
	{ "tls.alpn",               AKW_STICKY,   RULE_BUF_TLS_ALPN },
	{ "tls.subjectaltname",     AKW_STICKY,   RULE_BUF_TLS_SUBJECTALTNAME },
	{ "dns.query",              AKW_STICKY,   RULE_BUF_DNS_QUERY },
	{ "dns_query",              AKW_STICKY,   RULE_BUF_DNS_QUERY },
	{ "dns.queries.rrname",     AKW_STICKY,   RULE_BUF_DNS_QUERIES_RRNAME },
	{ "dns.answers.rrname",     AKW_STICKY,   RULE_BUF_DNS_ANSWERS_RRNAME },
	/* Suricata 8.0's first names of the two above, kept beside them */
	{ "dns.query.name",         AKW_STICKY,   RULE_BUF_DNS_QUERIES_RRNAME },
	{ "dns.answer.name",        AKW_STICKY,   RULE_BUF_DNS_ANSWERS_RRNAME },
	{ "dns.authorities.rrname", AKW_STICKY,   RULE_BUF_DNS_AUTHORITIES_RRNAME },
	{ "dns.additionals.rrname", AKW_STICKY,   RULE_BUF_DNS_ADDITIONALS_RRNAME },
	{ "dns.response.rrname",    AKW_STICKY,   RULE_BUF_DNS_RESPONSE_RRNAME },
	{ "ssh.proto",              AKW_STICKY,   RULE_BUF_SSH_PROTO },
	{ "ssh_proto",              AKW_STICKY,   RULE_BUF_SSH_PROTO },
	{ "ssh.software",           AKW_STICKY,   RULE_BUF_SSH_SOFTWARE },
	{ "ssh_software",           AKW_STICKY,   RULE_BUF_SSH_SOFTWARE },
	{ "http_uri",               AKW_MODIFIER, RULE_BUF_HTTP_URI },
	{ "http_raw_uri",           AKW_MODIFIER, RULE_BUF_HTTP_URI_RAW },
	{ "http_method",            AKW_MODIFIER, RULE_BUF_HTTP_METHOD },
	{ "http_host",              AKW_MODIFIER, RULE_BUF_HTTP_HOST },
	{ "http_raw_host",          AKW_MODIFIER, RULE_BUF_HTTP_HOST_RAW },
	{ "http_user_agent",        AKW_MODIFIER, RULE_BUF_HTTP_USER_AGENT },
	{ "http_client_body",       AKW_MODIFIER, RULE_BUF_HTTP_REQUEST_BODY },
	{ "http_server_body",       AKW_MODIFIER, RULE_BUF_HTTP_RESPONSE_BODY },
	{ "http_stat_code",         AKW_MODIFIER, RULE_BUF_HTTP_STAT_CODE },
	{ "http_stat_msg",          AKW_MODIFIER, RULE_BUF_HTTP_STAT_MSG },
	{ "http_header",            AKW_MODIFIER, RULE_BUF_HTTP_HEADER },
	{ "http_raw_header",        AKW_MODIFIER, RULE_BUF_HTTP_HEADER_RAW },
	{ "http_cookie",            AKW_MODIFIER, RULE_BUF_HTTP_COOKIE },
};

/* The protocol a buffer belongs to. */
enum app_proto rule_buffer_app_proto(enum rule_buffer b)
{
	if (b >= RULE_BUF_HTTP_URI && b <= RULE_BUF_HTTP_PROTOCOL)
		return APP_PROTO_HTTP;
	if (b >= RULE_BUF_TLS_FIRST && b <= RULE_BUF_TLS_LAST)
		return APP_PROTO_TLS;
	if (b >= RULE_BUF_DNS_FIRST && b <= RULE_BUF_DNS_LAST)
		return APP_PROTO_DNS;
	if (b >= RULE_BUF_SSH_FIRST && b <= RULE_BUF_SSH_LAST)
		return APP_PROTO_SSH;
	if (b == RULE_BUF_SMTP_FILE_DATA)
		return APP_PROTO_SMTP;
	if (b == RULE_BUF_FTPDATA_FILE_DATA)
		return APP_PROTO_FTPDATA;
	/* (added) the file buffers are every file protocol's (HTTP, SMTP,
	 * ftp-data), as Suricata registers the file keywords for each: the
	 * rule's header protocol, if any, picks one */
	return APP_PROTO_UNKNOWN;
}

/* The buffers Suricata registers as multi-instance (7.0: dns.query,
 * file.data with http.response_body, file.name, file.magic,
 * http.request_header, http.response_header, tls.certs; 8.0 adds the
 * keywords it introduced that idsd implements: tls.alpn,
 * tls.subjectaltname, the dns rrname buffers). The others are one buffer
 * a direction: a repeated keyword continues its list. */
bool rule_buffer_multi(enum rule_buffer b)
{
	switch (b) {
	case RULE_BUF_HTTP_REQUEST_HEADER:
	case RULE_BUF_HTTP_RESPONSE_HEADER:
	case RULE_BUF_HTTP_RESPONSE_BODY:
	case RULE_BUF_TLS_CERTS:
	case RULE_BUF_TLS_ALPN:
	case RULE_BUF_TLS_SUBJECTALTNAME:
	case RULE_BUF_DNS_QUERY:
	case RULE_BUF_DNS_QUERIES_RRNAME:
	case RULE_BUF_DNS_ANSWERS_RRNAME:
	case RULE_BUF_DNS_AUTHORITIES_RRNAME:
	case RULE_BUF_DNS_ADDITIONALS_RRNAME:
	case RULE_BUF_DNS_RESPONSE_RRNAME:
	case RULE_BUF_SMTP_FILE_DATA:
	case RULE_BUF_FTPDATA_FILE_DATA:
	case RULE_BUF_FILE_NAME:
	case RULE_BUF_FILE_MAGIC:
		return true;
	default:
		return false;
	}
}

int rule_sticky(struct rule_ctx *c, enum rule_buffer b)
{
	const struct rule *r = c->r;

	c->cur_buf = b;
	c->cur_xf = 0;
	c->sticky_nmatch = r->nmatch;
	c->cur_grp = 0;
	if (!rule_buffer_multi(b))
		return 0;
	/* Suricata's DetectBufferSetActiveList: a new buffer once the
	 * earlier one has matches (a keyword with none yet is that list) */
	for (uint32_t i = 0; i < r->nmatch; i++) {
		if (r->match[i].buf != b || r->match[i].grp < c->cur_grp)
			continue;
		if (r->match[i].grp == UINT8_MAX)
			return rule_err(c, "too many occurrences of one sticky buffer");
		c->cur_grp = (uint8_t)(r->match[i].grp + 1);
	}
	return 0;
}

/* A legacy modifier: the content just before moves to buffer b. Suricata
 * refuses it inside a sticky buffer, where it would be ambiguous. */
static int app_modifier(struct rule_ctx *c, const char *name, enum rule_buffer b)
{
	struct rule_match *m;

	if (c->last_content < 0)
		return rule_err(c, "%s needs a preceding content", name);
	m = &c->r->match[c->last_content];
	if (m->buf != RULE_BUF_PAYLOAD && m->buf != b)
		return rule_err(c, "%s can't modify a content of another buffer", name);
	m->buf = b;
	return 0;
}

static const char *const app_names[APP_PROTO_MAX] = {
	[APP_PROTO_HTTP] = "http", [APP_PROTO_TLS] = "tls", [APP_PROTO_DNS] = "dns",
	[APP_PROTO_FAILED] = "failed", [APP_PROTO_SMTP] = "smtp", [APP_PROTO_FTP] = "ftp",
	[APP_PROTO_SMB] = "smb", [APP_PROTO_SSH] = "ssh", [APP_PROTO_DCERPC] = "dcerpc",
	[APP_PROTO_FTPDATA] = "ftp-data",
};

const char *rule_app_proto_name(enum app_proto p)
{
	return p > APP_PROTO_UNKNOWN && p < APP_PROTO_MAX ? app_names[p] : "unknown";
}

enum app_proto rule_app_proto_by_name(const char *name, size_t n)
{
	for (int p = APP_PROTO_HTTP; p < APP_PROTO_MAX; p++)
		if ((strlen(app_names[p]) == n && strncasecmp(name, app_names[p], n) == 0) ||
		    (p == APP_PROTO_HTTP && n == 5 && strncasecmp(name, "http1", 5) == 0))
			return (enum app_proto)p;
	return APP_PROTO_UNKNOWN;
}

/* app-layer-protocol:[!]http|http1|tls|dns|failed */
static int kw_app_layer_protocol(struct rule_ctx *c, const char *v)
{
	bool neg = false;
	enum app_proto p;

	if (c->r->alp)
		return rule_err(c, "duplicate keyword 'app-layer-protocol'");
	if (*v == '!') {
		neg = true;
		v++;
	}
	v += strspn(v, " \t");
	p = rule_app_proto_by_name(v, strlen(v));
	if (p == APP_PROTO_UNKNOWN)
		return rule_err(c, "unsupported app-layer-protocol '%s'", v);
	c->r->alp = (uint8_t)p;
	c->r->alp_neg = neg;
	return 0;
}

/* ftpbounce (no value): the FTP command is a PORT whose address is not the
 * client's own (Suricata's ftpbounce, an FTP rule to the server). */
static int kw_ftpbounce(struct rule_ctx *c, const char *v)
{
	if (v != NULL && v[0] != '\0')
		return rule_err(c, "keyword 'ftpbounce' takes no value");
	if (c->r->app_has & RULE_APP_HAS_FTPBOUNCE)
		return rule_err(c, "duplicate keyword 'ftpbounce'");
	c->r->app_has |= RULE_APP_HAS_FTPBOUNCE;
	return 0;
}

/* ftpdata_command:retr|stor, in lower case (Suricata's DetectFtpdataParse) */
static int kw_ftpdata_command(struct rule_ctx *c, const char *v)
{
	size_t n = strspn(v, " \t");
	const char *p = v + n;
	uint8_t cmd;

	if (c->r->app_has & RULE_APP_HAS_FTPDATA_CMD)
		return rule_err(c, "duplicate keyword 'ftpdata_command'");
	if (strncmp(p, "retr", 4) == 0)
		cmd = RULE_FTPDATA_RETR;
	else if (strncmp(p, "stor", 4) == 0)
		cmd = RULE_FTPDATA_STOR;
	else
		return rule_err(c, "invalid ftpdata_command: '%s' (retr or stor)", v);
	if (p[4 + strspn(p + 4, " \t")] != '\0')
		return rule_err(c, "invalid ftpdata_command: '%s' (retr or stor)", v);
	c->r->ftpdata_cmd = cmd;
	c->r->app_has |= RULE_APP_HAS_FTPDATA_CMD;
	return 0;
}

/* urilen:N|<N|>N|N<>M[,raw|norm] */
static int kw_urilen(struct rule_ctx *c, const char *v)
{
	const char *comma = strchr(v, ',');
	char num[64];
	size_t l = comma ? (size_t)(comma - v) : strlen(v);

	if (c->r->app_has & RULE_APP_HAS_URILEN)
		return rule_err(c, "duplicate keyword 'urilen'");
	if (l >= sizeof(num))
		return rule_err(c, "invalid urilen: '%s'", v);
	memcpy(num, v, l);
	num[l] = '\0';
	if (rule_parse_u32_cmp(num, UINT16_MAX, &c->r->urilen))
		return rule_err(c, "invalid urilen: '%s'", v);
	if (comma) {
		char *m = rule_strtrim(comma + 1, strlen(comma + 1));
		bool raw = m && strcmp(m, "raw") == 0, norm = m && strcmp(m, "norm") == 0;

		free(m);
		if (!raw && !norm)
			return rule_err(c, "invalid urilen: '%s'", v);
		if (raw)
			c->r->app_has |= RULE_APP_HAS_URILEN_RAW;
	}
	c->r->app_has |= RULE_APP_HAS_URILEN;
	return 0;
}

/* dns.opcode:[!]N (0..15) */
static int kw_dns_opcode(struct rule_ctx *c, const char *v)
{
	if (c->r->app_has & RULE_APP_HAS_DNS_OPCODE)
		return rule_err(c, "duplicate keyword 'dns.opcode'");
	if (rule_parse_u32_cmp(v, 15, &c->r->dns_opcode))
		return rule_err(c, "invalid dns.opcode: '%s'", v);
	c->r->app_has |= RULE_APP_HAS_DNS_OPCODE;
	return 0;
}

/* dns.rcode:[!]N, N-M, <N, ... (0..15, Suricata 8): the header's RCODE, in
 * queries and responses; a value may be given by its RFC 1035/2136 name
 * (noerror, formerr, servfail, nxdomain, notimp, refused, yxdomain,
 * yxrrset, nxrrset, notauth, notzone), alone or after '!'. */
static int kw_dns_rcode(struct rule_ctx *c, const char *v)
{
	static const char *const names[] = {
		"noerror", "formerr", "servfail", "nxdomain", "notimp", "refused",
		"yxdomain", "yxrrset", "nxrrset", "notauth", "notzone",
	};
	char num[16];
	const char *p = v + strspn(v, " \t");
	bool neg = *p == '!';

	if (c->r->app_has & RULE_APP_HAS_DNS_RCODE)
		return rule_err(c, "duplicate keyword 'dns.rcode'");
	p += neg ? 1 + strspn(p + 1, " \t") : 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(p, names[i]) == 0) {
			snprintf(num, sizeof(num), "%s%zu", neg ? "!" : "", i);
			v = num;
			break;
		}
	}
	if (rule_parse_u32_cmp(v, 15, &c->r->dns_rcode))
		return rule_err(c, "invalid dns.rcode: '%s'", v);
	c->r->app_has |= RULE_APP_HAS_DNS_RCODE;
	return 0;
}

/* dns.rrtype:[!]N, N-M, <N, ...: the type of some question record (u16). */
static int kw_dns_rrtype(struct rule_ctx *c, const char *v)
{
	if (c->r->app_has & RULE_APP_HAS_DNS_RRTYPE)
		return rule_err(c, "duplicate keyword 'dns.rrtype'");
	if (rule_parse_u32_cmp(v, UINT16_MAX, &c->r->dns_rrtype))
		return rule_err(c, "invalid dns.rrtype: '%s'", v);
	c->r->app_has |= RULE_APP_HAS_DNS_RRTYPE;
	return 0;
}

/* tls.cert_chain_len:N, <N, N-M, ...: certificates the server sent. */
static int kw_tls_chain_len(struct rule_ctx *c, const char *v)
{
	if (c->r->app_has & RULE_APP_HAS_TLS_CHAIN_LEN)
		return rule_err(c, "duplicate keyword 'tls.cert_chain_len'");
	if (rule_parse_u32_cmp(v, UINT32_MAX, &c->r->tls_chain_len))
		return rule_err(c, "invalid tls.cert_chain_len: '%s'", v);
	c->r->app_has |= RULE_APP_HAS_TLS_CHAIN_LEN;
	return 0;
}

/* ssl_state:[!]STATE[|,][!]STATE...: client_hello, server_hello,
 * client_keyx, server_keyx, unknown (Suricata's DetectSslStateParse). */
static int kw_ssl_state(struct rule_ctx *c, const char *v)
{
	static const struct {
		const char *s;
		uint8_t bit;
	} states[] = {
		{ "client_hello", RULE_SSL_ST_CLIENT_HELLO }, { "server_hello", RULE_SSL_ST_SERVER_HELLO },
		{ "client_keyx", RULE_SSL_ST_CLIENT_KEYX }, { "server_keyx", RULE_SSL_ST_SERVER_KEYX },
		{ "unknown", RULE_SSL_ST_UNKNOWN },
	};
	const char *p = v;

	if (c->r->app_has & RULE_APP_HAS_SSL_STATE)
		return rule_err(c, "duplicate keyword 'ssl_state'");
	for (;;) {
		bool neg = false;
		size_t n, i;

		p += strspn(p, " \t");
		if (*p == '!') {
			neg = true;
			p++;
		}
		n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		if (n == 0)
			return rule_err(c, "invalid ssl_state: '%s'", v);
		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			if (strlen(states[i].s) == n && strncmp(p, states[i].s, n) == 0)
				break;
		if (i == sizeof(states) / sizeof(states[0]))
			return rule_err(c, "invalid ssl_state option '%.*s'", (int)n, p);
		c->r->ssl_states |= states[i].bit;
		if (neg)
			c->r->ssl_negated |= states[i].bit;
		p += n;
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		if (*p != '|' && *p != ',')
			return rule_err(c, "invalid ssl_state: '%s'", v);
		p++;
	}
	c->r->app_has |= RULE_APP_HAS_SSL_STATE;
	return 0;
}

/* ssl_version:[!]V[,[!]V...], V one of sslv2 sslv3 tls1.0 tls1.1 tls1.2
 * tls1.3 (any case), separated by commas or blanks; each once, all negated
 * or none (Suricata 7's DetectSslVersionParse). */
static int kw_ssl_version(struct rule_ctx *c, const char *v)
{
	static const char *const names[RULE_SSLV_MAX] = {
		[RULE_SSLV_SSL2] = "sslv2", [RULE_SSLV_SSL3] = "sslv3", [RULE_SSLV_TLS10] = "tls1.0",
		[RULE_SSLV_TLS11] = "tls1.1", [RULE_SSLV_TLS12] = "tls1.2", [RULE_SSLV_TLS13] = "tls1.3",
	};
	const char *p = v + strspn(v, " \t");
	int negs = -1;            /* -1: none read yet, else whether they are negated */

	if (c->r->app_has & RULE_APP_HAS_SSL_VERSION)
		return rule_err(c, "duplicate keyword 'ssl_version'");
	while (*p != '\0') {
		bool neg = *p == '!';
		size_t n, i;

		p += neg;
		n = strcspn(p, " \t,");
		if (n == 0)
			return rule_err(c, "invalid ssl_version: empty value in '%s'", v);
		for (i = 0; i < RULE_SSLV_MAX; i++)
			if (strlen(names[i]) == n && strncasecmp(p, names[i], n) == 0)
				break;
		if (i == RULE_SSLV_MAX)
			return rule_err(c, "invalid ssl_version: unknown value '%.*s'", (int)n, p);
		if (c->r->ssl_versions & (1u << i))
			return rule_err(c, "invalid ssl_version: '%s' named twice", names[i]);
		if (negs >= 0 && negs != neg)
			return rule_err(c, "invalid ssl_version: '%s' mixes negated and plain values",
					v);
		negs = neg;
		c->r->ssl_versions |= (uint8_t)(1u << i);
		if (neg)
			c->r->ssl_versions_neg |= (uint8_t)(1u << i);
		p += n;
		p += strspn(p, " \t,");
	}
	if (negs < 0)
		return rule_err(c, "invalid ssl_version: empty value");
	c->r->app_has |= RULE_APP_HAS_SSL_VERSION;
	return 0;
}

/* tls.store: Suricata 7 writes the certificate chain of a matching TLS
 * session to disk (an output, "tls-store"). idsd accepts the keyword so
 * that such rules load and alert as there; it writes nothing (the loader
 * warns). Like Suricata's it makes the rule a TLS rule. */
static int kw_tls_store(struct rule_ctx *c, const char *v)
{
	if (v != NULL && v[0] != '\0')
		return rule_err(c, "keyword 'tls.store' takes no value");
	if (c->r->app_proto != APP_PROTO_UNKNOWN && c->r->app_proto != APP_PROTO_TLS)
		return rule_err(c, "rule mixes protocols: tls.store in a %s rule",
				rule_app_proto_name((enum app_proto)c->r->app_proto));
	c->r->app_proto = APP_PROTO_TLS;
	c->r->flags |= RULE_F_TLS_STORE;
	return 0;
}

/* tls.version:1.0|1.1|1.2|1.3|ssl3|0xNNNN: the negotiated version. */
static int kw_tls_version(struct rule_ctx *c, const char *v)
{
	static const struct {
		const char *s;
		uint16_t ver;
	} vers[] = {
		{ "1.0", 0x0301 }, { "1.1", 0x0302 }, { "1.2", 0x0303 }, { "1.3", 0x0304 },
		{ "ssl3", 0x0300 }, { "sslv3", 0x0300 }, { "3.0", 0x0300 },
	};
	char *q = rule_unquote(v);
	const char *s = q ? q : v;
	int rc = -EINVAL;

	for (size_t i = 0; i < sizeof(vers) / sizeof(vers[0]); i++) {
		if (strcasecmp(s, vers[i].s) == 0) {
			c->r->tls_version = vers[i].ver;
			c->r->app_has |= RULE_APP_HAS_TLS_VERSION;
			rc = 0;
			break;
		}
	}
	if (rc)
		rc = rule_err(c, "invalid tls.version: '%s'", v);
	free(q);
	return rc;
}

/* uricontent:"x" is content:"x"; http_uri. The legacy TLS value keywords
 * tls.subject, tls.issuerdn and tls.fingerprint:[!]"x" (quotes optional)
 * are a case-sensitive substring test on the certificate field, '!'
 * inverting it; either form needs the field to exist, as Suricata's: they
 * are content:[!]"x" on the sticky buffer (the fingerprint value is
 * lower-cased, the buffer being lower case). */
static int content_in(struct rule_ctx *c, const char *v, enum rule_buffer b, bool lower)
{
	struct rule_match *m;
	int rc = kw_content(c, v);

	if (rc)
		return rc;
	m = &c->r->match[c->last_content];
	m->buf = b;
	m->xf = 0;
	m->grp = 0;	/* a value keyword adds to the buffer's first list */
	if (lower)
		for (uint32_t i = 0; i < m->content.len; i++)
			if (m->content.pat[i] >= 'A' && m->content.pat[i] <= 'Z')
				m->content.pat[i] = (uint8_t)(m->content.pat[i] - 'A' + 'a');
	return 0;
}

static int tls_legacy_str(struct rule_ctx *c, const char *name, const char *v,
			  enum rule_buffer b, bool lower)
{
	bool neg = *v == '!';
	size_t l;
	char *q;
	int rc;

	if (neg)
		v += 1 + strspn(v + 1, " \t");
	l = strlen(v);
	if (l == 0)
		return rule_err(c, "invalid %s: empty value", name);
	if (v[0] == '"' && (l < 2 || v[l - 1] != '"'))
		return rule_err(c, "invalid %s: unterminated quote", name);
	q = malloc(l + 4);
	if (q == NULL)
		return -ENOMEM;
	if (v[0] == '"')
		snprintf(q, l + 4, "%s%s", neg ? "!" : "", v);
	else
		snprintf(q, l + 4, "%s\"%s\"", neg ? "!" : "", v);
	rc = content_in(c, q, b, lower);
	free(q);
	return rc;
}

/* The legacy SSH value keywords (Suricata 7's detect-ssh-proto-version.c,
 * detect-ssh-software-version.c): ssh.protoversion:V and
 * ssh.softwareversion:V, quotes optional, hold when the inspected side's
 * banner field is exactly V (content:"V"; startswith; endswith; on the
 * field's buffer); ssh.protoversion:2_compat when its protoversion starts
 * with "2" or "1.99". */
static int ssh_legacy(struct rule_ctx *c, const char *name, const char *v, enum rule_buffer b)
{
	static const char ok[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 ":.-_+ ";
	char q[128];
	size_t l = strlen(v);
	int rc;

	if (l >= 2 && v[0] == '"' && v[l - 1] == '"') {
		v++;
		l -= 2;
	}
	if (l == 0 || l > 100 || strspn(v, ok) < l ||
	    (b == RULE_BUF_SSH_PROTO && strspn(v, "0123456789.-") < l &&
	     !(l == 8 && strncmp(v, "2_compat", 8) == 0)))
		return rule_err(c, "invalid %s: '%.*s'", name, (int)l, v);
	if (l == 8 && strncmp(v, "2_compat", 8) == 0) {
		rc = kw_pcre(c, "\"/^(?:2|1\\.99)/\"");
		if (rc == 0) {
			c->r->match[c->r->nmatch - 1].buf = b;
			c->r->match[c->r->nmatch - 1].grp = 0;
		}
		return rc;
	}
	snprintf(q, sizeof(q), "\"%.*s\"", (int)l, v);
	rc = content_in(c, q, b, false);
	if (rc == 0)
		rc = kw_startswith(c, NULL);
	if (rc == 0)
		rc = kw_endswith(c, NULL);
	return rc;
}

/* Suricata 7's HASSH sticky buffers (detect-ssh-hassh*.c), with their
 * dashed aliases. One buffer per kind holds the inspected direction's
 * fingerprint; the keyword names the side, so the rule is inspected in that
 * direction only, as Suricata registers ssh.hassh to the server and
 * ssh.hassh.server to the client. */
static const struct {
	const char *name;
	enum rule_buffer buf;
	uint8_t side;
} hassh_kws[] = {
	{ "ssh.hassh", RULE_BUF_SSH_HASSH, RULE_FLOW_TOSERVER },
	{ "ssh-hassh", RULE_BUF_SSH_HASSH, RULE_FLOW_TOSERVER },
	{ "ssh.hassh.string", RULE_BUF_SSH_HASSH_STRING, RULE_FLOW_TOSERVER },
	{ "ssh-hassh-string", RULE_BUF_SSH_HASSH_STRING, RULE_FLOW_TOSERVER },
	{ "ssh.hassh.server", RULE_BUF_SSH_HASSH, RULE_FLOW_TOCLIENT },
	{ "ssh-hassh-server", RULE_BUF_SSH_HASSH, RULE_FLOW_TOCLIENT },
	{ "ssh.hassh.server.string", RULE_BUF_SSH_HASSH_STRING, RULE_FLOW_TOCLIENT },
	{ "ssh-hassh-server-string", RULE_BUF_SSH_HASSH_STRING, RULE_FLOW_TOCLIENT },
};

/* -ENOENT when name is none of them. */
static int kw_hassh(struct rule_ctx *c, const char *name, const char *val)
{
	for (size_t i = 0; i < sizeof(hassh_kws) / sizeof(hassh_kws[0]); i++) {
		if (strcasecmp(name, hassh_kws[i].name) != 0)
			continue;
		if (val)
			return rule_err(c, "keyword '%s' takes no value", hassh_kws[i].name);
		/* a rule cannot be inspected in the client's and the server's
		 * direction both */
		if (c->r->side_flags & ~hassh_kws[i].side)
			return rule_err(c, "%s: the rule inspects the other side's HASSH already",
					hassh_kws[i].name);
		c->r->side_flags |= hassh_kws[i].side;
		return rule_sticky(c, hassh_kws[i].buf);
	}
	return -ENOENT;
}

/* Returns -ENOENT when name is not an app-layer keyword. */
int rule_kw_applayer(struct rule_ctx *c, const char *name, const char *val)
{
	static const struct {
		const char *name;
		int (*fn)(struct rule_ctx *c, const char *v);
	} valued[] = {
		{ "app-layer-protocol", kw_app_layer_protocol },
		{ "urilen", kw_urilen },
		{ "dns.opcode", kw_dns_opcode },
		{ "dns.rcode", kw_dns_rcode },
		{ "tls.version", kw_tls_version },
		{ "ssl_state", kw_ssl_state },
		{ "ssl_version", kw_ssl_version },
		{ "ftpdata_command", kw_ftpdata_command },
		{ "dns.rrtype", kw_dns_rrtype },
		{ "tls.cert_chain_len", kw_tls_chain_len },
		{ "frame", rule_kw_frame },
	};
	static const struct {
		const char *name;
		enum rule_buffer buf;
		bool lower;
	} legacy[] = {
		{ "tls.subject", RULE_BUF_TLS_CERT_SUBJECT, false },
		{ "tls.issuerdn", RULE_BUF_TLS_CERT_ISSUER, false },
		{ "tls.fingerprint", RULE_BUF_TLS_CERT_FINGERPRINT, true },
	};
	bool proto_ver;
	int rc;

	for (size_t i = 0; i < sizeof(app_kws) / sizeof(app_kws[0]); i++) {
		const struct app_kw *k = &app_kws[i];

		if (strcasecmp(name, k->name) != 0)
			continue;
		if (val)
			return rule_err(c, "keyword '%s' takes no value", k->name);
		/* file_data is the protocol's files: an smtp rule's are the
		 * mail's attachments, an ftp-data rule's the transfer */
		if (k->buf == RULE_BUF_HTTP_RESPONSE_BODY && strncasecmp(k->name, "file", 4) == 0) {
			if (c->r->app_proto == APP_PROTO_SMTP)
				return rule_sticky(c, RULE_BUF_SMTP_FILE_DATA);
			if (c->r->app_proto == APP_PROTO_FTPDATA)
				return rule_sticky(c, RULE_BUF_FTPDATA_FILE_DATA);
		}
		if (k->kind == AKW_STICKY)
			return rule_sticky(c, k->buf);
		return app_modifier(c, k->name, k->buf);
	}
	for (size_t i = 0; i < sizeof(valued) / sizeof(valued[0]); i++) {
		if (strcasecmp(name, valued[i].name) != 0)
			continue;
		if (val == NULL || val[0] == '\0')
			return rule_err(c, "keyword '%s' needs a value", valued[i].name);
		return valued[i].fn(c, val);
	}
	rc = kw_hassh(c, name, val);
	if (rc != -ENOENT)
		return rc;
	if (strcasecmp(name, "absent") == 0)
		return kw_absent(c, val);
	if (strcasecmp(name, "ftpbounce") == 0)
		return kw_ftpbounce(c, val);
	if (strcasecmp(name, "tls.store") == 0)
		return kw_tls_store(c, val);
	rc = rule_kw_transform(c, name, val);
	if (rc != -ENOENT)
		return rc;
	rc = rule_kw_tls_date(c, name, val);
	if (rc != -ENOENT)
		return rc;
	if (strcasecmp(name, "uricontent") == 0 && val && val[0])
		return content_in(c, val, RULE_BUF_HTTP_URI, false);
	proto_ver = strcasecmp(name, "ssh.protoversion") == 0;
	if (proto_ver || strcasecmp(name, "ssh.softwareversion") == 0) {
		const char *kw = proto_ver ? "ssh.protoversion" : "ssh.softwareversion";

		if (val == NULL || val[0] == '\0')
			return rule_err(c, "keyword '%s' needs a value", kw);
		return ssh_legacy(c, kw, val, proto_ver ? RULE_BUF_SSH_PROTO : RULE_BUF_SSH_SOFTWARE);
	}
	for (size_t i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++) {
		if (strcasecmp(name, legacy[i].name) != 0)
			continue;
		if (val == NULL || val[0] == '\0')
			return rule_err(c, "keyword '%s' needs a value", legacy[i].name);
		return tls_legacy_str(c, legacy[i].name, val, legacy[i].buf, legacy[i].lower);
	}
	return -ENOENT;
}

/* Suricata 7's HASSH validation (detect-ssh-hassh.c, -server.c): a
 * content on a HASSH buffer is an MD5 in hex (it could match nothing
 * else), lowercased as the fingerprint is written. */
static int hassh_contents(struct rule_ctx *c)
{
	for (uint32_t i = 0; i < c->r->nmatch; i++) {
		struct rule_match *m = &c->r->match[i];

		if (m->buf != RULE_BUF_SSH_HASSH || m->kind != MATCH_CONTENT)
			continue;
		if (m->content.len != 32)
			return rule_err(c, "invalid length of the specified ssh.hassh (should be 32 "
					"characters long)");
		for (uint32_t k = 0; k < m->content.len; k++) {
			if (!isxdigit(m->content.pat[k]))
				return rule_err(c, "invalid ssh.hassh string (should be string of "
						"hexadecimal characters)");
			m->content.pat[k] = (uint8_t)tolower(m->content.pat[k]);
		}
	}
	return 0;
}

/* Once the rule is read: which buffers it uses, the protocol they imply,
 * and that it does not mix protocols. */
int rule_applayer_finish(struct rule_ctx *c)
{
	static const struct {
		uint16_t bit;
		enum app_proto proto;
		const char *name;
	} int_kws[] = {
		{ RULE_APP_HAS_FTPBOUNCE, APP_PROTO_FTP, "ftpbounce" },
		{ RULE_APP_HAS_DNS_OPCODE, APP_PROTO_DNS, "dns.opcode" },
		{ RULE_APP_HAS_DNS_RCODE, APP_PROTO_DNS, "dns.rcode" },
		{ RULE_APP_HAS_DNS_RRTYPE, APP_PROTO_DNS, "dns.rrtype" },
		{ RULE_APP_HAS_TLS_VERSION, APP_PROTO_TLS, "tls.version" },
		{ RULE_APP_HAS_SSL_STATE, APP_PROTO_TLS, "ssl_state" },
		{ RULE_APP_HAS_SSL_VERSION, APP_PROTO_TLS, "ssl_version" },
		{ RULE_APP_HAS_FTPDATA_CMD, APP_PROTO_FTPDATA, "ftpdata_command" },
		{ RULE_APP_HAS_TLS_CHAIN_LEN, APP_PROTO_TLS, "tls.cert_chain_len" },
		{ RULE_APP_HAS_TLS_VALIDITY, APP_PROTO_TLS, "tls_cert_*" },
	};
	struct rule *r = c->r;
	enum app_proto need = r->app_proto;

	if (rule_absent_finish(c))
		return -EINVAL;
	/* an absent buffer is inspected (for its absence) like a matched one */
	r->app_bufs = r->absent_bufs;
	for (int b = RULE_BUF_APP_FIRST; b < RULE_BUF_MAX; b++) {
		enum app_proto p = rule_buffer_app_proto((enum rule_buffer)b);

		if (!(r->absent_bufs & RULE_BUF_BIT(b)) || p == APP_PROTO_UNKNOWN)
			continue;
		if (need != APP_PROTO_UNKNOWN && need != p)
			return rule_err(c, "rule mixes protocols: %s buffer in a %s rule",
					rule_app_proto_name(p), rule_app_proto_name(need));
		need = p;
	}
	for (uint32_t i = 0; i < r->nmatch; i++) {
		enum rule_buffer b = r->match[i].buf;
		enum app_proto p = rule_buffer_app_proto(b);

		r->app_bufs |= RULE_BUF_BIT(b);
		if (p == APP_PROTO_UNKNOWN)
			continue;
		if (need != APP_PROTO_UNKNOWN && need != p)
			return rule_err(c, "rule mixes protocols: %s buffer in a %s rule",
					rule_app_proto_name(p), rule_app_proto_name(need));
		need = p;
	}
	if (r->app_has & (RULE_APP_HAS_URILEN | RULE_APP_HAS_URILEN_RAW)) {
		if (need != APP_PROTO_UNKNOWN && need != APP_PROTO_HTTP)
			return rule_err(c, "rule mixes protocols: %s keyword in a %s rule",
					"urilen", rule_app_proto_name(need));
		need = APP_PROTO_HTTP;
	}
	for (size_t i = 0; i < sizeof(int_kws) / sizeof(int_kws[0]); i++) {
		if (!(r->app_has & int_kws[i].bit))
			continue;
		if (need != APP_PROTO_UNKNOWN && need != int_kws[i].proto)
			return rule_err(c, "rule mixes protocols: %s keyword in a %s rule",
					int_kws[i].name, rule_app_proto_name(need));
		need = int_kws[i].proto;
	}
	if (r->app_has & RULE_APP_HAS_EVENT) {
		if (need != APP_PROTO_UNKNOWN && need != r->app_event_proto)
			return rule_err(c, "rule mixes protocols: %s event in a %s rule",
					rule_app_proto_name((enum app_proto)r->app_event_proto),
					rule_app_proto_name(need));
		need = (enum app_proto)r->app_event_proto;
	}
	/* Suricata's SigValidate: file keywords need a protocol with files */
	if (((r->app_bufs & (RULE_BUF_BIT(RULE_BUF_FILE_NAME) | RULE_BUF_BIT(RULE_BUF_FILE_MAGIC))) ||
	     (r->app_has & (RULE_APP_HAS_FILESIZE | RULE_APP_HAS_FILEHASH | RULE_APP_HAS_FILE))) &&
	    need != APP_PROTO_UNKNOWN && need != APP_PROTO_HTTP && need != APP_PROTO_SMTP &&
	    need != APP_PROTO_FTPDATA)
		return rule_err(c, "protocol %s doesn't support file matching",
				rule_app_proto_name(need));
	r->app_proto = (uint8_t)need;
	if (hassh_contents(c) || rule_frame_finish(c))
		return -EINVAL;
	return rule_xform_finish(c);
}

int rule_pcre_http_flag(char f, enum rule_buffer *out)
{
	static const struct {
		char f;
		enum rule_buffer b;
	} flags[] = {
		{ 'U', RULE_BUF_HTTP_URI }, { 'I', RULE_BUF_HTTP_URI_RAW },
		{ 'P', RULE_BUF_HTTP_REQUEST_BODY }, { 'Q', RULE_BUF_HTTP_RESPONSE_BODY },
		{ 'H', RULE_BUF_HTTP_HEADER }, { 'D', RULE_BUF_HTTP_HEADER_RAW },
		{ 'M', RULE_BUF_HTTP_METHOD }, { 'C', RULE_BUF_HTTP_COOKIE },
		{ 'S', RULE_BUF_HTTP_STAT_CODE }, { 'Y', RULE_BUF_HTTP_STAT_MSG },
		{ 'V', RULE_BUF_HTTP_USER_AGENT }, { 'W', RULE_BUF_HTTP_HOST },
	};

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (flags[i].f == f) {
			*out = flags[i].b;
			return 0;
		}
	}
	return -EINVAL;
}
