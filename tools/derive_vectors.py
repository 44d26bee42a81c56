#!/usr/bin/env python3
"""Independent implementation of baton's id derivation (docs/derivation.md), standard library only.

    python3 tools/derive_vectors.py            # print the test vectors as Markdown table rows
    python3 tools/derive_vectors.py --check docs/derivation.md
                                               # recompute every vector and compare with the doc

Written from the spec in docs/derivation.md, not from the C++ code, so that agreement between the
two is evidence that the spec is complete. Before anything else it checks its SipHash core
against the SipHash-2-4 reference vectors and its SipHash-1-3 against CPython's own hash() of
bytes (CPython 3.11+ hashes bytes with SipHash-1-3; with PYTHONHASHSEED=0 its key is all zero).
"""

import os
import re
import struct
import subprocess
import sys

MASK = (1 << 64) - 1


def _rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & MASK


def _sipround(v0, v1, v2, v3):
    v0 = (v0 + v1) & MASK
    v1 = _rotl(v1, 13) ^ v0
    v0 = _rotl(v0, 32)
    v2 = (v2 + v3) & MASK
    v3 = _rotl(v3, 16) ^ v2
    v0 = (v0 + v3) & MASK
    v3 = _rotl(v3, 21) ^ v0
    v2 = (v2 + v1) & MASK
    v1 = _rotl(v1, 17) ^ v2
    v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def siphash(key, msg, c_rounds, d_rounds, out_len):
    """SipHash-c-d of msg under a 16-byte key; returns out_len (8 or 16) bytes, reference order."""
    assert len(key) == 16 and out_len in (8, 16)
    k0, k1 = struct.unpack("<QQ", key)
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    if out_len == 16:
        v1 ^= 0xEE
    full = len(msg) - len(msg) % 8
    words = [struct.unpack_from("<Q", msg, i)[0] for i in range(0, full, 8)]
    last = (len(msg) & 0xFF) << 56
    for i, byte in enumerate(msg[full:]):
        last |= byte << (8 * i)
    words.append(last)
    for m in words:
        v3 ^= m
        for _ in range(c_rounds):
            v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
        v0 ^= m
    v2 ^= 0xEE if out_len == 16 else 0xFF
    for _ in range(d_rounds):
        v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
    out = struct.pack("<Q", v0 ^ v1 ^ v2 ^ v3)
    if out_len == 16:
        v1 ^= 0xDD
        for _ in range(d_rounds):
            v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
        out += struct.pack("<Q", v0 ^ v1 ^ v2 ^ v3)
    return out


def self_check():
    key = bytes(range(16))
    # SipHash-2-4 reference vectors (key 00..0f, message 00 01 .. of length n).
    ref64 = {0: 0x726FDB47DD0E0E31, 1: 0x74F839C593DC67FD, 8: 0x93F5F5799A932462,
             15: 0xA129CA6149BE45E5, 63: 0x958A324CEB064572}
    for n, want in ref64.items():
        got = struct.unpack("<Q", siphash(key, bytes(range(n)), 2, 4, 8))[0]
        assert got == want, ("siphash-2-4-64", n, hex(got))
    ref128 = {0: "a3817f04ba25a8e66df67214c7550293", 1: "da87c1d86b99af44347659119b22fc45",
              15: "5493e99933b0a8117e08ec0f97cfc3d9", 63: "5150d1772f50834a503e069a973fbd7c"}
    for n, want in ref128.items():
        got = siphash(key, bytes(range(n)), 2, 4, 16).hex()
        assert got == want, ("siphash-2-4-128", n, got)
    # SipHash-1-3-64 against CPython's hash() of bytes (zero key when PYTHONHASHSEED=0).
    if sys.hash_info.algorithm != "siphash13":
        print("note: this Python does not hash with SipHash-1-3; CPython cross-check skipped")
        return
    samples = [b"a", b"abcdefgh", bytes(range(63)), "\u00e9t\u00e9 \U0001F680".encode()]
    code = "import sys; [print(hash(bytes.fromhex(h))) for h in sys.argv[1:]]"
    env = dict(os.environ, PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, "-c", code] + [s.hex() for s in samples], env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    for s, h in zip(samples, out):
        want = int(h) & MASK  # Py_hash_t is signed
        got = struct.unpack("<Q", siphash(bytes(16), s, 1, 3, 8))[0]
        assert got == want, ("siphash-1-3 vs CPython", s, hex(got), hex(want))


# ---- the derivation, from docs/derivation.md ---------------------------------------------------

DOMAIN_SPAN, DOMAIN_TRACE, DOMAIN_XRAY, DOMAIN_NAMESPACE = 1, 2, 3, 4


def field(b):
    return struct.pack("<I", len(b)) + b


def nonzero(idb):
    return idb if any(idb) else idb[:-1] + b"\x01"


def namespace_from_name(name):
    return siphash(bytes(16), bytes([DOMAIN_NAMESPACE]) + field(name), 1, 3, 16)


