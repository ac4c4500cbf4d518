/* SPDX-License-Identifier: MIT */
/* Framing and request encoding (see mgmt_frame.h and PROTOCOL.md). */
#include <errno.h>
#include <string.h>

#include "mgmt_frame.h"

static const char *const bad_names[MGMT_BAD_MAX] = {
	[MGMT_BAD_NONE] = "none",
	[MGMT_BAD_OVERSIZED] = "oversized",
	[MGMT_BAD_EMPTY] = "empty",
	[MGMT_BAD_TYPE] = "unknown_type",
	[MGMT_BAD_FLAGS] = "bad_flags",
	[MGMT_BAD_ARGS] = "bad_args",
	[MGMT_BAD_CHARS] = "bad_chars",
};

const char *mgmt_bad_name(enum mgmt_bad bad)
{
	return bad < MGMT_BAD_MAX ? bad_names[bad] : "?";
}

static int known_type(uint8_t t)
{
	switch (t) {
	case MGMT_F_HELLO: case MGMT_F_CHALLENGE: case MGMT_F_AUTH_OK:
	case MGMT_F_AUTH_FAIL: case MGMT_F_REPLY: case MGMT_F_PART: case MGMT_F_STREAM:
	case MGMT_F_ERROR: case MGMT_F_AUTH_START: case MGMT_F_AUTH_STEP:
	case MGMT_F_REQUEST: case MGMT_F_CANCEL:
		return 1;
	default:
		return 0;
	}
}

int mgmt_frame_parse(const uint8_t *buf, size_t len, size_t max, struct mgmt_frame *f,
		     enum mgmt_bad *bad)
{
	uint32_t n;

	*bad = MGMT_BAD_NONE;
	if (len < 4)
		return 0;
	n = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
	if (n == 0) {
		*bad = MGMT_BAD_EMPTY;
		return -EPROTO;
	}
	if (n > max) {
		*bad = MGMT_BAD_OVERSIZED;
		return -EMSGSIZE;
	}
	if (len < 5)
		return 0;
	if (!known_type(buf[4])) {
		*bad = MGMT_BAD_TYPE;
		return -EPROTO;
	}
	if (len - 4 < n)
		return 0;
	f->type = buf[4];
	f->payload = buf + 5;
	f->len = n - 1;
	return (int)(n + 4);
}

void mgmt_frame_header(uint8_t hdr[MGMT_FRAME_HDR], uint8_t type, size_t n)
{
	uint32_t v = (uint32_t)n + 1;

	hdr[0] = (uint8_t)(v >> 24);
	hdr[1] = (uint8_t)(v >> 16);
	hdr[2] = (uint8_t)(v >> 8);
	hdr[3] = (uint8_t)v;
	hdr[4] = type;
}

static int arg_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int mgmt_request_parse(const uint8_t *p, size_t len, struct mgmt_request *req,
		       enum mgmt_bad *bad)
{
	size_t off = 1;

	*bad = MGMT_BAD_NONE;
	req->argc = 0;
	if (len < 1) {
		*bad = MGMT_BAD_ARGS;
		return -EINVAL;
	}
	req->flags = p[0];
	if (req->flags & ~MGMT_REQ_FLAGS_KNOWN) {
		*bad = MGMT_BAD_FLAGS;
		return -EINVAL;
	}
	while (off < len) {
		const char *a = (const char *)p + off;
		const uint8_t *nul = memchr(a, '\0', len - off);
		size_t n;

		if (!nul || req->argc == MGMT_REQ_MAX_ARGS) {
			*bad = MGMT_BAD_ARGS;
			return -EINVAL;
		}
		n = (size_t)(nul - (const uint8_t *)a);
		if (n == 0 || n > MGMT_REQ_MAX_ARG) {
			*bad = MGMT_BAD_ARGS;
			return -EINVAL;
		}
		if (!arg_ok(a, n)) {
			*bad = MGMT_BAD_CHARS;
			return -EINVAL;
		}
		req->argv[req->argc++] = a;
		off += n + 1;
	}
	if (req->argc == 0) {
		*bad = MGMT_BAD_ARGS;
		return -EINVAL;
	}
	return 0;
}

int mgmt_request_encode(uint8_t flags, int argc, char *const argv[], uint8_t *out, size_t cap)
{
	size_t off = 1;

	if (argc < 1 || argc > MGMT_REQ_MAX_ARGS || (flags & ~MGMT_REQ_FLAGS_KNOWN))
		return -EINVAL;
	if (cap < 1)
		return -ENOSPC;
	out[0] = flags;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (n == 0 || n > MGMT_REQ_MAX_ARG || !arg_ok(argv[i], n))
			return -EINVAL;
		if (cap - off < n + 1)
			return -ENOSPC;
		memcpy(out + off, argv[i], n + 1);
		off += n + 1;
	}
	return (int)off;
}
