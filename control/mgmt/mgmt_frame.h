/* SPDX-License-Identifier: MIT */
/* The management wire protocol's framing and request encoding, shared by
 * the server and idsctl (PROTOCOL.md). Pure functions over buffers: no I/O,
 * no allocation, so the fuzz target drives them directly.
 *
 *   0        1        2        3        4
 *   +--------+--------+--------+--------+--------+-------------------+
 *   |   length = 1 + n (u32, big endian)| type   | payload (n bytes) |
 *   +--------+--------+--------+--------+--------+-------------------+
 */
#ifndef IDS_MGMT_FRAME_H
#define IDS_MGMT_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define MGMT_PROTO_NAME "IDS-MGMT/1"
#define MGMT_FRAME_HDR 5u
#define MGMT_FRAME_MAX_DEFAULT 65536u	/* largest length field accepted */
#define MGMT_FRAME_MIN_MAX 1024u	/* smallest max a peer may configure */

/* Frame types: server to client in lower case would be ambiguous to read in
 * a capture, so each direction has its own letters. */
enum mgmt_frame_type {
	/* server -> client */
	MGMT_F_HELLO = 'H',		/* "IDS-MGMT/1 MECH MECH ..." */
	MGMT_F_CHALLENGE = 'C',		/* SASL server data, auth continues */
	MGMT_F_AUTH_OK = 'K',		/* SASL final server data (may be empty) */
	MGMT_F_AUTH_FAIL = 'F',		/* one-line reason; the server closes */
	MGMT_F_REPLY = 'R',		/* status byte + body (its last part) */
	MGMT_F_PART = 'P',		/* a part of a REPLY's body too large for one frame */
	MGMT_F_STREAM = 'S',		/* one line of a streamed reply */
	MGMT_F_ERROR = 'E',		/* protocol error text; the server closes */
	/* client -> server */
	MGMT_F_AUTH_START = 'A',	/* mech [NUL initial-response] */
	MGMT_F_AUTH_STEP = 'T',		/* SASL client data */
	MGMT_F_REQUEST = 'Q',		/* flags byte + NUL-terminated arguments */
	MGMT_F_CANCEL = 'X',		/* end the stream in progress */
};

/* REPLY status byte; idsctl maps each to its exit status. */
enum mgmt_status {
	MGMT_ST_OK = 0,
	MGMT_ST_USAGE = 1,		/* unknown command or bad arguments */
	MGMT_ST_DENIED = 2,		/* the caller's role is too low */
	MGMT_ST_FAILED = 3,		/* the backend failed */
	MGMT_ST_UNAVAILABLE = 4,	/* this node cannot do it (no backend) */
};

/* Request flags byte. */
#define MGMT_REQ_JSON 0x01u
#define MGMT_REQ_FLAGS_KNOWN MGMT_REQ_JSON

#define MGMT_REQ_MAX_ARGS 16
#define MGMT_REQ_MAX_ARG 256

/* Why a frame or request was refused (counted by the server). */
enum mgmt_bad {
	MGMT_BAD_NONE,
	MGMT_BAD_OVERSIZED,		/* length field above the maximum */
	MGMT_BAD_EMPTY,			/* length 0: no type byte */
	MGMT_BAD_TYPE,			/* unknown type letter */
	MGMT_BAD_FLAGS,			/* request flags with unknown bits */
	MGMT_BAD_ARGS,			/* no argument, too many, too long, unterminated */
	MGMT_BAD_CHARS,			/* an argument with control bytes */
	MGMT_BAD_MAX
};

struct mgmt_frame {
	uint8_t type;
	const uint8_t *payload;		/* points into the parsed buffer */
	size_t len;
};

struct mgmt_request {
	uint8_t flags;
	unsigned int argc;
	const char *argv[MGMT_REQ_MAX_ARGS];	/* point into the payload */
};

/* Parse one frame at the start of buf[0..len). Returns the bytes it spans
 * (> 0) with *f filled, 0 if more bytes are needed, or -EMSGSIZE
 * (length above max) / -EPROTO (empty or unknown type) with *bad set.
 * A frame is checked as soon as its header arrives, so an oversized one is
 * refused before its body is read. */
int mgmt_frame_parse(const uint8_t *buf, size_t len, size_t max, struct mgmt_frame *f,
		     enum mgmt_bad *bad);

/* Write a frame header for a payload of n bytes into hdr. */
void mgmt_frame_header(uint8_t hdr[MGMT_FRAME_HDR], uint8_t type, size_t n);

/* Split a REQUEST payload: a flags byte, then 1..MGMT_REQ_MAX_ARGS
 * arguments, each NUL-terminated, printable, at most MGMT_REQ_MAX_ARG
 * bytes. The payload must stay alive while req is used. 0, or -EINVAL with
 * *bad set. */
int mgmt_request_parse(const uint8_t *p, size_t len, struct mgmt_request *req,
		       enum mgmt_bad *bad);

/* Encode flags and argv into out[0..cap) as a REQUEST payload. Returns its
 * length, or -EINVAL (an argument too long or with control bytes, argc out
 * of range) / -ENOSPC. */
int mgmt_request_encode(uint8_t flags, int argc, char *const argv[], uint8_t *out, size_t cap);

/* A name for each reason ("oversized", ...), for counters and logs. */
const char *mgmt_bad_name(enum mgmt_bad bad);

#endif
