/* SPDX-License-Identifier: MIT */
/* A parsed rule in Suricata syntax. The parser (rule_parse.c) fills it; the
 * compiler (rule_compile.c) and the detect stage only read it. */
#ifndef IDS_RULE_T_H
#define IDS_RULE_T_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/events-t.h"
#include "../common/ip_addr-t.h"

/* Actions, ordered as Suricata's default action-order: pass, drop, reject, alert. */
enum rule_action {
	RULE_ACT_PASS = 0,
	RULE_ACT_DROP,
	RULE_ACT_REJECT,       /* reject, rejectsrc, rejectdst, rejectboth */
	RULE_ACT_ALERT,
	RULE_ACT_MAX
};

enum rule_reject { REJECT_NONE, REJECT_SRC, REJECT_DST, REJECT_BOTH };

/* Header protocol keyword. */
enum rule_proto {
	RULE_PROTO_IP = 0,     /* ip, ipv4, ipv6 (ip_family narrows) */
	RULE_PROTO_TCP,        /* tcp: packets and stream */
	RULE_PROTO_TCP_PKT,    /* tcp-pkt: packets only */
	RULE_PROTO_TCP_STREAM, /* tcp-stream: reassembled stream only */
	RULE_PROTO_UDP,
	RULE_PROTO_ICMP,       /* icmp: ICMPv4 and ICMPv6, as Suricata */
	RULE_PROTO_ICMPV4,
	RULE_PROTO_ICMPV6,
	RULE_PROTO_MAX
};

/* A set of addresses: sorted, non-overlapping inclusive ranges per family,
 * the result of resolving variables, lists and negations at parse time. */
struct addr_range {
	union ip_addr lo, hi;
};

struct addr_set {
	bool any;                 /* matches every address of both families (the
				   * ranges then also hold the full v4 and v6 spaces) */
	uint32_t n4, n6;
	struct addr_range *v4;    /* n4 ranges, ascending */
	struct addr_range *v6;    /* n6 ranges, ascending */
};

struct port_range {
	uint16_t lo, hi;          /* inclusive */
};

struct port_set {
	bool any;                 /* 0-65535 (r then also holds that one range) */
	uint32_t n;
	struct port_range *r;     /* ascending, non-overlapping */
};

/* Integer comparison shared by dsize, ttl, itype, icode, ... (Suricata's
 * "detect-engine-uint" forms): N, <N, >N, <=N, >=N, !N, N<>M (exclusive), N-M. */
enum u32_op { U32_EQ, U32_NE, U32_LT, U32_LE, U32_GT, U32_GE, U32_RANGE };

struct u32_cmp {
	enum u32_op op;
	uint32_t a;               /* the value, or the exclusive lower bound for RANGE */
	uint32_t b;               /* exclusive upper bound for RANGE */
};

/* Which buffer a payload match inspects: the packet payload, or a header
 * as a sticky buffer (tcp.hdr, ...: the header bytes, options included).
 * App-layer buffers extend this enum. */
