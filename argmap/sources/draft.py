"""Drafting claims from a source's text, for a person to review (``argmap draft``), and accepting them.

Nothing here is a language model and nothing is downloaded: the text is cut into sentences, list items and
clauses by rules; attribution cues ("X said", "according to X", "critics argue", "opponents point out",
quoted speech and the sentences that continue it) give the speaker; patterns give the statistics; and the
stance, topics and kind are learnt from the debate's own labelled claims and its SKOS labels, by TF-IDF
nearest neighbours (scikit-learn, imported lazily), with the cues on top. Each draft carries the cues that
led to it and a confidence, so the reviewer sees why.

:func:`draft_source` returns :class:`Draft` records; :func:`render_drafts` writes them as a draft claims
file (``claims/<id>.draft.yaml``, which the loader leaves alone); :func:`accept_drafts` turns a reviewed
draft file into text for ``claims/<id>.yaml``, ``speakers.yaml`` and ``relations.yaml``. All are pure: text
in, text out; the CLI reads and writes the files.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from argmap.errors import ArgmapError, CorpusError, CorpusErrors
from argmap.sources import quotes
from argmap.sources.intake import yaml_scalar
from argmap.sources.model import CLAIM_KINDS, STANCES, Claim, Corpus, Source, Speaker

# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class DraftFigure:
    value: float | int
    unit: str
    qualifier: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class DraftRelation:
    to: str
    type: str  # supports | attacks
    score: float


@dataclass(frozen=True)
class NewSpeaker:
    id: str
    name: str
    type: str
    role: str | None = None


@dataclass(frozen=True)
class Draft:
    id: str
    text: str
    quote: str
    start: int
    end: int
    source: str
    stance: str
    topics: tuple[str, ...]
    speaker: str
    kind: str
    figures: tuple[DraftFigure, ...] = ()
    occurrence: int | None = None
    confidence: float = 0.0
    cues: tuple[str, ...] = ()
    relations: tuple[DraftRelation, ...] = ()


@dataclass(frozen=True)
class DraftSet:
    source: str
    drafts: tuple[Draft, ...]
    new_speakers: tuple[NewSpeaker, ...] = ()


class DraftError(ArgmapError):
    """A source that cannot be drafted (no sentences in its text, an unknown source id)."""


# ---------------------------------------------------------------- cutting the text into units

_ABBREV = {
    "u.s",
    "u.k",
    "dr",
    "mr",
    "mrs",
    "ms",
    "gov",
    "sen",
    "rep",
    "st",
    "no",
    "vs",
    "e.g",
    "i.e",
    "inc",
    "jr",
    "sr",
    "a.m",
    "p.m",
    "etc",
    "al",
    "fig",
    "approx",
    "dept",
    "univ",
    "co",
    "corp",
    "ltd",
    "jan",
    "feb",
    "mar",
    "apr",
    "aug",
    "sept",
    "sep",
    "oct",
    "nov",
    "dec",
    "n.y",
    "d.c",
    "prof",
    "gen",
    "lt",
    "col",
    "capt",
    "mt",
    "ft",
}
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣●○■□*–—-]|\d{1,2}[.)])\s+")
_OPEN_Q, _CLOSE_Q = '"“', '"”'


@dataclass
class Unit:
    start: int
    end: int
    block: int
    item: bool = False  # a list item
    lead: str | None = None  # the sentence that introduces a list item ("The primary services include:")
    quoted: bool = False  # inside quotation marks (reported speech)
    clause: bool = False  # one clause of a longer sentence
    sentence: tuple[int, int] = (0, 0)  # the whole sentence it comes from


def _furniture(line: str) -> bool:
    """A line that is page furniture, not running text: headings, captions, app promotions, bylines."""
    s = line.strip()
    words = s.split()
    if not words:
        return True
    if s.startswith("[") and s.endswith("]"):
        return True  # an editor's note such as "[Excerpt: ...]"
    letters = [c for c in s if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters) and len(words) >= 2:
        return True  # A HEADLINE IN CAPITALS
    if re.search(r"\((?:AP )?Photo\b|Getty Images|CLICK HERE|Call Now|^Photo:|contributed to this report", s, re.I):
        return True
    if s.endswith("?") and len(words) <= 14:
        return True  # a question heading
    if not re.search(r"[.!?:;\"”]$", s) and len(words) <= 12:
        return True  # a heading, a byline, a button
    return False


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within ``text[start:end]``."""
    out, i = [], start
    chunk = text[start:end]
    for m in _END.finditer(chunk):
        stop = start + m.end()
        word = re.search(r"(\S+)$", text[i : start + m.start() + 1])
        token = word.group(1).lower().rstrip(".").lstrip("\"'“‘(") if word else ""
        if m.group().startswith(".") and (
            token in _ABBREV or re.fullmatch(r"[a-z]", token) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token)
        ):
            continue  # "Dr." "U.S." "A." are not the end of a sentence
        out.append((i, stop))
        i = stop
        while i < end and text[i].isspace():
            i += 1
    if i < end and text[i:end].strip():
        out.append((i, end))
    return [(a, b) for a, b in (_trim(text, a, b) for a, b in out) if b > a]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


_SPLIT = re.compile(r"(?:;\s+|,\s+(?:and|but|while|whereas|suggesting|so)\s+|\s+but\s+)")


