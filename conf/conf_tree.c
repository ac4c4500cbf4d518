/* SPDX-License-Identifier: MIT */
/* The configuration tree: nodes, lookup by dotted path, --set, --dump-config. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf-priv.h"

/* Longest dotted path we print in messages; deeper paths are truncated. */
#define CONF_PATH_MAX 512

struct conf *conf_new(void)
{
	struct conf *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->root = calloc(1, sizeof(*c->root));
	if (c->root == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void conf_node_free(struct conf_node *n)
{
	struct conf_node *ch, *next;

	if (n == NULL)
		return;
	for (ch = n->child; ch != NULL; ch = next) {
		next = ch->next;
		conf_node_free(ch);
	}
	conf_index_free(n);
	free(n->name);
	free(n->value);
	free(n);
}

void conf_node_prune(struct conf_node *n)
{
	struct conf_node *ch = n->child, *next, *prev = NULL;

	n->child = n->last = NULL;
	n->nchildren = 0;
	conf_index_free(n);
	for (; ch != NULL; ch = next) {
		next = ch->next;
		if (!ch->final)
			conf_node_prune(ch);
		if (!ch->final && ch->child == NULL) {
			conf_node_free(ch);
			continue;
		}
		/* kept: relink in order */
		ch->next = NULL;
		ch->prev = prev;
		if (prev != NULL)
			prev->next = ch;
		else
			n->child = ch;
		n->last = prev = ch;
		n->nchildren++;
	}
	if (n->nchildren >= CONF_INDEX_MIN)
		conf_index_build(n);	/* without memory, lookups walk the list */
	if (!n->final) {
		free(n->value);
		n->value = NULL;
		n->is_seq = false;
	}
}

void conf_free(struct conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	conf_node_free(c->root);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c);
}

const char *conf_intern_file(struct conf *c, const char *name)
{
	size_t i;
	char *copy;

	for (i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i], name) == 0)
			return c->files[i];
	if (c->nfiles == c->files_cap) {
		size_t cap = c->files_cap ? c->files_cap * 2 : 8;
		char **files = realloc(c->files, cap * sizeof(*files));

		if (files == NULL)
			return NULL;
		c->files = files;
		c->files_cap = cap;
	}
	copy = strdup(name);
	if (copy == NULL)
		return NULL;
	c->files[c->nfiles++] = copy;
	return copy;
}

struct conf_node *conf_node_child(const struct conf_node *parent, const char *name, size_t len)
{
	struct conf_node *ch;

	if (parent->index != NULL)
		return conf_index_find(parent, name, len);
	for (ch = parent->child; ch != NULL; ch = ch->next)
		if (strncmp(ch->name, name, len) == 0 && ch->name[len] == '\0')
			return ch;
	return NULL;
}

/* Link n last under parent; indexed is whether the index already has it. */
static void node_link(struct conf_node *parent, struct conf_node *n, bool indexed)
{
	n->parent = parent;
	n->next = NULL;
	n->prev = parent->last;
	if (parent->last != NULL)
		parent->last->next = n;
	else
		parent->child = n;
	parent->last = n;
	parent->nchildren++;
	/* without memory for the index, lookups walk the list */
	if (parent->index != NULL && !indexed)
		conf_index_add(parent, n);
	else if (parent->index == NULL && parent->nchildren >= CONF_INDEX_MIN)
		conf_index_build(parent);
}

struct conf_node *conf_node_add(struct conf_node *parent, const char *name, size_t len)
{
	struct conf_node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->name = strndup(name, len);
	if (n->name == NULL) {
		free(n);
		return NULL;
	}
	node_link(parent, n, false);
	return n;
}

struct conf_node *conf_node_child_get(struct conf_node *parent, const char *name, size_t len)
{
	struct conf_node *n = conf_node_child(parent, name, len);

	return n != NULL ? n : conf_node_add(parent, name, len);
}

void conf_node_move_last(struct conf_node *child)
{
	struct conf_node *parent = child->parent;

	if (parent->last == child)
		return;
	if (child->prev != NULL)
		child->prev->next = child->next;
	else
		parent->child = child->next;
	child->next->prev = child->prev;	/* not last: a next exists */
	parent->nchildren--;
	node_link(parent, child, parent->index != NULL);
}

int conf_node_set_value(struct conf_node *n, const char *v)
{
	char *copy = NULL;

	if (v != NULL) {
		copy = strdup(v);
		if (copy == NULL)
			return -ENOMEM;
	}
	free(n->value);
	n->value = copy;
	return 0;
}

