/* SPDX-License-Identifier: MIT */
/* Application-layer inspection: protocol detection per flow, the HTTP/1.x
 * (libhtp), TLS and DNS parsers, and the buffers detection inspects per
 * transaction. Fed with in-order bytes per direction (TCP: reassembled
 * stream; UDP: one datagram at a time). One context per worker; nothing
 * shared, no lock. */
#ifndef IDS_APPLAYER_H
#define IDS_APPLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../common/events-t.h"
#include "../../common/ip_addr-t.h"
#include "../../rules/rule-t.h"

/* Whether a protocol is detected and parsed (app-layer.protocols.X.enabled:
 * yes, detection-only, no). */
enum app_mode { APP_MODE_ON = 0, APP_MODE_DETECT_ONLY, APP_MODE_OFF };

/* A port list in rule syntax ("53", "[53, 5353]", "1024:"), as ranges. */
#define APP_PORTS_MAX 16
struct app_ports {
	uint8_t n;
	uint16_t lo[APP_PORTS_MAX], hi[APP_PORTS_MAX];
};

/* Parses s into *out; -EINVAL (err filled) on a bad port or too many. */
int app_ports_parse(const char *s, struct app_ports *out, char *err, size_t errlen);
bool app_ports_has(const struct app_ports *ps, uint16_t port);

/* Expectations (app_expect.c): connections a control connection announced
 * (FTP data), shared by every worker of a run (a data connection hashes to
 * any worker), bounded to cap entries (0: APP_EXPECT_DEFAULT_CAP). NULL on
 * allocation failure. */
#define APP_EXPECT_DEFAULT_CAP 4096u
struct app_expect;
struct app_expect_stats {
	uint64_t created, matched, expired;
	uint64_t evicted;         /* the oldest of a pair that had 10 */
	uint64_t refused;         /* not added: the table was full */
	uint32_t held;
};
struct app_expect *app_expect_create(uint32_t cap);
void app_expect_destroy(struct app_expect *x);
void app_expect_stats(struct app_expect *x, struct app_expect_stats *out);

/* tls.encryption-handling: once a TLS flow's encrypted application data
 * starts, its TLS fields and events are still inspected but not its packet
 * payload nor raw stream (Suricata 7's default); the flow is no longer
 * inspected at all (bypass); or everything still is (full). */
enum app_tls_encryption { APP_TLS_ENC_TRACK_ONLY, APP_TLS_ENC_BYPASS, APP_TLS_ENC_FULL };

/* What detection still inspects of a flow (app_flow_inspection). */
enum app_inspection { APP_INSPECT_ALL, APP_INSPECT_NO_PAYLOAD, APP_INSPECT_NONE };

/* app-layer.protocols.* as Suricata reads them. A zeroed struct means
 * Suricata's defaults everywhere; applayer_config_init() fills those in
 * explicitly (set = true) for a caller that overrides some. */
struct applayer_config {
	bool set;                        /* false: ignore the rest, use the defaults */
	uint8_t mode[2][APP_PROTO_MAX];  /* enum app_mode, [0] over TCP, [1] over UDP */
	/* http.libhtp.default-config; 0 limits mean unlimited, as libhtp's */
	uint32_t request_body_limit;     /* bytes of request body kept (100 KiB) */
	uint32_t response_body_limit;    /* bytes of response body kept (100 KiB) */
	uint32_t request_inspect_min;    /* request-body-minimal-inspect-size (32 KiB) */
	uint32_t response_inspect_min;   /* response-body-minimal-inspect-size (40 KiB) */
	uint8_t tls_encryption;          /* enum app_tls_encryption (track-only) */
	uint32_t request_inspect_window; /* request-body-inspect-window (4 KiB) */
	uint32_t response_inspect_window; /* response-body-inspect-window (16 KiB) */
	uint32_t decompress_layer_limit; /* gzip/deflate layers unwrapped (2) */
	bool double_decode_path;         /* %-decode the path twice */
	bool double_decode_query;        /* and the query */
	bool uri_include_all;            /* http.uri carries scheme, host and port too */
	uint32_t http_max_tx;            /* max-tx: transactions held per flow (512) */
	/* dns.{tcp,udp}.detection-ports: dp server ports, sp client ports (dp 53) */
	struct app_ports dns_dp[2], dns_sp[2];
	/* (added) files (EVE fileinfo): opened and kept at all (their
	 * events are raised either way), and the hashes computed
	 * (APP_FILE_* bits; force-hash) */
	bool files;
	uint8_t file_hashes;
	/* (added) EVE http custom/dump-all-headers: give each side's headers */
	bool http_headers;
	/* (added) EVE dns answers: keep the records of responses */
	bool dns_rdata;
	/* (added) app-layer.protocols.ssh.hassh (or a rule's HASSH keyword):
	 * fingerprint each side's KEXINIT */
	bool ssh_hassh;
	/* (added) the response decompressors' events are wanted (a rule's
	 * app-layer-event, or EVE anomaly records of the app layer): bodies
	 * are inflated to their end, not only up to response_body_limit */
	bool http_coding_events;
	/* (added) stream.midstream: bytes that start no protocol by their own
	 * direction's patterns are tried against the other direction's, as
	 * Suricata's detection does in midstream mode (app-layer-detect-proto.c) */
	bool midstream;
	/* (added) the run's expectation table, shared by its workers (not
	 * owned); NULL: each context makes one of its own */
	struct app_expect *expect;
};