def _clauses(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A sentence cut at its clause boundaries ("; ", ", and ", ", but ", ", while ", ", suggesting ") when
    each side has at least five words; else the sentence whole."""
    parts, i = [], a
    for m in _SPLIT.finditer(text, a, b):
        left = text[i : m.start()]
        right = text[m.end() : b]
        if len(left.split()) >= 5 and len(right.split()) >= 5:
            parts.append((i, m.start()))
            i = m.end()
    parts.append((i, b))
    return [_trim(text, x, y) for x, y in parts]


def _quoted_spans(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The spans inside quotation marks within ``text[a:b]`` (straight or curly double quotes)."""
    out, i, open_at = [], a, None
    while i < b:
        ch = text[i]
        if open_at is None and ch in _OPEN_Q and (i == a or not text[i - 1].isalnum()):
            open_at = i + 1
        elif open_at is not None and ch in _CLOSE_Q:
            out.append((open_at, i))
            open_at = None
        i += 1
    return out


def segment(text: str, *, excerpt: bool = False) -> list[Unit]:
    """The text's claim-sized units: sentences of running text (furniture left out), list items with the
    sentence that introduces them, quoted speech apart from its attribution, and clauses of long sentences.
    In an ``excerpt`` (a text of quoted passages) every line but an editor's note in brackets is a passage.

    >>> t = ('MAIN STREET NEWS\\n\\nThe council voted to close the street. "Closing it will save many lives, '
    ...      'and it will cost the town very little," Ann Lee said.\\n')
    >>> [t[u.start:u.end] for u in segment(t)]
    ['The council voted to close the street.', 'Closing it will save many lives', 'it will cost the town very little']
    """
    units: list[Unit] = []
    lead: str | None = None
    block = 0
    pos = 0
    for line in text.splitlines(keepends=True):
        a, b = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        if bullet:
            ia, ib = _trim(text, a + bullet.end(), b)
            ib = ia + len(text[ia:ib].rstrip(" ;,."))
            if len(text[ia:ib].split()) >= 2 and lead:
                units.append(Unit(ia, ib, block, item=True, lead=lead, sentence=(ia, ib)))
            continue
        block += 1
        lead = None
        if _furniture(text[a:b]) and not (excerpt and not text[a:b].strip().startswith("[")):
            continue
        inside = False  # within a quotation that runs over several sentences
        for sa, sb in _sentences(text, a, b):
            sent = text[sa:sb]
            marks = sum(sent.count(q) for q in '"“”')
            started_inside = inside
            if marks % 2:
                inside = not inside
            if sent.rstrip().endswith(":"):
                lead = " ".join(sent.split())
                continue
            if len(sent.split()) < 4:
                continue
            if started_inside or (marks % 2 and sent.lstrip()[:1] in _OPEN_Q and not any(q in sent[1:] for q in _CLOSE_Q)):
                # a sentence of a quotation that runs over several: the words inside the marks
                qa, qb = sa, sb
                while qa < qb and text[qa] in _OPEN_Q + " ":
                    qa += 1
                close = max(text.rfind(q, qa, qb) for q in _CLOSE_Q)
                if close > qa:  # the quotation ends in this sentence
                    qb = close
                for ca, cb in _clauses(text, qa, qb):
                    cb = ca + len(text[ca:cb].rstrip(" ,;"))
                    units.append(Unit(ca, cb, block, quoted=True, clause=(ca, cb) != (qa, qb), sentence=(sa, sb)))
                continue
            spans = [(qa, qb) for qa, qb in _quoted_spans(text, sa, sb) if len(text[qa:qb].split()) >= 5]
            outside = _outside_quotes(text, sa, sb)
            if spans and (attribution(outside) is not None or sum(qb - qa for qa, qb in spans) > 0.6 * (sb - sa)):
                for qa, qb in spans:
                    for ca, cb in _clauses(text, qa, qb):
                        ca, cb = _trim(text, ca, cb)
                        cb = ca + len(text[ca:cb].rstrip(" ,;"))
                        units.append(Unit(ca, cb, block, quoted=True, clause=(ca, cb) != (qa, qb), sentence=(sa, sb)))
                continue
            for ca, cb in _clauses(text, sa, sb):
                cb = ca + len(text[ca:cb].rstrip(" ,;:"))
                units.append(Unit(ca, cb, block, clause=(ca, cb) != (sa, sb), sentence=(sa, sb)))
    return units


def _outside_quotes(text: str, a: int, b: int) -> str:
    """``text[a:b]`` with its quotations blanked (so a name inside a quote is not taken for the speaker)."""
    out = text[a:b]
    for qa, qb in reversed(_quoted_spans(text, a, b)):
        out = out[: qa - a] + "…" + out[qb - a :]
    return out


# ---------------------------------------------------------------- speakers

_SAY = (
    r"said|says|say|told|tells|added|adds|argued|argues|argue|contended|contends|contend|claimed|claims|claim|"
    r"warned|warns|warn|stated|states|wrote|writes|reported|reports|report|estimated|estimates|estimate|noted|notes|"
    r"point(?:s|ed)? out|express(?:es|ed)?|worr(?:y|ies|ied)|believe(?:s|d)?|see|sees|saw|insist(?:s|ed)?|"
    r"maintain(?:s|ed)?|suggest(?:s|ed)?|found|find|finds|concluded|concludes|conclude|announced|announces"
)
_TITLE = (
    r"(?:Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.|Gov\.|Sen\.|Rep\.|State Sen\.|Mayor|Governor|Senator|Commissioner|President|Judge|Justice)"
)
_NAME = r"(?:[A-Z][\w’'-]+|[A-Z]\.)(?:\s+(?:(?:de|del|van|von|da|di|la|le|bin|al)\s+)?(?:[A-Z][\w’'-]+|[A-Z]\.))*"
_GROUPS = {
    "critics": "con",
    "opponents": "con",
    "detractors": "con",
    "skeptics": "con",
    "sceptics": "con",
    "residents": "con",
    "community members": "con",
    "neighbors": "con",
    "neighbours": "con",
    "supporters": "pro",
    "advocates": "pro",
    "proponents": "pro",
    "backers": "pro",
    "experts": None,
    "researchers": None,
    "officials": None,
    "studies": None,
    "police": None,
}
_GROUP_RE = re.compile(
    r"\b((?:some|many|most|other)\s+)?(" + "|".join(sorted(map(re.escape, _GROUPS), key=len, reverse=True)) + r")\b"
    r"(?:\s+(?:against|of|for)\s+[\w-]+)?(?:\s+(?:also|often|sometimes|still|have|may|might|would|will|can|could))*\s+(?:"
    + _SAY
    + r")\b",
    re.I,
)
_ACCORDING = re.compile(r"(?i:according to) (?:the )?(" + _NAME + r")")
_PLURAL_SAYS = re.compile(r"^(?:(Some|Many|Most|Other)\s+)?([A-Z]?[a-z]+s)\s+(?:also\s+|often\s+|still\s+)*(?:" + _SAY + r")\b")
_THE_NOUN_SAYS = re.compile(r"\bthe ([a-z]+(?: [a-z]+)?) (?:says|said|reports|reported|estimates|estimated)\b")
_NAME_SAYS = re.compile(
    r"(?:("
    + _TITLE
    + r")\s+)?("
    + _NAME
    + r")(?:,\s+(?:a|an|the)\s+[^,\"“”]{3,60},)?(?:\s+(?:also|has|had|have))?\s+(?:"
    + _SAY
    + r")\b"
)
_ORG_WORDS = re.compile(
    r"\b(?:Department|Office|Center|Centers|Centre|Council|Association|Press|News|Times|Post|University|Committee|"
    r"Court|City|State|Agency|Institute|Coalition|Group|Board|Service|Services|Police|Health|Ministry|Government|"
    r"Party|Foundation|Society|Network|Journal|Bureau|Commission|Senate|Assembly|Administration|Inc|Ltd)\b"
)
_NOT_NAMES = {
    "The",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "They",
    "He",
    "She",
    "We",
    "I",
    "Its",
    "Their",
    "A",
    "An",
    "But",
    "And",
    "Also",
}


@dataclass(frozen=True)
class Attribution:
    name: str  # as written
    kind: str  # person | organization | group
    cue: str
    role: str | None = None
    lean: str | None = None  # the stance a group noun leans to ("critics": con)


def attribution(sentence: str) -> Attribution | None:
    """Who a sentence says is speaking, from its cues.

    >>> attribution('"It works," De Blasio said in a statement.').name
    'De Blasio'
    >>> a = attribution("Critics against OPCs often argue that they enable drug use."); (a.name, a.kind, a.lean)
    ('critics', 'group', 'con')
    >>> attribution("Opponents point out that they operate in a grey area.").name
    'opponents'
    >>> attribution("The sites opened, according to the New York Times").name
    'New York Times'
    >>> a = attribution('"It is a fire," NYC Health Commissioner Dr. Dave A. Chokshi said.'); (a.name, a.role)
    ('Dave A. Chokshi', 'NYC Health Commissioner')
    """
    sentence = " ".join(sentence.split())  # non-breaking spaces and line breaks as plain spaces
    g = _GROUP_RE.search(sentence)
    if g:
        noun = g.group(2).lower()
        name = f"{g.group(1) or ''}{noun}".strip().lower()
        return Attribution(name=name, kind="group", cue=f"'{g.group(0).strip()}'", lean=_GROUPS[noun])
    p = _PLURAL_SAYS.match(sentence.lstrip('"“ '))
    if p and p.group(2).lower() not in (
        "this",
        "its",
        "has",
        "was",
        "is",
        "does",
        "news",
        "analysis",
        "results",
        "findings",
        "data",
    ):
        name = f"{(p.group(1) or '').lower()} {p.group(2).lower()}".strip()
        return Attribution(name=name, kind="group", cue=f"'{p.group(0).strip()}'", lean=_GROUPS.get(p.group(2).lower()))
    m = _ACCORDING.search(sentence)
    if m and m.group(1).split()[0] not in _NOT_NAMES:
        return _named(m.group(1), f"'according to {m.group(1)}'", sentence, m.start(1))
    for m in _NAME_SAYS.finditer(sentence):
        name = m.group(2)
        first = name.split()[0]
        if first in _NOT_NAMES or (len(name.split()) == 1 and not m.group(1)):
            continue  # one capitalised word ("Springfield found") is too weak a cue for a speaker
        att = _named(name, f"'{m.group(0).strip()}'", sentence, m.start(2) if not m.group(1) else m.start(1))
        title = {"Gov.": "Governor", "Sen.": "Senator", "State Sen.": "State Senator", "Rep.": "Representative"}.get(
            m.group(1) or "", m.group(1)
        )
        if title and att.kind == "person" and title not in ("Dr.", "Mr.", "Mrs.", "Ms.", "Prof."):
            att = replace(att, role=" ".join(x for x in (att.role, title) if x))
        return att
    t = _THE_NOUN_SAYS.search(sentence)
    if t:
        return Attribution(name=t.group(1), kind="organization", cue=f"'{t.group(0)}'", lean=None)
    return None


def _named(name: str, cue: str, sentence: str, at: int) -> Attribution:
    name = re.sub(r"^(?:Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.)\s+", "", name)
    before = sentence[:at].rstrip()
    role_m = re.search(r"((?:[A-Z][\w.’'-]*\s+){1,4})(?:Dr\.\s+)?$", before + " ")
    role = None
    if role_m:
        role = " ".join(w for w in role_m.group(1).split() if w not in ("Dr.", "Mr.", "Mrs.", "Ms.")) or None
        if role and role.split()[0] in _NOT_NAMES:
            role = None
    # "NYC Health Commissioner Dr. Dave A. Chokshi": the name proper starts after the title words
    words = name.split()
    for i, w in enumerate(words):
        if w in ("Commissioner", "Mayor", "Governor", "Senator", "President", "Director", "Judge"):
            role = " ".join(words[: i + 1])
            name = " ".join(x for x in words[i + 1 :] if x not in ("Dr.", "Mr.", "Mrs.", "Ms."))
            break
    kind = "organization" if _ORG_WORDS.search(name) or len(name.split()) > 4 else "person"
    return Attribution(name=name, kind=kind, cue=cue, role=role if kind == "person" else None)


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", quotes.fold(s)).strip()


def match_speaker(att: Attribution, speakers: tuple[Speaker, ...]) -> Speaker | None:
    """The existing speaker an attribution names: the same name, a person's surname, a group's noun."""
    want = _norm(att.name)
    for sp in speakers:
        if _norm(sp.name) == want:
            return sp
    if att.kind == "group":
        for sp in speakers:
            if sp.type == "group" and (_norm(sp.name).startswith(want) or _norm(sp.id.replace("-", " ")) == want):
                return sp
        noun = want.split()[-1]
        for sp in speakers:
            if sp.type == "group" and _norm(sp.name).split()[:1] == [noun]:
                return sp
        return None
    for sp in speakers:  # "De Blasio" for "Bill de Blasio"; "the Associated Press" for "Associated Press"
        name = _norm(sp.name)
        if sp.type == "person" and len(want.split()) <= 2 and name.endswith(" " + want):
            return sp
        if sp.type != "person" and (
            name.removeprefix("the ") == want.removeprefix("the ")
            or (len(want) > 6 and name.endswith(want))
            or name.split()[-1:] == [want]
        ):
            return sp
    return None


# ---------------------------------------------------------------- figures

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUAL = r"nearly|almost|up to|at least|more than|over|about|around|approximately|roughly|less than|fewer than|under|as many as|some|close to|an estimated"
_FIG = re.compile(
    r"(?:\b("
    + _QUAL
    + r")\s+)?[$€£]?(?<![\d,.])("
    + _NUM
    + r")(?![\d,])(%|\s+percent\b|\s+per cent\b)?(?:\s+(million|billion|thousand)\b)?"
    r"((?:\s+(?!(?:in|of|from|to|since|per|a|an|the|across|at|for|by|than|on|and|or|with|annually|each|every|"
    r"which|that|who|as|is|was|were|are|over|under|during|after|before)\b)[a-z][\w-]*){0,3})",
    re.I,
)
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def figures_in(text: str) -> list[tuple[DraftFigure, str]]:
    """The statistics in ``text``: value, unit, qualifier ("nearly", "up to", ...) and period, with the
    words they were read from. Years, dates, phone numbers and ordinals are left out.

    >>> [f for f, _ in figures_in("with nearly 108,000 overdose deaths in 2022, up nearly 30% from 2021")]
    [DraftFigure(value=108000, unit='overdose deaths', qualifier='nearly', period='2022'), DraftFigure(value=30, unit='percent', qualifier='nearly', period='2022')]
    >>> [f for f, _ in figures_in("could save up to 130 lives annually; 4.5 million clean needles")]
    [DraftFigure(value=130, unit='lives', qualifier='up to', period='per year'), DraftFigure(value=4500000, unit='clean needles', qualifier=None, period=None)]
    >>> figures_in("On June 19, 2018, call 800-426-1818 for 24/7 help in 2021")
    []
    """
    out = []
    year = re.search(r"\b(?:in|during|for|of)\s+((?:19|20)\d{2})\b", text)
    for m in _FIG.finditer(text):
        qual, num, pct, scale, unit = m.group(1), m.group(2), m.group(3), m.group(4), (m.group(5) or "").strip()
        s, e = m.start(2), m.end(2)
        if re.fullmatch(r"(?:19|20)\d{2}", num) and not pct and not scale:
            continue  # a year
        if re.search(_MONTHS + r"\s*$", text[:s]) or re.match(r"[-/:]\d", text[e : e + 2]) or re.search(r"\d[-/:]$", text[:s]):
            continue  # a date, a phone number, "24/7", a time
        if re.match(r"(?:st|nd|rd|th)\b", text[e:]):
            continue
        value = float(num.replace(",", ""))
        if scale:
            value *= _SCALE[scale.lower()]
        value = int(value) if value == int(value) else value
        if pct:
            unit = "percent"
        currency = {"$": "US dollars", "€": "euros", "£": "pounds"}.get(text[s - 1 : s]) if s else None
        if currency:
            unit = currency
        unit = re.sub(r"\s+(?:annually|a year)$", "", unit)
        if not unit:
            continue  # a bare number: not a statistic we can name
        after = text[m.end() : m.end() + 20]
        period = (
            "per year"
            if re.match(r"\s*(?:annually|a year|per year|each year|every year)", after)
            else (year.group(1) if year else None)
        )
        out.append(
            (DraftFigure(value=value, unit=unit, qualifier=qual.lower() if qual else None, period=period), m.group(0).strip())
        )
    return out


# ---------------------------------------------------------------- kind, text, ids

_POLICY = re.compile(
    r"\b(?:should|must|ought|need to|needs to|have to|has to|would be better|better spent|better directed|call(?:s|ed)? for|urge[sd]?|ban|fund(?:ing)?|legaliz|authoriz|sanction)\w*",
    re.I,
)
_CAUSAL = re.compile(
    r"\b(?:prevent|reduc|decreas|increas|lower|rais|caus|lead to|led to|result|due to|because|save[sd]? lives|saving lives|help|attract|"
    r"encourag|enabl|effect|impact|improv|worsen|drive|spread|link|so that|thereby|decline|rise|fall|bring)\w*",
    re.I,
)
_EVAL = re.compile(
    r"\b(?:safe|effective|important|critical|crucial|essential|failure|fail|best|worst|better|worse|compassion\w*|smart\w*|moral|"
    r"dangerous|serious|significant|prevalent|proud|wrong|right|key|vital|good|bad|harm\w*|benefit\w*|success\w*|necessary|"
    r"valuable|useless|cruel|humane|dignity|reasonable|unfair|fire|crisis|threat)\b",
    re.I,
)


def claim_kind(quote: str, figures: list) -> tuple[str, str]:
    """A claim kind from cue words, and the cue (statistics first, then policy, causal, evaluative)."""
    if figures:
        return "statistic", f"figure '{figures[0][1]}'"
    for kind, pattern in (("policy", _POLICY), ("causal", _CAUSAL), ("evaluative", _EVAL)):
        m = pattern.search(quote)
        if m:
            return kind, f"{kind} cue '{m.group(0)}'"
    return "factual", "no causal, policy or evaluative cue: factual"


_STOP = set(
    "a an the of to in on for and or but is are was were be been being that this these those it its their they them "
    "with by as at from into than then so such can could will would may might should must also often some any all "
    "there here which who whom whose what when where while how not no nor very more most less few many much do does "
    "did has have had i we you he she his her our your my me us".split()
)


def draft_id(source_id: str, quote: str, taken: set[str]) -> str:
    """``<source>-<a few content words>``, unique among ``taken``.

    >>> draft_id("gazette-2024", "Closing the street will save lives.", set())
    'gazette-2024-closing-street-save-lives'
    """
    from argmap.sources.scaffold import slug

    words = [w for w in re.findall(r"[a-z0-9]+", slug(quote).replace("-", " ")) if w not in _STOP][:4] or ["claim"]
    base = f"{source_id}-{'-'.join(words)}"
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def neutral_text(
    quote: str, *, speaker: str | None, lead: str | None, pronoun_for: str | None, proper: frozenset[str] = frozenset()
) -> str:
    """A first wording of the claim, for the reviewer to rewrite: the passage restated as one sentence,
    attributed when someone other than the author says it.

    >>> neutral_text("they cost little to run", speaker="Ann Lee", lead=None, pronoun_for=None)
    'According to Ann Lee, they cost little to run.'
    >>> neutral_text("Housing assistance referrals", speaker=None, lead="The primary services include:", pronoun_for=None)
    'The primary services include housing assistance referrals.'
    >>> neutral_text("They express concerns that crime might rise", speaker=None, lead=None, pronoun_for="Critics")
    'Critics express concerns that crime might rise.'
    """
    q = " ".join(quote.split()).strip(" \"'“”‘’")
    if pronoun_for and re.match(r"(?:They|These critics|These opponents)\b", q):
        q = re.sub(r"^(?:They|These critics|These opponents)\b", pronoun_for, q)
        speaker = None  # named already
    first_word = q.split()[0] if q.split() else ""
    # the first word loses its capital unless it is a name (capitalised inside a sentence of the text), an
    # acronym or "I"
    keep = first_word in proper or first_word.isupper() or re.match(r"I(?:\b|’|')", first_word) is not None
    first = q if keep else q[:1].lower() + q[1:]
    if lead:
        q = f"{lead.rstrip(': ')} {first}"
    elif speaker:
        q = f"according to {speaker}, {first}"
    q = q[:1].upper() + q[1:]
    return q.rstrip(" ,;:") + ("" if q.rstrip().endswith((".", "!", "?")) else ".")


# ---------------------------------------------------------------- learning from the debate's own claims


class _Model:
    """TF-IDF over the debate's labelled claims and its topics' SKOS labels and definitions."""

    def __init__(self, corpus: Corpus, exclude_source: str):
        from sklearn.feature_extraction.text import TfidfVectorizer  # lazy: scikit-learn is heavy

        self.claims = [c for c in corpus.claims if c.source != exclude_source]
        self.topics = list(corpus.topics)
        topic_docs = []
        by_topic: dict[str, list[str]] = defaultdict(list)
        for c in self.claims:
            for t in c.topics:
                by_topic[t].append(c.text)
        for topic in self.topics:
            labels = " ".join([topic.label, *topic.alt_labels])
            topic_docs.append(f"{labels} {labels} {topic.definition} {' '.join(by_topic[topic.id][:40])}")
        docs = [f"{c.text} {c.quote}" for c in self.claims]
        self.vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=1)
        fit_on = docs + topic_docs + [corpus.debate.motion]
        self.vec.fit(fit_on if any(d.strip() for d in fit_on) else ["empty"])
        self.X = self.vec.transform(docs) if docs else None
        self.T = self.vec.transform(topic_docs) if topic_docs else None
        self.prior = Counter(c.stance for c in self.claims)
        used = Counter(t for c in self.claims for t in c.topics)
        self.common_topic = min(used, key=lambda t: (-used[t], t)) if used else None
        self.clf = None
        if len(set(c.stance for c in self.claims)) >= 2:
            from sklearn.linear_model import LogisticRegression

            self.clf = LogisticRegression(
                C=float(__import__("os").environ.get("ARGMAP_C", "16")), class_weight="balanced", max_iter=2000
            )
            self.clf.fit(self.X, [c.stance for c in self.claims])
        self.speaker_stance: dict[str, Counter] = defaultdict(Counter)
        for c in self.claims:
            self.speaker_stance[c.speaker][c.stance] += 1

    def neighbours(self, text: str, k: int = 8) -> list[tuple[Claim, float]]:
        if self.X is None:
            return []
        v = self.vec.transform([text])
        sims = (self.X @ v.T).toarray().ravel()
        order = sorted(range(len(sims)), key=lambda i: (-sims[i], self.claims[i].id))[:k]
        return [(self.claims[i], float(sims[i])) for i in order if sims[i] > 0]

    def topic_scores(self, text: str) -> list[tuple[str, float]]:
        if self.T is None:
            return []
        v = self.vec.transform([text])
        sims = (self.T @ v.T).toarray().ravel()
        return [(t.id, float(s)) for t, s in zip(self.topics, sims)]


