/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <systemd/sd-daemon.h>

#include "svc.h"

void svc_ready(const char *status)
{
	sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

void svc_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

void svc_watchdog(void)
{
	sd_notify(0, "WATCHDOG=1");
}

uint64_t svc_watchdog_period_us(void)
{
	uint64_t usec = 0;

	/* > 0 only when WATCHDOG_USEC is set and WATCHDOG_PID is us */
	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec / 2;
}
