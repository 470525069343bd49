"""The RDF formats as export formats: thin adapters from the export registry to :mod:`argmap.graph.rdf`,
the one RDF pipeline (``argmap export turtle`` and ``argmap build --format turtle`` write the same bytes)."""

from __future__ import annotations

from argmap.graph.rdf import serialize


def _render(name: str):
    def render(corpus, *, metrics: dict | None = None) -> str:
        return serialize(corpus, name, metrics=metrics)

    render.__name__ = f"render_{name}"
    render.__doc__ = f"The debate graph (with the analysis results in ``metrics``) as {name}."
    return render


render_turtle = _render("turtle")
render_ntriples = _render("ntriples")
render_jsonld = _render("jsonld")
render_xml = _render("xml")
render_trig = _render("trig")
render_nquads = _render("nquads")
