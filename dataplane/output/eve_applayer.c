/* SPDX-License-Identifier: MIT */
/* The app-layer part of alert records, named as Suricata's EVE: "tx_id",
 * "app_proto", and the "http" (EveHttpLogJSONBasic/Extended), "tls"
 * (JsonTlsLogJSONBasic/Extended), "dns", "ssh" (and the others') objects of
 * the transaction. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "eve-int.h"

void eve_writer_set_app(struct eve_writer *w, const struct eve_app *app)
{
	for (; w != NULL; w = w->next)
		w->app = app;
}

const char *eve_app_proto_name(uint8_t p)
{
	switch (p) {
	case APP_PROTO_HTTP:
		return "http";
	case APP_PROTO_TLS:
		return "tls";
	case APP_PROTO_DNS:
		return "dns";
	case APP_PROTO_FAILED:
		return "failed";
	case APP_PROTO_SMTP:
		return "smtp";
	case APP_PROTO_FTP:
		return "ftp";
	case APP_PROTO_SMB:
		return "smb";
	case APP_PROTO_SSH:
		return "ssh";
	case APP_PROTO_DCERPC:
		return "dcerpc";
	case APP_PROTO_FTPDATA:
		return "ftp-data";
	default:
		return NULL;
	}
}

static void opt_str(struct json_w *j, const char *key, const char *v)
{
	if (v != NULL)
		json_str(j, key, v);
}

/* A protocol field Suricata 7 writes with JsonBuilder's
 * set_string_from_bytes (non-UTF-8 bytes as \xNN text). */
static void opt_bytes(struct json_w *j, const char *key, const char *v)
{
	if (v != NULL)
		json_strn_bytes(j, key, v, strlen(v));
}

/* Suricata's http_fields (output-json-http.c): the names "custom" takes
 * (its own or the header's) and the header each logs; referer is an
 * extended field, not logged twice. */
static const struct {
	const char *config, *header;
	bool extended;
} http_fields[] = {
	{ "accept", "accept", false }, { "accept_charset", "accept-charset", false },
	{ "accept_encoding", "accept-encoding", false },
	{ "accept_language", "accept-language", false },
	{ "accept_datetime", "accept-datetime", false },
	{ "authorization", "authorization", false }, { "cache_control", "cache-control", false },
	{ "cookie", "cookie", false }, { "from", "from", false },
	{ "max_forwards", "max-forwards", false }, { "origin", "origin", false },
	{ "pragma", "pragma", false }, { "proxy_authorization", "proxy-authorization", false },
	{ "range", "range", false }, { "te", "te", false }, { "via", "via", false },
	{ "x_requested_with", "x-requested-with", false }, { "dnt", "dnt", false },
	{ "x_forwarded_proto", "x-forwarded-proto", false },
	{ "x_authenticated_user", "x-authenticated-user", false },
	{ "x_flash_version", "x-flash-version", false },
	{ "accept_range", "accept-range", false }, { "age", "age", false },
	{ "allow", "allow", false }, { "connection", "connection", false },
	{ "content_encoding", "content-encoding", false },
	{ "content_language", "content-language", false },
	{ "content_length", "content-length", false },
	{ "content_location", "content-location", false },
	{ "content_md5", "content-md5", false }, { "content_range", "content-range", false },
	{ "content_type", "content-type", false }, { "date", "date", false },
	{ "etag", "etags", false }, { "expires", "expires", false },
	{ "last_modified", "last-modified", false }, { "link", "link", false },
	{ "location", "location", false }, { "proxy_authenticate", "proxy-authenticate", false },
	{ "referer", "referer", true }, { "refresh", "refresh", false },
	{ "retry_after", "retry-after", false }, { "server", "server", false },
	{ "set_cookie", "set-cookie", false }, { "trailer", "trailer", false },
	{ "transfer_encoding", "transfer-encoding", false }, { "upgrade", "upgrade", false },
	{ "vary", "vary", false }, { "warning", "warning", false },
	{ "www_authenticate", "www-authenticate", false },
	{ "true_client_ip", "true-client-ip", false }, { "org_src_ip", "org-src-ip", false },
	{ "x_bluecoat_via", "x-bluecoat-via", false },
};
#define NFIELDS (sizeof(http_fields) / sizeof(http_fields[0]))

