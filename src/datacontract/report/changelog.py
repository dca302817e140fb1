"""`datacontract changelog` as text and JSON: each change, breaking ones first, and the verdict."""

from __future__ import annotations

import json

from datacontract.contract.changelog import Changelog
from datacontract.report.inert import json_text, plain


def render(log: Changelog, fmt: str) -> str:
    """The changelog as `text` (a line per change) or `json` (Changelog.to_json)."""
    if fmt == "json":
        return json_text(json.dumps(log.to_json(), indent=2, ensure_ascii=False)) + "\n"
    versions = f"{log.old_version} -> {log.new_version}"
    lines = [
        f"changelog {log.contract} {versions}: {len(log.changes)} change(s), "
        f"{len(log.breaking)} breaking"
    ]
    ordered = sorted(log.changes, key=lambda c: not c.breaking)
    width = max((len(c.where) for c in ordered), default=0)
    for change in ordered:
        mark = "BREAKING" if change.breaking else "change  "
        lines.append(f"  {mark}  {change.where.ljust(width)}  {change.what}")
    if log.breaking and not log.major_bump:
        lines.append(
            f"FAILS: {len(log.breaking)} breaking change(s) without a major version bump "
            f"({versions}): raise the first number of `version`"
        )
    elif log.breaking:
        lines.append(f"OK: the breaking changes come with a major version bump ({versions})")
    else:
        lines.append("OK: nothing breaks a party's files or flows")
    return plain("\n".join(lines), lines=True) + "\n"
