"""The one exception family of argmap.

Every error a user can cause is an :class:`ArgmapError`. The CLI turns it into a message and an exit
code (1 for data and queries); the server turns it into a 400 with a JSON body.
"""

from __future__ import annotations

from pathlib import Path


class ArgmapError(Exception):
    """Base of every error argmap raises on purpose."""

    exit_code = 1


class CorpusError(ArgmapError):
    """A mistake in a debate corpus, located at ``path:line``.

    >>> str(CorpusError("claims/a.yaml", 4, "unknown stance 'against' (expected one of: pro, con, neutral)"))
    "claims/a.yaml:4: unknown stance 'against' (expected one of: pro, con, neutral)"
    """

    def __init__(self, path: str | Path | None, line: int | None, message: str):
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        super().__init__(self._format())

    def _format(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class CorpusErrors(ArgmapError):
    """Several corpus mistakes found in one pass, reported together."""

    def __init__(self, errors: list[CorpusError], *, more: int = 0):
        self.errors = errors
        self.more = more  # errors found past the ones listed (counted, not described)
        tail = [f"... and {more} more"] if more else []
        super().__init__("\n".join([*(str(e) for e in errors), *tail]))


class ValidationError(ArgmapError):
    """The graph does not conform to the SHACL shapes."""


class QueryError(ArgmapError):
    """A SPARQL query that cannot be parsed, is refused, or failed.

    ``line`` and ``column`` (1-based) locate a syntax error in the query text when known; ``kind`` says
    which: ``"syntax"``, ``"refused"`` (an update, LOAD or SERVICE), ``"timeout"``, ``"endpoint"`` or
    ``"error"``.

    >>> err = QueryError("expected '}'", line=3, column=16, kind="syntax")
    >>> str(err), err.line, err.column
    ("expected '}'", 3, 16)
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None, kind: str = "error"):
        self.message = message
        self.line = line
        self.column = column
        self.kind = kind
        super().__init__(message)


class ExportError(ArgmapError):
    """An export that cannot be made (unknown format, missing tool, bad selection)."""


class SelectionError(ArgmapError):
    """A selection (topic, stance, source, claim) that names nothing in the corpus."""


class AnalysisError(ArgmapError):
    """An analysis that cannot be run: an unknown name, a bad option or an impossible configuration."""


class UnknownAnalysis(AnalysisError):
    """An analysis name that argmap does not have; on the command line, a usage error (exit 2)."""

    exit_code = 2


class WriteError(ArgmapError):
    """A file that cannot be written: a full disk, no permission, a read-only file system. The target is
    left as it was (see :mod:`argmap.files`).

    >>> str(WriteError("map.html", OSError(28, "No space left on device")))
    'cannot write map.html: no space left on device'
    """

    def __init__(self, path: str | Path, err: OSError):
        self.path = str(path)
        self.errno = err.errno
        reason = err.strerror or str(err) or type(err).__name__
        super().__init__(f"cannot write {self.path}: {reason[:1].lower()}{reason[1:]}")


class FrameworkError(ArgmapError):
    """A mistake in an abstract argumentation framework file, located at ``path:line:column`` (1-based).

    >>> str(FrameworkError("af.apx", 3, 5, "expected arg(NAME). or att(NAME,NAME). here"))
    'af.apx:3:5: expected arg(NAME). or att(NAME,NAME). here'
    """

    def __init__(self, path: str | None, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = path, line, column, message
        where = ":".join(str(x) for x in (path, line, column) if x is not None)
        super().__init__(f"{where}: {message}" if where else message)
