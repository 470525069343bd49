"""Writing files whole or not at all: the one module (besides the CLI and the server) that writes files.

Every file is written to a temporary file beside its target and renamed into place, so a reader sees the old
file or the new one, never half of one; a full disk, a missing permission or a ``kill -9`` leaves the target as
it was. Temporary names say that argmap made them and which process did,
``.<name>.argmap-<pid>-<random>.tmp``, so a later write into the same folder recognises the leftovers of a
process that died and removes them (:func:`clean_stale`); nothing else is ever removed.

- :func:`write_file`: one file.
- :func:`write_files`: several files beside one another (``export csv``'s pair): all written to temporary
  files first, then renamed one after another; a failure in between puts back the files already replaced.
- :func:`write_tree`: a folder of files (``argmap synth``), staged in a temporary folder and renamed into
  place at once.

An :class:`OSError` becomes a :class:`~argmap.errors.WriteError` naming the target, e.g. ``cannot write
map.html: no space left on device``.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from argmap.errors import WriteError

Data = str | bytes | Iterable[str | bytes]
_P = TypeVar("_P", bound=str | os.PathLike[str])

#: A temporary file or folder of argmap's: ``.<name>.argmap-<pid>-<8 random letters/digits>.tmp``.
TEMP_RE = re.compile(r"^\.(?P<name>.+)\.argmap-(?P<pid>\d+)-[a-z0-9]{8}\.tmp$")
#: A leftover older than this is stale even when its process id is in use again (ids are reused).
STALE_AFTER = 24 * 3600.0


def new_file_mode(*, folder: bool = False) -> int:
    """The mode a newly made file (or folder) gets under the current umask; temporary files are made 0600,
    so they are set to this before being moved into place."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask


def temp_path(target: Path) -> Path:
    """A fresh temporary name beside ``target``, in the form :func:`clean_stale` recognises.

    >>> bool(TEMP_RE.match(temp_path(Path("out/map.html")).name))
    True
    """
    return target.parent / f".{target.name}.argmap-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process
    return True


def clean_stale(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove argmap's temporary files and folders in ``folder`` left by a process that is gone (or older
    than a day); return what was removed. Anything not named by :func:`temp_path` is left alone."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        m = TEMP_RE.match(entry.name) if entry.name.startswith(".") else None
        if m is None:
            continue
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if _alive(int(m["pid"])) and not old:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def _pieces(data: Data) -> Iterable[bytes]:
    if isinstance(data, bytes):
        yield data
    elif isinstance(data, str):
        yield data.encode("utf-8")
    else:
        batch: list[str] = []
        for piece in data:  # text pieces joined a few thousand at a time
            if isinstance(piece, bytes):
                if batch:
                    yield "".join(batch).encode("utf-8")
                    batch = []
                yield piece
                continue
            batch.append(piece)
            if len(batch) >= 4096:
                yield "".join(batch).encode("utf-8")
                batch = []
        if batch:
            yield "".join(batch).encode("utf-8")


def _write_temp(tmp: Path, data: Data, *, sync: bool) -> None:
    """Write ``data`` to the new file ``tmp`` (never an existing one), with the mode of a new file."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    with os.fdopen(fd, "wb") as fh:
        for piece in _pieces(data):
            fh.write(piece)
        fh.flush()
        if sync:
            os.fsync(fh.fileno())  # a full disk that only shows at the end shows here, before the rename
        os.chmod(tmp, new_file_mode())


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        pass


def write_file(path: str | os.PathLike[str], data: Data) -> None:
    """Write ``data`` (text, bytes, or an iterable of text pieces) to ``path`` whole or not at all.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_file(folder / "a.txt", ["one ", "two\\n"])
    >>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('one two\\n', ['a.txt'])
    """
    write_files({path: data})


def write_files(files: Mapping[_P, Data]) -> None:
    """Write several files whole or not at all: each to a temporary file beside it, and only when every one
    is written, all renamed into place. Should a rename fail, the files replaced before it are put back."""
    targets = [(Path(p), data) for p, data in files.items()]
    for folder in sorted({t.parent for t, _ in targets}):
        clean_stale(folder)
    temps: list[tuple[Path, Path]] = []
    current: Path | None = None
    try:
        for target, data in targets:
            current = target
            tmp = temp_path(target)
            temps.append((tmp, target))
            _write_temp(tmp, data, sync=True)
        current = None
        _replace_all(temps)
        for folder in sorted({t.parent for t, _ in targets}):
            _sync_folder(folder)
    except OSError as err:
        raise WriteError(current or (targets[0][0] if targets else "?"), err) from err
    finally:
        for tmp, _target in temps:
            _unlink(tmp)


def _replace_all(temps: list[tuple[Path, Path]]) -> None:
    """Rename each temporary file onto its target; on a failure, undo the renames done so far."""
    if len(temps) == 1:
        os.replace(*temps[0])
        return
    backups: dict[Path, Path | None] = {}
    for _tmp, target in temps:  # hard links to the old files, to put back
        if target.exists():
            backup = temp_path(target)
            try:
                os.link(target, backup)
            except OSError:
                backups[target] = None
            else:
                backups[target] = backup
    done: list[Path] = []
    try:
        for tmp, target in temps:
            os.replace(tmp, target)
            done.append(target)
    except BaseException:
        for target in done:
            old = backups.get(target, None)
            if old is not None:
                os.replace(old, target)
            elif target not in backups:
                _unlink(target)  # it did not exist before
        raise
    finally:
        for old in backups.values():
            if old is not None:
                _unlink(old)


def write_tree(files: Mapping[str, Data], out: str | os.PathLike[str], *, replace: bool = False) -> None:
    """Write the folder ``out`` holding ``files`` (relative path -> content) whole or not at all: staged in
    a temporary folder beside it, then renamed into place at once. An existing non-empty ``out`` is
    replaced only with ``replace`` (it is moved aside first and put back on a failure); an empty one is
    replaced. The caller checks what may be replaced."""
    path = Path(out)
    parent = path.resolve().parent
    clean_stale(parent)
    tmp = temp_path(path)
    old: Path | None = None
    current = path
    try:
        os.mkdir(tmp, 0o700)
        for rel, data in sorted(files.items()):
            target = tmp / rel
            current = path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_temp(target, data, sync=False)
        current = path
        for folder in [tmp, *sorted(p for p in tmp.rglob("*") if p.is_dir())]:
            os.chmod(folder, new_file_mode(folder=True))
        if path.is_dir() and any(path.iterdir()):
            if not replace:
                raise FileExistsError(17, "the folder is not empty", str(path))
            old = temp_path(path)
            os.replace(path, old)
        try:
            os.replace(tmp, path)  # an empty folder is replaced; the whole folder appears at once
        except BaseException:
            if old is not None and not path.exists():
                os.replace(old, path)  # put the old folder back
                old = None
            raise
        _sync_folder(parent)
    except OSError as err:
        raise WriteError(current, err) from err
    finally:
        for leftover in (tmp, old):
            if leftover is not None and leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)