_PRAISE = r"safe|safer|effective|smart|smarter|essential|critical|crucial|vital|key|successful|success|beneficial|humane|compassionate|helpful|life-saving|lifesaving"
_NEGATED = re.compile(r"\b(?:least|nothing|not|no|never|hardly|far from)\s+(?:[\w’']+\s+){0,2}?(?:" + _PRAISE + r")\b", re.I)
_PRAISED = re.compile(r"\b(?:" + _PRAISE + r")\b|\bsave[sd]? lives\b", re.I)


def motion_subject_words(corpus: Corpus) -> frozenset[str]:
    """Words that name what the motion is about: the last word of its subject (the words before 'should',
    'must' or 'ought') and of the alternative labels of a topic labelled with that subject.

    >>> from argmap.sources.model import Debate, Topic
    >>> c = Corpus("", Debate("d", "T", "Protected bike lanes should be built"), (Topic("l", "Bike lanes", "d", ("cycle tracks",)),), (), (), (), ())
    >>> sorted(motion_subject_words(c))
    ['lane', 'lanes', 'track', 'tracks']
    """
    m = re.match(r"(.+?)\s+(?:should|must|ought|shall|need|needs)\b", corpus.debate.motion, re.I)
    if not m:
        return frozenset()
    subject = quotes.fold(m.group(1))
    words = {subject.split()[-1]}
    for t in corpus.topics:
        labels = [quotes.fold(x) for x in (t.label, *t.alt_labels)]
        if any(lbl.split()[-1:] == subject.split()[-1:] or subject.endswith(lbl) for lbl in labels):
            words.update(lbl.split()[-1] for lbl in labels if lbl.split())
    words |= {w[:-1] for w in words if w.endswith("s") and len(w) > 3} | {w + "s" for w in words if not w.endswith("s")}
    return frozenset(words)


