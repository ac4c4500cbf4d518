/* SPDX-License-Identifier: MIT */
/* TCP reassembly: in order, out of order, overlaps (first wins), inline
 * rewrite, retransmission, holes, memcaps, depth, sequence wrap, FIN/RST. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "stream_fixture.h"

static int win_is(const struct stream_window *w, const char *s)
{
	return w->len == strlen(s) && memcmp(w->data, s, w->len) == 0;
}

static void test_in_order_ack_chunks(void)
{
	struct stream_config cfg = { .chunk_size = { 4, 4 } };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;
	struct packet *p;

	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 100, 0, NULL), &w));
	p = mk(&s, &f, 0, TCP_ACK, 101, 1, "abc");
	CHECK(!stream_packet(sc, p, &w));
	CHECK(p->flags & PKT_F_STREAM_ADD);
	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 104, 1, "def"), &w));
	/* the peer acks 6 bytes: due with the next packet of the sender */
	CHECK(!stream_packet(sc, mk(&s, &f, 1, TCP_ACK, 1, 107, NULL), &w));
	CHECK(stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 107, 1, NULL), &w));
	CHECK(win_is(&w, "abcdef"));
	CHECK_INT(0, w.old_len);
	stream_window_done(sc, &f, &w);
	/* FIN: the direction ends, what it sent is due with it, acked or not;
	 * 4 bytes of context kept before the new data */
	CHECK(stream_packet(sc, mk(&s, &f, 0, TCP_ACK | TCP_FIN, 107, 1, "gh"), &w));
	CHECK(win_is(&w, "cdefgh"));
	CHECK_INT(4, w.old_len);
	stream_window_done(sc, &f, &w);
	CHECK(!stream_flush_next(sc, &f, 0, &w));
	CHECK_INT(1, stream_ctx_stats(sc)->sessions);
	stream_flow_free(sc, &f);
	CHECK_INT(0, stream_ctx_stats(sc)->reassembly_memuse);
	CHECK_INT(0, stream_ctx_stats(sc)->memuse);
	stream_ctx_destroy(sc);
}

/* IDS mode: bytes the app layer took (acked, shorter than a chunk) are due
 * with the next packet of their direction, up to what it took. */
static void test_app_progress(void)
{
	struct stream_config cfg = { .app_layer = true };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	const uint8_t *d;
	struct seg s;
	uint32_t seq;
	bool gap;

	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 100, 0, NULL), &w));
	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 101, 1, "GET / HTTP/1.0\r\n\r\n"), &w));
	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 119, 1, "more"), &w));
	/* the server acks the request only: the app layer takes it */
	CHECK(!stream_packet(sc, mk(&s, &f, 1, TCP_ACK, 1, 119, NULL), &w));
	CHECK_INT(18, stream_app_data(sc, &f, 0, false, &d, &seq, &gap));
	CHECK_INT(101, seq);	/* numbered as the windows are */
	/* taken, protocol unknown yet: not due */
	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 123, 1, NULL), &w));
	stream_app_settled(sc, &f, 0);
	/* the client's next packet inspects it, not the unacked rest */
	CHECK(stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 123, 1, NULL), &w));
	CHECK(win_is(&w, "GET / HTTP/1.0\r\n\r\n"));
	CHECK_INT(101, w.seq);
	stream_window_done(sc, &f, &w);
	/* nothing new for the app layer: nothing due */
	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 123, 1, NULL), &w));
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

static void test_out_of_order_and_retransmission(void)
{
	struct stream_config cfg = { 0 };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;
	struct packet *p;

	stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 0, 0, NULL), &w);
	p = mk(&s, &f, 0, TCP_ACK, 5, 1, "EFGH");
	stream_packet(sc, p, &w);
	CHECK(p->flags & PKT_F_STREAM_ADD);
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 9, 1, "IJ"), &w);
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 1, 1, "ABCD"), &w);
	/* an exact retransmission adds nothing and differs in nothing */
	p = mk(&s, &f, 0, TCP_ACK, 1, 1, "ABCD");
	stream_packet(sc, p, &w);
	CHECK(!(p->flags & PKT_F_STREAM_ADD));
	CHECK_INT(1, stream_ctx_stats(sc)->overlap);
	CHECK_INT(0, stream_ctx_stats(sc)->overlap_diff_data);
	CHECK(stream_flush_next(sc, &f, 0, &w));
	CHECK(win_is(&w, "ABCDEFGHIJ"));
	CHECK_INT(0, w.gap_before);
	stream_window_done(sc, &f, &w);
	CHECK(!stream_flush_next(sc, &f, 0, &w));
	CHECK_INT(0, stream_ctx_stats(sc)->reassembly_gap);
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

