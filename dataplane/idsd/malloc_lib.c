/* SPDX-License-Identifier: MIT */
#include "malloc_lib.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

const char *malloc_lib(void)
{
	/* volatile: the compiler may not fold malloc's address into a guess */
	void *(*volatile fn)(size_t) = malloc;
	Dl_info info;

	if (dladdr((void *)fn, &info) == 0 || info.dli_fname == NULL)
		return "unknown";
	const char *slash = strrchr(info.dli_fname, '/');
	return slash != NULL ? slash + 1 : info.dli_fname;
}
