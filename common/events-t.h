/* SPDX-License-Identifier: MIT */
/* Suricata 7's stream and app-layer event names, shared by the rule parser
 * (stream-event, app-layer-event) and the stages that raise them. Each list
 * is X(IDENT, "name"), the name exactly as Suricata's keyword takes it
 * after the protocol prefix; the order is ours (ids are never written out).
 * The decoder's events are rules/rule_kw_event.c's, matched by name. */
#ifndef IDS_EVENTS_T_H
#define IDS_EVENTS_T_H

#include <stdint.h>

/* Packet events: the stream engine's (stream-event:NAME), then the
 * app-layer's generic ones (app-layer-event:applayer_NAME). */
#define EV_STREAM_LIST(X) \
	X(3WHS_ACK_IN_WRONG_DIR, "3whs_ack_in_wrong_dir") \
	X(3WHS_ASYNC_WRONG_SEQ, "3whs_async_wrong_seq") \
	X(3WHS_RIGHT_SEQ_WRONG_ACK_EVASION, "3whs_right_seq_wrong_ack_evasion") \
	X(3WHS_SYNACK_IN_WRONG_DIRECTION, "3whs_synack_in_wrong_direction") \
	X(3WHS_SYNACK_RESEND_WITH_DIFFERENT_ACK, "3whs_synack_resend_with_different_ack") \
	X(3WHS_SYNACK_RESEND_WITH_DIFF_SEQ, "3whs_synack_resend_with_diff_seq") \
	X(3WHS_SYNACK_TOSERVER_ON_SYN_RECV, "3whs_synack_toserver_on_syn_recv") \
	X(3WHS_SYNACK_WITH_WRONG_ACK, "3whs_synack_with_wrong_ack") \
	X(3WHS_SYNACK_FLOOD, "3whs_synack_flood") \
	X(3WHS_SYNACK_TFO_DATA_IGNORED, "3whs_synack_tfo_data_ignored") \
	X(3WHS_SYN_FLOOD, "3whs_syn_flood") \
	X(3WHS_SYN_RESEND_DIFF_SEQ_ON_SYN_RECV, "3whs_syn_resend_diff_seq_on_syn_recv") \
	X(3WHS_SYN_TOCLIENT_ON_SYN_RECV, "3whs_syn_toclient_on_syn_recv") \
	X(3WHS_WRONG_SEQ_WRONG_ACK, "3whs_wrong_seq_wrong_ack") \
	X(3WHS_ACK_DATA_INJECT, "3whs_ack_data_inject") \
	X(4WHS_SYNACK_WITH_WRONG_ACK, "4whs_synack_with_wrong_ack") \
	X(4WHS_SYNACK_WITH_WRONG_SYN, "4whs_synack_with_wrong_syn") \
	X(4WHS_WRONG_SEQ, "4whs_wrong_seq") \
	X(4WHS_INVALID_ACK, "4whs_invalid_ack") \
	X(CLOSEWAIT_ACK_OUT_OF_WINDOW, "closewait_ack_out_of_window") \
	X(CLOSEWAIT_FIN_OUT_OF_WINDOW, "closewait_fin_out_of_window") \
	X(CLOSEWAIT_INVALID_ACK, "closewait_invalid_ack") \
	X(CLOSING_ACK_WRONG_SEQ, "closing_ack_wrong_seq") \
	X(CLOSING_INVALID_ACK, "closing_invalid_ack") \
	X(EST_PACKET_OUT_OF_WINDOW, "est_packet_out_of_window") \
	X(EST_SYNACK_RESEND, "est_synack_resend") \
	X(EST_SYNACK_RESEND_WITH_DIFFERENT_ACK, "est_synack_resend_with_different_ack") \
	X(EST_SYNACK_RESEND_WITH_DIFF_SEQ, "est_synack_resend_with_diff_seq") \
	X(EST_SYNACK_TOSERVER, "est_synack_toserver") \
	X(EST_SYN_RESEND, "est_syn_resend") \
	X(EST_SYN_RESEND_DIFF_SEQ, "est_syn_resend_diff_seq") \
	X(EST_SYN_TOCLIENT, "est_syn_toclient") \
	X(EST_INVALID_ACK, "est_invalid_ack") \
	X(FIN_INVALID_ACK, "fin_invalid_ack") \
	X(FIN1_ACK_WRONG_SEQ, "fin1_ack_wrong_seq") \
	X(FIN1_FIN_WRONG_SEQ, "fin1_fin_wrong_seq") \
	X(FIN1_INVALID_ACK, "fin1_invalid_ack") \
	X(FIN2_ACK_WRONG_SEQ, "fin2_ack_wrong_seq") \
	X(FIN2_FIN_WRONG_SEQ, "fin2_fin_wrong_seq") \
	X(FIN2_INVALID_ACK, "fin2_invalid_ack") \
	X(FIN_BUT_NO_SESSION, "fin_but_no_session") \
	X(FIN_OUT_OF_WINDOW, "fin_out_of_window") \
	X(FIN_SYN, "fin_syn") \
	X(LASTACK_ACK_WRONG_SEQ, "lastack_ack_wrong_seq") \
	X(LASTACK_INVALID_ACK, "lastack_invalid_ack") \
	X(RST_BUT_NO_SESSION, "rst_but_no_session") \
	X(TIMEWAIT_ACK_WRONG_SEQ, "timewait_ack_wrong_seq") \
	X(TIMEWAIT_INVALID_ACK, "timewait_invalid_ack") \
	X(PKT_INVALID_TIMESTAMP, "pkt_invalid_timestamp") \
	X(PKT_INVALID_ACK, "pkt_invalid_ack") \
	X(PKT_BROKEN_ACK, "pkt_broken_ack") \
	X(RST_INVALID_ACK, "rst_invalid_ack") \
	X(SHUTDOWN_SYN_RESEND, "shutdown_syn_resend") \
	X(PKT_RETRANSMISSION, "pkt_retransmission") \
	X(PKT_SPURIOUS_RETRANSMISSION, "pkt_spurious_retransmission") \
	X(PKT_BAD_WINDOW_UPDATE, "pkt_bad_window_update") \
	X(SUSPECTED_RST_INJECT, "suspected_rst_inject") \
	X(WRONG_THREAD, "wrong_thread") \
	X(EST_PKT_BEFORE_LAST_ACK, "est_pkt_before_last_ack") \
	X(CLOSEWAIT_PKT_BEFORE_LAST_ACK, "closewait_pkt_before_last_ack") \
	X(REASSEMBLY_SEGMENT_BEFORE_BASE_SEQ, "reassembly_segment_before_base_seq") \
	X(REASSEMBLY_NO_SEGMENT, "reassembly_no_segment") \
	X(REASSEMBLY_SEQ_GAP, "reassembly_seq_gap") \
	X(REASSEMBLY_OVERLAP_DIFFERENT_DATA, "reassembly_overlap_different_data") \
	X(REASSEMBLY_DEPTH_REACHED, "reassembly_depth_reached")