enum rule_buffer {
	RULE_BUF_PAYLOAD = 0,
	RULE_BUF_IPV4_HDR,
	RULE_BUF_IPV6_HDR,
	RULE_BUF_TCP_HDR,
	RULE_BUF_UDP_HDR,
	RULE_BUF_ICMPV4_HDR,
	RULE_BUF_ICMPV6_HDR,
	/* (added) app-layer buffers, one per Suricata sticky buffer; the HTTP
	 * ones that exist in both directions hold the request's, then the
	 * response's (two instances). */
	RULE_BUF_HTTP_URI,            /* http.uri: normalised as libhtp/Suricata */
	RULE_BUF_HTTP_URI_RAW,
	RULE_BUF_HTTP_METHOD,
	RULE_BUF_HTTP_REQUEST_LINE,
	RULE_BUF_HTTP_HOST,           /* normalised: lower case, no port */
	RULE_BUF_HTTP_HOST_RAW,
	RULE_BUF_HTTP_USER_AGENT,
	RULE_BUF_HTTP_REQUEST_BODY,   /* http.request_body, http_client_body */
	RULE_BUF_HTTP_REQUEST_HEADER, /* (added) http.request_header: "Name: Value" of one
				       * request header an instance, as sent */
	RULE_BUF_HTTP_REFERER,
	RULE_BUF_HTTP_ACCEPT,
	RULE_BUF_HTTP_ACCEPT_LANG,
	RULE_BUF_HTTP_ACCEPT_ENC,
	RULE_BUF_HTTP_CONNECTION,
	RULE_BUF_HTTP_STAT_CODE,
	RULE_BUF_HTTP_STAT_MSG,
	RULE_BUF_HTTP_RESPONSE_LINE,
	RULE_BUF_HTTP_RESPONSE_BODY,  /* http.response_body, file.data: dechunked, decompressed */
	RULE_BUF_HTTP_LOCATION,
	RULE_BUF_HTTP_RESPONSE_HEADER, /* (added) http.response_header: the response's, alike */
	RULE_BUF_HTTP_SERVER,
	RULE_BUF_HTTP_HEADER,         /* both directions from here to HTTP_PROTOCOL */
	RULE_BUF_HTTP_HEADER_RAW,
	RULE_BUF_HTTP_HEADER_NAMES,
	RULE_BUF_HTTP_COOKIE,         /* Cookie, Set-Cookie */
	RULE_BUF_HTTP_CONTENT_TYPE,
	RULE_BUF_HTTP_CONTENT_LEN,
	RULE_BUF_HTTP_START,
	RULE_BUF_HTTP_PROTOCOL,
	RULE_BUF_TLS_SNI,
	RULE_BUF_TLS_CERT_SUBJECT,
	RULE_BUF_TLS_CERT_ISSUER,
	RULE_BUF_TLS_CERT_SERIAL,
	RULE_BUF_TLS_CERT_FINGERPRINT,
	RULE_BUF_TLS_CERTS,           /* one instance per certificate (DER) */
	RULE_BUF_JA3_HASH,
	RULE_BUF_JA3_STRING,
	RULE_BUF_JA3S_HASH,
	RULE_BUF_JA3S_STRING,
	RULE_BUF_TLS_RANDOM,          /* (added) the hello's 32 random bytes, per direction */
	RULE_BUF_TLS_RANDOM_TIME,     /* its first 4 bytes */
	RULE_BUF_TLS_RANDOM_BYTES,    /* its last 28 bytes */
	RULE_BUF_TLS_ALPN,            /* one instance per ALPN protocol name, per direction */
	RULE_BUF_TLS_SUBJECTALTNAME,  /* one instance per SAN of the server certificate */
	RULE_BUF_DNS_QUERY,           /* one instance per question name */
	RULE_BUF_DNS_QUERIES_RRNAME,  /* (added) question names, queries and responses */
	RULE_BUF_DNS_ANSWERS_RRNAME,  /* owner names of the answer records */
	RULE_BUF_DNS_AUTHORITIES_RRNAME, /* (added, Suricata 8) owner names of the authority
				       * records, queries and responses */
	RULE_BUF_DNS_ADDITIONALS_RRNAME, /* the additional records', alike */
	RULE_BUF_DNS_RESPONSE_RRNAME, /* a response's names: questions, answers, authorities,
				       * additionals */
	RULE_BUF_DNS_PDU,             /* (added) frame:dns.pdu: the message's bytes (over TCP
				       * without the length prefix), in its direction */
	RULE_BUF_SSH_PROTO,           /* (added) the banner's protoversion, per direction */
	RULE_BUF_SSH_SOFTWARE,        /* (added) its softwareversion, per direction */
	RULE_BUF_SSH_HASSH,           /* (added) ssh.hassh, ssh.hassh.server: the side's HASSH
				       * (MD5 in hex), per direction */
	RULE_BUF_SSH_HASSH_STRING,    /* (added) ssh.hassh.string, ssh.hassh.server.string: the
				       * algorithm lists it hashes, per direction */
	RULE_BUF_SMTP_FILE_DATA,      /* (added) file_data of an smtp rule: one instance per
				       * MIME attachment of the mail, decoded */
	RULE_BUF_FTPDATA_FILE_DATA,   /* (added) file_data of an ftp-data rule: the transfer's
				       * bytes (the first MiB), one instance per direction */
	RULE_BUF_FILE_NAME,           /* (added) file.name, filename, fileext: one instance
				       * per file of the transaction in the direction */
	RULE_BUF_FILE_MAGIC,          /* (added) file.magic, filemagic: libmagic's
				       * description of each such file */
	RULE_BUF_MAX
};

/* rule->app_bufs and the absent sets: a bit per enum rule_buffer */
typedef unsigned __int128 rule_bufset;
#define RULE_BUF_BIT(b) ((rule_bufset)1 << (b))
_Static_assert(RULE_BUF_MAX <= 128, "a rule's buffers are one 128-bit set");

/* (added) The buffers of each protocol, as ranges of the enum. */
#define RULE_BUF_TLS_FIRST RULE_BUF_TLS_SNI
#define RULE_BUF_TLS_LAST  RULE_BUF_TLS_SUBJECTALTNAME
#define RULE_BUF_DNS_FIRST RULE_BUF_DNS_QUERY
#define RULE_BUF_DNS_LAST  RULE_BUF_DNS_PDU
#define RULE_BUF_SSH_FIRST RULE_BUF_SSH_PROTO
#define RULE_BUF_SSH_LAST  RULE_BUF_SSH_HASSH_STRING
#define RULE_BUF_FILE_FIRST RULE_BUF_FILE_NAME
#define RULE_BUF_FILE_LAST  RULE_BUF_FILE_MAGIC

/* (added) First app-layer buffer: the ones from here on need a parsed flow. */
#define RULE_BUF_APP_FIRST RULE_BUF_HTTP_URI

/* (added) Application protocols: rule header protocol, app-layer-protocol,
 * and what the flow's protocol detection found. */
enum app_proto {
	APP_PROTO_UNKNOWN = 0,    /* not (yet) known; in a rule: none required */
	APP_PROTO_HTTP,
	APP_PROTO_TLS,
	APP_PROTO_DNS,
	APP_PROTO_FAILED,         /* detection gave up on the flow */
	/* (added) detected only, no parser: their rules inspect the stream
	 * (SSH: its identification strings parsed; SMTP: parsed, mails and
	 * their attachments) */
	APP_PROTO_SMTP,
	APP_PROTO_FTP,
	APP_PROTO_SMB,
	APP_PROTO_SSH,
	APP_PROTO_DCERPC,
	APP_PROTO_FTPDATA,        /* (added) an FTP data connection: known from the
				   * control connection's PORT/PASV (an expectation) */
	APP_PROTO_MAX
};

/* rule->services is a 16-bit set of protocols */
_Static_assert(APP_PROTO_MAX <= 16, "a rule's services are one 16-bit set");

