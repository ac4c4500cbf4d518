/* SPDX-License-Identifier: MIT */
/* Tree primitives shared by the conf/ sources; not part of the interface. */
#ifndef IDS_CONF_PRIV_H
#define IDS_CONF_PRIV_H

#include <stddef.h>

#include "conf-t.h"

/* The child of parent named name[0..len); NULL if none. */
struct conf_node *conf_node_child(const struct conf_node *parent, const char *name, size_t len);

/* A new child appended to parent; NULL on allocation failure. */
struct conf_node *conf_node_add(struct conf_node *parent, const char *name, size_t len);

/* The child named name[0..len), created if missing; NULL on allocation failure. */
struct conf_node *conf_node_child_get(struct conf_node *parent, const char *name, size_t len);

/* Move child to the end of its parent's list (a re-defined sequence
 * element keeps iteration in the new file's order). */
void conf_node_move_last(struct conf_node *child);

/* Children by name (conf_index.c), so a mapping with tens of thousands
 * of keys (address groups) loads in linear time. The index exists once a
 * node has CONF_INDEX_MIN children; conf_tree.c keeps it in step. */
#define CONF_INDEX_MIN 16

/* Build parent's index from its children. -ENOMEM leaves it without one
 * (lookups then walk the list). */
int conf_index_build(struct conf_node *parent);
/* Add ch, just appended to parent (which has an index). */
int conf_index_add(struct conf_node *parent, struct conf_node *ch);
/* The child named name[0..len) by the index (parent has one). */
struct conf_node *conf_index_find(const struct conf_node *parent, const char *name, size_t len);
void conf_index_free(struct conf_node *parent);

/* Replace n's value with a copy of v (NULL clears it). -ENOMEM on failure. */
int conf_node_set_value(struct conf_node *n, const char *v);

/* Free n and its subtree; n must already be unlinked from its parent. */
void conf_node_free(struct conf_node *n);

/* Empty n for a re-definition (Suricata's ConfNodePrune): its value and
 * every child go, except final (--set) nodes and what leads to them. */
void conf_node_prune(struct conf_node *n);

/* A stable copy of a file name for nodes to point at; NULL on failure. */
const char *conf_intern_file(struct conf *c, const char *name);

/* Merge a copy of src's subtree into dst (aliases and "<<" merge keys).
 * Final nodes of dst keep their value. -ENOMEM on failure. */
int conf_node_merge(struct conf_node *dst, const struct conf_node *src);

/* "a mapping", "a sequence" or "'text'", for error messages. */
const char *conf_node_kind(const struct conf_node *n, char *buf, size_t len);

#endif
