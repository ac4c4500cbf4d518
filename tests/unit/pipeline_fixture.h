/* SPDX-License-Identifier: MIT */
/* A pipeline writing EVE to a file of the test's temporary folder, and the
 * records read back at the end of input: for the pipeline tests that check
 * what a run of packets writes. */
#ifndef IDS_TEST_PIPELINE_FIXTURE_H
#define IDS_TEST_PIPELINE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "common/wmem.h"
#include "dataplane/applayer/applayer.h"
#include "dataplane/output/eve.h"
#include "dataplane/pipeline/pipeline.h"

/* The pipeline of cfg (its .eve set here) writing to dir/name, in *pl;
 * the file, or NULL (reported, nothing left open) when either cannot be
 * made. */
static inline struct eve_file *pipeline_fixture_start(struct pipeline **pl,
						      struct pipeline_config *cfg,
						      const char *dir, const char *name)
{
	char path[128], err[256];
	struct eve_file *ef;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ef = eve_file_open(path, err, sizeof(err));
	CHECK(ef != NULL);
	if (ef == NULL)
		return NULL;
	cfg->eve = ef;
	*pl = pipeline_create(cfg, 0);
	CHECK(*pl != NULL);
	if (*pl == NULL) {
		eve_file_close(ef);
		return NULL;
	}
	return ef;
}

/* End of input: *pl finished and destroyed, ef closed; the records
 * written to dir/name (NUL-terminated, caller frees; NULL, reported, when
 * they cannot be read), the file removed. */
static inline char *pipeline_fixture_finish(struct pipeline **pl, struct eve_file *ef,
					    const char *dir, const char *name)
{
	char path[128], *buf = NULL;
	long n;
	FILE *f;

	pipeline_finish(*pl, 0);
	/* every flow let go: all they took from the worker's pool is back */
	CHECK_INT(0, wmem_used_bytes(applayer_ctx_mem((*pl)->al)));
	pipeline_destroy(*pl);
	*pl = NULL;
	eve_file_close(ef);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0) {
		rewind(f);
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
		} else {
			free(buf);
			buf = NULL;
		}
	}
	if (f != NULL)
		fclose(f);
	CHECK(buf != NULL);
	unlink(path);
	return buf;
}

#endif
