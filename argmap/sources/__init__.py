"""Reading and checking a debate corpus: sources, claims, quotes, relations."""

from argmap.sources.loader import default_corpus_path, load_corpus, relation_id
from argmap.sources.model import Claim, Corpus, Debate, Figure, Quote, Relation, Source, Speaker, Topic

__all__ = [
    "Claim",
    "Corpus",
    "Debate",
    "Figure",
    "Quote",
    "Relation",
    "Source",
    "Speaker",
    "Topic",
    "default_corpus_path",
    "load_corpus",
    "relation_id",
]
