"""The identifiers and contact data of synthetic families: no real person's.

Family codes and CGPA codes are keyed bijections of the row number (unique by construction);
national numbers are computed by `insz.make_insz` from birth dates drawn at random, with a
share of bis numbers; e-mail addresses use only the domains reserved for examples (RFC 2606)
and words for nature and places, never names.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.personal.insz import make_insz

IntArray = npt.NDArray[np.int64]

# Birth dates of income providers, by the eldest child's age class: a parent is at least ~16
# at the eldest's birth. Families whose eldest is 0-5 include parents born 2000-2003, so that
# national numbers with the post-2000 check digits appear.
_BIRTH_FROM = tuple(dt.date(y, 1, 1).toordinal() for y in (1975, 1968, 1960, 1960))
_BIRTH_TO = tuple(dt.date(y, 12, 31).toordinal() for y in (2003, 1996, 1990, 1982))
_BIS_SHARE = 0.02

# Words for e-mail local parts: nature and places, no first names or surnames.
_EMAIL_WORDS = (
    "zon",
    "maan",
    "ster",
    "wolk",
    "regen",
    "wind",
    "bloem",
    "tulp",
    "roos",
    "linde",
    "eik",
    "beuk",
    "berk",
    "wilg",
    "meeuw",
    "reiger",
    "merel",
    "uil",
    "vos",
    "das",
    "egel",
    "haas",
    "otter",
    "bever",
    "duin",
    "zee",
    "rivier",
    "beek",
    "heide",
    "polder",
    "akker",
    "weide",
    "molen",
    "brug",
    "toren",
    "haven",
    "kade",
    "dijk",
    "bos",
    "veld",
)
_EMAIL_DOMAINS = ("example.org", "example.net")  # reserved for examples (RFC 2606)
_EMAIL_UNKNOWN = 0.15  # share of families without a known e-mail address (bijlage 1)

_BASE32 = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", dtype=np.uint8)
_LETTERS = _BASE32[:26]
_MASK60 = np.uint64((1 << 60) - 1)


def fixed_width(chars: npt.NDArray[np.uint8]) -> pa.Array:
    """An (n, width) matrix of ASCII codes as a string array, without a Python loop."""
    n, width = chars.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    data = np.ascontiguousarray(chars)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def mix60(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """A bijection of [0, 2**60): odd multipliers and xor-shifts (after splitmix64)."""
    for multiplier, shift in ((0x9E3779B97F4A7C15, 29), (0xBF58476D1CE4E5B9, 32)):
        x = (x * np.uint64(multiplier | 1)) & _MASK60
        x ^= x >> np.uint64(shift)
    return x


def code_keys(rng: np.random.Generator) -> tuple[np.uint64, np.uint64]:
    """The secret of one run's family codes: two 60-bit keys."""
    code, letters = (np.uint64(k) for k in rng.integers(0, 1 << 60, size=2))
    return code, letters


def gezinscodes(keys: tuple[np.uint64, np.uint64], index: IntArray) -> pa.Array:
    """'G' + 16 base32 characters, one code per distinct index, unique by construction.

    Positions 5, 10 and 15 are letters, so a code never holds more than four digits in a row:
    nothing in it can pass for an INSZ, a phone number or a CGPA code.
    """
    x = mix60((index.astype(np.uint64) + keys[0]) & _MASK60)
    y = mix60((index.astype(np.uint64) + keys[1]) & _MASK60)
    chars = np.empty((len(index), 17), dtype=np.uint8)
    chars[:, 0] = ord("G")
    free = [p for p in range(1, 17) if p not in (5, 10, 15)]
    for k, position in enumerate(free[:12]):  # 12 x 5 bits: the bijective part
        chars[:, position] = _BASE32[(x >> np.uint64(55 - 5 * k)) & np.uint64(31)]
    chars[:, free[12]] = _BASE32[y & np.uint64(31)]
    for k, position in enumerate((5, 10, 15)):
        chars[:, position] = _LETTERS[
            ((y >> np.uint64(5 + 8 * k)) & np.uint64(255)) % np.uint64(26)
        ]
    return fixed_width(chars)


def digits(prefix: bytes, values: IntArray, width: int) -> pa.Array:
    """prefix + values zero-padded to `width` digits."""
    chars = np.empty((len(values), len(prefix) + width), dtype=np.uint8)
    chars[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    rest = values.copy()
    for position in range(len(prefix) + width - 1, len(prefix) - 1, -1):
        chars[:, position] = ord("0") + rest % 10
        rest //= 10
    return fixed_width(chars)


def cgpa_codes(rng: np.random.Generator, index: IntArray) -> pa.Array:
    """'CG' + 8 digits: an affine bijection of [0, 10**8), so unique per family."""
    multiplier = int(rng.integers(1, 10**7)) * 10 + int(rng.choice([1, 3, 7, 9]))
    offset = int(rng.integers(0, 10**8))
    return digits(b"CG", (index * multiplier + offset) % 10**8, 8)


def insz_values(rng: np.random.Generator, eldest: IntArray) -> pa.Array:
    """One national number per income provider, unique, from a birth date and a sequence."""
    low = np.array(_BIRTH_FROM)[eldest]
    span = np.array(_BIRTH_TO)[eldest] - low + 1
    day = low + (rng.random(len(eldest)) * span).astype(np.int64)
    sequence = rng.integers(1, 998, size=len(eldest))
    while True:  # redraw the sequence of any (birth date, sequence) drawn twice
        _, first = np.unique(day * 1000 + sequence, return_index=True)
        repeated = np.ones(len(day), dtype=bool)
        repeated[first] = False
        if not repeated.any():
            break
        sequence[repeated] = rng.integers(1, 998, size=int(repeated.sum()))
    # A few bis numbers (birth date and sex known: month + 40).
    bis = np.where(rng.random(len(day)) < _BIS_SHARE, 40, 0)
    values = [
        make_insz(dt.date.fromordinal(d), s, bis=b)
        for d, s, b in zip(day.tolist(), sequence.tolist(), bis.tolist(), strict=True)
    ]
    return pa.array(values, pa.string())


def emails(
    rng: np.random.Generator, owner: IntArray, rank: IntArray, providers: IntArray
) -> tuple[pa.Array, npt.NDArray[np.bool_]]:
    """word.n@example.org per income provider (unique), null where unknown; and the known mask.

    About 15% of families have no known address; in the others the second provider's address
    is missing more often than the first's, and at least one is known.
    """
    rows = len(owner)
    number = rng.permutation(rows).astype(np.int64)
    word = labels_of(_EMAIL_WORDS, number % len(_EMAIL_WORDS))
    n = pa.array(number // len(_EMAIL_WORDS) + 1).cast(pa.string())
    domain = labels_of(_EMAIL_DOMAINS, rng.integers(0, len(_EMAIL_DOMAINS), size=rows))
    address = pc.binary_join_element_wise(word, pa.scalar("."), n, pa.scalar("@"), domain, "")
    family_known = rng.random(len(providers)) >= _EMAIL_UNKNOWN
    second = (rng.random(len(providers)) < 0.6) & (providers == 2)
    first = (rng.random(len(providers)) < 0.9) | ~second
    known = np.where(rank == 0, first[owner], second[owner]) & family_known[owner]
    return pc.if_else(pa.array(known), address, pa.scalar(None, pa.string())), known


def labels_of(
    labels: tuple[str, ...], index: IntArray, null: npt.NDArray[np.bool_] | None = None
) -> pa.Array:
    """labels[index] as a string array, null where `null` is set."""
    return pa.array(labels, pa.string()).take(pa.array(index, mask=null))
