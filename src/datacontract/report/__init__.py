"""report: what people read, rendered from results and proofs; no decisions of its own.

validation.py renders validation results as text (rich on a terminal, plain lines elsewhere),
JSON and JUnit; annotations.py as GitHub and Azure annotations and GitHub's job summary;
sarif.py as SARIF 2.1.0; describe.py lists a contract's names; proof.py the audit
proof as text, JSON and a self-contained HTML page; coverage.py the coverage table; inert.py
makes every string from a file, a contract or the ledger inert (markup escaped, control
characters replaced) before it is printed.

It may import: contract, check (results), flow (proofs), ledger (events); rich.
It must never import: read, cli or demo; it never opens a data file.
"""
