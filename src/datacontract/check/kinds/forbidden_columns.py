"""`forbidden_columns`: columns the protocol names and excludes are a finding of their own,
with the article that excludes them (more precise than 'column not in contract')."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from datacontract.check.batch import Batch
from datacontract.check.kinds.base import RuleKind
from datacontract.contract.rules import ForbiddenColumnsRule

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset


def _demand(rule: ForbiddenColumnsRule) -> str:
    return f"none of the columns {', '.join(rule.columns)}"


def _check(compiled: CompiledDataset, rule: ForbiddenColumnsRule) -> Callable[[Batch], None]:
    banned = {c.lower() for c in rule.columns}

    def forbidden_columns(b: Batch) -> None:
        for name in b.columns:
            if str(name).strip().lower() in banned:
                b.record(rule.id, str(name), np.ones(b.num_rows, dtype=bool))

    return forbidden_columns


KIND = RuleKind(ForbiddenColumnsRule, _demand, batch_check=_check, odcs_dimension="conformity")
