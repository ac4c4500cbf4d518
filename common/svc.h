/* SPDX-License-Identifier: MIT */
/* The service manager's notification protocol (systemd Type=notify,
 * sd_notify(3)): readiness, shutdown and watchdog keep-alives. Every call
 * is a no-op when the process was not started with NOTIFY_SOCKET or the
 * build has no libsystemd (meson picks svc_none.c), so daemons call them
 * unconditionally. */
#ifndef IDS_SVC_H
#define IDS_SVC_H

#include <stdint.h>

/* READY=1 with a one-line status. */
void svc_ready(const char *status);
/* STOPPING=1: a graceful stop has begun. */
void svc_stopping(void);
/* WATCHDOG=1: the process is alive and doing its work. */
void svc_watchdog(void);
/* The interval at which to call svc_watchdog(): half of WatchdogSec, or 0
 * when no watchdog was asked for (or it is meant for another process). */
uint64_t svc_watchdog_period_us(void);

#endif
