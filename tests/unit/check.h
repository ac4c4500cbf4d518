/* SPDX-License-Identifier: MIT */
/* Minimal assertions for the unit tests: each failure prints file:line,
 * the expression, expected and actual; main() returns check_result(). */
#ifndef IDS_TEST_CHECK_H
#define IDS_TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond) do { \
	check_count++; \
	if (!(cond)) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
	} } while (0)

#define CHECK_INT(expected, actual) do { \
	long long e_ = (long long)(expected), a_ = (long long)(actual); \
	check_count++; \
	if (e_ != a_) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: %s: expected %lld, got %lld\n", \
			__FILE__, __LINE__, #actual, e_, a_); \
	} } while (0)

#define CHECK_STR(expected, actual) do { \
	const char *e_ = (expected), *a_ = (actual); \
	check_count++; \
	if (a_ == NULL || strcmp(e_, a_) != 0) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: %s: expected \"%s\", got \"%s\"\n", \
			__FILE__, __LINE__, #actual, e_, a_ ? a_ : "(null)"); \
	} } while (0)

static inline int check_result(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
