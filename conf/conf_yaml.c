/* SPDX-License-Identifier: MIT */
/* YAML -> configuration tree, with Suricata's merge and include semantics:
 * - a key seen again replaces what it held, keeping only --set values;
 * - a sequence's elements are "0", "1", ...; one that --set gave already
 *   takes the file's element of that index, moved to the end so iteration
 *   follows the file;
 * - "include: file" / "include: [a, b]" in any mapping, and "key: !include
 *   file", load files relative to the including file into that mapping.
 * libyaml's event parser is used (not its document loader) so every node
 * keeps the file, line and column it was defined at. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "conf.h"
#include "conf-priv.h"

/* Include chains deeper than this are refused (and cycles always). */
#define CONF_INCLUDE_MAX 16
/* Nesting of mappings/sequences: bounds the recursion on hostile input. */
#define CONF_NEST_MAX 64
/* Nodes a file's aliases may copy in all: nested aliases multiply (a YAML
 * "billion laughs" would take all memory); real configs copy a few dozen. */
#define CONF_ALIAS_MAX_NODES 10000

/* The files being loaded, outermost first: detects include cycles. */
struct include_stack {
	char *real[CONF_INCLUDE_MAX + 1];
	unsigned int depth;
};

/* node is a detached copy made when the anchored node was complete: the
 * tree's own node may later be pruned by a re-definition (freed, or
 * refilled around the alias itself), while an alias means the text as
 * anchored. */
struct anchor {
	char *name;
	struct conf_node *node;
	size_t size;			/* nodes in it */
};

/* State for one file (or string) being parsed. */
struct loader {
	struct conf *c;
	yaml_parser_t parser;
	const char *file;		/* interned; what nodes and messages name */
	char dir[PATH_MAX];		/* includes are relative to this ("" = cwd) */
	struct include_stack *stack;
	struct anchor *anchors;		/* per file: YAML anchors do not cross files */
	size_t nanchors;
	size_t anchors_cap;
	size_t alias_nodes;		/* nodes aliases copied so far */
	char *err;
	size_t errlen;
};

static int parse_value(struct loader *l, yaml_event_t *ev, struct conf_node *dst, int nest);
static int load_path(struct conf *c, struct include_stack *st, struct conf_node *target,
		     const char *path, const char *from, const yaml_mark_t *at,
		     char *err, size_t errlen);