/* struct rule_content.flags */
#define CONTENT_NOCASE      0x0001u
#define CONTENT_NEGATED     0x0002u
#define CONTENT_OFFSET      0x0004u
#define CONTENT_DEPTH       0x0008u
#define CONTENT_DISTANCE    0x0010u
#define CONTENT_WITHIN      0x0020u
#define CONTENT_FAST_PATTERN 0x0040u /* fast_pattern given explicitly */
#define CONTENT_FP_ONLY     0x0080u /* fast_pattern:only */
#define CONTENT_FP_CHOP     0x0100u /* fast_pattern:<off>,<len> */
#define CONTENT_STARTSWITH  0x0200u
#define CONTENT_ENDSWITH    0x0400u
#define CONTENT_RAWBYTES    0x0800u
/* The field holds a byte_extract/byte_math variable index instead of a
 * number (the matching CONTENT_OFFSET/... flag is then not set). */
#define CONTENT_OFFSET_VAR   0x1000u
#define CONTENT_DEPTH_VAR    0x2000u
#define CONTENT_DISTANCE_VAR 0x4000u
#define CONTENT_WITHIN_VAR   0x8000u
/* Relative to the previous match in the same buffer (distance/within). */
#define CONTENT_RELATIVE    (CONTENT_DISTANCE | CONTENT_WITHIN | CONTENT_DISTANCE_VAR | \
			     CONTENT_WITHIN_VAR)

struct rule_content {
	uint8_t *pat;             /* decoded bytes (|hex| resolved), owned */
	uint32_t len;
	uint32_t flags;           /* CONTENT_* */
	int32_t offset;           /* valid with CONTENT_OFFSET */
	int32_t depth;            /* valid with CONTENT_DEPTH */
	int32_t distance;         /* valid with CONTENT_DISTANCE (may be negative) */
	int32_t within;           /* valid with CONTENT_WITHIN */
	uint16_t fp_off, fp_len;  /* valid with CONTENT_FP_CHOP */
};

/* struct rule_pcre.flags */
#define PCRE_F_NEGATED  0x01u
#define PCRE_F_RELATIVE 0x02u   /* /R */
#define PCRE_F_RAWBYTES 0x04u   /* /B */

/* (added) Where a pcre capture is stored (Suricata 7's detect-pcre.c):
 * named groups (?P<pkt_name>..) and (?P<flow_name>..), and the names listed
 * after the expression ("/(a)(b)/, pkt:x, flow:y"), listed first. The i-th
 * of them takes capture group i + 1 of a match (as Suricata, whatever the
 * group's own name); a pkt var goes on the packet inspected, a flow var on
 * its flow (dataplane/detect/detect_capture.c). */
#define RULE_PCRE_CAP_MAX 8       /* Suricata's DETECT_PCRE_CAPTURE_MAX */
enum rule_var_kind { RULE_VAR_PKT = 1, RULE_VAR_FLOW };

struct rule_capture {
	uint8_t kind;             /* enum rule_var_kind */
	char *name;               /* owned */
	uint64_t name_hash;       /* rule_name_hash(name) */
};

struct rule_pcre {
	char *expr;               /* the expression between the slashes, owned */
	uint32_t pcre2_opts;      /* PCRE2_* compile options from i s m x A E G */
	uint32_t flags;           /* PCRE_F_* */
	void *code;               /* pcre2_code *, compiled at parse time, owned */
	uint8_t ncap;             /* (added) captures stored, 0: none */
	struct rule_capture *cap; /* (added) ncap, owned */
};

/* (added) flowvar:name,"content" and pktvar:name,"content" (Suricata 7's
 * detect-flowvar.c, detect-pktvar.c): the flow's (the packet's) variable
 * name is set and holds content (case-sensitive search). */
struct rule_varmatch {
	uint8_t kind;             /* enum rule_var_kind */
	uint32_t len;
	uint64_t name_hash;
	char *name;               /* owned */
	uint8_t *content;         /* len decoded bytes, owned */
};

/* struct rule_byte.flags (byte_test, byte_jump, byte_extract, byte_math,
 * isdataat) */
#define BYTE_F_RELATIVE   0x0001u /* from the end of the previous match */
#define BYTE_F_LITTLE     0x0002u /* little endian (default big) */
#define BYTE_F_STRING     0x0004u /* ASCII number in base rule_byte.base */
#define BYTE_F_NEGATED    0x0008u /* byte_test !op, isdataat:! */
#define BYTE_F_ALIGN      0x0010u /* byte_jump: round the value up to 4 */
#define BYTE_F_BEGIN      0x0020u /* byte_jump from_beginning */
#define BYTE_F_END        0x0040u /* byte_jump from_end */
#define BYTE_F_BITMASK    0x0080u
#define BYTE_F_OFFSET_VAR 0x0100u /* offset is a variable index */
#define BYTE_F_VALUE_VAR  0x0200u /* value is a variable index */

/* byte_test comparisons and byte_math operators */
enum byte_op {
	BOP_LT, BOP_GT, BOP_EQ, BOP_LE, BOP_GE, BOP_AND, BOP_XOR,
	BOP_ADD, BOP_SUB, BOP_MUL, BOP_DIV, BOP_SHL, BOP_SHR
};

#define RULE_MAX_BYTE_VARS 8      /* byte_extract/byte_math results per rule */

struct rule_byte {
	uint32_t flags;           /* BYTE_F_* */
	uint8_t nbytes;           /* bytes read (string: characters) */
	uint8_t base;             /* with BYTE_F_STRING: 8, 10 or 16 */
	uint8_t op;               /* enum byte_op: byte_test, byte_math */
	uint8_t var;              /* byte_extract/byte_math: the variable written */
	int32_t offset;
	uint64_t value;           /* byte_test value, byte_math rvalue, isdataat position */
	uint32_t multiplier;      /* byte_jump, byte_extract: 1 when absent */
	int32_t post_offset;      /* byte_jump */
	uint32_t align;           /* byte_extract: 0, 2 or 4 */
	uint32_t bitmask;         /* with BYTE_F_BITMASK */
	uint8_t shift;            /* trailing zero bits of bitmask */
};

