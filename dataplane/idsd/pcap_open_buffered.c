/* SPDX-License-Identifier: MIT */
/* Capture files are read in 1 MiB steps, not 4 KiB ones.
 *
 * DPDK's net_pcap opens its rx_pcap file with libpcap's
 * pcap_open_offline_with_tstamp_precision(), which fopen()s it: stdio then
 * reads st_blksize (4 KiB) per read(2), so a worker replaying a capture
 * makes one system call per ~8 packets. On the virtual machines this runs
 * on a system call costs microseconds (bench-http: 90,000 of them, about a
 * tenth of the worker's time). idsd therefore defines that function: a
 * definition in the executable comes first in the dynamic linker's search
 * (as pthread_create in privs_thread.c), so the PMD plugin calls this one.
 * It opens the file as a stdio stream with a 1 MiB buffer (fopencookie:
 * the stream then owns the buffer and frees it when closed), and
 * hands it to libpcap's pcap_fopen_offline_with_tstamp_precision(), which
 * closes it with the pcap_t. Formats, errors and "-" for standard input
 * stay libpcap's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <pcap/pcap.h>

#define CAPTURE_READ_BUF ((size_t)1 << 20)

struct capture_reader {
	int fd;
	char buf[CAPTURE_READ_BUF];
};

static ssize_t reader_read(void *cookie, char *out, size_t n)
{
	struct capture_reader *r = cookie;
	ssize_t got;

	do
		got = read(r->fd, out, n);
	while (got < 0 && errno == EINTR);
	return got;
}

static int reader_close(void *cookie)
{
	struct capture_reader *r = cookie;
	int ret = close(r->fd);

	free(r);
	return ret;
}

pcap_t *pcap_open_offline_with_tstamp_precision(const char *fname, u_int precision,
						 char *errbuf);

pcap_t *pcap_open_offline_with_tstamp_precision(const char *fname, u_int precision,
						 char *errbuf)
{
	static const cookie_io_functions_t io = { .read = reader_read, .close = reader_close };
	struct capture_reader *r;
	pcap_t *p;
	FILE *f;

	if (fname == NULL || strcmp(fname, "-") == 0)
		return pcap_fopen_offline_with_tstamp_precision(stdin, precision, errbuf);
	r = malloc(sizeof(*r));
	if (r == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: %s", fname, strerror(ENOMEM));
		return NULL;
	}
	r->fd = open(fname, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: %s", fname, strerror(errno));
		free(r);
		return NULL;
	}
	f = fopencookie(r, "rb", io);
	if (f == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: %s", fname, strerror(errno));
		reader_close(r);
		return NULL;
	}
	/* the stream's buffer is the reader's: stdio reads straight into it,
	 * and fclose() calls reader_close() last, leaving it alone */
	setvbuf(f, r->buf, _IOFBF, sizeof(r->buf));
	p = pcap_fopen_offline_with_tstamp_precision(f, precision, errbuf);
	if (p == NULL)
		fclose(f);
	return p;
}
