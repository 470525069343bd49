"""Loading and checking a debate corpus folder (see docs/corpus-format.md)."""

from __future__ import annotations

import difflib
import os
import re
from datetime import date as _date
from importlib import resources
from pathlib import Path
from typing import Any

from argmap.errors import CorpusError, CorpusErrors
from argmap.perf import paused_gc
from argmap.sources import quotes
from argmap.sources.model import (
    CLAIM_KINDS,
    DESIGNS,
    RELATION_TYPES,
    SOURCE_KINDS,
    SPEAKER_TYPES,
    STANCES,
    TITLE_MAX,
    Claim,
    Corpus,
    Debate,
    Figure,
    Loc,
    Relation,
    Source,
    Speaker,
    Topic,
)
from argmap.sources.yamlio import YMap, load_yaml, read_text

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Characters an IRI may not hold (RFC 3987): spaces and controls, and <>"{}|\^`
IRI_BAD = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')

# Each record kind: required fields, optional fields.
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "debate": (("id", "title", "motion"), ("description", "base")),
    "topic": (("id", "label", "definition"), ("alt_labels", "broader")),
    "speaker": (("id", "name", "type"), ("role", "party", "district", "affiliation", "description")),
    "source": (
        ("id", "title", "kind", "file"),
        (
            "authors",
            "publisher",
            "date",
            "url",
            "excerpt",
            "citation",
            "doi",
            "design",
            "place",
            "period",
            "read_in",
            "note",
        ),
    ),
    "claim": (
        ("id", "text", "quote", "source", "stance", "topics", "speaker", "kind"),
        ("figures", "occurrence", "note", "title", "standalone"),
    ),
    "figure": (("value", "unit"), ("qualifier", "period", "place")),
    "relation": (("from", "to", "type", "rationale"), ("id",)),
}
_KNOWN_FIELDS = {what: frozenset(required + optional) for what, (required, optional) in FIELDS.items()}

LAYOUT = (
    "a corpus folder holds debate.yaml, topics.yaml, speakers.yaml, sources.yaml, texts/, "
    "claims/*.yaml and relations.yaml (see docs/corpus-format.md)"
)


MAX_ERRORS = 100  # errors reported in full; the rest are counted ("... and N more")
# Characters a corpus's text may not hold: C0 controls but tab, line feed and carriage return; DEL; the
# bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069).
HIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
}


def char_name(ch: str) -> str:
    r"""A character as ``U+XXXX (NAME)``.

    >>> char_name("\u202e"), char_name("\x00")
    ('U+202E (RIGHT-TO-LEFT OVERRIDE)', 'U+0000 (NULL)')
    """
    import unicodedata

    name = _CONTROL_NAMES.get(ord(ch)) or unicodedata.name(ch, "CONTROL CHARACTER")
    return f"U+{ord(ch):04X} ({name})"


