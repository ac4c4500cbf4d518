"""A string that a (simple) regular expression matches: the first branch of
each alternation, the fewest repeats, a representative byte per class.
Returns (bytes, anchored_at_start, anchored_at_end); the caller checks the
result with the regex itself."""
import re._constants as C
import re._parser as P

PREFERRED = b"aA0 ./-_=&?:;,x1bB\t\r\nzZ9%"
ALL = PREFERRED + bytes(range(256))


CHOICE = [0]     # which alternative of each alternation (the caller varies it)


class Unsupported(Exception):
    pass


def _in_set(items, ch, icase):
    neg, hit = False, False
    for op, av in items:
        if op is C.NEGATE:
            neg = True
        elif op is C.LITERAL:
            hit |= ch == av or (icase and chr(ch).lower() == chr(av).lower())
        elif op is C.RANGE:
            lo, hi = av
            hit |= lo <= ch <= hi or (icase and (lo <= ord(chr(ch).lower()) <= hi
                                                 or lo <= ord(chr(ch).upper()) <= hi))
        elif op is C.CATEGORY:
            c = chr(ch)
            hit |= {C.CATEGORY_DIGIT: c.isdigit() and ch < 128,
                    C.CATEGORY_NOT_DIGIT: not (c.isdigit() and ch < 128),
                    C.CATEGORY_SPACE: c in " \t\n\r\f\v",
                    C.CATEGORY_NOT_SPACE: c not in " \t\n\r\f\v",
                    C.CATEGORY_WORD: (c.isalnum() and ch < 128) or c == "_",
                    C.CATEGORY_NOT_WORD: not ((c.isalnum() and ch < 128) or c == "_")
                    }.get(av, False)
    return hit != neg


def _gen(seq, out, groups, icase, dotall):
    for op, av in seq:
        if op is C.LITERAL:
            out.append(av)
        elif op is C.NOT_LITERAL:
            out.append(next(c for c in ALL if c != av and c != 10))
        elif op is C.ANY:
            out.append(ord("a"))
        elif op is C.IN:
            out.append(next(c for c in ALL if _in_set(av, c, icase)))
        elif op is C.BRANCH:
            alts = av[1]
            _gen(alts[min(CHOICE[0], len(alts) - 1)], out, groups, icase, dotall)
        elif op is C.SUBPATTERN:
            gid, _, _, sub = av
            start = len(out)
            _gen(sub, out, groups, icase, dotall)
            if gid:
                groups[gid] = bytes(out[start:])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, _, sub = av
            for _ in range(lo):
                _gen(sub, out, groups, icase, dotall)
        elif op is C.ATOMIC_GROUP:
            _gen(av, out, groups, icase, dotall)
        elif op is C.GROUPREF:
            out += groups.get(av, b"")
        elif op in (C.AT, C.ASSERT_NOT):
            continue
        elif op is C.ASSERT:
            raise Unsupported("lookaround")
        else:
            raise Unsupported(str(op))


def sample(rx, choice=0):
    """rx: a compiled bytes regex; choice: the alternative taken in each
    alternation (the last one when it has fewer)."""
    CHOICE[0] = choice
    tree = P.parse(rx.pattern.decode("latin-1"), rx.flags & ~0x20)
    data = list(tree)
    start = bool(data) and data[0][0] is C.AT and data[0][1] in (C.AT_BEGINNING,
                                                                  C.AT_BEGINNING_STRING)
    end = bool(data) and data[-1][0] is C.AT and data[-1][1] in (C.AT_END, C.AT_END_STRING)
    out = bytearray()
    _gen(data, out, {}, bool(rx.flags & 2), bool(rx.flags & 16))
    return bytes(out), start, end
