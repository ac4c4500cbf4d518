/* SPDX-License-Identifier: MIT */
/* The reply writer: one set of calls, two renderings. JSON goes through the
 * shared json writer; the human form is YAML-like indented text:
 *
 *   node: ids-a
 *   vrrp:
 *     state: MASTER
 *   rules:
 *     - sid: 1
 *       msg: ...
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mgmt-priv.h"

int mgmt_reply_init(struct mgmt_reply *r, bool json)
{
	memset(r, 0, sizeof(*r));
	r->json = json;
	if (json) {
		if (json_init_growable(&r->j, 1024))
			return -ENOMEM;
		json_obj_open(&r->j, NULL);
	}
	return 0;
}

void mgmt_reply_release(struct mgmt_reply *r)
{
	if (r->json)
		json_release(&r->j);
	free(r->txt);
	r->txt = NULL;
}

static void txt_add(struct mgmt_reply *r, const char *s, size_t n)
{
	if (r->oom)
		return;
	if (r->txt_cap - r->txt_len < n + 1) {
		size_t cap = r->txt_cap ? r->txt_cap : 256;
		char *p;

		while (cap - r->txt_len < n + 1)
			cap *= 2;
		p = realloc(r->txt, cap);
		if (!p) {
			r->oom = true;
			return;
		}
		r->txt = p;
		r->txt_cap = cap;
	}
	memcpy(r->txt + r->txt_len, s, n);
	r->txt_len += n;
	r->txt[r->txt_len] = '\0';
}

/* The start of a human line: indentation, then "key: " or "- ". */
static void txt_lead(struct mgmt_reply *r, const char *key, bool container)
{
	static const char spaces[] = "                                                ";
	unsigned int ind = r->depth * 2;

	if (ind > sizeof(spaces) - 1)
		ind = sizeof(spaces) - 1;
	txt_add(r, spaces, ind);
	if (key) {
		txt_add(r, key, strlen(key));
		txt_add(r, container ? ":" : ": ", container ? 1 : 2);
	} else {
		txt_add(r, container ? "-" : "- ", container ? 1 : 2);
	}
}

static void open_common(struct mgmt_reply *r, const char *key, bool arr)
{
	if (r->json) {
		if (arr)
			json_arr_open(&r->j, key);
		else
			json_obj_open(&r->j, key);
		return;
	}
	txt_lead(r, key, true);
	txt_add(r, "\n", 1);
	if (r->depth + 1 < JSON_MAX_DEPTH)
		r->in_arr[++r->depth] = arr;
}

void mgmt_reply_obj_open(struct mgmt_reply *r, const char *key)
{
	open_common(r, key, false);
}

void mgmt_reply_arr_open(struct mgmt_reply *r, const char *key)
{
	open_common(r, key, true);
}

static void close_common(struct mgmt_reply *r, bool arr)
{
	if (r->json) {
		if (arr)
			json_arr_close(&r->j);
		else
			json_obj_close(&r->j);
		return;
	}
	if (r->depth > 0)
		r->depth--;
}

void mgmt_reply_obj_close(struct mgmt_reply *r)
{
	close_common(r, false);
}

void mgmt_reply_arr_close(struct mgmt_reply *r)
{
	close_common(r, true);
}

static void txt_scalar(struct mgmt_reply *r, const char *key, const char *v)
{
	txt_lead(r, key, false);
	txt_add(r, v, strlen(v));
	txt_add(r, "\n", 1);
}

void mgmt_reply_str(struct mgmt_reply *r, const char *key, const char *s)
{
	if (r->json)
		json_str(&r->j, key, s);
	else
		txt_scalar(r, key, s ? s : "");
}

void mgmt_reply_uint(struct mgmt_reply *r, const char *key, uint64_t v)
{
	char b[24];

	if (r->json) {
		json_uint(&r->j, key, v);
		return;
	}
	snprintf(b, sizeof(b), "%" PRIu64, v);
	txt_scalar(r, key, b);
}

void mgmt_reply_int(struct mgmt_reply *r, const char *key, int64_t v)
{
	char b[24];

	if (r->json) {
		json_int(&r->j, key, v);
		return;
	}
	snprintf(b, sizeof(b), "%" PRId64, v);
	txt_scalar(r, key, b);
}

void mgmt_reply_bool(struct mgmt_reply *r, const char *key, bool v)
{
	if (r->json)
		json_bool(&r->j, key, v);
	else
		txt_scalar(r, key, v ? "true" : "false");
}

static bool secret_key(const char *name)
{
	static const char *const words[] = {
		"password", "passwd", "secret", "auth_pass", "psk", "passphrase", "token",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(name, words[i]))
			return true;
	return false;
}

static void conf_node_out(struct mgmt_reply *r, const char *key, const struct conf_node *n,
			  unsigned int depth)
{
	if (!n->child) {
		mgmt_reply_str(r, key, secret_key(n->name) ? "<redacted>" :
				       (n->value ? n->value : ""));
		return;
	}
	if (depth >= JSON_MAX_DEPTH - 2) {
		mgmt_reply_str(r, key, "...");
		return;
	}
	if (n->is_seq)
		mgmt_reply_arr_open(r, key);
	else
		mgmt_reply_obj_open(r, key);
	for (const struct conf_node *c = n->child; c; c = c->next)
		conf_node_out(r, n->is_seq ? NULL : c->name, c, depth + 1);
	if (n->is_seq)
		mgmt_reply_arr_close(r);
	else
		mgmt_reply_obj_close(r);
}

void mgmt_reply_conf(struct mgmt_reply *r, const char *key, const struct conf_node *n)
{
	if (n)
		conf_node_out(r, key, n, 1);
}

bool mgmt_reply_is_json(const struct mgmt_reply *r)
{
	return r->json;
}

int mgmt_reply_error(struct mgmt_reply *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	/* one line: the client prints it as its reason */
	r->msg[strcspn(r->msg, "\r\n")] = '\0';
	r->failed = true;
	r->err = err;
	return err;
}

void mgmt_reply_raw(struct mgmt_reply *r, const char *s, size_t n)
{
	r->raw = true;
	txt_add(r, s, n);
}

const char *mgmt_reply_body(struct mgmt_reply *r, size_t *len)
{
	if (r->json && !r->raw) {
		json_obj_close(&r->j);
		json_newline(&r->j);
	}
	return mgmt_reply_sofar(r, len);
}

const char *mgmt_reply_sofar(const struct mgmt_reply *r, size_t *len)
{
	if (r->json && !r->raw) {
		if (!json_ok(&r->j))
			return NULL;
		*len = json_len(&r->j);
		return r->j.buf;
	}
	if (r->oom)
		return NULL;
	*len = r->txt_len;
	return r->txt ? r->txt : "";
}

void mgmt_reply_consume(struct mgmt_reply *r, size_t n)
{
	if (r->json && !r->raw) {
		json_drop_front(&r->j, n);
		return;
	}
	if (n > r->txt_len)
		n = r->txt_len;
	memmove(r->txt, r->txt + n, r->txt_len - n);
	r->txt_len -= n;
	if (r->txt)
		r->txt[r->txt_len] = '\0';
}
