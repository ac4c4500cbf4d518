/* SPDX-License-Identifier: MIT */
/* capture_map.c against libpcap itself: every capture is read twice, through
 * idsd's open (mapped, records in place where plain) and through a stock
 * stdio stream libpcap reads alone, and the two must return the same codes,
 * headers, bytes and errors, for both time stamp precisions. Then a file
 * truncated while mapped, which must end the capture, not the process, and
 * the pages mapped ahead of the reader by another thread's calls. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "check.h"
#include "dataplane/idsd/capture_map.h"

struct cap {
	uint32_t magic;
	uint16_t major, minor;
	uint32_t snaplen, linktype;
};

struct rec {
	uint32_t sec, frac, caplen, len;
	uint32_t stored;	/* data bytes written: caplen unless cut short */
};

static char dir[] = "/tmp/capture_map_XXXXXX";
static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)(seed >> 11);
}

static void put32(FILE *f, uint32_t v, int swap)
{
	if (swap)
		v = __builtin_bswap32(v);
	fwrite(&v, 4, 1, f);
}

static void put16(FILE *f, uint16_t v, int swap)
{
	if (swap)
		v = __builtin_bswap16(v);
	fwrite(&v, 2, 1, f);
}

/* A classic capture: header, the records, then `tail` stray bytes. */
static const char *write_cap(const char *name, const struct cap *c, int swap,
			     const struct rec *r, int n, int tail)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	put32(f, c->magic, swap);
	put16(f, c->major, swap);
	put16(f, c->minor, swap);
	put32(f, 0, swap);
	put32(f, 0, swap);
	put32(f, c->snaplen, swap);
	put32(f, c->linktype, swap);
	for (int i = 0; i < n; i++) {
		put32(f, r[i].sec, swap);
		put32(f, r[i].frac, swap);
		put32(f, r[i].caplen, swap);
		put32(f, r[i].len, swap);
		for (uint32_t k = 0; k < r[i].stored; k++)
			fputc((int)(rnd() & 0xff), f);
	}
	for (int i = 0; i < tail; i++)
		fputc(0x5a, f);
	fclose(f);
	return path;
}

static void fill(struct rec *r, int n, uint32_t maxlen)
{
	for (int i = 0; i < n; i++) {
		r[i].sec = 1700000000u + rnd() % 1000;
		r[i].frac = rnd() % 1000000;
		r[i].caplen = rnd() % (maxlen + 1);
		r[i].len = r[i].caplen + rnd() % 3;
		r[i].stored = r[i].caplen;
	}
}

/* Reads path both ways at one precision; the two must agree on everything. */
static void compare(const char *what, const char *path, u_int prec)
{
	char e1[PCAP_ERRBUF_SIZE] = "", e2[PCAP_ERRBUF_SIZE] = "";
	pcap_t *mine = pcap_open_offline_with_tstamp_precision(path, prec, e1);
	FILE *f = fopen(path, "rb");
	pcap_t *stock = pcap_fopen_offline_with_tstamp_precision(f, prec, e2);
	int n = 0;

	CHECK((mine == NULL) == (stock == NULL));
	if (mine == NULL || stock == NULL) {
		if (stock != NULL)
			pcap_close(stock);
		else
			fclose(f);
		if (mine != NULL)
			pcap_close(mine);
		CHECK_STR(e2, e1);
		return;
	}
	for (;;) {
		struct pcap_pkthdr *h1, *h2;
		const u_char *d1, *d2;
		int r1 = pcap_next_ex(mine, &h1, &d1), r2 = pcap_next_ex(stock, &h2, &d2);

		if (r1 != r2) {
			fprintf(stderr, "%s prec %u record %d: %d against libpcap's %d (%s)\n", what,
				prec, n, r1, r2, r2 == PCAP_ERROR ? pcap_geterr(stock) : "");
			CHECK_INT(r2, r1);
			break;
		}
		if (r1 != 1) {
			if (r1 == PCAP_ERROR)
				CHECK_STR(pcap_geterr(stock), pcap_geterr(mine));
			break;
		}
		CHECK_INT(h2->ts.tv_sec, h1->ts.tv_sec);
		CHECK_INT(h2->ts.tv_usec, h1->ts.tv_usec);
		CHECK_INT(h2->caplen, h1->caplen);
		CHECK_INT(h2->len, h1->len);
		CHECK(h1->caplen == h2->caplen && memcmp(d1, d2, h1->caplen) == 0);
		n++;
	}
	pcap_close(mine);
	pcap_close(stock);
}

