/* SPDX-License-Identifier: MIT */
/* The pipeline's app-layer steps (pipeline_app.c): feeding the parsers of a
 * flow from its streams or datagrams, and the app-layer fields of alerts. */
#ifndef IDS_PIPELINE_APP_H
#define IDS_PIPELINE_APP_H

#include "pipeline.h"

/* The new in-order bytes of p's flow (TCP: both directions, as far as the
 * stream hands them over; flush: all of it, at flow end) or p's datagram
 * (UDP) go to the flow's parsers; the state is attached on first data.
 * True when protocol detection turned the flow around (a TCP session
 * picked up midstream whose first bytes were the server's): p's direction
 * is then the other one, and so is each stream's; a stream window the
 * caller holds for p must take the other direction too. */
bool pipeline_app_feed(struct pipeline *pl, struct packet *p, bool flush);

/* Whether TCP packet p hands direction dir's stream data to the parsers.
 * Suricata's IDS mode hands a direction's data over on a packet of the other
 * direction, that acknowledges it, never on the handshake's SYN/ACK; a pure
 * ACK does not hand over its own direction (a data packet still may: what a
 * one-sided stream lets go unacked; a RST hands over both). Inline mode
 * parses data on the packet that carries it. */
bool pipeline_app_feeds_dir(bool stream_inline, const struct packet *p, uint8_t dir);

/* Before writing alert a of p on a flow with app state: sets the writer's
 * app-layer fields (a stream match gets the oldest transaction held);
 * returns the packet to write it with. The caller clears them with
 * eve_writer_set_app(w, NULL) after the write. */
const struct packet *pipeline_app_alert_begin(struct pipeline *pl, const struct packet *p,
					      const struct detect_alert *a);

/* (added) Per-transaction EVE records (http, dns, tls): each transaction
 * the app layer lets go is written to pl->eve with its flow's header. */
void pipeline_app_log_txs(struct pipeline *pl);

#endif