int eve_http_field(const char *name)
{
	for (size_t f = 0; f < NFIELDS; f++)
		if (strcmp(http_fields[f].config, name) == 0 ||
		    strcasecmp(http_fields[f].header, name) == 0)
			return (int)f;
	return -1;
}

static bool field_wanted(const struct eve_options *o, const struct app_http_hdr *h)
{
	for (size_t f = 0; f < NFIELDS; f++) {
		if (!(o->http_fields & (1ull << f)) || (o->http_extended && http_fields[f].extended))
			continue;
		if (strlen(http_fields[f].header) == h->nlen &&
		    strncasecmp(http_fields[f].header, h->name, h->nlen) == 0)
			return true;
	}
	return false;
}

/* EveHttpLogJSONHeaders: "request_headers" or "response_headers", every
 * header with dump-all-headers for that side, else those custom names;
 * names cut at 255 bytes, values at 2047; no list when none is logged. */
static void put_headers(struct json_w *j, const struct app_http_info *h,
			const struct eve_options *o, int side)
{
	bool all = o->http_dump & (1u << side);
	bool open = false;

	if (!all && o->http_fields == 0)
		return;
	for (uint32_t i = 0; i < h->nhdrs[side]; i++) {
		const struct app_http_hdr *x = &h->hdrs[side][i];

		if (!all && !field_wanted(o, x))
			continue;
		if (!open)
			json_arr_open(j, side ? "response_headers" : "request_headers");
		open = true;
		json_obj_open(j, NULL);
		json_strn(j, "name", x->name, x->nlen < 255 ? x->nlen : 255);
		json_strn(j, "value", x->value, x->vlen < 2047 ? x->vlen : 2047);
		json_obj_close(j);
	}
	if (open)
		json_arr_close(j);
}

/* Alert http-body(-printable): each side's buffered body, as Suricata's
 * EveHttpLogJSONBodyBase64 / BodyPrintable. */
static void put_bodies(struct json_w *j, const struct app_http_info *h,
		       const struct eve_options *alert)
{
	static const char *const b64[2] = { "http_request_body", "http_response_body" };
	static const char *const txt[2] = { "http_request_body_printable",
					    "http_response_body_printable" };

	for (int dir = 0; dir < 2; dir++) {
		if (h->body_len[dir] == 0)
			continue;
		if (alert->http_body_printable)
			json_printable(j, txt[dir], h->body[dir], h->body_len[dir]);
		if (alert->http_body)
			json_base64(j, b64[dir], h->body[dir], h->body_len[dir]);
	}
}

void eve_put_http(struct json_w *j, const struct app_http_info *h, const struct eve_options *rec,
		  const struct eve_options *alert)
{
	bool extended = rec == NULL || rec->http_extended;

	json_obj_open(j, "http");
	/* EveHttpLogJSONBasic */
	opt_bytes(j, "hostname", h->hostname);
	if (h->port >= 0)
		json_uint(j, "http_port", (uint64_t)h->port);
	opt_bytes(j, "url", h->url);
	opt_bytes(j, "http_user_agent", h->user_agent);
	opt_bytes(j, "xff", h->x_forwarded_for);
	opt_str(j, "http_content_type", h->content_type);
	if (h->content_range != NULL) {
		json_obj_open(j, "content_range");
		opt_bytes(j, "raw", h->content_range);
		if (h->range_start >= 0)
			json_uint(j, "start", (uint64_t)h->range_start);
		if (h->range_end >= 0)
			json_uint(j, "end", (uint64_t)h->range_end);
		if (h->range_size >= 0)
			json_uint(j, "size", (uint64_t)h->range_size);
		json_obj_close(j);
	}
	/* EveHttpLogJSONExtended */
	if (extended) {
		opt_bytes(j, "http_refer", h->referer);
		opt_bytes(j, "http_method", h->method);
		opt_bytes(j, "protocol", h->protocol);
		if (h->status >= 0)
			json_uint(j, "status", (uint64_t)h->status);
		opt_bytes(j, "redirect", h->redirect);
		if (h->length >= 0)
			json_uint(j, "length", (uint64_t)h->length);
	}
	if (rec != NULL) {
		put_headers(j, h, rec, 0);
		put_headers(j, h, rec, 1);
	}
	if (alert != NULL)
		put_bodies(j, h, alert);
	json_obj_close(j);
}

