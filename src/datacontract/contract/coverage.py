"""`datacontract coverage`: each article-3 item of a protocol and what in the contract encodes it.

An auditor reads it item by item: the protocol's words, the columns, rules and invariants that
encode them, or the mark that the item is encoded only in part (`partial`, with what is
missing and why), defined by reference (fields another text lists, which a contract must not
invent) or not encoded. It holds when no item is left not encoded and no item claims more than
it encodes: an `encoded` item whose text is split into `parts` must encode every part, or say
`partial` and what is missing. A column or rule without an article never gets this far (the
contract does not load).
"""

from __future__ import annotations

from dataclasses import dataclass

from datacontract.contract import model


@dataclass(frozen=True)
class Coverage:
    contract: str
    version: str
    seed: str
    items: tuple[model.Item, ...]
    unlisted: tuple[str, ...]  # columns of datasets that cross a boundary and no item names
    by_reference: tuple[tuple[str, int], ...] = ()
    """(dataset, how many of its columns are admitted by reference), for datasets with any."""

    @property
    def counts(self) -> dict[str, int]:
        out = {"encoded": 0, "partial": 0, "by_reference": 0, "not_encoded": 0}
        for item in self.items:
            out[item.status] += 1
        return out

    @property
    def overclaimed(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Items marked encoded although part of their text is encoded by nothing."""
        return tuple(
            (i.id, i.uncovered) for i in self.items if i.status == "encoded" and i.uncovered
        )

    uncited: tuple[str, ...] = ()
    """The keys whose article is still `TODO` (a draft of `datacontract init`), by path."""

    @property
    def holds(self) -> bool:
        return (
            bool(self.items)
            and self.counts["not_encoded"] == 0
            and not self.overclaimed
            and not self.uncited
        )

    def to_json(self) -> dict[str, object]:
        return {
            "contract": self.contract,
            "version": self.version,
            "protocol": self.seed,
            "holds": self.holds,
            "totals": {**self.counts, "items": len(self.items)},
            "items": [
                {
                    "id": i.id,
                    "text": i.text,
                    "article": i.article,
                    "status": i.status,
                    "encoded_by": list(i.encoded_by),
                    "parts": [{"text": p.text, "encoded_by": list(p.encoded_by)} for p in i.parts],
                    "missing": i.missing,
                    "note": i.note,
                }
                for i in self.items
            ],
            "overclaimed": [{"item": i, "parts": list(p)} for i, p in self.overclaimed],
            "columns_no_item_names": list(self.unlisted),
            "columns_by_reference": dict(self.by_reference),
            "uncited": list(self.uncited),
        }


def coverage(contract: model.Contract) -> Coverage:
    named = {name for item in contract.items for name in item.encoded_by}
    crossing = {h.dataset for h in contract.hops}
    unlisted = tuple(
        f"{d.id}.{c.name}"
        for d in contract.datasets
        if d.id in crossing
        for c in d.columns
        if f"{d.id}.{c.name}" not in named and not c.by_reference
    )
    by_reference = tuple(
        (d.id, n) for d in contract.datasets if (n := sum(c.by_reference for c in d.columns))
    )
    return Coverage(
        contract.contract,
        contract.version,
        contract.protocol.seed,
        contract.items,
        unlisted,
        by_reference,
        tuple(_uncited(contract.model_dump(), "")),
    )


def _uncited(node: object, path: str) -> list[str]:
    """Every `article` left `TODO` (contract/draft.py's placeholder), by its key's path."""
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if key == "article" and isinstance(value, str) and value.strip() == "TODO":
                out.append(where)
            else:
                out += _uncited(value, where)
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            name = value.get("id") or value.get("name") if isinstance(value, dict) else None
            out += _uncited(value, f"{path}[{name if name is not None else i}]")
    return out