void applayer_config_init(struct applayer_config *cfg);

/* Bad input is counted per reason, never logged per packet. */
struct applayer_stats {
	uint64_t flows[APP_PROTO_MAX];   /* flows by detected protocol */
	uint64_t gap[APP_PROTO_MAX];     /* (added) stream holes a protocol's parser refused */
	uint64_t http_txs, tls_sessions, dns_msgs;
	uint64_t http_errors;            /* libhtp refused the stream */
	uint64_t http_max_tx;            /* flows that reached max-tx: parsing stopped */
	uint64_t tls_bad_record;         /* record/handshake length or type errors */
	uint64_t tls_bad_cert;           /* certificate not parsed by GnuTLS */
	uint64_t dns_bad;                /* truncated message, bad label length */
	uint64_t dns_loop;               /* compression pointer loop or too many jumps */
	uint64_t body_truncated;         /* body bytes beyond the configured limit */
	uint64_t body_not_encoded;       /* request body not in its Content-Encoding */
	uint64_t inflate_stopped;        /* response bodies not inflated past their limit */
	uint64_t http_files_max;         /* multipart file parts past a request's 8: not tracked */
	uint64_t ftp_txs;                /* FTP commands (and unsolicited replies) */
	uint64_t ftp_bad;                /* malformed FTP lines and arguments */
	uint64_t ftp_max_tx;             /* FTP commands past the held limit: oldest dropped */
	uint64_t ftp_reply_cut;          /* FTP reply lines past a transaction's kept bytes (EVE) */
	uint64_t smtp_rcpt_cut;          /* SMTP RCPT TO past a mail's kept bytes (EVE) */
	uint64_t ssh_bad;                /* SSH banner or record refused: parsing given up */
	uint64_t ssh_kex_bad;            /* SSH KEXINIT not fingerprinted: malformed, or past
					  * 64 KiB (long_kex_record) */
	uint64_t nomem;
};

struct applayer_ctx;
struct app_flow;
struct app_tx;

/* NULL on allocation failure. cfg may be NULL (defaults). */
struct applayer_ctx *applayer_ctx_create(const struct applayer_config *cfg);
void applayer_ctx_destroy(struct applayer_ctx *ctx);
/* (added) Files from now on tracked (cfg.files), computing at least
 * hashes (APP_FILE_* bits) more: what a reloaded rule set's file keywords
 * need. Called on the context's own worker thread (libmagic, when magic
 * is newly asked for, is opened here: -ENOMEM/-EINVAL when it cannot be,
 * the rest applied); 0 otherwise. Files already open keep what they
 * compute. */
int applayer_ctx_need_files(struct applayer_ctx *ctx, uint8_t hashes);
const struct applayer_stats *applayer_ctx_stats(const struct applayer_ctx *ctx);
/* The worker's pool (common/wmem.h) that per-flow and per-transaction
 * state of other layers may take its memory from: it outlives every flow
 * of the worker. */
