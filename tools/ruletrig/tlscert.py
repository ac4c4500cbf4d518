"""X.509 certificates for the TLS certificate buffers, made with the
openssl command: a subject or issuer whose Suricata string ("C=US, O=Org,
CN=name": RDNs in encoded order, ", " between) holds what the rule wants,
and tls.certs bytes carried in a private extension's value."""
import os
import re
import subprocess
import tempfile

from . import match as M

ATTRS = ("C", "ST", "L", "O", "OU", "CN")
_dir = None


class NoCert(Exception):
    pass


def _tmp():
    global _dir
    if _dir is None:
        _dir = tempfile.mkdtemp(prefix="rule-trigger-")
        _run(["openssl", "ecparam", "-genkey", "-name", "prime256v1", "-noout",
              "-out", os.path.join(_dir, "k.pem")])
    return _dir


def _run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=60)
    if p.returncode != 0:
        raise NoCert(f"openssl: {p.stderr.decode(errors='replace').strip()[:80]}")
    return p.stdout


def dn_parts(t):
    """(attribute, value) pairs whose Suricata string contains t."""
    try:
        s = t.decode("utf-8")
    except UnicodeDecodeError:
        raise NoCert("DN text not UTF-8")
    out = []
    for i, piece in enumerate(s.split(", ")):
        k, eq, v = piece.partition("=")
        if eq and k in ATTRS:
            out.append((k, v))
        elif i == 0 and not eq:
            out.append(("O", "x" + piece if piece[:1] in (" ", "") else piece))
        else:
            raise NoCert("DN text not attribute=value pairs")
    for k, v in out:
        if v == "" or (k == "C" and len(v) != 2) or "\n" in v or v != v.strip():
            raise NoCert("DN value openssl cannot take")
    return out


def dn_string(parts):
    return ", ".join(f"{k}={v}" for k, v in parts).encode()


def _subj(parts):
    return "".join("/%s=%s" % (k, re.sub(r"([/+\\])", r"\\\1", v)) for k, v in parts)


def make(subject=None, issuer=None, blob=None):
    """DER certificates [leaf, (issuer)] and the views Suricata inspects."""
    d = _tmp()
    key = os.path.join(d, "k.pem")
    sub = subject or issuer or [("CN", "example.com")]
    iss = issuer or sub
    ext = ["-addext", "1.3.6.1.4.1.55555.1=DER:04%02X%s" % (len(blob), blob.hex())] \
        if blob is not None and len(blob) < 128 else []
    if blob is not None and not ext:
        raise NoCert("tls.certs bytes too long for the extension")
    base = ["-days", "30", "-sha256", "-utf8", "-set_serial", "4660"]
    if iss == sub:
        leaf = _run(["openssl", "req", "-x509", "-new", "-key", key, "-subj", _subj(sub),
                     "-outform", "DER"] + base + ext)
        chain = [leaf]
    else:
        ca = os.path.join(d, "ca.pem")
        csr = os.path.join(d, "leaf.csr")
        _run(["openssl", "req", "-x509", "-new", "-key", key, "-subj", _subj(iss), "-out", ca]
             + base)
        _run(["openssl", "req", "-new", "-key", key, "-subj", _subj(sub), "-out", csr, "-utf8"]
             + ext)
        leaf = _run(["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", key,
                     "-outform", "DER", "-days", "30", "-set_serial", "4660", "-copy_extensions",
                     "copy"])
        chain = [leaf, _run(["openssl", "x509", "-in", ca, "-outform", "DER"])]
    views = {"tls.cert_subject": dn_string(sub), "tls.cert_issuer": dn_string(iss),
             "tls.certs": chain}
    return chain, views


def check(views, ch):
    for buf in ("tls.cert_subject", "tls.cert_issuer", "tls.certs"):
        if buf not in ch:
            continue
        v = views[buf]
        vs = v if isinstance(v, list) else [v]
        if not any(M.inspect(M.transform(x, ch[buf][0].xforms), ch[buf]) for x in vs):
            raise NoCert(f"assembled {buf} does not match")
