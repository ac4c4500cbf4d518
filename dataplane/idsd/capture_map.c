/* SPDX-License-Identifier: MIT */
/* Capture files read from a mapping, their packets handed out in place.
 *
 * DPDK's net_pcap reads its rx_pcap file through libpcap: stdio copies the
 * file into a buffer with read(2), libpcap freads each record into its own
 * buffer, and the PMD copies that into an mbuf. The first two copies, their
 * system calls and the fread calls were a sixth of a worker replaying
 * bench-http with no rules. idsd therefore defines libpcap's
 * pcap_open_offline_with_tstamp_precision (the open net_pcap calls) and
 * pcap_next_ex: a definition in the executable comes first in the dynamic
 * linker's search (as pthread_create in privs_thread.c), so the PMD plugin
 * calls these, and they call libpcap's own through dlsym's RTLD_NEXT.
 * - A regular file is mapped, and libpcap gets a stdio stream whose reads
 *   are copies out of the mapping from one cursor. The stream is unbuffered,
 *   so its position is always the cursor: libpcap reads the file header,
 *   pcapng and any record it is given from exactly where the cursor is.
 * - pcap_next_ex hands out a classic pcap record in place when it is plain:
 *   whole, within the snapshot length, of a link type libpcap does not
 *   rewrite, in a version 2.4 file. Any other record of such a file
 *   libpcap reads from the cursor, with its own checks and messages, so
 *   the two never disagree on a record. A file that is not of that kind
 *   (pcapng, other link types or versions) is read as a pipe is.
 * - Standard input, pipes and whatever cannot be mapped are read through
 *   stdio with a 1 MiB buffer (4 KiB steps were one system call per ~8
 *   packets). Their end of file is noted too (capture_map_ended).
 * - The worker's control thread maps the file's pages ahead of the cursor
 *   (capture_map_back_ahead), so the worker does not take a page fault
 *   every 64 KiB of capture.
 * - A file cut short while mapped raises SIGBUS on the pages it lost (in
 *   any reader: this file, libpcap, the PMD's copy of a record handed out
 *   in place): the handler maps zero pages there, so the copy under way
 *   finishes (with zeros), and ends the capture at the file's new size.
 *   The rest of the page the cut falls in reads as zeros without a fault:
 *   a record header of zeros is taken as the sign to look at the file's
 *   size (one fstat: real captures rarely hold empty records). A record
 *   handed out before the cut was seen may be read with zeros past it.
 *   Then libpcap reports the record cut there as truncated, as it does for
 *   a short file, and capture_map_ended says what happened. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture_map.h"

#define CAPTURE_READ_BUF ((size_t)1 << 20)
#define CAPTURE_MAPS 16		/* mapped captures open at once; more are read */
#define PCAP_FILE_HDR 24u
#define PCAP_REC_HDR 16u
#define PCAP_MAX_CAPLEN 262144u	/* libpcap's MAXIMUM_SNAPLEN, its bound for these link types */
/* mapped ahead of the cursor, and at most per capture_map_back_ahead call:
 * a replay at a few hundred MB/s moves well under a step per millisecond */
#define CAPTURE_AHEAD ((size_t)16 << 20)
#define CAPTURE_AHEAD_STEP ((size_t)4 << 20)

struct capture_map {
	_Atomic(pcap_t *) p;	/* whose records these are; NULL until opened */
	atomic_bool used;	/* the slot is taken */
	const uint8_t *base;
	size_t map_len;
	_Atomic size_t size;	/* readable bytes: the file's, less what was cut */
	int fd;			/* the file, for its size once it looks cut */
	atomic_bool shrank;	/* the file was found shorter than mapped */
	_Atomic size_t cut;	/* its size then */
	atomic_bool ended;	/* the reader has had the end of file */
	size_t handed;		/* the reader's: where the last record handed out ends */
	/* the cursor: libpcap's stream and the in-place reads; the reader's
	 * alone to move, the back-ahead thread's to look at */
	_Atomic size_t pos;
	size_t backed;		/* the back-ahead thread's: mapped up to here */
	bool plain;		/* records may be handed out in place */
	bool swapped;
	int8_t scale;		/* time stamps: 1 usec to nsec, -1 nsec to usec */
	uint32_t snapshot;
	struct pcap_pkthdr hdr;
};

