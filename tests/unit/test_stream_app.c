/* SPDX-License-Identifier: MIT */
/* Unit tests for stream_app_data(), the app-layer feed of TCP reassembly:
 * in IDS mode what the peer acked, in inline mode everything, all of it at
 * flow end; each byte handed over once; a skipped hole reported. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "stream_fixture.h"

/* The next app bytes of dir as a string ("" when none); *gap as reported. */
static const char *next(struct stream_ctx *sc, struct flow *f, uint8_t dir, bool flush,
			bool *gap)
{
	static char buf[128];
	const uint8_t *d = NULL;
	bool g;
	uint32_t seq;
	uint32_t n = stream_app_data(sc, f, dir, flush, &d, &seq, &g);

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (n)
		memcpy(buf, d, n);
	buf[n] = '\0';
	if (gap)
		*gap = g;
	return buf;
}

static void feed(struct stream_ctx *sc, struct packet *p)
{
	struct stream_window w;

	if (stream_packet(sc, p, &w))
		stream_window_done(sc, p->flow, &w);
}

static void test_ids_acked(void)
{
	struct stream_config cfg = { .app_layer = true };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct seg s;
	bool gap = true;

	feed(sc, mk(&s, &f, 0, TCP_SYN, 100, 0, NULL));
	feed(sc, mk(&s, &f, 0, TCP_ACK, 101, 1, "GET /x"));
	/* not acked yet: nothing for the parsers */
	CHECK_STR("", next(sc, &f, 0, false, NULL));
	feed(sc, mk(&s, &f, 1, TCP_ACK, 1, 104, NULL));
	CHECK_STR("GET", next(sc, &f, 0, false, &gap));
	CHECK(!gap);
	/* handed over once */
	CHECK_STR("", next(sc, &f, 0, false, NULL));
	feed(sc, mk(&s, &f, 0, TCP_ACK, 107, 1, " HTTP"));
	feed(sc, mk(&s, &f, 1, TCP_ACK, 1, 109, NULL));
	CHECK_STR(" /x H", next(sc, &f, 0, false, NULL));
	/* flow end: the unacked rest too */
	CHECK_STR("TTP", next(sc, &f, 0, true, NULL));
	CHECK_STR("", next(sc, &f, 0, true, NULL));
	/* the other direction never sent anything */
	CHECK_STR("", next(sc, &f, 1, true, NULL));
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

static void test_inline_and_disabled(void)
{
	struct stream_config cfg = { .app_layer = true, .inline_mode = true };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct seg s;

	feed(sc, mk(&s, &f, 0, TCP_SYN, 0, 0, NULL));
	feed(sc, mk(&s, &f, 0, TCP_ACK, 1, 1, "abc"));
	CHECK_STR("abc", next(sc, &f, 0, false, NULL));
	feed(sc, mk(&s, &f, 0, TCP_ACK, 4, 1, "de"));
	CHECK_STR("de", next(sc, &f, 0, false, NULL));
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);

	/* without app_layer the stream keeps nothing for parsers */
	cfg.app_layer = false;
	sc = stream_ctx_create(&cfg);
	f = new_flow();
	feed(sc, mk(&s, &f, 0, TCP_SYN, 0, 0, NULL));
	feed(sc, mk(&s, &f, 0, TCP_ACK, 1, 1, "abc"));
	CHECK_STR("", next(sc, &f, 0, true, NULL));
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

static void test_gap(void)
{
	struct stream_config cfg = { .app_layer = true };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;
	bool gap = false;

	feed(sc, mk(&s, &f, 0, TCP_SYN, 0, 0, NULL));
	feed(sc, mk(&s, &f, 0, TCP_ACK, 1, 1, "AB"));
	/* bytes 3..9 never arrive */
	feed(sc, mk(&s, &f, 0, TCP_ACK, 10, 1, "XY"));
	CHECK_STR("AB", next(sc, &f, 0, true, &gap));
	CHECK(!gap);
	/* flow end, as the pipeline releases a flow: raw inspection skips the
	 * hole, and the parsers get the rest with the gap reported */
	CHECK(stream_flush_next(sc, &f, 0, &w));
	stream_window_done(sc, &f, &w);
	CHECK(stream_flush_next(sc, &f, 0, &w));
	CHECK_INT(7, w.gap_before);
	CHECK_STR("XY", next(sc, &f, 0, true, &gap));
	CHECK(gap);
	stream_window_done(sc, &f, &w);
	CHECK_STR("", next(sc, &f, 0, true, &gap));
	CHECK(!gap);
	CHECK_INT(1, stream_ctx_stats(sc)->reassembly_gap);
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

int main(void)
{
	test_ids_acked();
	test_inline_and_disabled();
	test_gap();
	return check_result("stream_app");
}
