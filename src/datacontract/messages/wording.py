"""What a code of the catalogue is: a Wording (its values, name -> kind, and its template in
each language), made by `w("name:kind ...", english, dutch)`; the languages and the value
kinds (datacontract/messages/__init__.py says what each kind accepts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Language = Literal["en", "nl"]
LANGUAGES: tuple[Language, ...] = ("en", "nl")
KINDS = (
    "name", "hop", "hops", "number", "time", "seq", "events", "names", "word", "part", "parts",
)  # fmt: skip


@dataclass(frozen=True)
class Wording:
    """One code: its values (name -> kind) and its template in each language."""

    values: Mapping[str, str]
    en: str
    nl: str

    def template(self, language: Language) -> str:
        return self.en if language == "en" else self.nl


def w(values: str, en: str, nl: str) -> Wording:
    """values: 'name:kind name:kind ...'"""
    pairs = (v.split(":") for v in values.split())
    return Wording({name: kind for name, kind in pairs}, en, nl)