struct wmem *applayer_ctx_mem(const struct applayer_ctx *ctx);
/* (added) What rules need of the app layer beyond its configuration, as
 * Suricata's keywords switch these on: once asked for, kept. */
enum app_need {
	APP_NEED_HASSH = 1u << 0,          /* cfg.ssh_hassh */
	APP_NEED_CODING_EVENTS = 1u << 1,  /* cfg.http_coding_events */
};
void applayer_config_need(struct applayer_config *cfg, unsigned needs);
/* The same from now on, for a context's own worker (a reloaded rule set). */
void applayer_ctx_need(struct applayer_ctx *ctx, unsigned needs);

/* Per-flow state for a tcp (6) or udp (17) flow between a client port and a
 * server port (ports are hints for detection; content decides). NULL when
 * the flow cannot be parsed (other protocol) or on allocation failure. */
struct app_flow *app_flow_new(struct applayer_ctx *ctx, uint8_t ipproto, uint16_t client_port,
			      uint16_t server_port);
void app_flow_free(struct applayer_ctx *ctx, struct app_flow *af);
/* (added) af's transactions still held go unlogged when its state goes
 * (app_flow_free, app_flow_retire): a flow forced out at flow.memcap, whose
 * state Suricata 7 frees without logging it (FlowGetUsedFlow's
 * FlowClearMemory). */
void app_flow_unlogged(struct app_flow *af);
/* (added) af's parser state goes (its transactions still held logged, as
 * app_flow_free), its protocol stays known: a closed session's, whose
 * bytes have all been parsed, while the flow waits for its timeout. Not an
 * FTP control connection's, whose announced transfers stay expected until
 * app_flow_free. */
void app_flow_retire(struct applayer_ctx *ctx, struct app_flow *af);

enum app_dir { APP_TO_SERVER = 0, APP_TO_CLIENT = 1 };

/* New bytes of one direction, in order (TCP) or one datagram (UDP). ts_us:
 * capture time. Detects the protocol on the first bytes, then parses.
 * Transactions touched get marked updated until app_flow_inspected().
 * Returns 0, or -EINVAL once the parser has given up on the flow (counted;
 * later data is ignored). */
int app_flow_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		  const uint8_t *data, uint32_t len, uint64_t ts_us);
/* (added) app_flow_data for TCP stream bytes whose first is stream
 * sequence number seq: a buffer the parser makes of them as they are (an
 * identity-encoded HTTP body) keeps their place in the stream
 * (app_tx_buffer_seq), so detection can take its prefilter hits from the
 * stream's scan instead of scanning the bytes again. */
int app_flow_stream_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
			 const uint8_t *data, uint32_t len, uint32_t seq, uint64_t ts_us);
/* (added) Suricata's generic app-layer events (app-layer-event:applayer_*)
 * that the data given since the last call raised, added to *ev: the caller
 * sets them on the packet whose processing gave that data. */
void app_flow_take_pkt_events(struct app_flow *af, struct pkt_events *ev);

/* (added) The owner can turn af around: a TCP session picked up midstream
 * from a packet that was no SYN/ACK (Suricata 7 reverses only such a flow:
 * TCPProtoDetect, STREAMTCP_FLAG_MIDSTREAM without _SYNACK). Then bytes
 * that start a protocol only by the other direction's patterns (midstream
 * mode), while the other direction has started none, turn af's client and
 * server around before they are parsed, and app_flow_take_reversed() says
 * so: the owner must turn the rest of the flow around (its per-direction
 * state, and the packet that gave those bytes). */
void app_flow_allow_reverse(struct app_flow *af);
/* (added) Whether af was turned around since the last call. */
bool app_flow_take_reversed(struct app_flow *af);

/* The direction ended (FIN/RST or flow end): close-delimited bodies end and
 * bodies shorter than the minimal inspection size are inspected. */
void app_flow_eof(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir);

/* (added) The flow's addresses (ip_ver 4 or 6, network order): the
 * client's and the server's, for expectations and ftpbounce. Unset: no
 * expectation is announced or taken. */
void app_flow_set_addrs(struct app_flow *af, uint8_t ip_ver, const union ip_addr *client,
			const union ip_addr *server);

