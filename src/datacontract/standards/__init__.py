"""standards: our contracts and ledger in the ecosystem's formats, in and out.

odcs_export.py exports a contract to the Open Data Contract Standard (ODCS 3.2) and
odcs_import.py imports one back (odcs_terms.py: the vocabulary both share);
openlineage.py turns ledger events (hops, destructions, proofs) into OpenLineage RunEvents.
What neither standard has a field for travels in its custom properties or facets, so nothing
is lost on the way back.

It may import: contract, check (results), flow (lineage, proofs, declared SQL), ledger (events).
It must never import: read, report, cli or demo; it never opens a data file.
"""
