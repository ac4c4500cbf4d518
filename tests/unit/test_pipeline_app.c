/* SPDX-License-Identifier: MIT */
/* Unit tests for pipeline_app_feeds_dir(): which stream directions a TCP
 * packet hands to the app-layer parsers, in IDS and inline mode. */
#include <string.h>

#include "check.h"
#include "dataplane/pipeline/pipeline_app.h"

static struct packet pkt(uint8_t dir, uint8_t flags, uint16_t payload_len)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	p.proto = 6;
	p.dir = dir;
	p.tcp.flags = flags;
	p.payload_len = payload_len;
	return p;
}

static void test_ids(void)
{
	struct packet synack = pkt(PKT_TO_CLIENT, TCP_SYN | TCP_ACK, 0);
	struct packet ack = pkt(PKT_TO_SERVER, TCP_ACK, 0);
	struct packet data = pkt(PKT_TO_CLIENT, TCP_ACK, 100);
	struct packet rst = pkt(PKT_TO_SERVER, TCP_RST, 0);

	/* a SYN/ACK acking TCP Fast Open data hands nothing over */
	CHECK(!pipeline_app_feeds_dir(false, &synack, PKT_TO_SERVER));
	CHECK(!pipeline_app_feeds_dir(false, &synack, PKT_TO_CLIENT));
	/* the handshake's last ACK: not its own direction, the peer's */
	CHECK(!pipeline_app_feeds_dir(false, &ack, PKT_TO_SERVER));
	CHECK(pipeline_app_feeds_dir(false, &ack, PKT_TO_CLIENT));
	/* a reply hands over the request it acknowledges, and its own data */
	CHECK(pipeline_app_feeds_dir(false, &data, PKT_TO_SERVER));
	CHECK(pipeline_app_feeds_dir(false, &data, PKT_TO_CLIENT));
	CHECK(pipeline_app_feeds_dir(false, &rst, PKT_TO_SERVER));
	CHECK(pipeline_app_feeds_dir(false, &rst, PKT_TO_CLIENT));
}

static void test_inline(void)
{
	struct packet synack = pkt(PKT_TO_CLIENT, TCP_SYN | TCP_ACK, 0);
	struct packet ack = pkt(PKT_TO_SERVER, TCP_ACK, 0);

	CHECK(pipeline_app_feeds_dir(true, &synack, PKT_TO_SERVER));
	CHECK(pipeline_app_feeds_dir(true, &ack, PKT_TO_SERVER));
	CHECK(pipeline_app_feeds_dir(true, &ack, PKT_TO_CLIENT));
}

int main(void)
{
	test_ids();
	test_inline();
	return check_result("pipeline_app");
}
