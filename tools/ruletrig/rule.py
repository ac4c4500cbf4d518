"""Suricata rule text -> header fields, options and the match chain of each
inspection buffer, as the rule language defines them (sticky buffers, the
legacy modifiers that move the content before them, pcre's buffer flags)."""
import re


class RuleError(Exception):
    pass


# sticky buffer spellings -> canonical buffer
STICKY = {
    "http.uri": "http.uri", "http.uri.raw": "http.uri.raw", "http.method": "http.method",
    "http.request_line": "http.request_line", "http_request_line": "http.request_line",
    "http.host": "http.host", "http.host.raw": "http.host.raw",
    "http.user_agent": "http.user_agent", "http.request_body": "http.request_body",
    "http.referer": "http.referer", "http_referer": "http.referer",
    "http.accept": "http.accept", "http_accept": "http.accept",
    "http.accept_lang": "http.accept_lang", "http_accept_lang": "http.accept_lang",
    "http.accept_enc": "http.accept_enc", "http_accept_enc": "http.accept_enc",
    "http.connection": "http.connection", "http_connection": "http.connection",
    "http.stat_code": "http.stat_code", "http.stat_msg": "http.stat_msg",
    "http.response_line": "http.response_line", "http_response_line": "http.response_line",
    "http.response_body": "http.response_body", "file.data": "file.data",
    "file_data": "file.data", "http.location": "http.location", "http.server": "http.server",
    "http.header": "http.header", "http.header.raw": "http.header.raw",
    "http.header_names": "http.header_names", "http_header_names": "http.header_names",
    "http.cookie": "http.cookie", "http.content_type": "http.content_type",
    "http_content_type": "http.content_type", "http.content_len": "http.content_len",
    "http_content_len": "http.content_len", "http.start": "http.start",
    "http_start": "http.start", "http.protocol": "http.protocol",
    "http_protocol": "http.protocol",
    "tls.sni": "tls.sni", "tls_sni": "tls.sni",
    "tls.cert_subject": "tls.cert_subject", "tls_cert_subject": "tls.cert_subject",
    "tls.cert_issuer": "tls.cert_issuer", "tls_cert_issuer": "tls.cert_issuer",
    "tls.cert_serial": "tls.cert_serial", "tls_cert_serial": "tls.cert_serial",
    "tls.cert_fingerprint": "tls.cert_fingerprint",
    "tls_cert_fingerprint": "tls.cert_fingerprint", "tls.certs": "tls.certs",
    "ja3.hash": "ja3.hash", "ja3_hash": "ja3.hash", "ja3.string": "ja3.string",
    "ja3_string": "ja3.string", "ja3s.hash": "ja3s.hash", "ja3s_hash": "ja3s.hash",
    "ja3s.string": "ja3s.string", "ja3s_string": "ja3s.string",
    "tls.random": "tls.random", "tls.alpn": "tls.alpn",
    "tls.subjectaltname": "tls.subjectaltname",
    "dns.query": "dns.query", "dns_query": "dns.query",
    "ssh.proto": "ssh.proto", "ssh_proto": "ssh.proto",
    "ssh.software": "ssh.software", "ssh_software": "ssh.software",
}
# legacy modifiers: move the content just before them
MODIFIER = {
    "http_uri": "http.uri", "http_raw_uri": "http.uri.raw", "http_method": "http.method",
    "http_host": "http.host", "http_raw_host": "http.host.raw",
    "http_user_agent": "http.user_agent", "http_client_body": "http.request_body",
    "http_server_body": "http.response_body", "http_stat_code": "http.stat_code",
    "http_stat_msg": "http.stat_msg", "http_header": "http.header",
    "http_raw_header": "http.header.raw", "http_cookie": "http.cookie",
}
PCRE_FLAGS = {"U": "http.uri", "I": "http.uri.raw", "H": "http.header", "D": "http.header.raw",
              "C": "http.cookie", "M": "http.method", "P": "http.request_body",
              "S": "http.stat_code", "Y": "http.stat_msg", "V": "http.user_agent",
              "W": "http.host", "Z": "http.host.raw", "Q": "file.data"}
TRANSFORMS = {"dotprefix", "strip_whitespace", "compress_whitespace", "to_lowercase",
              "to_uppercase", "url_decode", "header_lowercase", "strip_pseudo_headers"}
# keywords with no bearing on what the flow must hold
IGNORED = {"msg", "reference", "classtype", "sid", "rev", "metadata", "gid", "priority",
           "target", "fast_pattern", "rawbytes", "flow", "flowbits", "threshold",
           "detection_filter", "app-layer-protocol", "tag", "noalert", "pkt_data",
           "pcre", "content", "uricontent", "nocase", "depth", "offset", "distance",
           "within", "startswith", "endswith", "isdataat", "bsize", "dsize", "urilen"}


class Match:
    """One entry of a buffer's chain: kind content|pcre|isdataat|bsize."""

    def __init__(self, kind, buf, xforms=()):
        self.kind, self.buf, self.xforms = kind, buf, tuple(xforms)
        self.pat, self.neg, self.nocase = b"", False, False
        self.offset = self.depth = self.distance = self.within = None
        self.startswith = self.endswith = False
        self.regex = self.flags = None
        self.relative = False
        self.n = 0
        self.op = None          # bsize/dsize/urilen: ("=", n) ("<", n) (">", n) ("<>", a, b)

    def is_relative(self):
        return self.relative or self.distance is not None or self.within is not None


