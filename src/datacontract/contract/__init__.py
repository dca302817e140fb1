"""contract: what a protocol promises, as data.

The frozen pydantic model of a contract (parties, datasets, columns, rules, hops, invariants,
article-3 items), the YAML loader whose errors point at `contract.yaml:12:5`, and coverage
(which article-3 item the contract encodes, and with what). About the format itself: its JSON
Schema generated from the models (schema.py), `lint` (lint.py), the differences between two
versions and which break a party's files (changelog.py), a model written back as YAML (dump.py).

It may import: nothing of ours but errors.py (and pydantic, PyYAML, jsonschema).
It must never import: any other part; pandas, pandera or pyarrow (a contract loads in a blink).
"""
