"""An ODCS 3.2 document back into a contract of ours: the inverse of odcs_export.py.

The document is read within a contract's limits (contract/load.py `read_yaml`), checked
against the JSON Schema that the `open-data-contract-standard` package ships (a problem names
`file:line:column` and the key), parsed with the package's pydantic models, and mapped back:
schema objects to datasets, properties to columns (`required: true` -> `nullable: false`;
`enum` or an `invalidValues` check -> `values`; `unique` or a `duplicateValues` check ->
`unique`; `classification` -> `category`; the `protocolArticle` authoritative definition ->
`article`), quality checks to rules, our customProperties to the keys ODCS has no field for.
The result goes through the same checks as a contract YAML (shape, references). What the
document holds and our format cannot (servers, team, SLAs, other tools' checks) is named in
`Imported.left_out`, never silently dropped. docs/standards.md has the mapping.
"""

from __future__ import annotations

import functools
import json
import warnings
from dataclasses import dataclass
from typing import Any

import jsonschema
from open_data_contract_standard.model import (
    AuthoritativeDefinition,
    CustomProperty,
    DataQuality,
    OpenDataContractStandard,
    SchemaObject,
    SchemaProperty,
)
from pydantic import ValidationError

from datacontract.check.kinds import KINDS
from datacontract.contract import model
from datacontract.contract.load import contract_from_data, read_yaml
from datacontract.contract.names import looks_personal
from datacontract.contract.references import Path_
from datacontract.contract.schema import json_ready
from datacontract.errors import ContractError, Location
from datacontract.standards.odcs_terms import (
    ARTICLE,
    COLUMN_CUSTOM,
    COLUMN_TYPES,
    CONTRACT_CUSTOM,
    DATASET_CUSTOM,
    DATASET_ONLY,
    VENDOR,
)


@dataclass(frozen=True)
class Imported:
    """The contract an ODCS document holds, and what of the document it could not keep."""

    contract: model.Contract
    left_out: tuple[str, ...]


def import_odcs(path: str) -> Imported:
    """The contract in the ODCS document at `path`; ContractError (exit 2) naming the file,
    line and key when it is not a valid ODCS 3.2 document or does not make a contract."""
    document = read_yaml(path, "ODCS document")
    check_odcs(document.data, document.marks, document.path)
    return contract_from_odcs(document.data, document.path)


@functools.cache
def odcs_schema() -> dict[str, Any]:
    """The ODCS JSON Schema the `open-data-contract-standard` package ships (draft 2019-09)."""
    with warnings.catch_warnings():  # the package reads it with a deprecated importlib call
        warnings.simplefilter("ignore", DeprecationWarning)
        text: str = OpenDataContractStandard.json_schema()  # type: ignore[no-untyped-call]
    schema: dict[str, Any] = json.loads(text)
    return schema


def check_odcs(data: Any, marks: dict[Path_, tuple[int, int]], filename: str) -> None:
    """Raise ContractError listing where `data` breaks the ODCS JSON Schema (first 20)."""
    validator = jsonschema.Draft201909Validator(odcs_schema())
    errors = sorted(validator.iter_errors(json_ready(data)), key=lambda e: list(map(str, e.path)))
    if not errors:
        return
    lines = []
    for error in errors[:20]:
        path: Path_ = tuple(error.absolute_path)
        line_col = marks.get(path)
        while line_col is None and path:
            path = path[:-1]
            line_col = marks.get(path)
        steps = [str(p) for p in error.absolute_path]
        key = ".".join(p if not looks_personal(p) else "(withheld)" for p in steps) or "document"
        lines.append((Location(filename, *(line_col or (None, None))), f"{key}: {_why(error)}"))
    if len(lines) == 1:
        raise ContractError(f"not a valid ODCS 3.2 document: {lines[0][1]}", lines[0][0])
    listing = "\n  ".join(f"{where}: {text}" for where, text in lines)
    more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
    raise ContractError(
        f"not a valid ODCS 3.2 document, {len(errors)} problems:\n  {listing}{more}", lines[0][0]
    )


def _why(error: jsonschema.exceptions.ValidationError) -> str:
    """The schema's complaint, without the value it is about (a document may hold data)."""
    expected: Any = error.validator_value
    instance: Any = error.instance
    if error.validator == "required":
        missing = [k for k in expected if k not in (instance or {})]
        return f"misses required key {', '.join(map(repr, missing))}"
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        return "holds a key the standard does not define"
    if error.validator in ("enum", "const"):
        allowed = expected if isinstance(expected, list) else [expected]
        return f"must be one of: {', '.join(map(str, allowed))}"
    if error.validator == "type":
        return f"must be of type {expected}"
    return f"breaks the standard's {error.validator!r} rule"