/* First wins: in order (buffer) and among held-back segments. */
static void test_overlap_first_wins(void)
{
	struct stream_config cfg = { 0 };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;
	struct packet *p;

	stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 1, 0, NULL), &w);
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 2, 1, "GOOD"), &w);
	p = mk(&s, &f, 0, TCP_ACK, 2, 1, "EVIL");
	stream_packet(sc, p, &w);
	CHECK(!(p->flags & PKT_F_STREAM_ADD));
	CHECK(memcmp(p->payload, "EVIL", 4) == 0);   /* IDS: the packet is left alone */
	/* held back: 10..14 "wxyz", then 8..16 "12345678": only 8,9 and 14,15 are new */
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 10, 1, "wxyz"), &w);
	p = mk(&s, &f, 0, TCP_ACK, 8, 1, "12345678");
	stream_packet(sc, p, &w);
	CHECK(p->flags & PKT_F_STREAM_ADD);
	/* the partial overlap at the front: 5 is stored "D", 6..8 are new "ab" */
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 5, 1, "Xab"), &w);
	CHECK_INT(3, stream_ctx_stats(sc)->overlap);
	CHECK_INT(3, stream_ctx_stats(sc)->overlap_diff_data);
	CHECK(stream_flush_next(sc, &f, 0, &w));
	CHECK(win_is(&w, "GOODab12wxyz78"));
	stream_window_done(sc, &f, &w);
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

static uint32_t fold(const uint8_t *b, uint32_t n)
{
	uint32_t sum = 0;

	for (uint32_t i = 0; i < n; i++)
		sum += (i & 1) ? b[i] : (uint32_t)b[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* Inline: the overlapping packet becomes the stream's data, its checksum
 * still sums the same (RFC 1624), and every data packet gets a window. */
static void test_inline_rewrite(void)
{
	struct stream_config cfg = { .inline_mode = true };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;
	struct packet *p;
	uint32_t before;

	stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 1, 0, NULL), &w);
	CHECK(stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 2, 1, "GOOD"), &w));
	CHECK(win_is(&w, "GOOD"));
	stream_window_done(sc, &f, &w);
	p = mk(&s, &f, 0, TCP_ACK, 2, 1, "EViL");
	s.l4[16] = 0x12;
	s.l4[17] = 0x34;
	before = fold(s.l4, 24);
	CHECK(stream_packet(sc, p, &w));
	CHECK(memcmp(p->payload, "GOOD", 4) == 0);
	CHECK(p->flags & PKT_F_MODIFIED);
	CHECK_INT(before, fold(s.l4, 24));
	CHECK(win_is(&w, "GOOD"));
	stream_window_done(sc, &f, &w);
	CHECK_INT(1, stream_ctx_stats(sc)->rewritten);
	CHECK(!stream_flush_next(sc, &f, 0, &w));
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

/* A hole that never fills is skipped at flow end, and reported. */
static void test_leading_gap(void)
{
	struct stream_config cfg = { 0 };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;

	stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 1, 0, NULL), &w);
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 6, 1, "GOOD"), &w);
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 10, 1, "DATA"), &w);
	CHECK(stream_flush_next(sc, &f, 0, &w));
	CHECK(win_is(&w, "GOODDATA"));
	CHECK_INT(4, w.gap_before);
	stream_window_done(sc, &f, &w);
	CHECK(!stream_flush_next(sc, &f, 0, &w));
	CHECK_INT(1, stream_ctx_stats(sc)->reassembly_gap);
	CHECK_INT(1, stream_ctx_stats(sc)->pseudo);
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

/* A hole the peer acked past is given up while the flow goes on. */
static void test_gap_acked(void)
{
	struct stream_config cfg = { .chunk_size = { 2, 2 } };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;

	stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 1, 0, NULL), &w);
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 4, 1, "xyz"), &w);
	stream_packet(sc, mk(&s, &f, 1, TCP_ACK, 1, 7, NULL), &w);
	CHECK(stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 7, 1, NULL), &w));
	CHECK(win_is(&w, "xyz"));
	CHECK_INT(2, w.gap_before);
	stream_window_done(sc, &f, &w);
	CHECK_INT(1, stream_ctx_stats(sc)->reassembly_gap);
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

static void test_wrap(void)
{
	struct stream_config cfg = { 0 };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;

	stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 0xfffffffdu, 0, NULL), &w);
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 2, 1, "efgh"), &w);	/* past the wrap */
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 0xfffffffeu, 1, "abcd"), &w);
	CHECK(stream_flush_next(sc, &f, 0, &w));
	CHECK(win_is(&w, "abcdefgh"));
	stream_window_done(sc, &f, &w);
	CHECK_INT(0, stream_ctx_stats(sc)->reassembly_gap);
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