/* One ordered payload match (Suricata's sigmatch list for a buffer). */
enum rule_match_kind {
	MATCH_CONTENT, MATCH_PCRE,
	MATCH_BYTE_TEST, MATCH_BYTE_JUMP, MATCH_BYTE_EXTRACT, MATCH_BYTE_MATH,
	MATCH_ISDATAAT, MATCH_BSIZE,
	MATCH_BASE64_DECODE,      /* (added) decodes for the base64_data matches */
	MATCH_ASN1                /* (added) asn1: BER checks from a position */
};

/* (added) asn1:[bitstring_overflow][, double_overflow][, oversize_length N]
 * [, absolute_offset N | relative_offset N]: the BER objects read from the
 * buffer's start, absolute_offset, or the previous match end plus
 * relative_offset (may be negative) match when one of the checks asked for
 * holds on one of them or their children. */
#define ASN1_F_BITSTRING  0x01u  /* bitstring_overflow */
#define ASN1_F_DOUBLE     0x02u  /* double_overflow */
#define ASN1_F_OVERSIZE   0x04u  /* oversize_length */
#define ASN1_F_ABSOLUTE   0x08u  /* absolute_offset */
#define ASN1_F_RELATIVE   0x10u  /* relative_offset */

struct rule_asn1 {
	uint8_t flags;            /* ASN1_F_* */
	uint32_t oversize;        /* with ASN1_F_OVERSIZE */
	int32_t offset;           /* with ASN1_F_ABSOLUTE (>= 0) or ASN1_F_RELATIVE */
};

/* (added) base64_decode:[bytes N][, offset N][, relative]: from the buffer's
 * start (or the previous match end with relative) plus offset, at most
 * bytes encoded bytes (65535 when absent or 0) are decoded; the matches
 * marked rule_match.b64 (base64_data) inspect the result. */
#define RULE_B64_MAX_BYTES 65535u

struct rule_b64 {
	uint32_t bytes;
	uint32_t offset;
	bool relative;
};

/* (added) Transforms on a sticky buffer (Suricata's transform keywords):
 * the matches that follow inspect the buffer's bytes after each transform
 * in turn. A chain has at most RULE_XFORM_MAX steps. */
enum rule_xform_kind {
	XFORM_DOTPREFIX,
	XFORM_STRIP_WHITESPACE,
	XFORM_COMPRESS_WHITESPACE,
	XFORM_TO_LOWERCASE,
	XFORM_TO_UPPERCASE,
	XFORM_TO_MD5,
	XFORM_TO_SHA1,
	XFORM_TO_SHA256,
	XFORM_URL_DECODE,
	XFORM_XOR,
	XFORM_HEADER_LOWERCASE,
	XFORM_STRIP_PSEUDO_HEADERS,
	XFORM_PCREXFORM,
};

#define RULE_XFORM_MAX 8

struct rule_xform {
	uint8_t kind;             /* enum rule_xform_kind */
	uint32_t arglen;
	uint8_t *arg;             /* xor: the key; pcrexform: the expression (NUL-ended); owned */
	void *code;               /* pcrexform: pcre2_code *, owned */
};

struct rule_xchain {
	enum rule_buffer buf;     /* the sticky buffer it follows */
	uint8_t n;
	struct rule_xform x[RULE_XFORM_MAX];
};

struct rule_match {
	enum rule_match_kind kind;
	enum rule_buffer buf;
	uint8_t xf;               /* (added) 1 + index in rule->xchain of the transforms
				   * applied to buf first, 0: none */
	union {
		struct rule_content content;
		struct rule_pcre pcre;
		struct rule_byte byte;    /* MATCH_BYTE_*, MATCH_ISDATAAT */
		struct u32_cmp bsize;     /* MATCH_BSIZE */
		struct rule_b64 b64dec;   /* (added) MATCH_BASE64_DECODE */
		struct rule_asn1 asn1;    /* (added) MATCH_ASN1 */
	};
	uint8_t b64;              /* (added) 1: after base64_data, inspects the bytes the
				   * base64_decode of the same buf decoded */
	uint8_t grp;              /* (added) on a multi-instance buffer
				   * (rule_buffer_multi): the occurrence of its sticky
				   * keyword the match follows, 0 for the first. Suricata 7
				   * makes each occurrence a list of its own, satisfied by
				   * any instance alone, so two lists may be met by two
				   * instances (multi-buffer matching); 0 elsewhere */
};

/* flow keyword: rule->flow_flags */
#define RULE_FLOW_TOSERVER      0x01u /* to_server / from_client */
#define RULE_FLOW_TOCLIENT      0x02u /* to_client / from_server */
#define RULE_FLOW_ESTABLISHED   0x04u
#define RULE_FLOW_NOT_ESTABLISHED 0x08u
#define RULE_FLOW_STATELESS     0x10u
#define RULE_FLOW_ONLY_STREAM   0x20u
#define RULE_FLOW_NO_STREAM     0x40u

enum flowbit_op { FB_SET, FB_UNSET, FB_TOGGLE, FB_ISSET, FB_ISNOTSET, FB_NOALERT };

/* One flowbits keyword. isset/isnotset may name several bits joined by
 * '|' (any of them), set/unset/toggle several joined by '&' (all of them). */
struct rule_flowbit {
	enum flowbit_op op;
	uint16_t n;               /* 0 for FB_NOALERT */
	uint32_t *ids;            /* flowbit ids, resolved by the ruleset's name table */
	char **names;             /* n names as written, owned (added: rule_parse has no
				   * ruleset, so ids are RULE_FLOWBIT_UNRESOLVED until
				   * ruleset_load_file interns the names) */
};

