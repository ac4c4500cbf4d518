/* SPDX-License-Identifier: MIT */
/* The app-layer part of alert records, named as Suricata's EVE: "tx_id",
 * "app_proto", and the "http" (EveHttpLogJSONBasic/Extended), "tls"
 * (JsonTlsLogJSONBasic/Extended) and "dns" objects of the transaction. */
#include <stdio.h>

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

void eve_put_http(struct json_w *j, const struct app_http_info *h)
{
	json_obj_open(j, "http");
	opt_str(j, "hostname", h->hostname);
	opt_str(j, "url", h->url);
	opt_str(j, "http_user_agent", h->user_agent);
	opt_str(j, "http_content_type", h->content_type);
	opt_str(j, "http_refer", h->referer);
	opt_str(j, "http_method", h->method);
	opt_str(j, "protocol", h->protocol);
	if (h->status >= 0)
		json_uint(j, "status", (uint64_t)h->status);
	if (h->length >= 0)
		json_uint(j, "length", (uint64_t)h->length);
	json_obj_close(j);
}

void eve_put_tls(struct json_w *j, const struct app_tls_info *t)
{
	json_obj_open(j, "tls");
	opt_str(j, "subject", t->subject);
	opt_str(j, "issuerdn", t->issuer);
	opt_str(j, "serial", t->serial);
	opt_str(j, "fingerprint", t->fingerprint);
	opt_str(j, "sni", t->sni);
	opt_str(j, "version", t->version);
	if (t->ja3_hash != NULL) {
		json_obj_open(j, "ja3");
		json_str(j, "hash", t->ja3_hash);
		opt_str(j, "string", t->ja3_string);
		json_obj_close(j);
	}
	if (t->ja3s_hash != NULL) {
		json_obj_open(j, "ja3s");
		json_str(j, "hash", t->ja3s_hash);
		opt_str(j, "string", t->ja3s_string);
		json_obj_close(j);
	}
	json_obj_close(j);
}

/* Record types by number (RFC 1035 and successors); others in decimal. */
static void put_rrtype(struct json_w *j, uint16_t t)
{
	static const struct { uint16_t t; const char *n; } names[] = {
		{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 12, "PTR" },
		{ 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" }, { 33, "SRV" }, { 35, "NAPTR" },
		{ 43, "DS" }, { 46, "RRSIG" }, { 47, "NSEC" }, { 48, "DNSKEY" }, { 65, "HTTPS" },
		{ 252, "AXFR" }, { 255, "ANY" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].t == t) {
			json_str(j, "rrtype", names[i].n);
			return;
		}
	}
	json_uint(j, "rrtype", t);
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
		json_str(j, "rrname", d->rrname);
		put_rrtype(j, d->rrtype);
	}
	if (rc != NULL)
		json_str(j, "rcode", rc);
	else
		json_uint(j, "rcode", d->rcode);
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
		json_str(j, "rrname", d->rrname);
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
void eve_put_dns_v2(struct json_w *j, const struct app_dns_info *d, uint64_t tx_id)
{
	json_obj_open(j, "dns");
	if (!d->response) {
		json_str(j, "type", "query");
		json_uint(j, "id", d->id);
		if (d->rrname != NULL) {
			json_str(j, "rrname", d->rrname);
			put_rrtype(j, d->rrtype);
		}
		json_uint(j, "tx_id", tx_id);
		json_uint(j, "opcode", d->opcode);
		json_obj_close(j);
		return;
	}
	put_dns_answer(j, d, false);
	json_obj_close(j);
}

void eve_put_app(struct json_w *j, const struct eve_app *app)
{
	const char *name = eve_app_proto_name(app->proto);

	if (app->has_tx)
		json_uint(j, "tx_id", app->tx_id);
	if (name != NULL)
		json_str(j, "app_proto", name);
	if (app->has_http)
		eve_put_http(j, &app->http);
	if (app->has_tls)
		eve_put_tls(j, &app->tls);
	if (app->has_dns)
		put_dns(j, &app->dns, app->tx_id);
}
