"""From a rule to a flow: build each inspected buffer so that the rule's
chain matches it (checked with match.inspect), assemble the protocol
messages that carry those buffers, prepend what flowbits prerequisites need,
and write the packets."""
import collections
import itertools
import re
import struct
import urllib.parse

from . import match as M
from . import net as N
from . import regen
from . import tlscert
from .rule import Match

CERT_BUFS = {"tls.cert_subject", "tls.cert_issuer", "tls.certs"}

RESPONSE_BUFS = {"http.stat_code", "http.stat_msg", "http.response_line", "http.response_body",
                 "http.location", "http.server"}
BOTH_BUFS = {"http.header", "http.header.raw", "http.header_names", "http.content_type",
             "http.content_len", "http.start", "http.protocol", "http.cookie",
             "http.connection"}
HDR_BUFS = {"http.user_agent": b"User-Agent", "http.referer": b"Referer",
            "http.accept": b"Accept", "http.accept_lang": b"Accept-Language",
            "http.accept_enc": b"Accept-Encoding", "http.connection": b"Connection",
            "http.content_type": b"Content-Type", "http.content_len": b"Content-Length",
            "http.location": b"Location", "http.server": b"Server"}
SUPPORTED = {"pkt", "dns.query", "tls.sni", "file.data"} | CERT_BUFS | RESPONSE_BUFS | BOTH_BUFS | \
    set(HDR_BUFS) | {"http.uri", "http.uri.raw", "http.method", "http.request_line",
                     "http.host", "http.host.raw", "http.request_body"}


# Suricata's HTTP detection patterns (app-layer-htp.c), any case
DETECTED_METHODS = {m.encode() for m in (
    "GET PUT POST HEAD TRACE OPTIONS CONNECT DELETE PATCH PROPFIND PROPPATCH MKCOL COPY "
    "MOVE LOCK UNLOCK CHECKOUT UNCHECKOUT CHECKIN UPDATE LABEL REPORT MKWORKSPACE "
    "MKACTIVITY MERGE INVALID VERSION-CONTROL BASELINE-CONTROL").split()}