static int error_at(struct loader *l, const yaml_mark_t *m, const char *what, const char *arg)
{
	snprintf(l->err, l->errlen, "%s:%zu:%zu: %s%s%s%s", l->file, m->line + 1, m->column + 1,
		 what, arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
	return -EINVAL;
}

/* Next event, or the parser's own diagnostic as "file:line:col: reason". */
static int next_event(struct loader *l, yaml_event_t *ev)
{
	const yaml_parser_t *p = &l->parser;

	if (yaml_parser_parse(&l->parser, ev))
		return 0;
	if (p->error == YAML_MEMORY_ERROR) {
		snprintf(l->err, l->errlen, "%s: out of memory", l->file);
		return -ENOMEM;
	}
	if (p->error == YAML_READER_ERROR) {
		snprintf(l->err, l->errlen, "%s: byte %zu: %s", l->file, p->problem_offset,
			 p->problem ? p->problem : "unreadable input");
		return -EINVAL;
	}
	if (p->context != NULL)
		snprintf(l->err, l->errlen, "%s:%zu:%zu: %s (%s at %zu:%zu)", l->file,
			 p->problem_mark.line + 1, p->problem_mark.column + 1,
			 p->problem ? p->problem : "syntax error", p->context,
			 p->context_mark.line + 1, p->context_mark.column + 1);
	else
		snprintf(l->err, l->errlen, "%s:%zu:%zu: %s", l->file,
			 p->problem_mark.line + 1, p->problem_mark.column + 1,
			 p->problem ? p->problem : "syntax error");
	return -EINVAL;
}

static void set_pos(struct loader *l, struct conf_node *n, const yaml_mark_t *m)
{
	n->file = l->file;
	n->line = (unsigned int)m->line + 1;
	n->column = (unsigned int)m->column + 1;
}

static size_t tree_size(const struct conf_node *n)
{
	size_t k = 1;

	for (n = n->child; n != NULL; n = n->next)
		k += tree_size(n);
	return k;
}

static int anchor_add(struct loader *l, const char *name, struct conf_node *n)
{
	struct conf_node *copy;

	if (l->nanchors == l->anchors_cap) {
		size_t cap = l->anchors_cap ? l->anchors_cap * 2 : 8;
		struct anchor *a = realloc(l->anchors, cap * sizeof(*a));

		if (a == NULL)
			return -ENOMEM;
		l->anchors = a;
		l->anchors_cap = cap;
	}
	copy = calloc(1, sizeof(*copy));
	if (copy == NULL || conf_node_merge(copy, n) < 0) {
		conf_node_free(copy);
		return -ENOMEM;
	}
	l->anchors[l->nanchors].name = strdup(name);
	if (l->anchors[l->nanchors].name == NULL) {
		conf_node_free(copy);
		return -ENOMEM;
	}
	l->anchors[l->nanchors].size = tree_size(copy);
	l->anchors[l->nanchors++].node = copy;
	return 0;
}

/* Copy the node an alias names into dst. An anchor is registered once its
 * node is complete, so an alias inside its own anchor is "unknown"; the
 * copy it holds is detached, so an alias below a re-definition of the
 * anchored key copies the old text once, not itself forever. */
static int apply_alias(struct loader *l, struct conf_node *dst, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	size_t i = l->nanchors;

	while (i > 0 && strcmp(l->anchors[i - 1].name, name) != 0)
		i--;
	if (i == 0)
		return error_at(l, &ev->start_mark, "unknown anchor", name);
	l->alias_nodes += l->anchors[i - 1].size;
	if (l->alias_nodes > CONF_ALIAS_MAX_NODES)
		return error_at(l, &ev->start_mark, "too many nodes copied by aliases, at alias",
				name);
	if (conf_node_merge(dst, l->anchors[i - 1].node) < 0) {
		snprintf(l->err, l->errlen, "%s: out of memory", l->file);
		return -ENOMEM;
	}
	return 0;
}

static int include_file(struct loader *l, struct conf_node *dst, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.scalar.value;
	char path[PATH_MAX];
	int w;

	if (name[0] == '\0')
		return error_at(l, &ev->start_mark, "include: empty file name", NULL);
	if (name[0] == '/' || l->dir[0] == '\0')
		w = snprintf(path, sizeof(path), "%s", name);
	else
		w = snprintf(path, sizeof(path), "%s/%s", l->dir, name);
	if (w < 0 || (size_t)w >= sizeof(path))
		return error_at(l, &ev->start_mark, "include: path too long", name);
	return load_path(l->c, l->stack, dst, path, l->file, &ev->start_mark,
			 l->err, l->errlen);
}

/* The value of an "include" key (file names: include_file) or of a "<<"
 * merge key (aliases: apply_alias): one event of type want or a sequence
 * of them, fn applied to each in order. bad: the error for any other
 * value; bad_item: for a sequence item of another type. */
static int one_or_list(struct loader *l, yaml_event_t *ev, struct conf_node *dst,
		       yaml_event_type_t want,
		       int (*fn)(struct loader *, struct conf_node *, const yaml_event_t *),
		       const char *bad, const char *bad_item)
{
	yaml_event_t item;
	int ret;

	if (ev->type == want)
		return fn(l, dst, ev);
	if (ev->type != YAML_SEQUENCE_START_EVENT)
		return error_at(l, &ev->start_mark, bad, NULL);
	for (;;) {
		ret = next_event(l, &item);
		if (ret < 0)
			return ret;
		if (item.type == YAML_SEQUENCE_END_EVENT)
			ret = 1;
		else if (item.type == want)
			ret = fn(l, dst, &item);
		else
			ret = error_at(l, &item.start_mark, bad_item, NULL);
		yaml_event_delete(&item);
		if (ret != 0)
			return ret > 0 ? 0 : ret;
	}
}

/* After MAPPING_START: keys until MAPPING_END. A mapping that is a sequence
 * element takes its first key as value, as Suricata's output lists expect. */
static int parse_mapping(struct loader *l, struct conf_node *dst, int nest, bool seq_elem)
{
	yaml_event_t key, val;
	struct conf_node *child;
	const char *name;
	bool first = true;
	int ret;

	for (;;) {
		ret = next_event(l, &key);
		if (ret < 0)
			return ret;
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			return 0;
		}
		if (key.type != YAML_SCALAR_EVENT) {
			ret = error_at(l, &key.start_mark, "only plain keys are supported", NULL);
			yaml_event_delete(&key);
			return ret;
		}
		name = (const char *)key.data.scalar.value;
		ret = next_event(l, &val);
		if (ret < 0) {
			yaml_event_delete(&key);
			return ret;
		}
		if (strcmp(name, "include") == 0) {
			ret = one_or_list(l, &val, dst, YAML_SCALAR_EVENT, include_file,
					  "include: expected a file name or a list of file names",
					  "include: expected a file name");
		} else if (strcmp(name, "<<") == 0) {
			ret = one_or_list(l, &val, dst, YAML_ALIAS_EVENT, apply_alias,
					  "'<<' expects an alias or a list of aliases",
					  "'<<' expects an alias");
		} else {
			child = conf_node_child(dst, name, strlen(name));
			/* a key defined again (later in the file, or after an
			 * include) replaces the earlier definition, as in
			 * Suricata: nothing of the old subtree is kept */
			if (child != NULL && !child->final)
				conf_node_prune(child);
			else if (child == NULL)
				child = conf_node_add(dst, name, strlen(name));
			if (child == NULL) {
				ret = -ENOMEM;
				snprintf(l->err, l->errlen, "%s: out of memory", l->file);
			} else {
				set_pos(l, child, &key.start_mark);
				if (seq_elem && first && !dst->final)
					ret = conf_node_set_value(dst, name);
				if (ret == 0)
					ret = parse_value(l, &val, child, nest + 1);
				first = false;
			}
		}
		yaml_event_delete(&val);
		yaml_event_delete(&key);
		if (ret < 0)
			return ret;
	}
}