#define RULE_FLOWBIT_UNRESOLVED UINT32_MAX

enum thresh_type { THRESH_NONE, THRESH_LIMIT, THRESH_THRESHOLD, THRESH_BOTH, THRESH_DETECTION_FILTER,
		   THRESH_BACKOFF /* (added) alerts on match count, count * m, count * m^2, ... */,
		   THRESH_RATE /* (added) threshold.config rate_filter: past count matches in
				* seconds, new_action for timeout seconds */ };
enum thresh_track { TRACK_BY_SRC, TRACK_BY_DST, TRACK_BY_RULE, TRACK_BY_BOTH, TRACK_BY_FLOW };

struct rule_threshold {
	enum thresh_type type;
	enum thresh_track track;
	uint32_t count;
	uint32_t seconds;         /* 0 with THRESH_BACKOFF */
	uint32_t multiplier;      /* (added) THRESH_BACKOFF only */
	enum rule_action new_action; /* (added) THRESH_RATE only, with timeout (seconds) */
	uint32_t timeout;
};

/* (added) A threshold.config "suppress ... track, ip": the rule does not
 * match (no alert, no action) for packets whose source (by_src),
 * destination (by_dst) or either (by_either) address is in ips. */
enum supp_track { SUPP_BY_SRC, SUPP_BY_DST, SUPP_BY_EITHER };

struct rule_suppress {
	uint8_t track;            /* enum supp_track */
	struct addr_set ips;
};

/* (added) tag:session|host[,count,metric[,src|dst]]: after the rule alerts,
 * the flow's next packets (session), or every next packet from or to one of
 * its hosts (host: the destination unless src), are tagged (logged as EVE
 * "packet" records) until count is reached; Suricata's default is 256
 * packets. */
enum rule_tag_metric { TAG_METRIC_PACKETS, TAG_METRIC_BYTES, TAG_METRIC_SECONDS };
enum rule_tag_scope { TAG_SCOPE_SESSION, TAG_SCOPE_HOST };

#define RULE_TAG_DEFAULT_COUNT 256u
/* Suricata's DETECT_TAG_MATCH_LIMIT: times a rule restarts its tag on one
 * flow or host, so a rule firing on every packet cannot tag forever */
#define RULE_TAG_MATCH_LIMIT   10u

struct rule_tag {
	uint8_t metric;           /* enum rule_tag_metric */
	uint8_t scope;            /* enum rule_tag_scope */
	bool host_src;            /* TAG_SCOPE_HOST: the alerting packet's source host */
	uint32_t count;
};

/* rule->flags */
#define RULE_F_BIDIR        0x0001u /* <> */
#define RULE_F_NOALERT      0x0002u /* noalert or flowbits:noalert */
#define RULE_F_IPV4_ONLY    0x0004u /* header proto ipv4 */
#define RULE_F_IPV6_ONLY    0x0008u /* header proto ipv6 */
#define RULE_F_SRC_NEGATED  0x0010u /* informational: header had a top-level '!' */
#define RULE_F_DST_NEGATED  0x0020u
#define RULE_F_PKTHDR       0x0040u /* (added) header proto pkthdr: any packet, IP or not */
#define RULE_F_TAG          0x0080u /* (added) tag: rule->tag is set */
#define RULE_F_TLS_STORE    0x0100u /* (added) tls.store: accepted, nothing stored (warned) */
#define RULE_F_CAPTURE      0x0200u /* (added) a pcre stores captures (rule_pcre.ncap) */
#define RULE_F_SNORT3       0x0400u /* (added) read in Snort 3's dialect (rule_snort3.c) */

/* rule->has: which optional packet tests are present */
#define RULE_HAS_DSIZE   0x0001u
#define RULE_HAS_TTL     0x0002u
#define RULE_HAS_ITYPE   0x0004u
#define RULE_HAS_ICODE   0x0008u
#define RULE_HAS_IPPROTO 0x0010u
#define RULE_HAS_TCPFLAGS 0x0020u
#define RULE_HAS_ACK     0x0040u
#define RULE_HAS_SEQ     0x0080u
#define RULE_HAS_WINDOW  0x0100u
#define RULE_HAS_IPID    0x0200u
#define RULE_HAS_FRAGBITS 0x0400u
#define RULE_HAS_FRAGOFF 0x0800u
#define RULE_HAS_TOS     0x1000u
#define RULE_HAS_IPOPTS  0x2000u
#define RULE_HAS_SAMEIP  0x4000u
#define RULE_HAS_STREAMSIZE 0x8000u
#define RULE_HAS_ICMPID  0x10000u
#define RULE_HAS_ICMPSEQ 0x20000u
#define RULE_HAS_TCPMSS  0x40000u
#define RULE_HAS_XBITS   0x80000u
#define RULE_HAS_FLOWINT 0x100000u
#define RULE_HAS_PKTEVENT 0x200000u /* (added) stream-event, app-layer-event:applayer_* */
#define RULE_HAS_CSUM    0x400000u  /* (added) ipv4-csum, tcpv4-csum, ... */
#define RULE_HAS_FLOWAGE 0x800000u  /* (added) flow.age */
#define RULE_HAS_FLOWPKTS_TS  0x1000000u  /* (added) flow.pkts_toserver */
#define RULE_HAS_FLOWPKTS_TC  0x2000000u  /* (added) flow.pkts_toclient */
#define RULE_HAS_FLOWBYTES_TS 0x4000000u  /* (added) flow.bytes_toserver */
#define RULE_HAS_FLOWBYTES_TC 0x8000000u  /* (added) flow.bytes_toclient */
#define RULE_HAS_ICMPV6MTU 0x10000000u    /* (added) icmpv6.mtu */
#define RULE_HAS_VARMATCH 0x20000000u     /* (added) flowvar, pktvar: see varmatch */
#define RULE_HAS_FLOWEITHER 0x40000000u   /* (added) flow.pkts/flow.bytes:either, see flow_either */

