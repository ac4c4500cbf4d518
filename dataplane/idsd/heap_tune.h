/* SPDX-License-Identifier: MIT */
/* malloc's heap on transparent huge pages for the whole process. */
#ifndef IDS_IDSD_HEAP_TUNE_H
#define IDS_IDSD_HEAP_TUNE_H

/* First thing in main: when GLIBC_TUNABLES does not say how malloc should
 * use huge pages, exec this program again with it saying so (the operator's
 * own tunables kept). Returns only when nothing was to be done or the exec
 * failed; the run then goes on as it is. */
void heap_tune_reexec(char **argv);

#endif
