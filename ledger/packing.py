"""The stored form of an entry's canonical bytes (``entries.body``): compact, and exactly
reversible.

The log stores each entry as it was hashed and signed; how those bytes sit on disk is internal
(docs/storage.md, "The stored entry"). Two forms exist, told apart by the first byte:

* ``{`` (0x7b): the canonical JSON bytes themselves (rows written before revision 0006, and any
  entry the packed form would not shorten);
* 0x01: ``0x01 ‖ raw DEFLATE (RFC 1951, 4 KiB window) of the canonical bytes`` with the preset
  dictionary ``DICTIONARY_V1`` (the compressor and the decompressor both start as if they had
  just seen these bytes, as with RFC 1950's FDICT). Canonical JSON never starts with 0x01.

The dictionary holds the field names and typical values of every record type, so that what is
left to store is mostly what a record really says: signature, hashes, key id and the few values
of its own. It is part of the stored format: a new dictionary would need a new first byte, and
``DICTIONARY_V1`` never changes (a test pins its SHA-256). Packing checks that unpacking gives
the same bytes back before anything is stored.
"""

from __future__ import annotations

import zlib

from ledger.core.errors import StoreError

PACKED_V1 = 0x01
RAW = 0x7B  # "{"
_WBITS = -12  # raw DEFLATE, 4 KiB window: the dictionary and one entry
_LEVEL = 6

DICTIONARY_V1 = "".join(
    (
        '{"received_at":"2026-11-20T02:00:00Z","record":{"amount":34000,"bank_serial_commitment":"","',
        'corp_code":"","date":"2026-11-10","id":"","pay_month":"2026-10","project":"","signer":"","st',
        'atus":"paid","subject":"","time":"","type":"payment","v":2,"wage":""},"seq":1,"sig":"","subj',
        'ect_prev":"","subject_seq":1,"v":2}{"record":{"action":"amend","id":"","project":"","reason"',
        ':"","replacement":"","signer":"","subject":"","target":"","time":"","type":"correction","v":',
        '2}}{"record":{"comment":"","decision":"approve","id":"","project":"","signer":"","subject":"',
        '","target":"","time":"","type":"approval","v":2}}{"record":{"decision":"confirm","id":"","pr',
        'oject":"","reason":"","signer":"","subject":"","target":"","time":"","type":"ack","v":2}}{"r',
        'ecord":{"corp_code":"","days":22,"id":"","objection_days":7,"pay_month":"2026-10","project":',
        '"","signer":"","subject":"","time":"","type":"publication","v":2,"wage":"","work_minutes":10',
        '560}}{"record":{"date":"2026-10-31","id":"","project":"","signer":"","subject":"","time":"",',
        '"type":"exit","v":2}}{"received_at":"2026-11-20T02:00:00Z","record":{"action":"register","ho',
        'lder":"w-ab64588a22e12443052e","id":"P-OTHER-002.key-000015","projects":["P-OTHER-002"],"pub',
        'lic_key":"","roles":["worker"],"signer":"","time":"2026-10-01T00:00:00Z","type":"key","v":2,',
        '"valid_from":"2026-10-01T00:00:00Z"},"seq":33,"sig":"","v":2}{"received_at":"2026-11-20T02:0',
        '0:00Z","record":{"general_contractor":"91939092DLCRPUGYBW","id":"P-OTHER-002.project-000001"',
        ',"name":"","project":"P-OTHER-002","signer":"","start_date":"2026-10-01","time":"2026-09-30T',
        '00:00:00Z","type":"project","tz_offset":"+08:00","v":2},"seq":19,"sig":"","v":2}{"received_a',
        't":"2026-11-20T02:00:00Z","record":{"corp_code":"91882768XXQBRJBBUY","corp_name":"","corp_ty',
        'pe":"001","id":"P-OTHER-002.org-000007","project":"P-OTHER-002","signer":"","teams":[{"name"',
        ':"","team":"T-SCAFFOLD"}],"time":"2026-09-30T00:00:00Z","type":"org","v":2},"seq":25,"sig":"',
        '","v":2}{"received_at":"2026-11-20T02:00:00Z","record":{"contract":{"period_type":"fixed_ter',
        'm","start_date":"2026-10-01","unit":"day","unit_price":35000},"corp_code":"91057566WWG5H5770',
        'T","date":"2026-10-01","id":"P-OTHER-002.enroll-000014","identity_commitment":"","insured":t',
        'rue,"project":"P-OTHER-002","signer":"","subject":"w-ab64588a22e12443052e","team":"T-REBAR",',
        '"team_leader":false,"time":"2026-10-01T08:00:00+08:00","type":"enrollment","v":2,"work_role"',
        ':"20","work_type":"020"},"seq":32,"sig":"","subject_seq":0,"v":2}{"received_at":"2026-11-20T',
        '02:00:00Z","record":{"back_pay":false,"corp_code":"91057566WWG5H5770T","days":1,"deductions"',
        ':[{"amount":1000,"code":"income_tax"}],"gross":35000,"id":"P-OTHER-002.wage-000016","net":34',
        '000,"pay_date":"2026-11-10","pay_month":"2026-10","project":"P-OTHER-002","signer":"","subje',
        'ct":"w-a1a64b3ef0c4096ff469","time":"2026-11-10T09:00:00+08:00","type":"wage","v":2,"work_mi',
        'nutes":600},"seq":36,"sig":"","subject_prev":"","subject_seq":3,"v":2}{"received_at":"2026-1',
        '1-20T02:00:00Z","record":{"device":"GATE-01","device_seq":2,"direction":"out","id":"GATE-01:',
        '2","match_score":89,"photo_digest":"","project":"P-OTHER-002","signer":"","source":"realtime',
        '","subject":"w-a1a64b3ef0c4096ff469","time":"2026-10-05T17:30:00+08:00","type":"attendance",',
        '"v":2,"verify_mode":"face"},"seq":35,"sig":"","subject_prev":"","subject_seq":2,"v":2}',
    )
).encode()

