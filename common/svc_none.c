/* SPDX-License-Identifier: MIT */
/* Built without libsystemd: nobody to tell. */
#include "svc.h"

void svc_ready(const char *status)
{
	(void)status;
}

void svc_stopping(void)
{
}

void svc_watchdog(void)
{
}

uint64_t svc_watchdog_period_us(void)
{
	return 0;
}
