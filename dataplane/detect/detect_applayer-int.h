/* SPDX-License-Identifier: MIT */
/* Internals of app-layer detection (detect_applayer*.c). */
#ifndef IDS_DETECT_APPLAYER_INT_H
#define IDS_DETECT_APPLAYER_INT_H

#include "detect-int.h"

/* Immutable, shared by all workers. */
struct detect_app_engine {
	struct pat_db db[RULE_BUF_MAX][2];  /* [buffer][dotprefix]: one prefilter per variant */
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
	const struct pat_db *scan_db; /* the database being scanned */
	uint8_t *dot;            /* the dotprefix transform of a buffer */
	uint32_t dotcap;
};

/* Directions a buffer exists in (bit per enum pkt_dir), and whether it has
 * one instance per direction (instance = direction). */
uint8_t detect_app_buf_dirs(enum rule_buffer b);
bool detect_app_buf_bidir(enum rule_buffer b);

#endif