#define EV_APPLAYER_LIST(X) \
	X(MISMATCH_PROTOCOL_BOTH_DIRECTIONS, "applayer_mismatch_protocol_both_directions") \
	X(WRONG_DIRECTION_FIRST_DATA, "applayer_wrong_direction_first_data") \
	X(DETECT_PROTOCOL_ONLY_ONE_DIRECTION, "applayer_detect_protocol_only_one_direction") \
	X(PROTO_DETECTION_SKIPPED, "applayer_proto_detection_skipped") \
	X(NO_TLS_AFTER_STARTTLS, "applayer_no_tls_after_starttls") \
	X(UNEXPECTED_PROTOCOL, "applayer_unexpected_protocol")

#define EV_X_STREAM(id, name) PEV_STREAM_##id,
#define EV_X_APPLAYER(id, name) PEV_APPLAYER_##id,
enum pkt_event {
	EV_STREAM_LIST(EV_X_STREAM)
	EV_APPLAYER_LIST(EV_X_APPLAYER)
	PEV_MAX
};
#undef EV_X_STREAM
#undef EV_X_APPLAYER
#define PEV_APPLAYER_FIRST PEV_APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS

/* Transaction events, per protocol (app-layer-event:PROTO.NAME), at most
 * 64 each: a transaction holds them as one bitmap. */
