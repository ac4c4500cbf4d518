/* SPDX-License-Identifier: MIT */
/* A streaming MIME reader (RFC 2045, 2046) for a mail's DATA, fed line by
 * line (without CR LF): headers with folding, multipart bodies nested up to
 * MIME_MAX_DEPTH boundaries, and the parts that are attachments (a
 * Content-Disposition "attachment", or a filename or name parameter, as
 * Suricata's CTNT_IS_ATTACHMENT) decoded from base64, quoted-printable or
 * as is into one file each. Work per line is bounded by the line. With
 * mime_track(), each attachment is also a tracked file (app_file.c: size,
 * hashes, magic over all its decoded bytes, not only those kept), named
 * as Suricata names it: its Content-Disposition's filename, else its
 * Content-Type's name, cut at MIME_MAX_FILENAME. */
#ifndef IDS_APP_MIME_H
#define IDS_APP_MIME_H

#include <stdbool.h>
#include <stdint.h>

#include "applayer-int.h"

#define MIME_MAX_DEPTH 8u
#define MIME_MAX_BOUNDARY 70u     /* RFC 2046 5.1.1 */
#define MIME_MAX_HEADER 1024u     /* a header line kept for parsing, folded */
#define MIME_MAX_FILES 16u        /* attachments kept per message */
#define MIME_FILE_MAX (1u << 20)  /* bytes kept per attachment */

enum mime_enc { MIME_ENC_IDENTITY, MIME_ENC_BASE64, MIME_ENC_QP };
/* (added) The message headers kept for EVE. */
enum mime_top { MIME_TOP_FROM, MIME_TOP_TO, MIME_TOP_CC, MIME_TOP_MAX };

/* What the reader found wrong, for SMTP's mime_* events. */
#define MIME_ERR_BASE64       0x01u
#define MIME_ERR_QP           0x02u
#define MIME_ERR_LONG_BOUNDARY 0x04u
#define MIME_ERR_LONG_HEADER  0x08u
#define MIME_ERR_LONG_FILENAME 0x10u
#define MIME_MAX_FILENAME 255u    /* Suricata's RS_MIME_MAX_TOKEN_LEN */

struct app_file;
struct file_magic;

struct mime_reader {
	bool in_headers;          /* reading a header block (the message's or a part's) */
	uint8_t depth;            /* boundaries open */
	char boundary[MIME_MAX_DEPTH][MIME_MAX_BOUNDARY + 1];
	char hdr[MIME_MAX_HEADER + 1]; /* the header being read, folded lines joined */
	uint32_t hdr_len;
	/* the header block being read */
	bool multipart, attachment;
	char pending_boundary[MIME_MAX_BOUNDARY + 1];
	uint8_t enc;              /* enum mime_enc */
	/* the body being read */
	bool body_file;           /* it goes to files[nfiles - 1] */
	bool body_started;        /* a line was appended (identity: CR LF before the next) */
	uint8_t b64[4];
	uint8_t nb64;
	uint8_t errors;           /* MIME_ERR_* */
	uint32_t closed;          /* files complete so far */
	uint32_t nfiles;
	struct abuf files[MIME_MAX_FILES];
	/* (added) the header block's file name: its filename parameter, else
	 * its name parameter (fname_from says which) */
	char fname[MIME_MAX_FILENAME + 1];
	uint16_t fname_len;
	uint8_t fname_from;       /* 0 none, 1 Content-Type name, 2 Content-Disposition */
	/* (added) tracked files (mime_track), one per attachment; NULL where
	 * opening failed (*nomem counted) */
	bool track;
	uint8_t hashes;           /* APP_FILE_* */
	struct file_magic *fm;
	uint64_t *nomem;
	struct app_file *tracked[MIME_MAX_FILES];
	/* (added) for EVE's "email" object: the message's From, To and Cc
	 * (folded lines joined, MIME_MAX_HEADER bytes at most), and the names
	 * of the attachments that are the message's own parts (Suricata lists
	 * its top entity's children only); a part past MIME_MAX_FILES is not
	 * named */
	char top[MIME_TOP_MAX][MIME_MAX_HEADER + 1];
	uint16_t top_len[MIME_TOP_MAX];
	bool has_top[MIME_TOP_MAX];
	bool headers_seen;        /* a line of the message's headers was read */
	uint8_t natt;
	char att[MIME_MAX_FILES][MIME_MAX_FILENAME + 1];
	uint16_t att_len[MIME_MAX_FILES];
};

void mime_init(struct mime_reader *m);
/* (added) Track the attachments as files from now on, hashing what hashes
 * asks (APP_FILE_* bits), libmagic fm (NULL: none); an allocation failure
 * is counted in *nomem. */
void mime_track(struct mime_reader *m, uint8_t hashes, struct file_magic *fm, uint64_t *nomem);
/* (added) The message was cut (the flow ended in it): the attachment open
 * is TRUNCATED, then as mime_end. */
void mime_truncate(struct mime_reader *m);
void mime_line(struct mime_reader *m, const uint8_t *line, uint32_t len);
/* The message ended (the DATA's final dot): the last part's pending bytes. */
void mime_end(struct mime_reader *m);
void mime_free(struct mime_reader *m);

#endif
