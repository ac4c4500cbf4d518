/* SPDX-License-Identifier: MIT */
#include "privs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cap-ng.h>

#include "../../common/log.h"
#include "privs_thread.h"

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

/* The capabilities rte_eal_init and the port probes may use, as the
 * systemd unit's CapabilityBoundingSet lists them:
 * - NET_RAW, NET_ADMIN: af_packet/af_xdp/pcap/tap vdevs open packet sockets
 *   and tun devices and set links up and promiscuous; kept after start too.
 * - with hugepages or PCI devices: IPC_LOCK (VFIO pins the DMA memory, past
 *   RLIMIT_MEMLOCK), SYS_ADMIN (physical addresses from /proc/self/pagemap
 *   for IOVA-as-PA, PCI config space past 64 bytes), SYS_RAWIO (iopl for
 *   I/O-port devices: virtio legacy, uio). --no-huge --no-pci needs none.
 * - SETPCAP to empty the bounding sets afterwards, SETUID/SETGID for run-as.
 * Files (hugetlbfs, /run/dpdk, /dev/vfio, sysfs) are root's: no DAC_*. */
int privs_limit(bool hw, bool change_ids)
{
	char *text;

	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET,
			  CAP_NET_ADMIN, CAP_NET_RAW, CAP_SETPCAP, -1) != 0 ||
	    (hw && capng_updatev(CAPNG_ADD,
				 CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET,
				 CAP_IPC_LOCK, CAP_SYS_ADMIN, CAP_SYS_RAWIO, -1) != 0) ||
	    (change_ids && capng_updatev(CAPNG_ADD,
					 CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET,
					 CAP_SETUID, CAP_SETGID, -1) != 0))
		return -EINVAL;
	if (capng_apply(CAPNG_SELECT_BOTH) != 0)
		return -EPERM;
	text = capng_print_caps_text(CAPNG_PRINT_BUFFER, CAPNG_PERMITTED);
	log_msg(LOG_INFO, "privileges", "EAL initialises with %s", text ? text : "?");
	free(text);
	/* glibc makes every thread take part in an id change (and aborts if
	 * one may not): until then threads keep what that needs */
	privs_threads_set(change_ids ? (UINT64_C(1) << CAP_SETUID) | (UINT64_C(1) << CAP_SETGID) :
			  0);
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
	} else if (capng_apply(CAPNG_SELECT_BOTH) != 0) {
		return -EPERM;
	}
	privs_threads_set(0);
	return 0;
}