#define EV_HTTP_LIST(X) \
	X(UNKNOWN_ERROR, "unknown_error") \
	X(GZIP_DECOMPRESSION_FAILED, "gzip_decompression_failed") \
	X(REQUEST_FIELD_MISSING_COLON, "request_field_missing_colon") \
	X(RESPONSE_FIELD_MISSING_COLON, "response_field_missing_colon") \
	X(INVALID_REQUEST_CHUNK_LEN, "invalid_request_chunk_len") \
	X(INVALID_RESPONSE_CHUNK_LEN, "invalid_response_chunk_len") \
	X(INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST, "invalid_transfer_encoding_value_in_request") \
	X(INVALID_TRANSFER_ENCODING_VALUE_IN_RESPONSE, "invalid_transfer_encoding_value_in_response") \
	X(INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST, "invalid_content_length_field_in_request") \
	X(INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE, "invalid_content_length_field_in_response") \
	X(DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST, "duplicate_content_length_field_in_request") \
	X(DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE, "duplicate_content_length_field_in_response") \
	X(100_CONTINUE_ALREADY_SEEN, "100_continue_already_seen") \
	X(UNABLE_TO_MATCH_RESPONSE_TO_REQUEST, "unable_to_match_response_to_request") \
	X(INVALID_SERVER_PORT_IN_REQUEST, "invalid_server_port_in_request") \
	X(INVALID_AUTHORITY_PORT, "invalid_authority_port") \
	X(REQUEST_HEADER_INVALID, "request_header_invalid") \
	X(RESPONSE_HEADER_INVALID, "response_header_invalid") \
	X(MISSING_HOST_HEADER, "missing_host_header") \
	X(HOST_HEADER_AMBIGUOUS, "host_header_ambiguous") \
	X(INVALID_REQUEST_FIELD_FOLDING, "invalid_request_field_folding") \
	X(INVALID_RESPONSE_FIELD_FOLDING, "invalid_response_field_folding") \
	X(REQUEST_FIELD_TOO_LONG, "request_field_too_long") \
	X(RESPONSE_FIELD_TOO_LONG, "response_field_too_long") \
	X(FILE_NAME_TOO_LONG, "file_name_too_long") \
	X(REQUEST_LINE_INVALID, "request_line_invalid") \
	X(REQUEST_BODY_UNEXPECTED, "request_body_unexpected") \
	X(REQUEST_SERVER_PORT_TCP_PORT_MISMATCH, "request_server_port_tcp_port_mismatch") \
	X(REQUEST_URI_HOST_INVALID, "request_uri_host_invalid") \
	X(REQUEST_HEADER_HOST_INVALID, "request_header_host_invalid") \
	X(REQUEST_AUTH_UNRECOGNIZED, "request_auth_unrecognized") \
	X(REQUEST_HEADER_REPETITION, "request_header_repetition") \
	X(RESPONSE_HEADER_REPETITION, "response_header_repetition") \
	X(DOUBLE_ENCODED_URI, "double_encoded_uri") \
	X(URI_DELIM_NON_COMPLIANT, "uri_delim_non_compliant") \
	X(METHOD_DELIM_NON_COMPLIANT, "method_delim_non_compliant") \
	X(REQUEST_LINE_LEADING_WHITESPACE, "request_line_leading_whitespace") \
	X(TOO_MANY_ENCODING_LAYERS, "too_many_encoding_layers") \
	X(ABNORMAL_CE_HEADER, "abnormal_ce_header") \
	X(RESPONSE_MULTIPART_BYTERANGES, "response_multipart_byteranges") \
	X(RESPONSE_ABNORMAL_TRANSFER_ENCODING, "response_abnormal_transfer_encoding") \
	X(RESPONSE_CHUNKED_OLD_PROTO, "response_chunked_old_proto") \
	X(RESPONSE_INVALID_PROTOCOL, "response_invalid_protocol") \
	X(RESPONSE_INVALID_STATUS, "response_invalid_status") \
	X(REQUEST_LINE_INCOMPLETE, "request_line_incomplete") \
	X(LZMA_MEMLIMIT_REACHED, "lzma_memlimit_reached") \
	X(COMPRESSION_BOMB, "compression_bomb") \
	X(RANGE_INVALID, "range_invalid") \
	X(MULTIPART_GENERIC_ERROR, "multipart_generic_error") \
	X(MULTIPART_NO_FILEDATA, "multipart_no_filedata") \
	X(MULTIPART_INVALID_HEADER, "multipart_invalid_header") \
	X(TOO_MANY_WARNINGS, "too_many_warnings") \
	X(FAILED_PROTOCOL_CHANGE, "failed_protocol_change")