def _evaluation(quote: str, subject: frozenset[str]) -> tuple[str | None, str | None]:
    """The side a passage takes by how it judges the motion's subject: praise of the subject leans pro,
    praise denied ("the least compassionate", "nothing compassionate about") leans con."""
    neg = _NEGATED.search(quote)
    if neg:
        return "con", f"stance: praise denied ('{neg.group(0)}'), leaning con"
    words = {w for w, _, _ in quotes.words_with_offsets(quote)}
    praise = _PRAISED.search(quote)
    if praise and words & subject:
        return (
            "pro",
            f"stance: the motion's subject ({', '.join(sorted(words & subject))}) praised ('{praise.group(0)}'), leaning pro",
        )
    return None, None


def _stance(
    model: _Model,
    nbrs,
    *,
    lean: str | None,
    speaker_id: str | None,
    kind: str,
    text: str | None = None,
    evaluation: tuple | None = None,
) -> tuple[dict[str, float], list[str]]:
    votes = {s: 0.02 * (1 + model.prior.get(s, 0)) / (1 + len(model.claims)) for s in STANCES}
    cues = []
    for c, sim in nbrs:
        votes[c.stance] += sim * sim
    if nbrs:
        cues.append("stance: nearest labelled claims " + ", ".join(f"{c.id} ({c.stance}, {sim:.2f})" for c, sim in nbrs[:3]))
    total = sum(votes.values())
    probs = {s: v / total for s, v in votes.items()}
    w = float(__import__("os").environ.get("ARGMAP_W", "0.5"))
    if model.clf is not None and text is not None and w > 0:
        lr = dict(zip(model.clf.classes_, model.clf.predict_proba(model.vec.transform([text]))[0]))
        probs = {s: (1 - w) * probs[s] + w * lr.get(s, 0.0) for s in STANCES}
        best = max(lr, key=lambda s: lr[s])
        cues.append(f"stance: a classifier trained on the debate's claims says {best} ({lr[best]:.2f})")
    if speaker_id and sum(model.speaker_stance[speaker_id].values()) >= 2:
        sp = model.speaker_stance[speaker_id]
        n = sum(sp.values())
        probs = {s: 0.4 * probs[s] + 0.6 * sp[s] / n for s in STANCES}
        cues.append(f"stance: speaker {speaker_id}'s labelled claims are " + ", ".join(f"{k} {v}" for k, v in sp.most_common()))
    if lean:
        probs = {s: 0.25 * probs[s] + (0.75 if s == lean else 0) for s in STANCES}
        cues.append(f"stance: the speaker is a group that leans {lean}")
    elif evaluation is not None and evaluation[0] is not None:
        probs = {s: 0.5 * probs[s] + (0.5 if s == evaluation[0] else 0) for s in STANCES}
        cues.append(evaluation[1])
    if kind == "statistic" and not lean:
        probs = {s: 0.6 * probs[s] + (0.4 if s == "neutral" else 0) for s in STANCES}
        cues.append("stance: a statistic, leaning neutral")
    return probs, cues


