/* SPDX-License-Identifier: MIT */
#include "privs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include <time.h>

#include <cap-ng.h>
#include <rte_alarm.h>

int privs_resolve(const struct settings *s, int *uid, int *gid, char *err, size_t errlen)
{
	*uid = -1;
	*gid = -1;
	if (s->user != NULL) {
		struct passwd *pw = getpwnam(s->user);

		if (pw == NULL) {
			snprintf(err, errlen, "run-as user '%s': no such user", s->user);
			return -ENOENT;
		}
		*uid = (int)pw->pw_uid;
		*gid = (int)pw->pw_gid;
	}
	if (s->group != NULL) {
		struct group *gr = getgrnam(s->group);

		if (gr == NULL) {
			snprintf(err, errlen, "run-as group '%s': no such group", s->group);
			return -ENOENT;
		}
		*gid = (int)gr->gr_gid;
	}
	return 0;
}

int privs_drop(int uid, int gid)
{
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_ADMIN,
			  CAP_NET_RAW, -1) != 0)
		return -EINVAL;
	if (uid >= 0 || gid >= 0) {
		if (capng_change_id(uid, gid, CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING) != 0)
			return -EPERM;
		return 0;
	}
	return capng_apply(CAPNG_SELECT_BOTH) == 0 ? 0 : -EPERM;
}

static int drop_all(void)
{
	capng_clear(CAPNG_SELECT_BOTH);
	return capng_apply(CAPNG_SELECT_BOTH) == 0 ? 0 : -EPERM;
}

int privs_drop_lcore(void *arg)
{
	(void)arg;
	return drop_all();
}

struct intr_drop {
	int rc;
	int done;
};

static void intr_drop_cb(void *arg)
{
	struct intr_drop *d = arg;

	d->rc = drop_all();
	__atomic_store_n(&d->done, 1, __ATOMIC_RELEASE);
}

int privs_drop_intr_thread(void)
{
	static struct intr_drop d;	/* outlives a callback that comes late */
	struct timespec ts = { .tv_nsec = 1000000 };

	d = (struct intr_drop){ .rc = -ETIMEDOUT };
	if (rte_eal_alarm_set(1, intr_drop_cb, &d) != 0)
		return -EINVAL;
	for (int i = 0; i < 1000 && !__atomic_load_n(&d.done, __ATOMIC_ACQUIRE); i++)
		nanosleep(&ts, NULL);
	return __atomic_load_n(&d.done, __ATOMIC_ACQUIRE) ? d.rc : -ETIMEDOUT;
}