enum app_proto app_flow_proto(const struct app_flow *af);
/* (added) What detection still inspects of the flow: everything until the
 * parser says otherwise (TLS application data, tls.encryption-handling).
 * A change applies from the data that caused it on: its raw stream is not
 * inspected, nor the payload of the flow's later packets. */
enum app_inspection app_flow_inspection(const struct app_flow *af);
/* (added) The flow's protocols as EVE shows them (Suricata's
 * EveAddAppProto): app_proto; after a protocol change (STARTTLS, AUTH TLS,
 * CONNECT) the one before it (app_proto_orig) and the one asked for
 * (app_proto_expected, APP_PROTO_UNKNOWN when any would do); what each
 * direction's bytes were judged (app_proto_ts, app_proto_tc: the protocol
 * they start, failed where detection gave them up); each written only
 * where it differs from app_proto. 0 where none. */
struct app_protos {
	uint8_t proto, orig, expect;  /* enum app_proto */
	uint8_t dir[2];               /* by enum app_dir */
};
void app_flow_protos(const struct app_flow *af, struct app_protos *out);
/* The protocol whose transactions carry rule buffer b (APP_PROTO_UNKNOWN:
 * none). */
enum app_proto app_buffer_proto(enum rule_buffer b);
/* (added) Whether flows of protocol p carry buffer b: its protocol's, or
 * a file buffer (file.name, file.magic) of a protocol with files (HTTP,
 * SMTP, ftp-data: app_proto_has_files). */
bool app_buffer_in_proto(enum rule_buffer b, enum app_proto p);
bool app_proto_has_files(enum app_proto p);
/* The context af was created with (detection asks the parsers for buffers
 * through it). */
struct applayer_ctx *app_flow_ctx(const struct app_flow *af);

/* (added) Called once per transaction when the app layer lets it go: a
 * complete one after its last inspection, the rest (and a TLS session) at
 * app_flow_free(). tx is valid during the call only. For EVE's per-
 * transaction records; fn NULL: none. */
typedef void (*app_tx_done_fn)(void *arg, struct app_flow *af, struct app_tx *tx);
void applayer_set_tx_done(struct applayer_ctx *ctx, app_tx_done_fn fn, void *arg);
/* (added) A file of tx in direction dir ended (CLOSED, or TRUNCATED by the
 * parser) and was not logged yet: Suricata's file logger writes it at that
 * packet, not when its transaction goes. The owner logs it and marks it
 * (app_tx_file_set_logged); tx_done sees the rest. fn NULL: none. */
typedef void (*app_file_done_fn)(void *arg, struct app_flow *af, struct app_tx *tx,
				 enum app_dir dir);
void applayer_set_file_done(struct applayer_ctx *ctx, app_file_done_fn fn, void *arg);
/* (added) tx carries events not taken yet (app_tx_take_events), seen when
 * the packet that raised them has been inspected (app_flow_inspected*):
 * Suricata's anomaly logger writes app-layer events at that packet, not
 * when the transaction goes. The owner takes them; tx_done may find more.
 * fn NULL: none. */
void applayer_set_events_done(struct applayer_ctx *ctx, app_tx_done_fn fn, void *arg);
/* (added) Reading a capture with several workers, the run's expectation
 * table is read and changed in capture order: fn(arg) returns once every
 * packet read before the one this context's worker is handling is finished
 * (the capture-order gate, dataplane/hoststate/seq_gate.h). Called before a
 * transfer is announced, before a TCP flow whose protocol detection failed
 * looks for its announcement, and before a control connection that
 * announced any ends. fn NULL (one worker, live ports): no order kept. */
typedef void (*app_order_fn)(void *arg);
void applayer_set_order(struct applayer_ctx *ctx, app_order_fn fn, void *arg);
/* (added) tx's events not taken before; taken now. */
uint64_t app_tx_take_events(struct app_tx *tx);
/* (added) The owner's handle of af (the pipeline's flow), for tx_done. */
void app_flow_set_owner(struct app_flow *af, void *owner);
void *app_flow_owner(const struct app_flow *af);

/* Transactions still held, oldest first: i in [0, app_flow_ntx()). */
uint32_t app_flow_ntx(const struct app_flow *af);
struct app_tx *app_flow_tx(struct app_flow *af, uint32_t i);