static struct capture_map maps[CAPTURE_MAPS];
static atomic_uint maps_high;	/* slots ever used: the lookups' bound */
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction sigbus_prev;
static size_t page_size;	/* read before the handler is installed, not in it */

typedef int (*next_ex_fn)(pcap_t *, struct pcap_pkthdr **, const u_char **);

static next_ex_fn libpcap_next_ex(void)
{
	static _Atomic(next_ex_fn) fn;
	next_ex_fn f = atomic_load_explicit(&fn, memory_order_acquire);

	if (f == NULL) {
		f = (next_ex_fn)dlsym(RTLD_NEXT, "pcap_next_ex");
		atomic_store_explicit(&fn, f, memory_order_release);
	}
	return f;
}

/* The file of m is found shorter than what may still be read (at most
 * limit bytes readable): the capture ends at its new size. Async-signal
 * safe. */
static void note_cut(struct capture_map *m, size_t limit)
{
	struct stat st;

	if (fstat(m->fd, &st) == 0 && (size_t)st.st_size < limit)
		limit = (size_t)st.st_size;
	if (atomic_load(&m->size) > limit)
		atomic_store(&m->size, limit);
	atomic_store(&m->cut, limit);
	atomic_store(&m->shrank, true);
}

/* Whether m's file is now shorter than m->size (one fstat): it is then
 * noted as cut. */
static bool file_cut(struct capture_map *m)
{
	struct stat st;

	if (fstat(m->fd, &st) != 0 || (size_t)st.st_size >= atomic_load(&m->size))
		return false;
	note_cut(m, (size_t)st.st_size);
	return true;
}

/* A page of a mapped capture is gone (the file shrank): zero pages from
 * there on, and the capture ends at the file's new size. Anything else is
 * not ours. */
static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	const uint8_t *a = si->si_addr;
	unsigned int n = atomic_load(&maps_high);

	for (unsigned int i = 0; i < n; i++) {
		struct capture_map *m = &maps[i];
		size_t off;

		if (!atomic_load(&m->used) || m->base == NULL || a < m->base ||
		    a >= m->base + m->map_len)
			continue;
		off = (size_t)(a - m->base) & ~(page_size - 1);
		if (mmap((void *)(m->base + off), m->map_len - off, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			break;
		note_cut(m, off);
		return;
	}
	if (sigbus_prev.sa_flags & SA_SIGINFO) {
		sigbus_prev.sa_sigaction(sig, si, uc);
	} else if (sigbus_prev.sa_handler != SIG_IGN && sigbus_prev.sa_handler != SIG_DFL) {
		sigbus_prev.sa_handler(sig);
	} else {
		signal(SIGBUS, SIG_DFL);
		raise(SIGBUS);
	}
}

static void sigbus_install(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO | SA_NODEFER };

	page_size = (size_t)sysconf(_SC_PAGESIZE);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &sigbus_prev);
}

static ssize_t map_read(void *cookie, char *out, size_t n)
{
	struct capture_map *m = cookie;
	size_t size = atomic_load(&m->size);
	size_t pos = atomic_load_explicit(&m->pos, memory_order_relaxed);
	size_t k = pos < size ? size - pos : 0;

	if (k > n)
		k = n;
	memcpy(out, m->base + pos, k);
	atomic_store_explicit(&m->pos, pos + k, memory_order_relaxed);
	return (ssize_t)k;
}

static int map_close(void *cookie)
{
	struct capture_map *m = cookie;

	/* not while capture_map_back_ahead works on the mapping */
	pthread_mutex_lock(&maps_lock);
	atomic_store(&m->p, NULL);
	munmap((void *)m->base, m->map_len);
	close(m->fd);
	m->base = NULL;
	atomic_store(&m->used, false);
	pthread_mutex_unlock(&maps_lock);
	return 0;
}

