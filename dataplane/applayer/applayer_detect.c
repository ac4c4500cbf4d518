// SPDX-License-Identifier: MIT
/* Protocol detection by content, ports only as hints (Suricata's probing
 * parsers): HTTP by its request methods to the server or "HTTP/" status
 * line to the client (either, in midstream mode), TLS by a
 * handshake record or an SSLv2 ClientHello, DNS on its detection ports by
 * a sane header; then the detection-only protocols (app_detect_plain.c). */
#include <string.h>
#include <strings.h>

#include "applayer-int.h"

/* Suricata's HTTP detection patterns (app-layer-htp.c): to the server a
 * request method of its list (and SEARCH, SUBSCRIBE, NOTIFY), in any case,
 * then a space or a tab; to the client an "HTTP/" status line. */
static const char *const methods[] = {
	"GET", "PUT", "POST", "HEAD", "TRACE", "OPTIONS", "CONNECT", "DELETE", "PATCH",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "CHECKOUT",
	"UNCHECKOUT", "CHECKIN", "UPDATE", "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY",
	"MERGE", "INVALID", "VERSION-CONTROL", "BASELINE-CONTROL", "SEARCH", "SUBSCRIBE",
	"NOTIFY",
};

static bool starts_ci(const uint8_t *d, uint32_t len, const char *s)
{
	size_t l = strlen(s);

	return len >= l && strncasecmp((const char *)d, s, l) == 0;
}

static bool http_request(const uint8_t *d, uint32_t len)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		size_t l = strlen(methods[i]);

		if (starts_ci(d, len, methods[i]) && len > l && (d[l] == ' ' || d[l] == '\t'))
			return true;
	}
	return false;
}

static bool http_response(const uint8_t *d, uint32_t len)
{
	return len >= 5 && memcmp(d, "HTTP/", 5) == 0;
}

/* Suricata registers the request methods as to-server patterns and the
 * status line as a to-client one: a direction is judged by its own, and
 * only in midstream mode (stream.midstream), finding none of those, by the
 * other direction's (AppLayerProtoDetectPMGetProto). */
static bool is_http(const struct applayer_ctx *ctx, const uint8_t *d, uint32_t len,
		    enum app_dir dir, bool *other)
{
	bool own = dir == APP_TO_SERVER ? http_request(d, len) : http_response(d, len);

	if (own || !ctx->cfg.midstream)
		return own;
	*other = dir == APP_TO_SERVER ? http_response(d, len) : http_request(d, len);
	return *other;
}

static bool is_tls(const uint8_t *d, uint32_t len)
{
	if (len >= 3 && d[0] == 22 && d[1] == 3 && d[2] <= 4)
		return true;
	/* SSLv2 ClientHello asking for SSLv3 or TLS */
	return len >= 5 && (d[0] & 0x80) && d[2] == 1 && d[3] == 3;
}

/* A disabled protocol (enabled: no) is never detected. */
static bool off(const struct applayer_ctx *ctx, const struct app_flow *af, enum app_proto p)
{
	return ctx->cfg.mode[af->ipproto == 17][p] == APP_MODE_OFF;
}

enum app_proto app_probe(const struct applayer_ctx *ctx, const struct app_flow *af,
			 enum app_dir dir, const uint8_t *d, uint32_t len, bool *other)
{
	const int t = af->ipproto == 17;
	bool dns_port = app_ports_has(&ctx->cfg.dns_dp[t], af->sport) ||
			app_ports_has(&ctx->cfg.dns_sp[t], af->cport);

	*other = false;
	if (off(ctx, af, APP_PROTO_DNS))
		dns_port = false;
	if (t)
		return dns_port && app_dns_probe(d, len, false) ? APP_PROTO_DNS
							       : APP_PROTO_UNKNOWN;
	if (!off(ctx, af, APP_PROTO_HTTP) && is_http(ctx, d, len, dir, other))
		return APP_PROTO_HTTP;
	if (!off(ctx, af, APP_PROTO_TLS) && is_tls(d, len))
		return APP_PROTO_TLS;
	if (dns_port && app_dns_probe(d, len, true))
		return APP_PROTO_DNS;
	return app_probe_plain(ctx, af, dir, d, len);
}
