/* SPDX-License-Identifier: MIT */
/* Types of the configuration tree (Suricata-compatible YAML, see conf.h). */
#ifndef IDS_CONF_T_H
#define IDS_CONF_T_H

#include <stdbool.h>
#include <stddef.h>

/* One key of the tree. A mapping's children are its keys in file order; a
 * sequence (is_seq) has children named "0", "1", ... As in Suricata, a
 * sequence element that is a mapping also carries its first key as value
 * ("outputs.0" = "eve-log"), so output lists can be walked by name. */
struct conf_child_index;

struct conf_node {
	char *name;
	char *value;			/* scalar text, or NULL for a pure container */
	struct conf_node *parent;
	struct conf_node *child;	/* first child */
	struct conf_node *last;		/* last child: appends are O(1) */
	struct conf_node *next;		/* next sibling */
	struct conf_node *prev;		/* previous sibling */
	struct conf_child_index *index;	/* children by name, once there are many */
	unsigned int nchildren;
	bool is_seq;
	bool final;			/* set by --set: later files do not override it */
	const char *file;		/* where it was last defined; owned by struct conf */
	unsigned int line;		/* 1-based; 0 for --set */
	unsigned int column;		/* 1-based; 0 for --set */
};

/* A whole configuration: the root mapping and the file names nodes point to. */
struct conf {
	struct conf_node *root;
	char **files;
	size_t nfiles;
	size_t files_cap;
};

/* Value types a schema row can require (conf_validate). */
enum conf_type {
	CONF_BOOL,	/* yes/no/true/false/on/off/1/0 */
	CONF_BOOL_AUTO,	/* a boolean or "auto" (stream.inline) */
	CONF_INT,	/* signed decimal */
	CONF_INT_AUTO,	/* signed decimal or "auto" (Suricata's dpdk section) */
	CONF_SIZE,	/* bytes: "4096", "32mb", "1.5gb" */
	CONF_STR,	/* any scalar */
	CONF_STR_LIST,	/* sequence of scalars (a single scalar counts as one) */
	CONF_MAP,	/* container: mapping or sequence whose children have rows */
	CONF_ITEM,	/* list element: a name ("- http") or {name: options} */
	CONF_ANY,	/* whole subtree accepted unchecked (its reader checks it) */
	CONF_NOOP,	/* a Suricata key idsd does not implement: its subtree accepted
			 * unchecked and warned about once, at its place,
			 * "warning: accepted, has no effect" (not a problem) */
};

/* One row of a schema: a dotted key pattern where '*' stands for exactly one
 * user-chosen key or sequence index ("dpdk.interfaces.*.threads"). Keys that
 * are a prefix of some pattern are containers and need no row of their own. */
struct conf_schema_row {
	const char *pattern;
	enum conf_type type;
};

#define CONF_SCHEMA_MAX_TABLES 16

/* A schema is a set of row tables, each ended by a row with a NULL pattern,
 * so each subsystem can contribute its own table. */
struct conf_schema {
	const struct conf_schema_row *tables[CONF_SCHEMA_MAX_TABLES];
	unsigned int ntables;
};

#endif
