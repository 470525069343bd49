"""`argmap annotate`: the edit mode's HTTP edge, a local page for annotating a corpus's sources.

A source's text is shown with each claim's exact quote span highlighted and the drafts of ``argmap draft``
in another style (accept / reject each); a passage selected in the text becomes a claim through a form
prefilled as ``argmap draft`` would; two claims (or a claim and a relation) become a relation. The logic is
in :mod:`argmap.sources.annotation`; this module checks requests, holds the write lock and writes through
:mod:`argmap.files`.

Security: binds 127.0.0.1 unless told otherwise, and refuses another host without ``allow_remote``
(then every request needs the access token printed at start); the ``Host`` header must name the server;
every write needs the page's per-session token (``X-Argmap-Token``); writes go only to files inside the
corpus folder; the page builds everything with ``textContent``, never markup from corpus text.

Concurrency: the page carries a version (a hash) of every file it may change; a save whose version is not
the file's current one is answered 409 and writes nothing. Saves are serialised by one lock, so two racing
saves never lose a write: the second sees the first's change and is refused.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from argmap.errors import ArgmapError, CorpusErrors
from argmap.sources import annotation as ann

LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_BODY = 200_000
ASSETS = {
    "/annotate.js": ("annotate.js", "text/javascript"),
    "/annotate.css": ("annotate.css", "text/css"),
    "/map-live.js": ("map-live.js", "text/javascript"),
}
CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


class RemoteEditRefused(ArgmapError):
    exit_code = 2


def _asset(name: str) -> str:
    return (resources.files("argmap") / "annotate_templates" / name).read_text(encoding="utf-8")


class Annotator:
    """The state of one annotation session: the corpus folder, the write lock and the tokens."""

    def __init__(self, root: str | Path, *, shacl: bool = True, access_token: str | None = None):
        self.root = Path(root)
        self.real_root = self.root.resolve()
        self.lock = threading.Lock()
        self.csrf = secrets.token_urlsafe(24)
        self.access_token = access_token
        self.shacl = shacl
        self.allowed_hosts: set[str] = set()

    # ------------------------------------------------------------ files

    def path(self, rel: str) -> Path:
        """A corpus file's path; refuses one that leads out of the corpus folder."""
        p = self.root / rel
        if not p.resolve().is_relative_to(self.real_root):
            raise ann.FormErrors({"_": f"{rel} lies outside the corpus folder; nothing is written there"})
        return p

    def read(self, rel: str) -> str | None:
        p = self.path(rel)
        return p.read_text(encoding="utf-8") if p.is_file() else None

    def versions(self, rels: list[str]) -> dict[str, str]:
        return {rel: ann.version_of(self.read(rel)) for rel in rels}

    def claims_file(self, corpus, source_id: str) -> str:
        """Where a new claim of ``source_id`` goes: the file that holds the source's last claim, else
        claims/<source>.yaml."""
        import os

        locs = [c.loc for c in corpus.claims if c.source == source_id and c.loc is not None]
        if locs:
            rel = os.path.relpath(locs[-1].path, corpus.root)
            if rel.startswith("claims") and not rel.startswith(".."):
                return rel.replace(os.sep, "/")
        return f"claims/{source_id}.yaml"

    def load(self):
        from argmap.sources.loader import load_corpus

        return load_corpus(self.root)

    def write(self, changes: list[ann.Change]) -> None:
        from argmap.files import write_files

        files = {self.path(ch.rel): ch.text for ch in changes if ch.text is not None}
        write_files(files)
        for ch in changes:
            if ch.text is None:
                self.path(ch.rel).unlink(missing_ok=True)

    # ------------------------------------------------------------ reading

    def sources(self) -> dict:
        corpus = self.load()
        from argmap.sources.loader import draft_files

        drafts = set(draft_files(self.root))
        return {
            "debate": corpus.debate.title,
            "sources": [
                {
                    "id": s.id,
                    "title": s.title,
                    "kind": s.kind,
                    "claims": sum(1 for c in corpus.claims if c.source == s.id),
                    "drafts": f"claims/{s.id}.draft.yaml" in drafts,
                }
                for s in corpus.sources
            ],
        }

    def draft_file(self, source_id: str):
        """The draft file of ``source_id`` as read (mappings that know their lines), and its text; ``(None,
        None)`` when there is none."""
        from argmap.sources.yamlio import load_yaml

        rel = f"claims/{source_id}.draft.yaml"
        text = self.read(rel)
        if text is None:
            return None, None
        data = load_yaml(self.path(rel), rel)
        return (data if isinstance(data, dict) else {}), text

    def drafts_of(self, source_id: str, text: str) -> list[dict]:
        data, _ = self.draft_file(source_id)
        if data is None:
            return []
        new_speakers = {str(s.get("id")): s for s in data.get("new_speakers") or [] if isinstance(s, dict)}
        out = []
        finder = ann.quotes.QuoteFinder(text)
        for d in data.get("drafts") or []:
            if not isinstance(d, dict):
                continue
            quote = str(d.get("quote") or "")
            spans = finder.find_all(quote) if quote else []
            occ = d.get("occurrence") or 1
            span = spans[occ - 1] if isinstance(occ, int) and 0 < occ <= len(spans) else None
            topics = d.get("topics") or []
            speaker = str(d.get("speaker") or "")
            ns = new_speakers.get(speaker)
            out.append(
                {
                    "id": str(d.get("id")),
                    "text": str(d.get("text") or ""),
                    "quote": quote,
                    "occurrence": d.get("occurrence"),
                    "stance": str(d.get("stance") or ""),
                    "topics": [str(t) for t in (topics if isinstance(topics, list) else [topics])],
                    "speaker": speaker,
                    "new_speaker": {k: str(ns.get(k) or "") for k in ("id", "name", "type", "role")} if ns else None,
                    "kind": str(d.get("kind") or ""),
                    "figures": "\n".join(_figure_line(f) for f in d.get("figures") or [] if isinstance(f, dict)),
                    "start": span[0] if span else None,
                    "end": span[1] if span else None,
                }
            )
        return out

    def draft_selection(self, source_text: str, source_id: str, did: str) -> ann.Selection:
        """The passage a draft quotes, found in the source text (its exact quote and occurrence)."""
        data, _ = self.draft_file(source_id)
        items = [d for d in (data or {}).get("drafts") or [] if isinstance(d, dict)]
        d = next((d for d in items if str(d.get("id")) == did), None)
        if d is None:
            raise ann.FormErrors({"_": f"no draft '{did}' in claims/{source_id}.draft.yaml (it was accepted or rejected)"})
        quote = " ".join(str(d.get("quote") or "").split())
        spans = ann.quotes.QuoteFinder(source_text).find_all(quote) if quote else []
        occ = d.get("occurrence")
        if not spans:
            raise ann.FormErrors({"quote": f"the draft's quote is not in the source text: {ann.shorten_repr(quote)}"})
        k = occ if isinstance(occ, int) and 0 < occ <= len(spans) else 1
        if len(spans) > 1 and occ is None:
            raise ann.FormErrors(
                {"quote": f"the draft's quote occurs {len(spans)} times; give it 'occurrence: N' in the draft file"}
            )
        start, end = spans[k - 1]
        return ann.Selection(quote=quote, start=start, end=end, occurrence=k if len(spans) > 1 else None)

    def source(self, source_id: str) -> dict:
        corpus = self.load()
        src = corpus.sources_by_id.get(source_id)
        if src is None:
            raise ann.FormErrors({"_": f"unknown source '{source_id}' (known: {', '.join(sorted(corpus.sources_by_id))})"})
        rels = sorted(
            {
                self.claims_file(corpus, source_id),
                f"claims/{source_id}.yaml",
                "relations.yaml",
                f"claims/{source_id}.draft.yaml",
                "speakers.yaml",
                "topics.yaml",
            }
        )
        return {
            "id": src.id,
            "title": src.title,
            "text": src.text,
            "versions": self.versions(rels),
            "claims": [
                {
                    "id": c.id,
                    "title": c.short_title,
                    "text": c.text,
                    "stance": c.stance,
                    "start": c.located.start,
                    "end": c.located.end,
                }
                for c in corpus.claims
                if c.source == source_id and c.located is not None
            ],
            "drafts": self.drafts_of(source_id, src.text),
            "all_claims": [
                {"id": c.id, "title": c.short_title, "source": c.source} for c in sorted(corpus.claims, key=lambda c: c.id)
            ],
            "relations": [{"id": r.id, "from": r.source, "to": r.target, "type": r.type} for r in corpus.relations],
            "topics": [{"id": t.id, "label": t.label} for t in corpus.topics],
            "speakers": [{"id": s.id, "name": s.name} for s in corpus.speakers],
            "stances": list(ann.STANCES),
            "speaker_types": list(ann.SPEAKER_TYPES),
            "kinds": list(ann.CLAIM_KINDS),
            "relation_types": list(ann.RELATION_TYPES),
        }

    def suggest(self, body: dict) -> dict:
        """The form for a selected passage, prefilled as ``argmap draft`` would."""
        from argmap.sources.draft import claim_kind, draft_id, draft_source, figures_in, neutral_text

        corpus = self.load()
        src = corpus.sources_by_id.get(str(body.get("source")))
        if src is None:
            raise ann.FormErrors({"_": "unknown source"})
        sel = ann.check_selection(src.text, body.get("start"), body.get("end"), body.get("selected"))
        best = None
        try:
            drafts = draft_source(corpus, src.id, relations=0).drafts
        except ArgmapError:
            drafts = ()
        overlap = 0
        for d in drafts:
            o = min(d.end, sel.end) - max(d.start, sel.start)
            if o > overlap:
                best, overlap = d, o
        figs = figures_in(sel.quote)
        kind, _ = claim_kind(sel.quote, figs)
        speakers = corpus.speakers_by_id
        return {
            "quote": sel.quote,
            "start": sel.start,
            "end": sel.end,
            "occurrence": sel.occurrence,
            "id": draft_id(src.id, sel.quote, set(corpus.claims_by_id)),
            "text": neutral_text(sel.quote, speaker=None, lead=None, pronoun_for=None),
            "stance": best.stance if best else "neutral",
            "topics": list(best.topics) if best else [],
            "speaker": best.speaker if best and best.speaker in speakers else "",
            "kind": kind,
            "figures": "\n".join(f"{f.value} | {f.unit}" + (f" | {f.qualifier}" if f.qualifier else "") for f, _ in figs),
        }

    # ------------------------------------------------------------ writing

    def save_claim(self, body: dict) -> dict:
        """Save the claim of a form: of a passage selected in the text (``start``, ``end``, ``selected``), or
        of a draft (``draft``: its id; the claim quotes the draft's passage exactly, and the draft leaves the
        draft file). A new speaker or topic typed into the form is written with it, in one write."""
        with self.lock:
            corpus = self.load()
            sid = str(body.get("source"))
            src = corpus.sources_by_id.get(sid)
            if src is None:
                raise ann.FormErrors({"_": f"unknown source '{sid}'"})
            rel = self.claims_file(corpus, sid)
            draft_rel = f"claims/{sid}.draft.yaml"
            did = body.get("draft")
            did = str(did) if did not in (None, "") else None
            watched = [rel, "speakers.yaml", "topics.yaml"] + ([draft_rel] if did else [])
            current = {r: self.read(r) for r in watched}
            ann.check_versions(current, body.get("versions") or {})
            if did:
                sel = self.draft_selection(src.text, sid, did)
            else:
                sel = ann.check_selection(src.text, body.get("start"), body.get("end"), body.get("selected"))
            save = ann.claim_save(corpus, sid, sel, body.get("form") or {})
            header = f"# Claims from {src.title} (source {sid}), annotated with argmap annotate.\n"
            text, line = ann.append_claim(current[rel], save.claim, header=header)
            changes = [ann.Change(rel, text, line, {"occurrence": "quote"})]
            if save.speaker is not None:
                sp_text, sp_line = ann.append_record(current["speakers.yaml"], save.speaker)
                changes.append(ann.Change("speakers.yaml", sp_text, sp_line, {k: f"new_speaker_{k}" for k in save.speaker}))
            if save.topic is not None:
                tp_text, tp_line = ann.append_record(current["topics.yaml"], save.topic)
                changes.append(ann.Change("topics.yaml", tp_text, tp_line, {k: f"new_topic_{k}" for k in save.topic}))
            if did:
                from argmap.sources.draft import _remove_items

                data, draft_text = self.draft_file(sid)
                items = data.get("drafts") or []
                rest = [d for d in items if isinstance(d, dict) and str(d.get("id")) != did]
                changes.append(ann.Change(draft_rel, _remove_items(draft_text, items, {did}) if rest else None))
            ann.check_changes(self.root, changes, shacl=self.shacl)
            self.write(changes)
            return {
                "saved": save.claim["id"],
                "file": rel,
                "new_speaker": save.speaker["id"] if save.speaker else None,
                "new_topic": save.topic["id"] if save.topic else None,
                "versions": self.versions(watched),
            }

    def save_relation(self, body: dict) -> dict:
        with self.lock:
            corpus = self.load()
            rel = "relations.yaml"
            old = self.read(rel)
            ann.check_versions({rel: old}, body.get("versions") or {})
            rec = ann.relation_record(corpus, body.get("form") or {})
            text, line = ann.append_relation(old, rec)
            change = ann.Change(rel, text, line)
            ann.check_changes(self.root, [change], shacl=self.shacl)
            self.write([change])
            return {"saved": f"{rec['from']}--{rec['type']}--{rec['to']}", "file": rel, "versions": self.versions([rel])}

    def draft_decision(self, body: dict, *, accept: bool) -> dict:
        from argmap.sources.draft import _remove_items, accept_drafts
        from argmap.sources.yamlio import load_yaml

        with self.lock:
            corpus = self.load()
            sid = str(body.get("source"))
            if sid not in corpus.sources_by_id:
                raise ann.FormErrors({"_": f"unknown source '{sid}'"})
            draft_rel, claims_rel = f"claims/{sid}.draft.yaml", f"claims/{sid}.yaml"
            current = {r: self.read(r) for r in (draft_rel, claims_rel, "relations.yaml", "speakers.yaml")}
            sent = body.get("versions") or {}
            ann.check_versions({r: current[r] for r in (draft_rel, claims_rel)}, sent)
            draft_text = current[draft_rel]
            if draft_text is None:
                raise ann.FormErrors({"_": f"{draft_rel} is gone"})
            data = load_yaml(self.path(draft_rel), draft_rel)
            did = str(body.get("id"))
            items = data.get("drafts") or []
            if did not in {str(d.get("id")) for d in items if isinstance(d, dict)}:
                raise ann.FormErrors({"_": f"no draft '{did}' in {draft_rel}"})
            if accept:
                try:
                    res = accept_drafts(
                        corpus,
                        data,
                        draft_text,
                        display=draft_rel,
                        claims_text=current[claims_rel],
                        speakers_text=current["speakers.yaml"] or "",
                        relations_text=current["relations.yaml"],
                        only=(did,),
                    )
                except CorpusErrors as errs:
                    raise ann.FormErrors({"_": "; ".join(str(e) for e in errs.errors)}) from errs
                changes = [ann.Change(claims_rel, res.claims_text)]
                if res.speakers_text is not None:
                    changes.append(ann.Change("speakers.yaml", res.speakers_text))
                if res.relations_text is not None:
                    changes.append(ann.Change("relations.yaml", res.relations_text))
                changes.append(ann.Change(draft_rel, res.draft_text or None))
                ann.check_changes(self.root, changes, shacl=self.shacl)
            else:
                rest = [d for d in items if str(d.get("id")) != did]
                changes = [ann.Change(draft_rel, _remove_items(draft_text, items, {did}) if rest else None)]
            self.write(changes)
            return {"accepted" if accept else "rejected": did, "versions": self.versions([draft_rel, claims_rel])}

    def corpus_version(self) -> str:
        """A version of the whole corpus folder (every file's name, size, modification time and inode), so a
        map page can tell that something was saved, by this page or by an editor, and reload."""
        import hashlib
        import os

        h = hashlib.sha256()
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue  # temporary files and editors' leftovers
                p = os.path.join(dirpath, name)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                h.update(f"{os.path.relpath(p, self.root)}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())
        return h.hexdigest()[:16]

    def live_map(self) -> str:
        """The debate's map as saved now, with a small script that reloads it when the corpus changes."""
        import re

        from argmap.api import Debate

        version = self.corpus_version()
        page = str(Debate(self.load()).map())  # as `argmap map` draws it, with the analysis
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
        if csp is None or "script-src " not in csp.group(1):
            raise ArgmapError("the map page has no Content-Security-Policy to extend (argmap.export.htmlmap changed)")
        policy = csp.group(1).replace("script-src ", "script-src &#x27;self&#x27; ", 1)  # html_text quoting
        policy += "; connect-src &#x27;self&#x27;"
        page = page[: csp.start(1)] + policy + page[csp.end(1) :]
        tag = f'<script src="/map-live.js" data-version="{version}"></script>\n</body>'
        return page.replace("</body>", tag, 1)


def _figure_line(f: dict) -> str:
    """A figure of a draft file as the form writes it: ``value | unit | qualifier``.

    >>> _figure_line({"value": 40, "unit": "percent", "qualifier": "about"})
    '40 | percent | about'
    """
    return " | ".join(str(f[k]) for k in ("value", "unit", "qualifier") if f.get(k) is not None)


def _host_ok(host: str | None, allowed: set[str]) -> bool:
    return host is not None and host.lower() in allowed


class _Handler(BaseHTTPRequestHandler):
    server_version = "argmap-annotate"
    annotator: Annotator  # set on the subclass made per server
    quiet = True

    def log_message(self, format, *args):  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)

    def _send(self, status: int, body: str | bytes, ctype: str, *, csp: str | None = CSP) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, obj: dict) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False), "application/json")

    def _error(self, status: int, kind: str, message: str, fields: dict | None = None) -> None:
        self._json(status, {"error": kind, "message": message, "fields": fields or {}})

    def _guard(self, query: dict) -> bool:
        a = self.annotator
        if not _host_ok(self.headers.get("Host"), a.allowed_hosts):
            self._error(403, "host", "the Host header does not name this server (a DNS-rebinding guard)")
            return False
        if a.access_token is not None:
            given = self.headers.get("X-Argmap-Access") or (query.get("token") or [""])[0]
            if not hmac.compare_digest(given.encode(), a.access_token.encode()):
                self._error(403, "access", "this server needs the access token printed when it started (?token=...)")
                return False
        return True

    def do_GET(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if not self._guard(query):
            return
        a = self.annotator
        try:
            if url.path == "/":
                page = _asset("annotate.html").replace("{{TOKEN}}", a.csrf)
                return self._send(200, page, "text/html")
            if url.path == "/map":  # the debate's map as it is now, reloading on a save (its own CSP)
                return self._send(200, a.live_map(), "text/html", csp=None)
            if url.path == "/api/version":
                return self._json(200, {"version": a.corpus_version()})
            if url.path in ASSETS:
                name, ctype = ASSETS[url.path]
                return self._send(200, _asset(name), ctype)
            if url.path == "/api/sources":
                return self._json(200, a.sources())
            if url.path == "/api/source":
                return self._json(200, a.source((query.get("id") or [""])[0]))
        except ann.FormErrors as err:
            return self._error(400, "invalid", str(err), err.errors)
        except CorpusErrors as err:
            return self._error(400, "corpus", str(err))
        self._error(404, "not-found", f"no page at {url.path}")

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if not self._guard(urllib.parse.parse_qs(url.query)):
            return
        a = self.annotator
        token = self.headers.get("X-Argmap-Token") or ""
        if not hmac.compare_digest(token.encode(), a.csrf.encode()):
            return self._error(403, "token", "a write needs the page's session token (reload the page)")
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            return self._error(415, "media-type", "send application/json")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            return self._error(413, "too-large", f"a request body may hold at most {MAX_BODY} bytes")
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except ValueError as err:
            return self._error(400, "json", f"the body is not a JSON object: {err}")
        routes = {
            "/api/suggest": a.suggest,
            "/api/claim": a.save_claim,
            "/api/relation": a.save_relation,
            "/api/draft/accept": lambda b: a.draft_decision(b, accept=True),
            "/api/draft/reject": lambda b: a.draft_decision(b, accept=False),
        }
        fn = routes.get(url.path)
        if fn is None:
            return self._error(404, "not-found", f"no endpoint at {url.path}")
        try:
            return self._json(200, fn(body))
        except ann.StaleVersion as err:
            return self._error(409, "stale", str(err))
        except ann.FormErrors as err:
            return self._error(400, "invalid", str(err), err.errors)
        except ArgmapError as err:
            return self._error(400, "error", str(err))


class AnnotateServer(ThreadingHTTPServer):
    server_address: tuple[str, int]  # an AF_INET server's (typeshed: any socket address)


def make_annotate_server(
    root: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    allow_remote: bool = False,
    shacl: bool = True,
    verbose: bool = False,
) -> tuple[AnnotateServer, Annotator]:
    """The annotation server for the corpus in ``root`` (not started: call ``serve_forever``).

    A host other than loopback is refused without ``allow_remote``; with it, an access token is made
    (``annotator.access_token``) that every request must carry.
    """
    remote = host not in LOOPBACK
    if remote and not allow_remote:
        raise RemoteEditRefused(
            f"--host {host}: the edit mode writes the corpus, so it binds only to loopback (127.0.0.1); "
            "give --allow-remote-edit to serve it on another host (an access token is then required)"
        )
    annotator = Annotator(root, shacl=shacl, access_token=secrets.token_urlsafe(24) if remote else None)
    handler = type("Handler", (_Handler,), {"annotator": annotator, "quiet": not verbose})
    server = AnnotateServer((host, port), handler)
    server.daemon_threads = True
    bound = server.server_address[1]
    names = {"127.0.0.1", "localhost", "[::1]"} | ({host} if remote else set())
    annotator.allowed_hosts = {f"{n}:{bound}" for n in names} | (set() if bound != 80 else names)
    return server, annotator
