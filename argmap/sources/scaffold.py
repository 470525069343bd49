"""A new, empty debate corpus: the files of ``argmap new``, made from the template shipped in the package.

The template (``argmap/sources/template/``) is package data, so ``argmap new`` works from a pip install. The
files it makes validate at once: a debate with no topics, speakers, sources or claims yet, each file carrying
the format's comments as a guide.
"""

from __future__ import annotations

import re
from importlib import resources

import yaml

from argmap.errors import ArgmapError

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class ScaffoldError(ArgmapError):
    """A new debate that cannot be made as asked (a bad id, an empty title or motion)."""

    exit_code = 2


def slug(text: str) -> str:
    """A lower-case id made from ``text``: letters and digits, words joined by ``-``.

    >>> slug("Should cities ban cars from downtown?")
    'should-cities-ban-cars-from-downtown'
    >>> slug("Élan — 2024")
    'elan-2024'
    """
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))[:60].strip("-")


def _scalar(value: str) -> str:
    """One YAML scalar on one line, quoted only when plain text would not read back as the same string."""
    out = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()
    return out[: -len("...")].strip() if out.endswith("...") else out


def template_files() -> dict[str, str]:
    """The template's files, path relative to the corpus folder -> text (with ``{id}`` placeholders)."""
    root = resources.files("argmap") / "sources" / "template"
    out: dict[str, str] = {}

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif not child.name.startswith(".") and child.name != "__pycache__":
                out[f"{prefix}{child.name}"] = child.read_text(encoding="utf-8")

    walk(root, "")
    return out


def new_debate(*, title: str, motion: str, debate_id: str | None = None) -> dict[str, str]:
    """The files of a new debate corpus (relative path -> text), ready to write into an empty folder.

    ``debate_id`` defaults to a slug of ``title``.

    >>> files = new_debate(title="Car-free downtown", motion="The city should ban cars from downtown: now")
    >>> sorted(files)
    ['claims/README.md', 'debate.yaml', 'relations.yaml', 'sources.yaml', 'speakers.yaml', 'texts/README.md', 'topics.yaml']
    >>> [line for line in files["debate.yaml"].splitlines() if not line.startswith("#")][:3]
    ['id: car-free-downtown', 'title: Car-free downtown', "motion: 'The city should ban cars from downtown: now'"]
    """
    title, motion = " ".join(title.split()), " ".join(motion.split())
    if not title:
        raise ScaffoldError("--title is empty (give the debate's title, e.g. --title 'Car-free downtown')")
    if not motion:
        raise ScaffoldError(
            "--motion is empty (give the motion claims are for or against, e.g. --motion 'The city should ban cars downtown')"
        )
    did = debate_id if debate_id is not None else slug(title)
    if not ID_RE.match(did or ""):
        raise ScaffoldError(
            f"bad debate id '{did}' (ids are lower-case letters, digits, '-' and '_', starting with a letter or "
            "digit); give one with --id"
        )
    values = {"id": did, "title": _scalar(title), "motion": _scalar(motion)}
    return {path: re.sub(r"\{(id|title|motion)\}", lambda m: values[m.group(1)], text) for path, text in template_files().items()}
