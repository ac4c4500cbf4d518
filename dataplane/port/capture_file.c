/* SPDX-License-Identifier: MIT */
#include "capture_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

/* libpcap reads neither gzip nor any other compression; say so plainly. */
static bool is_gzip(const char *path)
{
	unsigned char magic[2] = { 0, 0 };
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return false;
	if (fread(magic, 1, sizeof(magic), f) != sizeof(magic))
		magic[0] = 0;
	fclose(f);
	return magic[0] == 0x1f && magic[1] == 0x8b;
}

int capture_file_scan(const char *path, struct capture_info *ci, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *pc;
	int ret;

	memset(ci, 0, sizeof(*ci));
	pc = pcap_open_offline(path, perr);
	if (pc == NULL) {
		snprintf(err, errlen, "%s: cannot read capture: %s%s", path, perr,
			 is_gzip(path) ? " (it is gzip-compressed: gunzip it first)" : "");
		return -EINVAL;
	}
	ci->linktype = pcap_datalink(pc);
	if (ci->linktype != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(ci->linktype);

		snprintf(err, errlen, "%s: link type %s (%d) is not Ethernet; idsd reads Ethernet "
			 "(DLT_EN10MB) captures, as its DPDK ports do", path, name ? name : "unknown",
			 ci->linktype);
		pcap_close(pc);
		return -EINVAL;
	}
	while ((ret = pcap_next_ex(pc, &hdr, &data)) == 1) {
		ci->packets++;
		ci->bytes += hdr->caplen;
	}
	if (ret == PCAP_ERROR)
		snprintf(ci->stopped, sizeof(ci->stopped), "%s", pcap_geterr(pc));
	pcap_close(pc);
	return 0;
}
