/* SPDX-License-Identifier: MIT */
/* ids-control's link to the management port: the schema rows it adds and
 * the backend callbacks answered from the HA state. Built as ctl_mgmt.c
 * when control/mgmt exists, ctl_mgmt_none.c (which refuses a management
 * section) otherwise: meson picks the file. */
#ifndef IDS_CTL_MGMT_H
#define IDS_CTL_MGMT_H

#include <stddef.h>

#include "conf/conf.h"

struct loop;
struct ha;
struct ctl_conf;
struct ctl_mgmt;

/* The "management.*" rows for conf_schema_add(). */
const struct conf_schema_row *ctl_mgmt_schema(void);

/* The management section's own checks (what ctl_mgmt_start would refuse
 * before listening), for -T and the daemon alike. 0 or -EINVAL. */
int ctl_mgmt_check(const struct conf *c, char *err, size_t errlen);

/* Start the management port when the config has a management section,
 * with the dataplane's commands (cc->telemetry) and alerts (cc->eve).
 * *out is NULL when there is none. 0 or -EINVAL with err filled. */
int ctl_mgmt_start(struct loop *l, const struct conf *c, const struct ctl_conf *cc,
		   struct ha *ha, struct ctl_mgmt **out, char *err, size_t errlen);
/* SIGHUP: reopen the audit log and reload the management TLS credentials
 * (mgmt_tls_reload: a failure keeps the current ones and is logged).
 * NULL is a no-op. */
void ctl_mgmt_reload(struct ctl_mgmt *m);
void ctl_mgmt_stop(struct ctl_mgmt *m);

#endif
