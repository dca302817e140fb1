"""The dataset rules of a contract as pandera checks (its polars backend), each built by its
kind's entry in the registry (check/kinds/), and the names a by-reference dataset may not
carry. Each check reads the batch's Arrow columns, records its mask in the batch's Tally and
tells pandera only pass or fail.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandera.polars as pandera

from datacontract.check.kinds import kind_of
from datacontract.contract import model

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset


def dataset_rule_checks(compiled: CompiledDataset, rule: model.Rule) -> list[pandera.Check]:
    """The pandera check of one dataset rule, named by the rule id, as its kind's registry
    entry (check/kinds/) builds it; none for a rule that only looks at the whole file (its
    state is check/file_state.py's). The check records its mask in the batch's Tally and
    tells pandera only pass or fail; a check that raises is reported, never a pass."""
    rid = rule.id
    kind = kind_of(rule)
    demand = kind.demand(rule)
    compiled.register(rid, rule.article, demand)
    if kind.batch_check is None:
        return []
    fn = kind.batch_check(compiled, rule)
    needs = list(kind.needs(rule))

    def run(_: object) -> bool:
        batch = compiled.batch
        if any(c not in batch.columns for c in needs):
            return True  # the missing column is reported by columns.required
        before = sum(v for (r, _), v in batch.tally.counts.items() if r == rid)
        try:
            fn(batch)
        except Exception as exc:  # reported by check(), never as a pass
            batch.crashed[rid] = type(exc).__name__
            return False
        after = sum(v for (r, _), v in batch.tally.counts.items() if r == rid)
        return after == before

    return [pandera.Check(run, name=rid, error=demand)]


def by_reference_checks(compiled: CompiledDataset) -> list[pandera.Check]:
    """Columns accepted by reference: only those the contract allows (names or patterns), and
    never a direct identifier, refused by name even when allowed."""
    ds = compiled.dataset
    if ds.columns_by_reference is None:
        return []
    allow = ds.columns_by_reference.allow
    allowed_rid = compiled.register(
        f"{ds.id}.columns_by_reference.allow",
        allow.article,
        "every column the contract does not declare is one it allows by reference "
        f"({', '.join([*allow.names, *allow.patterns])})",
    )
    allowed = _by_name(compiled, allowed_rid, lambda name: not allow.allows(name))
    return [allowed, *_never_checks(compiled)]


def _never_checks(compiled: CompiledDataset) -> list[pandera.Check]:
    """Columns accepted by reference are never direct identifiers: refused by name."""
    ds = compiled.dataset
    assert ds.columns_by_reference is not None
    never = ds.columns_by_reference.never
    rid = compiled.register(
        f"{ds.id}.columns_by_reference.never",
        never.article,
        "no column accepted by reference is named as a direct identifier "
        f"({', '.join(never.names)})",
    )
    return [_by_name(compiled, rid, lambda name: direct_identifier(name, never.names))]


def _by_name(compiled: CompiledDataset, rid: str, refused: Callable[[str], bool]) -> pandera.Check:
    """A check of the file's column names: each column the dataset does not declare whose
    name `refused` turns down breaks rule `rid` in every row of the batch."""
    declared = set(compiled.dataset.column_names)

    def run(_: object) -> bool:
        batch = compiled.batch
        passed = True
        for name in batch.columns:
            if str(name) not in declared and refused(str(name)):
                passed = batch.record(rid, str(name), np.ones(batch.num_rows, dtype=bool))
        return passed

    return pandera.Check(run, name=rid, error=compiled.rules[rid].demand)


def _words(name: str) -> list[str]:
    """A column name as lowercase words without accents: `kindVoornaam` -> [kind, voornaam]."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    split = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", plain).lower()
    return [w for w in re.split(r"[^a-z0-9]+", split) if w]


def direct_identifier(name: str, never: Sequence[str]) -> bool:
    """Whether a column name says it holds one of `never` (see model.NeverByReference): as a
    word, the whole name, or the end of a compound (`kindnaam`, `moeder_geboortedatum`)."""
    words = _words(name)
    joined = "".join(words)
    for entry in never:
        wanted = "".join(_words(entry))
        if wanted and (wanted in words or joined.endswith(wanted)):
            return True
        if wanted and len(_words(entry)) > 1 and wanted in joined:
            return True
    return False
