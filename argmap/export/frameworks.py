"""The debate's attack framework in the ICCMA formats: ``apx``, ``tgf`` and ``iccma`` (ICCMA 2023 ``p af N``).

Arguments are the selected claims, in id order, and, for every attack that an undercut targets, that attack's
inference (named after the relation, as :mod:`argmap.graph.analysis.dung` builds it), so a solver reading the
file gets the same plain Dung results as ``argmap analyze --preferences none``. Evidence levels are not
written: the formats have no place for preferences. Analysis results are not used (``metrics`` is ignored).
"""

from __future__ import annotations

from argmap.sources.model import Corpus


def _framework(corpus: Corpus):
    from argmap.graph.analysis.dung import framework
    from argmap.graph.build import build_graph
    from argmap.graph.projection import project

    return framework(project(build_graph(corpus)))


def render_apx(corpus: Corpus, *, metrics=None) -> str:
    from argmap.graph.analysis import frameworks

    return frameworks.render_apx(_framework(corpus))


def render_tgf(corpus: Corpus, *, metrics=None) -> str:
    from argmap.graph.analysis import frameworks

    return frameworks.render_tgf(_framework(corpus))


def render_iccma(corpus: Corpus, *, metrics=None) -> str:
    from argmap.graph.analysis import frameworks

    return frameworks.render_iccma(_framework(corpus))
