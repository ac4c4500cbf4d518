// SPDX-License-Identifier: MIT
/* The Snort 3 rule dialect (docs.snort.org, snort3 doc/upgrade/differences.txt),
 * mapped onto the engine's Suricata forms.
 *
 * Which dialect a rule is in is decided per rule, before its options are
 * read, and only where the text cannot be Suricata (each of these is an
 * error in Suricata 7):
 *   - a header without addresses or ports ("alert http (...)",
 *     "alert tcp $A -> $B (...)");
 *   - a content with text after its closing quote (content:"x",nocase);
 *   - a keyword Suricata does not have and Snort 3 does (service, bufferlen,
 *     raw_data, http_raw_body, http_version, ...);
 *   - an HTTP buffer keyword (http_uri, http_header, ...) with a value, or
 *     before the rule's first content when a content follows (a Suricata
 *     content modifier needs a content before it; one with no content at
 *     all stays Suricata's "needs a preceding content").
 * Anything else is read as Suricata: "content:\"a\"; http_uri;" modifies the
 * content before it, as it always did.
 *
 * In a Snort 3 rule:
 *   - content:[!]"x"[, nocase][, offset N][, depth N][, distance N][, within N]
 *     [, fast_pattern][, fast_pattern_offset N][, fast_pattern_length N]:
 *     the suboptions of Suricata's content modifiers (N may be a byte_extract
 *     name); ';'-separated modifiers are refused, as Snort 3 refuses them;
 *   - every buffer keyword is sticky and comes before its contents (one
 *     that no match follows is refused: likely a Suricata modifier):
 *     http_uri http_raw_uri http_header http_raw_header http_method
 *     http_client_body http_cookie http_raw_cookie http_stat_code
 *     http_stat_msg http_version http_raw_request http_raw_status
 *     http_raw_body file_data pkt_data raw_data; http_header:field NAME
 *     selects the headers the engine has a buffer for (user-agent, host,
 *     referer, ...); file_data and http_raw_body are the request body on a
 *     to_server rule, else the response body (Snort 3's file_data is the
 *     message body of either), the attachments of an smtp rule and the file
 *     of an ftp-data rule;
 *   - service:a[,b...]: as Snort 3 documents it, an "OR ports": the rule
 *     applies to flows whose ports match its header or whose detected
 *     protocol is one of those (rule.services); a service this engine does
 *     not detect (imap, sunrpc, ...) leaves only the ports. A rule whose
 *     buffers need a protocol that is listed ignores its ports;
 *   - a service rule (alert http (...)) or a header without ports matches
 *     any address and port; alert ssl is TLS, netbios-ssn SMB; alert file
 *     is a tcp rule on any flow, its file_data the engine's file.data;
 *   - bufferlen:[op]N | A<=>B (inclusive) | A<>B: the current buffer's
 *     length (bsize; on pkt_data the payload's);
 *   - tag:session|host_src|host_dst[, packets|seconds|bytes N]: Suricata's
 *     tag; byte_extract may name a variable again (it is overwritten);
 *     rem:"..." is a remark.
 * Snort 3 keywords with no equivalent here (dce_*, sip_*, ber_*, js_data,
 * http_param, ...) fail the rule as unsupported keywords. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule-int.h"

/* Keywords of Snort 3 that Suricata 7 does not have: their presence makes
 * a rule Snort 3 (most still fail as unsupported here). */
static const char *const snort3_only[] = {
	"service", "bufferlen", "raw_data", "http_raw_body", "http_version", "http_raw_request",
	"http_raw_status", "http_raw_cookie", "http_true_ip", "http_param", "http_trailer",
	"http_raw_trailer", "http_num_headers", "http_num_trailers", "js_data", "vba_data", "rem",
	"soid", "regex", "sd_pattern", "ber_data", "ber_skip", "file_meta", "file_type",
};

/* Snort 3's sticky HTTP buffers; by_dir: the request's body on a to_server
 * rule, else the response's. */