def not_regular(path: Path) -> str | None:
    """What ``path`` is when it exists but is not a regular file (``"a FIFO"``, ``"a folder"``, ...), else None."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    for test, what in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return what
    return "not a file"


OUTSIDE = "the file must lie inside the corpus folder (it is a symbolic link leading out of it)"


def default_corpus_path() -> Path:
    """The OPC debate that ships inside the package."""
    return Path(str(resources.files("argmap") / "corpora" / "opc"))


def _one_of(allowed: tuple[str, ...] | list[str], limit: int = 12) -> str:
    items = list(allowed)
    if len(items) > limit:
        return ", ".join(items[:limit]) + f", … ({len(items)} in all)"
    return ", ".join(items)


def _suggest(value: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(value, allowed, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


class _Reader:
    """Collects every error of one load, so a user sees them all at once."""

    def __init__(self, root: Path, display_root: str):
        self.root = root
        self.real_root = root.resolve()
        self.display_root = display_root
        self.errors: list[CorpusError] = []
        self.more = 0  # errors past the first MAX_ERRORS, counted only
        # Kinds of record with a file that could not be read: a reference to an unknown one of them may be
        # defined there, so it is not reported (the file's own error is the one to fix).
        self.unread: dict[str, str] = {}
        # Ids of each kind written with an error of their own: a reference to one is not reported again.
        self.broken: dict[str, set[str]] = {}

    def settle(self, kind: str, seen: dict[str, Loc], good: dict) -> None:
        """Note the ids of ``kind`` that were written but refused (each with its own error)."""
        self.broken[kind] = set(seen) - good.keys()

    def inside(self, path: Path) -> bool:
        """Whether ``path``, with every symbolic link followed, lies inside the corpus folder: a corpus
        never reads (and so never publishes) a file outside it."""
        return path.resolve().is_relative_to(self.real_root)

    def display(self, rel: str) -> str:
        return os.path.join(self.display_root, rel)

    def add(self, err: CorpusError) -> None:
        """Keep an error; past the first MAX_ERRORS only count it."""
        if len(self.errors) >= MAX_ERRORS:
            self.more += 1
        else:
            self.errors.append(err)

    def over(self) -> bool:
        """Whether the first MAX_ERRORS errors are in: the next ones are counted, their messages not made."""
        return len(self.errors) >= MAX_ERRORS

    def error(self, loc: Loc | None, message: str) -> None:
        self.add(CorpusError(loc.path if loc else self.display_root, loc.line if loc else None, message))

    def load(self, rel: str, expected: str) -> Any:
        """The data of one YAML file, or None (with the error recorded) when it cannot be read or holds
        nothing; ``expected`` says what it should hold."""
        if not self.inside(self.root / rel):
            self.add(CorpusError(self.display(rel), None, OUTSIDE))
            return None
        special = not_regular(self.root / rel)
        if special:
            self.add(CorpusError(self.display(rel), None, f"not a regular file ({special}); a YAML file is expected here"))
            return None
        try:
            data = load_yaml(self.root / rel, self.display(rel))
        except CorpusError as err:
            self.add(err)
            return None
        if data is None:  # empty, only whitespace or comments, or a bare null
            self.add(CorpusError(self.display(rel), 1, f"the file holds nothing (expected {expected})"))
        return data

    def records(self, rel: str, what: str) -> list[YMap]:
        """A file holding a YAML list of mappings."""
        data = self.load(rel, f"a list of {what}s; write [] for none")
        if data is None:
            self.unread.setdefault(what, rel)
            return []
        if not isinstance(data, list):
            self.unread.setdefault(what, rel)
            self.add(
                CorpusError(self.display(rel), getattr(data, "line", 1), f"expected a list of {what}s (items starting with '- ')")
            )
            return []
        out = []
        for i, item in enumerate(data):
            if not isinstance(item, YMap):
                self.unread.setdefault(what, rel)
                self.add(CorpusError(self.display(rel), None, f"item {i + 1} is not a {what} (expected a mapping of fields)"))
                continue
            out.append(item)
        return out

    def check_fields(self, rec: YMap, what: str, loc: Loc) -> bool:
        required, optional = FIELDS[what]
        ok = True
        for key in () if _KNOWN_FIELDS[what].issuperset(rec) else rec:
            if key not in required and key not in optional:
                allowed = list(required + optional)
                self.error(
                    Loc(loc.path, rec.line_of(key)),
                    f"unknown field '{key}' in {what}{_suggest(str(key), allowed)} (allowed: {_one_of(allowed, 20)})",
                )
                ok = False
        for key in required:
            value = rec.get(key)
            if value is None or (isinstance(value, (str, list)) and not value):
                label = f"{what} '{rec['id']}'" if what != "figure" and isinstance(rec.get("id"), str) else what
                self.error(loc, f"{label} is missing required field '{key}' (required: {', '.join(required)})")
                ok = False
        return ok

    def text(self, rec: YMap, key: str, loc: Loc, what: str) -> str | None:
        value = rec.get(key)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            self.error(Loc(loc.path, rec.line_of(key)), f"{what}: '{key}' must be text, not a {type(value).__name__}")
            return None
        value = str(value)
        if not self.clean(value, rec, key, loc, what):
            return None
        return value.strip()

    def clean(self, value: str, rec: YMap, key: str, loc: Loc, what: str) -> bool:
        """Whether a text field is free of control characters (but tab and line breaks) and bidirectional
        overrides, which would hide or reorder what a reader sees; else an error with the first one."""
        m = HIDDEN_RE.search(value)
        if m is None:
            return True
        label = what if "'" in what or not isinstance(rec.get("id"), str) else f"{what} '{rec['id']}'"
        self.error(
            Loc(loc.path, rec.line_of(key)),
            f"{label}: '{key}' holds {char_name(m.group())} at character {m.start() + 1}; control characters and "
            "bidirectional overrides are not allowed in a corpus's text (tab and line breaks are allowed)",
        )
        return False

    def ident(self, rec: YMap, loc: Loc, what: str, seen: dict[str, Loc]) -> str | None:
        value = rec.get("id")
        if value is None:
            self.unread.setdefault(what, loc.path)  # what refers to it cannot be told from a typo
            return None
        value = str(value)
        if not ID_RE.match(value):
            self.unread.setdefault(what, loc.path)
            self.error(
                Loc(loc.path, rec.line_of("id")),
                f"bad {what} id '{value}' (ids are lower-case letters, digits, '-' and '_', starting with a letter or digit)",
            )
            return None
        if value in seen:
            self.error(loc, f"duplicate {what} id '{value}' (first defined at {seen[value]})")
            return None
        seen[value] = loc
        return value

    def choice(self, rec: YMap, key: str, allowed: tuple[str, ...], loc: Loc, label: str) -> str | None:
        value = rec.get(key)
        if value is None:
            return None
        value = str(value)
        if value not in allowed and self.over():
            self.more += 1
            return None
        if value not in allowed:
            self.error(
                Loc(loc.path, rec.line_of(key)),
                f"{label}: unknown {key} '{value}'{_suggest(value, list(allowed))} (expected one of: {', '.join(allowed)})",
            )
            return None
        return value

    def ref(self, value: Any, known: dict, loc: Loc, label: str, kind: str) -> str | None:
        value = str(value)
        if value not in known and (kind in self.unread or value in self.broken.get(kind, ())):
            # written with an error of its own, or perhaps in a file (a record) that could not be read: that
            # error is the one to fix, and this one only follows from it
            return None
        if value not in known and self.over():
            self.more += 1  # no suggestion searched among every known id
            return None
        if value not in known:
            self.error(
                loc,
                f"{label}: unknown {kind} '{value}'{_suggest(value, list(known))} (known {kind}s: {_one_of(sorted(known))})",
            )
            return None
        return value


def _claim_files(reader: _Reader, name: str) -> list[str]:
    """``name.yaml`` and/or every ``name/*.yaml``, sorted, as paths relative to the root."""
    out = []
    if os.path.lexists(reader.root / f"{name}.yaml"):
        out.append(f"{name}.yaml")
    folder = reader.root / name
    if folder.is_dir():
        out.extend(
            f"{name}/{p.name}"
            for p in sorted(folder.iterdir())
            if p.suffix in (".yaml", ".yml") and not p.is_dir() and not is_draft_file(p.name)
        )
    return out


def is_draft_file(name: str) -> bool:
    """A draft claims file (``claims/<id>.draft.yaml``, written by ``argmap draft``): for review, not loaded.

    >>> is_draft_file("fox-2021.draft.yaml"), is_draft_file("fox-2021.yaml")
    (True, False)
    """
    return name.endswith((".draft.yaml", ".draft.yml"))


def draft_files(path: str | os.PathLike[str]) -> list[str]:
    """The draft claims files of the corpus in ``path``, relative to it, sorted."""
    folder = Path(path) / "claims"
    if not folder.is_dir():
        return []
    return [f"claims/{p.name}" for p in sorted(folder.iterdir()) if p.is_file() and is_draft_file(p.name)]


def _check_date(value: str) -> bool:
    if not DATE_RE.match(value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        _date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def load_corpus(path: str | os.PathLike[str] | None = None) -> Corpus:
    """Load and check the debate corpus in folder ``path`` (default: the shipped OPC debate).

    Raises :class:`~argmap.errors.CorpusErrors` listing every mistake found, each naming file:line,
    what is wrong and what is allowed.
    """
    display_root = str(path) if path is not None else str(default_corpus_path())
    root = Path(display_root)
    reader = _Reader(root, display_root)
    if not root.is_dir():
        raise CorpusErrors([CorpusError(display_root, None, f"no such corpus folder ({LAYOUT})")])
    if not os.path.lexists(root / "debate.yaml"):
        what = "the folder is empty" if not any(root.iterdir()) else "debate.yaml not found"
        raise CorpusErrors([CorpusError(display_root, None, f"not a debate corpus: {what} ({LAYOUT})")])

    with paused_gc():
        debate = _load_debate(reader)
        topics = _load_topics(reader)
        speakers = _load_speakers(reader)
        sources = _load_sources(reader, speakers)
        claims, claim_ids = _load_claims(reader, topics, speakers, sources)
        relations = _load_relations(reader, claims, claim_ids)
    if reader.errors:
        raise CorpusErrors(reader.errors, more=reader.more)
    assert debate is not None
    return Corpus(
        root=display_root,
        debate=debate,
        topics=tuple(topics.values()),
        speakers=tuple(speakers.values()),
        sources=tuple(sources.values()),
        claims=tuple(claims.values()),
        relations=tuple(relations.values()),
    )


def _load_debate(r: _Reader) -> Debate | None:
    data = r.load("debate.yaml", "a mapping with id, title and motion")
    if data is None:
        return None
    loc = Loc(r.display("debate.yaml"), getattr(data, "line", 1))
    if not isinstance(data, YMap):
        r.error(loc, "debate.yaml must be a mapping with id, title and motion")
        return None
    if not r.check_fields(data, "debate", loc):
        return None
    did = r.ident(data, loc, "debate", {})
    if did is None:
        return None
    return Debate(
        id=did,
        title=r.text(data, "title", loc, "debate") or "",
        motion=r.text(data, "motion", loc, "debate") or "",
        description=r.text(data, "description", loc, "debate"),
        base=_base(r, data, loc),
        loc=loc,
    )


def check_base(value: str) -> bool:
    """Whether ``value`` can be a debate's IRI base: an absolute http(s) IRI with a host, ending in ``/``
    or ``#`` (so that ids appended to it make IRIs).

    >>> [check_base(b) for b in ("https://example.org/d/", "http://e.org/d#", "d/", "javascript:x//", "https://e.org/d")]
    [True, True, False, False, False]
    """
    from urllib.parse import urlsplit

    if IRI_BAD.search(value) or not value.endswith(("/", "#")) or value.count("#") > 1:
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _base(r: _Reader, data: YMap, loc: Loc) -> str | None:
    base = r.text(data, "base", loc, "debate")
    if base is not None and not check_base(base):
        r.error(
            Loc(loc.path, data.line_of("base")),
            f"base '{base}' is not an absolute http(s) IRI ending in '/' or '#' (e.g. https://example.org/debates/{data.get('id') or 'my-debate'}/)",
        )
        return None
    return base


def _str_list(r: _Reader, rec: YMap, key: str, loc: Loc, label: str) -> list[str] | None:
    value = rec.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or any(isinstance(v, (dict, list)) or v is None for v in value):
        r.error(Loc(loc.path, rec.line_of(key)), f"{label}: '{key}' must be a list of text items, e.g. [a, b]")
        return None
    items = [str(v) for v in value]
    if not all(r.clean(v, rec, key, loc, label) for v in items):
        return None
    return [v.strip() for v in items]


def _load_topics(r: _Reader) -> dict[str, Topic]:
    rel = "topics.yaml"
    out: dict[str, Topic] = {}
    if not os.path.lexists(r.root / rel):
        r.error(Loc(r.display_root, 0), f"topics.yaml not found ({LAYOUT})")
        return out
    seen: dict[str, Loc] = {}
    pending = []
    for rec in r.records(rel, "topic"):
        loc = Loc(r.display(rel), rec.line)
        ok = r.check_fields(rec, "topic", loc)
        tid = r.ident(rec, loc, "topic", seen)
        if not ok or tid is None:
            continue
        alts = _str_list(r, rec, "alt_labels", loc, f"topic '{tid}'") or []
        pending.append((rec, loc))
        out[tid] = Topic(
            id=tid,
            label=r.text(rec, "label", loc, "topic") or "",
            definition=r.text(rec, "definition", loc, "topic") or "",
            alt_labels=tuple(alts),
            broader=r.text(rec, "broader", loc, "topic"),
            loc=loc,
        )
    r.settle("topic", seen, out)
    for rec, loc in pending:
        if rec.get("broader") is not None:
            r.ref(rec["broader"], out, Loc(loc.path, rec.line_of("broader")), f"topic '{rec['id']}'", "topic")
    _broader_cycles(r, out, {str(rec["id"]): rec for rec, _loc in pending})
    return out


def _broader_cycles(r: _Reader, topics: dict[str, Topic], recs: dict[str, YMap]) -> None:
    """Refuse each cycle of ``broader`` links once, at its first topic in file order, naming the cycle."""
    done: set[str] = set()
    for start in topics:
        path: list[str] = []
        on_path: set[str] = set()
        tid: str | None = start
        while tid is not None and tid in topics and tid not in done and tid not in on_path:
            path.append(tid)
            on_path.add(tid)
            tid = topics[tid].broader
        if tid is not None and tid in on_path:  # back on this walk's path: a cycle
            cycle = path[path.index(tid) :]
            first = min(cycle, key=lambda t: (recs[t].line, t))
            k = cycle.index(first)
            names = [*cycle[k:], *cycle[:k], first]
            rec = recs[first]
            r.error(
                Loc(r.display("topics.yaml"), rec.line_of("broader")),
                f"topic '{first}': broader topics form a cycle: {' -> '.join(names)} "
                "(following 'broader' must end at a topic without one)",
            )
        done.update(path)


def _load_speakers(r: _Reader) -> dict[str, Speaker]:
    rel = "speakers.yaml"
    out: dict[str, Speaker] = {}
    if not os.path.lexists(r.root / rel):
        r.error(Loc(r.display_root, 0), f"speakers.yaml not found ({LAYOUT})")
        return out
    seen: dict[str, Loc] = {}
    pending = []
    for rec in r.records(rel, "speaker"):
        loc = Loc(r.display(rel), rec.line)
        ok = r.check_fields(rec, "speaker", loc)
        sid = r.ident(rec, loc, "speaker", seen)
        if not ok or sid is None:
            continue
        stype = r.choice(rec, "type", SPEAKER_TYPES, loc, f"speaker '{sid}'")
        if stype is None:
            continue
        pending.append((rec, loc))
        out[sid] = Speaker(
            id=sid,
            name=r.text(rec, "name", loc, "speaker") or "",
            type=stype,
            role=r.text(rec, "role", loc, "speaker"),
            party=r.text(rec, "party", loc, "speaker"),
            district=r.text(rec, "district", loc, "speaker"),
            affiliation=r.text(rec, "affiliation", loc, "speaker"),
            description=r.text(rec, "description", loc, "speaker"),
            loc=loc,
        )
    r.settle("speaker", seen, out)
    for rec, loc in pending:
        if rec.get("affiliation") is not None:
            r.ref(rec["affiliation"], out, Loc(loc.path, rec.line_of("affiliation")), f"speaker '{rec['id']}'", "speaker")
    return out


def _load_sources(r: _Reader, speakers: dict[str, Speaker]) -> dict[str, Source]:
    rel = "sources.yaml"
    out: dict[str, Source] = {}
    if not os.path.lexists(r.root / rel):
        r.error(Loc(r.display_root, 0), f"sources.yaml not found ({LAYOUT})")
        return out
    seen: dict[str, Loc] = {}
    for rec in r.records(rel, "source"):
        loc = Loc(r.display(rel), rec.line)
        ok = r.check_fields(rec, "source", loc)
        sid = r.ident(rec, loc, "source", seen)
        if not ok or sid is None:
            continue
        label = f"source '{sid}'"
        kind = r.choice(rec, "kind", SOURCE_KINDS, loc, label)
        design = r.choice(rec, "design", DESIGNS, loc, label) if rec.get("design") is not None else None
        date = r.text(rec, "date", loc, label)
        bad_date = date is not None and not _check_date(date)
        if bad_date:
            r.error(
                Loc(loc.path, rec.line_of("date")),
                f"{label}: bad date '{date}' (expected YYYY, YYYY-MM or YYYY-MM-DD, a real date)",
            )
        excerpt = rec.get("excerpt", False)
        if not isinstance(excerpt, bool):
            r.error(Loc(loc.path, rec.line_of("excerpt")), f"{label}: 'excerpt' must be true or false")
            continue
        authors = _str_list(r, rec, "authors", loc, label)
        file_rel = r.text(rec, "file", loc, label) or ""
        file_path = r.root / file_rel
        if not r.inside(file_path):
            r.error(
                Loc(loc.path, rec.line_of("file")),
                f"{label}: file '{file_rel}' must lie inside the corpus folder (a path relative to it that leads "
                f"nowhere else: no '..' out of it, no absolute path, no symbolic link out of it)",
            )
            continue
        special = not_regular(file_path)
        if special:
            r.error(
                Loc(loc.path, rec.line_of("file")),
                f"{label}: text file '{file_rel}' is not a regular file ({special}); give a UTF-8 text file",
            )
            continue
        if not file_path.is_file():
            r.error(
                Loc(loc.path, rec.line_of("file")),
                f"{label}: text file '{file_rel}' not found (paths are relative to the corpus folder)",
            )
            continue
        try:
            text = read_text(file_path, r.display(file_rel))
        except CorpusError as err:
            r.add(err)
            continue
        if kind is None or authors is None or bad_date:
            continue
        out[sid] = Source(
            id=sid,
            title=r.text(rec, "title", loc, label) or "",
            kind=kind,
            file=file_rel,
            text=text,
            authors=tuple(authors),
            publisher=r.text(rec, "publisher", loc, label),
            date=date,
            url=r.text(rec, "url", loc, label),
            excerpt=excerpt,
            citation=r.text(rec, "citation", loc, label),
            doi=r.text(rec, "doi", loc, label),
            design=design,
            place=r.text(rec, "place", loc, label),
            period=r.text(rec, "period", loc, label),
            read_in=r.text(rec, "read_in", loc, label),
            note=r.text(rec, "note", loc, label),
            loc=loc,
        )
    r.settle("source", seen, out)
    return out


def _load_figures(r: _Reader, rec: YMap, loc: Loc, label: str) -> tuple[Figure, ...] | None:
    data = rec.get("figures")
    if data is None:
        return ()
    if not isinstance(data, list):
        r.error(Loc(loc.path, rec.line_of("figures")), f"{label}: 'figures' must be a list of figures (value, unit, ...)")
        return None
    out = []
    for item in data:
        if not isinstance(item, YMap):
            r.error(Loc(loc.path, rec.line_of("figures")), f"{label}: each figure must be a mapping with value and unit")
            return None
        floc = Loc(loc.path, item.line)
        if not r.check_fields(item, "figure", floc):
            return None
        value = item["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            r.error(
                Loc(loc.path, item.line_of("value")),
                f"{label}: figure value '{value}' is not a number (write 108000, not '108,000')",
            )
            return None
        out.append(
            Figure(
                value=value,
                unit=r.text(item, "unit", floc, label) or "",
                qualifier=r.text(item, "qualifier", floc, label),
                period=r.text(item, "period", floc, label),
                place=r.text(item, "place", floc, label),
            )
        )
    return tuple(out)


def _load_claims(
    r: _Reader, topics: dict[str, Topic], speakers: dict[str, Speaker], sources: dict[str, Source]
) -> tuple[dict[str, Claim], set[str]]:
    """The valid claims, and the ids of every claim written (valid or not), so that a reference to a
    claim that has its own error is not reported a second time."""
    out: dict[str, Claim] = {}
    files = _claim_files(r, "claims")
    if not files:  # a new debate (argmap new) has none yet
        return out, set()
    seen: dict[str, Loc] = {}
    finders: dict[str, quotes.QuoteFinder] = {}  # one per source text: no pattern compiled per quote
    for rel in files:
        path = r.display(rel)
        for rec in r.records(rel, "claim"):
            loc = Loc(path, rec.line)
            ok = r.check_fields(rec, "claim", loc)
            cid = r.ident(rec, loc, "claim", seen)
            if not ok or cid is None:
                continue
            label = f"claim '{cid}'"
            stance = r.choice(rec, "stance", STANCES, loc, label)
            kind = r.choice(rec, "kind", CLAIM_KINDS, loc, label)
            tlist = _str_list(r, rec, "topics", loc, label)
            good_topics = tlist is not None and all(
                r.ref(t, topics, Loc(loc.path, rec.line_of("topics")), label, "topic") is not None for t in tlist
            )
            speaker = r.ref(rec["speaker"], speakers, Loc(loc.path, rec.line_of("speaker")), label, "speaker")
            source_id = r.ref(rec["source"], sources, Loc(loc.path, rec.line_of("source")), label, "source")
            figures = _load_figures(r, rec, loc, label)
            quote = r.text(rec, "quote", loc, label) or ""
            located = None
            if source_id is not None:
                source = sources[source_id]
                finder = finders.get(source_id) or finders.setdefault(source_id, quotes.QuoteFinder(source.text))
                located = _locate(r, rec, loc, label, quote, source, finder)
            if stance is None or kind is None or speaker is None or source_id is None or figures is None or located is None:
                continue
            if not good_topics:
                continue
            out[cid] = Claim(
                id=cid,
                text=r.text(rec, "text", loc, label) or "",
                quote=quote,
                source=source_id,
                stance=stance,
                topics=tuple(tlist or ()),
                speaker=speaker,
                kind=kind,
                figures=figures,
                located=located,
                note=r.text(rec, "note", loc, label),
                title=_title(r, rec, loc, label),
                standalone=r.text(rec, "standalone", loc, label),
                loc=loc,
            )
    r.settle("claim", seen, out)
    return out, set(seen)


def _title(r: _Reader, rec: YMap, loc: Loc, label: str) -> str | None:
    """A claim's optional short title: one line, at most TITLE_MAX characters."""
    title = r.text(rec, "title", loc, label)
    if title is None:
        return None
    where = Loc(loc.path, rec.line_of("title"))
    if "\n" in title.strip() or len(title.strip()) > TITLE_MAX:
        r.error(where, f"{label}: title is {len(title.strip())} characters (allowed: one line of at most {TITLE_MAX})")
        return None
    return " ".join(title.split())


def _locate(r: _Reader, rec: YMap, loc: Loc, label: str, quote: str, source: Source, finder: quotes.QuoteFinder):
    qloc = Loc(loc.path, rec.line_of("quote"))
    spans = finder.find_all(quote)
    text_path = r.display(source.file)
    occurrence = rec.get("occurrence")
    if not spans and r.over():
        r.more += 1  # no divergence searched in the source
        return None
    if not spans:
        r.error(
            qloc,
            f"{label}: quote not found in source '{source.id}' ({text_path}); "
            f"{quotes.divergence(quote, source.text)}. A quote must be as written in the source; only whitespace may differ",
        )
        return None
    if occurrence is not None:
        if isinstance(occurrence, bool) or not isinstance(occurrence, int) or not 1 <= occurrence <= len(spans):
            r.error(
                Loc(loc.path, rec.line_of("occurrence")),
                f"{label}: occurrence {occurrence!r} is out of range (the quote occurs {len(spans)} time(s): 1 to {len(spans)})",
            )
            return None
        start, end = spans[occurrence - 1]
    elif len(spans) > 1:
        where = ", ".join(f"{text_path}:{quotes.line_of(source.text, s)}" for s, _ in spans)
        r.error(
            qloc,
            f"{label}: quote occurs {len(spans)} times in source '{source.id}' (at {where}); "
            f"lengthen it or add 'occurrence: N' (1 to {len(spans)}) to choose one",
        )
        return None
    else:
        start, end = spans[0]
    return quotes.locate(source.text, start, end)


def relation_id(source: str, rtype: str, target: str) -> str:
    """The default id of a relation.

    >>> relation_id("c1", "attacks", "c2")
    'c1--attacks--c2'
    """
    return f"{source}--{rtype}--{target}"


def _load_relations(r: _Reader, claims: dict[str, Claim], claim_ids: set[str]) -> dict[str, Relation]:
    out: dict[str, Relation] = {}
    seen: dict[str, Loc] = {}
    undercuts: list[tuple[Relation, YMap, Loc]] = []
    undercut_ids: set[str] = set()
    broken = claim_ids - claims.keys()  # claims written with an error of their own (once, not per relation)
    for rel in _claim_files(r, "relations"):
        path = r.display(rel)
        for rec in r.records(rel, "relation"):
            loc = Loc(path, rec.line)
            if not r.check_fields(rec, "relation", loc):
                continue
            src, dst = str(rec["from"]), str(rec["to"])
            rtype = r.choice(rec, "type", RELATION_TYPES, loc, f"relation {src} -> {dst}")
            if rtype is None:
                continue
            if rec.get("id") is None:
                rec["id"] = relation_id(src, rtype, dst)
                rec.key_lines["id"] = rec.line
            rid = r.ident(rec, loc, "relation", seen)
            if rid is None:
                continue
            label = f"relation '{rid}'"
            if src == dst:
                r.error(loc, f"{label} relates claim '{src}' to itself (from and to must be different claims)")
                continue
            if src in broken or (rtype != "undercuts" and dst in broken):
                continue  # an end with its own error, reported already
            ok = r.ref(src, claims, Loc(loc.path, rec.line_of("from")), label, "claim") is not None
            relation = Relation(
                id=rid, source=src, target=dst, type=rtype, rationale=r.text(rec, "rationale", loc, label) or "", loc=loc
            )
            if rtype == "undercuts":
                undercuts.append((relation, rec, loc))
                undercut_ids.add(rid)
                continue
            ok = r.ref(dst, claims, Loc(loc.path, rec.line_of("to")), label, "claim") is not None and ok
            if ok:
                out[rid] = relation
    plain = {rid for rid in seen if rid not in undercut_ids}
    for relation, rec, loc in undercuts:
        if relation.target not in out and relation.target in plain:
            continue  # a supports or attacks relation with an error of its own (or one of its ends)
        if relation.target not in out:
            r.error(
                Loc(loc.path, rec.line_of("to")),
                f"relation '{relation.id}': an undercut's 'to' must be the id of a supports or attacks relation; "
                f"'{relation.target}' is not one{_suggest(relation.target, list(out))}",
            )
            continue
        if relation.source in claims:
            out[relation.id] = relation
    return out