static void both(const char *what, const char *path)
{
	compare(what, path, PCAP_TSTAMP_PRECISION_MICRO);
	compare(what, path, PCAP_TSTAMP_PRECISION_NANO);
}

static void test_formats(void)
{
	const struct cap usec = { 0xa1b2c3d4, 2, 4, 65535, DLT_EN10MB };
	const struct cap nsec = { 0xa1b23c4d, 2, 4, 65535, DLT_EN10MB };
	struct rec r[200];

	fill(r, 200, 1600);
	both("usec", write_cap("usec.pcap", &usec, 0, r, 200, 0));
	both("usec swapped", write_cap("usec_sw.pcap", &usec, 1, r, 200, 0));
	for (int i = 0; i < 200; i++)
		r[i].frac = rnd() % 1000000000u;
	both("nsec", write_cap("nsec.pcap", &nsec, 0, r, 200, 0));
	both("nsec swapped", write_cap("nsec_sw.pcap", &nsec, 1, r, 200, 0));
	/* fractions past a second, seconds past 2^31: libpcap's signed fields */
	r[3].frac = 4000000000u;
	r[4].sec = 0x90000000u;
	r[5].frac = 0xffffffffu;
	both("odd stamps", write_cap("odd.pcap", &usec, 0, r, 200, 0));
	both("odd stamps nsec", write_cap("odd_ns.pcap", &nsec, 1, r, 200, 0));
	/* other link types and versions are libpcap's to read, all of them */
	const struct cap sll = { 0xa1b2c3d4, 2, 4, 65535, DLT_LINUX_SLL };
	const struct cap v23 = { 0xa1b2c3d4, 2, 3, 65535, DLT_EN10MB };
	const struct cap raw = { 0xa1b2c3d4, 2, 4, 65535, 101 };	/* LINKTYPE_RAW */

	both("sll", write_cap("sll.pcap", &sll, 0, r, 200, 0));
	both("raw", write_cap("raw.pcap", &raw, 1, r, 200, 0));
	r[7].len = r[7].caplen > 0 ? r[7].caplen - 1 : 0;	/* lengths swapped? */
	both("version 2.3", write_cap("v23.pcap", &v23, 0, r, 200, 0));
}

static void test_malformed(void)
{
	const struct cap small = { 0xa1b2c3d4, 2, 4, 100, DLT_EN10MB };
	const struct cap nosnap = { 0xa1b2c3d4, 2, 4, 0, DLT_EN10MB };
	const struct cap big = { 0xa1b2c3d4, 2, 4, 1u << 30, DLT_EN10MB };
	const char *p;
	struct rec r[40];
	int fd;

	/* records past the snapshot length: libpcap cuts them, and the
	 * records after them are read in place again from the same cursor */
	fill(r, 40, 300);
	both("past snaplen", write_cap("snap.pcap", &small, 0, r, 40, 0));
	both("no snaplen", write_cap("nosnap.pcap", &nosnap, 0, r, 40, 0));
	/* a record past libpcap's maximum, in a file whose snaplen allows it */
	r[10].caplen = r[10].stored = 300000;
	both("past maximum", write_cap("max.pcap", &big, 0, r, 40, 0));
	fill(r, 40, 300);
	/* cut inside the last record's data, and inside a record header */
	r[39].stored = r[39].caplen / 2;
	both("cut data", write_cap("cutdata.pcap", &big, 0, r, 40, 0));
	r[39].stored = r[39].caplen;
	both("cut header", write_cap("cuthdr.pcap", &big, 0, r, 40, 7));
	both("no records", write_cap("empty.pcap", &big, 0, r, 0, 0));
	/* files libpcap refuses: empty, a short header, not a capture */
	p = write_cap("zero.pcap", &big, 0, r, 0, 0);
	fd = open(p, O_WRONLY | O_TRUNC);
	close(fd);
	both("zero bytes", p);
	p = write_cap("short.pcap", &big, 0, r, 0, 0);
	CHECK(truncate(p, 10) == 0);
	both("short header", p);
	const struct cap junk = { 0x12345678, 2, 4, 65535, DLT_EN10MB };

	both("not a capture", write_cap("junk.pcap", &junk, 0, r, 10, 0));
}