/* After SEQUENCE_START: elements until SEQUENCE_END, merged by index into
 * whatever dst already holds (Suricata: a later file re-defines element N). */
static int parse_sequence(struct loader *l, struct conf_node *dst, int nest)
{
	bool was_empty = dst->child == NULL;
	unsigned int idx = 0;
	struct conf_node *elem;
	yaml_event_t ev;
	char name[16];
	int ret, len;

	dst->is_seq = true;
	for (;;) {
		ret = next_event(l, &ev);
		if (ret < 0)
			return ret;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		len = snprintf(name, sizeof(name), "%u", idx++);
		elem = was_empty ? NULL : conf_node_child(dst, name, (size_t)len);
		if (elem != NULL)
			conf_node_move_last(elem);
		else
			elem = conf_node_add(dst, name, (size_t)len);
		if (elem == NULL) {
			snprintf(l->err, l->errlen, "%s: out of memory", l->file);
			ret = -ENOMEM;
		} else {
			set_pos(l, elem, &ev.start_mark);
			ret = parse_value(l, &ev, elem, nest + 1);
		}
		yaml_event_delete(&ev);
		if (ret < 0)
			return ret;
	}
}

/* Parse the node that ev starts into dst (ev stays owned by the caller). */
static int parse_value(struct loader *l, yaml_event_t *ev, struct conf_node *dst, int nest)
{
	const char *anchor = NULL, *tag;
	int ret = 0;

	if (nest > CONF_NEST_MAX)
		return error_at(l, &ev->start_mark, "nesting too deep", NULL);
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = (const char *)ev->data.scalar.anchor;
		tag = (const char *)ev->data.scalar.tag;
		if (tag != NULL && strcmp(tag, "!include") == 0)
			ret = include_file(l, dst, ev);
		else if (!dst->final)
			ret = conf_node_set_value(dst, (const char *)ev->data.scalar.value);
		if (ret == -ENOMEM)
			snprintf(l->err, l->errlen, "%s: out of memory", l->file);
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = (const char *)ev->data.mapping_start.anchor;
		ret = parse_mapping(l, dst, nest, dst->parent != NULL && dst->parent->is_seq);
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = (const char *)ev->data.sequence_start.anchor;
		ret = parse_sequence(l, dst, nest);
		break;
	case YAML_ALIAS_EVENT:
		ret = apply_alias(l, dst, ev);
		break;
	default:
		ret = error_at(l, &ev->start_mark, "unexpected YAML event", NULL);
		break;
	}
	if (ret == 0 && anchor != NULL && anchor_add(l, anchor, dst) < 0) {
		snprintf(l->err, l->errlen, "%s: out of memory", l->file);
		ret = -ENOMEM;
	}
	return ret;
}