static struct capture_map *slot_take(void)
{
	struct capture_map *m = NULL;
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, sigbus_install);
	pthread_mutex_lock(&maps_lock);
	for (unsigned int i = 0; i < CAPTURE_MAPS; i++) {
		if (!atomic_load(&maps[i].used)) {
			m = &maps[i];
			atomic_store(&m->used, true);
			if (i >= atomic_load(&maps_high))
				atomic_store(&maps_high, i + 1);
			break;
		}
	}
	pthread_mutex_unlock(&maps_lock);
	return m;
}

static uint32_t rd32(const uint8_t *b, bool swapped)
{
	uint32_t v;

	memcpy(&v, b, sizeof(v));
	return swapped ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(const uint8_t *b, bool swapped)
{
	uint16_t v;

	memcpy(&v, b, sizeof(v));
	return swapped ? __builtin_bswap16(v) : v;
}

/* Link types whose records libpcap hands out as stored (no pseudo-header
 * it swaps or fixes up). */
static bool linktype_as_stored(int dlt)
{
	return dlt == DLT_EN10MB || dlt == DLT_RAW || dlt == DLT_IPV4 || dlt == DLT_IPV6;
}

/* Whether m's records may be read in place: libpcap has read exactly a
 * classic version 2.4 header (the cursor is right after it) of a link type
 * it does not rewrite. Sets the byte order and the time stamp scaling. */
static bool plain_capture(struct capture_map *m, pcap_t *p, u_int precision)
{
	uint32_t magic;
	bool nsec;

	if (atomic_load(&m->pos) != PCAP_FILE_HDR || !linktype_as_stored(pcap_datalink(p)))
		return false;
	memcpy(&magic, m->base, sizeof(magic));
	switch (magic) {
	case 0xa1b2c3d4: case 0xd4c3b2a1:
		nsec = false;
		break;
	case 0xa1b23c4d: case 0x4d3cb2a1:
		nsec = true;
		break;
	default:
		return false;
	}
	m->swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	if (rd16(m->base + 4, m->swapped) != 2 || rd16(m->base + 6, m->swapped) != 4)
		return false;
	m->scale = nsec == (precision == PCAP_TSTAMP_PRECISION_NANO) ? 0 : nsec ? -1 : 1;
	m->snapshot = (uint32_t)pcap_snapshot(p);
	return true;
}

/* Maps the file open on fd and opens it through libpcap; NULL with *mapped
 * false when it cannot be mapped (the caller reads it instead). */
static pcap_t *open_mapped(int fd, u_int precision, char *errbuf, bool *mapped)
{
	static const cookie_io_functions_t io = { .read = map_read, .close = map_close };
	struct capture_map *m;
	struct stat st;
	void *base;
	pcap_t *p;
	FILE *f;

	*mapped = false;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return NULL;
	base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (base == MAP_FAILED)
		return NULL;
	m = slot_take();
	if (m == NULL) {
		munmap(base, (size_t)st.st_size);
		return NULL;
	}
	/* its own descriptor: the caller's goes to a reader when this fails */
	m->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (m->fd < 0) {
		munmap(base, (size_t)st.st_size);
		atomic_store(&m->used, false);
		return NULL;
	}
	madvise(base, (size_t)st.st_size, MADV_SEQUENTIAL);
	m->base = base;
	m->map_len = (size_t)st.st_size;
	atomic_store(&m->size, m->map_len);
	atomic_store(&m->shrank, false);
	atomic_store(&m->ended, false);
	atomic_store(&m->pos, 0);
	m->handed = 0;
	m->backed = 0;
	f = fopencookie(m, "rb", io);
	if (f == NULL) {
		map_close(m);
		return NULL;
	}
	*mapped = true;
	setvbuf(f, NULL, _IONBF, 0);
	p = pcap_fopen_offline_with_tstamp_precision(f, precision, errbuf);
	if (p == NULL) {
		fclose(f);
		return NULL;
	}
	m->plain = plain_capture(m, p, precision);
	if (!m->plain) {
		/* libpcap would read every record through the unbuffered stream,
		 * and stdio serves a cookie stream's reads one byte per call:
		 * 200 instructions a byte. Read such a capture buffered. */
		pcap_close(p);
		*mapped = false;
		return NULL;
	}
	atomic_store(&m->p, p);
	return p;
}

struct capture_reader {
	pcap_t *p;		/* whose stream this is, once opened */
	atomic_bool ended;	/* its reader has had the end of file */
	int fd;
	char buf[CAPTURE_READ_BUF];
};

/* The read captures open now, for capture_map_ended; under maps_lock. */
static struct capture_reader *readers[CAPTURE_MAPS];

/* Enters r (opened as p) in readers, when there is room. */
static void reader_track(struct capture_reader *r, pcap_t *p)
{
	pthread_mutex_lock(&maps_lock);
	r->p = p;
	for (unsigned int i = 0; i < CAPTURE_MAPS; i++) {
		if (readers[i] == NULL) {
			readers[i] = r;
			break;
		}
	}
	pthread_mutex_unlock(&maps_lock);
}

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

	pthread_mutex_lock(&maps_lock);
	for (unsigned int i = 0; i < CAPTURE_MAPS; i++)
		if (readers[i] == r)
			readers[i] = NULL;
	pthread_mutex_unlock(&maps_lock);
	free(r);
	return ret;
}

