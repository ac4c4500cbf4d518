/* SPDX-License-Identifier: MIT */
/* Internals shared by the app-layer files; not part of the public API. */
#ifndef IDS_APPLAYER_INT_H
#define IDS_APPLAYER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "applayer.h"

#define APP_PROBE_MIN 8u          /* bytes a direction needs before it is judged */
#define APP_TX_UPDATED 3u         /* app_tx.updated: changed, due in both directions */

struct wmem;

/* Growable byte buffer: bodies, raw headers, built buffers. Its bytes come
 * from the worker's pool when mem is set (buffers that every flow fills:
 * bodies), else from malloc. */
struct abuf {
	uint8_t *p;
	uint32_t len, cap;
	struct wmem *mem;
};

int abuf_append(struct abuf *b, const void *data, uint32_t len);
/* Room for len bytes more past b->len (written then by the caller, who
 * moves len on); -ENOMEM, b untouched, when there is none. */
int abuf_reserve(struct abuf *b, uint32_t len);
/* Appends at most limit - len bytes; returns the bytes dropped. */
uint32_t abuf_append_max(struct abuf *b, const void *data, uint32_t len, uint32_t limit);
void abuf_free(struct abuf *b);

/* What every protocol's transaction starts with. */
struct app_tx {
	uint64_t id;
	uint8_t updated;          /* bit per enum app_dir: new data not inspected in it */
	uint64_t events;          /* (added) the parser's events on it: bit per id of its
				   * protocol's list in common/events-t.h */
	uint64_t events_taken;    /* (added) those given to the owner (app_tx_take_events) */
	bool done;                /* (added) given to the owner (app_tx_done) already */
	uint32_t nmark, capmark;
	uint32_t *mark;           /* ranks of the rules that alerted on it */
	void *det;                /* detection's own state (app_tx_set_detect_state) */
	void (*det_free)(void *);
};

void app_tx_release(struct app_tx *tx);
/* (added) Raise event id (of the transaction's protocol) on tx: the
 * transaction is due for inspection again in both directions, unless it
 * carried the event already. */
void app_tx_event(struct app_tx *tx, unsigned id);

struct applayer_ctx {
	struct applayer_config cfg;
	struct app_expect *own_expect; /* made here when cfg.expect was NULL */
	struct applayer_stats stats;
	void *htp_cfg;            /* htp_cfg_t *, shared by this worker's flows */
	struct wmem *mem;         /* the worker's pool for transaction bodies */
	app_tx_done_fn tx_done;   /* (added) see applayer_set_tx_done() */
	struct file_magic *magic; /* (added) libmagic for APP_FILE_MAGIC, else NULL */
	app_file_done_fn file_done; /* (added) see applayer_set_file_done() */
	void *file_done_arg;
	app_tx_done_fn events_done; /* (added) see applayer_set_events_done() */
	void *events_done_arg;
	void *tx_done_arg;
	app_order_fn order;       /* (added) see applayer_set_order() */
	void *order_arg;
	/* the strings of the last app_http_info call (EVE writes them at
	 * once): one buffer reused, not a copy of each per transaction */
	struct abuf info_str;
};

/* The context's expectation table (app_expect.c). */
struct app_expect *app_ctx_expect(const struct applayer_ctx *ctx);
/* (added) The context's expectation table, once it is this worker's turn
 * at it (applayer_set_order). */
static inline struct app_expect *app_ctx_expect_ordered(struct applayer_ctx *ctx)
{
	if (ctx->order != NULL)
		ctx->order(ctx->order_arg);
	return app_ctx_expect(ctx);
}

/* A transaction is let go: tell the owner (applayer_set_tx_done). */
void app_tx_done(struct app_flow *af, struct app_tx *tx);

struct http_state;
struct tls_state;
struct dns_state;
struct ssh_state;
struct smtp_state;
struct ftp_state;
struct ftpdata_state;

