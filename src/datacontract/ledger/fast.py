"""The ledger reader's fast path, for the lines the writer wrote (see ledger/chain.py)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from datacontract.ledger.canonical import aware_time
from datacontract.ledger.event import GET_NAMES, NAMES_LIMIT, REPEATED, check_names, is_day

# The fast path. A line the writer wrote is canonical JSON with its keys in this order, and
# almost always without findings or escaped characters. This expression matches exactly such
# lines and nothing else: a string group admits no quote, backslash or control character (the
# only characters canonical_json escapes), so the matched text IS the canonical encoding of
# what it holds, and json.loads plus a re-encoding would give back the same bytes. Any other
# line (findings, escapes, an unknown key, a malformed value) goes the slow way, with the same
# verdicts.
_STR = r'"([^"\\\x00-\x1f]*)"'


_OPT = r'(?:null|"([^"\\\x00-\x1f]*)")'


_HEX64 = r'"([0-9a-f]{64})"'


_FAST_LINE = re.compile(
    r'\{"contract":' + _STR
    + r',"contract_version":' + _STR
    + r',"dataset":' + _OPT
    + r',"findings":\[\]'
    + r'(,"hash":' + _HEX64 + r")"
    + r',"hop":' + _OPT
    + r'(?:,"keys":' + _HEX64 + r")?"
    + r',"kind":' + _STR
    + r',"milestone":' + _OPT
    + r',"party":' + _OPT
    + r',"prev":' + _HEX64
    + r',"receiver":' + _OPT
    + r'(?:,"reference":"([0-9]{4}-[0-9]{2}-[0-9]{2})")?'
    + r',"rows":(null|0|[1-9][0-9]{0,17})'
    + r',"sender":' + _OPT
    + r',"seq":([1-9][0-9]{0,17})'
    + r',"sha256":(?:null|' + _HEX64 + r")"
    + r'(?:,"sig":"([A-Za-z0-9+/]{86}==)")?'
    + r',"time":' + _STR
    + r',"violation":(true|false)'
    + r'(?:,"witness":"((?:0|[1-9][0-9]{0,17}):[0-9a-f]{64})")?\}'
)  # fmt: skip


_FAST_NAMES: dict[tuple[object, ...], tuple[Any, ...]] = {}


def fast_fields(text: str) -> tuple[tuple[Any, ...], datetime, str] | None:
    """The fields (in Event order), time and hashed body of a canonical line without
    findings; None otherwise."""
    m = _FAST_LINE.fullmatch(text)
    if m is None:
        return None
    (
        contract,
        version,
        dataset,
        _,
        stated,
        hop,
        keys,
        kind,
        milestone,
        party,
        prev,
        receiver,
        reference,
        rows,
        sender,
        seq,
        sha256,
        sig,
        time,
        violation,
        witness,
    ) = m.groups()
    key = (kind, party, dataset, hop, sender, receiver, contract, version, milestone)
    names = _FAST_NAMES.get((key, sha256 is None, rows == "null"))
    if names is None:
        values = dict(zip(REPEATED, key, strict=True))
        values["sha256"], values["rows"] = sha256, None if rows == "null" else 0
        if check_names(values) is not None:
            return None  # not an event the writer writes: the slow path names the problem
        if len(_FAST_NAMES) >= NAMES_LIMIT:
            _FAST_NAMES.clear()
        names = _FAST_NAMES[(key, sha256 is None, rows == "null")] = GET_NAMES(values)
    kind, party, dataset, hop, sender, receiver, contract, version, milestone = names
    when = aware_time(time)
    if when is None or (reference is not None and not is_day(reference)):
        return None
    start, end = m.span(4)
    fields = (
        int(seq),
        time,
        kind,
        party,
        dataset,
        hop,
        sender,
        receiver,
        sha256,
        None if rows == "null" else int(rows),
        contract,
        version,
        violation == "true",
        (),
        prev,
        stated,
        milestone,
        keys,
        reference,
        witness,
        sig,
    )
    return fields, when, text[:start] + text[end:]
