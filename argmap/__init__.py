"""argmap: a knowledge graph of a public policy debate.

Claims, the exact quotes they rest on and their sources become RDF; support and attack relations
make an argument graph that networkx analyses and that exports as maps, diagrams and briefs.

>>> import argmap
>>> d = argmap.load()                       # the shipped OPC debate
>>> d.id, len(d.claims) > 100
('opc', True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = ["Debate", "MapPage", "load", "shipped_path", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from argmap.api import Debate, MapPage, load, shipped_path


def __getattr__(name: str) -> Any:
    # the API is imported on first use, so `import argmap` (and `argmap --help`) stays instant
    if name in ("Debate", "MapPage", "load", "shipped_path"):
        from argmap import api

        return getattr(api, name)
    raise AttributeError(f"module 'argmap' has no attribute {name!r}")
