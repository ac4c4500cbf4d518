// SPDX-License-Identifier: MIT
/* The file tracker of EVE fileinfo: hashes fed in pieces equal the hashes
 * of the whole (RFC 1321 / FIPS 180 test vectors), a truncated file has
 * none, data after the close is ignored, long names are cut, gaps count. */
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
					   APP_FILE_MD5 | APP_FILE_SHA1 | APP_FILE_SHA256);
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

static void test_truncated_and_gaps(void)
{
	uint8_t *name = malloc(APP_FILE_NAME_MAX + 10);
	struct app_file *f;
	struct app_file_info fi;

	CHECK(name != NULL);
	if (name == NULL)
		return;
	memset(name, 'n', APP_FILE_NAME_MAX + 10);
	f = app_file_open(name, APP_FILE_NAME_MAX + 10, APP_FILE_SHA256);
	free(name);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	app_file_data(f, (const uint8_t *)"xyz", 3);
	app_file_gap(f);
	app_file_close(f, true);
	app_file_close(f, false);                 /* once only */
	app_file_info(f, 0, &fi);
	CHECK(!fi.closed && fi.gaps);
	CHECK(fi.md5 == NULL && fi.sha1 == NULL && fi.sha256 == NULL);
	CHECK_INT(APP_FILE_NAME_MAX, fi.name_len);
	CHECK_INT(3, fi.size);
	app_file_free(f);
	app_file_free(NULL);
}

int main(void)
{
	test_hashes_in_pieces();
	test_truncated_and_gaps();
	return check_result("app_file");
}