/* A certificate date as Suricata's CreateUtcIsoTimeString: UTC, seconds,
 * no zone ("2014-04-09T11:40:11"); a date gmtime cannot take is left out. */
static void put_cert_time(struct json_w *j, const char *key, int64_t secs)
{
	time_t t = (time_t)secs;
	struct tm tm;
	char s[32];

	if (gmtime_r(&t, &tm) == NULL || strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return;
	json_str(j, key, s);
}

int eve_tls_field(const char *name)
{
	static const struct { const char *name; uint32_t bit; } fields[] = {
		{ "version", EVE_TLS_VERSION }, { "subject", EVE_TLS_SUBJECT },
		{ "issuer", EVE_TLS_ISSUER }, { "serial", EVE_TLS_SERIAL },
		{ "fingerprint", EVE_TLS_FINGERPRINT }, { "not_before", EVE_TLS_NOTBEFORE },
		{ "not_after", EVE_TLS_NOTAFTER }, { "sni", EVE_TLS_SNI },
		{ "session_resumed", EVE_TLS_SESSION_RESUMED }, { "ja3", EVE_TLS_JA3 },
		{ "ja3s", EVE_TLS_JA3S }, { "certificate", 0 }, { "chain", 0 }, { "client", 0 },
		{ "client_certificate", 0 }, { "client_chain", 0 }, { "ja4", 0 },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcasecmp(name, fields[i].name) == 0)
			return (int)fields[i].bit;
	return -1;
}

static void put_ja3(struct json_w *j, const char *key, const char *hash, const char *str)
{
	if (hash == NULL)
		return;
	json_obj_open(j, key);
	json_str(j, "hash", hash);
	opt_str(j, "string", str);
	json_obj_close(j);
}

/* JsonTlsLogFields' order: subject, issuerdn, session_resumed, serial,
 * fingerprint, sni, version, notbefore, notafter, ja3, ja3s. */
void eve_put_tls(struct json_w *j, const struct app_tls_info *t, uint32_t fields)
{
	json_obj_open(j, "tls");
	if (fields & EVE_TLS_SUBJECT)
		opt_str(j, "subject", t->subject);
	if (fields & EVE_TLS_ISSUER)
		opt_str(j, "issuerdn", t->issuer);
	if ((fields & EVE_TLS_SESSION_RESUMED) && t->session_resumed)
		json_bool(j, "session_resumed", true);
	if (fields & EVE_TLS_SERIAL)
		opt_str(j, "serial", t->serial);
	if (fields & EVE_TLS_FINGERPRINT)
		opt_str(j, "fingerprint", t->fingerprint);
	if (fields & EVE_TLS_SNI)
		opt_str(j, "sni", t->sni);
	if (fields & EVE_TLS_VERSION)
		opt_str(j, "version", t->version);
	if ((fields & EVE_TLS_NOTBEFORE) && t->has_validity)
		put_cert_time(j, "notbefore", t->not_before);
	if ((fields & EVE_TLS_NOTAFTER) && t->has_validity)
		put_cert_time(j, "notafter", t->not_after);
	if (fields & EVE_TLS_JA3)
		put_ja3(j, "ja3", t->ja3_hash, t->ja3_string);
	if (fields & EVE_TLS_JA3S)
		put_ja3(j, "ja3s", t->ja3s_hash, t->ja3s_string);
	json_obj_close(j);
}

/* Record types by number (RFC 1035 and successors); others in decimal. */
/* Suricata's dns_rrtype_string: the type's name, else its number as a
 * string (in num, 8 bytes). */
static const char *rrtype_name(uint16_t t, char *num)
{
	static const struct { uint16_t t; const char *n; } names[] = {
		{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 10, "NULL" },
		{ 12, "PTR" }, { 13, "HINFO" }, { 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" },
		{ 33, "SRV" }, { 35, "NAPTR" }, { 41, "OPT" }, { 43, "DS" }, { 44, "SSHFP" },
		{ 46, "RRSIG" }, { 47, "NSEC" }, { 48, "DNSKEY" }, { 50, "NSEC3" }, { 52, "TLSA" },
		{ 65, "HTTPS" }, { 99, "SPF" }, { 252, "AXFR" }, { 255, "ANY" }, { 256, "URI" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].t == t)
			return names[i].n;
	snprintf(num, 8, "%u", t);
	return num;
}

static void put_rrtype(struct json_w *j, uint16_t t)
{
	char num[8];

	json_str(j, "rrtype", rrtype_name(t, num));
}

static const char *rcode_name(uint8_t rc)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN",
		"YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE",
	};

	return rc < sizeof(names) / sizeof(names[0]) ? names[rc] : NULL;
}

