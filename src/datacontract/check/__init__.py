"""check: a file against a dataset of a contract, batch by batch, into findings.

coerce.py casts what a reader gave to the declared types (one value, one verdict in every
format); compile.py builds the pandera schema (its polars backend, each Arrow batch taken
into polars without a copy), every check named by its rule id, and rules.py the dataset-wide
rules in it; validate.py runs it over the batches and file_state.py keeps the bounded state
of the rules that span a file (rowhash.py and keyhash.py hash rows from the Arrow buffers:
uniqueness, and the keys digest as pandas hashed it); nested.py checks JSON documents by their
paths; results.py holds the result types (a finding never holds a value); retention.py reads
the date a retention term starts from.

It may import: contract, personal, read; pandera (pandera.polars), polars, pyarrow, numpy.
Never pandas (not a dependency; tests/check/test_imports.py).
It must never import: ledger, flow, report, cli or demo.
"""
