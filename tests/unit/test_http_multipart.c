// SPDX-License-Identifier: MIT
/* The multipart/form-data reader of HTTP uploads: the parts with a
 * filename become files whose content (and MD5) is exactly the part's,
 * whatever the chunking (every split point, byte by byte), near-delimiters
 * inside the content stay content, form fields are no files, a body cut
 * before the close delimiter leaves its last file TRUNCATED; boundaries
 * from Content-Type (quoted, too long, absent); Suricata's multipart
 * events (a bad part header, a file with no data, the close delimiter in a
 * file part's headers) at every split point, and none for a good body;
 * file parts past the sink's limit counted, not opened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/md5.h>

#include "dataplane/applayer/app_file.h"
#include "dataplane/applayer/http_multipart.h"
#include "tests/unit/check.h"

static const char ct[] = "multipart/form-data; boundary=\"XyZ-42\"";
/* content with a CR LF "--" and a partial delimiter inside, a CR CR LF */
static const char file_a[] = "line one\r\n--XyZ-4 not it\r\r\n--X\r\nend";
static const char file_b[] = "\x00\x01\r\n\xff";
static const char body[] =
	"preamble\r\n"
	"--XyZ-42\r\n"
	"Content-Disposition: form-data; name=\"field\"\r\n\r\n"
	"value\r\n"
	"--XyZ-42\r\n"
	"Content-Disposition: form-data; name=\"up\"; filename=\"a.txt\"\r\n"
	"Content-Type: text/plain\r\n\r\n"
	"line one\r\n--XyZ-4 not it\r\r\n--X\r\nend\r\n"
	"--XyZ-42\r\n"
	"content-disposition: form-data; name=\"b\"; filename=b.bin\r\n\r\n"
	"\x00\x01\r\n\xff\r\n"
	"--XyZ-42--\r\n"
	"epilogue";

static void md5_of(const void *d, size_t n, uint8_t out[16])
{
	struct md5_ctx c;

	md5_init(&c);
	md5_update(&c, n, d);
	md5_digest(&c, 16, out);
}

struct files {
	struct app_file *f[8];
	uint8_t n;
	uint8_t events;         /* MP_EV_* */
	uint64_t nomem, dropped;
};

static void feed(struct files *fs, const char *b, size_t len, const size_t *cuts, size_t ncuts,
		 bool end)
{
	struct http_mp *mp = http_mp_new((const uint8_t *)ct, sizeof(ct) - 1);
	const struct mp_sink sink = { .files = fs->f, .nfiles = &fs->n, .max = 8,
				      .hashes = APP_FILE_MD5, .nomem = &fs->nomem,
				      .dropped = &fs->dropped, .events = &fs->events };
	size_t at = 0;

	memset(fs, 0, sizeof(*fs));
	CHECK(mp != NULL);
	if (mp == NULL)
		return;
	for (size_t i = 0; i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : len;

		http_mp_data(mp, &sink, (const uint8_t *)b + at, to - at);
		at = to;
	}
	if (end)
		http_mp_end(mp);
	http_mp_free(mp);
}

static bool file_is(struct app_file *f, const char *name, const void *d, size_t n, bool closed)
{
	struct app_file_info fi;
	uint8_t want[16];

	app_file_info(f, 0, &fi);
	md5_of(d, n, want);
	return fi.name_len == strlen(name) && memcmp(fi.name, name, fi.name_len) == 0 &&
	       fi.size == n && fi.closed == closed &&
	       (!closed || (fi.md5 != NULL && memcmp(fi.md5, want, 16) == 0));
}

static void release(struct files *fs)
{
	for (uint8_t i = 0; i < fs->n; i++)
		app_file_free(fs->f[i]);
}

static void test_every_split(void)
{
	const size_t len = sizeof(body) - 1;
	struct files fs;
	size_t cuts[len];
	bool ok = true;

	for (size_t cut = 0; cut <= len; cut++) {
		feed(&fs, body, len, &cut, 1, true);
		ok = ok && fs.n == 2 && file_is(fs.f[0], "a.txt", file_a, sizeof(file_a) - 1, true) &&
		     file_is(fs.f[1], "b.bin", file_b, sizeof(file_b) - 1, true) && fs.events == 0;
		release(&fs);
	}
	CHECK(ok);
	for (size_t i = 0; i < len; i++)
		cuts[i] = i + 1;
	feed(&fs, body, len, cuts, len - 1, true);
	CHECK_INT(2, fs.n);
	CHECK(fs.n == 2 && file_is(fs.f[0], "a.txt", file_a, sizeof(file_a) - 1, true));
	CHECK(fs.n == 2 && file_is(fs.f[1], "b.bin", file_b, sizeof(file_b) - 1, true));
	release(&fs);
}

static void test_truncated(void)
{
	/* cut inside b.bin's content: a.txt complete, b.bin TRUNCATED */
	const char *b = memmem(body, sizeof(body) - 1, "\x01\r\n", 3);
	struct files fs;

	feed(&fs, body, (size_t)(b - body), NULL, 0, true);
	CHECK_INT(2, fs.n);
	CHECK(fs.n == 2 && file_is(fs.f[0], "a.txt", file_a, sizeof(file_a) - 1, true));
	CHECK(fs.n == 2 && file_is(fs.f[1], "b.bin", file_b, 1, false));
	release(&fs);
}

