/* SPDX-License-Identifier: MIT */
/* jemalloc reads its options from this symbol of the program before its
 * first allocation (then from MALLOC_CONF, which an operator may still set).
 * thp: its mappings on transparent huge pages: one fault per 2 MiB of a
 * worker's heap, not per 4 KiB; these hosts give huge pages on madvise
 * only. */
const char *malloc_conf = "thp:always,metadata_thp:always";
