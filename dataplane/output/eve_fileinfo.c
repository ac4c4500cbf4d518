/* SPDX-License-Identifier: MIT */
/* "fileinfo" records, as Suricata 7's file logger (output-json-file.c,
 * JsonBuildFileInfoRecord and EveFileInfo): the header seen from the
 * file's sender, the transaction's "http" object, "app_proto", then
 * "fileinfo" {filename, magic (force-magic), gaps, state, md5/sha1
 * (CLOSED only), sha256, stored, size, start/end (a range), tx_id}. */
#include "../flow/flow-t.h"
#include "eve-int.h"

struct fileinfo_ctx {
	const struct flow *f;
	const struct eve_app *app;
	const struct app_file_info *fi;
	unsigned from;               /* 0: a request's file, 1: a response's */
};

static void put_hex(struct json_w *j, const char *key, const uint8_t *d, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char s[2 * 32 + 1];

	for (size_t i = 0; i < n; i++) {
		s[2 * i] = hex[d[i] >> 4];
		s[2 * i + 1] = hex[d[i] & 15];
	}
	json_strn(j, key, s, 2 * n);
}

void eve_put_fileinfo(struct json_w *j, const struct app_file_info *fi)
{
	json_obj_open(j, "fileinfo");
	json_strn(j, "filename", fi->name, fi->name_len);
	if (fi->magic != NULL)
		json_str(j, "magic", fi->magic);
	/* Suricata 7 marks a file's gaps only for parsers that take a stream
	 * hole (SMB, NFS); HTTP, SMTP and ftp-data stop at one instead */
	json_bool(j, "gaps", false);
	json_str(j, "state", fi->closed ? "CLOSED" : "TRUNCATED");
	if (fi->md5 != NULL)
		put_hex(j, "md5", fi->md5, 16);
	if (fi->sha1 != NULL)
		put_hex(j, "sha1", fi->sha1, 20);
	if (fi->sha256 != NULL)
		put_hex(j, "sha256", fi->sha256, 32);
	json_bool(j, "stored", false);
	json_uint(j, "size", fi->size);
	if (fi->end > 0) {
		json_uint(j, "start", fi->start);
		json_uint(j, "end", fi->end);
	}
	json_uint(j, "tx_id", fi->tx_id);
	json_obj_close(j);
}

static void build_fileinfo(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct fileinfo_ctx *c = arg;
	const char *proto = eve_app_proto_name(c->app->proto);

	json_obj_open(j, NULL);
	eve_put_flow_header(j, w, c->f, "fileinfo", c->from, c->app->pkt, NULL);
	eve_put_flow_common(j, w, c->f);
	if (c->app->has_http)
		eve_put_http(j, &c->app->http, NULL, NULL);
	if (c->app->has_smtp)
		eve_put_smtp_email(j, &c->app->smtp);
	if (proto != NULL)
		json_str(j, "app_proto", proto);
	eve_put_fileinfo(j, c->fi);
	eve_close_record(j, w);
}

void eve_write_fileinfo(struct eve_writer *w, const struct flow *f, const struct eve_app *app,
			unsigned from, const struct app_file_info *fi)
{
	struct fileinfo_ctx c = { .f = f, .app = app, .fi = fi, .from = from };

	eve_emit(w, EVE_T_FILEINFO, build_fileinfo, &c);
}
