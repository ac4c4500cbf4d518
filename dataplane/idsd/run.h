/* SPDX-License-Identifier: MIT */
/* Running the dataplane: EAL, ports, workers, the main lcore's wait loop,
 * and the orderly end (drain, flush, summary). */
#ifndef IDS_RUN_H
#define IDS_RUN_H

#include "args.h"
#include "engine.h"
#include "settings.h"

/* Run until the capture ends or a signal arrives. A rule reload (SIGUSR2,
 * /ids/reload) replaces *e in place; the caller frees whatever *e holds at
 * the end. Returns the process exit status (0, or 1 when the input or the
 * ports could not be set up). */
int run_dataplane(const struct settings *s, struct engine *e, const struct idsd_args *a);

#endif
