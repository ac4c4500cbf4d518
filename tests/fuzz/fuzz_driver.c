/* SPDX-License-Identifier: MIT */
/* Runs a fuzz target without libFuzzer (gcc builds, the sanitizer build):
 * every seed as it is, then N inputs made from the seeds by stacked random
 * mutations (bit flips, interesting values, deleted, inserted and copied
 * ranges, splices with another seed, dictionary tokens, truncation), all
 * deterministic from one RNG seed. Each input is copied into a heap block
 * of exactly its size, so an over-read hits ASan's redzone.
 *
 * A crash, a sanitizer report, an input slower than the limit (default
 * 1000 ms of CPU time, so a loaded machine does not fail it) or one that
 * never returns (5 times the limit) fails the run; the input is written
 * to /tmp/fuzz-<target>-<why>.bin first so it can be replayed with -r.
 *
 * Usage: fuzz_X [-n ITERATIONS] [-s RNGSEED] [-t MAX_MS] [SEED_PATH...]
 *        fuzz_X -r FILE...    (replay inputs, one per file)
 *        fuzz_X -d DIR [SEED_PATH...]  (write the seeds, one file each, as
 *                             a corpus for the libFuzzer build of the target)
 * A seed path is a file or a directory of files (not recursive); a pcap
 * file gives one seed per record (or what the target's pcap hook makes of
 * them); with fuzz_target.lines, a text file gives one per line. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

/* Sanitizer runtime hook: called before a report aborts (absent without ASan). */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

struct seed {
	uint8_t *p;
	size_t len;
};

static struct seed *seeds;
static size_t nseeds, capseeds;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

/* The input being run, for the crash and hang reports. */
static const uint8_t *cur;
static size_t cur_len;
static unsigned long cur_iter;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static void add_seed(const void *data, size_t len)
{
	if (len > fuzz_target.max_len)
		len = fuzz_target.max_len;
	if (nseeds == capseeds) {
		size_t cap = capseeds ? capseeds * 2 : 64;
		struct seed *s = realloc(seeds, cap * sizeof(*s));

		if (s == NULL)
			return;
		seeds = s;
		capseeds = cap;
	}
	seeds[nseeds].p = malloc(len ? len : 1);
	if (seeds[nseeds].p == NULL)
		return;
	memcpy(seeds[nseeds].p, data, len);
	seeds[nseeds++].len = len;
}

/* Appends s, or n in decimal when s is NULL, to buf (async-signal-safe). */
static size_t cat(char *buf, size_t at, size_t cap, const char *s, unsigned long n)
{
	char digits[24];
	size_t k = 0;

	if (s == NULL) {
		do
			digits[k++] = (char)('0' + n % 10);
		while ((n /= 10) != 0);
		while (k > 0 && at + 1 < cap)
			buf[at++] = digits[--k];
	}
	while (s != NULL && *s != '\0' && at + 1 < cap)
		buf[at++] = *s++;
	buf[at] = '\0';
	return at;
}

/* Writes the current input where the report says. Runs in signal handlers
 * too (a hang stops the target anywhere, inside malloc even), so only
 * async-signal-safe calls. */
static void save_input(const char *why)
{
	static bool saved;
	char path[256], msg[512];
	size_t n;
	int fd;

	if (saved)
		return;
	saved = true;
	n = cat(path, 0, sizeof(path), "/tmp/fuzz-", 0);
	n = cat(path, n, sizeof(path), fuzz_target.name, 0);
	n = cat(path, n, sizeof(path), "-", 0);
	n = cat(path, n, sizeof(path), why, 0);
	cat(path, n, sizeof(path), ".bin", 0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (cur_len && write(fd, cur, cur_len) < 0)
			path[0] = '\0';
		close(fd);
	}
	n = cat(msg, 0, sizeof(msg), "fuzz_", 0);
	n = cat(msg, n, sizeof(msg), fuzz_target.name, 0);
	n = cat(msg, n, sizeof(msg), ": input ", 0);
	n = cat(msg, n, sizeof(msg), NULL, cur_iter);
	n = cat(msg, n, sizeof(msg), " (", 0);
	n = cat(msg, n, sizeof(msg), NULL, cur_len);
	n = cat(msg, n, sizeof(msg), " bytes) ", 0);
	n = cat(msg, n, sizeof(msg), why, 0);
	n = cat(msg, n, sizeof(msg), ", saved to ", 0);
	n = cat(msg, n, sizeof(msg), path, 0);
	n = cat(msg, n, sizeof(msg), "\n", 0);
	if (write(2, msg, n) < 0)
		return;
}

static void on_death(void)
{
	save_input("crash");
}

