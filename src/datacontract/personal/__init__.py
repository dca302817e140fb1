"""personal: what personal data looks like, and the one place that decides what may be shown.

National-number arithmetic (insz.py: the register's rules, every rendering people produce),
the detectors over Arrow columns (detect.py: INSZ, e-mail, phone, patterns, in every storage
type), and redaction (redact.py: a value is shown only when the contract declares it safe; a
name from a file is withheld when a detector fires on it). Readers and checks both need it, so
it sits below both.

It may import: contract (the Column a label belongs to), numpy and pyarrow.
It must never import: read, check, ledger, flow, report, cli or demo; pandas or pandera.
"""
