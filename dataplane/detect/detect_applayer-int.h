/* SPDX-License-Identifier: MIT */
/* Internals of app-layer detection (detect_applayer*.c). */
#ifndef IDS_DETECT_APPLAYER_INT_H
#define IDS_DETECT_APPLAYER_INT_H

#include "detect-int.h"

/* One buffer variant's prefilter: pattern id -> ranks (CSR). */
struct app_db {
	hs_database_t *db;       /* NULL: no rule has its fast pattern here */
	uint32_t npat;
	uint32_t *pat_first;     /* npat + 1 */
	uint32_t *pat_rules;
};

/* Immutable, shared by all workers. */
struct detect_app_engine {
	struct app_db db[RULE_BUF_MAX][2];  /* [buffer][dotprefix] */
	hs_scratch_t *scratch;              /* prototype, fits every database */
	uint32_t nbufs;                     /* databases built */
	uint32_t nrules;                    /* rules evaluated per transaction */
	uint32_t nalways[APP_PROTO_MAX];    /* without a fast pattern, by protocol */
	uint32_t *always[APP_PROTO_MAX];
};

/* Per worker. */
struct detect_app_thread {
	hs_scratch_t *scratch;
	uint32_t *cand;          /* candidate ranks of one transaction and direction */
	uint32_t ncand;
	uint32_t *seen;          /* rank -> stamp of the last scan that added it */
	uint32_t stamp;
	const struct app_db *scan_db; /* the database being scanned */
	uint8_t *dot;            /* the dotprefix transform of a buffer */
	uint32_t dotcap;
};

/* Directions a buffer exists in (bit per enum pkt_dir), and whether it has
 * one instance per direction (instance = direction). */
uint8_t detect_app_buf_dirs(enum rule_buffer b);
bool detect_app_buf_bidir(enum rule_buffer b);

#endif