static const struct {
	const char *name;
	enum rule_buffer buf;
	bool by_dir;
} snort3_bufs[] = {
	{ "http_uri", RULE_BUF_HTTP_URI, false },
	{ "http_raw_uri", RULE_BUF_HTTP_URI_RAW, false },
	{ "http_header", RULE_BUF_HTTP_HEADER, false },
	{ "http_raw_header", RULE_BUF_HTTP_HEADER_RAW, false },
	{ "http_method", RULE_BUF_HTTP_METHOD, false },
	{ "http_client_body", RULE_BUF_HTTP_REQUEST_BODY, false },
	/* Suricata's http.cookie is the header value as sent: both forms */
	{ "http_cookie", RULE_BUF_HTTP_COOKIE, false },
	{ "http_raw_cookie", RULE_BUF_HTTP_COOKIE, false },
	{ "http_stat_code", RULE_BUF_HTTP_STAT_CODE, false },
	{ "http_stat_msg", RULE_BUF_HTTP_STAT_MSG, false },
	{ "http_version", RULE_BUF_HTTP_PROTOCOL, false },
	{ "http_raw_request", RULE_BUF_HTTP_REQUEST_LINE, false },
	{ "http_raw_status", RULE_BUF_HTTP_RESPONSE_LINE, false },
	{ "http_raw_body", RULE_BUF_HTTP_RESPONSE_BODY, true },
};

/* http_header:field NAME -> the engine's buffer of that header's value. */
static const struct {
	const char *name;
	enum rule_buffer buf;
} header_fields[] = {
	{ "user-agent", RULE_BUF_HTTP_USER_AGENT }, { "host", RULE_BUF_HTTP_HOST_RAW },
	{ "referer", RULE_BUF_HTTP_REFERER }, { "accept", RULE_BUF_HTTP_ACCEPT },
	{ "accept-language", RULE_BUF_HTTP_ACCEPT_LANG },
	{ "accept-encoding", RULE_BUF_HTTP_ACCEPT_ENC },
	{ "connection", RULE_BUF_HTTP_CONNECTION }, { "content-type", RULE_BUF_HTTP_CONTENT_TYPE },
	{ "content-length", RULE_BUF_HTTP_CONTENT_LEN }, { "location", RULE_BUF_HTTP_LOCATION },
	{ "server", RULE_BUF_HTTP_SERVER }, { "cookie", RULE_BUF_HTTP_COOKIE },
	{ "set-cookie", RULE_BUF_HTTP_COOKIE },
};

/* Snort 3 service names (its wizard's) -> the protocols this engine detects.
 * The others are accepted and never detected. */
static const struct {
	const char *name;
	enum app_proto proto;
} services[] = {
	{ "http", APP_PROTO_HTTP }, { "ssl", APP_PROTO_TLS }, { "dns", APP_PROTO_DNS },
	{ "smtp", APP_PROTO_SMTP }, { "ftp", APP_PROTO_FTP }, { "ftp-data", APP_PROTO_FTPDATA },
	{ "ssh", APP_PROTO_SSH }, { "netbios-ssn", APP_PROTO_SMB }, { "dcerpc", APP_PROTO_DCERPC },
};

enum app_proto rule_snort3_service(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strlen(services[i].name) == n && strncasecmp(name, services[i].name, n) == 0)
			return services[i].proto;
	return APP_PROTO_UNKNOWN;
}

static bool is_buf_kw(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(snort3_bufs) / sizeof(snort3_bufs[0]); i++)
		if (strlen(snort3_bufs[i].name) == n && strncasecmp(name, snort3_bufs[i].name, n) == 0)
			return true;
	return false;
}

/* Length of the quoted string at s (s[0] == '"'), quotes included; 0 when
 * it has no closing quote. */
