"""A contract as an ODCS 3.2 document (Open Data Contract Standard, bitol-io), built with the
`open-data-contract-standard` package's pydantic models.

One schema object per dataset: columns as properties (logicalType, logicalTypeOptions with
pattern, format, minimum and maximum; `required` for a column that may not be empty; `enum`
for declared values; `classification` = our personal-data category; the article as an
authoritative definition of type `protocolArticle`), uniqueness and allowed values also as
ODCS library quality checks, every dataset rule as a quality check (a `unique` rule as the
library metric `duplicateValues`, the others as `custom` checks of our engine). What ODCS has
no field for (protocol, parties, channels, detectors, hops, milestones, invariants, items,
and a dataset's making, keys, file rules, by-reference columns) travels in customProperties
(vendor `groeipakket-datacontract`), so that odcs_import.py gives back the same contract.
The mapping, field by field, and where the two differ: docs/standards.md.
"""

from __future__ import annotations

from typing import Any

from open_data_contract_standard.model import (
    DataQuality,
    Description,
    EnumValue,
    OpenDataContractStandard,
    SchemaObject,
    SchemaProperty,
)

from datacontract.check.kinds import kind_of
from datacontract.contract import model
from datacontract.contract.dump import yaml_text
from datacontract.errors import UsageError
from datacontract.standards.odcs_terms import (
    API_VERSION,
    COLUMN_CUSTOM,
    CONTRACT_CUSTOM,
    DATASET_CUSTOM,
    DATASET_ONLY,
    LOGICAL_TYPES,
    VENDOR,
    article_definition,
    custom,
    source_url,
)


def export_odcs(contract: model.Contract, dataset: str | None = None) -> OpenDataContractStandard:
    """The ODCS document of `contract`: every dataset, or only `dataset` (then with the hops
    that carry it, and without the items and invariants that span datasets; such a document
    says `datasetOnly` and cannot be imported back). UsageError for an unknown dataset."""
    datasets = contract.datasets
    if dataset is not None:
        chosen = contract.dataset(dataset)
        if chosen is None:
            known = ", ".join(d.id for d in contract.datasets)
            raise UsageError(f"{contract.contract} has no dataset {dataset!r} (it has: {known})")
        datasets = (chosen,)
    url = source_url(contract.protocol.url, contract.protocol.seed)
    return OpenDataContractStandard(
        apiVersion=API_VERSION,
        kind="DataContract",
        id=contract.contract,
        name=contract.title,
        version=contract.version,
        status="active",
        description=Description(
            purpose=f"Encodes the protocol: {contract.protocol.title} ({contract.protocol.date})"
        ),
        schema=[_schema_object(d, url) for d in datasets],
        customProperties=_contract_custom(contract, dataset),
    )


def odcs_data(document: OpenDataContractStandard) -> dict[str, Any]:
    """The document as JSON data, as ODCS files hold it (no empty fields)."""
    data: dict[str, Any] = document.model_dump(mode="json", exclude_none=True, by_alias=True)
    return data


def odcs_yaml(document: OpenDataContractStandard) -> str:
    """The document as ODCS YAML text, keys in the standard's order, inert on a terminal."""
    return yaml_text(odcs_data(document))


def _dump(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    if isinstance(value, model.Model):
        return value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return value


def _contract_custom(contract: model.Contract, dataset: str | None) -> list[Any]:
    values: dict[str, Any] = {key: getattr(contract, key) for key in CONTRACT_CUSTOM}
    if dataset is not None:
        values["hops"] = tuple(h for h in contract.hops if h.dataset == dataset)
        values.update(invariants=(), items=(), separate=None)
    out = [
        custom(CONTRACT_CUSTOM[key], _dump(v)) for key, v in values.items() if v not in ((), None)
    ]
    if dataset is not None:
        out.append(custom(DATASET_ONLY, dataset))
    return out


def _schema_object(dataset: model.Dataset, url: str) -> SchemaObject:
    extra = [
        custom(DATASET_CUSTOM[key], _dump(getattr(dataset, key)))
        for key in DATASET_CUSTOM
        if getattr(dataset, key) not in ((), None)
    ]
    return SchemaObject(
        name=dataset.id,
        businessName=dataset.title,
        logicalType="object",
        description=dataset.note,
        authoritativeDefinitions=[article_definition(dataset.article, url)],
        properties=[_property(dataset.id, c, url) for c in dataset.columns],
        quality=[_rule(r, url) for r in dataset.rules] or None,
        customProperties=extra or None,
    )


def _property(dataset: str, column: model.Column, url: str) -> SchemaProperty:
    options = {
        key: _number(value, column.type) if key in ("minimum", "maximum") else value
        for key in ("pattern", "format", "minimum", "maximum")
        if (value := getattr(column, key)) is not None
    }
    extra = [
        custom(name, getattr(column, key))
        for key, name in COLUMN_CUSTOM.items()
        if getattr(column, key) != model.Column.model_fields[key].default
    ]
    if column.values == ():  # nothing is allowed: ODCS's enum needs one value at least
        extra.append(custom("values", []))
    return SchemaProperty(
        name=column.name,
        logicalType=LOGICAL_TYPES[column.type],
        logicalTypeOptions=options or None,
        required=True if not column.nullable else None,
        unique=True if column.unique else None,
        classification=column.category,
        enum=[EnumValue(value=v) for v in column.values] if column.values else None,
        description=column.note,
        authoritativeDefinitions=[article_definition(column.article, url)],
        quality=_column_quality(dataset, column) or None,
        customProperties=extra or None,
    )


def _number(value: float, column_type: str) -> float | int:
    return int(value) if column_type == "integer" and value.is_integer() else value


def _column_quality(dataset: str, column: model.Column) -> list[DataQuality]:
    """The column's own checks as ODCS library metrics (the same names as our findings), for
    tools that run ODCS quality checks (`required: true` says no null values); the import
    reads `enum` and `unique`, and these only where those are absent."""
    base = f"{dataset}.{column.name}"
    out = []
    if column.values:
        out.append(
            _quality(
                name=f"{base}.values",
                type="library",
                metric="invalidValues",
                arguments={"validValues": list(column.values)},
                mustBe=0,
                dimension="conformity",
            )
        )
    if column.unique:
        out.append(
            _quality(
                name=f"{base}.unique",
                type="library",
                metric="duplicateValues",
                mustBe=0,
                dimension="uniqueness",
            )
        )
    return out


def _quality(**fields: Any) -> DataQuality:
    """A DataQuality of the fields given (its pydantic model leaves the rest unset)."""
    return DataQuality.model_validate({k: v for k, v in fields.items() if v is not None})


def _rule(rule: model.Rule, url: str) -> DataQuality:
    """A rule as its kind's entry says (check/kinds/): an ODCS library metric, or a `custom`
    check of our engine that carries the rule's parameters."""
    cited = [article_definition(rule.article, url)]
    kind = kind_of(rule)
    if kind.odcs is not None:
        return _quality(
            name=rule.id,
            type="library",
            metric=kind.odcs.metric,
            arguments={"properties": list(getattr(rule, kind.odcs.columns))},
            mustBe=kind.odcs.must_be,
            dimension=kind.odcs_dimension,
            description=rule.note,
            authoritativeDefinitions=cited,
        )
    implementation = rule.model_dump(mode="json", exclude={"id", "article", "note"})
    return _quality(
        name=rule.id,
        type="custom",
        engine=VENDOR,
        implementation=implementation,
        dimension=kind.odcs_dimension,
        description=rule.note,
        authoritativeDefinitions=cited,
    )