/* A response's fields in the version 2 form: id, flags in hex, the flag
 * booleans (z too where the alert object has it), opcode, rrname, rrtype,
 * rcode by name. */
static void put_dns_answer(struct json_w *j, const struct app_dns_info *d, bool z)
{
	static const struct { uint16_t bit; const char *name; } flag[] = {
		{ 0x0400, "aa" }, { 0x0200, "tc" }, { 0x0100, "rd" }, { 0x0080, "ra" },
	};
	const char *rc = rcode_name(d->rcode);
	char flags[8];

	json_uint(j, "version", 2);
	json_str(j, "type", "answer");
	json_uint(j, "id", d->id);
	snprintf(flags, sizeof(flags), "%x", d->flags);
	json_str(j, "flags", flags);
	json_bool(j, "qr", true);
	for (size_t i = 0; i < sizeof(flag) / sizeof(flag[0]); i++)
		if (d->flags & flag[i].bit)
			json_bool(j, flag[i].name, true);
	if (z && (d->flags & 0x0040))
		json_bool(j, "z", true);
	json_uint(j, "opcode", d->opcode);
	if (d->rrname != NULL) {
		opt_bytes(j, "rrname", d->rrname);
		put_rrtype(j, d->rrtype);
	}
	if (rc != NULL) {
		json_str(j, "rcode", rc);
	} else {
		char num[4];

		snprintf(num, sizeof(num), "%u", d->rcode & 0xf);
		json_str(j, "rcode", num);
	}
}

/* One record's "rdata" (or "soa"/"srv" object), as dns_log_json_answer_detail;
 * key NULL: as an element of a grouped list. */
static void put_rdata(struct json_w *j, const char *key, const struct app_dns_info *d,
		      const struct app_dns_rr *r)
{
	static const char *const soa[] = { "serial", "refresh", "retry", "expire", "minimum" };
	static const char *const srv[] = { "priority", "weight", "port" };

	switch (r->kind) {
	case APP_DNS_RD_TEXT:
		json_strn_bytes(j, key ? "rdata" : NULL, d->text + r->s1, r->s1_len);
		break;
	case APP_DNS_RD_SOA:
		json_obj_open(j, key ? "soa" : NULL);
		opt_bytes(j, "mname", d->text + r->s1);
		opt_bytes(j, "rname", d->text + r->s2);
		for (int i = 0; i < 5; i++)
			json_uint(j, soa[i], r->n[i]);
		json_obj_close(j);
		break;
	case APP_DNS_RD_SRV:
		json_obj_open(j, key ? "srv" : NULL);
		for (int i = 0; i < 3; i++)
			json_uint(j, srv[i], r->n[i]);
		opt_bytes(j, "name", d->text + r->s1);
		json_obj_close(j);
		break;
	default:
		break;
	}
}