struct app_flow {
	struct applayer_ctx *ctx; /* the worker's context it belongs to */
	uint8_t ipproto;
	uint8_t proto;            /* enum app_proto */
	bool failed[2];           /* direction judged: no known protocol */
	bool gave_up;             /* the parser refused the stream */
	bool unlogged;            /* (added) app_flow_unlogged(): nothing more to the log */
	bool detect_only;         /* the protocol is known, its parser disabled */
	bool eof[2];              /* the direction ended (app_flow_eof) */
	uint8_t inspection;       /* enum app_inspection */
	bool banner220;           /* the server greeted with "220" (SMTP or FTP) */
	uint16_t cport, sport;
	uint8_t ip_ver;           /* 0: addresses unknown (app_flow_set_addrs) */
	union ip_addr caddr, saddr; /* the client's, the server's */
	uint64_t next_tx_id;
	void *owner;              /* (added) app_flow_set_owner() */
	struct abuf probe[2];     /* first bytes of each direction while undecided */
	/* (added) Suricata's generic app-layer events (applayer_events.c) */
	uint8_t first_dir;        /* 1 + the direction of the flow's first data; 0: none */
	bool judged[2];           /* the direction's first bytes were probed */
	uint8_t pev;              /* 1 << (enum pkt_event - PEV_APPLAYER_FIRST), not taken */
	uint32_t undecided[2];    /* bytes of each direction while no protocol is known */
	/* (added) what detection decided for each direction (Suricata's
	 * alproto_ts, alproto_tc; enum app_proto): the protocol its bytes
	 * started, APP_PROTO_FAILED where it was given up, APP_PROTO_UNKNOWN
	 * while undecided */
	uint8_t dir_proto[2];
	/* (added) app_flow_allow_reverse(), app_flow_take_reversed() */
	bool may_reverse;
	bool reversed;
	/* (added) a protocol change (app_change.c): Suricata's alproto_orig and
	 * alproto_expect, and the old parser's state until the new protocol
	 * is decided */
	uint8_t proto_orig;       /* the protocol before the change; 0: none asked */
	uint8_t proto_expect;     /* the protocol asked for; APP_PROTO_UNKNOWN: any */
	bool changing;            /* asked for, not decided yet */
	void *orig_state;         /* the old parser's, once detection started over */
	/* (added) during app_flow_stream_data: the bytes handed over and the
	 * stream sequence number of the first (feed_len 0: none) */
	const uint8_t *feed;
	uint32_t feed_len, feed_seq;
	/* (added) by direction: the stream sequence number past the last byte
	 * app_flow_stream_data handed over (fed: some were) */
	uint32_t fed_end[2];
	bool fed[2];
	union {
		void *state;          /* whichever is set */
		struct http_state *http;
		struct tls_state *tls;
		struct dns_state *dns;
		struct ssh_state *ssh;
		struct smtp_state *smtp;
		struct ftp_state *ftp;
		struct ftpdata_state *ftpdata;
	};
};

/* applayer_events.c: Suricata 7's generic app-layer events (app-layer.c),
 * raised on the flow for app_flow_take_pkt_events(); af->first_dir is set
 * before any of them is called. app_ev_undecided(): len bytes of dir left
 * the protocol unknown; true when detection must be given up
 * (applayer_proto_detection_skipped). app_ev_detected(): dir's bytes
 * started protocol p; true when the app layer must give the flow up
 * (applayer_wrong_direction_first_data). app_ev_other_dir(): the first
 * bytes of the direction that did not decide the protocol, once it is
 * known (applayer_mismatch_protocol_both_directions,
 * applayer_detect_protocol_only_one_direction). The last two record what
 * the other direction was judged (af->dir_proto) as Suricata does: the
 * protocol its bytes start, failed where only one direction has one. */
bool app_ev_undecided(struct app_flow *af, enum app_dir dir, uint32_t len);
bool app_ev_detected(struct app_flow *af, enum app_dir dir, enum app_proto p);
void app_ev_other_dir(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		      const uint8_t *d, uint32_t len);

/* applayer.c: protocol detection on len bytes of dir while the protocol
 * is unknown (APP_PROBE_MIN bytes judge a direction; once a protocol is
 * found its parser starts and gets both directions' early bytes). */
void app_detect_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		     const uint8_t *d, uint32_t len, uint64_t ts_us);
/* applayer.c: the app layer gives the flow up (Suricata's DisableAppLayer):
 * its protocol is failed, so is each direction's that was undecided, and
 * the probe bytes go. No parser state may be held. */
void app_disable(struct applayer_ctx *ctx, struct app_flow *af);
/* applayer.c: the parser's transactions handed to the owner
 * (app_tx_done), then its state freed; af->state is left dangling. */
void app_state_release(struct applayer_ctx *ctx, struct app_flow *af);

/* app_change.c (added): Suricata 7's protocol change
 * (AppLayerRequestProtocolChange). A parser asks for it when the rest of
 * the flow is another protocol (SMTP STARTTLS and FTP AUTH TLS accepted:
 * expect TLS; an HTTP CONNECT tunnel opened: expect any); false when a
 * change is under way already (the request is refused). From the next
 * bytes on, app_change_data() runs detection over again, the old parser
 * kept aside: a protocol found takes the flow (the old state released),
 * and if it is not the one expected, applayer_unexpected_protocol (and
 * applayer_no_tls_after_starttls when TLS was) are raised.
 * app_change_eof(): a direction ended with nothing decided: the app layer
 * gives up on the flow (failed), with the same events. */