static void on_signal(int sig)
{
	save_input(sig == SIGPROF ? "hang" : "crash");
	signal(sig, SIG_DFL);
	if (sig == SIGPROF)
		_exit(1);
	raise(sig);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* pcap (either byte order, us or ns): one seed per record, or the records
 * handed to the target's pcap hook. Returns false if buf is not a pcap. */
static bool add_pcap(const uint8_t *buf, size_t len)
{
	const uint8_t **frame = NULL;
	uint32_t *flen = NULL;
	size_t off = 24, n = 0, cap = 0;
	uint32_t magic, linktype;
	bool swap;

	if (len < 24)
		return false;
	memcpy(&magic, buf, 4);
	memcpy(&linktype, buf + 20, 4);
	if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
		swap = false;
	else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
		swap = true;
	else
		return false;
	if (swap)
		linktype = __builtin_bswap32(linktype);
	while (off + 16 <= len) {
		uint32_t caplen;

		memcpy(&caplen, buf + off + 8, 4);
		if (swap)
			caplen = __builtin_bswap32(caplen);
		off += 16;
		if (caplen > len - off)
			break;
		if (n == cap) {
			const uint8_t **f = realloc(frame, (cap ? cap * 2 : 64) * sizeof(*f));
			uint32_t *l = f ? realloc(flen, (cap ? cap * 2 : 64) * sizeof(*l)) : NULL;

			if (f != NULL)
				frame = f;
			if (l == NULL)
				break;
			flen = l;
			cap = cap ? cap * 2 : 64;
		}
		frame[n] = buf + off;
		flen[n++] = caplen;
		off += caplen;
	}
	if (fuzz_target.pcap != NULL)
		fuzz_target.pcap(add_seed, linktype, frame, flen, n);
	else
		for (size_t i = 0; i < n; i++)
			add_seed(frame[i], flen[i]);
	free(frame);
	free(flen);
	return true;
}

static void add_lines(const uint8_t *buf, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i > start && buf[start] != '#')
			add_seed(buf + start, i - start);
		start = i + 1;
	}
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static int add_file(const char *path)
{
	size_t len = 0;
	uint8_t *buf = read_all(path, &len);

	if (buf == NULL) {
		fprintf(stderr, "fuzz_%s: %s: %s\n", fuzz_target.name, path, strerror(errno));
		return -1;
	}
	if (!add_pcap(buf, len)) {
		if (fuzz_target.lines)
			add_lines(buf, len);
		else
			add_seed(buf, len);
	}
	free(buf);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's regular files in name order, so runs are reproducible. */
static int add_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "fuzz_%s: %s: %s\n", fuzz_target.name, path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return add_file(path);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char **nn;

		if (e->d_name[0] == '.')
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (nn == NULL)
			break;
		names = nn;
		if (asprintf(&names[n], "%s/%s", path, e->d_name) < 0)
			break;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n; i++) {
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) && add_file(names[i]) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

static const uint8_t interesting8[] = {
	0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, 0xfe, 0x10, 0x20, 0x40, 0x3f,
	'\n', '\r', '\t', ' ', ';', ':', ',', '"', '\'', '\\', '|', '(', ')', '[', ']',
	'{', '}', '!', '$', '-', '/', '*', '%', '&', '0', '9', 'a', 'A', '\0',
};
static const uint16_t interesting16[] = {
	0x0000, 0x0001, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xffff, 0xfffe, 0x0800, 0x86dd, 0x8100,
	0x88a8, 0x0014, 0x0028, 0x05dc, 0xc00c, 0xc000, 0x3fff,
};

/* Makes room for k bytes at off (the tail moves); k is clamped to cap. */
static size_t insert_gap(uint8_t *b, size_t len, size_t cap, size_t off, size_t *k)
{
	if (*k > cap - len)
		*k = cap - len;
	memmove(b + off + *k, b + off, len - off);
	return len + *k;
}

