/* SPDX-License-Identifier: MIT */
/* Detection's per-flow state: allocated the first time a flow needs it, so
 * flows that never carry a stream candidate cost a pointer. */
#include <stdlib.h>

#include "../flow/flow-t.h"
#include "detect-int.h"

struct detect_flow *detect_flow_get(struct flow *f)
{
	if (f->det == NULL)
		f->det = calloc(1, sizeof(*f->det));
	return f->det;
}

void detect_flow_free(struct detect_flow *df)
{
	free(df);
}