/* (added) Index of the per-direction flow counters flow_pkts[] and
 * flow_bytes[], in the order of the packet's enum pkt_dir. */
enum rule_flow_dir { RULE_DIR_TOSERVER = 0, RULE_DIR_TOCLIENT = 1 };

/* flags / fragbits: which bits must be set, how, and which to ignore. */
enum bits_mode {
	BITS_EXACT,               /* exactly these (after the mask) */
	BITS_PLUS,                /* + these and possibly others */
	BITS_ANY,                 /* * any of these */
	BITS_NOT,                 /* ! none of these (flags:!0 : some flag) */
};

struct rule_bits {
	uint8_t mode;             /* enum bits_mode */
	uint8_t bits;
	uint8_t ignore;           /* bits masked off before comparing */
};

/* stream_size: which side's byte count */
enum stream_side { SS_SERVER, SS_CLIENT, SS_BOTH, SS_EITHER };

struct rule_stream_size {
	uint8_t side;             /* enum stream_side */
	struct u32_cmp cmp;
};

/* xbits (hostbits, ippair bits): set/unset/toggle/isset/isnotset on an
 * address or pair, with an expiry. */
enum xbit_track { XB_IP_SRC, XB_IP_DST, XB_IP_PAIR };

struct rule_xbit {
	uint8_t op;               /* enum flowbit_op (FB_NOALERT unused) */
	uint8_t track;            /* enum xbit_track */
	uint32_t expire;          /* seconds, set/toggle only */
	uint64_t name_hash;       /* FNV-1a of the name: the key in the table */
	char *name;               /* owned */
};

/* flowint: name op [value|name] */
enum flowint_op {
	FI_SET, FI_ADD, FI_SUB,                         /* modifiers */
	FI_EQ, FI_NE, FI_LT, FI_LE, FI_GT, FI_GE,       /* tests */
	FI_ISSET, FI_NOTSET,
};

struct rule_flowint {
	uint8_t op;               /* enum flowint_op */
	bool value_is_var;        /* value_name names another flowint */
	uint32_t value;
	/* ids in the ruleset's flowint names (RULE_FLOWBIT_UNRESOLVED until
	 * ruleset_load_file interns name and value_name, as for flowbits) */
	uint32_t id, value_id;
	char *name;               /* owned */
	char *value_name;         /* owned; NULL unless value_is_var */
};

/* (added) checksum keywords, Suricata's <layer>-csum:valid|invalid */
enum rule_csum {
	CSUM_IPV4, CSUM_TCPV4, CSUM_TCPV6, CSUM_UDPV4, CSUM_UDPV6, CSUM_ICMPV4, CSUM_ICMPV6,
	CSUM_MAX
};

/* rule->app_has (added) */
#define RULE_APP_HAS_URILEN      0x01u
#define RULE_APP_HAS_URILEN_RAW  0x02u /* urilen:...,raw */
#define RULE_APP_HAS_DNS_OPCODE  0x04u
#define RULE_APP_HAS_TLS_VERSION 0x08u
#define RULE_APP_HAS_DNS_RRTYPE  0x10u /* dns.rrtype: some question's type */
#define RULE_APP_HAS_TLS_CHAIN_LEN 0x20u /* tls.cert_chain_len: server chain */
#define RULE_APP_HAS_TLS_VALIDITY 0x40u /* some tls_cert_* date keyword, see tls_validity */
#define RULE_APP_HAS_EVENT 0x80u   /* app-layer-event:PROTO.NAME, see app_events */
#define RULE_APP_HAS_FTPBOUNCE 0x100u /* ftpbounce: a PORT command naming another host */
#define RULE_APP_HAS_FILESIZE 0x200u  /* filesize, see rule_file */
#define RULE_APP_HAS_FILEHASH 0x400u  /* filemd5/filesha1/filesha256, see rule_file */
#define RULE_APP_HAS_FILE     0x800u  /* filestore: needs a file (Suricata's FILE_SIG_NEED_FILE) */
#define RULE_APP_HAS_SSL_STATE 0x1000u /* ssl_state, see ssl_state */
#define RULE_APP_HAS_FTPDATA_CMD 0x2000u /* ftpdata_command, see ftpdata_cmd */
#define RULE_APP_HAS_SSL_VERSION 0x4000u /* ssl_version, see ssl_versions */
#define RULE_APP_HAS_DNS_RCODE   0x8000u /* dns.rcode (Suricata 8), see dns_rcode */
#define RULE_FTPDATA_RETR 1u      /* ftpdata_cmd values, as app_tx_ftpdata_command's */
#define RULE_FTPDATA_STOR 2u

/* (added) ssl_state's states, the bits of the TLS parser's app_tx_tls_ssl_state */
/* (added) ssl_version's versions, a bit each (Suricata's SSLv2 .. TLS13) */
enum rule_ssl_ver {
	RULE_SSLV_SSL2, RULE_SSLV_SSL3, RULE_SSLV_TLS10, RULE_SSLV_TLS11, RULE_SSLV_TLS12,
	RULE_SSLV_TLS13, RULE_SSLV_MAX
};

