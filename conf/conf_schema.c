/* SPDX-License-Identifier: MIT */
/* Checking a configuration tree against schema tables (conf_validate).
 *
 * A key is known when some row's pattern
 *  - matches its path exactly: the row's type is checked, and containers
 *    (CONF_MAP, CONF_ITEM) have their children checked in turn;
 *  - is a CONF_ANY row matching a prefix of its path: accepted unchecked;
 *  - matches a CONF_NOOP row: accepted, warned about once at its place
 *    (its subtree is not walked, so a section gets one warning);
 *  - is a CONF_STR_LIST row for its parent: it is a list element (a scalar);
 *  - extends its path ("stream" for "stream.midstream"): an implicit container.
 * Among exact matches the row with the most literal segments wins, so
 * "outputs.*.eve-log.types.*.alert" beats "outputs.*.eve-log.types.*.*". */
#include <errno.h>
#include <string.h>

#include "conf.h"
#include "conf-priv.h"

/* Deeper keys are reported as unknown rather than walked. */
#define PATH_SEGS_MAX 32
#define MSG_MAX 768

enum match { MATCH_NONE, MATCH_EXACT, MATCH_PREFIX, MATCH_UNDER };

struct walk {
	const struct conf_schema *s;
	const char *segs[PATH_SEGS_MAX];
	FILE *errs;
	unsigned int problems;
};

void conf_schema_init(struct conf_schema *s)
{
	memset(s, 0, sizeof(*s));
}

int conf_schema_add(struct conf_schema *s, const struct conf_schema_row *rows)
{
	if (s->ntables == CONF_SCHEMA_MAX_TABLES)
		return -ENOSPC;
	s->tables[s->ntables++] = rows;
	return 0;
}

/* Compare a pattern with the path segs[0..n); *lits counts literal segments. */
static enum match row_match(const char *pat, const char *const *segs, unsigned int n,
			    unsigned int *lits)
{
	unsigned int i = 0;
	const char *end;
	size_t len;

	*lits = 0;
	while (*pat != '\0' && i < n) {
		end = strchr(pat, '.');
		len = end ? (size_t)(end - pat) : strlen(pat);
		if (len == 1 && pat[0] == '*') {
			/* any one key */
		} else if (strncmp(pat, segs[i], len) == 0 && segs[i][len] == '\0') {
			(*lits)++;
		} else {
			return MATCH_NONE;
		}
		i++;
		pat += len + (end != NULL);
	}
	if (*pat == '\0')
		return i == n ? MATCH_EXACT : MATCH_UNDER;
	return MATCH_PREFIX;
}

static void report(struct walk *w, const char *msg)
{
	w->problems++;
	if (w->errs != NULL)
		fprintf(w->errs, "%s\n", msg);
}

static void report_node(struct walk *w, const struct conf_node *n, const char *fmt,
			const char *arg)
{
	char msg[MSG_MAX];

	conf_node_err(n, msg, sizeof(msg), fmt, arg);
	report(w, msg);
}

static bool is_empty_scalar(const struct conf_node *n)
{
	return n->child == NULL && (n->value == NULL || n->value[0] == '\0');
}