class Unsynth(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Flow:
    def __init__(self, rule, frames, key):
        self.rule, self.frames, self.key = rule, frames, key


class RuleIndex:
    """Who sets each flowbit."""

    def __init__(self, rules):
        self.setters = collections.defaultdict(list)
        self.used = {}          # sid -> the setter rules its flow carries
        for r in rules:
            for op, name in r.flowbits:
                if op in ("set", "toggle"):
                    self.setters[name].append(r)


def chains(r):
    out = collections.OrderedDict()
    for m in r.matches:
        out.setdefault(m.buf, []).append(m)
    return out


def to_client(r):
    if r.flow & {"to_client", "from_server"}:
        return True
    if r.flow & {"to_server", "from_client"}:
        return False
    # file.data with no direction: ET means the response (a page, a file)
    return any(m.buf in RESPONSE_BUFS or m.buf in CERT_BUFS or m.buf == "file.data"
               for m in r.matches)


def features(r):
    """A short description of what a rule uses, to group misses by."""
    bufs = sorted({m.buf for m in r.matches})
    kinds = set()
    for m in r.matches:
        if m.kind == "pcre":
            kinds.add("pcre")
        if m.kind == "content" and m.is_relative():
            kinds.add("relative")
        if m.kind == "content" and m.neg:
            kinds.add("negated")
        if m.kind in ("isdataat", "bsize"):
            kinds.add(m.kind)
        if m.kind == "content" and (m.startswith or m.endswith):
            kinds.add("anchored")
        if m.xforms:
            kinds.add("transform")
    if any(op == "isset" for op, _ in r.flowbits):
        kinds.add("flowbits")
    if r.dsize:
        kinds.add("dsize")
    if r.urilen:
        kinds.add("urilen")
    return f"{r.proto} {'/'.join(bufs)} {'+'.join(sorted(kinds))}".strip()


# --- one buffer -----------------------------------------------------------------------------

def _layout(chain, prefix, sep, filler, pcre_first, choice=0):
    slots, ext, prev = {}, 0, 0
    minlen, maxlen, endpin = 0, None, None

    def put(pos, data, nocase):
        for k, b in enumerate(data):
            have = slots.get(pos + k)
            if have is not None and have != b and not (
                    nocase and chr(have).lower() == chr(b).lower()):
                return False
        for k, b in enumerate(data):
            slots.setdefault(pos + k, b)
        return True

    if prefix:
        put(0, prefix, False)
        ext = len(prefix)
    order = list(chain)
    if pcre_first:
        order.sort(key=lambda m: 0 if m.kind == "pcre" and not m.relative else 1)
    for m in order:
        if m.kind == "content" and not m.neg:
            L = len(m.pat)
            if m.startswith:
                cands = [0]
            elif m.is_relative():
                lo = max(prev + (m.distance or 0), 0)
                hi = prev + (m.distance or 0) + m.within - L if m.within is not None else lo
                cands = range(lo, max(lo, hi) + 1)
            elif m.offset is not None or m.depth is not None:
                lo = m.offset or 0
                hi = lo + m.depth - L if m.depth is not None else max(lo, ext)
                cands = [p for p in range(lo, max(lo, hi) + 1)]
                cands.sort(key=lambda p: (p < ext, p))
            else:
                cands = [ext + (len(sep) if ext and sep else 0)]
            for pos in cands:
                if pos == ext + len(sep) and sep and ext and not m.is_relative():
                    put(ext, sep, False)
                if put(pos, m.pat, m.nocase):
                    break
            else:
                return None
            prev = pos + L
            ext = max(ext, prev)
            if m.endswith:
                endpin = prev
        elif m.kind == "pcre" and not m.neg:
            rx = M.py_regex(m)
            if rx is None:
                raise Unsynth("pcre Python cannot compile")
            try:
                s, a0, a1 = regen.sample(rx, choice)
            except (regen.Unsupported, StopIteration) as e:
                raise Unsynth(f"pcre construct {e}")
            pos = prev if m.relative else (0 if a0 else ext)
            if not put(pos, s, "i" in m.flags):
                pos = ext
                if a0 or not put(pos, s, "i" in m.flags):
                    return None
            prev = pos + len(s)
            ext = max(ext, prev)
            if a1:
                endpin = prev
        elif m.kind == "isdataat":
            if not m.neg:
                minlen = max(minlen, prev + m.n if m.relative else m.n + 1)
            else:
                lim = prev + m.n - 1 if m.relative else m.n
                maxlen = lim if maxlen is None else min(maxlen, lim)
        elif m.kind == "bsize":
            op = m.op
            if op[0] in ("=",):
                minlen, maxlen = max(minlen, op[1]), op[1]
            elif op[0] in ("<", "<="):
                maxlen = op[1] - (op[0] == "<")
            elif op[0] in (">", ">="):
                minlen = max(minlen, op[1] + (op[0] == ">"))
            elif op[0] == "<>":
                minlen, maxlen = max(minlen, op[1] + 1), op[2] - 1
    n = max(ext, minlen)
    if endpin is not None:
        if endpin < ext:
            return None
        n = endpin if endpin >= minlen else None
        if n is None:
            return None
    if maxlen is not None and n > maxlen:
        return None
    return bytes(slots.get(k, filler[k % len(filler)]) for k in range(n))


def untransform(t, xforms):
    if "dotprefix" in xforms and t.startswith(b"."):
        return t[1:]
    return t


def candidates(chain, prefix=b"", sep=b"", fillers=(b"x", b"0", b"-")):
    """Bytes whose (transformed) view matches chain, best first; prefix (a
    URI's "/") is put first when the bytes would not start with it."""
    xf = chain[0].xforms if chain else ()
    for pfx in ((b"", prefix) if prefix else (b"",)):
        for pf, fill, choice in itertools.product((False, True), fillers, range(3)):
            if choice and not any(m.kind == "pcre" for m in chain):
                continue
            t = _layout(chain, pfx, sep, fill, pf, choice)
            if t is None:
                continue
            raw = untransform(t, xf)
            if pfx == b"" and prefix and not raw.startswith(prefix):
                continue
            if M.inspect(M.transform(raw, xf), chain):
                yield raw


def build(chain, prefix=b"", sep=b"", fillers=(b"x", b"0", b"-")):
    for raw in candidates(chain, prefix, sep, fillers):
        return raw
    raise Unsynth(f"cannot satisfy {chain[0].buf} chain")


# --- HTTP -----------------------------------------------------------------------------------

def _token(b):
    return re.fullmatch(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+", b) is not None


def header_lines(t):
    """The header lines a wanted http.header view asks for: (name, value)."""
    out, lead = [], t.startswith(b"\r\n")
    segs = t.split(b"\r\n")
    for k, s in enumerate(segs):
        if s == b"":
            if 0 < k < len(segs) - 1:
                raise Unsynth("http.header with an empty line")
            continue
        name, colon, value = s.partition(b":")
        if not (colon and _token(name)):
            name, value = b"X-Data", b" " + s
        # libhtp trims the value's whitespace: pad what the rule wants kept
        value = value[1:] if value.startswith(b" ") else value
        if value[:1] in (b" ", b"\t"):
            value = b"x" + value
        if value[-1:] in (b" ", b"\t"):
            value += b"x"
        # libhtp fails the stream on a Basic credential that is not base64
        if name.lower() == b"authorization" and re.fullmatch(rb"(?i)basic ?x?", value):
            value = value[:5] + b" YTpi"
        out.append((name, value))
    return out, lead


REQ_LINE = rb"(\S+) (\S+) (HTTP/\d\.\d)"
RESP_LINE = rb"(HTTP/\d\.\d) (\d{3}) ([^\r\n]*)"


def start_line(t, chain, form, affixes):
    """The three fields of a start line holding t: t itself, or t with a
    prefix or a suffix from affixes that completes it."""
    cands = [t] + [t + a for a in affixes if not a.endswith(b" ") and a] + \
        [a + t for a in affixes if a.endswith(b" ") or a.endswith(b"/")]
    cands += [c + b" HTTP/1.1" for c in cands if form == REQ_LINE] + \
        [c + b" OK" for c in cands if form == RESP_LINE]
    for c in cands:
        m = re.fullmatch(form, c)
        if m and M.inspect(M.transform(c, chain[0].xforms), chain):
            return [m.group(1), m.group(2), m.group(3)]
    raise Unsynth("no start line holds the wanted text")


def header_value(chain, empty):
    """A header value for chain: libhtp trims the value's trailing
    whitespace and gives no buffer for an empty one, so pad those."""
    # a value libhtp keeps as it is: no CR/LF, no leading whitespace
    t = next((c for c in candidates(chain) if not re.search(rb"[\r\n]", c) and
              c[:1] not in (b" ", b"\t")), None) or build(chain)
    if len(t) > 16000:
        raise Unsynth("header value past libhtp's field limit")
    if t == b"":
        return empty
    if t[-1:] in (b" ", b"\t"):
        t += b"x"
    return t


class HttpSide:
    def __init__(self, request):
        self.request = request
        self.first = [b"GET", b"/", b"HTTP/1.1"] if request else [b"HTTP/1.1", b"200", b"OK"]
        self.headers = []
        self.body = b""
        self.raw_uri = None

    def set_header(self, name, value):
        for i, (n, _) in enumerate(self.headers):
            if n.lower() == name.lower():
                self.headers[i] = (name, value)
                return
        self.headers.append((name, value))

    def wire(self):
        hd = [(n, str(len(self.body)).encode() if n.lower() == b"content-length" and
               not v.isdigit() else v) for n, v in self.headers]
        if self.body and not any(n.lower() == b"content-length" for n, _ in hd):
            hd.append((b"Content-Length", str(len(self.body)).encode()))
        if not self.request and not any(n.lower() == b"content-length" for n, _ in hd):
            hd.append((b"Content-Length", str(len(self.body)).encode()))
        self.headers = hd
        first = list(self.first)
        if self.request and self.raw_uri is not None:
            first[1] = self.raw_uri
        return b" ".join(first) + b"\r\n" + b"".join(n + b": " + v + b"\r\n" for n, v in hd) + \
            b"\r\n" + self.body


def uri_wire(t):
    """A request-target whose normalized form (libhtp's: the path
    percent-decoded, the query as sent) is t; a query that cannot go on the
    wire as it is goes in the path, its '?' encoded."""
    path, q, query = t.partition(b"?")
    if q and re.search(rb"[\x00-\x20#\x7f-\xff]", query):
        path, q, query = t, b"", b""
    if re.search(rb"//|/\.\.?(/|$)|\\", path):
        raise Unsynth("http.uri path that normalization changes")
    out = bytearray()
    for b in path:
        if 0x21 <= b <= 0x7e and b not in b"%#?":
            out.append(b)
        else:
            out += b"%%%02X" % b
    return bytes(out) + q + query


def uri_normalized(wire):
    path, q, query = wire.partition(b"?")
    return urllib.parse.unquote_to_bytes(path) + q + query


def merged(headers):
    """libhtp's header table: a repeated name keeps its first place, its
    values joined with ", "."""
    out, where = [], {}
    for n, v in headers:
        k = n.lower()
        if k in where:
            i = where[k]
            out[i] = (out[i][0], out[i][1] + b", " + v)
        else:
            where[k] = len(out)
            out.append((n, v))
    return out


def http_views(req, resp):
    """The buffers Suricata inspects for this transaction (as documented)."""
    v = {}
    raw_uri = req.raw_uri if req.raw_uri is not None else req.first[1]
    if not raw_uri.startswith(b"/"):
        # libhtp parses a scheme and an authority out of other forms
        raise Unsynth("request-target not in origin form")
    v["http.uri"] = uri_normalized(raw_uri)
    v["http.uri.raw"] = raw_uri
    v["http.method"] = req.first[0]
    v["http.request_line"] = b" ".join([req.first[0], raw_uri, req.first[2]])
    for side, tag in ((req, "q"), (resp, "s")):
        hd = merged(side.headers)
        v["http.header" + tag] = b"".join(n + b": " + val + b"\r\n" for n, val in hd)
        v["http.header.raw" + tag] = v["http.header" + tag] + b"\r\n"
        v["http.header_names" + tag] = b"\r\n" + b"".join(n + b"\r\n" for n, _ in hd) + b"\r\n"
        v["http.protocol" + tag] = side.first[2] if side.request else side.first[0]
        line = b" ".join(side.first) if not side.request else v["http.request_line"]
        v["http.start" + tag] = line + b"\r\n" + v["http.header" + tag] + b"\r\n"
        for buf, name in list(HDR_BUFS.items()) + [("http.cookie", b"Cookie" if side.request
                                                     else b"Set-Cookie"),
                                                    ("http.host.raw", b"Host")]:
            for n, val in hd:
                if n.lower() == name.lower():
                    v[buf + tag] = val
                    break
    host = v.get("http.host.rawq")
    if host is not None:
        v["http.hostq"] = host.split(b":")[0].lower()
    v["http.request_body"] = req.body
    v["http.response_body"] = resp.body
    v["http.stat_code"] = resp.first[1]
    v["http.stat_msg"] = resp.first[2]
    v["http.response_line"] = b" ".join(resp.first)
    return v


def view_of(v, buf, toclient):
    if buf == "file.data":
        buf = "http.response_body" if toclient else "http.request_body"
    if buf in BOTH_BUFS or buf in HDR_BUFS or buf in ("http.host", "http.host.raw"):
        return v.get(buf + ("s" if toclient and buf not in ("http.host", "http.host.raw")
                            else "q"))
    return v.get(buf)


def http_tx(r):
    """(request bytes, response bytes) for one HTTP rule; content outside any
    buffer (the stream) goes in a header or in the body of its side."""
    last = None
    for mode in ("header", "body"):
        try:
            return _http_tx(r, mode)
        except Unsynth as e:
            last = e
            if "pkt" not in chains(r):
                break
    raise last


def _http_tx(r, pkt_mode):
    tc = to_client(r)
    ch = chains(r)
    if r.urilen:
        # urilen is the size of the normalized (or raw) URI: a bsize of it
        b = Match("bsize", "http.uri.raw" if r.urilen[1] else "http.uri")
        b.op = r.urilen[0]
        ch.setdefault(b.buf, []).append(b)
    req, resp = HttpSide(True), HttpSide(False)
    req.headers = [(b"Host", b"example.com"), (b"User-Agent", b"Mozilla/5.0"),
                   (b"Accept", b"*/*")]
    resp.headers = [(b"Content-Type", b"text/html")]
    for buf, chain in ch.items():
        side = resp if (tc and (buf in BOTH_BUFS or buf in HDR_BUFS)) or buf in RESPONSE_BUFS \
            else req
        if buf == "file.data":
            side = resp if tc else req
        if buf == "http.uri":
            t = build(chain, prefix=b"/")
            req.first[1] = uri_wire(t)
        elif buf == "http.uri.raw":
            t = build(chain, prefix=b"/")
            if re.search(rb"[\s]", t):
                raise Unsynth("http.uri.raw with whitespace")
            req.raw_uri = t
        elif buf == "http.method":
            t = build(chain, fillers=(b"X",))
            if not _token(t):
                raise Unsynth("http.method not a token")
            req.first[0] = t
        elif buf == "http.protocol":
            t = build(chain)
            if re.search(rb"\s", t):
                raise Unsynth("http.protocol with whitespace")
            if side.request:
                side.first[2] = t
            else:
                side.first[0] = t
        elif buf == "http.stat_code":
            resp.first[1] = build(chain, fillers=(b"2", b"0"))
        elif buf == "http.stat_msg":
            resp.first[2] = build(chain)
        elif buf in ("http.host", "http.host.raw"):
            req.set_header(b"Host", header_value(chain, b"example.com"))
        elif buf in HDR_BUFS or buf == "http.cookie":
            t = header_value(chain, b"x")
            if b"\r" in t or b"\n" in t or t[:1] in (b" ", b"\t"):
                raise Unsynth(f"{buf} value with CR/LF or leading space")
            name = HDR_BUFS.get(buf) or (b"Set-Cookie" if side is resp else b"Cookie")
            side.set_header(name, t)
        elif buf in ("http.header", "http.header.raw"):
            t = build(chain, sep=b"\r\n")
            if buf == "http.header.raw" and t.endswith(b"\r\n\r\n"):
                t = t[:-2]
            lines, lead = header_lines(t)
            names = {n.lower() for n, _ in lines}
            keep = [(n, v) for n, v in side.headers if n.lower() not in names]
            if lead and not keep:
                keep = [(b"X-Lead", b"1")]
            side.headers = keep[:1] + lines + keep[1:]
        elif buf in ("http.request_body", "http.response_body", "file.data"):
            side.body = build(chain) or b"x"
            if side is req and req.first[0] == b"GET":
                req.first[0] = b"POST"
        elif buf == "pkt":
            if any(m.kind == "isdataat" and m.n >= 1400 for m in chain):
                raise Unsynth("stream isdataat past one segment")
            t = build(chain)
            side = resp if tc else req
            if pkt_mode == "header":
                if re.search(rb"[\r\n]", t):
                    raise Unsynth("stream content with CR/LF")
                side.headers.insert(0, (b"X-Pkt", t))
            else:
                side.body = t
                if side is req and req.first[0] == b"GET":
                    req.first[0] = b"POST"
        elif buf == "http.request_line":
            req.first[0], req.raw_uri, req.first[2] = start_line(
                build(chain), chain, REQ_LINE,
                (b"", b" HTTP/1.1", b"x HTTP/1.1", b"GET ", b"GET /", b"GET /x "))
        elif buf == "http.response_line":
            resp.first = list(start_line(build(chain), chain, RESP_LINE,
                                         (b"", b" OK", b"HTTP/1.1 ", b"HTTP/1.1 200 ")))
        elif buf == "http.header_names":
            t = build(chain, sep=b"\r\n")
            names = [n for n in t.split(b"\r\n") if n]
            if not all(_token(n) for n in names):
                raise Unsynth("http.header_names with a name that is no token")
            wanted = [(n, b"example.com" if n.lower() == b"host" else b"1") for n in names]
            rest = [(n, v) for n, v in side.headers
                    if n.lower() not in {w.lower() for w in names}]
            side.headers = rest + wanted if t.endswith(b"\r\n\r\n") else wanted + rest
        elif buf == "http.start":
            raise Unsynth(f"{buf} not synthesized")
        else:
            raise Unsynth(f"buffer {buf}")

    # the method a body rides on
    qb, sb = req.wire(), resp.wire()
    views = http_views(req, resp)
    views["pkt"] = sb if tc else qb
    for buf, chain in ch.items():
        view = view_of(views, buf, tc)
        if view is None or not M.inspect(M.transform(view, chain[0].xforms), chain):
            raise Unsynth(f"assembled {buf} does not match")
    return qb, sb


# --- DNS, TLS, raw ------------------------------------------------------------------------

def dns_query_msg(name, txid):
    q = b"".join(bytes([len(lbl)]) + lbl for lbl in name.split(b".")) + b"\0"
    return struct.pack("!HHHHHH", txid, 0x0100, 1, 0, 0, 0) + q + struct.pack("!HH", 1, 1)


def dns_answer_msg(name, txid):
    q = b"".join(bytes([len(lbl)]) + lbl for lbl in name.split(b".")) + b"\0"
    return struct.pack("!HHHHHH", txid, 0x8180, 1, 1, 0, 0) + q + struct.pack("!HH", 1, 1) + \
        b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([93, 184, 216, 34])


def dns_name(r):
    chain = chains(r)["dns.query"]
    t = build(chain, fillers=(b"x", b"a"))
    name = (b"x" + t if t.startswith(b".") else t).rstrip(b".")
    labels = name.split(b".")
    if not name or any(not 0 < len(lb) < 64 for lb in labels) or re.search(rb"[\x00-\x20]",
                                                                        name):
        raise Unsynth("dns.query not a valid name")
    if not M.inspect(M.transform(name, chain[0].xforms), chain):
        raise Unsynth("assembled dns.query does not match")
    return name


def client_hello(sni):
    ext = b""
    if sni is not None:
        entry = b"\0" + struct.pack("!H", len(sni)) + sni
        lst = struct.pack("!H", len(entry)) + entry
        ext += struct.pack("!HH", 0, len(lst)) + lst
    body = b"\x03\x03" + bytes(32) + b"\0" + struct.pack("!H", 4) + b"\xc0\x2f\x00\x2f" + \
        b"\x01\x00" + struct.pack("!H", len(ext)) + ext
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def server_hello(chain=()):
    """ServerHello, Certificate (if chain) and ServerHelloDone in a record."""
    body = b"\x03\x03" + bytes(range(32)) + b"\0" + b"\xc0\x2f" + b"\0" + b"\0\0"
    hs = b"\x02" + struct.pack("!I", len(body))[1:] + body
    if chain:
        certs = b"".join(struct.pack("!I", len(c))[1:] + c for c in chain)
        cm = struct.pack("!I", len(certs))[1:] + certs
        hs += b"\x0b" + struct.pack("!I", len(cm))[1:] + cm
    done = b"\x0e\0\0\0"
    rec = hs + done
    return b"\x16\x03\x03" + struct.pack("!H", len(rec)) + rec


def tls_chain(r):
    """The server's certificates a rule's certificate buffers ask for."""
    ch = chains(r)
    if not CERT_BUFS & set(ch):
        return ()
    try:
        sub = tlscert.dn_parts(build(ch["tls.cert_subject"])) if "tls.cert_subject" in ch \
            else None
        iss = tlscert.dn_parts(build(ch["tls.cert_issuer"])) if "tls.cert_issuer" in ch \
            else None
        blob = build(ch["tls.certs"]) if "tls.certs" in ch else None
        chain, views = tlscert.make(sub, iss, blob)
        tlscert.check(views, ch)
    except tlscert.NoCert as e:
        raise Unsynth(str(e))
    return chain


def raw_payload(r):
    ch = chains(r)
    chain = ch.get("pkt", [])
    if any(m.kind == "isdataat" and m.n >= 1400 for m in chain):
        raise Unsynth("stream isdataat past one segment")
    if r.dsize:
        b = Match("bsize", "pkt")
        b.op = r.dsize
        chain = chain + [b]
    return build(chain) if chain else b"hello"


# --- the flow -------------------------------------------------------------------------------

def kind_of(r):
    bufs = {m.buf for m in r.matches}
    for b in bufs:
        xs = {m.xforms for m in r.matches if m.buf == b}
        if len(xs) > 1:
            raise Unsynth("transform after a content of its buffer")
    if r.other:
        raise Unsynth(f"keyword {r.other[0]}")
    bad = bufs - SUPPORTED
    if bad:
        raise Unsynth(f"buffer {sorted(bad)[0]}")
    if r.proto not in ("http", "tcp", "ip", "tcp-stream", "tcp-pkt", "udp", "dns", "tls"):
        raise Unsynth(f"protocol {r.proto}")
    if any(b.startswith(("http.", "file.")) for b in bufs) or r.proto == "http":
        return "http"
    if "dns.query" in bufs or r.proto == "dns":
        if "pkt" in bufs:
            raise Unsynth("raw payload and dns buffers together")
        return "dns"
    if "tls.sni" in bufs or bufs & CERT_BUFS or r.proto == "tls":
        if "pkt" in bufs:
            raise Unsynth("raw payload and tls buffers together")
        return "tls"
    if r.proto in ("tcp", "udp"):
        return r.proto
    if r.proto in ("ip", "tcp-pkt", "tcp-stream"):
        return "tcp"
    raise Unsynth(f"protocol {r.proto}")


def steps_of(r):
    """What this rule needs in the flow, as (kind, [(direction, bytes)])."""
    k = kind_of(r)
    if k == "http":
        q, s = http_tx(r)
        if q.split(b" ", 1)[0].upper() not in DETECTED_METHODS:
            # HTTP is detected by a known method (or the answer): such a
            # request follows a first one in its connection
            return k, [(0, b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"),
                       (1, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), (0, q), (1, s)]
        return k, [(0, q), (1, s)]
    if k == "dns":
        name = dns_name(r) if any(m.buf == "dns.query" for m in r.matches) else b"example.com"
        ex = [(0, dns_query_msg(name, 0x1234)), (1, dns_answer_msg(name, 0x1234))]
        # a UDP flow is established once it has seen both directions
        return k, ex + ex if "established" in r.flow and r.proto != "tcp" else ex
    if k == "tls":
        sni = None
        if any(m.buf == "tls.sni" for m in r.matches):
            chain = chains(r)["tls.sni"]
            sni = build(chain)
            # Suricata's tls.sni is the name up to a NUL (strlen)
            if b"\0" in sni and not M.inspect(sni.split(b"\0")[0], chain):
                raise Unsynth("tls.sni match needs a NUL")
        else:
            sni = b"example.com"
        return k, [(0, client_hello(sni)), (1, server_hello(tls_chain(r)))]
    p = raw_payload(r)
    d = 1 if to_client(r) else 0
    if k == "udp":
        return k, [(d, p), (1 - d, b"ok"), (d, p)] if "established" in r.flow else [(d, p)]
    return k, [(d, p)]


def prerequisites(r, index, depth=0):
    """Steps of the rules that set the flowbits r tests, in order."""
    out = []
    for op, expr in r.flowbits:
        if op != "isset":
            continue
        for name in re.split(r"[&]", expr):
            name = name.split("|")[0].strip()
            setters = [s for s in index.setters.get(name, []) if s is not r]
            if not setters:
                raise Unsynth("flowbit with no setter in the rule set")
            last = None
            for s in setters:
                try:
                    pre = prerequisites(s, index, depth + 1) if depth < 3 else []
                    out += pre + [steps_of(s)]
                    index.used.setdefault(r.sid, []).append(s)
                    last = None
                    break
                except Unsynth as e:
                    last = e
            if last:
                raise Unsynth(f"flowbit setter: {last.reason}")
    return out


def setters_of(r, index, depth=0):
    out = []
    for s in index.used.get(r.sid, []):
        out += [s] + (setters_of(s, index, depth + 1) if depth < 3 else [])
    return out


def default_ports(kind):
    return {"http": ([80, 8080], [49152]), "tls": ([443], [49153]), "dns": ([53], [49154]),
            "tcp": ([4444, 8000], [49155]), "udp": ([5555], [49156])}[kind]


def synthesize(r, index, i):
    if r.noalert:
        raise Unsynth("noalert rule")
    if r.action not in ("alert", "drop", "reject", "rejectsrc", "rejectdst", "rejectboth"):
        raise Unsynth(f"action {r.action}")
    kind, steps = steps_of(r)
    if r.repeat > 1 and (kind not in ("http", "dns") or r.repeat > 100):
        raise Unsynth("threshold count > 1 outside HTTP and DNS")
    pre = prerequisites(r, index)
    for k, _ in pre:
        if k != kind:
            raise Unsynth(f"flowbit setter of another protocol ({k})")
    tc = to_client(r)
    if pre and kind in ("tcp", "udp", "http") and any(
            m.buf == "pkt" and not m.is_relative() and (m.depth is not None or m.offset or
                                                       m.startswith) for m in r.matches):
        # the stream anchors depth/offset at its direction's first byte,
        # which the setter's data now holds
        raise Unsynth("anchored stream content after a flowbit setter's data")
    cli_spec, srv_spec = (r.dst, r.src) if tc else (r.src, r.dst)
    cport_spec, sport_spec = (r.dport, r.sport) if tc else (r.sport, r.dport)
    # the flowbit setters' headers hold on the same flow
    heads = [(cli_spec, srv_spec, cport_spec, sport_spec)] + [
        (s.dst, s.src, s.dport, s.sport) if to_client(s) else (s.src, s.dst, s.sport, s.dport)
        for s in setters_of(r, index)]
    try:
        cli = N.pick_addr_all([h[0] for h in heads], i, 0)
        srv = N.pick_addr_all([h[1] for h in heads], i, 1)
        if cli == srv:
            srv = N.pick_addr_all([h[1] for h in heads], i + 100000, 1)
        sprefer, cprefer = default_ports(kind)
        dp = N.pick_port_all([h[3] for h in heads], sprefer)
        sp = N.pick_port_all([h[2] for h in heads], [cprefer[0] + i % 10000])
    except ValueError:
        raise Unsynth("header: no IPv4 address or port")
    frames = []
    sends = [s for _, ss in pre for s in ss] + steps
    # a threshold counts matches: the same flow again from other ports
    for k in range(r.repeat):
        if kind in ("udp", "dns") and r.proto != "tcp":
            N.udp_exchange(frames, cli, srv, sp + k, dp, sends)
        else:
            tsends = [(d, struct.pack("!H", len(b)) + b) for d, b in sends] \
                if kind == "dns" else sends
            # dsize and the stream's single-segment assumptions need whole messages
            N.tcp_session(frames, cli, srv, sp + k, dp, tsends,
                          1400 if r.dsize or kind in ("tcp", "udp") else None)
    return Flow(r, frames, N.pair_key(cli, srv))