#define RULE_SSL_ST_CLIENT_HELLO 0x01u
#define RULE_SSL_ST_SERVER_HELLO 0x02u
#define RULE_SSL_ST_CLIENT_KEYX  0x04u
#define RULE_SSL_ST_SERVER_KEYX  0x08u
#define RULE_SSL_ST_UNKNOWN      0x10u

/* (added) filemd5/filesha1/filesha256:[!]FILE: the file's hash is (or,
 * negated, is not) one of the list's: n sorted digests of len bytes. */
enum rule_hash_kind { RULE_HASH_MD5, RULE_HASH_SHA1, RULE_HASH_SHA256 };

struct rule_hash_list {
	uint8_t kind;             /* enum rule_hash_kind */
	bool negated;
	uint8_t len;              /* 16, 20, 32 */
	uint32_t n;
	uint8_t *digests;         /* n * len bytes, ascending (memcmp), owned */
	char *path;               /* the list as written, until the loader reads it
				   * (relative: to the rule file's directory); owned */
};

struct rule_file {
	/* with RULE_APP_HAS_FILESIZE: the size in bytes (bounds below 4 GiB),
	 * decided once the file ended, or as soon as it is past a '>' bound */
	struct u32_cmp size;
	uint8_t nhash;
	struct rule_hash_list hash[3];  /* with RULE_APP_HAS_FILEHASH: every one must hold */
	bool store;                /* filestore given (accepted, nothing stored) */
};

/* (added) tls_cert_notbefore / tls_cert_notafter: the server certificate's
 * date against seconds since the epoch (UTC). As Suricata: '<' is <=,
 * '>' is >=, a<>b is inclusive. */
enum tls_date_op { TLS_DATE_EQ, TLS_DATE_LE, TLS_DATE_GE, TLS_DATE_RANGE };

struct rule_tls_date {
	uint8_t op;               /* enum tls_date_op */
	int64_t a, b;             /* b: range end */
};

/* rule->tls_validity (added) */
#define RULE_TLS_NOTBEFORE 0x01u  /* tls_cert_notbefore: tls_notbefore */
#define RULE_TLS_NOTAFTER  0x02u  /* tls_cert_notafter: tls_notafter */
#define RULE_TLS_EXPIRED   0x04u  /* tls_cert_expired: notAfter < packet time */
#define RULE_TLS_VALID     0x08u  /* tls_cert_valid: notAfter >= packet time */

struct rule {
	/* identity */
	uint32_t gid, sid, rev;
	uint32_t priority;        /* from priority:, else classtype's, else 3 */
	char *msg;                /* owned, unescaped */
	const char *classtype;    /* short name, from the classification table (not owned) */
	const char *class_desc;   /* EVE "category" (not owned) */
	char *file;               /* where it was read (owned) */
	uint32_t line;
	/* (added) the metadata keywords' "key value" items, for EVE's
	 * alert.metadata: nmeta pairs packed "key\0value\0..." (owned) */
	char *meta;
	uint32_t meta_len, nmeta;

	/* header */
	enum rule_action action;
	enum rule_reject reject;
	enum rule_proto proto;
	uint32_t flags;           /* RULE_F_* */
	struct addr_set src, dst;
	struct port_set sp, dp;

	/* packet tests */
	uint32_t has;             /* RULE_HAS_* */
	struct u32_cmp dsize, ttl, itype, icode;
	uint8_t ip_proto;         /* with RULE_HAS_IPPROTO; ip_proto_neg flips it */
	bool ip_proto_neg;
	uint32_t flow_flags;      /* RULE_FLOW_* */
	uint8_t side_flags;       /* (added) RULE_FLOW_TOSERVER/TOCLIENT a buffer keyword
				   * fixes (ssh.hassh: the client's side, to the server) */
	/* (added) header keywords, each valid with its RULE_HAS_* bit */
	struct rule_bits tcpflags, fragbits;
	struct u32_cmp ack, seq, window, ipid, fragoff, tos, icmpid, icmpseq, tcpmss;
	struct u32_cmp icmpv6mtu;  /* (added) RULE_HAS_ICMPV6MTU */
	/* (added) flow.age and the flow counters, indexed by enum rule_flow_dir */
	struct u32_cmp flow_age, flow_pkts[2], flow_bytes[2];
	/* (added) with RULE_HAS_FLOWEITHER: Suricata 8's flow.pkts:either /
	 * flow.bytes:either, each met by one direction's counter; bit 0 for
	 * flow.pkts (flow_pkts_either), bit 1 for flow.bytes */
	uint8_t flow_either;
	struct u32_cmp flow_pkts_either, flow_bytes_either;
	uint16_t ipopts;          /* the option's bit, as packet-t.h IPV4_OPT_* (0xffff: any) */
	struct rule_stream_size stream_size;
	uint32_t nxbit;
	struct rule_xbit *xbit;
	uint32_t nflowint;
	struct rule_flowint *flowint;
	uint32_t nvarmatch;       /* (added) with RULE_HAS_VARMATCH */
	struct rule_varmatch *varmatch;
	/* (added) with RULE_HAS_PKTEVENT: events the packet must all carry */
	struct pkt_events pkt_events;
	/* (added) with RULE_HAS_CSUM: bit per enum rule_csum checked, and
	 * whether each must be valid (set) or invalid (clear) */
	uint8_t csum_check, csum_valid;

	/* payload matches, in rule order */
	uint32_t nmatch;
	struct rule_match *match;

	/* state */
	uint32_t nflowbit;
	struct rule_flowbit *flowbit;
	struct rule_threshold threshold;  /* type THRESH_NONE if absent */
	uint32_t nsupp;                   /* (added) threshold.config suppressions */
	struct rule_suppress *supp;