bool app_flow_request_change(struct app_flow *af, enum app_proto expect);
int app_change_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		    const uint8_t *d, uint32_t len, uint64_t ts_us);
void app_change_eof(struct applayer_ctx *ctx, struct app_flow *af);
/* applayer_events.c: raise one of the generic app-layer events. */
void app_ev_raise(struct app_flow *af, enum pkt_event ev);

/* applayer_detect.c: which protocol these first bytes of dir start;
 * *other set when only the other direction's patterns found it (midstream
 * mode: the flow may run the other way). */
enum app_proto app_probe(const struct applayer_ctx *ctx, const struct app_flow *af,
			 enum app_dir dir, const uint8_t *d, uint32_t len, bool *other);

/* app_detect_plain.c: SMTP, FTP, SMB, SSH, DCERPC (TCP, detection only). */
enum app_proto app_probe_plain(const struct applayer_ctx *ctx, const struct app_flow *af,
			       enum app_dir dir, const uint8_t *d, uint32_t len);
/* A server greeting "220 " or "220-": SMTP or FTP, the client will tell. */
bool app_probe_banner220(const uint8_t *d, uint32_t len);

/* app_http.c */
void *app_http_config(const struct applayer_config *cfg);
void app_http_config_free(void *htp_cfg);
struct http_state *app_http_new(struct applayer_ctx *ctx, struct app_flow *af);
void app_http_free(struct http_state *hs);
int app_http_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		  const uint8_t *d, uint32_t len, uint64_t ts_us);
void app_http_eof(struct app_flow *af, enum app_dir dir);
uint32_t app_http_ntx(const struct http_state *hs);
struct app_tx *app_http_tx(struct http_state *hs, uint32_t i);
void app_http_inspected(struct app_flow *af, uint8_t dirs);
uint32_t app_http_buffer_offset(struct app_tx *tx, enum rule_buffer b);
int app_http_buffer_seq(struct app_tx *tx, enum rule_buffer b, uint32_t *seq);
bool app_http_stream_placed(const struct http_state *hs, enum app_dir dir, uint32_t seq,
			    uint32_t len);
/* Whether d[0..len) lies in the bytes app_flow_stream_data is handing over,
 * with *seq the stream sequence number of d[0]. */
bool app_feed_seq(const struct app_flow *af, const uint8_t *d, uint32_t len, uint32_t *seq);
int app_http_buffer(struct applayer_ctx *ctx, struct app_tx *tx, enum rule_buffer b,
		    uint32_t idx, const uint8_t **data, uint32_t *len);
int app_http_info(struct applayer_ctx *ctx, struct app_tx *tx, const char *xff_header,
		  struct app_http_info *out);
int app_http_urilen(struct applayer_ctx *ctx, struct app_tx *tx, bool raw, uint32_t *out);
/* The buffer can no longer appear: its part of the transaction is complete. */
bool app_http_buffer_final(const struct app_flow *af, struct app_tx *tx, enum rule_buffer b,
			   uint32_t idx);
/* libhtp has not begun the side of dir (request line, status line). */
bool app_http_side_unstarted(const struct app_tx *tx, enum app_dir dir);
/* app_http_file.c (added): the files of a side (*n of them), the range
 * a response's file is (set in out), a stream hole in dir. */
struct app_file;
struct app_file *const *app_http_files(struct app_tx *tx, enum app_dir dir, uint32_t *n);
void app_http_file_range(struct app_tx *tx, enum app_dir dir, struct app_file_info *out);
/* A file of tx in dir may have ended: tell the owner (file_done) when one
 * ended that is not logged yet. */
void app_file_event(struct app_flow *af, struct app_tx *tx, enum app_dir dir);

/* app_tls.c */
struct tls_state *app_tls_new(struct app_flow *af);
void app_tls_free(struct tls_state *ts);
int app_tls_data(struct applayer_ctx *ctx, struct tls_state *ts, enum app_dir dir,
		 const uint8_t *d, uint32_t len);
struct app_tx *app_tls_tx(struct tls_state *ts);
/* Encrypted application data started (after the ServerHello: a client's
 * 0-RTT data before it does not count, as Suricata's early data). */