/* Detection has run on every updated transaction (in both directions, or in
 * dir only, as Suricata inspects a direction with that direction's packets):
 * clear those marks and free the transactions that are complete and have
 * no direction left to inspect. */
void app_flow_inspected(struct applayer_ctx *ctx, struct app_flow *af);
void app_flow_inspected_dir(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir);

uint64_t app_tx_id(const struct app_tx *tx);          /* 0, 1, ... in each flow */
bool app_tx_updated(const struct app_tx *tx);          /* new data since the last inspection */
bool app_tx_updated_dir(const struct app_tx *tx, enum app_dir dir); /* not inspected in dir */
/* (added) The events the parser raised on tx (app-layer-event): a bit per id
 * of the flow's protocol's list in common/events-t.h. */
uint64_t app_tx_events(const struct app_tx *tx);

/* Buffer b of tx, instance idx (multi-buffers: DNS names, TLS
 * certificates and SANs, HTTP fields that exist in both directions: 0
 * request, 1 response; TLS fields of both directions: the direction; ALPN
 * names: 2 * k + direction). Returns 0 with data and len set (valid until the next call on
 * this flow), -ENOENT when absent (yet), -ERANGE past the last instance. */
int app_tx_buffer(struct applayer_ctx *ctx, struct app_flow *af, struct app_tx *tx,
		  enum rule_buffer b, uint32_t idx, const uint8_t **data, uint32_t *len);

/* Where the bytes app_tx_buffer gives of b start in the whole buffer:
 * non-zero for an HTTP body past its minimal inspection size, of which an
 * update gives the inspection window only (Suricata's inspect_offset).
 * Stays the same until the transaction is marked inspected. */
uint32_t app_tx_buffer_offset(const struct app_flow *af, struct app_tx *tx, enum rule_buffer b);

/* (added) 0 with *seq the stream sequence number of byte 0 of the whole
 * buffer b when all of it is the stream's bytes in order from there (an
 * HTTP body without transfer or content coding that came through
 * app_flow_stream_data); -ENOENT otherwise. */
int app_tx_buffer_seq(const struct app_flow *af, struct app_tx *tx, enum rule_buffer b,
		      uint32_t *seq);
/* (added) Whether stream bytes [seq, seq + len) of dir may hold a byte of a
 * buffer placed in the stream (app_tx_buffer_seq) of a transaction still
 * held: false only when all of them went through app_flow_stream_data and
 * none went into such a buffer (an HTTP response's headers, its body past
 * response-body-limit, or one chunked or coded). */
bool app_flow_stream_placed(const struct app_flow *af, enum app_dir dir, uint32_t seq,
			    uint32_t len);

/* (added) Whether buffer b, instance idx (as app_tx_buffer), can no longer
 * appear in tx: the part of the transaction that carries it is complete
 * (HTTP: its side's headers, or its body; TLS: the hello, or the handshake
 * past the Certificate; DNS: always, a message is parsed whole) or its
 * direction ended. -ENOENT from app_tx_buffer then means absent for good. */
bool app_tx_buffer_final(struct app_flow *af, struct app_tx *tx, enum rule_buffer b,
			 uint32_t idx);
/* (added) Nothing of tx's side dir is parsed yet and it can still come (its
 * direction did not end, the parser runs): every buffer of that side is
 * absent (-ENOENT or -ERANGE) and none is final. False when unsure (a
 * protocol without the notion). */
bool app_tx_dir_unstarted(const struct app_flow *af, const struct app_tx *tx, enum app_dir dir);

/* Integer fields for urilen, dns.opcode, tls.version: -ENOENT when absent. */
int app_tx_dns_opcode(const struct app_flow *af, const struct app_tx *tx, uint32_t *out);
int app_tx_dns_rcode(const struct app_flow *af, const struct app_tx *tx, uint32_t *out);
int app_tx_tls_version(const struct app_flow *af, uint32_t *out);
/* (added) ssl_state: the handshake states (APP_TLS_ST_*) that the TLS
 * parser's last run over the flow's data saw, as Suricata's SSLState
 * current_flags: cleared when a run starts on a record boundary, set to the
 * state of each client_hello, server_hello, server_key_exchange or
 * client_key_exchange parsed (the last one wins). -ENOENT: not TLS. */
