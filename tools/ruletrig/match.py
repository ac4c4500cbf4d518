"""Suricata's content inspection, as its documentation defines the keywords,
to check a synthesized buffer before it is sent: content with
nocase/offset/depth/distance/within/startswith/endswith (offset and depth
both absolute, depth counted from offset; distance/within from the end of
the previous match, negative distance allowed), negation, isdataat (absolute:
N < len; relative: end + N <= len), bsize, pcre (R: from the previous match's
end) and the transforms applied to a sticky buffer before it is inspected.
A relative match that fails makes the previous one try its next occurrence,
as Suricata's recursive inspection does."""
import re
import urllib.parse
import warnings

warnings.filterwarnings("ignore", category=FutureWarning)


def size_ok(op, n):
    if op[0] == "<>":
        return op[1] < n < op[2]
    return {"=": n == op[1], "<": n < op[1], ">": n > op[1], "<=": n <= op[1],
            ">=": n >= op[1], "!": n != op[1]}[op[0]]


def transform(buf, xforms):
    for x in xforms:
        if x == "dotprefix":
            buf = b"." + buf
        elif x == "to_lowercase":
            buf = buf.lower()
        elif x == "to_uppercase":
            buf = buf.upper()
        elif x == "strip_whitespace":
            buf = re.sub(rb"\s", b"", buf)
        elif x == "compress_whitespace":
            buf = re.sub(rb"\s+", b" ", buf)
        elif x == "url_decode":
            buf = urllib.parse.unquote_to_bytes(buf.replace(b"+", b" "))
        elif x == "header_lowercase":
            buf = b"\r\n".join(ln.split(b":", 1)[0].lower() + (b":" + ln.split(b":", 1)[1]
                                                              if b":" in ln else b"")
                               for ln in buf.split(b"\r\n"))
    return buf


def py_regex(m):
    """The rule's pcre as a compiled Python bytes regex (PCRE syntax that
    Python spells otherwise rewritten), or None if Python cannot take it."""
    src = re.sub(r"\(\?<([A-Za-z_]\w*)>", r"(?P<\1>", m.regex)
    src = src.replace(r"\z", r"\Z")
    # PCRE2 10.42 (Suricata 7's) reads "{,n}" as literal text, Python as {0,n}
    src = re.sub(r"(?<!\\)\{(,\d+\})", r"\\{\1", src)
    fl = 0
    for f, v in (("i", re.I), ("s", re.S), ("m", re.M), ("x", re.X)):
        if f in m.flags:
            fl |= v
    try:
        return re.compile(src.encode("latin-1"), fl)
    except (re.error, UnicodeEncodeError, OverflowError):
        return None


def _find_all(buf, pat, nocase, lo, hi):
    hay, needle = (buf.lower(), pat.lower()) if nocase else (buf, pat)
    i = hay.find(needle, lo, hi)
    while i >= 0:
        yield i
        i = hay.find(needle, i + 1, hi)


def inspect(buf, chain, dsize=None):
    """True if the chain (Match objects of one buffer, in rule order)
    matches buf."""
    return _insp(buf, chain, 0, 0)


def _insp(buf, chain, i, prev):
    if i == len(chain):
        return True
    m = chain[i]
    n = len(buf)
    if m.kind == "bsize":
        return size_ok(m.op, n) and _insp(buf, chain, i + 1, prev)
    if m.kind == "isdataat":
        ok = (prev + m.n <= n) if m.relative else (m.n < n)
        return ok != m.neg and _insp(buf, chain, i + 1, prev)
    if m.kind == "pcre":
        rx = py_regex(m)
        if rx is None:
            return False
        start = prev if m.relative else 0
        if m.neg:
            return rx.search(buf[start:]) is None and _insp(buf, chain, i + 1, prev)
        for mo in rx.finditer(buf[start:]):
            if _insp(buf, chain, i + 1, start + mo.end()):
                return True
        return False
    # content
    L = len(m.pat)
    if m.is_relative():
        lo = prev + (m.distance or 0)
        hi = lo + m.within if m.within is not None else n
        if m.within is not None and m.distance is None:
            lo, hi = prev, prev + m.within
        lo = max(lo, 0)
        if m.depth is not None:
            hi = min(hi, prev + (m.offset or 0) + m.depth)
    else:
        lo = m.offset or 0
        hi = lo + m.depth if m.depth is not None else n
    if m.startswith:
        lo, hi = 0, L
    hi = min(hi, n)
    occ = [p for p in _find_all(buf, m.pat, m.nocase, lo, hi)
           if not m.endswith or p + L == n]
    if m.neg:
        return not occ and _insp(buf, chain, i + 1, prev)
    return any(_insp(buf, chain, i + 1, p + L) for p in occ)
