/* SPDX-License-Identifier: MIT */
/* Configuration: Suricata-compatible YAML files loaded into one tree, looked
 * up by dotted path ("vars.address-groups.HOME_NET", "dpdk.interfaces.0.mtu"),
 * overridden by --set, dumped as --dump-config and checked against a schema.
 * Cold path only: nothing here is meant to run per packet. */
#ifndef IDS_CONF_H
#define IDS_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "conf-t.h"

/* An empty configuration; NULL on allocation failure. */
struct conf *conf_new(void);
void conf_free(struct conf *c);

/* Parse the YAML file at path and merge it into c. Later values override
 * earlier ones; a sequence merges element by element, as Suricata does.
 * Keys named "include" (top level or inside any mapping, a file name or a
 * list of them) and values tagged "!include" load files relative to the
 * including file's directory into that mapping. "%YAML 1.1"/"---" headers,
 * anchors, aliases and "<<" merge keys are accepted.
 * Returns 0, or -errno with err = "file:line:col: reason" (libyaml's reason
 * for syntax errors). On error c holds whatever was merged before it. */
int conf_load_file(struct conf *c, const char *path, char *err, size_t errlen);

/* Same, from a string; name is used in positions and for include paths. */
int conf_load_string(struct conf *c, const char *name, const char *yaml,
		     char *err, size_t errlen);

/* --set: "dotted.key=value". Creates missing keys; the node becomes final
 * (a file loaded later does not override it) and reports file "<--set>",
 * line 0. Returns 0 or -EINVAL / -ENOMEM with err filled. */
int conf_set(struct conf *c, const char *assignment, char *err, size_t errlen);

/* --dump-config: one "key.path = value" line per leaf (and per sequence
 * element that names a mapping, "outputs.0 = eve-log"), in file order. */
void conf_dump(const struct conf *c, FILE *out);

/* Lookup by dotted path, relative to base; NULL if absent. An empty or
 * NULL path returns base itself. */
const struct conf_node *conf_get(const struct conf *c, const char *path);
const struct conf_node *conf_node_get(const struct conf_node *base, const char *path);

/* The node's full dotted path into buf (truncated to len); returns buf. */
char *conf_node_path(const struct conf_node *n, char *buf, size_t len);

/* Fill err with "file:line:col: key 'path': <message>" for reporting a bad
 * value the caller found itself (range checks...). Returns -EINVAL. */
int conf_node_err(const struct conf_node *n, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Typed getters. A missing key, or one with an empty value, yields def and
 * returns 0. A value of the wrong form returns -EINVAL with
 * err = "file:line:col: key 'stream.midstream': expected a boolean, got 'maybe'"
 * and leaves *out untouched. The conf_node_ forms look up path below base. */
int conf_node_get_str(const struct conf_node *base, const char *path, const char *def,
		      const char **out, char *err, size_t errlen);
int conf_node_get_bool(const struct conf_node *base, const char *path, bool def,
		       bool *out, char *err, size_t errlen);
int conf_node_get_int(const struct conf_node *base, const char *path, int64_t def,
		      int64_t *out, char *err, size_t errlen);
int conf_node_get_u64(const struct conf_node *base, const char *path, uint64_t def,
		      uint64_t *out, char *err, size_t errlen);
int conf_node_get_size(const struct conf_node *base, const char *path, uint64_t def,
		       uint64_t *out, char *err, size_t errlen);

int conf_get_str(const struct conf *c, const char *path, const char *def,
		 const char **out, char *err, size_t errlen);
int conf_get_bool(const struct conf *c, const char *path, bool def,
		  bool *out, char *err, size_t errlen);
int conf_get_int(const struct conf *c, const char *path, int64_t def,
		 int64_t *out, char *err, size_t errlen);
int conf_get_u64(const struct conf *c, const char *path, uint64_t def,
		 uint64_t *out, char *err, size_t errlen);
int conf_get_size(const struct conf *c, const char *path, uint64_t def,
		  uint64_t *out, char *err, size_t errlen);

/* Value parsers behind the getters, for text that does not come from the
 * tree (command-line flags). Return 0 or -EINVAL (-ERANGE on overflow). */
int conf_parse_bool(const char *s, bool *out);
int conf_parse_int(const char *s, int64_t *out);
int conf_parse_u64(const char *s, uint64_t *out);
int conf_parse_size(const char *s, uint64_t *out);

/* Iteration over a mapping's keys or a sequence's elements, in order. */
static inline const struct conf_node *conf_node_first(const struct conf_node *n)
{
	return n ? n->child : NULL;
}

static inline const struct conf_node *conf_node_next(const struct conf_node *n)
{
	return n->next;
}

/* Schema. conf_schema_init() starts empty; conf_schema_add() appends a table
 * (kept by pointer: it must outlive the schema), -ENOSPC when full. */
void conf_schema_init(struct conf_schema *s);
int conf_schema_add(struct conf_schema *s, const struct conf_schema_row *rows);

/* Check every key of c: unknown keys are reported as
 * "file:line:col: unknown key 'dpdk.interfacez'" (once per unknown subtree),
 * values of the wrong type as the getters report them. One line per
 * problem to errs (may be NULL). Returns the number of problems. Keys of
 * CONF_NOOP rows are warned about on errs, not counted. */
unsigned int conf_validate(const struct conf *c, const struct conf_schema *s, FILE *errs);

/* idsd's keys: its own plus every key of Suricata's stock suricata.yaml. */
extern const struct conf_schema_row conf_schema_idsd[];

#endif