#define APP_TLS_ST_CLIENT_HELLO 0x01u
#define APP_TLS_ST_SERVER_HELLO 0x02u
#define APP_TLS_ST_CLIENT_KEYX  0x04u
#define APP_TLS_ST_SERVER_KEYX  0x08u
#define APP_TLS_ST_UNKNOWN      0x10u
int app_tx_tls_ssl_state(const struct app_flow *af, uint32_t *out);
/* (added) ssl_version: the version side dir announced, as Suricata's
 * connp.version: its records' (SSLv3/TLS record header) until its hello
 * was parsed, then the hello's, a ServerHello's supported_versions
 * overriding it. -ENOENT: not TLS, or nothing seen from that side. */
int app_tx_tls_side_version(const struct app_flow *af, enum app_dir dir, uint32_t *out);
/* dns.rrtype: the type of question idx (-ERANGE past the last);
 * tls.cert_chain_len: certificates in the server's Certificate message. */
int app_tx_dns_rrtype(const struct app_flow *af, const struct app_tx *tx, uint32_t idx,
		      uint32_t *out);
int app_tx_tls_chain_len(const struct app_flow *af, uint32_t *out);
/* tls_cert_notbefore/notafter: the server's end-entity certificate's
 * validity, seconds since the epoch. */
int app_tx_tls_validity(const struct app_flow *af, int64_t *not_before, int64_t *not_after);
/* urilen: the length of the normalised (raw: as sent) URI. */
int app_tx_urilen(const struct app_flow *af, struct app_tx *tx, bool raw, uint32_t *out);
/* (added) ftpbounce: tx is an FTP PORT command whose address is not the
 * client's (an IPv6 client's PORT always names another host). */
bool app_tx_ftp_bounce(const struct app_flow *af, const struct app_tx *tx);
/* (added) ftpdata_command: the command (APP_FTPDATA_CMD_*) whose transfer an
 * ftp-data flow carries, known once its file opened (its first byte in the
 * announced direction, as Suricata's FTPDataParse takes it); -ENOENT
 * before, or on another protocol. */
#define APP_FTPDATA_CMD_RETR 1u
#define APP_FTPDATA_CMD_STOR 2u
int app_tx_ftpdata_command(const struct app_flow *af, uint32_t *out);

/* Detection's own memory per transaction (what it has scanned already):
 * owned by detection, handed to free_fn when the transaction goes. */
void *app_tx_detect_state(const struct app_tx *tx);
void app_tx_set_detect_state(struct app_tx *tx, void *state, void (*free_fn)(void *));

/* Rules already alerted on tx (per-transaction alerting): rank = the rule's
 * evaluation index. app_tx_mark returns -ENOMEM when it cannot remember. */
bool app_tx_marked(const struct app_tx *tx, uint32_t rank);
int app_tx_mark(struct app_tx *tx, uint32_t rank);

/* For EVE: the HTTP fields of tx as strings (NULL when absent) and the
 * numbers (-1 when absent); xff_header names the request header to give
 * as xff (X-Forwarded-For or what the output configures), NULL for none.
 * The strings live in one buffer of the worker's app layer, valid until
 * its next call (or the transaction's release): write them out at once. */
struct app_http_hdr {             /* (added) a header as sent, not NUL-terminated */
	const char *name, *value;
	uint32_t nlen, vlen;
};
#define APP_HTTP_HDRS_MAX 64u     /* headers given per side (custom, dump-all-headers) */
struct app_http_info {
	const char *hostname, *url, *user_agent, *method, *protocol, *content_type;
	const char *referer;
	const char *xff;              /* the request's X-Forwarded-For (or configured) header */
	const char *x_forwarded_for;  /* (added) the request's X-Forwarded-For ("xff") */
	const char *redirect;         /* (added) the response's Location */
	const char *content_range;    /* (added) the response's Content-Range, as sent */
	int64_t range_start, range_end, range_size;   /* (added) parsed from it, -1 absent */
	int port;                     /* (added) the port the Host or URI names, -1 none */
	int status;
	int64_t length;               /* response body bytes seen */
	/* (added) each side's headers in order (request 0, response 1), with
	 * applayer_config.http_headers only, else none */
	const struct app_http_hdr *hdrs[2];
	uint32_t nhdrs[2];
	/* (added) each side's body as buffered for inspection (dechunked,
	 * decompressed, within the body limits); valid until the next update */
	const uint8_t *body[2];
	uint32_t body_len[2];
};
int app_tx_http_info(struct applayer_ctx *ctx, struct app_flow *af, struct app_tx *tx,
		     const char *xff_header, struct app_http_info *out);
