/* SPDX-License-Identifier: MIT */
/* A build without control/mgmt: the management section is known to the
 * schema (so -T does not call it a typo) but refused at startup. */
#include <errno.h>
#include <stdio.h>

#include "ctl_mgmt.h"

static const struct conf_schema_row rows[] = {
	{ "management", CONF_ANY },
	{ NULL, 0 },
};

const struct conf_schema_row *ctl_mgmt_schema(void)
{
	return rows;
}

int ctl_mgmt_check(const struct conf *c, bool files, char *err, size_t errlen)
{
	(void)files;
	if (!conf_get(c, "management"))
		return 0;
	snprintf(err, errlen, "this ids-control was built without the management port");
	return -EINVAL;
}

int ctl_mgmt_start(struct loop *l, const struct conf *c, const struct ctl_conf *cc,
		   struct ha *ha, struct ctl_mgmt **out, char *err, size_t errlen)
{
	(void)l;
	(void)cc;
	(void)ha;
	*out = NULL;
	return ctl_mgmt_check(c, true, err, errlen);
}

int ctl_mgmt_reconfigure(struct ctl_mgmt **m, struct loop *l, const struct conf *c,
			 const struct ctl_conf *cc, struct ha *ha, char *err, size_t errlen)
{
	return ctl_mgmt_start(l, c, cc, ha, m, err, errlen);
}

void ctl_mgmt_stop(struct ctl_mgmt *m)
{
	(void)m;
}