static void test_boundaries(void)
{
	static const char *const none[] = {
		"text/plain; boundary=x", "multipart/form-data", "multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=12345678901234567890123456789012345678901234567890"
		"123456789012345678901",
	};
	struct http_mp *mp;
	struct files fs;
	const char *b2 = "--b\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nhi\r\n--b--";
	const struct mp_sink sink = { .files = fs.f, .nfiles = &fs.n, .max = 8,
				      .hashes = APP_FILE_MD5, .nomem = &fs.nomem,
				      .dropped = &fs.dropped };

	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		mp = http_mp_new((const uint8_t *)none[i], strlen(none[i]));
		CHECK(mp == NULL);
		http_mp_free(mp);
	}
	/* unquoted, other parameters after it, the body starting with the
	 * first delimiter */
	memset(&fs, 0, sizeof(fs));
	mp = http_mp_new((const uint8_t *)"Multipart/Form-Data; BOUNDARY=b; charset=x", 42);
	CHECK(mp != NULL);
	if (mp != NULL) {
		http_mp_data(mp, &sink, (const uint8_t *)b2, strlen(b2));
		http_mp_end(mp);
		CHECK(fs.n == 1 && file_is(fs.f[0], "x", "hi", 2, true));
	}
	http_mp_free(mp);
	release(&fs);
}

/* Ten file parts: the first 8 (the sink's max) are files, the other two
 * counted as dropped and their content goes nowhere; with max 0 (files
 * not tracked) none is opened and none counted. */
static void test_max_files(void)
{
	char b[2048];
	size_t n = 0;
	struct files fs;
	struct http_mp *mp;
	struct mp_sink sink = { .files = fs.f, .nfiles = &fs.n, .max = 8,
				.hashes = APP_FILE_MD5, .nomem = &fs.nomem,
				.dropped = &fs.dropped };

	for (int i = 0; i < 10; i++)
		n += (size_t)snprintf(b + n, sizeof(b) - n,
				      "--XyZ-42\r\nContent-Disposition: form-data; name=\"f\"; "
				      "filename=\"f%d\"\r\n\r\nbody %d\r\n", i, i);
	n += (size_t)snprintf(b + n, sizeof(b) - n, "--XyZ-42--\r\n");
	CHECK(n < sizeof(b));
	for (int round = 0; round < 2; round++) {
		memset(&fs, 0, sizeof(fs));
		sink.max = round == 0 ? 8 : 0;
		mp = http_mp_new((const uint8_t *)ct, sizeof(ct) - 1);
		CHECK(mp != NULL);
		if (mp == NULL)
			return;
		http_mp_data(mp, &sink, (const uint8_t *)b, n);
		http_mp_end(mp);
		http_mp_free(mp);
		CHECK_INT(round == 0 ? 8 : 0, fs.n);
		CHECK_INT(round == 0 ? 2 : 0, fs.dropped);
		CHECK(fs.n == 0 || file_is(fs.f[7], "f7", "body 7", 6, true));
		release(&fs);
	}
}

/* body, cut at every point, raises events and gives files n, the first
 * (when n) named name with content d. */
static bool events_at_every_split(const char *b, uint8_t events, uint8_t n, const char *name,
				  const char *d)
{
	struct files fs;
	bool ok = true;

	for (size_t cut = 0; cut <= strlen(b); cut++) {
		feed(&fs, b, strlen(b), &cut, 1, true);
		ok = ok && fs.events == events && fs.n == n &&
		     (n == 0 || file_is(fs.f[0], name, d, strlen(d), true));
		release(&fs);
	}
	return ok;
}

static void test_events(void)
{
	/* a header line without ':', one with nothing after it */
	CHECK(events_at_every_split("--XyZ-42\r\nContent-Disposition: form-data; name=\"a\"\r\n"
				    "X-Junk\r\n\r\nv\r\n--XyZ-42--\r\n", MP_EV_INVALID_HEADER, 0,
				    NULL, NULL));
	CHECK(events_at_every_split("--XyZ-42\r\nContent-Disposition: form-data; filename=f\r\n"
				    "X-Empty:\r\n\r\nv\r\n--XyZ-42--\r\n", MP_EV_INVALID_HEADER, 1,
				    "f", "v"));
	/* the close delimiter at once: no file at all, as Suricata gives up
	 * before it opens one */
	CHECK(events_at_every_split("--XyZ-42\r\nContent-Disposition: form-data; filename=f\r\n"
				    "\r\n--XyZ-42--\r\n", MP_EV_NO_FILEDATA, 0, NULL, NULL));
	/* the same after a file with data: that one stays */
	CHECK(events_at_every_split("--XyZ-42\r\nContent-Disposition: form-data; filename=f\r\n"
				    "\r\nv\r\n--XyZ-42\r\nContent-Disposition: form-data; "
				    "filename=g\r\n\r\n--XyZ-42--\r\n", MP_EV_NO_FILEDATA, 1, "f",
				    "v"));
	/* a delimiter at once that opens another part is no error */
	CHECK(events_at_every_split("--XyZ-42\r\nContent-Disposition: form-data; filename=f\r\n"
				    "\r\n--XyZ-42\r\nContent-Disposition: form-data; name=g\r\n\r\n"
				    "v\r\n--XyZ-42--", 0, 1, "f", ""));
	/* a part that starts like a delimiter and is not one keeps its bytes */
	CHECK(events_at_every_split("--XyZ-42\r\nContent-Disposition: form-data; filename=f\r\n"
				    "\r\n--XyZ-4x\r\n--XyZ-42--", 0, 1, "f", "--XyZ-4x"));
	/* the close delimiter inside the file part's headers: no file */
	CHECK(events_at_every_split("--XyZ-42\r\nContent-Disposition: form-data; "
				    "filename=\"--XyZ-42--\"\r\n\r\nv\r\n--XyZ-42--\r\n",
				    MP_EV_GENERIC_ERROR, 0, NULL, NULL));
}

int main(void)
{
	test_every_split();
	test_events();
	test_truncated();
	test_boundaries();
	test_max_files();
	return check_result("http_multipart");
}