/* Check n against its row's type; true if its children need checking. */
static bool check_type(struct walk *w, const struct conf_node *n, enum conf_type type)
{
	char msg[MSG_MAX];
	const struct conf_node *ch;
	bool b;
	int64_t i;
	uint64_t u;

	switch (type) {
	case CONF_BOOL:
		if (conf_node_get_bool(n, NULL, false, &b, msg, sizeof(msg)) < 0)
			report(w, msg);
		return false;
	case CONF_BOOL_AUTO:
		if (n->child == NULL && n->value != NULL && strcmp(n->value, "auto") == 0)
			return false;
		if (conf_node_get_bool(n, NULL, false, &b, msg, sizeof(msg)) < 0)
			report_node(w, n, "expected a boolean or 'auto', got %s",
				    conf_node_kind(n, msg, sizeof(msg)));
		return false;
	case CONF_INT:
		if (conf_node_get_int(n, NULL, 0, &i, msg, sizeof(msg)) < 0)
			report(w, msg);
		return false;
	case CONF_INT_AUTO:
		if (n->child == NULL && n->value != NULL && strcmp(n->value, "auto") == 0)
			return false;
		if (conf_node_get_int(n, NULL, 0, &i, msg, sizeof(msg)) < 0)
			report_node(w, n, "expected an integer or 'auto', got %s",
				    conf_node_kind(n, msg, sizeof(msg)));
		return false;
	case CONF_SIZE:
		if (conf_node_get_size(n, NULL, 0, &u, msg, sizeof(msg)) < 0)
			report(w, msg);
		return false;
	case CONF_STR:
		if (n->child != NULL && n->value == NULL)
			report_node(w, n, "expected a string, got %s",
				    conf_node_kind(n, msg, sizeof(msg)));
		return false;
	case CONF_STR_LIST:
		if (n->child != NULL && !n->is_seq) {
			report_node(w, n, "expected a list of strings, got %s", "a mapping");
			return false;
		}
		for (ch = n->child; ch != NULL; ch = ch->next)
			if (ch->child != NULL)
				report_node(w, ch, "expected a string, got %s",
					    conf_node_kind(ch, msg, sizeof(msg)));
		return false;
	case CONF_MAP:
		if (!is_empty_scalar(n) && n->child == NULL)
			report_node(w, n, "expected a mapping, got %s",
				    conf_node_kind(n, msg, sizeof(msg)));
		return true;
	case CONF_ITEM:
		return true;
	case CONF_ANY:
		return false;
	case CONF_NOOP:
		/* a warning, not a problem: the config still loads */
		conf_node_err(n, msg, sizeof(msg), "warning: accepted, has no effect");
		if (w->errs != NULL)
			fprintf(w->errs, "%s\n", msg);
		return false;
	}
	return false;
}

static void walk_children(struct walk *w, const struct conf_node *parent, unsigned int depth);

/* Classify the node at w->segs[0..n) and check it. */
static void walk_node(struct walk *w, const struct conf_node *node, unsigned int n)
{
	const struct conf_schema_row *row, *exact = NULL;
	bool any = false, list_elem = false, prefix = false;
	unsigned int t, lits, best = 0;
	char msg[MSG_MAX], path[512];

	for (t = 0; t < w->s->ntables; t++) {
		for (row = w->s->tables[t]; row->pattern != NULL; row++) {
			switch (row_match(row->pattern, w->segs, n, &lits)) {
			case MATCH_EXACT:
				if (exact == NULL || lits > best) {
					exact = row;
					best = lits;
				}
				break;
			case MATCH_UNDER:
				if (row->type == CONF_ANY || row->type == CONF_NOOP)
					any = true;
				else if (row->type == CONF_STR_LIST &&
					 row_match(row->pattern, w->segs, n - 1, &lits) ==
					 MATCH_EXACT)
					list_elem = true;
				break;
			case MATCH_PREFIX:
				prefix = true;
				break;
			case MATCH_NONE:
				break;
			}
		}
	}
	if (exact != NULL) {
		if (check_type(w, node, exact->type))
			walk_children(w, node, n);
	} else if (any) {
		return;
	} else if (list_elem) {
		if (node->child != NULL)
			report_node(w, node, "expected a string, got %s",
				    conf_node_kind(node, msg, sizeof(msg)));
	} else if (prefix) {
		/* An implicit container; a sequence element naming a mapping
		 * carries that name as its value, anything else must not. */
		if (node->child == NULL && !is_empty_scalar(node))
			report_node(w, node, "expected a mapping, got %s",
				    conf_node_kind(node, msg, sizeof(msg)));
		walk_children(w, node, n);
	} else {
		snprintf(msg, sizeof(msg), "%s:%u:%u: unknown key '%s'",
			 node->file ? node->file : "<default>", node->line, node->column,
			 conf_node_path(node, path, sizeof(path)));
		report(w, msg);
	}
}

static void walk_children(struct walk *w, const struct conf_node *parent, unsigned int depth)
{
	const struct conf_node *ch;
	char msg[MSG_MAX], path[512];

	for (ch = parent->child; ch != NULL; ch = ch->next) {
		if (depth == PATH_SEGS_MAX) {
			snprintf(msg, sizeof(msg), "%s:%u:%u: key too deep '%s'",
				 ch->file ? ch->file : "<default>", ch->line, ch->column,
				 conf_node_path(ch, path, sizeof(path)));
			report(w, msg);
			continue;
		}
		w->segs[depth] = ch->name;
		walk_node(w, ch, depth + 1);
	}
}

unsigned int conf_validate(const struct conf *c, const struct conf_schema *s, FILE *errs)
{
	struct walk w = { .s = s, .errs = errs };

	walk_children(&w, c->root, 0);
	return w.problems;
}