bool app_tls_encrypted(const struct tls_state *ts);
int app_tls_buffer(struct tls_state *ts, enum rule_buffer b, uint32_t idx,
		   const uint8_t **data, uint32_t *len);
int app_tls_version(const struct tls_state *ts, uint32_t *out);
int app_tls_side_version(const struct tls_state *ts, enum app_dir dir, uint32_t *out);
uint32_t app_tls_ssl_state(const struct tls_state *ts);
int app_tls_chain_len(const struct tls_state *ts, uint32_t *out);
int app_tls_validity(const struct tls_state *ts, int64_t *not_before, int64_t *not_after);
int app_tls_info(struct tls_state *ts, struct app_tls_info *out);
bool app_tls_buffer_final(const struct app_flow *af, enum rule_buffer b, uint32_t idx);

/* app_ssh.c (added): the SSH identification strings, the records up to
 * NEWKEYS and the HASSH of each side's KEXINIT; one transaction. The
 * buffers' instance is the direction (0 the client's, 1 the server's). */
struct ssh_state *app_ssh_new(struct app_flow *af);
void app_ssh_free(struct ssh_state *ss);
/* 0, or -EINVAL once the side's data is refused (invalid_banner,
 * invalid_record raised, counted): the parser gives up on the flow. */
int app_ssh_data(struct applayer_ctx *ctx, struct ssh_state *ss, enum app_dir dir,
		 const uint8_t *d, uint32_t len);
struct app_tx *app_ssh_tx(struct ssh_state *ss);
/* Both sides sent NEWKEYS: the rest is encrypted, nothing more is parsed. */
bool app_ssh_encrypted(const struct ssh_state *ss);
/* Suricata's SSH log condition: both sides' banners read (hassh: both
 * sides past NEWKEYS), the two at the same step. */
bool app_ssh_log_due(const struct ssh_state *ss, bool hassh);
int app_ssh_buffer(struct ssh_state *ss, enum rule_buffer b, uint32_t idx,
		   const uint8_t **data, uint32_t *len);
bool app_ssh_buffer_final(const struct app_flow *af, enum rule_buffer b, uint32_t idx);
int app_ssh_info(const struct ssh_state *ss, struct app_ssh_info *out);

/* app_smtp.c (added): SMTP mails, their MIME attachments as file_data
 * (instance: the attachment), events. */
struct smtp_state *app_smtp_new(struct app_flow *af);
void app_smtp_free(struct smtp_state *ss);
int app_smtp_data(struct applayer_ctx *ctx, struct smtp_state *ss, enum app_dir dir,
		  const uint8_t *d, uint32_t len);
void app_smtp_eof(struct applayer_ctx *ctx, struct smtp_state *ss, enum app_dir dir);
uint32_t app_smtp_ntx(const struct smtp_state *ss);
struct app_tx *app_smtp_tx(struct smtp_state *ss, uint32_t i);
void app_smtp_inspected(struct smtp_state *ss, uint8_t dirs);
int app_smtp_buffer(struct app_tx *tx, uint32_t idx, const uint8_t **data, uint32_t *len);
bool app_smtp_buffer_final(const struct app_flow *af, struct app_tx *tx);
/* (added) The mail's attachments as files (to the server only). */
struct app_file *const *app_smtp_files(struct app_tx *tx, enum app_dir dir, uint32_t *n);

/* app_ftp.c (added): the FTP control connection (RFC 959): a transaction
 * per command with its reply, PORT's address for ftpbounce, and the data
 * connections PORT/EPRT/PASV/EPSV then RETR/STOR announce, as expectations. */
struct ftp_state *app_ftp_new(struct app_flow *af);
void app_ftp_free(struct ftp_state *fs);
int app_ftp_data(struct applayer_ctx *ctx, struct ftp_state *fs, enum app_dir dir,
		 const uint8_t *d, uint32_t len, uint64_t ts_us);
uint32_t app_ftp_ntx(const struct ftp_state *fs);
struct app_tx *app_ftp_tx(struct ftp_state *fs, uint32_t i);
void app_ftp_inspected(struct ftp_state *fs, uint8_t dirs);
bool app_ftp_bounce(const struct app_flow *af, const struct app_tx *tx);
/* Whether the connection announced any transfer (its end then drops what
 * is left of them). */
bool app_ftp_announced(const struct ftp_state *fs);
int app_ftp_info(const struct app_tx *tx, struct app_ftp_info *out);
void app_smtp_info(const struct smtp_state *ss, const struct app_tx *tx,
		   struct app_smtp_info *out);