/* A list of the answer (or authority) records in detailed form. */
static void put_rr_list(struct json_w *j, const char *key, const struct app_dns_info *d,
			bool authority)
{
	json_arr_open(j, key);
	for (uint32_t i = 0; i < d->nrr; i++) {
		const struct app_dns_rr *r = &d->rr[i];

		if (r->authority != authority)
			continue;
		json_obj_open(j, NULL);
		opt_bytes(j, "rrname", d->text + r->name);
		put_rrtype(j, r->type);
		json_uint(j, "ttl", r->ttl);
		put_rdata(j, "rdata", d, r);
		json_obj_close(j);
	}
	json_arr_close(j);
}

/* "grouped": the answers' rdata by record type, types in the order first
 * seen, records without rdata left out. */
static void put_grouped(struct json_w *j, const struct app_dns_info *d)
{
	json_obj_open(j, "grouped");
	for (uint32_t i = 0; i < d->nrr; i++) {
		const struct app_dns_rr *r = &d->rr[i];
		bool seen = false;
		char num[8];

		for (uint32_t k = 0; k < i && !seen; k++)
			seen = !d->rr[k].authority && d->rr[k].type == r->type &&
			       d->rr[k].kind != APP_DNS_RD_NONE;
		if (r->authority || r->kind == APP_DNS_RD_NONE || seen)
			continue;
		json_arr_open(j, rrtype_name(r->type, num));
		for (uint32_t k = i; k < d->nrr; k++)
			if (!d->rr[k].authority && d->rr[k].type == r->type)
				put_rdata(j, NULL, d, &d->rr[k]);
		json_arr_close(j);
	}
	json_obj_close(j);
}

/* "answers" (detailed), "grouped" and "authorities" of a response, as
 * Suricata 7's dns_log_json_answer with its formats. */
static void put_dns_records(struct json_w *j, const struct app_dns_info *d, unsigned formats)
{
	uint32_t nauth = 0;

	for (uint32_t i = 0; i < d->nrr; i++)
		nauth += d->rr[i].authority;
	if (d->nrr > nauth && (formats & EVE_DNS_DETAILED))
		put_rr_list(j, "answers", d, false);
	if (d->nrr > nauth && (formats & EVE_DNS_GROUPED))
		put_grouped(j, d);
	if (nauth > 0)
		put_rr_list(j, "authorities", d, true);
}

/* As Suricata 7's alert (AlertJsonDns): a request's questions in "query",
 * one object each (type, id, rrname, rrtype, tx_id, z when set, opcode); a
 * response as "answer" in the version 2 form (id, flags in hex, the flag
 * booleans, rrname, rrtype, rcode); the unused side an empty list. */
static void put_dns(struct json_w *j, const struct app_dns_info *d, uint64_t tx_id)
{
	json_obj_open(j, "dns");
	json_arr_open(j, "query");
	if (!d->response && d->rrname != NULL) {
		json_obj_open(j, NULL);
		json_str(j, "type", "query");
		json_uint(j, "id", d->id);
		opt_bytes(j, "rrname", d->rrname);
		put_rrtype(j, d->rrtype);
		json_uint(j, "tx_id", tx_id);
		if (d->flags & 0x0040)
			json_bool(j, "z", true);
		json_uint(j, "opcode", d->opcode);
		json_obj_close(j);
	}
	json_arr_close(j);
	if (d->response) {
		json_obj_open(j, "answer");
		put_dns_answer(j, d, true);
		json_obj_close(j);
	}
	json_obj_close(j);
}

/* Suricata 7's "dns" event record, version 2: a query's fields, or an
 * answer's header (version, flags, the flag booleans, rcode) and question. */