/* One mutation of b[0..len) (capacity cap); returns the new length. */
static size_t mutate_once(uint8_t *b, size_t len, size_t cap)
{
	size_t off = rnd_below(len + 1), k;
	const struct seed *o;

	switch (rnd_below(12)) {
	case 0: /* bit flip */
		if (len)
			b[rnd_below(len)] ^= (uint8_t)(1u << rnd_below(8));
		return len;
	case 1: /* interesting byte */
		if (len)
			b[rnd_below(len)] = interesting8[rnd_below(sizeof(interesting8))];
		return len;
	case 2: { /* interesting 16-bit value, big endian (lengths, ethertypes, pointers) */
		uint16_t v = interesting16[rnd_below(sizeof(interesting16) / 2)];

		if (len >= 2) {
			off = rnd_below(len - 1);
			b[off] = (uint8_t)(v >> 8);
			b[off + 1] = (uint8_t)v;
		}
		return len;
	}
	case 3: /* small add or subtract */
		if (len)
			b[rnd_below(len)] += (uint8_t)(rnd_below(33) - 16);
		return len;
	case 4: /* random byte */
		if (len)
			b[rnd_below(len)] = (uint8_t)rnd();
		return len;
	case 5: /* delete a range */
		if (len == 0)
			return len;
		off = rnd_below(len);
		k = 1 + rnd_below(rnd() & 1 ? 8 : len - off);
		if (k > len - off)
			k = len - off;
		memmove(b + off, b + off + k, len - off - k);
		return len - k;
	case 6: /* insert random bytes */
		k = 1 + rnd_below(16);
		len = insert_gap(b, len, cap, off, &k);
		for (size_t i = 0; i < k; i++)
			b[off + i] = (uint8_t)rnd();
		return len;
	case 7: { /* copy a range of itself elsewhere (repeats, nesting) */
		size_t src, n;

		if (len == 0)
			return len;
		src = rnd_below(len);
		n = 1 + rnd_below(len - src < 64 ? len - src : 64);
		k = n;
		len = insert_gap(b, len, cap, off, &k);
		memmove(b + off, (src >= off ? b + src + k : b + src), k);
		return len;
	}
	case 8: /* truncate */
		return rnd_below(len + 1);
	case 9: /* splice: our head, another seed's tail */
		o = &seeds[rnd_below(nseeds)];
		k = o->len ? rnd_below(o->len) : 0;
		len = off;
		if (o->len - k > cap - len)
			k = o->len - (cap - len);
		memcpy(b + len, o->p + k, o->len - k);
		return len + o->len - k;
	case 10: /* insert a piece of another seed */
		o = &seeds[rnd_below(nseeds)];
		if (o->len == 0)
			return len;
		{
			size_t src = rnd_below(o->len);

			k = 1 + rnd_below(o->len - src);
			len = insert_gap(b, len, cap, off, &k);
			memcpy(b + off, o->p + src, k);
		}
		return len;
	default: /* a dictionary token, or a repeated byte run */
		if (fuzz_target.dict != NULL && fuzz_target.dict[0] != NULL && rnd() & 1) {
			size_t nd = 0;
			const char *t;

			while (fuzz_target.dict[nd] != NULL)
				nd++;
			t = fuzz_target.dict[rnd_below(nd)];
			k = strlen(t);
			len = insert_gap(b, len, cap, off, &k);
			memcpy(b + off, t, k);
		} else {
			uint8_t c = len ? b[rnd_below(len)]
					: interesting8[rnd_below(sizeof(interesting8))];

			k = 1 + rnd_below(rnd() & 1 ? 8 : 256);
			len = insert_gap(b, len, cap, off, &k);
			memset(b + off, c, k);
		}
		return len;
	}
}

struct stats {
	unsigned long runs;
	uint64_t total_ns, slow_ns;
	size_t slow_len;
	unsigned long slow_iter;
};

/* Runs one input from a heap copy of exactly its size. Returns false when
 * it took longer than max_ms. */
static bool run_one(const uint8_t *data, size_t len, unsigned long iter, unsigned max_ms,
		    struct stats *st)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct itimerval hang = { .it_value = { .tv_sec = max_ms * 5 / 1000,
						.tv_usec = (max_ms * 5 % 1000) * 1000 } };
	struct itimerval off = { 0 };
	uint64_t t0, dt;

	if (copy == NULL) {
		fprintf(stderr, "fuzz_%s: out of memory\n", fuzz_target.name);
		exit(1);
	}
	memcpy(copy, data, len);
	cur = copy;
	cur_len = len;
	cur_iter = iter;
	setitimer(ITIMER_PROF, &hang, NULL);
	t0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	LLVMFuzzerTestOneInput(copy, len);
	dt = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - t0;
	setitimer(ITIMER_PROF, &off, NULL);
	st->runs++;
	st->total_ns += dt;
	if (dt > st->slow_ns) {
		st->slow_ns = dt;
		st->slow_len = len;
		st->slow_iter = iter;
	}
	if (dt > (uint64_t)max_ms * 1000000u) {
		save_input("slow");
		fprintf(stderr, "fuzz_%s: input %lu took %.1f ms of CPU (limit %u ms)\n",
			fuzz_target.name, iter, (double)dt / 1e6, max_ms);
		free(copy);
		return false;
	}
	free(copy);
	return true;
}

