/* SPDX-License-Identifier: MIT */
/* Which library's malloc this process runs on. */
#ifndef IDS_IDSD_MALLOC_LIB_H
#define IDS_IDSD_MALLOC_LIB_H

/* The file name of the shared object that defines the malloc this program
 * calls ("libjemalloc.so.2", "libc.so.6", "libasan.so.8"), as the dynamic
 * linker resolved it: what runs, not what the build meant. A static string,
 * "unknown" when the address names no object. */
const char *malloc_lib(void);

#endif
