"""The ledger's JSON: one canonical serialisation, strict parsing, and the field checks shared
by ledger lines and hash manifests (a SHA-256, a time with an offset)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(obj: object) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8, no NaN."""
    return _CANONICAL.encode(obj)


_HEX = "0123456789abcdef"


def is_sha256(value: object) -> bool:
    """64 lowercase hexadecimal digits."""
    return isinstance(value, str) and len(value) == 64 and not value.strip(_HEX)


def aware_time(value: object) -> datetime | None:
    """An ISO 8601 time with an offset, or None (naive times cannot be ordered across parties)."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.utcoffset() is not None else None


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def strict_loads(text: str) -> Any:
    """JSON as RFC 8259 has it: NaN and Infinity are refused."""
    return _DECODER.decode(text)


def parse_time(text: str | None) -> datetime:
    """--at, or now; always with an offset (an auditor must not guess the time zone)."""
    from datacontract.errors import UsageError

    if text is None:
        return datetime.now().astimezone()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--at {text!r} is not an ISO 8601 time") from None
    if when.tzinfo is None:
        # an offset goes after a time of day: a date alone becomes midnight
        example = when.isoformat() + "+01:00"
        raise UsageError(f"--at {text!r} has no offset; write e.g. {example}")
    if not 1900 <= when.year <= 2999:
        raise UsageError(f"--at {text!r}: a year from 1900 to 2999, please")
    return when