class Rule:
    def __init__(self, text, path, line):
        self.text, self.path, self.line = text, path, line
        self.opts = []
        self.matches = []
        self.flow = set()
        self.flowbits = []      # (op, name-expression)
        self.other = []         # keywords the synthesizer does not handle
        self.sid = 0
        self.noalert = False
        self.threshold = None
        self.dsize = None
        self.urilen = None
        self.repeat = 1


def split_options(body):
    out, cur, i, q = [], [], 0, False
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur.append(body[i:i + 2])
            i += 2
            continue
        if ch == '"':
            q = not q
        if ch == ";" and not q:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return [o for o in out if o]


def content_bytes(s):
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise RuleError("content not quoted")
    s, out, i = s[1:-1], bytearray(), 0
    while i < len(s):
        ch = s[i]
        if ch == "|":
            j = s.index("|", i + 1)
            out += bytes.fromhex(s[i + 1:j].replace(" ", ""))
            i = j + 1
        elif ch == "\\":
            out.append(ord(s[i + 1]))
            i += 2
        else:
            out += ch.encode("latin-1", "replace")
            i += 1
    return bytes(out)


def size_op(v):
    v = v.strip()
    m = re.fullmatch(r"(\d+)\s*<>\s*(\d+)", v)
    if m:
        return ("<>", int(m.group(1)), int(m.group(2)))
    m = re.fullmatch(r"([<>]=?|=|!)?\s*(\d+)", v)
    if not m:
        raise RuleError(f"size {v}")
    return (m.group(1) or "=", int(m.group(2)))


def parse(text, path="-", line=0):
    m = re.match(r"^(\w+)\s+(\S+)\s+(\S+|\[[^\]]*\])\s+(\S+|\[[^\]]*\])\s+(->|<>)\s+"
                 r"(\S+|\[[^\]]*\])\s+(\S+|\[[^\]]*\])\s*\((.*)\)\s*$", text)
    if not m:
        raise RuleError("header")
    r = Rule(text, path, line)
    (r.action, r.proto, r.src, r.sport, r.dir, r.dst, r.dport, body) = m.groups()
    r.proto = r.proto.lower()
    cur_buf, xforms = "pkt", {}
    last = None
    for opt in split_options(body):
        k, _, v = opt.partition(":")
        k, v = k.strip(), v.strip()
        r.opts.append((k, v))
        if k == "sid":
            r.sid = int(v)
        elif k in ("content", "uricontent"):
            last = Match("content", "http.uri" if k == "uricontent" else cur_buf,
                         xforms.get(cur_buf, ()))
            if v.startswith("!"):
                last.neg, v = True, v[1:]
            last.pat = content_bytes(v)
            r.matches.append(last)
        elif k == "pcre":
            pm = re.fullmatch(r'(!?)"/(.*)/([A-Za-z]*)"', v, re.S)
            if not pm:
                raise RuleError("pcre")
            last = Match("pcre", cur_buf, xforms.get(cur_buf, ()))
            last.neg = pm.group(1) == "!"
            last.regex, last.flags = pm.group(2).replace('\\"', '"').replace("\\;", ";"), \
                pm.group(3)
            for f in last.flags:
                if f in PCRE_FLAGS:
                    last.buf, last.xforms = PCRE_FLAGS[f], ()
            last.relative = "R" in last.flags
            r.matches.append(last)
        elif k == "nocase" and last:
            last.nocase = True
        elif k in ("depth", "offset", "distance", "within") and last:
            if not re.fullmatch(r"-?\d+", v):
                r.other.append(f"{k} from a variable")
                continue
            setattr(last, k, int(v))
        elif k == "startswith" and last:
            last.startswith = True
        elif k == "endswith" and last:
            last.endswith = True
        elif k == "isdataat":
            im = Match("isdataat", cur_buf, xforms.get(cur_buf, ()))
            parts = [p.strip() for p in v.split(",")]
            im.neg = parts[0].startswith("!")
            if not parts[0].lstrip("!").isdigit():
                r.other.append("isdataat from a variable")
                continue
            im.n = int(parts[0].lstrip("!"))
            im.relative = "relative" in parts[1:]
            r.matches.append(im)
        elif k == "bsize":
            bm = Match("bsize", cur_buf, xforms.get(cur_buf, ()))
            bm.op = size_op(v)
            r.matches.append(bm)
        elif k == "dsize":
            r.dsize = size_op(v)
        elif k == "urilen":
            r.urilen = (size_op(v.split(",")[0]), "raw" in v)
        elif k in STICKY:
            cur_buf = STICKY[k]
        elif k in MODIFIER and last:
            last.buf, last.xforms = MODIFIER[k], ()
        elif k == "pkt_data":
            cur_buf = "pkt"
        elif k in TRANSFORMS:
            xforms[cur_buf] = xforms.get(cur_buf, ()) + (k,)
        elif k == "flow":
            r.flow = {x.strip() for x in v.split(",")}
        elif k == "flowbits":
            parts = [p.strip() for p in v.split(",")]
            if parts[0] == "noalert":
                r.noalert = True
            else:
                r.flowbits.append((parts[0], parts[1] if len(parts) > 1 else ""))
        elif k == "noalert":
            r.noalert = True
        elif k in ("threshold", "detection_filter"):
            cm = re.search(r"count\s+(\d+)", v)
            tm = re.search(r"type\s+(\w+)", v)
            if cm and int(cm.group(1)) > 1 and (k == "detection_filter" or
                                                 (tm and tm.group(1) != "limit")):
                # count matches make the first alert (the count+1st for
                # detection_filter): the flow repeats what the rule matches
                r.repeat = max(r.repeat, int(cm.group(1)) + 1)
        elif k not in IGNORED:
            r.other.append(k)
    if r.sid == 0:
        raise RuleError("no sid")
    return r