def _topics(model: _Model, text: str, nbrs, quote: str, known: dict) -> tuple[tuple[str, ...], str]:
    score: dict[str, float] = defaultdict(float)
    for tid, s in model.topic_scores(text):
        score[tid] += s
    total = sum(sim for _, sim in nbrs) or 1.0
    for c, sim in nbrs:
        for t in c.topics:
            score[t] += 0.6 * sim / total
    folded = quotes.fold(quote)
    for t in known.values():
        if any(re.search(r"\b" + re.escape(quotes.fold(lbl)) + r"\b", folded) for lbl in (t.label, *t.alt_labels)):
            score[t.id] += 0.3
    if not score:
        return (), "topics: none (the debate has no topics yet)"
    ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
    best = ranked[0][1]
    chosen = tuple(t for t, s in ranked[:3] if s >= 0.6 * best and s > 0)
    return chosen, "topics: " + ", ".join(f"{t} ({s:.2f})" for t, s in ranked[:3])


# ---------------------------------------------------------------- drafting


def default_speaker(source: Source, speakers: tuple[Speaker, ...]) -> tuple[Speaker | None, NewSpeaker | None, str]:
    """Who speaks when no cue says: the source's authors' group, an author, the publisher; else a new one."""
    by_id = {s.id: s for s in speakers}
    if f"{source.id}-authors" in by_id:
        return by_id[f"{source.id}-authors"], None, f"the source's authors ({source.id}-authors)"
    names = {_norm(s.name): s for s in speakers}
    for a in source.authors:
        if _norm(a) in names:
            return names[_norm(a)], None, f"the source's author {a}"
    if source.publisher and _norm(source.publisher) in names:
        return names[_norm(source.publisher)], None, f"the source's publisher {source.publisher}"
    from argmap.sources.scaffold import slug

    if source.authors:
        a = source.authors[0]
        return None, NewSpeaker(id=slug(a), name=a, type="person"), f"the source's author {a} (a new speaker)"
    if source.publisher:
        p = source.publisher
        return None, NewSpeaker(id=slug(p), name=p, type="organization"), f"the source's publisher {p} (a new speaker)"
    sid = f"{source.id}-author"
    return (
        None,
        NewSpeaker(id=sid, name=f"The author of {source.title}", type="group"),
        "no author or publisher known (a new speaker)",
    )