static void test_rst_and_midstream(void)
{
	struct stream_config cfg = { 0 };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;

	/* no SYN seen: picked up at the first data */
	stream_packet(sc, mk(&s, &f, 1, TCP_ACK, 5000, 1, "hello"), &w);
	/* RST: the sender's data is due with it */
	CHECK(stream_packet(sc, mk(&s, &f, 1, TCP_RST, 5005, 0, NULL), &w));
	CHECK(win_is(&w, "hello"));
	CHECK_INT(PKT_TO_CLIENT, w.dir);
	stream_window_done(sc, &f, &w);
	CHECK(!stream_flush_next(sc, &f, 1, &w));
	stream_flow_free(sc, &f);
	/* no session at all: nothing tracked */
	f.tcp_state = TCP_ST_NONE;
	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 1, 1, "data"), &w));
	CHECK(!(s.p.flags & PKT_F_STREAM_ADD));
	CHECK(f.stream == NULL);
	stream_ctx_destroy(sc);
}

/* Suricata 7 reassembles a SYN's data only when the SYN has the Fast Open
 * option, and no data while the SYN is unanswered; a plain SYN's, a
 * SYN/ACK's or such early data is for packet rules alone. */
static void test_syn_data(void)
{
	struct stream_config cfg = { 0 };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;
	struct packet *p;

	f.tcp_state = TCP_ST_SYN_SENT;
	p = mk(&s, &f, 0, TCP_SYN, 100, 0, "syn-data");
	stream_packet(sc, p, &w);
	CHECK(!(p->flags & PKT_F_STREAM_ADD));
	p = mk(&s, &f, 1, TCP_SYN | TCP_ACK, 900, 101, "synack-data");
	stream_packet(sc, p, &w);
	CHECK(!(p->flags & PKT_F_STREAM_ADD));
	/* the client's data before any answer to its SYN: not taken either */
	p = mk(&s, &f, 0, TCP_ACK | TCP_PSH, 101, 0, "early");
	stream_packet(sc, p, &w);
	CHECK(!(p->flags & PKT_F_STREAM_ADD));
	/* once the session is established, the data is the stream's */
	f.tcp_state = TCP_ST_ESTABLISHED;
	p = mk(&s, &f, 0, TCP_ACK | TCP_PSH, 101, 901, "later");
	stream_packet(sc, p, &w);
	CHECK(p->flags & PKT_F_STREAM_ADD);
	stream_flow_free(sc, &f);

	f = new_flow();
	f.tcp_state = TCP_ST_SYN_SENT;
	p = mk(&s, &f, 0, TCP_SYN, 100, 0, "tfo-data");
	p->flags |= PKT_F_TCP_TFO;
	stream_packet(sc, p, &w);
	CHECK(p->flags & PKT_F_STREAM_ADD);
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);
}

static void test_limits(void)
{
	struct stream_config cfg = { .reassembly_memcap = 100 };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;
	struct packet *p;

	p = mk(&s, &f, 0, TCP_ACK, 1, 1, "abc");
	stream_packet(sc, p, &w);
	CHECK(!(p->flags & PKT_F_STREAM_ADD));
	CHECK_INT(1, stream_ctx_stats(sc)->segment_memcap_drop);
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);

	cfg = (struct stream_config){ .depth = 4 };
	sc = stream_ctx_create(&cfg);
	stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 1, 1, "abcdef"), &w);
	p = mk(&s, &f, 0, TCP_ACK, 7, 1, "gh");
	stream_packet(sc, p, &w);
	CHECK(!(p->flags & PKT_F_STREAM_ADD));
	CHECK_INT(1, stream_ctx_stats(sc)->depth_reached);
	CHECK(stream_flush_next(sc, &f, 0, &w));
	CHECK(win_is(&w, "abcd"));
	stream_window_done(sc, &f, &w);
	stream_flow_free(sc, &f);
	stream_ctx_destroy(sc);

	/* held-back segments per direction are bounded */
	cfg = (struct stream_config){ 0 };
	sc = stream_ctx_create(&cfg);
	stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 0, 0, NULL), &w);
	for (uint32_t i = 0; i <= STREAM_OOO_MAX; i++)
		stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 10 + 2 * i, 1, "x"), &w);
	CHECK_INT(1, stream_ctx_stats(sc)->ooo_limit);
	CHECK(!(s.p.flags & PKT_F_STREAM_ADD));
	stream_flow_free(sc, &f);
	CHECK_INT(0, stream_ctx_stats(sc)->reassembly_memuse);
	stream_ctx_destroy(sc);

	cfg = (struct stream_config){ .memcap = 10 };
	sc = stream_ctx_create(&cfg);
	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_ACK, 1, 1, "abc"), &w));
	CHECK_INT(1, stream_ctx_stats(sc)->ssn_memcap_drop);
	CHECK(f.stream == NULL);
	stream_ctx_destroy(sc);
}

