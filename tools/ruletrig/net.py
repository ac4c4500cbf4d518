"""Addresses and ports that satisfy a rule's header (variables resolved as
the project's defaults in rules/rule_env.c define them), and the packets:
TCP sessions and UDP datagrams from tests/e2e/pcapgen.py."""
import ipaddress
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
import pcapgen  # noqa: E402

write_pcap = pcapgen.write_pcap


def default_vars():
    """{name: value} from the built-in table of rules/rule_env.c."""
    out = {}
    with open(os.path.join(ROOT, "rules", "rule_env.c")) as f:
        for m in re.finditer(r"\{\s*'[ap]',\s*\"(\w+)\",\s*\"([^\"]*)\"\s*\}", f.read()):
            out[m.group(1)] = m.group(2)
    return out


VARS = default_vars()


def _split_list(s):
    s = s.strip()
    assert s.startswith("[") and s.endswith("]")
    depth, cur, out = 0, "", []
    for ch in s[1:-1]:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return [x.strip() for x in out]


class Spec:
    """An address or port expression: a predicate and the positive items it
    names (to draw candidates from)."""

    def __init__(self, text, kind):
        self.kind = kind
        self.neg = False
        self.items = []         # Spec children (a list) or a leaf
        self.leaf = None        # ipaddress network, (lo, hi) port range, or "any"
        t = text.strip()
        while t.startswith("!"):
            self.neg = not self.neg
            t = t[1:].strip()
        if t.startswith("$"):
            t = VARS.get(t[1:])
            if t is None:
                raise ValueError(f"unknown variable {text}")
            inner = Spec(t, kind)
            self.items = [inner]
        elif t.startswith("["):
            self.items = [Spec(x, kind) for x in _split_list(t)]
        elif t == "any":
            self.leaf = "any"
        elif kind == "addr":
            self.leaf = ipaddress.ip_network(t, strict=False)
        else:
            lo, sep, hi = t.partition(":")
            self.leaf = (int(lo) if lo else 0, int(hi) if hi else 65535) if sep else \
                (int(t), int(t))

    def has(self, v):
        if self.leaf is not None:
            if self.leaf == "any":
                r = True
            elif self.kind == "addr":
                r = v.version == self.leaf.version and v in self.leaf
            else:
                r = self.leaf[0] <= v <= self.leaf[1]
        else:
            pos = [c for c in self.items if not c.neg]
            negs = [c for c in self.items if c.neg]
            r = (not pos or any(c.has(v) for c in pos)) and all(c.has(v) for c in negs)
        return r != self.neg

    def positives(self, neg=False):
        if self.leaf is not None:
            return [] if (neg != self.neg) or self.leaf == "any" else [self.leaf]
        out = []
        for c in self.items:
            out += c.positives(neg != self.neg)
        return out


HOME = ipaddress.ip_network("10.0.0.0/8")
OUTSIDE = ipaddress.ip_network("45.0.0.0/8")


def pick_addr(text, idx, side):
    """An IPv4 address of the expression, distinct per (idx, side)."""
    s = Spec(text, "addr")
    nets = [n for n in s.positives() if n.version == 4] + [HOME, OUTSIDE]
    for n in nets:
        size = n.num_addresses
        off = (idx * 2 + side) % max(size - 2, 1) + (1 if size > 2 else 0)
        a = n.network_address + off
        if s.has(a):
            return a
    raise ValueError(f"no IPv4 address for {text}")


def pick_addr_all(texts, idx, side):
    """An IPv4 address every expression holds: drawn from each in turn."""
    specs = [Spec(t, "addr") for t in texts]
    for t in texts:
        try:
            a = pick_addr(t, idx, side)
        except ValueError:
            continue
        if all(s.has(a) for s in specs):
            return a
    raise ValueError("no IPv4 address for all of " + " ".join(texts))


def pick_port(text, prefer):
    return pick_port_all([text], prefer)


def pick_port_all(texts, prefer):
    specs = [Spec(t, "port") for t in texts]
    cands = list(prefer) + [lo for s in specs for lo, _ in s.positives()] + \
        list(range(1024, 65535, 97))
    for p in cands:
        if all(s.has(p) for s in specs):
            return p
    raise ValueError("no port for all of " + " ".join(texts))


def pair_key(a, b):
    return frozenset((str(a), str(b)))


SEGMENT = 1400


def tcp_session(frames, cli, srv, sp, dp, sends, seg=None):
    """Handshake, each (direction, bytes) in turn in segments of at most seg
    bytes (SEGMENT by default; 0: client), FIN both ways."""
    seg = seg or SEGMENT
    t = pcapgen.Tcp(frames, cli.packed, srv.packed, sp, dp)
    for d, data in sends:
        for i in range(0, len(data), seg):
            t.send(d, data[i:i + seg])
    t.close()


def udp_exchange(frames, cli, srv, sp, dp, sends):
    for d, data in sends:
        a, b, pa, pb = (cli, srv, sp, dp) if d == 0 else (srv, cli, dp, sp)
        frames.append(pcapgen.udp_frame(a.packed, b.packed, pa, pb, data))