# memLevel 4: the compressor's state is copied for every entry, and a smaller hash table copies
# in a tenth of the time for the same output size on entries of a few hundred bytes
_COMPRESSOR = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, 4, zlib.Z_DEFAULT_STRATEGY,
                               zdict=DICTIONARY_V1)  # fmt: skip
_DECOMPRESSOR = zlib.decompressobj(_WBITS, zdict=DICTIONARY_V1)


def pack(canonical: bytes) -> bytes:
    """The stored form of ``canonical`` (an entry's canonical bytes)."""
    if not canonical.startswith(b"{"):
        raise StoreError("an entry's canonical bytes start with '{'")
    c = _COMPRESSOR.copy()  # a compressor that has just seen the dictionary, without reading it
    packed = bytes((PACKED_V1,)) + c.compress(canonical) + c.flush()
    if len(packed) >= len(canonical):
        return canonical
    if unpack(packed) != canonical:  # never store what would not give the same bytes back
        raise StoreError("packing an entry did not round-trip; nothing was stored")
    return packed


def unpack(stored: bytes | memoryview) -> bytes:
    """The canonical bytes of a stored entry body (either form)."""
    data = bytes(stored)
    if not data:
        raise StoreError("empty stored entry body: log corrupt")
    if data[0] == RAW:
        return data
    if data[0] != PACKED_V1:
        raise StoreError(f"stored entry body of unknown form 0x{data[0]:02x}: log corrupt")
    d = _DECOMPRESSOR.copy()
    try:
        out = d.decompress(data[1:]) + d.flush()
    except zlib.error as exc:
        raise StoreError(f"stored entry body does not inflate: {exc}: log corrupt") from exc
    if not d.eof or d.unused_data:
        raise StoreError("stored entry body has trailing or missing data: log corrupt")
    return out


__all__ = ["DICTIONARY_V1", "pack", "unpack"]