void eve_put_dns_v2(struct json_w *j, const struct app_dns_info *d, uint64_t tx_id,
		    const struct eve_options *o)
{
	json_obj_open(j, "dns");
	if (!d->response) {
		json_str(j, "type", "query");
		json_uint(j, "id", d->id);
		if (d->rrname != NULL) {
			opt_bytes(j, "rrname", d->rrname);
			put_rrtype(j, d->rrtype);
		}
		json_uint(j, "tx_id", tx_id);
		json_uint(j, "opcode", d->opcode);
		json_obj_close(j);
		return;
	}
	put_dns_answer(j, d, false);
	put_dns_records(j, d, o->dns_formats ? o->dns_formats : EVE_DNS_DETAILED | EVE_DNS_GROUPED);
	json_obj_close(j);
}

void eve_put_app_protos(struct json_w *j, uint8_t proto, const struct app_protos *ap)
{
	const struct { const char *key; uint8_t p; } other[] = {
		{ "app_proto_ts", ap->dir[APP_TO_SERVER] }, { "app_proto_tc", ap->dir[APP_TO_CLIENT] },
		{ "app_proto_orig", ap->orig }, { "app_proto_expected", ap->expect },
	};
	const char *name = eve_app_proto_name(proto);

	if (name != NULL)
		json_str(j, "app_proto", name);
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		name = eve_app_proto_name(other[i].p);
		if (other[i].p != proto && name != NULL)
			json_str(j, other[i].key, name);
	}
}

void eve_put_app(struct json_w *j, const struct eve_app *app, const struct eve_options *opt)
{
	if (app->has_tx)
		json_uint(j, "tx_id", app->tx_id);
	eve_put_app_protos(j, app->proto, &app->protos);
	if (app->has_http) {
		eve_put_http(j, &app->http, NULL, opt);
	} else if (app->http_empty) {
		json_obj_open(j, "http");
		json_obj_close(j);
	}
	if (app->has_tls)
		eve_put_tls(j, &app->tls, EVE_TLS_EXTENDED | EVE_TLS_SESSION_RESUMED);
	if (app->has_dns)
		put_dns(j, &app->dns, app->tx_id);
	if (app->has_ftpdata)
		eve_put_ftpdata(j, &app->ftpdata);
	/* no "ftp": Suricata 7's AlertAddAppLayer has no case for FTP (8.0
	 * added one); the ftp records carry it */
	if (app->has_smtp)
		eve_put_smtp_email(j, &app->smtp);
	if (app->has_ssh)
		eve_put_ssh(j, &app->ssh);
}

void eve_put_ssh(struct json_w *j, const struct app_ssh_info *s)
{
	static const char *const side_key[2] = { "client", "server" };

	json_obj_open(j, "ssh");
	for (int d = 0; d < 2; d++) {
		const struct app_ssh_side *x = &s->side[d];

		if (x->proto == NULL)
			continue;
		json_obj_open(j, side_key[d]);
		json_strn_bytes(j, "proto_version", x->proto, x->proto_len);
		if (x->software_len > 0)
			json_strn_bytes(j, "software_version", x->software, x->software_len);
		if (x->hassh != NULL) {
			json_obj_open(j, "hassh");
			opt_bytes(j, "hash", x->hassh);
			json_strn_bytes(j, "string", x->hassh_string, x->hassh_string_len);
			json_obj_close(j);
		}
		json_obj_close(j);
	}
	json_obj_close(j);
}

void eve_put_ftpdata(struct json_w *j, const struct app_ftpdata_info *d)
{
	json_obj_open(j, "ftp_data");
	if (d->name != NULL)
		json_strn(j, "filename", d->name, d->name_len);
	if (d->command != NULL)
		json_str(j, "command", d->command);
	json_obj_close(j);
}

/* Each reply line as Suricata's EveFTPLogCommand splits it: a line that
 * starts with three digits gives them to "completion_code" (want_code)
 * and the text from its fifth byte to "reply"; any other line goes to
 * "reply" whole. Returns how many entries it wrote. */