def draft_source(corpus: Corpus, source_id: str, *, relations: int = 3) -> DraftSet:
    """Draft claims for one source of ``corpus``, learning from the corpus's claims of other sources.

    The corpus is the loaded debate (the source must be in it); its claims quoted from ``source_id`` are
    ignored, so a source can be drafted again.
    """
    if source_id not in corpus.sources_by_id:
        known = ", ".join(sorted(corpus.sources_by_id)) or "none yet; add one with argmap add-source"
        raise DraftError(f"unknown source '{source_id}' (known sources: {known})")
    source = corpus.sources_by_id[source_id]
    text = source.text
    units = segment(text, excerpt=source.excerpt)
    if not units:
        raise CorpusError(
            f"{corpus.root}/{source.file}" if corpus.root else source.file,
            None,
            "no sentences found to draft from (a draft needs running text: sentences ending in '.', '!' or '?', "
            "or list items under a sentence ending in ':')",
        )
    model = _Model(corpus, source_id)
    finder = quotes.QuoteFinder(text)
    subject = motion_subject_words(corpus)
    proper = frozenset(re.findall(r"(?<=[a-z,;] )([A-Z][\w’'-]*)", text))
    speakers = corpus.speakers
    base_sp, base_new, base_cue = default_speaker(source, speakers)
    proposed: dict[str, NewSpeaker] = {}
    taken = set(corpus.claims_by_id)
    drafts: list[Draft] = []
    last_speaker: dict[int, tuple[str, str, str | None, str]] = {}  # per block: the last attributed speaker
    sentence_att: dict[tuple[int, int], Attribution | None] = {}
    item_stance: dict[str, dict[str, float]] = {}
    for u in units:
        quote = " ".join(text[u.start : u.end].split())
        sent = text[u.sentence[0] : u.sentence[1]]
        cues: list[str] = []
        if u.sentence not in sentence_att:
            sentence_att[u.sentence] = attribution(_outside_quotes(text, *u.sentence)) if not u.item else None
        att = sentence_att[u.sentence]
        if u.clause and not u.quoted:  # "Supporters say ..., while opponents see ...": each clause its own
            att = attribution(quote) or att
        lean = None
        if att is not None:
            sp = match_speaker(att, speakers)
            if sp is None and att.kind != "group" and att.name[:1].islower():
                att = None  # "the council says" with no such speaker: not enough to propose one
        if att is not None:
            if sp is not None:
                speaker_id, speaker_name, certainty = sp.id, sp.name, 0.9
            else:
                from argmap.sources.scaffold import slug

                sid = slug(att.name) or "speaker"
                if sid in corpus.speakers_by_id:  # a clash with a speaker of another name
                    sid = f"{sid}-{source_id}"
                name = att.name if att.kind != "group" else att.name[:1].upper() + att.name[1:]
                proposed.setdefault(sid, NewSpeaker(id=sid, name=name, type=att.kind, role=att.role))
                speaker_id, speaker_name, certainty = sid, name, 0.6
            lean = att.lean
            cues.append(f"speaker: attribution {att.cue} -> {speaker_id}")
            last_speaker[u.block] = (speaker_id, speaker_name, lean, att.cue)
        elif u.block in last_speaker and (u.quoted or re.match(r"(?:They|He|She|These (?:critics|opponents))\b", quote)):
            speaker_id, speaker_name, lean, cue = last_speaker[u.block]
            certainty = 0.7
            cues.append(f"speaker: continues the attribution {cue} earlier in the paragraph -> {speaker_id}")
        elif base_sp is not None:
            speaker_id, speaker_name, certainty = base_sp.id, None, 0.7
            cues.append(f"speaker: no attribution cue; {base_cue}")
        else:
            assert base_new is not None
            proposed.setdefault(base_new.id, base_new)
            speaker_id, speaker_name, certainty = base_new.id, None, 0.5
            cues.append(f"speaker: no attribution cue; {base_cue}")
        figs = figures_in(quote)
        kind, kind_cue = claim_kind(quote, figs)
        cues.append(f"kind: {kind_cue}")
        for f, words in figs:
            cues.append(f"figure: '{words}'")
        features = f"{u.lead or ''} {quote}"
        nbrs = model.neighbours(features)
        probs, stance_cues = _stance(
            model, nbrs, lean=lean, speaker_id=speaker_id, kind=kind, text=features, evaluation=_evaluation(quote, subject)
        )
        if u.item and u.lead:
            lead_probs = item_stance.get(u.lead)
            if lead_probs is None:
                lead_probs, _ = _stance(
                    model,
                    model.neighbours(u.lead + " " + sent),
                    lean=None,
                    speaker_id=speaker_id,
                    kind="factual",
                    text=u.lead + " " + sent,
                )
                item_stance[u.lead] = lead_probs
            probs = {s: 0.5 * probs[s] + 0.5 * lead_probs[s] for s in STANCES}
            stance_cues.append(f"stance: a list item, half from its lead-in '{u.lead}'")
            cues.insert(0, f"unit: list item under '{u.lead}'")
        elif u.quoted:
            cues.insert(0, "unit: quoted speech")
        elif u.clause:
            cues.insert(0, "unit: one clause of a longer sentence")
        else:
            cues.insert(0, "unit: a sentence")
        cues.extend(stance_cues)
        stance = max(STANCES, key=lambda s: (round(probs[s], 9), s == "neutral", -STANCES.index(s)))  # a tie: neutral
        topics, topic_cue = _topics(model, features, nbrs, quote, corpus.topics_by_id)
        if not topics and corpus.topics:
            before = [d for d in drafts if d.topics]
            topics = before[-1].topics if before else (model.common_topic or corpus.topics[0].id,)
            topic_cue = (
                f"topics: no word of the passage points to a topic; {', '.join(topics)} as the draft before"
                if before
                else f"topics: no cue; the debate's most used topic {topics[0]}"
            )
        cues.append(topic_cue)
        spans = finder.find_all(quote)
        occurrence = next((k + 1 for k, (s, _) in enumerate(spans) if s == u.start), None) if len(spans) > 1 else None
        top = sorted(probs.values(), reverse=True)
        confidence = round(0.5 * top[0] + 0.2 * min(1.0, (top[0] - top[1]) * 2) + 0.3 * certainty, 2)
        rels = _relations(model, features, stance, kind, relations)
        attributed = (
            speaker_name if (speaker_name and not re.search(r"\b(?:" + _SAY + r")\b|according to", quote, re.I)) else None
        )
        drafts.append(
            Draft(
                id=draft_id(source_id, quote, taken),
                text=neutral_text(
                    quote, speaker=attributed, lead=u.lead if u.item else None, pronoun_for=speaker_name, proper=proper
                ),
                quote=quote,
                start=u.start,
                end=u.end,
                source=source_id,
                stance=stance,
                topics=topics,
                speaker=speaker_id,
                kind=kind,
                figures=tuple(f for f, _ in figs),
                occurrence=occurrence,
                confidence=confidence,
                cues=tuple(cues),
                relations=rels,
            )
        )
    used = {d.speaker for d in drafts}
    return DraftSet(source=source_id, drafts=tuple(drafts), new_speakers=tuple(s for s in proposed.values() if s.id in used))


def _relations(model: _Model, features: str, stance: str, kind: str, k: int) -> tuple[DraftRelation, ...]:
    out: list[DraftRelation] = []
    for c, sim in model.neighbours(features, k=12):
        if sim < 0.2 or len(out) >= k:
            continue
        if stance != "neutral" and c.stance == stance:
            out.append(DraftRelation(c.id, "supports", round(sim, 2)))
        elif "neutral" not in (stance, c.stance) and c.stance != stance:
            out.append(DraftRelation(c.id, "attacks", round(sim, 2)))
        elif stance == "neutral" and kind == "statistic" and c.stance != "neutral" and sim >= 0.3:
            out.append(DraftRelation(c.id, "supports", round(sim, 2)))
    return tuple(out)


# ---------------------------------------------------------------- the draft file

HEADER = """\
# Draft claims for source '{source}' ({file}), written by `argmap draft`: proposals for review, not claims.
# `argmap validate` reports this file and does not load it. For each draft: check that `quote` holds the
# whole claim (shorten it if it holds more), rewrite `text` in neutral words of your own, and check stance,
# topics, speaker, kind and figures. Delete the drafts that are not claims. `confidence` and `cues` say why
# each field was proposed; `relations` are candidate supports/attacks on the debate's claims with a score:
# give the ones that hold a `rationale` (candidates without one are left out on accept).
# `new_speakers` are proposed speakers, added to speakers.yaml when an accepted draft names them.
# Then:  argmap draft --corpus {corpus} --accept {path}   (or --only ID ... for some of them)
"""


