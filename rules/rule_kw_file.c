// SPDX-License-Identifier: MIT
/* File keywords, as Suricata 7 defines them (detect-filename.c,
 * detect-filemagic.c, detect-filesize.c, detect-file-hash-common.c,
 * detect-filestore.c):
 *   filename:[!]"x"   content:[!]"x"; nocase; on file.name
 *   fileext:[!]"x"    content:[!]".x"; endswith; nocase; on file.name
 *   filemagic:[!]"x"  content:[!]"x"; nocase; on file.magic
 *   file.name, file.magic  sticky buffers, one instance per file
 *   filesize:N|<N|>N|<=N|>=N|!N|N<>M|N-M   the file's size in bytes
 *   filemd5|filesha1|filesha256:[!]LIST  the file's hash is (not) in LIST,
 *                     one hex digest a line, read when the rule is added
 *                     (rule_file_load_hashes), a relative LIST under
 *                     default-rule-path, else beside its rule file
 *   filestore[:...]   accepted; idsd stores no file (the loader warns)
 * filename, fileext and filemagic end the sticky buffer, as in Suricata:
 * the matches after them go to the packet payload. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../common/hex.h"
#include "rule-int.h"

static const struct {
	const char *name;
	uint8_t kind;             /* enum rule_hash_kind */
	uint8_t len;
} hash_kws[] = {
	{ "filemd5", RULE_HASH_MD5, 16 },
	{ "filesha1", RULE_HASH_SHA1, 20 },
	{ "filesha256", RULE_HASH_SHA256, 32 },
};

/* A content on buffer b built from the keyword's [!]"value" (quotes
 * optional), with prefix before the value; nocase, and endswith if asked. */
static int file_content(struct rule_ctx *c, const char *kw, const char *v, enum rule_buffer b,
			const char *prefix, bool endswith)
{
	bool neg = *v == '!';
	struct rule_match *m;
	size_t l;
	char *q;
	int rc;

	if (neg)
		v += 1 + strspn(v + 1, " \t");
	l = strlen(v);
	if (v[0] == '"') {
		if (l < 2 || v[l - 1] != '"')
			return rule_err(c, "invalid %s: '%s'", kw, v);
		v++;
		l -= 2;
	}
	if (l == 0)
		return rule_err(c, "invalid %s: empty value", kw);
	q = malloc(l + strlen(prefix) + 4);
	if (q == NULL)
		return -ENOMEM;
	sprintf(q, "%s\"%s%.*s\"", neg ? "!" : "", prefix, (int)l, v);
	/* a value keyword adds to the buffer's first list, as Suricata's
	 * content modifiers do */
	c->cur_buf = b;
	c->cur_xf = 0;
	c->cur_grp = 0;
	rc = kw_content(c, q);
	free(q);
	c->cur_buf = RULE_BUF_PAYLOAD;
	c->cur_xf = 0;
	c->sticky_nmatch = c->r->nmatch;
	if (rc)
		return rc;
	m = &c->r->match[c->last_content];
	m->content.flags |= CONTENT_NOCASE | (endswith ? CONTENT_ENDSWITH : 0);
	return 0;
}

static int kw_filesize(struct rule_ctx *c, const char *v)
{
	struct rule_file *f = &c->r->filekw;

	if (c->r->app_has & RULE_APP_HAS_FILESIZE)
		return rule_err(c, "duplicate keyword 'filesize'");
	if (rule_parse_u32_cmp(v, UINT32_MAX, &f->size))
		return rule_err(c, "invalid filesize: '%s'", v);
	c->r->app_has |= RULE_APP_HAS_FILESIZE;
	return 0;
}

static int kw_filehash(struct rule_ctx *c, size_t k, const char *v)
{
	struct rule_file *f = &c->r->filekw;
	struct rule_hash_list *h;
	bool neg = *v == '!';
	char *path;

	for (uint8_t i = 0; i < f->nhash; i++)
		if (f->hash[i].kind == hash_kws[k].kind)
			return rule_err(c, "duplicate keyword '%s'", hash_kws[k].name);
	if (neg)
		v += 1 + strspn(v + 1, " \t");
	path = v[0] == '"' ? rule_unquote(v) : rule_strtrim(v, strlen(v));
	if (path == NULL || path[0] == '\0') {
		free(path);
		return rule_err(c, "invalid %s: '%s'", hash_kws[k].name, v);
	}
	h = &f->hash[f->nhash++];
	*h = (struct rule_hash_list){ .kind = hash_kws[k].kind, .negated = neg,
				      .len = hash_kws[k].len, .path = path };
	c->r->app_has |= RULE_APP_HAS_FILEHASH;
	return 0;
}