def contract_from_odcs(data: Any, filename: str) -> Imported:
    """Map a valid ODCS document (JSON data) to a contract, checked as a contract YAML is."""
    try:
        document = OpenDataContractStandard.model_validate(data)
    except ValidationError as exc:
        raise ContractError(
            f"not an ODCS document ({exc.error_count()} problems)", Location(filename)
        ) from None
    left_out: list[str] = []
    top = _customs(document.customProperties, "document", left_out)
    if DATASET_ONLY in top:
        raise ContractError(
            f"the document holds dataset {top[DATASET_ONLY]!r} only (export --dataset): import "
            "needs the whole contract's document (export without --dataset)",
            Location(filename),
        )
    ours: dict[str, Any] = {"contract": document.id, "version": document.version}
    if document.name is not None:
        ours["title"] = document.name
    for key, name in CONTRACT_CUSTOM.items():
        if name in top:
            ours[key] = top.pop(name)
    ours["datasets"] = [_dataset(s, left_out) for s in document.schema_ or ()]
    left_out.extend(f"customProperties.{name}: not a key of the contract format" for name in top)
    for field in ("servers", "team", "roles", "support", "price", "slaProperties", "tags"):
        if getattr(document, field):
            left_out.append(f"{field}: the contract format has no place for it")
    try:
        contract = contract_from_data(ours, {}, filename)
    except ContractError as exc:
        raise ContractError(
            f"the ODCS document does not make a contract: {exc.detail}", Location(filename)
        ) from None
    # a name of the document that looks like personal data is never repeated (contract/names.py)
    withheld = "a part of the document (its name withheld: it looks like personal data)"
    return Imported(contract, tuple(withheld if looks_personal(x) else x for x in left_out))


def _customs(props: list[CustomProperty] | None, where: str, left_out: list[str]) -> dict[str, Any]:
    """Our custom properties by name (vendor ours or none); another vendor's are left out."""
    out: dict[str, Any] = {}
    for prop in props or ():
        if prop.vendor not in (None, VENDOR):
            left_out.append(f"{where}.customProperties.{prop.property}: vendor {prop.vendor}")
        elif prop.property is not None:
            out[prop.property] = prop.value
    return out


def _article(definitions: list[AuthoritativeDefinition] | None) -> dict[str, str]:
    for definition in definitions or ():
        if definition.type == ARTICLE and definition.description:
            return {"article": definition.description}
    return {}  # the contract's checks then say: has no article citation


def _dataset(schema: SchemaObject, left_out: list[str]) -> dict[str, Any]:
    where = f"schema[{schema.name}]"
    extra = _customs(schema.customProperties, where, left_out)
    out: dict[str, Any] = {"id": schema.name, **_article(schema.authoritativeDefinitions)}
    if schema.businessName is not None:
        out["title"] = schema.businessName
    if schema.description is not None:
        out["note"] = schema.description
    for key, name in DATASET_CUSTOM.items():
        if name in extra:
            out[key] = extra.pop(name)
    left_out.extend(f"{where}.customProperties.{name}: not a key of a dataset" for name in extra)
    out["columns"] = [
        _column(p, f"{where}.properties[{p.name}]", left_out) for p in schema.properties or ()
    ]
    rules = [r for q in schema.quality or () if (r := _rule(q, where, left_out)) is not None]
    if rules:
        out["rules"] = rules
    return out


def _column(prop: SchemaProperty, where: str, left_out: list[str]) -> dict[str, Any]:
    extra = _customs(prop.customProperties, where, left_out)
    out: dict[str, Any] = {"name": prop.name, **_article(prop.authoritativeDefinitions)}
    if prop.logicalType is not None:
        out["type"] = COLUMN_TYPES.get(prop.logicalType, prop.logicalType)
    out["nullable"] = not prop.required
    checks = {q.metric: q for q in prop.quality or () if q.type in (None, "library")}
    if prop.enum:
        out["values"] = [e.value for e in prop.enum]
    elif "invalidValues" in checks and "validValues" in (checks["invalidValues"].arguments or {}):
        out["values"] = (checks["invalidValues"].arguments or {})["validValues"]
    elif "values" in extra:
        out["values"] = extra.pop("values")
    for key, value in (prop.logicalTypeOptions or {}).items():
        if key in ("pattern", "format", "minimum", "maximum"):
            out[key] = value  # the contract's own checks say if it does not fit the column
        else:
            left_out.append(f"{where}.logicalTypeOptions.{key}: not a key of a column")
    out["unique"] = bool(prop.unique) or (
        "duplicateValues" in checks and checks["duplicateValues"].mustBe == 0
    )
    if prop.classification is not None:
        out["category"] = prop.classification
    if prop.description is not None:
        out["note"] = prop.description
    for key, name in COLUMN_CUSTOM.items():
        if name in extra:
            out[key] = extra.pop(name)
    extra.pop("values", None)
    left_out.extend(f"{where}.customProperties.{name}: not a key of a column" for name in extra)
    return out


def _rule(check: DataQuality, where: str, left_out: list[str]) -> dict[str, Any] | None:
    common: dict[str, Any] = {"id": check.name, **_article(check.authoritativeDefinitions)}
    if check.description is not None:
        common["note"] = check.description
    arguments = check.arguments or {}
    for name, kind in KINDS.items():  # a library metric one of our rule kinds exports as
        library = kind.odcs
        if (
            library is not None
            and (check.metric, check.mustBe) == (library.metric, library.must_be)
            and "properties" in arguments
        ):
            return {**common, "kind": name, library.columns: arguments["properties"]}
    if check.type == "custom" and check.engine == VENDOR and isinstance(check.implementation, dict):
        return {**common, **check.implementation}
    left_out.append(
        f"{where}.quality[{check.name or check.metric or check.type}]: "
        "a check our engine does not run"
    )
    return None