static unsigned put_reply_lines(struct json_w *j, const struct app_ftp_info *f, bool want_code)
{
	unsigned n = 0;

	for (uint32_t at = 0; at < f->reply_len;) {
		const char *l = f->reply + at;
		const char *nl = memchr(l, '\n', f->reply_len - at);
		uint32_t len = (uint32_t)(nl - l), off = 0;

		at += len + 1;
		if (len >= 3 && isdigit((unsigned char)l[0]) && isdigit((unsigned char)l[1]) &&
		    isdigit((unsigned char)l[2])) {
			off = 4;
			if (want_code) {
				if (n++ == 0)
					json_arr_open(j, "completion_code");
				json_strn(j, NULL, l, 3);
			}
		}
		if (!want_code && len >= off) {
			if (n++ == 0)
				json_arr_open(j, "reply");
			json_strn(j, NULL, l + off, len - off);
		}
	}
	if (n > 0)
		json_arr_close(j);
	return n;
}

void eve_put_ftp(struct json_w *j, const struct app_ftp_info *f)
{
	json_obj_open(j, "ftp");
	if (f->command != NULL)
		json_str(j, "command", f->command);
	/* the bytes after the name and one more (the blank) */
	if (f->request_len > f->command_len) {
		json_strn(j, "command_data", (const char *)f->request + f->command_len + 1,
			  f->request_len - f->command_len - 1);
		json_bool(j, "command_truncated", f->request_cut);
	}
	put_reply_lines(j, f, true);
	put_reply_lines(j, f, false);
	if (f->dyn_port != 0)
		json_uint(j, "dynamic_port", f->dyn_port);
	if (f->port_cmd)
		json_str(j, "mode", f->active ? "active" : "passive");
	json_str(j, "reply_received", f->done ? "yes" : "no");
	json_bool(j, "reply_truncated", f->reply_cut);
	json_obj_close(j);
}

/* EveEmailJsonArrayFromCommaList: the value's comma-separated elements,
 * blanks before each skipped, empty ones left out; no list when none. */
static void put_comma_list(struct json_w *j, const char *key, const char *v, size_t len)
{
	bool open = false;

	for (size_t at = 0; at < len;) {
		const char *e = memchr(v + at, ',', len - at);
		size_t end = e ? (size_t)(e - v) : len, s = at;

		at = end + 1;
		if (end == s)
			continue;	/* strtok_r skips empty tokens */
		while (s < end && (v[s] == ' ' || v[s] == '\t'))
			s++;
		if (!open)
			json_arr_open(j, key);
		open = true;
		json_strn(j, NULL, v + s, end - s);
	}
	if (open)
		json_arr_close(j);
}

void eve_put_smtp_email(struct json_w *j, const struct app_smtp_info *m)
{
	static const char *const hdr_keys[3] = { "from", "to", "cc" };

	json_obj_open(j, "smtp");
	if (m->helo != NULL)
		json_strn(j, "helo", m->helo, m->helo_len);
	if (m->mail_from != NULL)
		json_strn(j, "mail_from", m->mail_from, m->mail_from_len);
	if (m->rcpt_len > 0) {
		json_arr_open(j, "rcpt_to");
		for (uint32_t at = 0; at < m->rcpt_len;) {
			const char *r = m->rcpt + at;
			uint32_t n = (uint32_t)((const char *)memchr(r, '\n', m->rcpt_len - at) - r);

			json_strn(j, NULL, r, n);
			at += n + 1;
		}
		json_arr_close(j);
	}
	json_obj_close(j);
	if (!m->has_email)
		return;
	json_obj_open(j, "email");
	json_str(j, "status", m->status);
	for (int i = 0; i < 3; i++) {
		if (m->hdr[i] == NULL)
			continue;
		if (i == 0)
			json_strn(j, hdr_keys[i], m->hdr[i], m->hdr_len[i]);
		else
			put_comma_list(j, hdr_keys[i], m->hdr[i], m->hdr_len[i]);
	}
	if (m->natt > 0) {
		json_arr_open(j, "attachment");
		for (uint8_t i = 0; i < m->natt; i++)
			json_strn(j, NULL, m->att[i], m->att_len[i]);
		json_arr_close(j);
	}
	json_obj_close(j);
}
