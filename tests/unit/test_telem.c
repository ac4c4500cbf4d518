/* SPDX-License-Identifier: MIT */
/* The telemetry client's reply reader (telem_dict_walk): the shapes DPDK
 * 22.11 writes for the /ids commands, escapes, nesting, and refusals. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "control/track/telem.h"
#include "tests/unit/check.h"

struct seen {
	char text[512];
	unsigned n;
};

static void collect(void *ctx, const char *key, const char *str, uint64_t num)
{
	struct seen *s = ctx;
	size_t off = strlen(s->text);

	if (str)
		snprintf(s->text + off, sizeof(s->text) - off, "%s=\"%s\";", key, str);
	else
		snprintf(s->text + off, sizeof(s->text) - off, "%s=%llu;", key,
			 (unsigned long long)num);
	s->n++;
}

static int walk(const char *json, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	return telem_dict_walk(json, collect, s);
}

int main(void)
{
	struct seen s;

	/* /ids/stats: flat counters */
	CHECK_INT(0, walk("{\"/ids/stats\": {\"decoder_pkts\": 14, \"detect_alert\": 3}}", &s));
	CHECK_STR("decoder_pkts=14;detect_alert=3;", s.text);
	/* /ids/reload: strings with escapes */
	CHECK_INT(0, walk("{\"/ids/reload\":{\"status\":\"failed\",\"message\":"
			  "\"r.rules:2: \\\"nosuch\\\"\\tkeyword\\u0041\"}}", &s));
	CHECK_STR("status=\"failed\";message=\"r.rules:2: \"nosuch\"\tkeywordA\";", s.text);
	/* nested columns and negatives are skipped, the rest kept in order */
	CHECK_INT(0, walk("{\"/ids/workers\": {\"heartbeat\": [1, 2], \"x\": {\"a\": \"]}\"},"
			  " \"sock\": -1, \"ok\": true, \"receivers\": 0}}", &s));
	CHECK_STR("receivers=0;", s.text);
	/* an empty dict */
	CHECK_INT(0, walk("{\"/ids/rules\": {}}", &s));
	CHECK_INT(0, (int)s.n);
	/* a command the dataplane does not know answers null */
	CHECK_INT(-ENOENT, walk("{\"/ids/nosuch\": null}", &s));
	/* malformed: cut short, no colon, not an object */
	CHECK_INT(-EINVAL, walk("{\"/ids/stats\": {\"a\": 1", &s));
	CHECK_INT(-EINVAL, walk("{\"/ids/stats\" {}}", &s));
	CHECK_INT(-EINVAL, walk("[1, 2]", &s));
	CHECK_INT(-EINVAL, walk("{\"/ids/stats\": {\"a\": \"unterminated}}", &s));
	return check_result("telem");
}
