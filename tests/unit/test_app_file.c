// SPDX-License-Identifier: MIT
/* The file tracker of EVE fileinfo: hashes fed in pieces equal the hashes
 * of the whole (RFC 1321 / FIPS 180 test vectors), a truncated file has
 * none, data after the close is ignored, long names are cut;
 * force-magic: libmagic's description of the first 512 bytes (looked up
 * once they are in, whatever comes after) or of a shorter file at its
 * end, none without APP_FILE_MAGIC. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/applayer/app_file.h"
#include "tests/unit/check.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_hashes_in_pieces(void)
{
	const char *abc = "abc";
	struct app_file *f = app_file_open((const uint8_t *)"/a", 2,
					   APP_FILE_MD5 | APP_FILE_SHA1 | APP_FILE_SHA256, NULL);
	struct app_file_info fi;
	char s[65];

	CHECK(f != NULL);
	if (f == NULL)
		return;
	/* "abc" in three calls, one empty */
	app_file_data(f, (const uint8_t *)abc, 1);
	app_file_data(f, (const uint8_t *)abc + 1, 0);
	app_file_data(f, (const uint8_t *)abc + 1, 2);
	app_file_info(f, 7, &fi);
	CHECK(!fi.closed && fi.md5 == NULL);   /* open: read as truncated */
	app_file_close(f, false);
	app_file_data(f, (const uint8_t *)"zz", 2);   /* after the close: ignored */
	app_file_info(f, 7, &fi);
	CHECK(fi.closed);
	CHECK_INT(3, fi.size);
	CHECK_INT(7, fi.tx_id);
	CHECK_INT(2, fi.name_len);
	CHECK(memcmp(fi.name, "/a", 2) == 0);
	CHECK(fi.md5 && fi.sha1 && fi.sha256);
	if (fi.md5 && fi.sha1 && fi.sha256) {
		hex(fi.md5, 16, s);
		CHECK_STR("900150983cd24fb0d6963f7d28e17f72", s);
		hex(fi.sha1, 20, s);
		CHECK_STR("a9993e364706816aba3e25717850c26c9cd0d89d", s);
		hex(fi.sha256, 32, s);
		CHECK_STR("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", s);
	}
	app_file_free(f);
}

static void test_truncated(void)
{
	uint8_t *name = malloc(APP_FILE_NAME_MAX + 10);
	struct app_file *f;
	struct app_file_info fi;

	CHECK(name != NULL);
	if (name == NULL)
		return;
	memset(name, 'n', APP_FILE_NAME_MAX + 10);
	f = app_file_open(name, APP_FILE_NAME_MAX + 10, APP_FILE_SHA256, NULL);
	free(name);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	app_file_data(f, (const uint8_t *)"xyz", 3);
	app_file_close(f, true);
	app_file_close(f, false);                 /* once only */
	app_file_info(f, 0, &fi);
	CHECK(!fi.closed);
	CHECK(fi.md5 == NULL && fi.sha1 == NULL && fi.sha256 == NULL);
	CHECK_INT(APP_FILE_NAME_MAX, fi.name_len);
	CHECK_INT(3, fi.size);
	app_file_free(f);
	app_file_free(NULL);
}

/* The description libmagic gives d[0..n) alone: what the file's must be. */
static char *expected(struct file_magic *m, const char *d, size_t n)
{
	return file_magic_lookup(m, (const uint8_t *)d, n);
}

static void test_magic(void)
{
	static const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";
	char err[160], *want;
	uint8_t png[600];
	struct file_magic *m = file_magic_create(err, sizeof(err));
	struct app_file *f;
	struct app_file_info fi;

	CHECK(m != NULL);
	if (m == NULL) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	/* a PNG header in pieces; its first 512 bytes decide, the rest (text)
	 * comes after the lookup */
	memset(png, 0, sizeof(png));
	memcpy(png, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x01\0\0\0\0\x80\x08\x06\0\0\0", 29);
	f = app_file_open((const uint8_t *)"/p.png", 6, APP_FILE_MAGIC, m);
	CHECK(f != NULL);
	if (f != NULL) {
		app_file_data(f, png, 10);
		app_file_info(f, 0, &fi);
		CHECK(fi.magic == NULL);              /* 10 bytes: not yet */
		app_file_data(f, png + 10, sizeof(png) - 10);
		app_file_info(f, 0, &fi);
		want = expected(m, (const char *)png, 512);
		CHECK(fi.magic != NULL && want != NULL && strstr(want, "PNG image data") != NULL);
		if (fi.magic != NULL && want != NULL)
			CHECK_STR(want, fi.magic);
		free(want);
		app_file_close(f, false);
		app_file_free(f);
	}
	/* shorter than 512 bytes: at the close, truncated or not */
	for (int truncated = 0; truncated < 2; truncated++) {
		f = app_file_open((const uint8_t *)"/d.pdf", 6, APP_FILE_MAGIC | APP_FILE_MD5, m);
		CHECK(f != NULL);
		if (f == NULL)
			break;
		app_file_data(f, (const uint8_t *)pdf, sizeof(pdf) - 1);
		app_file_info(f, 0, &fi);
		CHECK(fi.magic == NULL);
		app_file_close(f, truncated);
		app_file_info(f, 0, &fi);
		want = expected(m, pdf, sizeof(pdf) - 1);
		CHECK(fi.magic != NULL && want != NULL && strstr(want, "PDF document") != NULL);
		if (fi.magic != NULL && want != NULL)
			CHECK_STR(want, fi.magic);
		free(want);
		app_file_free(f);
	}
	/* not asked for, or no libmagic handle: none */
	f = app_file_open((const uint8_t *)"/d.pdf", 6, APP_FILE_MD5, m);
	CHECK(f != NULL);
	if (f != NULL) {
		app_file_data(f, (const uint8_t *)pdf, sizeof(pdf) - 1);
		app_file_close(f, false);
		app_file_info(f, 0, &fi);
		CHECK(fi.magic == NULL);
		app_file_free(f);
	}
	f = app_file_open((const uint8_t *)"/d.pdf", 6, APP_FILE_MAGIC, NULL);
	CHECK(f != NULL);
	if (f != NULL) {
		app_file_data(f, (const uint8_t *)pdf, sizeof(pdf) - 1);
		app_file_close(f, false);
		app_file_info(f, 0, &fi);
		CHECK(fi.magic == NULL);
		app_file_free(f);
	}
	file_magic_destroy(m);
}

int main(void)
{
	test_hashes_in_pieces();
	test_truncated();
	test_magic();
	return check_result("app_file");
}