/* (added) What an FTP control connection's RETR or STOR tells the data
 * connection it announces (the expectation's data, one malloc): the
 * command, the direction the file flows in, and the file's name, the
 * command's argument as sent (Suricata's FtpTransferCmd). */
enum app_ftp_xfer_cmd { APP_FTP_RETR = 1, APP_FTP_STOR };
struct app_ftp_xfer {
	uint8_t cmd;              /* enum app_ftp_xfer_cmd */
	uint8_t dir;              /* enum app_dir */
	uint16_t name_len;
	char name[];
};

/* app_ftpdata.c (added): an FTP data connection (Suricata's ftp-data
 * parser): one transaction, the file xfer announced (xfer owned from here;
 * NULL: none known), opened at its first byte in its direction, closed
 * complete when that direction ends. NULL on no memory (xfer freed). */
struct ftpdata_state *app_ftpdata_new(struct app_flow *af, struct app_ftp_xfer *xfer);
void app_ftpdata_free(struct ftpdata_state *fs);
void app_ftpdata_data(struct applayer_ctx *ctx, struct ftpdata_state *fs, enum app_dir dir,
		      const uint8_t *d, uint32_t len);
void app_ftpdata_eof(struct ftpdata_state *fs, enum app_dir dir);
uint32_t app_ftpdata_ntx(const struct ftpdata_state *fs);
struct app_tx *app_ftpdata_tx(struct ftpdata_state *fs, uint32_t i);
void app_ftpdata_inspected(struct ftpdata_state *fs, uint8_t dirs);
struct app_file *const *app_ftpdata_files(struct ftpdata_state *fs, enum app_dir dir,
					  uint32_t *n);
bool app_ftpdata_done(const struct ftpdata_state *fs, enum app_dir dir);
/* (added) file_data: the transfer's first bytes so far, in its direction
 * only (-ENOENT: the other direction, or nothing came yet). */
int app_ftpdata_buffer(const struct ftpdata_state *fs, enum app_dir dir, const uint8_t **data,
		       uint32_t *len);
int app_ftpdata_info(const struct ftpdata_state *fs, struct app_ftpdata_info *out);

/* app_expect.c (added): what identifies an expectation. addr: the two
 * addresses (either order); port: the coming connection's server port;
 * dir: the direction its first data flows in; proto: what it gets. */
struct app_expect_key {
	uint8_t ip_ver;
	uint8_t dir;              /* enum app_dir */
	uint8_t proto;            /* enum app_proto */
	uint16_t port;
	union ip_addr addr[2];
};

/* Adds one for owner (the announcing app_flow), announced at ts_us, with
 * data for the coming flow (malloc'd, NULL: none; the table owns it from
 * here, freed whatever happens); 0, or -ENOSPC when the table is full
 * (counted). */
int app_expect_add(struct app_expect *x, const struct app_expect_key *k, const void *owner,
		   uint64_t ts_us, void *data);
/* The protocol the expectations matching the flow of k give it (proto
 * ignored; its first data at now_us), those expectations gone;
 * APP_PROTO_UNKNOWN when none. The pair's others past their time are
 * dropped. data (may be NULL): the last match's data, the caller's to
 * free (NULL when none). */
enum app_proto app_expect_take(struct app_expect *x, const struct app_expect_key *k,
			       uint64_t now_us, void **data);
/* Drops owner's expectations (its flow ends). */
void app_expect_forget(struct app_expect *x, const void *owner);

/* app_dns.c: DNS messages, over UDP (one per datagram) or TCP (length
 * prefixed). */
struct dns_state *app_dns_new(struct app_flow *af);
void app_dns_free(struct dns_state *ds);
int app_dns_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		 const uint8_t *d, uint32_t len);
uint32_t app_dns_ntx(const struct dns_state *ds);
struct app_tx *app_dns_tx(struct dns_state *ds, uint32_t i);
void app_dns_inspected(struct app_flow *af, uint8_t dirs);
int app_dns_buffer(struct app_tx *tx, enum rule_buffer b, uint32_t idx,
		   const uint8_t **data, uint32_t *len);
int app_dns_opcode(const struct app_tx *tx, uint32_t *out);
int app_dns_rcode(const struct app_tx *tx, uint32_t *out);
int app_dns_rrtype(const struct app_tx *tx, uint32_t idx, uint32_t *out);
int app_dns_info(struct app_tx *tx, struct app_dns_info *out);
/* Is d a plausible DNS message header (for detection)? tcp: with the
 * 2-byte length prefix. */
bool app_dns_probe(const uint8_t *d, uint32_t len, bool tcp);

#endif
