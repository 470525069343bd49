"""Adding a source document to a corpus (``argmap add-source``): its text as UTF-8, its ``sources.yaml`` entry.

Pure functions: bytes and texts in, texts out; the CLI reads and writes the files.

* :func:`decode_text` turns a file's bytes into text, converting UTF-16 and Latin-1/Windows-1252 with a note
  and refusing binary and empty files.
* :func:`html_article` extracts the article text of a saved HTML page with trafilatura, with the title, date
  and authors it finds as suggestions.
* :func:`add_source_entry` appends the new entry to ``sources.yaml`` as text, in the file's own style (its
  indentation, blank lines between entries, flow or block lists, key order), so comments and order are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from argmap.errors import ArgmapError, CorpusError
from argmap.sources.model import SOURCE_KINDS

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# the order of a source's fields in docs/corpus-format.md, used when the file shows no order of its own
FIELD_ORDER = ("id", "file", "title", "authors", "publisher", "date", "kind", "url", "excerpt")


class IntakeError(ArgmapError):
    """A source that cannot be added as asked: a bad option value (exit 2) or a file that is not a text."""

    def __init__(self, message: str, *, usage: bool = False):
        self.exit_code = 2 if usage else 1
        super().__init__(message)


def yaml_scalar(value: str) -> str:
    """One YAML scalar on one line, quoted only when plain text would not read back as the same string.

    >>> yaml_scalar("Council debates lanes"), yaml_scalar("Lanes: a study"), yaml_scalar("2024")
    ('Council debates lanes', "'Lanes: a study'", "'2024'")
    """
    out = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000).strip()
    if out.endswith("\n..."):
        out = out[: -len("\n...")]
    elif out.endswith("..."):
        out = out[: -len("...")].strip()
    return out


# ---------------------------------------------------------------- text


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # what the bytes were read as
    notes: tuple[str, ...] = ()


def _looks_utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when a BOM-less text has a NUL in every other byte, as ASCII in UTF-16 has."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes, display: str) -> Decoded:
    r"""A source file's bytes as text: UTF-8 as it is; UTF-16 (with or without a byte-order mark) and
    Latin-1 / Windows-1252 converted, with a note; binary and empty files refused. Line endings become
    ``\n`` (with a note when they were not).

    >>> decode_text("café".encode("utf-8"), "a.txt").text
    'café'
    >>> d = decode_text("café\r\n".encode("utf-16"), "a.txt"); d.text, d.encoding
    ('café\n', 'utf-16')
    >>> decode_text("naïve “quote”".encode("cp1252"), "a.txt").notes[0]
    'a.txt is not UTF-8: read as Windows-1252 and converted to UTF-8 (check accented letters and quote marks)'
    >>> decode_text(b"\x89PNG\r\n\x1a\n\x00\x00", "a.png")
    Traceback (most recent call last):
    ...
    argmap.sources.intake.IntakeError: a.png is not a text file (it holds binary data: a NUL byte at offset 8); give a plain-text (.txt) or, with --from-html, an HTML file
    """
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text, encoding = data[3:].decode("utf-8"), "utf-8"
        except UnicodeDecodeError as err:
            raise IntakeError(f"{display} starts with a UTF-8 byte-order mark but is not valid UTF-8; save it as UTF-8") from err
        notes.append(f"{display}: the UTF-8 byte-order mark was dropped")
    elif utf16 := "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _looks_utf16(data):
        encoding = utf16
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            raise IntakeError(
                f"{display} looks like UTF-16 but is not valid UTF-16 (at byte {err.start}); save it as UTF-8"
            ) from err
        text = text.lstrip("\ufeff")
        notes.append(f"{display} is UTF-16: converted to UTF-8")
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            raise IntakeError(
                f"{display} is not a text file (it holds binary data: a NUL byte at offset {nul}); "
                "give a plain-text (.txt) or, with --from-html, an HTML file"
            )
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "Latin-1"
            notes.append(
                f"{display} is not UTF-8: read as {encoding} and converted to UTF-8 (check accented letters and quote marks)"
            )
    controls = _CONTROL.findall(text)
    if len(controls) > max(8, len(text) // 100):
        raise IntakeError(f"{display} is not a text file ({len(controls)} control characters); give a plain-text or HTML file")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append(f"{display}: Windows or old Mac line endings became \\n")
    if not text.strip():
        raise IntakeError(f"{display} is empty (no text in it); a source needs its document's text")
    return Decoded(text=text, encoding=encoding, notes=tuple(notes))


@dataclass(frozen=True)
class Article:
    """The article text of an HTML page and the metadata found in it (each may be None)."""

    text: str
    title: str | None = None
    date: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    url: str | None = None


def html_article(html: str, display: str) -> Article:
    """The main text of a saved article page (navigation, adverts and footers left out), by trafilatura,
    with the title, date, authors, site name and address its metadata holds.

    Paragraphs are separated by a blank line. A page with no article text is an :class:`IntakeError`.
    """
    import trafilatura  # lazy: lxml and its friends are only needed here

    text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True, favor_recall=True)
    if not text or not text.strip():
        raise IntakeError(f"{display}: no article text found in the HTML page (is it the saved article page itself?)")
    paragraphs = [" ".join(p.split()) for p in text.split("\n")]
    text = "\n\n".join(p for p in paragraphs if p) + "\n"
    meta = trafilatura.extract_metadata(html)
    title = date = publisher = url = None
    authors: tuple[str, ...] = ()
    if meta is not None:
        title = (meta.title or "").strip() or None
        date = meta.date if meta.date and DATE_RE.match(meta.date) else None
        if meta.author:
            authors = tuple(a.strip() for a in re.split(r"[;|]", meta.author) if a.strip())
        publisher = (meta.sitename or "").strip() or None
        url = (meta.url or "").strip() or None
    return Article(text=text, title=title, date=date, authors=authors, publisher=publisher, url=url)


# ---------------------------------------------------------------- sources.yaml


@dataclass(frozen=True)
class NewSource:
    id: str
    kind: str
    title: str
    file: str = ""  # default texts/<id>.txt
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    excerpt: bool | None = None
    suggested: tuple[str, ...] = field(default=())  # fields taken from an HTML page's metadata, to check


def check_new_source(src: NewSource) -> None:
    """Refuse a bad id, kind or date (what is wrong and what is allowed), as a usage error."""
    if not ID_RE.match(src.id):
        raise IntakeError(
            f"bad source id '{src.id}' (ids are lower-case letters, digits, '-' and '_', starting with a letter or digit)",
            usage=True,
        )
    if src.kind not in SOURCE_KINDS:
        import difflib

        close = difflib.get_close_matches(src.kind, SOURCE_KINDS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise IntakeError(f"unknown kind '{src.kind}'{hint} (expected one of: {', '.join(SOURCE_KINDS)})", usage=True)
    if not src.title.strip():
        raise IntakeError("the title is empty (give --title, or --from-html a page that has one)", usage=True)
    if src.date is not None and not DATE_RE.match(src.date):
        raise IntakeError(f"bad date '{src.date}' (expected YYYY, YYYY-MM or YYYY-MM-DD)", usage=True)


@dataclass(frozen=True)
class _Style:
    indent: str  # before "- "
    blank_between: bool
    flow_lists: bool
    order: tuple[str, ...]
    empty_flow: int | None  # index of a line holding only "[]" (an empty list to replace)


def _style(text: str, entries: list) -> _Style:
    lines = text.splitlines()
    item_lines = [ln for ln in lines if re.match(r"^\s*- \w+:", ln)]
    first = re.match(r"^(\s*)-", item_lines[0]) if item_lines else None
    indent = first.group(1) if first else ""
    blank = True
    if len(entries) >= 2 and hasattr(entries[1], "line"):
        i = entries[1].line - 2  # the line before the second entry, comments above it skipped
        while i >= 0 and lines[i].lstrip().startswith("#"):
            i -= 1
        blank = i < 0 or not lines[i].strip()
    flow = True
    for e in entries:
        if isinstance(e, dict) and isinstance(e.get("authors"), list):
            line = lines[e.key_lines["authors"] - 1] if hasattr(e, "key_lines") else ""
            flow = "[" in line
            break
    order: list[str] = []
    for e in entries:  # the first entry's keys, then any others in the order they appear
        if isinstance(e, dict):
            order.extend(k for k in e if isinstance(k, str) and k not in order)
    for k in FIELD_ORDER:  # a field the file does not show goes after the fields that come before it in the format
        if k not in order:
            before = [order.index(b) for b in FIELD_ORDER[: FIELD_ORDER.index(k)] if b in order]
            order.insert(max(before) + 1 if before else len(order), k)
    empty = next((i for i, ln in enumerate(lines) if ln.strip() == "[]"), None) if not entries else None
    return _Style(indent, blank, flow, tuple(order), empty)


def source_entry_lines(src: NewSource, style: _Style) -> list[str]:
    """The new entry's lines, in the file's key order and list style."""
    values: dict[str, str] = {"id": src.id, "file": src.file or f"texts/{src.id}.txt", "title": yaml_scalar(src.title)}
    if src.authors:
        if style.flow_lists:
            values["authors"] = "[" + ", ".join(_flow_item(a) for a in src.authors) + "]"
        else:
            values["authors"] = "\n" + "\n".join(f"{style.indent}    - {yaml_scalar(a)}" for a in src.authors)
    for key in ("publisher", "date", "url"):
        value = getattr(src, key)
        if value:
            values[key] = yaml_scalar(value) if key != "date" else value
    values["kind"] = src.kind
    if src.excerpt is not None:
        values["excerpt"] = "true" if src.excerpt else "false"
    out = []
    if src.suggested:
        out.append(f"{style.indent}# {', '.join(src.suggested)}: found in the HTML page's metadata; check them")
    first = True
    for key in [*style.order, *(k for k in values if k not in style.order)]:
        if key not in values:
            continue
        value = values[key]
        lead = f"{style.indent}- " if first else f"{style.indent}  "
        sep = ":" if value.startswith("\n") else ": "
        out.append(f"{lead}{key}{sep}{value}")
        first = False
    return out


def _flow_item(value: str) -> str:
    plain = yaml_scalar(value)
    return plain if not re.search(r"[,\[\]{}]", plain) or plain[0] in "'\"" else f"'{value.replace(chr(39), chr(39) * 2)}'"


def add_source_entry(text: str, src: NewSource, *, display: str = "sources.yaml") -> str:
    """``sources.yaml``'s text with the entry for ``src`` appended, in the file's own style; everything that
    was there (comments, order, blank lines) is kept as written. A duplicate id is refused with the line of
    the first.

    >>> old = "# Sources\\n\\n- id: a\\n  file: texts/a.txt\\n  title: A\\n  kind: news\\n"
    >>> print(add_source_entry(old, NewSource(id="b", kind="blog", title="B: the sequel", authors=("Sam Ortiz",))), end="")
    # Sources
    <BLANKLINE>
    - id: a
      file: texts/a.txt
      title: A
      kind: news
    <BLANKLINE>
    - id: b
      file: texts/b.txt
      title: 'B: the sequel'
      authors: [Sam Ortiz]
      kind: blog
    """
    from argmap.sources.yamlio import _Loader

    loader = _Loader(text)
    loader.path = display
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise CorpusError(display, mark.line + 1 if mark else None, f"not valid YAML: {err.problem or err.context}") from err
    finally:
        loader.dispose()
    if data is None:
        data = []
    if not isinstance(data, list):
        raise CorpusError(display, getattr(data, "line", 1), "expected a list of sources (items starting with '- ')")
    for e in data:
        if isinstance(e, dict) and str(e.get("id")) == src.id:
            raise CorpusError(
                display,
                getattr(e, "line", None),
                f"a source with id '{src.id}' is already here (ids are unique; choose another --id, or edit this entry)",
            )
    style = _style(text, data)
    entry = source_entry_lines(src, style)
    lines = text.splitlines()
    if style.empty_flow is not None:  # "[]": an empty list, replaced by the first entry
        lines[style.empty_flow : style.empty_flow + 1] = entry
        return "\n".join(lines) + "\n"
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and style.blank_between:
        lines.append("")
    return "\n".join([*lines, *entry]) + "\n"


# ---------------------------------------------------------------- one source's text, read alone


@dataclass(frozen=True)
class SourceText:
    id: str
    file: str  # relative to the corpus folder
    display: str  # the path to show in messages
    text: str


def read_source_text(root, source_id: str) -> SourceText:
    """The text of source ``source_id`` of the corpus in ``root``, read through ``sources.yaml`` alone (so
    the rest of the corpus may be unfinished). An unknown id is a :class:`CorpusError` listing the known ids.
    """
    import difflib
    import os
    from pathlib import Path

    from argmap.sources.yamlio import load_yaml, read_text

    root = Path(root)
    display = os.path.join(str(root), "sources.yaml")
    if not (root / "sources.yaml").is_file():
        raise CorpusError(str(root), None, "sources.yaml not found (is this a corpus folder? argmap new makes one)")
    data = load_yaml(root / "sources.yaml", display) or []
    if not isinstance(data, list):
        raise CorpusError(display, getattr(data, "line", 1), "expected a list of sources (items starting with '- ')")
    entries = {str(e.get("id")): e for e in data if isinstance(e, dict) and e.get("id") is not None}
    if source_id not in entries:
        known = sorted(entries)
        close = difflib.get_close_matches(source_id, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listed = (
            ", ".join(known[:20]) + (f", … ({len(known)} in all)" if len(known) > 20 else "")
            if known
            else "none yet; add one with argmap add-source"
        )
        raise CorpusError(display, None, f"unknown source '{source_id}'{hint} (known sources: {listed})")
    entry = entries[source_id]
    rel = str(entry.get("file") or "")
    path = root / rel
    shown = os.path.join(str(root), rel)
    if not rel or not path.is_file():
        raise CorpusError(
            display,
            getattr(entry, "line", None),
            f"source '{source_id}': text file '{rel}' not found (paths are relative to the corpus folder)",
        )
    return SourceText(id=source_id, file=rel, display=shown, text=read_text(path, shown))