int conf_node_merge(struct conf_node *dst, const struct conf_node *src)
{
	const struct conf_node *sch;
	int ret;

	if (!dst->final && src->value != NULL) {
		ret = conf_node_set_value(dst, src->value);
		if (ret < 0)
			return ret;
	}
	if (src->is_seq)
		dst->is_seq = true;
	for (sch = src->child; sch != NULL; sch = sch->next) {
		struct conf_node *dch = conf_node_child_get(dst, sch->name, strlen(sch->name));

		if (dch == NULL)
			return -ENOMEM;
		dch->file = sch->file;
		dch->line = sch->line;
		dch->column = sch->column;
		ret = conf_node_merge(dch, sch);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct conf_node *conf_node_get(const struct conf_node *base, const char *path)
{
	const char *seg = path, *dot;

	if (base == NULL || path == NULL)
		return base;
	while (*seg != '\0' && base != NULL) {
		dot = strchr(seg, '.');
		if (dot == NULL)
			return conf_node_child(base, seg, strlen(seg));
		base = conf_node_child(base, seg, (size_t)(dot - seg));
		seg = dot + 1;
	}
	return base;
}

const struct conf_node *conf_get(const struct conf *c, const char *path)
{
	return conf_node_get(c->root, path);
}

char *conf_node_path(const struct conf_node *n, char *buf, size_t len)
{
	const struct conf_node *segs[64];
	size_t nseg = 0, off = 0;
	int w;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	/* Walk up to the root (the only node without a parent), collecting names. */
	for (; n != NULL && n->parent != NULL && nseg < 64; n = n->parent)
		segs[nseg++] = n;
	while (nseg > 0 && off < len) {
		const struct conf_node *s = segs[--nseg];

		w = snprintf(buf + off, len - off, "%s%s", off ? "." : "", s->name);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

const char *conf_node_kind(const struct conf_node *n, char *buf, size_t len)
{
	if (n->child != NULL)
		return n->is_seq ? "a sequence" : "a mapping";
	snprintf(buf, len, "'%s'", n->value ? n->value : "");
	return buf;
}

int conf_node_err(const struct conf_node *n, char *err, size_t errlen, const char *fmt, ...)
{
	char path[CONF_PATH_MAX];
	va_list ap;
	int w;

	if (errlen == 0)
		return -EINVAL;
	w = snprintf(err, errlen, "%s:%u:%u: key '%s': ", n->file ? n->file : "<default>",
		     n->line, n->column, conf_node_path(n, path, sizeof(path)));
	if (w >= 0 && (size_t)w < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + w, errlen - (size_t)w, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Split "key=value" on the first '=', trimming blanks around both parts. */
static int split_assignment(const char *a, const char **key, size_t *klen, const char **val)
{
	const char *eq = strchr(a, '='), *end;

	if (eq == NULL)
		return -EINVAL;
	while (*a == ' ' || *a == '\t')
		a++;
	for (end = eq; end > a && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	*key = a;
	*klen = (size_t)(end - a);
	for (eq++; *eq == ' ' || *eq == '\t'; eq++)
		;
	*val = eq;
	return 0;
}

int conf_set(struct conf *c, const char *assignment, char *err, size_t errlen)
{
	const char *key, *val, *seg, *dot, *file;
	struct conf_node *n = c->root;
	char *trimmed;
	size_t klen, vlen;

	if (split_assignment(assignment, &key, &klen, &val) < 0 || klen == 0) {
		snprintf(err, errlen, "--set '%s': expected key=value", assignment);
		return -EINVAL;
	}
	/* Check the whole key first so a bad one leaves no half-made nodes. */
	if (key[0] == '.' || key[klen - 1] == '.' || memmem(key, klen, "..", 2) != NULL) {
		snprintf(err, errlen, "--set '%s': empty key segment", assignment);
		return -EINVAL;
	}
	file = conf_intern_file(c, "<--set>");
	if (file == NULL)
		goto nomem;
	for (seg = key; seg < key + klen; seg = dot + 1) {
		dot = memchr(seg, '.', (size_t)(key + klen - seg));
		if (dot == NULL)
			dot = key + klen;
		n = conf_node_child_get(n, seg, (size_t)(dot - seg));
		if (n == NULL)
			goto nomem;
	}
	vlen = strlen(val);
	while (vlen > 0 && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t'))
		vlen--;
	trimmed = strndup(val, vlen);
	if (trimmed == NULL)
		goto nomem;
	free(n->value);
	n->value = trimmed;
	n->final = true;
	n->file = file;
	n->line = 0;
	n->column = 0;
	return 0;
nomem:
	snprintf(err, errlen, "--set '%s': out of memory", assignment);
	return -ENOMEM;
}

static void dump_node(const struct conf_node *n, char *path, size_t off, size_t cap, FILE *out)
{
	const struct conf_node *ch;
	int w;

	for (ch = n->child; ch != NULL; ch = ch->next) {
		w = snprintf(path + off, cap - off, "%s%s", off ? "." : "", ch->name);
		if (w < 0 || (size_t)w >= cap - off)
			continue;
		if (ch->value != NULL || ch->child == NULL)
			fprintf(out, "%s = %s\n", path, ch->value ? ch->value : "");
		dump_node(ch, path, off + (size_t)w, cap, out);
	}
	path[off] = '\0';
}

void conf_dump(const struct conf *c, FILE *out)
{
	char path[CONF_PATH_MAX] = "";

	dump_node(c->root, path, 0, sizeof(path), out);
}