static void free_seeds(void)
{
	for (size_t i = 0; i < nseeds; i++)
		free(seeds[i].p);
	free(seeds);
	seeds = NULL;
	nseeds = capseeds = 0;
}

/* Writes each seed to dir/seed-NNNNN (dir must exist). */
static int dump_seeds(const char *dir)
{
	for (size_t i = 0; i < nseeds; i++) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/seed-%05zu", dir, i);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(seeds[i].p, 1, seeds[i].len, f) != seeds[i].len) {
			fprintf(stderr, "fuzz_%s: %s: %s\n", fuzz_target.name, path, strerror(errno));
			if (f != NULL)
				fclose(f);
			return 1;
		}
		fclose(f);
	}
	printf("fuzz_%s: %zu seeds written to %s\n", fuzz_target.name, nseeds, dir);
	return 0;
}

static int replay(int argc, char **argv, unsigned max_ms)
{
	struct stats st = { 0 };
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		size_t len = 0;
		uint8_t *buf = read_all(argv[i], &len);

		if (buf == NULL) {
			fprintf(stderr, "fuzz_%s: %s: %s\n", fuzz_target.name, argv[i],
				strerror(errno));
			rc = 1;
			continue;
		}
		if (!run_one(buf, len, (unsigned long)i, max_ms, &st))
			rc = 1;
		free(buf);
	}
	printf("fuzz_%s: replayed %lu inputs, slowest %.3f ms\n", fuzz_target.name, st.runs,
	       (double)st.slow_ns / 1e6);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned long iters = 100000;
	unsigned max_ms = 1000;
	struct stats st = { 0 };
	uint8_t *buf;
	uint64_t t0;
	int opt, rc = 0;
	bool replaying = false;
	const char *dump_dir = NULL;

	while ((opt = getopt(argc, argv, "n:s:t:rd:")) != -1) {
		switch (opt) {
		case 'n':
			iters = strtoul(optarg, NULL, 10);
			break;
		case 's':
			rng = strtoull(optarg, NULL, 0) | 1;
			break;
		case 't':
			max_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			replaying = true;
			break;
		case 'd':
			dump_dir = optarg;
			break;
		default:
			fprintf(stderr, "usage: fuzz_%s [-n ITERATIONS] [-s RNGSEED] [-t MAX_MS] "
				"[SEED_PATH...] | -r FILE... | -d DIR [SEED_PATH...]\n",
				fuzz_target.name);
			return 2;
		}
	}
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(on_death);
	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);
	signal(SIGFPE, on_signal);
	signal(SIGABRT, on_signal);
	signal(SIGPROF, on_signal);
	if (replaying) {
		rc = replay(argc - optind, argv + optind, max_ms);
		goto out;
	}
	if (fuzz_target.seeds != NULL)
		fuzz_target.seeds(add_seed);
	for (int i = optind; i < argc; i++)
		if (add_path(argv[i]) < 0)
			rc = 1;
	if (rc != 0 || nseeds == 0) {
		fprintf(stderr, "fuzz_%s: no seeds\n", fuzz_target.name);
		rc = 1;
		goto out;
	}
	if (dump_dir != NULL) {
		rc = dump_seeds(dump_dir);
		goto out;
	}
	buf = malloc(fuzz_target.max_len);
	if (buf == NULL) {
		rc = 1;
		goto out;
	}
	t0 = clock_ns(CLOCK_MONOTONIC);
	for (size_t i = 0; i < nseeds && rc == 0; i++)
		if (!run_one(seeds[i].p, seeds[i].len, i, max_ms, &st))
			rc = 1;
	for (unsigned long i = 0; i < iters && rc == 0; i++) {
		const struct seed *s = &seeds[rnd_below(nseeds)];
		size_t len = s->len, n = rnd() & 1 ? 1 : 1 + rnd_below(8);

		memcpy(buf, s->p, len);
		for (size_t m = 0; m < n; m++)
			len = mutate_once(buf, len, fuzz_target.max_len);
		if (!run_one(buf, len, nseeds + i, max_ms, &st))
			rc = 1;
	}
	free(buf);
	printf("fuzz_%s: %zu seeds + %lu mutated inputs in %.1f s (%.1f s CPU); slowest %.3f ms "
	       "CPU (input %lu, %zu bytes)%s\n", fuzz_target.name, nseeds, iters,
	       (double)(clock_ns(CLOCK_MONOTONIC) - t0) / 1e9, (double)st.total_ns / 1e9,
	       (double)st.slow_ns / 1e6, st.slow_iter,
	       st.slow_len, rc ? ": FAILED" : "");
out:
	free_seeds();
	if (fuzz_target.fini != NULL)
		fuzz_target.fini();
	return rc;
}
