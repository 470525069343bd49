"""The pure core of the annotation page (`argmap annotate`): a selection and a form become a claim record,
checked against the source text; relations the same; the corpus files' new texts; versions; and a corpus
check of the changed files in a temporary copy, with each error put at the form field it is about.

Nothing here touches a socket; :func:`check_changes` writes only into a temporary folder of its own. The
HTTP edge is :mod:`argmap.annotate`.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from argmap.errors import ArgmapError, CorpusError, CorpusErrors
from argmap.sources import quotes
from argmap.sources.model import CLAIM_KINDS, RELATION_TYPES, SPEAKER_TYPES, STANCES, Corpus

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ABSENT = "absent"  # the version of a file that does not exist yet
NEW_SPEAKER = "+new"  # the speaker choice meaning: the new speaker typed into the form


class FormErrors(ArgmapError):
    """A save that cannot be made: messages keyed by the form field they are about (``"_"``: the whole
    form). Nothing is written.

    >>> str(FormErrors({"stance": "a claim needs a stance (one of: pro, con, neutral)"}))
    'stance: a claim needs a stance (one of: pro, con, neutral)'
    """

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class StaleVersion(ArgmapError):
    """A file changed since the page that saves was opened."""

    def __init__(self, rel: str):
        self.rel = rel
        super().__init__(f"{rel} changed since you opened it; reload the page to see the change, then save again")


def version_of(text: str | bytes | None) -> str:
    """The version of a file's content, sent with the page and checked on a save.

    >>> version_of(None), version_of("a: 1\\n") == version_of(b"a: 1\\n"), len(version_of(""))
    ('absent', True, 16)
    """
    if text is None:
        return ABSENT
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:16]


def check_versions(current: dict[str, str | None], sent: dict[str, str]) -> None:
    """Raise :class:`StaleVersion` for the first file (relative path) whose content's version is not the
    one the page was opened with; a file the page did not send a version for counts as changed."""
    for rel in sorted(current):
        if sent.get(rel) != version_of(current[rel]):
            raise StaleVersion(rel)


# ---------------------------------------------------------------- a selection in the source text


@dataclass(frozen=True)
class Selection:
    """A checked passage: ``quote`` (whitespace joined by single spaces, as the corpus writes quotes), at
    ``[start, end)`` code points of the source text, the ``occurrence`` of the quote there when it occurs
    more than once."""

    quote: str
    start: int
    end: int
    occurrence: int | None


def check_selection(text: str, start: object, end: object, selected: object) -> Selection:
    """Check a passage selected in the browser against the source ``text``.

    The offsets come from the browser and are not trusted: they must lie inside the text, and the text
    there must be the passage the browser says was selected (whitespace aside). The quote written is the
    source's own text at those offsets, trimmed of whitespace at both ends.

    Examples
    --------
    >>> t = "Sales held. Sales held.\\nCrashes fell."
    >>> check_selection(t, 12, 23, "Sales held.")
    Selection(quote='Sales held.', start=12, end=23, occurrence=2)
    >>> check_selection(t, 23, 37, " Crashes\\nfell. ")
    Selection(quote='Crashes fell.', start=24, end=37, occurrence=None)
    >>> check_selection(t, 0, 5, "Crash")
    Traceback (most recent call last):
    ...
    argmap.sources.annotation.FormErrors: quote: the selection does not match the source text at 0-5 (the text there is 'Sales'); reload the page and select again
    """
    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
        raise FormErrors({"quote": "the selection has no offsets; select a passage of the source text"})
    if not 0 <= start < end <= len(text):
        raise FormErrors({"quote": f"the selection {start}-{end} lies outside the source text (0-{len(text)})"})
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    exact = text[start:end]
    if not exact:
        raise FormErrors({"quote": "the selection holds only whitespace; select a passage of the source text"})
    if not isinstance(selected, str) or exact.split() != selected.split():
        raise FormErrors(
            {
                "quote": f"the selection does not match the source text at {start}-{end} (the text there is {shorten_repr(exact)}); reload the page and select again"
            }
        )
    quote = " ".join(exact.split())
    spans = quotes.QuoteFinder(text).find_all(quote)
    occurrence = None
    if len(spans) > 1:
        occurrence = next(k + 1 for k, (s, _) in enumerate(spans) if s == start)
    return Selection(quote=quote, start=start, end=end, occurrence=occurrence)


def shorten_repr(s: str, limit: int = 60) -> str:
    """``repr`` of ``s`` cut to ``limit`` characters.

    >>> shorten_repr("x" * 100, 5)
    "'xxxxx…'"
    """
    return repr(s[:limit] + "…") if len(s) > limit else repr(s)


# ---------------------------------------------------------------- the form -> a claim record


def _clean(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def parse_figures(text: str) -> list[dict]:
    """Figures written one per line as ``value | unit | qualifier`` (the qualifier optional).

    >>> parse_figures("2000000 | US dollars | about\\n\\n40 | percent")
    [{'value': 2000000, 'unit': 'US dollars', 'qualifier': 'about'}, {'value': 40, 'unit': 'percent'}]
    >>> parse_figures("lots | people")
    Traceback (most recent call last):
    ...
    argmap.sources.annotation.FormErrors: figures: line 1: 'lots' is not a number (write: value | unit | qualifier)
    """
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[1]:
            raise FormErrors({"figures": f"line {i}: a figure needs a value and a unit (write: value | unit | qualifier)"})
        try:
            num = float(parts[0].replace(",", ""))
        except ValueError:
            raise FormErrors({"figures": f"line {i}: {parts[0]!r} is not a number (write: value | unit | qualifier)"}) from None
        fig: dict = {"value": int(num) if num.is_integer() else num, "unit": parts[1]}
        if len(parts) > 2 and parts[2]:
            fig["qualifier"] = parts[2]
        out.append(fig)
    return out


@dataclass(frozen=True)
class ClaimSave:
    """What a claim form saves: the claim record, and the new speaker (for speakers.yaml) and the new topic
    (for topics.yaml) typed into the form, ``None`` when the form names only known ones."""

    claim: dict
    speaker: dict | None = None
    topic: dict | None = None


def _new_id(value: object, known: dict, what: str, errors: dict, key: str) -> str:
    nid = _clean(value)
    if not nid:
        errors[key] = f"a new {what} needs an id (lower-case letters, digits, '-' and '_')"
    elif not ID_RE.match(nid):
        errors[key] = f"bad id '{nid}' (ids are lower-case letters, digits, '-' and '_', starting with a letter or digit)"
    elif nid in known:
        errors[key] = f"a {what} with id '{nid}' is already in {what}s.yaml; pick it from the list instead"
    return nid


def _not_one_of(value: str, allowed: Sequence[str], needs: str, word: str) -> str:
    """The message for a choice left empty (``needs``) or not among ``allowed``.

    >>> _not_one_of("", ("pro", "con"), "a claim needs a stance", "stance")
    'a claim needs a stance (one of: pro, con)'
    >>> _not_one_of("maybe", ("pro", "con"), "a claim needs a stance", "stance")
    "unknown stance 'maybe' (one of: pro, con)"
    """
    choices = f"(one of: {', '.join(allowed)})"
    return f"{needs} {choices}" if not value else f"unknown {word} '{value}' {choices}"


def _needed(raw: dict, needs: dict[str, str], prefix: str, errors: dict[str, str]) -> list[str]:
    """The cleaned text of each field ``needs`` names; an empty one gets its message in ``errors`` (under
    ``prefix + field``).

    >>> errors = {}
    >>> _needed({"name": " Ann "}, {"name": "needs a name", "role": "needs a role"}, "x_", errors), errors
    (['Ann', ''], {'x_role': 'needs a role'})
    """
    out = []
    for name, message in needs.items():
        value = _clean(raw.get(name))
        if not value:
            errors[prefix + name] = message
        out.append(value)
    return out


def new_speaker_record(corpus: Corpus, raw: object) -> tuple[dict | None, dict[str, str]]:
    """The speaker record typed into the form's "new speaker" fields (``id``, ``name``, ``type``, ``role``),
    and the errors, keyed ``new_speaker_<field>``; ``(None, {})`` when the fields are all empty.

    >>> from argmap.sources import load_corpus
    >>> c = load_corpus("tests/data/mini")
    >>> new_speaker_record(c, {"id": "cycle-club", "name": "Cycle Club", "type": "organization"})
    ({'id': 'cycle-club', 'name': 'Cycle Club', 'type': 'organization'}, {})
    >>> new_speaker_record(c, {"id": "gazette", "name": "", "type": "club"})[1]["new_speaker_type"]
    "unknown type 'club' (one of: person, organization, group)"
    """
    raw = raw if isinstance(raw, dict) else {}
    if not any(_clean(raw.get(k)) for k in ("id", "name", "type", "role")):
        return None, {}
    errors: dict[str, str] = {}
    sid = _new_id(raw.get("id"), corpus.speakers_by_id, "speaker", errors, "new_speaker_id")
    (name,) = _needed(raw, {"name": "a new speaker needs a name, as the source gives it"}, "new_speaker_", errors)
    stype = _clean(raw.get("type"))
    if stype not in SPEAKER_TYPES:
        errors["new_speaker_type"] = _not_one_of(stype, SPEAKER_TYPES, "a new speaker needs a type", "type")
    rec = {"id": sid, "name": name, "type": stype}
    if _clean(raw.get("role")):
        rec["role"] = _clean(raw.get("role"))
    return (None if errors else rec), errors


def new_topic_record(corpus: Corpus, raw: object) -> tuple[dict | None, dict[str, str]]:
    """The topic record typed into the form's "new topic" fields (``id``, ``label``, ``definition``), and
    the errors, keyed ``new_topic_<field>``; ``(None, {})`` when the fields are all empty.

    >>> from argmap.sources import load_corpus
    >>> c = load_corpus("tests/data/mini")
    >>> new_topic_record(c, {"id": "Noise", "label": "Noise"})[1]
    {'new_topic_id': "bad id 'Noise' (ids are lower-case letters, digits, '-' and '_', starting with a letter or digit)", 'new_topic_definition': 'a new topic needs a definition: what claims under it are about'}
    """
    raw = raw if isinstance(raw, dict) else {}
    if not any(_clean(raw.get(k)) for k in ("id", "label", "definition")):
        return None, {}
    errors: dict[str, str] = {}
    tid = _new_id(raw.get("id"), corpus.topics_by_id, "topic", errors, "new_topic_id")
    needs = {
        "label": "a new topic needs a label: its name in a few words",
        "definition": "a new topic needs a definition: what claims under it are about",
    }
    label, definition = _needed(raw, needs, "new_topic_", errors)
    rec = {"id": tid, "label": label, "definition": definition}
    return (None if errors else rec), errors


def claim_record(corpus: Corpus, source_id: str, sel: Selection, form: dict) -> dict:
    """The claim record a form makes, with every field checked against the corpus; a
    :class:`FormErrors` names each field that is wrong and what it allows.

    Examples
    --------
    >>> from argmap.sources import load_corpus
    >>> c = load_corpus("tests/data/mini")
    >>> sel = Selection("Sales on the street did not fall.", 0, 33, None)
    >>> claim_record(c, "study-2023", sel, {"id": "x", "text": "t", "topics": ["business"], "speaker": "gazette", "kind": "factual"})
    Traceback (most recent call last):
    ...
    argmap.sources.annotation.FormErrors: stance: a claim needs a stance (one of: pro, con, neutral)
    """
    return claim_save(corpus, source_id, sel, form).claim


def claim_save(corpus: Corpus, source_id: str, sel: Selection, form: dict) -> ClaimSave:
    """The claim a form makes, with the new speaker and new topic it types in (see :func:`claim_record`).

    The speaker choice :data:`NEW_SPEAKER` takes the speaker from ``form["new_speaker"]``; a filled
    ``form["new_topic"]`` adds that topic to the claim's topics. Every error of every field at once.
    """
    errors: dict[str, str] = {}
    cid = _clean(form.get("id"))
    if not cid:
        errors["id"] = "a claim needs an id (lower-case letters, digits, '-' and '_')"
    elif not ID_RE.match(cid):
        errors["id"] = f"bad id '{cid}' (ids are lower-case letters, digits, '-' and '_', starting with a letter or digit)"
    elif cid in corpus.claims_by_id:
        errors["id"] = f"a claim with id '{cid}' is already in the corpus; give another id"
    text = _clean(form.get("text"))
    if not text:
        errors["text"] = "a claim needs a text: the claim in neutral words of your own"
    stance = _clean(form.get("stance"))
    if stance not in STANCES:
        errors["stance"] = _not_one_of(stance, STANCES, "a claim needs a stance", "stance")
    new_topic, topic_errors = new_topic_record(corpus, form.get("new_topic"))
    errors.update(topic_errors)
    raw_topics = form.get("topics") or []
    topics = [_clean(t) for t in (raw_topics if isinstance(raw_topics, list) else [raw_topics]) if _clean(t)]
    bad = [t for t in topics if t not in corpus.topics_by_id]
    if bad:
        errors["topics"] = f"unknown topic '{bad[0]}' (known: {', '.join(sorted(corpus.topics_by_id))})"
    if new_topic is not None:
        topics.append(new_topic["id"])
    if not topics and not topic_errors:
        errors["topics"] = (
            f"a claim needs at least one topic (known: {', '.join(sorted(corpus.topics_by_id)) or 'none'}; or type a new one)"
        )
    speaker = _clean(form.get("speaker"))
    new_speaker = None
    if speaker == NEW_SPEAKER:
        new_speaker, speaker_errors = new_speaker_record(corpus, form.get("new_speaker"))
        errors.update(speaker_errors)
        if new_speaker is not None:
            speaker = new_speaker["id"]
        elif not speaker_errors:
            errors["new_speaker_id"] = "type the new speaker's id, name and type (or pick a known speaker)"
    elif not speaker:
        errors["speaker"] = "a claim needs a speaker: who makes the claim (pick one, or a new speaker)"
    elif speaker not in corpus.speakers_by_id:
        errors["speaker"] = f"unknown speaker '{speaker}' (known: {', '.join(sorted(corpus.speakers_by_id))}; or a new speaker)"
    kind = _clean(form.get("kind"))
    if kind not in CLAIM_KINDS:
        errors["kind"] = (
            f"a claim needs a kind (one of: {', '.join(CLAIM_KINDS)})"
            if not kind
            else f"unknown kind '{kind}' (one of: {', '.join(CLAIM_KINDS)})"
        )
    figures: list[dict] = []
    try:
        figures = parse_figures(str(form.get("figures") or ""))
    except FormErrors as err:
        errors.update(err.errors)
    title = _clean(form.get("title"))
    note = _clean(form.get("note"))
    if errors:
        raise FormErrors(errors)
    rec: dict = {"id": cid, "text": text, "quote": sel.quote}
    if sel.occurrence:
        rec["occurrence"] = sel.occurrence
    rec.update({"source": source_id, "stance": stance, "topics": topics, "speaker": speaker, "kind": kind})
    if figures:
        rec["figures"] = figures
    if title:
        rec["title"] = title
    if note:
        rec["note"] = note
    return ClaimSave(claim=rec, speaker=new_speaker, topic=new_topic)


def relation_record(corpus: Corpus, form: dict) -> dict:
    """The relation record a form makes: ``from`` a claim, ``to`` a claim (or, for an undercut, a supports
    or attacks relation), a type and a rationale."""
    errors: dict[str, str] = {}
    src, dst = _clean(form.get("from")), _clean(form.get("to"))
    rtype, rationale = _clean(form.get("type")), _clean(form.get("rationale"))
    if src not in corpus.claims_by_id:
        errors["from"] = "pick the claim the relation starts from" if not src else f"unknown claim '{src}'"
    if rtype not in RELATION_TYPES:
        errors["type"] = f"pick a type (one of: {', '.join(RELATION_TYPES)})"
    if rtype == "undercuts":
        plain = {r.id for r in corpus.relations if r.type != "undercuts"}
        if dst not in plain:
            errors["to"] = "an undercut's target must be a supports or attacks relation" + (
                f"; '{dst}' is not one" if dst else ""
            )
    elif dst not in corpus.claims_by_id:
        errors["to"] = "pick the claim the relation goes to" if not dst else f"unknown claim '{dst}'"
    if src and src == dst:
        errors["to"] = "a relation goes from one claim to another (from and to are the same)"
    if not rationale:
        errors["rationale"] = "a relation needs a rationale: why it holds"
    if not errors:
        from argmap.sources.loader import relation_id

        rid = relation_id(src, rtype, dst)
        if rid in corpus.relations_by_id:
            errors["to"] = f"the relation '{rid}' is in the corpus already"
    if errors:
        raise FormErrors(errors)
    return {"from": src, "to": dst, "type": rtype, "rationale": rationale}


# ---------------------------------------------------------------- the files' new texts


def append_claim(old: str | None, rec: dict, *, header: str = "") -> tuple[str, int]:
    """``old`` (a claims file's text, None for a new file) with the claim ``rec`` appended: every line that
    was there (comments, order, blank lines) is kept as written. Returns the new text and the line where the
    new record starts."""
    from argmap.sources.draft import _append_block, _emit_claim

    new = _append_block(old or "", _emit_claim(rec), header=header)
    return new, _last_item_line(new)


def append_relation(old: str | None, rec: dict) -> tuple[str, int]:
    """``old`` (relations.yaml's text) with the relation ``rec`` appended, everything else kept.

    >>> text, line = append_relation("# why\\n- from: a\\n  to: b\\n  type: attacks\\n  rationale: r\\n", {"from": "b", "to": "a", "type": "supports", "rationale": "x: y"})
    >>> print(text, end=""); line
    # why
    - from: a
      to: b
      type: attacks
      rationale: r
    <BLANKLINE>
    - from: b
      to: a
      type: supports
      rationale: 'x: y'
    7
    """
    from argmap.sources.draft import _append_block
    from argmap.sources.intake import yaml_scalar

    block = [
        f"- from: {rec['from']}",
        f"  to: {rec['to']}",
        f"  type: {rec['type']}",
        f"  rationale: {yaml_scalar(rec['rationale'])}",
    ]
    new = _append_block(old or "", block)
    return new, _last_item_line(new)


def append_record(old: str | None, rec: dict) -> tuple[str, int]:
    """``old`` (a YAML list file such as speakers.yaml or topics.yaml) with the flat record ``rec`` appended
    (one ``key: value`` line each, in the record's order), everything else kept. Returns the new text and
    the line where the record starts.

    >>> text, line = append_record("- id: a\\n  name: A\\n  type: group\\n", {"id": "b", "name": "B: the club", "type": "group"})
    >>> print(text, end=""); line
    - id: a
      name: A
      type: group
    <BLANKLINE>
    - id: b
      name: 'B: the club'
      type: group
    5
    """
    from argmap.sources.draft import _append_block
    from argmap.sources.intake import yaml_scalar

    block = [f"{'- ' if i == 0 else '  '}{k}: {yaml_scalar(str(v))}" for i, (k, v) in enumerate(rec.items())]
    new = _append_block(old or "", block)
    return new, _last_item_line(new)


def _last_item_line(text: str) -> int:
    lines = text.splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith("- "):
            return i + 1
    return 1


def field_at(text: str, start_line: int, line: int | None) -> str:
    """The field of the record starting at ``start_line`` that ``line`` (1-based) of ``text`` writes;
    ``"_"`` when the line is not in the record.

    >>> field_at("- id: a\\n  text: t\\n  figures:\\n    - value: 1\\n", 1, 4)
    'figures'
    """
    if line is None or line < start_line:
        return "_"
    lines = text.splitlines()
    for i in range(line - 1, start_line - 2, -1):
        if i >= len(lines):
            continue
        m = re.match(r"^(?:- |  )([a-z_]+):", lines[i])
        if m:
            return m.group(1)
        if i == start_line - 1:
            break
    return "_"


# ---------------------------------------------------------------- checking the changed corpus


@dataclass(frozen=True)
class Change:
    """A file's new text (relative path inside the corpus), and where the new record starts in it (for
    putting an error at its field); ``None`` as the text deletes the file."""

    rel: str
    text: str | None
    record_line: int | None = None
    fields: dict[str, str] = field(default_factory=dict)  # a record field -> the form field it shows at


def check_changes(root: str | os.PathLike[str], changes: list[Change], *, shacl: bool = True) -> Corpus:
    """Load the corpus in ``root`` with ``changes`` applied, in a temporary copy (the corpus itself is not
    touched), and run the corpus checks and, with ``shacl``, the SHACL shapes. Returns the changed corpus;
    raises :class:`FormErrors` with each error at the form field it is about."""
    from argmap.files import write_file
    from argmap.sources.loader import load_corpus

    root = Path(root)
    with tempfile.TemporaryDirectory(prefix="argmap-annotate-") as tmp:
        copy = Path(tmp) / "corpus"
        shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns(".*.tmp"))
        for ch in changes:
            target = copy / ch.rel
            if ch.text is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                write_file(target, ch.text)
        try:
            corpus = load_corpus(copy)
        except CorpusErrors as errs:
            raise FormErrors(_place(errs.errors, changes, str(copy))) from errs
        if shacl:
            from argmap.graph.build import build_graph
            from argmap.graph.validate import validate_graph

            report = validate_graph(build_graph(corpus))
            if not report.conforms:
                bad = [v for v in report.violations if v.severity == "Violation"] or list(report.violations)
                raise FormErrors(
                    {
                        "_": "the graph does not conform to the SHACL shapes: "
                        + "; ".join(f"{v.focus.rsplit('/', 1)[-1]}: {v.message}" for v in bad[:3])
                    }
                )
    return corpus


def _place(errors: list[CorpusError], changes: list[Change], copy: str) -> dict[str, str]:
    out: dict[str, str] = {}
    by_rel = {ch.rel: ch for ch in changes}
    for err in errors:
        path = err.path or ""
        rel = os.path.relpath(path, copy) if path.startswith(copy) else path
        ch = by_rel.get(rel)
        key = "_"
        if ch is not None and ch.text is not None and ch.record_line is not None:
            f = field_at(ch.text, ch.record_line, err.line)
            key = ch.fields.get(f, f) if f != "_" else "_"
        where = f"{rel}:{err.line}" if err.line else rel
        msg = err.message if key != "_" else f"{where}: {err.message}"
        out[key] = f"{out[key]}; {msg}" if key in out else msg
    return out