def _figure_yaml(f: DraftFigure, pad: str) -> list[str]:
    lines = [f"{pad}- value: {f.value}", f"{pad}  unit: {yaml_scalar(f.unit)}"]
    if f.qualifier:
        lines.append(f"{pad}  qualifier: {yaml_scalar(f.qualifier)}")
    if f.period:
        lines.append(f"{pad}  period: {yaml_scalar(f.period)}")
    return lines


def render_drafts(ds: DraftSet, *, file: str, corpus: str, path: str) -> str:
    """The draft claims file for ``ds``, as YAML text with a header saying how to review and accept it."""
    lines = [HEADER.format(source=ds.source, file=file, corpus=corpus, path=path).rstrip("\n"), ""]
    lines.append(f"source: {ds.source}")
    lines.append("")
    if ds.new_speakers:
        lines.append("new_speakers:")
        for s in ds.new_speakers:
            lines.append(f"  - id: {s.id}")
            lines.append(f"    name: {yaml_scalar(s.name)}")
            lines.append(f"    type: {s.type}")
            if s.role:
                lines.append(f"    role: {yaml_scalar(s.role)}")
        lines.append("")
    lines.append("drafts:" if ds.drafts else "drafts: []")
    for d in ds.drafts:
        lines.append(f"  - id: {d.id}")
        lines.append(f"    text: {yaml_scalar(d.text)}")
        lines.append(f"    quote: {yaml_scalar(d.quote)}")
        if d.occurrence:
            lines.append(f"    occurrence: {d.occurrence}")
        lines.append(f"    source: {d.source}")
        lines.append(f"    stance: {d.stance}")
        lines.append(f"    topics: [{', '.join(d.topics)}]")
        lines.append(f"    speaker: {d.speaker}")
        lines.append(f"    kind: {d.kind}")
        if d.figures:
            lines.append("    figures:")
            for f in d.figures:
                lines.extend(_figure_yaml(f, "      "))
        lines.append(f"    confidence: {d.confidence}")
        lines.append("    cues:")
        lines.extend(f"      - {yaml_scalar(c)}" for c in d.cues)
        if d.relations:
            lines.append("    relations:")
            for r in d.relations:
                lines.append(f"      - {{to: {r.to}, type: {r.type}, score: {r.score}}}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- accepting reviewed drafts

CLAIM_FIELDS = ("id", "text", "quote", "occurrence", "source", "stance", "topics", "speaker", "kind", "figures", "title", "note")
DRAFT_ONLY = ("confidence", "cues", "relations")


@dataclass(frozen=True)
class Accepted:
    """What accepting drafts changes: the new texts of the files (None: unchanged; "" for the draft file:
    delete it) and what was done, for the CLI to report."""

    claims_file: str  # relative path, e.g. claims/gazette-2024.yaml
    claims_text: str
    speakers_text: str | None
    relations_text: str | None
    draft_text: str  # the draft file with the accepted drafts taken out; "" when none remain
    accepted: tuple[str, ...]
    new_speakers: tuple[str, ...]
    relations: int
    dropped_relations: int
    remaining: int


def _emit_claim(rec: dict) -> list[str]:
    lines = []
    first = True
    for key in CLAIM_FIELDS:
        if key not in rec or rec[key] is None:
            continue
        value = rec[key]
        lead = "- " if first else "  "
        first = False
        if key == "topics":
            items = value if isinstance(value, list) else [value]
            lines.append(f"{lead}topics: [{', '.join(str(t) for t in items)}]")
        elif key == "figures":
            lines.append(f"{lead}figures:")
            for f in value:
                lines.append(f"    - value: {f['value']}")
                for fk in ("unit", "qualifier", "period", "place"):
                    if f.get(fk) is not None:
                        lines.append(f"      {fk}: {yaml_scalar(str(f[fk]))}")
        elif key == "occurrence":
            lines.append(f"{lead}occurrence: {value}")
        else:
            lines.append(f"{lead}{key}: {yaml_scalar(' '.join(str(value).split()))}")
    return lines


def _append_block(old: str, block: list[str], *, header: str = "") -> str:
    """``old`` (a YAML list file) with ``block`` lines appended after a blank line; an "[]" line (an empty
    list) is replaced. Everything that was there is kept as written."""
    lines = old.splitlines()
    for i, ln in enumerate(lines):
        if ln.strip() == "[]":
            del lines[i]
            break
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines and header:
        lines = header.rstrip("\n").splitlines()
    if lines:
        lines.append("")
    return "\n".join([*lines, *block]) + "\n"


def accept_drafts(
    corpus: Corpus,
    draft: dict,
    draft_text: str,
    *,
    display: str,
    claims_text: str | None,
    speakers_text: str,
    relations_text: str | None,
    only: tuple[str, ...] = (),
) -> Accepted:
    """Check reviewed drafts against the corpus and make the files' new texts.

    ``draft`` is the draft file as read by :func:`argmap.sources.yamlio.load_yaml` (mappings that know their
    lines); ``display`` is its path for messages. Every mistake is reported at once, each at file:line.
    """
    from argmap.sources.loader import relation_id

    errs: list[CorpusError] = []

    def err(line, msg):
        errs.append(CorpusError(display, line, msg))

    if not isinstance(draft, dict) or not isinstance(draft.get("drafts"), list):
        raise CorpusErrors(
            [
                CorpusError(
                    display,
                    getattr(draft, "line", 1),
                    "not a draft claims file (expected 'source:' and a 'drafts:' list, as argmap draft writes)",
                )
            ]
        )
    source_id = str(draft.get("source") or "")
    if source_id not in corpus.sources_by_id:
        raise CorpusErrors(
            [
                CorpusError(
                    display,
                    getattr(draft, "line_of", lambda k: 1)("source"),
                    f"unknown source '{source_id}' (known sources: {', '.join(sorted(corpus.sources_by_id))})",
                )
            ]
        )
    source = corpus.sources_by_id[source_id]
    items = [d for d in draft["drafts"] if isinstance(d, dict)]
    ids = [str(d.get("id")) for d in items]
    for want in only:
        if want not in ids:
            raise CorpusErrors(
                [CorpusError(display, None, f"--only {want}: no draft with that id here (drafts: {', '.join(ids) or 'none'})")]
            )
    chosen = [d for d in items if not only or str(d.get("id")) in only]
    if not chosen:
        raise CorpusErrors([CorpusError(display, None, "no drafts to accept (the file's drafts list is empty)")])
    new_sp = {}
    for s in draft.get("new_speakers") or []:
        if isinstance(s, dict) and s.get("id"):
            new_sp[str(s["id"])] = s
    known_speakers = set(corpus.speakers_by_id) | set(new_sp)
    finder = quotes.QuoteFinder(source.text)
    claim_ids = set(corpus.claims_by_id)
    blocks: list[str] = []
    rel_lines: list[str] = []
    existing_rel = set(corpus.relations_by_id)
    used_speakers: list[str] = []
    dropped = 0
    accepted_ids = []
    for d in chosen:
        line = getattr(d, "line", None)
        lo = getattr(d, "line_of", lambda k: line)
        did = str(d.get("id") or "")
        label = f"draft '{did}'"
        for key in ("id", "text", "quote", "stance", "topics", "speaker", "kind"):
            if d.get(key) in (None, "", []):
                err(line, f"{label} is missing '{key}' (a claim needs: id, text, quote, stance, topics, speaker, kind)")
        unknown = [k for k in d if k not in CLAIM_FIELDS and k not in DRAFT_ONLY]
        for k in unknown:
            err(lo(k), f"{label}: unknown field '{k}' (allowed: {', '.join(CLAIM_FIELDS + DRAFT_ONLY)})")
        if did and not re.match(r"^[a-z0-9][a-z0-9_-]*$", did):
            err(lo("id"), f"bad claim id '{did}' (ids are lower-case letters, digits, '-' and '_')")
        if did in claim_ids:
            err(lo("id"), f"{label}: a claim with this id is already in the corpus (give the draft another id)")
        claim_ids.add(did)
        if d.get("source") not in (None, source_id):
            err(lo("source"), f"{label}: source '{d.get('source')}' is not this file's source '{source_id}'")
        if d.get("stance") is not None and d["stance"] not in STANCES:
            err(lo("stance"), f"{label}: unknown stance '{d['stance']}' (expected one of: {', '.join(STANCES)})")
        if d.get("kind") is not None and d["kind"] not in CLAIM_KINDS:
            err(lo("kind"), f"{label}: unknown kind '{d['kind']}' (expected one of: {', '.join(CLAIM_KINDS)})")
        topics = d.get("topics") or []
        topics = topics if isinstance(topics, list) else [topics]
        for t in topics:
            if str(t) not in corpus.topics_by_id:
                err(
                    lo("topics"),
                    f"{label}: unknown topic '{t}' (known topics: {', '.join(sorted(corpus.topics_by_id)) or 'none yet: add them to topics.yaml'})",
                )
        spk = str(d.get("speaker") or "")
        if spk and spk not in known_speakers:
            err(
                lo("speaker"),
                f"{label}: unknown speaker '{spk}' (known speakers, with new_speakers: {', '.join(sorted(known_speakers))})",
            )
        elif spk in new_sp and spk not in used_speakers:
            used_speakers.append(spk)
        quote = str(d.get("quote") or "")
        spans = finder.find_all(quote) if quote else []
        occ = d.get("occurrence")
        if quote and not spans:
            err(
                lo("quote"),
                f"{label}: quote not found in source '{source_id}' ({source.file}); {quotes.divergence(quote, source.text)}; find the exact passage with argmap quote",
            )
        elif len(spans) > 1 and occ is None:
            err(lo("quote"), f"{label}: quote occurs {len(spans)} times in the source; add 'occurrence: N' (1 to {len(spans)})")
        elif occ is not None and (not isinstance(occ, int) or not 1 <= occ <= max(1, len(spans))):
            err(lo("occurrence"), f"{label}: occurrence {occ!r} is out of range (1 to {len(spans)})")
        for r in d.get("relations") or []:
            if not isinstance(r, dict):
                continue
            if not str(r.get("rationale") or "").strip():
                dropped += 1
                continue
            to, rtype = str(r.get("to")), str(r.get("type"))
            if rtype not in ("supports", "attacks"):
                err(getattr(r, "line", lo("relations")), f"{label}: relation type '{rtype}' (expected supports or attacks)")
                continue
            if to not in corpus.claims_by_id and to not in ids:
                err(getattr(r, "line", lo("relations")), f"{label}: relation to unknown claim '{to}'")
                continue
            rid = relation_id(did, rtype, to)
            if rid in existing_rel:
                continue
            existing_rel.add(rid)
            rel_lines += [
                f"- from: {did}",
                f"  to: {to}",
                f"  type: {rtype}",
                f"  rationale: {yaml_scalar(' '.join(str(r['rationale']).split()))}",
            ]
        rec = {k: d.get(k) for k in CLAIM_FIELDS if d.get(k) is not None}
        rec["source"] = source_id
        rec["topics"] = [str(t) for t in topics]
        blocks.extend(_emit_claim(rec))
        blocks.append("")
        accepted_ids.append(did)
    for sid in used_speakers:
        s = new_sp[sid]
        if sid in corpus.speakers_by_id:
            err(
                getattr(s, "line", None),
                f"new speaker '{sid}' is already in speakers.yaml (use it, and delete it from new_speakers)",
            )
        if s.get("type") not in ("person", "organization", "group"):
            err(
                getattr(s, "line", None),
                f"new speaker '{sid}': unknown type '{s.get('type')}' (expected one of: person, organization, group)",
            )
        if not s.get("name"):
            err(getattr(s, "line", None), f"new speaker '{sid}' has no name")
    if errs:
        raise CorpusErrors(errs)
    claims_rel = f"claims/{source_id}.yaml"
    header = f"# Claims from {source.title} (source {source_id}), accepted from drafts made by argmap draft.\n"
    new_claims = _append_block(claims_text or "", blocks[:-1], header=header)
    new_speakers_text = None
    if used_speakers:
        sp_lines = []
        for sid in used_speakers:
            s = new_sp[sid]
            sp_lines += [f"- id: {sid}", f"  name: {yaml_scalar(str(s['name']))}", f"  type: {s['type']}"]
            for k in ("role", "party", "district", "affiliation", "description"):
                if s.get(k):
                    sp_lines.append(f"  {k}: {yaml_scalar(str(s[k]))}")
            sp_lines.append("")
        new_speakers_text = _append_block(speakers_text, sp_lines[:-1])
    new_relations = _append_block(relations_text or "", rel_lines) if rel_lines else None
    remaining_text = _remove_items(draft_text, draft["drafts"], set(accepted_ids))
    remaining = len(items) - len(accepted_ids)
    return Accepted(
        claims_file=claims_rel,
        claims_text=new_claims,
        speakers_text=new_speakers_text,
        relations_text=new_relations,
        draft_text=remaining_text if remaining else "",
        accepted=tuple(accepted_ids),
        new_speakers=tuple(used_speakers),
        relations=len(rel_lines) // 4,
        dropped_relations=dropped,
        remaining=remaining,
    )


def _remove_items(text: str, items: list, ids: set[str]) -> str:
    """The draft file's text with the drafts in ``ids`` cut out by their lines (the rest kept as written)."""
    lines = text.splitlines()
    starts = [getattr(d, "line", None) for d in items]
    cut: set[int] = set()
    for k, d in enumerate(items):
        start, after = starts[k], starts[k + 1] if k + 1 < len(items) else None
        if not isinstance(d, dict) or str(d.get("id")) not in ids or start is None:
            continue
        a = start - 1
        b = (after - 1) if after else len(lines)
        if k + 1 == len(items):  # the last draft runs to the end of the list: up to the next top-level key
            for j in range(a + 1, len(lines)):
                if lines[j] and not lines[j].startswith((" ", "#", "-")):
                    b = j
                    break
        cut.update(range(a, b))
    kept = [ln for i, ln in enumerate(lines) if i not in cut]
    return "\n".join(kept).rstrip("\n") + "\n"


def without_source_claims(corpus: Corpus, source_id: str) -> Corpus:
    """The corpus without the claims quoted from ``source_id`` and the relations that touch them (for
    leave-one-source-out evaluation, and for drafting a source again)."""
    gone = {c.id for c in corpus.claims if c.source == source_id}
    rels = [r for r in corpus.relations if r.source not in gone and r.target not in gone]
    ids = {r.id for r in rels}
    rels = [r for r in rels if r.type != "undercuts" or r.target in ids]
    return replace(corpus, claims=tuple(c for c in corpus.claims if c.id not in gone), relations=tuple(rels))