static size_t quoted_len(const char *s, size_t len)
{
	for (size_t i = 1; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

/* content's value goes on with a comma after its closing quote */
static bool content_has_suboptions(const char *v, size_t len)
{
	size_t i = 0, q;

	if (i < len && v[i] == '!')
		i++;
	while (i < len && isspace((unsigned char)v[i]))
		i++;
	if (i == len || v[i] != '"')
		return false;
	q = quoted_len(v + i, len - i);
	if (q == 0)
		return false;
	for (i += q; i < len && isspace((unsigned char)v[i]); i++)
		;
	return i < len && v[i] == ',';
}

/* Header fields between the action and '(' */
static int header_tokens(const char *h, const char *end)
{
	int n = 0;

	for (;;) {
		int level = 0;

		while (h < end && isspace((unsigned char)*h))
			h++;
		if (h == end)
			return n;
		n++;
		while (h < end && (level > 0 || !isspace((unsigned char)*h))) {
			level += *h == '[';
			level -= *h == ']';
			h++;
		}
	}
}

/* An option's name (trimmed) and value (after ':', untrimmed; vlen 0 and
 * *val NULL without one). */
static void split_option(const char *opt, size_t len, const char **name, size_t *nlen,
			 const char **val, size_t *vlen)
{
	const char *colon = memchr(opt, ':', len);
	size_t n = colon ? (size_t)(colon - opt) : len;

	*val = colon ? colon + 1 : NULL;
	*vlen = colon ? len - n - 1 : 0;
	while (n && isspace((unsigned char)*opt)) {
		opt++;
		n--;
	}
	while (n && isspace((unsigned char)opt[n - 1]))
		n--;
	*name = opt;
	*nlen = n;
}

static bool name_is(const char *name, size_t n, const char *kw)
{
	return strlen(kw) == n && strncasecmp(name, kw, n) == 0;
}

bool rule_snort3_detect(const char *text, const char *open, const char *close)
{
	int nhdr = header_tokens(text, open);
	const char *p = open + 1, *opt, *name, *val;
	bool content_seen = false, buffer_first = false;
	size_t len, n, vlen;

	if (nhdr == 2 || nhdr == 5)
		return true;
	while (rule_next_option(&p, close, &opt, &len) > 0) {
		split_option(opt, len, &name, &n, &val, &vlen);
		for (size_t i = 0; i < sizeof(snort3_only) / sizeof(snort3_only[0]); i++)
			if (name_is(name, n, snort3_only[i]))
				return true;
		if (name_is(name, n, "content")) {
			if ((val != NULL && content_has_suboptions(val, vlen)) || buffer_first)
				return true;
			content_seen = true;
		} else if (is_buf_kw(name, n)) {
			bool has_val = false;

			for (size_t i = 0; i < vlen; i++)
				has_val |= !isspace((unsigned char)val[i]);
			if (has_val)
				return true;
			buffer_first |= !content_seen;
		}
	}
	return false;
}

/* What the options say that other options depend on, read before them:
 * the services, and whether the rule is to the server (file_data). */
void rule_snort3_prescan(struct rule_ctx *c, const char *p, const char *end)
{
	const char *opt, *name, *val;
	size_t len, n, vlen;

	while (rule_next_option(&p, end, &opt, &len) > 0) {
		char *v;

		split_option(opt, len, &name, &n, &val, &vlen);
		if (val == NULL || !(name_is(name, n, "flow") || name_is(name, n, "service")))
			continue;
		v = strndup(val, vlen);
		if (v == NULL)
			return;
		if (name_is(name, n, "flow")) {
			c->s3_to_server = strstr(v, "to_server") || strstr(v, "from_client");
		} else {
			c->s3_services |= rule_snort3_service_mask(v);
			c->s3_service_listed = true;
		}
		free(v);
	}
}

uint16_t rule_snort3_service_mask(const char *v)
{
	uint16_t mask = 0;

	while (*v) {
		size_t n;
		enum app_proto p;

		v += strspn(v, " \t,");
		n = strcspn(v, " \t,");
		if (n == 0)
			break;
		p = rule_snort3_service(v, n);
		if (p != APP_PROTO_UNKNOWN)
			mask |= (uint16_t)(1u << p);
		v += n;
	}
	return mask;
}

/* service:name[,name...]: names of letters, digits, '-', '_', '.'. */
static int kw_service(struct rule_ctx *c, const char *v)
{
	const char *p = v;

	if (c->have_service)
		return rule_err(c, "duplicate keyword 'service'");
	c->have_service = true;
	while (*p) {
		size_t n;

		p += strspn(p, " \t");
		n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
		if (n == 0)
			return rule_err(c, "invalid service: '%s'", v);
		p += n;
		p += strspn(p, " \t");
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return rule_err(c, "invalid service: '%s'", v);
	}
	c->r->services = rule_snort3_service_mask(v);
	return 0;
}

/* One content suboption "name [value]". fp_off/fp_len collect the
 * fast_pattern_offset/_length pair. */
static int content_sub(struct rule_ctx *c, char *s, int *fp, int64_t *fp_off, int64_t *fp_len)
{
	static const struct {
		const char *name;
		int (*fn)(struct rule_ctx *c, const char *v);
	} valued[] = {
		{ "offset", kw_offset_var }, { "depth", kw_depth_var },
		{ "distance", kw_distance_var }, { "within", kw_within_var },
	};
	char *name = s, *val;
	uint32_t n;

	val = name + strcspn(name, " \t");
	if (*val) {
		*val++ = '\0';
		val += strspn(val, " \t");
	}
	if (strcasecmp(name, "nocase") == 0 && *val == '\0')
		return kw_nocase(c, NULL);
	if (strcasecmp(name, "fast_pattern") == 0 && *val == '\0') {
		*fp = 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(valued) / sizeof(valued[0]); i++) {
		if (strcasecmp(name, valued[i].name) != 0)
			continue;
		if (*val == '\0')
			return rule_err(c, "content suboption '%s' needs a value", name);
		return valued[i].fn(c, val);
	}
	if (strcasecmp(name, "fast_pattern_offset") == 0 || strcasecmp(name, "fast_pattern_length") == 0) {
		if (rule_parse_u32(val, &n) || n > 65535)
			return rule_err(c, "invalid %s: '%s'", name, val);
		*(name[13] == 'o' ? fp_off : fp_len) = n;
		return 0;
	}
	return rule_err(c, "unsupported content suboption '%s'", name);
}

/* content:[!]"x"[, suboption ...] */
static int kw_content_snort3(struct rule_ctx *c, const char *v)
{
	size_t len = strlen(v), i = 0, q;
	int64_t fp_off = -1, fp_len = -1;
	int fp = 0, rc;
	char *head, *rest, *sub;

	if (v[i] == '!')
		i++;
	while (isspace((unsigned char)v[i]))
		i++;
	q = v[i] == '"' ? quoted_len(v + i, len - i) : 0;
	if (q == 0)
		return rule_err(c, "content must be a quoted string");
	head = strndup(v, i + q);
	if (head == NULL)
		return -ENOMEM;
	rc = kw_content(c, head);
	free(head);
	if (rc)
		return rc;
	rest = strdup(v + i + q);
	if (rest == NULL)
		return -ENOMEM;
	sub = rest + strspn(rest, " \t");
	if (*sub != '\0' && *sub != ',') {
		rc = rule_err(c, "content: unexpected text after the string: '%s'", sub);
		goto out;
	}
	while (*sub == ',') {
		char *s = sub + 1, *e = strchr(s, ',');
		char *t;

		if (e)
			*e = '\0';
		t = rule_strtrim(s, strlen(s));
		if (t == NULL) {
			rc = -ENOMEM;
			goto out;
		}
		rc = content_sub(c, t, &fp, &fp_off, &fp_len);
		free(t);
		if (rc)
			goto out;
		if (e == NULL)
			break;
		*e = ',';
		sub = e;
	}
	if (fp_off >= 0 || fp_len >= 0) {
		const struct rule_content *ct = &c->r->match[c->last_content].content;
		char chop[48];

		if (fp_off < 0)
			fp_off = 0;
		if (fp_len < 0)
			fp_len = (int64_t)ct->len - fp_off;
		snprintf(chop, sizeof(chop), "%lld,%lld", (long long)fp_off, (long long)fp_len);
		rc = kw_fast_pattern(c, chop);
	} else if (fp) {
		rc = kw_fast_pattern(c, NULL);
	}
out:
	free(rest);
	return rc;
}

/* The buffer file_data and http_raw_body inspect: the header protocol's
 * files (smtp, ftp-data), else the service list's first file protocol,
 * else the HTTP body of the rule's direction. */
static int file_buffer(struct rule_ctx *c, const char *kw, bool http_only, enum rule_buffer *out)
{
	uint16_t svc = c->s3_services;
	enum app_proto p = (enum app_proto)c->r->app_proto;

	if (p == APP_PROTO_UNKNOWN && c->s3_service_listed) {
		if (svc & (1u << APP_PROTO_HTTP))
			p = APP_PROTO_HTTP;
		else if (svc & (1u << APP_PROTO_SMTP))
			p = APP_PROTO_SMTP;
		else if (svc & (1u << APP_PROTO_FTPDATA))
			p = APP_PROTO_FTPDATA;
		else
			return rule_err(c, "%s of the rule's services is not supported (the engine "
				       "has file data of http, smtp and ftp-data)", kw);
	}
	if (!http_only && p == APP_PROTO_SMTP) {
		*out = RULE_BUF_SMTP_FILE_DATA;
		return 0;
	}
	if (!http_only && p == APP_PROTO_FTPDATA) {
		*out = RULE_BUF_FTPDATA_FILE_DATA;
		return 0;
	}
	*out = c->s3_to_server ? RULE_BUF_HTTP_REQUEST_BODY : RULE_BUF_HTTP_RESPONSE_BODY;
	return 0;
}

/* http_header[:field NAME] and the other buffers' options. */
static int buf_option(struct rule_ctx *c, const char *kw, enum rule_buffer *b, const char *v)
{
	char opt[64];
	const char *p = v;

	while (rule_next_field(&p, opt, sizeof(opt))) {
		/* when a message part is made available: the engine inspects a
		 * transaction's parts together */
		if (strcasecmp(opt, "with_header") == 0 || strcasecmp(opt, "with_body") == 0 ||
		    strcasecmp(opt, "with_trailer") == 0)
			continue;
		if (*b == RULE_BUF_HTTP_HEADER && strncasecmp(opt, "field", 5) == 0 &&
		    isspace((unsigned char)opt[5])) {
			const char *f = opt + 5 + strspn(opt + 5, " \t");
			size_t i;

			for (i = 0; i < sizeof(header_fields) / sizeof(header_fields[0]); i++)
				if (strcasecmp(f, header_fields[i].name) == 0)
					break;
			if (i == sizeof(header_fields) / sizeof(header_fields[0]))
				return rule_err(c, "unsupported http_header field '%s'", f);
			*b = header_fields[i].buf;
			continue;
		}
		return rule_err(c, "unsupported %s option '%s'", kw, opt);
	}
	if (*p != '\0')
		return rule_err(c, "invalid %s option: '%s'", kw, v);
	return 0;
}

/* bufferlen:[op]N | A<=>B | A<>B [, relative] */
static int kw_bufferlen(struct rule_ctx *c, const char *v)
{
	const char *incl = strstr(v, "<=>");
	struct rule_match *m;
	struct u32_cmp cmp;
	uint32_t a, b;

	if (strchr(v, ','))
		return rule_err(c, "unsupported bufferlen option in '%s'", v);
	if (incl != NULL) {
		char lo[16];
		size_t l = (size_t)(incl - v);

		if (l >= sizeof(lo))
			return rule_err(c, "invalid bufferlen: '%s'", v);
		memcpy(lo, v, l);
		lo[l] = '\0';
		if (rule_parse_u32(lo, &a) || rule_parse_u32(incl + 3, &b) || b < a || b == UINT32_MAX)
			return rule_err(c, "invalid bufferlen: '%s'", v);
		if (a == b)
			cmp = (struct u32_cmp){ .op = U32_EQ, .a = a };
		else if (a == 0)
			cmp = (struct u32_cmp){ .op = U32_LE, .a = b };
		else
			cmp = (struct u32_cmp){ .op = U32_RANGE, .a = a - 1, .b = b + 1 };
	} else if (rule_parse_u32_cmp(v, UINT32_MAX, &cmp)) {
		return rule_err(c, "invalid bufferlen: '%s'", v);
	}
	m = rule_match_new(c, MATCH_BSIZE);
	if (m == NULL)
		return -ENOMEM;
	m->bsize = cmp;
	return 0;
}

/* tag:session|host_src|host_dst[, packets N | seconds N | bytes N], as
 * Suricata's tag:session|host[,N,metric[,src|dst]]; one limit (the engine
 * keeps one). */
static int kw_tag_snort3(struct rule_ctx *c, const char *v)
{
	static const char *const scopes[][2] = {
		{ "session", "session" }, { "host_src", "host" }, { "host_dst", "host" },
	};
	char f[32], out[96];
	const char *p = v;
	size_t k;
	int n;

	if (!rule_next_field(&p, f, sizeof(f)))
		return rule_err(c, "invalid tag: '%s'", v);
	for (k = 0; k < sizeof(scopes) / sizeof(scopes[0]); k++)
		if (strcasecmp(f, scopes[k][0]) == 0)
			break;
	if (k == sizeof(scopes) / sizeof(scopes[0]))
		return rule_err(c, "invalid tag scope '%s': session, host_src or host_dst", f);
	n = snprintf(out, sizeof(out), "%s", scopes[k][1]);
	if (rule_next_field(&p, f, sizeof(f))) {
		char *num = f + strcspn(f, " \t");

		if (*num == '\0')
			return rule_err(c, "invalid tag limit '%s'", f);
		*num++ = '\0';
		num += strspn(num, " \t");
		n += snprintf(out + n, sizeof(out) - (size_t)n, ",%s,%s", num, f);
		if (*p != '\0')
			return rule_err(c, "unsupported tag: more than one limit in '%s'", v);
	}
	if (k > 0)
		snprintf(out + n, sizeof(out) - (size_t)n, "%s%s",
			 strchr(out, ',') ? "" : ",256,packets", k == 1 ? ",src" : ",dst");
	return kw_tag(c, out);
}

/* The previous buffer keyword had a match after it. */
static int buffer_used(struct rule_ctx *c)
{
	if (c->s3_buf_kw != NULL && c->r->nmatch == c->s3_buf_nmatch)
		return rule_err(c, "Snort 3 rule: nothing follows '%s' (a Snort 3 buffer comes "
			       "before its contents)", c->s3_buf_kw);
	return 0;
}

/* Switches to buffer b for the keyword kw (a name from the tables above). */
static int s3_sticky(struct rule_ctx *c, const char *kw, enum rule_buffer b)
{
	if (buffer_used(c))
		return -EINVAL;
	c->s3_buf_kw = kw;
	c->s3_buf_nmatch = c->r->nmatch;
	return rule_sticky(c, b);
}

int rule_snort3_option(struct rule_ctx *c, const char *name, const char *val)
{
	static const char *const suboptions[] = {
		"nocase", "offset", "depth", "distance", "within", "fast_pattern", "rawbytes",
	};
	bool has_val = val != NULL && val[0] != '\0';
	enum rule_buffer b;

	if (strcasecmp(name, "content") == 0) {
		if (!has_val)
			return rule_err(c, "keyword 'content' needs a value");
		return kw_content_snort3(c, val);
	}
	for (size_t i = 0; i < sizeof(suboptions) / sizeof(suboptions[0]); i++)
		if (strcasecmp(name, suboptions[i]) == 0)
			return rule_err(c, "Snort 3 rule: '%s' must follow its content after a comma",
					suboptions[i]);
	if (strcasecmp(name, "service") == 0) {
		if (!has_val)
			return rule_err(c, "keyword 'service' needs a value");
		return kw_service(c, val);
	}
	if (strcasecmp(name, "bufferlen") == 0) {
		if (!has_val)
			return rule_err(c, "keyword 'bufferlen' needs a value");
		return kw_bufferlen(c, val);
	}
	if (strcasecmp(name, "tag") == 0) {
		if (!has_val)
			return rule_err(c, "keyword 'tag' needs a value");
		return kw_tag_snort3(c, val);
	}
	if (strcasecmp(name, "raw_data") == 0 || strcasecmp(name, "pkt_data") == 0) {
		if (has_val)
			return rule_err(c, "keyword '%s' takes no value", name);
		if (buffer_used(c))
			return -EINVAL;
		c->s3_buf_kw = NULL;
		return kw_pkt_data(c, NULL);
	}
	/* rem:"text": a remark, part of the rule and nothing to detect */
	if (strcasecmp(name, "rem") == 0)
		return has_val ? 0 : rule_err(c, "keyword 'rem' needs a value");
	if (strcasecmp(name, "file_data") == 0) {
		if (has_val)
			return rule_err(c, "keyword 'file_data' takes no value");
		if (file_buffer(c, "file_data", false, &b))
			return -EINVAL;
		return s3_sticky(c, "file_data", b);
	}
	for (size_t i = 0; i < sizeof(snort3_bufs) / sizeof(snort3_bufs[0]); i++) {
		if (strcasecmp(name, snort3_bufs[i].name) != 0)
			continue;
		b = snort3_bufs[i].buf;
		if (snort3_bufs[i].by_dir && file_buffer(c, name, true, &b))
			return -EINVAL;
		if (has_val && buf_option(c, snort3_bufs[i].name, &b, val))
			return -EINVAL;
		return s3_sticky(c, snort3_bufs[i].name, b);
	}
	return -ENOENT;
}

int rule_snort3_finish(struct rule_ctx *c)
{
	struct rule *r = c->r;

	if (buffer_used(c))
		return -EINVAL;
	/* Snort 3: a rule whose protocol is one of its services is evaluated
	 * on that service's flows whatever their ports; a rule needing another
	 * protocol gains nothing from the list */
	if (r->app_proto == APP_PROTO_UNKNOWN || !r->services)
		return 0;
	if (r->services & (1u << r->app_proto)) {
		free(r->sp.r);
		free(r->dp.r);
		memset(&r->sp, 0, sizeof(r->sp));
		memset(&r->dp, 0, sizeof(r->dp));
		if (rule_parse_ports(c->env, "any", &r->sp, c->err, c->errlen) ||
		    rule_parse_ports(c->env, "any", &r->dp, c->err, c->errlen))
			return -EINVAL;
	}
	r->services = 0;
	return 0;
}
