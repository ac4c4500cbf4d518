/* SPDX-License-Identifier: MIT */
/* detect_spm_find (dataplane/detect/detect_spm.c) against a plain reference
 * search: random buffers over a small alphabet (many partial matches), both
 * case modes, every length around the 16-byte vector steps, patterns at
 * the very end. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dataplane/detect/detect-int.h"

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static const uint8_t *reference(const uint8_t *b, size_t len, const uint8_t *p, size_t plen,
				bool nocase)
{
	if (plen > len)
		return NULL;
	for (size_t i = 0; i + plen <= len; i++) {
		size_t k = 0;

		while (k < plen && (nocase ? fold(b[i + k]) == fold(p[k]) : b[i + k] == p[k]))
			k++;
		if (k == plen)
			return b + i;
	}
	return NULL;
}

static void test_random(void)
{
	static const char alpha[] = "aAbB\x00\xff";
	uint8_t buf[200], pat[24];
	unsigned mismatches = 0;

	srand(7);
	for (int round = 0; round < 200000; round++) {
		size_t len = (size_t)rand() % sizeof(buf);
		size_t plen = 1 + (size_t)rand() % 12;
		bool nocase = rand() & 1;

		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)alpha[rand() % 6];
		for (size_t i = 0; i < plen; i++)
			pat[i] = (uint8_t)alpha[rand() % 6];
		if (detect_spm_find(buf, len, pat, plen, nocase) !=
		    reference(buf, len, pat, plen, nocase))
			mismatches++;
	}
	CHECK_INT(0, mismatches);
}

static void test_edges(void)
{
	uint8_t buf[64];

	for (size_t len = 1; len <= sizeof(buf); len++) {
		memset(buf, 'x', len);
		/* a pattern in the last bytes, for every tail length */
		memcpy(buf + len - 1, "Z", 1);
		CHECK(detect_spm_find(buf, len, (const uint8_t *)"z", 1, true) == buf + len - 1);
		CHECK(detect_spm_find(buf, len, (const uint8_t *)"z", 1, false) == NULL);
		if (len >= 3) {
			memcpy(buf + len - 3, "AbC", 3);
			CHECK(detect_spm_find(buf, len, (const uint8_t *)"abc", 3, true) ==
			      buf + len - 3);
			CHECK(detect_spm_find(buf, len, (const uint8_t *)"abc", 3, false) == NULL);
			CHECK(detect_spm_find(buf, len, (const uint8_t *)"AbC", 3, false) ==
			      buf + len - 3);
		}
	}
	CHECK(detect_spm_find(buf, 10, (const uint8_t *)"", 0, false) == buf);
	CHECK(detect_spm_find(buf, 2, (const uint8_t *)"xxx", 3, false) == NULL);
	/* non-letters are not folded: '@' (0x40) and '`' (0x60) differ */
	CHECK(detect_spm_find((const uint8_t *)"a@b", 3, (const uint8_t *)"a`b", 3, true) == NULL);
}

int main(void)
{
	test_random();
	test_edges();
	return check_result("spm");
}