/* fname through stdio with a 1 MiB buffer, its descriptor fd taken over
 * (fopencookie: the stream owns the buffer and frees it when closed). */
static pcap_t *open_read(const char *fname, int fd, u_int precision, char *errbuf)
{
	static const cookie_io_functions_t io = { .read = reader_read, .close = reader_close };
	struct capture_reader *r = malloc(sizeof(*r));
	pcap_t *p;
	FILE *f;

	if (r == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: %s", fname, strerror(ENOMEM));
		close(fd);
		return NULL;
	}
	r->p = NULL;
	atomic_store(&r->ended, false);
	r->fd = fd;
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
	else
		reader_track(r, p);
	return p;
}

/* p, a read capture, has had the end of its file. */
static void reader_ended(pcap_t *p)
{
	pthread_mutex_lock(&maps_lock);
	for (unsigned int i = 0; i < CAPTURE_MAPS; i++)
		if (readers[i] != NULL && readers[i]->p == p)
			atomic_store_explicit(&readers[i]->ended, true, memory_order_release);
	pthread_mutex_unlock(&maps_lock);
}

pcap_t *pcap_open_offline_with_tstamp_precision(const char *fname, u_int precision,
						 char *errbuf);

pcap_t *pcap_open_offline_with_tstamp_precision(const char *fname, u_int precision,
						 char *errbuf)
{
	bool mapped;
	pcap_t *p;
	int fd;

	if (fname == NULL || strcmp(fname, "-") == 0)
		return pcap_fopen_offline_with_tstamp_precision(stdin, precision, errbuf);
	fd = open(fname, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: %s", fname, strerror(errno));
		return NULL;
	}
	p = open_mapped(fd, precision, errbuf, &mapped);
	if (mapped) {
		close(fd);	/* the mapping keeps the file */
		return p;
	}
	return open_read(fname, fd, precision, errbuf);
}

static struct capture_map *map_of(pcap_t *p)
{
	static __thread struct capture_map *last;
	unsigned int n;

	if (last != NULL && atomic_load_explicit(&last->p, memory_order_relaxed) == p)
		return last;
	n = atomic_load_explicit(&maps_high, memory_order_acquire);
	for (unsigned int i = 0; i < n; i++) {
		if (atomic_load_explicit(&maps[i].p, memory_order_acquire) == p)
			return last = &maps[i];
	}
	return NULL;
}

/* The next record of m in place: 1, or 0 when it is not plain (or the file
 * ends) and libpcap is to read it. */
