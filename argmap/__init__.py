"""argmap: a knowledge graph of a public policy debate.

Claims, the exact quotes they rest on and their sources become RDF; support and attack relations
make an argument graph that networkx analyses and that exports as maps, diagrams and briefs.
"""

__version__ = "0.1.0"