def span_id(execution_id, step_path, occurrence=0, attempt=0, role=b"span", ns=bytes(16)):
    msg = (bytes([DOMAIN_SPAN]) + field(execution_id) + field(step_path) +
           struct.pack("<II", occurrence, attempt) + field(role))
    return nonzero(siphash(ns, msg, 1, 3, 8)).hex()


def trace_id(execution_id, role=b"trace", ns=bytes(16)):
    msg = bytes([DOMAIN_TRACE]) + field(execution_id) + field(role)
    return nonzero(siphash(ns, msg, 1, 3, 16)).hex()


def xray_trace_id(execution_id, epoch_seconds, role=b"trace", ns=bytes(16)):
    msg = bytes([DOMAIN_XRAY]) + field(execution_id) + field(role)
    return nonzero(struct.pack(">I", epoch_seconds) + siphash(ns, msg, 1, 3, 16)[:12]).hex()


# ---- the published vectors ------------------------------------------------------------------------

EXEC = b"3f2b8c1e-9a4d-4f6b-8e2a-7c5d1b0e9f43"
STEP = b"invoiceCustomer/emailCustomerInvoice"
NONASCII_EXEC = "ex\u00e9cution-\u6b65\u9aa4".encode()          # UTF-8 text
RAW_STEP = b"step\x00\xff\xfe/\x80"                              # not UTF-8, with a NUL
LONG_EXEC = b"x" * 300                                            # past the 256-byte stack buffer
KEY_00_0F = bytes(range(16))
BILLING = namespace_from_name(b"billing")


def vectors():
    """(name, kind, inputs as shown in the doc, computed value)."""
    return [
        ("N1", "namespace", 'from_name("")', namespace_from_name(b"").hex()),
        ("N2", "namespace", 'from_name("billing")', BILLING.hex()),
        ("S1", "span", 'all empty, role ""', span_id(b"", b"", 0, 0, b"")),
        ("S2", "span", "E, S, 0, 0, span", span_id(EXEC, STEP)),
        ("S3", "span", "E, S, 1, 0, span", span_id(EXEC, STEP, 1, 0)),
        ("S4", "span", "E, S, 0, 2, span", span_id(EXEC, STEP, 0, 2)),
        ("S5", "span", "E, S, 3, 1, parent", span_id(EXEC, STEP, 3, 1, b"parent")),
        ("S6", "span", 'E, "", 0, 0, boot', span_id(EXEC, b"", 0, 0, b"boot")),
        ("S7", "span", "U, R, 0, 0, span", span_id(NONASCII_EXEC, RAW_STEP)),
        ("S8", "span", "L, S, 0, 0, span", span_id(LONG_EXEC, STEP)),
        ("S9", "span", "E, S, 4294967295, 2147483648, span",
         span_id(EXEC, STEP, 0xFFFFFFFF, 0x80000000)),
        ("S10", "span", "E, S, 0, 0, span; key 00..0f", span_id(EXEC, STEP, ns=KEY_00_0F)),
        ("S11", "span", "E, S, 0, 0, span; namespace N2", span_id(EXEC, STEP, ns=BILLING)),
        ("S12", "span", 'E="ab", S="c" (boundary)', span_id(b"ab", b"c")),
        ("S13", "span", 'E="a", S="bc" (boundary)', span_id(b"a", b"bc")),
        ("T1", "trace", 'E="", trace', trace_id(b"")),
        ("T2", "trace", "E, trace", trace_id(EXEC)),
        ("T3", "trace", "E, generation-2", trace_id(EXEC, b"generation-2")),
        ("T4", "trace", "U, trace", trace_id(NONASCII_EXEC)),
        ("T5", "trace", "L, trace", trace_id(LONG_EXEC)),
        ("T6", "trace", "E, trace; namespace N2", trace_id(EXEC, ns=BILLING)),
        ("X1", "xray", "E, 1700000000, trace", xray_trace_id(EXEC, 1700000000)),
        ("X2", "xray", "E, 0, trace", xray_trace_id(EXEC, 0)),
        ("X3", "xray", "E, 4294967295, trace", xray_trace_id(EXEC, 0xFFFFFFFF)),
        ("X4", "xray", "E, 1700000000, trace; key 00..0f",
         xray_trace_id(EXEC, 1700000000, ns=KEY_00_0F)),
    ]


def main(argv):
    self_check()
    if len(argv) == 3 and argv[1] == "--check":
        text = open(argv[2], encoding="utf-8").read()
        bad = 0
        for name, _, _, value in vectors():
            row = re.search(r"^\| %s \|.*\| `([0-9a-f]+)` \|\s*$" % re.escape(name), text, re.M)
            if not row:
                print("missing vector %s in %s" % (name, argv[2]))
                bad += 1
            elif row.group(1) != value:
                print("vector %s: doc has %s, spec gives %s" % (name, row.group(1), value))
                bad += 1
        print("%d vectors checked, %d mismatches" % (len(vectors()), bad))
        return 1 if bad else 0
    if len(argv) != 1:
        print(__doc__)
        return 2
    for name, kind, inputs, value in vectors():
        print("| %s | %s | %s | `%s` |" % (name, kind, inputs, value))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
