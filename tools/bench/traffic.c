/* SPDX-License-Identifier: MIT */
/* Captures in, captures out: the in-memory frame store. */
#include "traffic.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "traffic-int.h"

static int grow(void **p, size_t elem, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 1024;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (q == NULL)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

int traffic_add(struct traffic *t, const uint8_t *data, uint32_t len, uint32_t wire_len,
		uint64_t ts_us)
{
	size_t fcap = t->fcap;
	struct frame *f;

	if (len > TRAFFIC_SNAPLEN) {
		len = TRAFFIC_SNAPLEN;
		t->truncated++;
	}
	if (wire_len < len)
		wire_len = len;
	if (t->n == UINT32_MAX || t->used + len > UINT32_MAX)
		return -E2BIG;
	if (grow((void **)&t->buf, 1, &t->cap, t->used + len) != 0 ||
	    grow((void **)&t->f, sizeof(*t->f), &fcap, (size_t)t->n + 1) != 0)
		return -ENOMEM;
	t->fcap = (uint32_t)fcap;
	f = &t->f[t->n++];
	f->off = (uint32_t)t->used;
	f->len = len;
	f->wire_len = wire_len;
	f->ts_us = ts_us;
	memcpy(t->buf + t->used, data, len);
	t->used += len;
	t->wire_bytes += wire_len;
	return 0;
}

static int load_file(struct traffic *t, const char *path, bool from_dir, char *err,
		     size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;
	int ret = 0, r, link;

	pc = pcap_open_offline(path, perr);
	if (pc == NULL) {
		if (from_dir) {
			t->files_skipped++;
			return 0;
		}
		snprintf(err, errlen, "%s: %s", path, perr);
		return -EINVAL;
	}
	link = pcap_datalink(pc);
	if (link != DLT_EN10MB) {
		pcap_close(pc);
		if (from_dir) {
			t->files_skipped++;
			return 0;
		}
		snprintf(err, errlen, "%s: link type %d is not Ethernet", path, link);
		return -EINVAL;
	}
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;

		ret = traffic_add(t, data, h->caplen, h->len, ts);
		if (ret != 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
			break;
		}
	}
	/* a capture cut short still counts for what it held, as idsd reads it */
	pcap_close(pc);
	t->files++;
	return ret;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, so a directory gives the same traffic on every machine. */
static int load_dir(struct traffic *t, const char *dir, char *err, size_t errlen)
{
	char **names = NULL, path[PATH_MAX];
	size_t n = 0, cap = 0;
	struct dirent *de;
	struct stat st;
	int ret = 0;
	DIR *d;

	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (grow((void **)&names, sizeof(*names), &cap, n + 1) != 0 ||
		    (names[n] = strdup(de->d_name)) == NULL) {
			ret = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && ret == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			ret = load_dir(t, path, err, errlen);
		else if (S_ISREG(st.st_mode))
			ret = load_file(t, path, true, err, errlen);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", dir);
	return ret;
}

int traffic_load(struct traffic *t, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(t, path, err, errlen);
	return load_file(t, path, false, err, errlen);
}

int traffic_write_pcap(const struct traffic *t, const char *path, char *err, size_t errlen)
{
	pcap_dumper_t *d;
	pcap_t *pc;
	int ret = 0;

	pc = pcap_open_dead(DLT_EN10MB, TRAFFIC_SNAPLEN);
	if (pc == NULL) {
		snprintf(err, errlen, "pcap_open_dead failed");
		return -ENOMEM;
	}
	d = pcap_dump_open(pc, path);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", path, pcap_geterr(pc));
		pcap_close(pc);
		return -EIO;
	}
	for (uint32_t i = 0; i < t->n; i++) {
		struct pcap_pkthdr h = {
			.ts = { .tv_sec = (time_t)(t->f[i].ts_us / 1000000u),
				.tv_usec = (suseconds_t)(t->f[i].ts_us % 1000000u) },
			.caplen = t->f[i].len,
			.len = t->f[i].wire_len,
		};

		pcap_dump((u_char *)d, &h, traffic_data(t, i));
	}
	if (pcap_dump_flush(d) != 0) {
		snprintf(err, errlen, "%s: write failed", path);
		ret = -EIO;
	}
	pcap_dump_close(d);
	pcap_close(pc);
	return ret;
}

void traffic_free(struct traffic *t)
{
	free(t->buf);
	free(t->f);
	memset(t, 0, sizeof(*t));
}
