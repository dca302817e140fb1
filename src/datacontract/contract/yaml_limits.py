"""The limits a contract's YAML meets while it is read (limits.py holds the numbers).

A hostile contract must fail with a message, not exhaust the stack or the memory: `check_nesting`
refuses nesting deeper than limits.NESTING before the composer recurses into it, and `Budget`
stops the expansion of aliases at limits.YAML_NODES (a "billion laughs") and at an alias inside
its own anchor. Each refusal is a ContractError at `file:line:column`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from datacontract import limits
from datacontract.errors import ContractError, Location

# libyaml's parser when PyYAML has it: PyYAML's own takes a minute over a 1 MiB contract.
LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_nesting(text: str, filename: str) -> None:
    """Refuse YAML nested deeper than limits.NESTING before it is composed (the composer
    recurses once per level: 100,000 levels would exhaust Python's stack)."""
    depth = 0
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > limits.NESTING:
                mark = event.start_mark
                where = Location(filename, mark.line + 1, mark.column + 1) if mark else None
                raise ContractError(
                    f"nested deeper than {limits.NESTING} levels, the limit for a contract",
                    where or Location(filename),
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


@dataclass
class Budget:
    """What composing may still spend: nodes (aliases expanded) and the nodes being expanded,
    so that a billion laughs stops at limits.YAML_NODES and an alias inside itself at once."""

    filename: str
    nodes: int = 0
    open: frozenset[int] = frozenset()

    def enter(self, node: yaml.Node, depth: int) -> None:
        self.nodes += 1
        where = Location(self.filename, node.start_mark.line + 1, node.start_mark.column + 1)
        if self.nodes > limits.YAML_NODES:
            raise ContractError(
                f"its aliases expand to more than {limits.YAML_NODES:,} values, the limit for "
                "a contract (nested anchors that multiply: a 'billion laughs')",
                where,
            )
        if depth > limits.NESTING:
            raise ContractError(
                f"nested deeper than {limits.NESTING} levels once its aliases are expanded, "
                "the limit for a contract",
                where,
            )
        if id(node) in self.open:
            raise ContractError("an alias refers to the anchor it is inside of", where)