	/* (added) application layer */
	uint8_t app_proto;        /* enum app_proto of the header (http, tls, dns), 0: none */
	uint8_t alp;              /* app-layer-protocol value (enum app_proto), 0: absent */
	bool alp_neg;             /* app-layer-protocol:!x */
	/* (added) Snort 3's service option: bit per enum app_proto listed. The
	 * rule's ports need not match on a flow whose detected protocol is one
	 * of them ("OR ports", docs.snort.org); 0: ports as written */
	uint16_t services;
	uint16_t app_has;         /* RULE_APP_HAS_* */
	struct u32_cmp urilen;    /* with RULE_APP_HAS_URILEN */
	struct u32_cmp dns_opcode; /* with RULE_APP_HAS_DNS_OPCODE */
	struct u32_cmp dns_rcode;  /* with RULE_APP_HAS_DNS_RCODE */
	uint16_t tls_version;     /* with RULE_APP_HAS_TLS_VERSION: 0x0300..0x0304 */
	/* (added) with RULE_APP_HAS_SSL_STATE: the states named (RULE_SSL_ST_*)
	 * and those of them negated; it holds when (states & seen) ^ negated
	 * is not 0, as Suricata's DetectSslStateMatch */
	uint8_t ssl_states, ssl_negated;
	uint8_t ftpdata_cmd;      /* (added) with RULE_APP_HAS_FTPDATA_CMD: RULE_FTPDATA_* */
	/* (added) with RULE_APP_HAS_SSL_VERSION: bit per enum rule_ssl_ver
	 * named, and those of them named with '!' (all or none); the version
	 * the inspected side announced matches when it is a known one whose
	 * bit is in versions but not in negated, as Suricata 7's
	 * DetectSslVersionMatch (so an all-negated list never matches there
	 * either) */
	uint8_t ssl_versions, ssl_versions_neg;
	struct u32_cmp dns_rrtype;     /* with RULE_APP_HAS_DNS_RRTYPE */
	struct u32_cmp tls_chain_len;  /* with RULE_APP_HAS_TLS_CHAIN_LEN */
	uint8_t tls_validity;     /* RULE_TLS_*, with RULE_APP_HAS_TLS_VALIDITY */
	struct rule_tls_date tls_notbefore, tls_notafter;
	struct rule_file filekw;  /* (added) file keywords that are no buffer */
	rule_bufset app_bufs;     /* bit per enum rule_buffer used by a match */
	/* (added) with RULE_APP_HAS_EVENT: the transaction events (bit per
	 * id of app_event_proto's list in common/events-t.h) it must all carry */
	uint64_t app_events;
	uint8_t app_event_proto;  /* enum app_proto */
	/* (added) absent[: or_else] after a sticky buffer, bit per enum
	 * rule_buffer: the rule needs that buffer to be missing for good from
	 * the transaction; with or_else, missing for good or present and
	 * matching the rule's matches on it. absent_or_else is a subset. */
	rule_bufset absent_bufs;
	rule_bufset absent_or_else;
	uint8_t nxchain;          /* transform chains, see rule_match.xf */
	struct rule_xchain *xchain;

	/* (added) decode-event: Suricata's event name without "decoder."
	 * ("ipv4.trunc_pkt"), owned; NULL: none. Such a rule matches only
	 * packets the decoder rejected for that reason. */
	char *decode_event;

	struct rule_tag tag;      /* (added) valid with RULE_F_TAG */

	/* set by the compiler */
	int32_t fp_index;         /* index in match[] of the fast pattern, -1: none */
	uint32_t order;           /* evaluation order (action order, then priority, then sid) */
};

/* What a loaded set of rules holds, plus its tallies. */
/* (added) name -> id index of the loader's tables (rule_names.c) */
struct rule_name_index {
	uint32_t cap, n;
	struct rule_name_slot { uint64_t hash; uint32_t id; } *slot;  /* id + 1; 0: free */
};

/* (added) Names rules share by id (flowbits, flowints), interned at load:
 * an id stays valid as long as the ruleset (and, seeded into the next one by
 * ruleset_seed_names, across reloads). */
struct rule_var_names {
	uint32_t n, cap;
	char **names;                 /* id -> name, owned */
	struct rule_name_index index; /* name -> id */
};

/* Failed rules remembered one by one; beyond this only counted and tallied. */
#define RULESET_FAILURES_MAX 10000u

struct ruleset {
	uint32_t n, rules_cap;
	struct rule **rules;          /* the rules that loaded, in file order */
	uint32_t nfailed;
	uint32_t nskipped;            /* (added) rules whose "requires" this engine does not meet */
	/* distinct flowbit and (added) flowint names, by id: the per-flow state
	 * keeps ids, EVE's metadata names them from here */
	struct rule_var_names flowbits;
	struct rule_var_names flowints;
	/* failure tallies by reason, for the -T summary */
	uint32_t nreasons;
	struct ruleset_reason { char *reason; uint32_t count; } *reasons;
	/* (added) each failed rule, in load order, for "idsctl rules failed":
	 * the first RULESET_FAILURES_MAX of them (nfailed counts them all) */
	uint32_t nfailures;
	struct ruleset_failure { char *file; uint32_t line; char *reason; } *failures;
	/* (added) private to the loader: the gid:sid index for duplicate checks */
	void *sid_index;
	/* (added) default-rule-path, where relative hash lists are looked for
	 * first (ruleset_set_default_path); NULL: none */
	char *default_path;
	/* (added) action-order: rank of each action, 0 evaluated first
	 * (ruleset_set_action_order; default pass, drop, reject, alert) */
	uint8_t action_rank[RULE_ACT_MAX];
};

#endif