#define EV_TLS_LIST(X) \
	X(INVALID_SSLV2_HEADER, "invalid_sslv2_header") \
	X(INVALID_TLS_HEADER, "invalid_tls_header") \
	X(INVALID_RECORD_VERSION, "invalid_record_version") \
	X(INVALID_RECORD_TYPE, "invalid_record_type") \
	X(INVALID_RECORD_LENGTH, "invalid_record_length") \
	X(INVALID_HANDSHAKE_MESSAGE, "invalid_handshake_message") \
	X(HEARTBEAT_MESSAGE, "heartbeat_message") \
	X(INVALID_HEARTBEAT_MESSAGE, "invalid_heartbeat_message") \
	X(OVERFLOW_HEARTBEAT_MESSAGE, "overflow_heartbeat_message") \
	X(DATALEAK_HEARTBEAT_MISMATCH, "dataleak_heartbeat_mismatch") \
	X(HANDSHAKE_INVALID_LENGTH, "handshake_invalid_length") \
	X(MULTIPLE_SNI_EXTENSIONS, "multiple_sni_extensions") \
	X(INVALID_SNI_TYPE, "invalid_sni_type") \
	X(INVALID_SNI_LENGTH, "invalid_sni_length") \
	X(TOO_MANY_RECORDS_IN_PACKET, "too_many_records_in_packet") \
	X(INVALID_CERTIFICATE, "invalid_certificate") \
	X(CERTIFICATE_INVALID_LENGTH, "certificate_invalid_length") \
	X(CERTIFICATE_INVALID_VERSION, "certificate_invalid_version") \
	X(CERTIFICATE_INVALID_SERIAL, "certificate_invalid_serial") \
	X(CERTIFICATE_INVALID_ALGORITHMIDENTIFIER, "certificate_invalid_algorithmidentifier") \
	X(CERTIFICATE_INVALID_X509NAME, "certificate_invalid_x509name") \
	X(CERTIFICATE_INVALID_DATE, "certificate_invalid_date") \
	X(CERTIFICATE_INVALID_EXTENSIONS, "certificate_invalid_extensions") \
	X(CERTIFICATE_INVALID_DER, "certificate_invalid_der") \
	X(CERTIFICATE_INVALID_SUBJECT, "certificate_invalid_subject") \
	X(CERTIFICATE_INVALID_ISSUER, "certificate_invalid_issuer") \
	X(CERTIFICATE_INVALID_VALIDITY, "certificate_invalid_validity") \
	X(ERROR_MESSAGE_ENCOUNTERED, "error_message_encountered") \
	X(INVALID_SSL_RECORD, "invalid_ssl_record")

#define EV_DNS_LIST(X) \
	X(MALFORMED_DATA, "malformed_data") \
	X(NOT_A_REQUEST, "not_a_request") \
	X(NOT_A_RESPONSE, "not_a_response") \
	X(Z_FLAG_SET, "z_flag_set") \
	X(INVALID_OPCODE, "invalid_opcode")