/* A minimal pcapng file: section header, one Ethernet interface, enhanced
 * packet blocks. libpcap reads it; the open must hand it over intact. */
/* A capture libpcap reads itself is read buffered, not mapped: through the
 * mapping's unbuffered stream stdio made one call per byte. Nothing of it
 * for the control thread to map ahead, and its records still come. */
static void not_mapped(const char *path)
{
	char e[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, e);

	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK_INT(0, capture_map_back_ahead());
	CHECK_INT(1, pcap_next_ex(p, &h, &d));
	pcap_close(p);
}

static void test_pcapng(void)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/ng.pcapng", dir);
	f = fopen(path, "wb");
	put32(f, 0x0a0d0d0a, 0);
	put32(f, 28, 0);
	put32(f, 0x1a2b3c4d, 0);
	put16(f, 1, 0);
	put16(f, 0, 0);
	put32(f, 0xffffffff, 0);
	put32(f, 0xffffffff, 0);
	put32(f, 28, 0);
	put32(f, 1, 0);		/* interface description */
	put32(f, 20, 0);
	put16(f, DLT_EN10MB, 0);
	put16(f, 0, 0);
	put32(f, 65535, 0);
	put32(f, 20, 0);
	for (int i = 0; i < 30; i++) {
		uint32_t len = 14 + rnd() % 200, pad = (4 - len % 4) % 4;

		put32(f, 6, 0);
		put32(f, 32 + len + pad, 0);
		put32(f, 0, 0);
		put32(f, 0x5000, 0);
		put32(f, (uint32_t)i * 1000, 0);
		put32(f, len, 0);
		put32(f, len, 0);
		for (uint32_t k = 0; k < len + pad; k++)
			fputc((int)(rnd() & 0xff), f);
		put32(f, 32 + len + pad, 0);
	}
	fclose(f);
	both("pcapng", path);
	not_mapped(path);
}

/* The file shrinks under the mapping, cut at offset cut after 5 records
 * were read; every record handed out is read whole, as net_pcap copies
 * it. The reader must end at the cut without a crash: the records before
 * it intact, at most the one across it (handed out before the cut showed,
 * zeros past it), never a record of the zeros after it; and
 * capture_map_ended must say so. With a snapshot length below the records'
 * lengths, libpcap reads each record itself (through the mapping's stream). */
static void truncated_at(size_t cut, uint32_t snaplen)
{
	const struct cap c = { 0xa1b2c3d4, 2, 4, snaplen, DLT_EN10MB };
	char e[PCAP_ERRBUF_SIZE];
	struct capture_map_end end;
	struct rec r[300];
	const char *path;
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	size_t at = 24, size;
	int got, whole = 0, across = 0, ret;
	unsigned sum = 0;

	for (int i = 0; i < 300; i++) {
		r[i] = (struct rec){ 1700000000u, (uint32_t)i, 1000, 1000, 1000 };
		if (at + 16 + 1000 <= cut)
			whole++;
		at += 16 + 1000;
	}
	size = at;
	path = write_cap("shrink.pcap", &c, 0, r, 300, 0);
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, e);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	for (got = 0; got < 5; got++)
		CHECK_INT(1, pcap_next_ex(p, &h, &d));
	CHECK(truncate(path, (off_t)cut) == 0);
	while ((ret = pcap_next_ex(p, &h, &d)) == 1) {
		for (uint32_t i = 0; i < h->caplen; i++)
			sum += d[i];
		if (got < whole)
			CHECK_INT(got, h->ts.tv_usec);
		else if (got == whole && h->ts.tv_usec == got)
			across = 1;
		else
			CHECK_INT(-1, got);	/* a record past the cut */
		got++;
	}
	CHECK(got >= whole);
	CHECK(ret == PCAP_ERROR || ret == PCAP_ERROR_BREAK);
	CHECK_INT(PCAP_ERROR_BREAK, pcap_next_ex(p, &h, &d));
	CHECK(capture_map_ended(&end));
	CHECK(end.shrank);
	CHECK_INT(cut, end.cut);
	CHECK_INT(size, end.mapped);
	CHECK_INT(across, end.partial);
	pcap_close(p);
	(void)sum;
}

