/* SPDX-License-Identifier: MIT */
#include "capture_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "../decode/packet-t.h"

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

/* The decoder's link layer for a libpcap link type, -1 when unsupported. */
static int link_from_dlt(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
		return PKT_LINK_ETHERNET;
	case DLT_LINUX_SLL:
		return PKT_LINK_SLL;
	case DLT_LINUX_SLL2:
		return PKT_LINK_SLL2;
	case DLT_NULL:
		return PKT_LINK_NULL;
	case DLT_LOOP:
		return PKT_LINK_LOOP;
	case DLT_PPP:
		return PKT_LINK_PPP;
	case DLT_RAW:
		return PKT_LINK_RAW;
	case DLT_IPV4:
		return PKT_LINK_IPV4;
	case DLT_IPV6:
		return PKT_LINK_IPV6;
	case DLT_C_HDLC:
		return PKT_LINK_CHDLC;
	default:
		return -1;
	}
}

/* libpcap ends a pcapng file at an interface whose link type or snapshot
 * length differs from the first one's (one of each per pcap_t). */
static bool mixed_interfaces(const char *perr)
{
	return strstr(perr, "an interface has a") != NULL &&
	       strstr(perr, "different from") != NULL;
}

int capture_file_scan(const char *path, struct capture_info *ci, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *pc;
	int ret, link;

	memset(ci, 0, sizeof(*ci));
	pc = pcap_open_offline(path, perr);
	if (pc == NULL) {
		snprintf(err, errlen, "%s: cannot read capture: %s%s", path, perr,
			 is_gzip(path) ? " (it is gzip-compressed: gunzip it first)" : "");
		return -EINVAL;
	}
	ci->linktype = pcap_datalink(pc);
	link = link_from_dlt(ci->linktype);
	if (link < 0) {
		const char *name = pcap_datalink_val_to_name(ci->linktype);

		snprintf(err, errlen, "%s: link type %s (%d) is not supported; idsd reads "
			 "Ethernet, Linux cooked (SLL, SLL2), BSD loopback (NULL, LOOP), PPP, "
			 "Cisco HDLC and raw IP (RAW, IPV4, IPV6) captures", path,
			 name ? name : "unknown", ci->linktype);
		pcap_close(pc);
		return -EINVAL;
	}
	ci->link = (uint8_t)link;
	while ((ret = pcap_next_ex(pc, &hdr, &data)) == 1) {
		uint64_t us = (uint64_t)hdr->ts.tv_sec * 1000000u + (uint64_t)hdr->ts.tv_usec;

		ci->packets++;
		ci->bytes += hdr->caplen;
		if (us > ci->last_us)
			ci->last_us = us;
	}
	if (ret == PCAP_ERROR)
		snprintf(ci->stopped, sizeof(ci->stopped), "%s", pcap_geterr(pc));
	pcap_close(pc);
	if (mixed_interfaces(ci->stopped)) {
		snprintf(err, errlen, "%s: pcapng interfaces differ (%s); libpcap, which idsd "
			 "reads captures with, takes one link type and snapshot length per file: "
			 "split it per interface first "
			 "(tshark -r FILE -Y 'frame.interface_id == N' -w OUT)", path, ci->stopped);
		return -EINVAL;
	}
	return 0;
}