#define EV_SMTP_LIST(X) \
	X(INVALID_REPLY, "invalid_reply") \
	X(UNABLE_TO_MATCH_REPLY_WITH_REQUEST, "unable_to_match_reply_with_request") \
	X(MAX_COMMAND_LINE_LEN_EXCEEDED, "max_command_line_len_exceeded") \
	X(MAX_REPLY_LINE_LEN_EXCEEDED, "max_reply_line_len_exceeded") \
	X(INVALID_PIPELINED_SEQUENCE, "invalid_pipelined_sequence") \
	X(BDAT_CHUNK_LEN_EXCEEDED, "bdat_chunk_len_exceeded") \
	X(NO_SERVER_WELCOME_MESSAGE, "no_server_welcome_message") \
	X(TLS_REJECTED, "tls_rejected") \
	X(DATA_COMMAND_REJECTED, "data_command_rejected") \
	X(MIME_PARSE_FAILED, "mime_parse_failed") \
	X(MIME_MALFORMED_MSG, "mime_malformed_msg") \
	X(MIME_INVALID_BASE64, "mime_invalid_base64") \
	X(MIME_INVALID_QP, "mime_invalid_qp") \
	X(MIME_LONG_LINE, "mime_long_line") \
	X(MIME_LONG_ENC_LINE, "mime_long_enc_line") \
	X(MIME_LONG_HEADER_NAME, "mime_long_header_name") \
	X(MIME_LONG_HEADER_VALUE, "mime_long_header_value") \
	X(MIME_LONG_BOUNDARY, "mime_long_boundary") \
	X(MIME_LONG_FILENAME, "mime_long_filename") \
	X(DUPLICATE_FIELDS, "duplicate_fields") \
	X(UNPARSABLE_CONTENT, "unparsable_content") \
	X(FAILED_PROTOCOL_CHANGE, "failed_protocol_change")

/* (added) Suricata 7's SSH parser events (rust/src/ssh/ssh.rs SSHEvent) */
#define EV_SSH_LIST(X) \
	X(INVALID_BANNER, "invalid_banner") \
	X(LONG_BANNER, "long_banner") \
	X(INVALID_RECORD, "invalid_record") \
	X(LONG_KEX_RECORD, "long_kex_record")

#define EV_X_HTTP(id, name) HTTP_EV_##id,
#define EV_X_TLS(id, name) TLS_EV_##id,
#define EV_X_DNS(id, name) DNS_EV_##id,
#define EV_X_SMTP(id, name) SMTP_EV_##id,
#define EV_X_SSH(id, name) SSH_EV_##id,
enum http_event { EV_HTTP_LIST(EV_X_HTTP) HTTP_EV_MAX };
/* The HTTP events libhtp's response decompressors raise as they inflate. */
#define HTTP_CODING_EVENTS                                                        \
	(1ull << HTTP_EV_GZIP_DECOMPRESSION_FAILED | 1ull << HTTP_EV_COMPRESSION_BOMB | \
	 1ull << HTTP_EV_LZMA_MEMLIMIT_REACHED)
enum tls_event { EV_TLS_LIST(EV_X_TLS) TLS_EV_MAX };
enum dns_event { EV_DNS_LIST(EV_X_DNS) DNS_EV_MAX };
enum smtp_event { EV_SMTP_LIST(EV_X_SMTP) SMTP_EV_MAX };
enum ssh_event { EV_SSH_LIST(EV_X_SSH) SSH_EV_MAX };
#undef EV_X_HTTP
#undef EV_X_TLS
#undef EV_X_DNS
#undef EV_X_SMTP
#undef EV_X_SSH
_Static_assert(HTTP_EV_MAX <= 64 && TLS_EV_MAX <= 64 && DNS_EV_MAX <= 64 && SMTP_EV_MAX <= 64 &&
	       SSH_EV_MAX <= 64,
	       "a transaction's events are one 64-bit set");

/* The name lists, for lookups both ways (common/events.c). */
enum event_family { EVF_PKT, EVF_HTTP, EVF_TLS, EVF_DNS, EVF_SMTP, EVF_SSH, EVF_MAX };

/* A set of packet events: a bit per enum pkt_event. */
#define PKT_EVENT_WORDS ((PEV_MAX + 63) / 64)

struct pkt_events {
	uint64_t w[PKT_EVENT_WORDS];
};

static inline void pkt_event_set(struct pkt_events *e, enum pkt_event ev)
{
	e->w[ev / 64] |= 1ull << (ev % 64);
}

static inline int pkt_event_isset(const struct pkt_events *e, enum pkt_event ev)
{
	return (int)((e->w[ev / 64] >> (ev % 64)) & 1u);
}

#endif