/* Cuts in a record's header, its data (which may run on into the next
 * page, whose fault the handler takes), at a page's end and at a record's. */
static void test_truncated_while_mapped(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	for (size_t cut = 9 * page - 1100; cut < 9 * page + 1100; cut += 61) {
		truncated_at(cut, 65535);
		truncated_at(cut, 500);
	}
	truncated_at(9 * page, 65535);
	truncated_at(24 + 40 * 1016, 65535);
	truncated_at(24 + 40 * 1016 + 16, 65535);
}

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt;
}

/* Reads path to its end; returns the records, *faults the reader's minor
 * page faults meanwhile. */
static int read_all(const char *path, bool ahead, long *faults, size_t *backed)
{
	char e[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, e);
	size_t step;
	long f0;
	int n = 0;

	CHECK(p != NULL);
	if (p == NULL)
		return 0;
	*backed = 0;
	while (ahead && (step = capture_map_back_ahead()) != 0)
		*backed += step;
	f0 = minor_faults();
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (h->caplen != 1000 || d[0] != (uint8_t)n)
			break;
		n++;
	}
	*faults = minor_faults() - f0;
	pcap_close(p);
	return n;
}

/* Another thread's calls map the capture ahead of its reader (here all of
 * it: it is smaller than the distance kept ahead), and the reader then
 * takes (almost) no page fault; without them it takes one per few pages. */
static void test_back_ahead(void)
{
	enum { N = 8000 };
	const struct cap c = { 0xa1b2c3d4, 2, 4, 65535, DLT_EN10MB };
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	const size_t bytes = 24 + (size_t)N * (16 + 1000);
	char path[256];
	size_t backed;
	long faults;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ahead.pcap", dir);
	f = fopen(path, "wb");
	put32(f, c.magic, 0);
	put16(f, c.major, 0);
	put16(f, c.minor, 0);
	put32(f, 0, 0);
	put32(f, 0, 0);
	put32(f, c.snaplen, 0);
	put32(f, c.linktype, 0);
	for (int i = 0; i < N; i++) {
		uint8_t data[1000];

		memset(data, i & 0xff, sizeof(data));
		put32(f, 1700000000u, 0);
		put32(f, (uint32_t)i, 0);
		put32(f, 1000, 0);
		put32(f, 1000, 0);
		fwrite(data, 1, sizeof(data), f);
	}
	fclose(f);
	CHECK_INT(N, read_all(path, false, &faults, &backed));
	CHECK(faults >= (long)(bytes / (256 * 1024)));	/* the control: it faults */
	CHECK_INT(N, read_all(path, true, &faults, &backed));
	CHECK_INT((bytes + page - 1) & ~(page - 1), backed);
	CHECK(faults <= 4);
	CHECK_INT(0, capture_map_back_ahead());		/* closed: nothing to map */
}

/* A pipe is not mapped: read through stdio as before. */
static void test_pipe(void)
{
	const struct cap c = { 0xa1b2c3d4, 2, 4, 65535, DLT_EN10MB };
	char fifo[256], e[PCAP_ERRBUF_SIZE];
	struct rec r[50];
	const char *path;
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	pid_t pid;
	int n = 0;

	fill(r, 50, 1500);
	path = write_cap("forpipe.pcap", &c, 0, r, 50, 0);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	CHECK(mkfifo(fifo, 0600) == 0);
	pid = fork();
	if (pid == 0) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "cat %s > %s", path, fifo);
		_exit(system(cmd) == 0 ? 0 : 1);
	}
	p = pcap_open_offline_with_tstamp_precision(fifo, PCAP_TSTAMP_PRECISION_MICRO, e);
	CHECK(p != NULL);
	if (p != NULL) {
		while (pcap_next_ex(p, &h, &d) == 1) {
			CHECK_INT(r[n].caplen, h->caplen);
			n++;
		}
		pcap_close(p);
	}
	CHECK_INT(50, n);
	waitpid(pid, NULL, 0);
}

int main(void)
{
	char cmd[300];
	int rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	test_formats();
	test_malformed();
	test_pcapng();
	test_truncated_while_mapped();
	test_back_ahead();
	test_pipe();
	rc = check_result("capture_map");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
