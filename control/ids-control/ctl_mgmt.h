/* SPDX-License-Identifier: MIT */
/* ids-control's link to the management port: the schema rows it adds and
 * the backend callbacks answered from the HA state. Built as ctl_mgmt.c
 * when control/mgmt exists, ctl_mgmt_none.c (which refuses a management
 * section) otherwise: meson picks the file. */
#ifndef IDS_CTL_MGMT_H
#define IDS_CTL_MGMT_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"

struct loop;
struct ha;
struct ctl_conf;
struct ctl_mgmt;

/* The "management.*" rows for conf_schema_add(). */
const struct conf_schema_row *ctl_mgmt_schema(void);

/* The management section's own checks (what ctl_mgmt_start would refuse
 * before listening), for -T and the daemon alike; without files, only its
 * keys (a reload: the files are read by ctl_mgmt_reconfigure, which keeps
 * the running set when they fail). 0 or -EINVAL. */
int ctl_mgmt_check(const struct conf *c, bool files, char *err, size_t errlen);

/* Start the management port when the config has a management section,
 * with the dataplane's commands (cc->telemetry) and alerts (cc->eve).
 * *out is NULL when there is none. 0 or -EINVAL with err filled. */
int ctl_mgmt_start(struct loop *l, const struct conf *c, const struct ctl_conf *cc,
		   struct ha *ha, struct ctl_mgmt **out, char *err, size_t errlen);
/* SIGHUP: the reloaded configuration (c, cc: they replace the previous
 * ones, which may be freed after). A management section that appeared
 * starts the port, one that went away stops it; otherwise mgmt_reconfigure
 * (TLS files read again, SASL, roles, listener, audit log reopened) and
 * the dataplane's socket and eve.json followed anew where they changed.
 * 0, or -errno with err filled and the port's previous settings kept. */
int ctl_mgmt_reconfigure(struct ctl_mgmt **m, struct loop *l, const struct conf *c,
			 const struct ctl_conf *cc, struct ha *ha, char *err, size_t errlen);
void ctl_mgmt_stop(struct ctl_mgmt *m);

#endif
