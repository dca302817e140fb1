"""demo: synthetic data and the demo flows; nothing in the engine depends on it.

synthetic.py generates the adequacy study's synthetic families, sample.py synthetic rows for
any dataset of any contract; adequacy.py and adequacy_flow.py play the adequacy study through
the hooks, protocols.py the four other protocols' flows.

It may import: every part but cli.
It must never import: cli; and no part but cli may import it.
"""
