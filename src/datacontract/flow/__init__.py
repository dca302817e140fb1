"""flow: who held what, when, and whether the contract's flow invariants hold.

hop.py and duties.py are the hooks a party calls at a boundary (send, receive; destroy, made,
milestone), record.py how they record or refuse; lineage.py turns the ledger into holdings
and the networkx lineage graph; view.py is what an invariant looks at; invariants.py and
terms.py the invariants as pure functions, and kinds.py the registry that pairs each with its
kind's typed parameters (contract/invariants.py); declared.py checks the declared flow alone;
prover.py runs them all into a proof (proof.py); sqllineage.py proves the declared SQL
derivations column by column with sqlglot.

It may import: contract, personal, read, check, ledger; networkx, sqlglot; cryptography's key
types (a receiver's keyring).
It must never import: report, cli or demo.
"""