static int next_in_place(struct capture_map *m, struct pcap_pkthdr **hdr, const u_char **data)
{
	size_t size = atomic_load_explicit(&m->size, memory_order_relaxed);
	size_t pos = atomic_load_explicit(&m->pos, memory_order_relaxed);
	const uint8_t *r = m->base + pos;
	suseconds_t frac;
	uint32_t caplen;

	/* pos past size: the record handed out last ran past a cut */
	if (pos > size || size - pos < PCAP_REC_HDR)
		return 0;
	caplen = rd32(r + 8, m->swapped);
	if (caplen == 0 && file_cut(m))
		return 0;
	if (caplen > m->snapshot || caplen > PCAP_MAX_CAPLEN ||
	    caplen > size - pos - PCAP_REC_HDR)
		return 0;
	/* as libpcap 1.10 widens them: its header's fields are signed, and
	 * their byte-swapped values unsigned */
	if (m->swapped) {
		frac = rd32(r + 4, true);
		m->hdr.ts.tv_sec = rd32(r, true);
	} else {
		frac = (int32_t)rd32(r + 4, false);
		m->hdr.ts.tv_sec = (int32_t)rd32(r, false);
	}
	m->hdr.ts.tv_usec = m->scale > 0 ? frac * 1000 : m->scale < 0 ? frac / 1000 : frac;
	m->hdr.caplen = caplen;
	m->hdr.len = rd32(r + 12, m->swapped);
	/* the header's page lost to a truncation read as zeros: the file ends */
	if (atomic_load_explicit(&m->size, memory_order_relaxed) < size)
		return 0;
	m->handed = pos + PCAP_REC_HDR + caplen;
	atomic_store_explicit(&m->pos, m->handed, memory_order_relaxed);
	*hdr = &m->hdr;
	*data = r + PCAP_REC_HDR;
	return 1;
}

int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **hdr, const u_char **data);

int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **hdr, const u_char **data)
{
	struct capture_map *m = map_of(p);
	int ret;

	if (m != NULL && m->plain && next_in_place(m, hdr, data))
		return 1;
	ret = libpcap_next_ex()(p, hdr, data);
	if (m != NULL && ret == 1)
		m->handed = atomic_load_explicit(&m->pos, memory_order_relaxed);
	if (ret == PCAP_ERROR_BREAK) {
		if (m != NULL)
			atomic_store_explicit(&m->ended, true, memory_order_release);
		else
			reader_ended(p);
	}
	return ret;
}

bool capture_map_ended(struct capture_map_end *e)
{
	unsigned int n = atomic_load(&maps_high);
	bool found = false;

	pthread_mutex_lock(&maps_lock);
	for (unsigned int i = 0; i < n && !found; i++) {
		struct capture_map *m = &maps[i];

		if (atomic_load(&m->p) == NULL ||
		    !atomic_load_explicit(&m->ended, memory_order_acquire))
			continue;
		found = true;
		e->mapped = m->map_len;
		e->shrank = atomic_load(&m->shrank);
		e->cut = atomic_load(&m->cut);
		/* the last record handed out ran past the cut */
		e->partial = e->shrank && m->handed > e->cut;
	}
	/* a read capture: what it lost is not known, only that it ended */
	for (unsigned int i = 0; i < CAPTURE_MAPS && !found; i++) {
		if (readers[i] == NULL ||
		    !atomic_load_explicit(&readers[i]->ended, memory_order_acquire))
			continue;
		found = true;
		*e = (struct capture_map_end){ 0 };
	}
	pthread_mutex_unlock(&maps_lock);
	return found;
}

size_t capture_map_back_ahead(void)
{
	unsigned int n = atomic_load(&maps_high);
	size_t done = 0;

	pthread_mutex_lock(&maps_lock);
	for (unsigned int i = 0; i < n; i++) {
		struct capture_map *m = &maps[i];
		size_t pos, want, len;

		/* opened: its mapping is set up (p is stored last) */
		if (atomic_load(&m->p) == NULL)
			continue;
		pos = atomic_load_explicit(&m->pos, memory_order_relaxed);
		want = pos + CAPTURE_AHEAD;
		if (want > m->map_len)
			want = m->map_len;
		if (m->backed < pos)	/* the reader got there first */
			m->backed = pos & ~(page_size - 1);
		if (want <= m->backed)
			continue;
		len = want - m->backed < CAPTURE_AHEAD_STEP ? want - m->backed : CAPTURE_AHEAD_STEP;
		/* refused (a kernel before 5.14, or a file cut short): the reader
		 * faults its pages in itself, as without this */
		if (madvise((void *)(m->base + m->backed), len, MADV_POPULATE_READ) != 0) {
			m->backed = m->map_len;
			continue;
		}
		len = (len + page_size - 1) & ~(page_size - 1);
		m->backed += len;
		done += len;
	}
	pthread_mutex_unlock(&maps_lock);
	return done;
}
