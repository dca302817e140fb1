"""`datacontract lint` as text (a line per problem, `file:line:column: key: message`) and JSON."""

from __future__ import annotations

import json

from datacontract.contract.lint import STAGES, Lint
from datacontract.report.inert import json_text, plain


def render(lint: Lint, fmt: str) -> str:
    """The lint as `text` or `json` (`{"file", "ok", "problems": [...], "warnings": [...]}`)."""
    if fmt == "json":
        doc = {
            "file": lint.path,
            "ok": lint.ok,
            "contract": lint.contract.contract if lint.contract else None,
            "version": lint.contract.version if lint.contract else None,
            "problems": [
                {
                    "file": p.location.file,
                    "line": p.location.line,
                    "column": p.location.column,
                    "key": p.key,
                    "message": p.message,
                    "stage": p.stage,
                }
                for p in lint.problems
            ],
            "warnings": list(lint.warnings),
        }
        return json_text(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"
    lines = [str(p) for p in lint.problems]
    lines += [f"{lint.path}: warning: {w}" for w in lint.warnings]
    if lint.contract is not None and lint.ok:
        lines.append(
            f"OK {lint.path}: {lint.contract.contract} {lint.contract.version} holds to the "
            f"contract format ({', '.join(STAGES)})"
        )
    else:
        stage = lint.problems[0].stage if lint.problems else "?"
        lines.append(
            f"FAILS {lint.path}: {len(lint.problems)} problem(s) found by the {stage} check"
        )
    return plain("\n".join(lines), lines=True) + "\n"