/* A whole stream: every document's top-level mapping merges into target. */
static int parse_stream(struct loader *l, struct conf_node *target)
{
	yaml_event_t ev;
	int ret;

	for (;;) {
		ret = next_event(l, &ev);
		if (ret < 0)
			return ret;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			return 0;
		case YAML_MAPPING_START_EVENT:
			ret = parse_value(l, &ev, target, 0);
			break;
		case YAML_SCALAR_EVENT:
			/* An empty document ("---" alone) is a null scalar. */
			if (ev.data.scalar.length != 0)
				ret = error_at(l, &ev.start_mark,
					       "the top level must be a mapping, got",
					       (const char *)ev.data.scalar.value);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_ALIAS_EVENT:
			ret = error_at(l, &ev.start_mark, "the top level must be a mapping", NULL);
			break;
		default:	/* stream/document start and end */
			break;
		}
		yaml_event_delete(&ev);
		if (ret < 0)
			return ret;
	}
}

static int loader_init(struct loader *l, struct conf *c, struct include_stack *st,
		       const char *name, char *err, size_t errlen)
{
	const char *slash = strrchr(name, '/');

	memset(l, 0, sizeof(*l));
	l->c = c;
	l->stack = st;
	l->err = err;
	l->errlen = errlen;
	l->file = conf_intern_file(c, name);
	if (slash != NULL)
		snprintf(l->dir, sizeof(l->dir), "%.*s", (int)(slash - name + (slash == name)),
			 name);
	if (l->file == NULL || !yaml_parser_initialize(&l->parser)) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -ENOMEM;
	}
	return 0;
}

static void loader_fini(struct loader *l)
{
	size_t i;

	for (i = 0; i < l->nanchors; i++) {
		free(l->anchors[i].name);
		conf_node_free(l->anchors[i].node);
	}
	free(l->anchors);
	yaml_parser_delete(&l->parser);
}

/* Load path into target. from/at name the include site for messages
 * (NULL for a top-level file). */
static int load_path(struct conf *c, struct include_stack *st, struct conf_node *target,
		     const char *path, const char *from, const yaml_mark_t *at,
		     char *err, size_t errlen)
{
	char site[PATH_MAX + 32] = "";
	struct loader l;
	char *real;
	unsigned int i;
	FILE *f;
	int ret;

	if (from != NULL)
		snprintf(site, sizeof(site), "%s:%zu:%zu: ", from, at->line + 1, at->column + 1);
	real = realpath(path, NULL);
	if (real == NULL) {
		ret = -errno;
		snprintf(err, errlen, "%s%s: %s", site, path, strerror(errno));
		return ret;
	}
	for (i = 0; i < st->depth; i++) {
		if (strcmp(st->real[i], real) == 0) {
			snprintf(err, errlen, "%sinclude cycle: '%s' is already being loaded",
				 site, path);
			free(real);
			return -ELOOP;
		}
	}
	if (st->depth > CONF_INCLUDE_MAX) {
		snprintf(err, errlen, "%sinclude depth exceeds %d at '%s'", site,
			 CONF_INCLUDE_MAX, path);
		free(real);
		return -ELOOP;
	}
	f = fopen(path, "r");
	if (f == NULL) {
		ret = -errno;
		snprintf(err, errlen, "%s%s: %s", site, path, strerror(errno));
		free(real);
		return ret;
	}
	ret = loader_init(&l, c, st, path, err, errlen);
	if (ret < 0)
		goto out;
	yaml_parser_set_input_file(&l.parser, f);
	st->real[st->depth++] = real;
	ret = parse_stream(&l, target);
	st->depth--;
out:
	loader_fini(&l);
	fclose(f);
	free(real);
	return ret;
}

int conf_load_file(struct conf *c, const char *path, char *err, size_t errlen)
{
	struct include_stack st = { .depth = 0 };

	return load_path(c, &st, c->root, path, NULL, NULL, err, errlen);
}

int conf_load_string(struct conf *c, const char *name, const char *yaml,
		     char *err, size_t errlen)
{
	struct include_stack st = { .depth = 0 };
	struct loader l;
	int ret;

	ret = loader_init(&l, c, &st, name, err, errlen);
	if (ret == 0) {
		yaml_parser_set_input_string(&l.parser, (const unsigned char *)yaml,
					     strlen(yaml));
		ret = parse_stream(&l, c->root);
	}
	loader_fini(&l);
	return ret;
}
