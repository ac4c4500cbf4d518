/* SPDX-License-Identifier: MIT */
/* "packet" records: the packets the tag keyword tagged, as Suricata's alert
 * output logs them with tagged-packets on (output-json-alert.c: the common
 * header with event_type "packet", then the frame in base64 and its link
 * type). */
#include <stdio.h>

#include "../decode/decode.h"
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

/* (added) "anomaly" records of packets the decoder rejected, as Suricata's
 * anomaly logger (output-json-anomaly.c) with types.decode on: the header,
 * then {"type": "decode", "event": "decoder.<name>"}, the name as the
 * decode-event rules spell it. */
static void build_anomaly(struct json_w *j, const struct eve_writer *w, const void *arg)
{
	const struct packet *p = arg;
	char ev[64];

	snprintf(ev, sizeof(ev), "decoder.%s", decode_err_name(p->err));
	json_obj_open(j, NULL);
	eve_put_header(j, w, p, "anomaly", NULL);
	json_obj_open(j, "anomaly");
	json_str(j, "type", "decode");
	json_str(j, "event", ev);
	json_obj_close(j);
	eve_close_record(j, w);
}

void eve_write_anomaly(struct eve_writer *w, const struct packet *p)
{
	eve_emit(w, EVE_T_ANOMALY, build_anomaly, p);
}
