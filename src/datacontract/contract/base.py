"""The types every part of a contract model shares: identifiers, articles, the frozen base."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Article = Annotated[str, Field(min_length=1)]

ColumnType = Literal["string", "integer", "number", "boolean", "date", "datetime"]
Category = Literal[
    "identifier",  # a national number, a dossier code: identifies a person or a family
    "pseudonym",  # a keyed code that links files without identifying anyone on its own
    "contact",  # e-mail address, phone number
    "background",  # profile, income and allowance data from the DWH
    "administrative",  # payer, stratum, period: needed to route and report
]
Format = Literal["insz", "email", "phone"]
# The names of read/formats.py's registry, in its order (contract/ may not import read/;
# tests/read/test_formats.py fails when the two differ).
FileFormat = Literal["csv", "parquet", "json", "jsonl", "xlsx", "ods", "xml"]
# A JSON path into a nested document: keys joined by dots, `[]` after a key that holds an array
# of objects, e.g. `verrichtingen[].bedrag`.
JsonPath = Annotated[
    str, Field(pattern=r"^([A-Za-z_][A-Za-z0-9_]*(\[\])?\.)*[A-Za-z_][A-Za-z0-9_]*$")
]
Detector = Literal["insz", "email", "phone", "pattern"]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