/* TLS session fields for EVE (NULL when absent). */
struct app_tls_info {
	const char *sni, *version, *subject, *issuer, *serial, *fingerprint;
	const char *ja3_hash, *ja3_string, *ja3s_hash, *ja3s_string;
	bool session_resumed;         /* (added) an abbreviated handshake (session id) */
	/* (added) the server certificate's validity, seconds since the epoch
	 * (EVE notbefore/notafter); has_validity false: no certificate read */
	bool has_validity;
	int64_t not_before, not_after;
};
int app_tx_tls_info(struct app_flow *af, struct app_tls_info *out);
/* DNS: the first query name and type, the header's id and flags (opcode
 * and rcode taken out), and whether tx is a response. */
/* (added) A resource record of a response's answer or authority section
 * as Suricata's EVE gives it (rdata as text for A/AAAA, the names of
 * CNAME/NS/PTR/MX, TXT's first string; SOA and SRV by fields; other types
 * without rdata). Strings are offsets into app_dns_info.text. */
enum app_dns_rdata { APP_DNS_RD_NONE, APP_DNS_RD_TEXT, APP_DNS_RD_SOA, APP_DNS_RD_SRV };
struct app_dns_rr {
	uint8_t authority;            /* the authority section, else the answer */
	uint8_t kind;                 /* enum app_dns_rdata */
	uint16_t type;
	uint32_t ttl;
	uint32_t name;                /* the owner name */
	uint32_t s1, s2;              /* TEXT: s1 the rdata; SOA: mname, rname; SRV: s1 target */
	uint32_t n[5];                /* SOA: serial refresh retry expire minimum; SRV: priority
				       * weight port */
	uint32_t s1_len;              /* TEXT: bytes of s1 (TXT may hold any byte) */
};
struct app_dns_info {
	const char *rrname;
	uint16_t rrtype, id, flags;
	bool response;
	uint8_t rcode, opcode;
	/* (added) with applayer_config.dns_rdata: the response's records */
	const struct app_dns_rr *rr;
	uint32_t nrr;
	const char *text;             /* NUL-separated strings the records point into */
};
int app_tx_dns_info(struct app_flow *af, struct app_tx *tx, struct app_dns_info *out);

/* (added) Files carried by transactions, for EVE "fileinfo" and the file
 * keywords: HTTP bodies as Suricata opens them (responses; PUT and POST
 * requests, a multipart POST's parts with a filename), named from
 * Content-Disposition's filename or the URI's path; SMTP attachments
 * (named by their part's filename or name); the file of an FTP data
 * connection (named by its RETR or STOR). */
#define APP_FILE_MD5    0x1u
#define APP_FILE_SHA1   0x2u
#define APP_FILE_SHA256 0x4u
#define APP_FILE_MAGIC  0x8u   /* (added) force-magic: libmagic's "magic" */
enum app_file_state { APP_FILE_OPEN = 1, APP_FILE_CLOSED, APP_FILE_TRUNCATED };
struct app_file_info {
	const char *name;             /* name_len bytes, not NUL-terminated */
	size_t name_len;
	uint64_t size, tx_id;
	bool closed;                  /* CLOSED, else TRUNCATED */
	const uint8_t *md5, *sha1, *sha256;   /* digests computed, else NULL */
	const char *magic;            /* (added) libmagic's description, else NULL */
	bool ended;                   /* (added) CLOSED or TRUNCATED: no more data comes */
	bool logged;                  /* (added) given to the file log already */
	/* (added) the part of the file this one is (a response's valid
	 * Content-Range: first and last byte offsets); end 0: not a part */
	uint64_t start, end;
};
/* File idx of those tx carries in direction dir (valid while tx is;
 * several: the parts of a multipart upload): 0, -ENOENT when it carries
 * none, -ERANGE past the last. */
