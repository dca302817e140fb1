"""report: what people read, rendered from results and proofs; no decisions of its own.

validation.py renders validation results as text (rich), JSON and JUnit; proof.py the audit
proof as text, JSON and a self-contained HTML page; coverage.py the coverage table; inert.py
makes every string from a file, a contract or the ledger inert (markup escaped, control
characters replaced) before it is printed.

It may import: contract, check (results), flow (proofs), ledger (events); rich.
It must never import: read, cli or demo; it never opens a data file.
"""
