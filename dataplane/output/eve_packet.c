/* SPDX-License-Identifier: MIT */
/* "packet" records: the packets the tag keyword tagged, as Suricata's alert
 * output logs them with tagged-packets on (output-json-alert.c: the common
 * header with event_type "packet", then the frame in base64 and its link
 * type). */
#include "eve-int.h"

static void build_packet(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct packet *p = arg;

	json_obj_open(j, NULL);
	eve_put_header(j, w, p, "packet", NULL);
	eve_put_frame(j, p);
	eve_close_record(j, w);
}

void eve_write_packet(struct eve_writer *w, const struct packet *p)
{
	eve_emit(w, EVE_T_PACKET, build_packet, p);
}
