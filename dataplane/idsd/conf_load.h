/* SPDX-License-Identifier: MIT */
/* The configuration as idsd runs it, read at start and again when a reload
 * applies its logging section. */
#ifndef IDS_IDSD_CONF_LOAD_H
#define IDS_IDSD_CONF_LOAD_H

#include <stdio.h>

struct conf;
struct idsd_args;

/* -c's file (none: every default), the --set overrides, checked against
 * idsd's schema. NULL after printing the problems on errs ("file:line:
 * reason"), the schema's warnings there too. */
struct conf *idsd_conf_load(const struct idsd_args *a, FILE *errs);

#endif