/* The stream's byte at sequence number seq, in test_long_stream. */
static char long_byte(uint32_t seq)
{
	return (char)('a' + seq % 26);
}

/* The n bytes from seq on, as a string for mk(). */
static const char *long_data(char *buf, uint32_t seq, uint32_t n)
{
	for (uint32_t j = 0; j < n; j++)
		buf[j] = long_byte(seq + j);
	buf[n] = '\0';
	return buf;
}

/* w holds the stream's bytes from w->seq on, and its new ones follow the
 * last window's end. */
static int long_win_ok(const struct stream_window *w, uint32_t *next)
{
	for (uint32_t j = 0; j < w->len; j++)
		if ((char)w->data[j] != long_byte(w->seq + j))
			return 0;
	if (w->seq + w->old_len != *next)
		return 0;
	*next = w->seq + w->len;
	return 1;
}

/* A long stream through a small buffer: inspected bytes leave its front
 * (a chunk of context kept) while new ones come at its end, acked as they
 * come, then a while unacked so that it grows. Every window holds exactly
 * the stream's bytes, and each starts where the last one ended. */
static void test_long_stream(void)
{
	struct stream_config cfg = { .chunk_size = { 100, 100 } };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;
	uint32_t seq = 1, next = 1, windows = 0;
	char data[41];

	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 0, 0, NULL), &w));
	for (int i = 0; i < 200; i++) {
		if (stream_packet(sc, mk(&s, &f, 0, TCP_ACK, seq, 1, long_data(data, seq, 40)),
				  &w)) {
			CHECK(long_win_ok(&w, &next));
			stream_window_done(sc, &f, &w);
			windows++;
		}
		seq += 40;
		if (i < 80 || i >= 100)
			stream_packet(sc, mk(&s, &f, 1, TCP_ACK, 1, seq, NULL), &w);
	}
	CHECK(windows > 40);
	CHECK(stream_packet(sc, mk(&s, &f, 0, TCP_ACK | TCP_FIN, seq, 1, NULL), &w));
	CHECK(long_win_ok(&w, &next));
	stream_window_done(sc, &f, &w);
	CHECK_INT(seq, next);
	stream_flow_free(sc, &f);
	CHECK_INT(0, stream_ctx_stats(sc)->reassembly_memuse);
	stream_ctx_destroy(sc);
}

/* A buffer that grows just after its front was dropped keeps the bytes
 * after the drop: 500 bytes (512 taken), 50 dropped after their window (450
 * kept as context), then 64 more do not fit. */
static void test_grow_after_drop(void)
{
	struct stream_config cfg = { .chunk_size = { 450, 450 } };
	struct stream_ctx *sc = stream_ctx_create(&cfg);
	struct flow f = new_flow();
	struct stream_window w;
	struct seg s;
	uint32_t seq = 1, next = 1;
	char data[65];

	CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_SYN, 0, 0, NULL), &w));
	for (int i = 0; i < 10; i++, seq += 50) {
		CHECK(!stream_packet(sc, mk(&s, &f, 0, TCP_ACK, seq, 1, long_data(data, seq, 50)),
				     &w));
	}
	stream_packet(sc, mk(&s, &f, 1, TCP_ACK, 1, seq, NULL), &w);
	CHECK(stream_packet(sc, mk(&s, &f, 0, TCP_ACK, seq, 1, NULL), &w));
	CHECK(long_win_ok(&w, &next));
	CHECK_INT(500, w.len);
	stream_window_done(sc, &f, &w);
	CHECK(stream_packet(sc, mk(&s, &f, 0, TCP_ACK | TCP_FIN, seq, 1, long_data(data, seq, 64)),
			    &w));
	CHECK(long_win_ok(&w, &next));
	CHECK_INT(450, w.old_len);
	stream_window_done(sc, &f, &w);
	stream_flow_free(sc, &f);
	CHECK_INT(0, stream_ctx_stats(sc)->reassembly_memuse);
	stream_ctx_destroy(sc);
}

int main(void)
{
	test_in_order_ack_chunks();
	test_long_stream();
	test_grow_after_drop();
	test_app_progress();
	test_out_of_order_and_retransmission();
	test_overlap_first_wins();
	test_inline_rewrite();
	test_leading_gap();
	test_gap_acked();
	test_wrap();
	test_rst_and_midstream();
	test_syn_data();
	test_limits();
	return check_result("stream");
}
