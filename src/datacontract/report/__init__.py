"""report: what people read, rendered from results and proofs; no decisions of its own.

validation.py renders validation results as text (rich on a terminal, plain lines elsewhere),
JSON and JUnit; annotations.py as GitHub and Azure annotations and GitHub's job summary;
sarif.py as SARIF 2.1.0; describe.py lists a contract's names; proof.py the audit proof as
text and JSON, and as the audit document in Dutch: proof_html.py the self-contained page
(proof_cover.py its cover, proof_graph.py the lineage graph laid out by Graphviz,
proof_timeline.py the timeline, proof_events.py the appendix of events, proof_dutch.py its
Dutch: the catalogue's sentences, dates, kinds; proof_marks.py what is red), proof_pdf.py its
PDF through headless Chromium; coverage.py the coverage table; inert.py makes every string
from a file, a contract or the ledger inert (markup escaped, control characters replaced)
before it is printed.

It may import: contract, check (results), flow (proofs), ledger (events); rich, graphviz.
It must never import: read, cli or demo; it never opens a data file (proof_pdf.py reads back
only the PDF it had Chromium print).
"""