int app_tx_file_info(struct app_flow *af, struct app_tx *tx, enum app_dir dir, uint32_t idx,
		     struct app_file_info *out);
/* (added) File idx of tx in dir was logged: not given again. */
void app_tx_file_set_logged(struct app_flow *af, struct app_tx *tx, enum app_dir dir,
			    uint32_t idx);
/* (added) An FTP data connection for EVE (Suricata's "ftp_data" object):
 * the transfer's file name and command ("RETR", "STOR"), known once its
 * first byte came (NULL before); -ENOENT on another protocol. */
struct app_ftpdata_info {
	const char *name;             /* name_len bytes, not NUL-terminated */
	size_t name_len;
	const char *command;
};
int app_tx_ftpdata_info(struct app_flow *af, struct app_ftpdata_info *out);
/* (added) A command of an FTP control connection for EVE (Suricata's
 * "ftp" object): valid while tx is; -ENOENT on another protocol. */
struct app_ftp_info {
	const char *command;          /* the command's name, NULL: a reply nobody asked for */
	uint32_t command_len;
	const uint8_t *request;       /* the command line, trailing blanks cut */
	uint32_t request_len;
	const char *reply;            /* its reply lines, each ended by '\n' */
	uint32_t reply_len;
	uint16_t dyn_port;            /* the data port its reply agreed on, 0: none */
	bool request_cut, reply_cut;  /* a line was past the line limit */
	bool port_cmd;                /* PORT or EPRT: "mode" is written */
	bool active;                  /* its reply agreed on an active data port */
	bool done;                    /* its final reply came */
};
int app_tx_ftp_info(struct app_flow *af, struct app_tx *tx, struct app_ftp_info *out);
/* (added) A mail of an SMTP session for EVE (Suricata's "smtp" and "email"
 * objects): valid while tx is; -ENOENT on another protocol. */
#define APP_SMTP_MAX_ATT 16u
struct app_smtp_info {
	const char *helo;             /* HELO/EHLO's argument, NULL: none */
	uint16_t helo_len;
	const char *mail_from;        /* MAIL FROM's, as sent ("<a@b>"), NULL: none */
	uint16_t mail_from_len;
	const char *rcpt;             /* RCPT TO's, each ended by '\n' */
	uint32_t rcpt_len;
	bool has_email;               /* a DATA was read: the fields below are set */
	const char *status;           /* Suricata's MIME parser state name */
	const char *hdr[3];           /* the message's From, To, Cc; NULL: absent */
	uint16_t hdr_len[3];
	uint8_t natt;                 /* attachments among the message's own parts */
	const char *att[APP_SMTP_MAX_ATT];
	uint16_t att_len[APP_SMTP_MAX_ATT];
};
int app_tx_smtp_info(struct app_flow *af, struct app_tx *tx, struct app_smtp_info *out);
/* (added) The SSH transaction for EVE (Suricata's "ssh" object): each
 * side's banner fields and HASSH, NULL where absent (not NUL-terminated
 * but the hash); valid while the flow's state is. -ENOENT on another
 * protocol or before either banner was read. */
struct app_ssh_side {
	const char *proto, *software, *hassh, *hassh_string;
	uint32_t proto_len, software_len, hassh_string_len;
};
struct app_ssh_info {
	struct app_ssh_side side[2];  /* by enum app_dir: the client's, the server's */
};
int app_tx_ssh_info(struct app_flow *af, struct app_ssh_info *out);
/* Data of direction dir was lost (a stream hole) before its next bytes,
 * as Suricata 7 relays a gap to the app layer (AppLayerHandleTCPData with
 * STREAM_GAP). Before the direction's protocol is known, detection on it
 * is over (its stream's detection completed). A parser that takes no gap
 * (all here but DNS's: APP_LAYER_PARSER_OPT_ACCEPT_GAPS) refuses it as a
 * parse error (AppLayerParserParse's error path): counted in gap[proto],
 * the flow's app layer stops in both directions, what was parsed stays
 * for detection and its transactions go to the log as they stand with
 * this packet (both sides at EOF: open files TRUNCATED). */
void app_flow_gap(struct app_flow *af, enum app_dir dir);

#endif
