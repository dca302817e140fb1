"""Strings from files, contracts and ledgers made inert before anyone reads them.

A header, a worksheet name, a contract's text or a ledger's string may hold rich markup
(`x[/]`, `[link=...]`), terminal control sequences (ESC, the C1 CSI byte, BEL), or Unicode
controls that reorder what a reader sees (bidi overrides). Every such string goes through one
of these functions before it reaches a terminal, a log or a report:

- `plain(text)`: control characters become U+FFFD; with `lines=True` (whole messages) line
  breaks and tabs stay, otherwise they become U+FFFD too (a name cannot forge a line); what a
  CI runner takes for a command (Azure's `##vso[`, GitHub's `::` opening a line) is broken
  with a zero-width space;
- `markup(text)`: `plain` and then escaped for rich markup: for a string rich prints;
- `json_text(text)`: a JSON document with every such character written as a \\u escape: the
  same JSON value, inert bytes (json.dumps escapes C0 itself, not C1 or bidi controls).
"""

from __future__ import annotations

import re

# A lone surrogate is a byte of a file name that is not UTF-8 (Python's surrogateescape): no
# terminal, log or report can print it, so it is a control like the others.
_CONTROLS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff"
)
_IN_MESSAGE = re.compile(f"[{_CONTROLS}]")
_IN_NAME = re.compile(f"[\t\n{_CONTROLS}]")
_IN_JSON = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
REPLACEMENT = "\ufffd"
# What a CI runner reads as a command wherever it appears in a log: Azure's `##vso[` anywhere
# in a line, GitHub's `::` at the start of one. A zero-width space breaks either; in JSON the
# bracket is written as its escape, which leaves the value as it was.
_CI_COMMAND = re.compile(r"##vso\[|(?:^|(?<=\n))([ \t]*)::")
_ZWSP = "\u200b"


def _defused(match: re.Match[str]) -> str:
    if match.group(0).startswith("##"):
        return f"##{_ZWSP}vso["
    return f"{match.group(1)}{_ZWSP}::"


def plain(text: str, *, lines: bool = False) -> str:
    """`text` with every control character replaced by U+FFFD (line breaks kept if `lines`),
    and whatever a CI runner would read as a command defused."""
    return _CI_COMMAND.sub(_defused, (_IN_MESSAGE if lines else _IN_NAME).sub(REPLACEMENT, text))


def markup(text: str, *, lines: bool = False) -> str:
    """`plain(text)` escaped so that rich prints it as it is, never as markup."""
    from rich.markup import escape

    return escape(plain(text, lines=lines))


def json_text(document: str) -> str:
    """A JSON document's text with C1 and bidi controls as \\u escapes, and Azure's command
    mark `##vso[` written `##vso\\u005b` (the value unchanged)."""
    escaped = _IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
    return escaped.replace("##vso[", "##vso\\u005b")