int rule_kw_file(struct rule_ctx *c, const char *name, const char *val)
{
	const bool has_val = val != NULL && val[0] != '\0';

	if (strcasecmp(name, "file.name") == 0 || strcasecmp(name, "file.magic") == 0) {
		if (val != NULL)
			return rule_err(c, "keyword '%s' takes no value", name);
		return rule_sticky(c, name[5] == 'n' || name[5] == 'N' ? RULE_BUF_FILE_NAME
									: RULE_BUF_FILE_MAGIC);
	}
	if (strcasecmp(name, "filestore") == 0) {
		/* its options (file, tx, ssn, flow) only say what to store */
		c->r->filekw.store = true;
		c->r->app_has |= RULE_APP_HAS_FILE;
		return 0;
	}
	for (size_t k = 0; k < sizeof(hash_kws) / sizeof(hash_kws[0]); k++)
		if (strcasecmp(name, hash_kws[k].name) == 0)
			return has_val ? kw_filehash(c, k, val)
				       : rule_err(c, "keyword '%s' needs a value", name);
	if (strcasecmp(name, "filename") != 0 && strcasecmp(name, "fileext") != 0 &&
	    strcasecmp(name, "filemagic") != 0 && strcasecmp(name, "filesize") != 0)
		return -ENOENT;
	if (!has_val)
		return rule_err(c, "keyword '%s' needs a value", name);
	if (strcasecmp(name, "filename") == 0)
		return file_content(c, "filename", val, RULE_BUF_FILE_NAME, "", false);
	if (strcasecmp(name, "fileext") == 0)
		return file_content(c, "fileext", val, RULE_BUF_FILE_NAME, ".", true);
	if (strcasecmp(name, "filemagic") == 0)
		return file_content(c, "filemagic", val, RULE_BUF_FILE_MAGIC, "", false);
	return kw_filesize(c, val);
}

static int cmp_digest16(const void *a, const void *b) { return memcmp(a, b, 16); }
static int cmp_digest20(const void *a, const void *b) { return memcmp(a, b, 20); }
static int cmp_digest32(const void *a, const void *b) { return memcmp(a, b, 32); }

static int (*digest_cmp(uint8_t len))(const void *, const void *)
{
	return len == 16 ? cmp_digest16 : len == 20 ? cmp_digest20 : cmp_digest32;
}

/* One list: hex digests of h->len bytes, a line each (blank lines and
 * '#' comments skipped; text after the digest, as Suricata's lists carry
 * a file name there, ignored). */
static int load_list(struct rule_hash_list *h, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, room = 0;
	uint32_t lineno = 0;
	int rc = 0;

	if (f == NULL)
		return rule_errbuf(err, errlen, "cannot read hash list '%s': %s", path,
				   strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		const char *s = line + strspn(line, " \t");
		size_t hexlen = strspn(s, "0123456789abcdefABCDEF");

		lineno++;
		if (*s == '#' || *s == '\0' || *s == '\n' || *s == '\r')
			continue;
		if (hexlen != 2u * h->len || (s[hexlen] && !strchr(" \t\r\n", s[hexlen]))) {
			rc = rule_errbuf(err, errlen, "hash list '%s' line %u: not a %u-digit "
					 "hex digest", path, lineno, 2u * h->len);
			goto out;
		}
		if (h->n == room) {
			size_t nroom = room ? room * 2 : 64;
			uint8_t *d = realloc(h->digests, nroom * h->len);

			if (d == NULL) {
				rc = -ENOMEM;
				goto out;
			}
			h->digests = d;
			room = nroom;
		}
		for (size_t i = 0; i < h->len; i++)
			h->digests[h->n * h->len + i] =
				(uint8_t)(hex_digit(s[2 * i]) << 4 | hex_digit(s[2 * i + 1]));
		h->n++;
	}
	if (h->n == 0)
		rc = rule_errbuf(err, errlen, "hash list '%s' holds no hash", path);
	else
		qsort(h->digests, h->n, h->len, digest_cmp(h->len));
out:
	free(line);
	fclose(f);
	return rc;
}

/* Where list name is read from, as Suricata's DetectFileHashParse finds
 * it: an absolute name as it is; a relative one under default_path (as
 * DetectLoadCompleteSigPath; none given: the name as it is, from the
 * working directory), or, when that cannot be read, beside the rule file
 * (its directory's; a rule file without one: the working directory). A
 * new string; NULL on no memory. */
static char *list_path(const char *name, const char *default_path, const char *rule_path)
{
	const char *slash = strrchr(rule_path, '/');
	char *p;

	if (name[0] == '/')
		return strdup(name);
	if (default_path != NULL && default_path[0] != '\0') {
		if (asprintf(&p, "%s/%s", default_path, name) < 0)
			return NULL;
	} else {
		p = strdup(name);
	}
	if (p == NULL || access(p, R_OK) == 0 || slash == NULL)
		return p;
	free(p);
	if (asprintf(&p, "%.*s/%s", (int)(slash - rule_path), rule_path, name) < 0)
		return NULL;
	return p;
}

int rule_file_load_hashes(struct rule *r, const char *default_path, const char *rule_path,
			  char *err, size_t errlen)
{
	for (uint8_t i = 0; i < r->filekw.nhash; i++) {
		struct rule_hash_list *h = &r->filekw.hash[i];
		char *full = list_path(h->path, default_path, rule_path);
		int rc;

		if (full == NULL)
			return -ENOMEM;
		rc = load_list(h, full, err, errlen);
		free(full);
		if (rc)
			return rc;
		free(h->path);
		h->path = NULL;
	}
	return 0;
}

void rule_file_free(struct rule *r)
{
	for (uint8_t i = 0; i < r->filekw.nhash; i++) {
		free(r->filekw.hash[i].digests);
		free(r->filekw.hash[i].path);
	}
}
