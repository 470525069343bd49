"""Write faults (issue 19, items 8 and 9): a full disk, a process killed at its first write, a pair of files
that must change together. A failing write prints one line, exits 1 and leaves every target as it was; a
killed writer's temporary file is recognised and removed by the next write."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from argmap.cli import main

ROOT = Path(__file__).parent.parent
MINI = Path(__file__).parent / "data" / "mini"


# ---------------------------------------------------------------- a full disk (a small tmpfs, filled up)


@pytest.fixture
def full_disk(tmp_path):
    """A folder on a file system with no space left, holding an old output file and the filler."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a full disk is made with a tmpfs mount, which needs root")
    mnt = tmp_path / "full"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        (mnt / "old.html").write_text("previous map\n")
        with open(mnt / "filler", "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(b"\0" * 512)
            except OSError as err:
                assert err.errno == errno.ENOSPC
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def after(mnt: Path) -> dict[str, str]:
    return {p.name: ("" if p.name == "filler" else p.read_text()) for p in mnt.iterdir()}


FULL_DISK_COMMANDS = {
    "map": ["map", "--corpus", str(MINI), "--out", "{d}/old.html"],
    "map-new": ["map", "--corpus", str(MINI), "--out", "{d}/new.html"],
    "build": ["build", "--corpus", str(MINI), "--out", "{d}/g.ttl"],
    "build-nt": ["build", "--corpus", str(MINI), "--format", "nt", "--out", "{d}/g.nt"],
    "export-png": ["export", "png", "--corpus", str(MINI), "--out", "{d}/m.png"],
    "export-csv-folder": ["export", "csv", "--corpus", str(MINI), "--out", "{d}/tables"],
    "export-csv-pair": ["export", "csv", "--corpus", str(MINI), "--out", "{d}/t.csv"],
    "synth": ["synth", "--claims", "30", "--out", "{d}/synth"],
}


@pytest.mark.parametrize("name", list(FULL_DISK_COMMANDS))
def test_a_full_disk_is_one_line_and_leaves_nothing(full_disk, name):
    if name == "export-png" and not shutil.which("dot"):
        pytest.skip("export png needs Graphviz's dot")
    args = [a.replace("{d}", str(full_disk)) for a in FULL_DISK_COMMANDS[name]]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"error: cannot write {full_disk}/") and lines[0].endswith(": no space left on device")
    assert after(full_disk) == {"old.html": "previous map\n", "filler": ""}


# ---------------------------------------------------------------- kill -9 at the first write

KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from argmap.cli import main

    real_replace = os.replace

    def killed(src, dst, *a, **k):  # the file is written whole; the process dies before the rename
        os.kill(os.getpid(), signal.SIGKILL)

    os.replace = killed
    main({args!r})
    """
)


def killed_run(args: list[str]) -> int:
    code = KILLED_WRITER.format(root=str(ROOT), args=args)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True).returncode


@pytest.mark.parametrize(
    "args_for",
    [
        lambda d: ["build", "--corpus", str(MINI), "--out", str(d / "g.ttl")],
        lambda d: ["export", "csv", "--corpus", str(MINI), "--out", str(d / "t.csv")],
        lambda d: ["synth", "--claims", "20", "--out", str(d / "synth")],
    ],
    ids=["build", "csv-pair", "synth"],
)
def test_a_killed_writers_temporary_file_is_removed_by_the_next_write(tmp_path, args_for):
    out = tmp_path / "out"
    out.mkdir()
    args = args_for(out)
    assert killed_run(args) == -9
    left = sorted(p.name for p in out.iterdir())
    assert left and all(name.startswith(".") and name.endswith(".tmp") for name in left), left
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], sorted(p.name for p in out.iterdir())


def test_a_live_writers_temporary_file_is_left_alone(tmp_path):
    from argmap.files import clean_stale

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".g.ttl.argmap-{sleeper.pid}-abcd1234.tmp"
        live.write_text("being written")
        dead = tmp_path / ".g.ttl.argmap-999999999-abcd1234.tmp"
        dead.write_text("left by a killed process")
        mine = tmp_path / ".g.ttl.1a2b3c4d.tmp"  # not argmap's name: never touched
        mine.write_text("someone else's")
        assert clean_stale(tmp_path) == [dead]
        assert live.exists() and mine.exists() and not dead.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


# ---------------------------------------------------------------- the csv pair changes together


def test_a_failed_rename_of_the_second_table_puts_the_first_back(tmp_path, monkeypatch):
    from argmap import files

    out = tmp_path / "t.csv"
    assert CliRunner().invoke(main, ["export", "csv", "--corpus", str(MINI), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real = os.replace
    calls = []

    def second_fails(src, dst):
        calls.append(dst)
        if len([c for c in calls if str(c).endswith(".csv")]) == 2 and str(dst).endswith(".csv"):
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", second_fails)
    result = CliRunner().invoke(main, ["export", "csv", "--corpus", str(MINI), "--stance", "pro", "--out", str(out)])
    assert result.exit_code == 1 and "input/output error" in result.output, result.output
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_write_error_names_the_target_not_the_temporary_file(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("root writes into a read-only folder; the full-disk tests cover this path")
        result = CliRunner().invoke(main, ["build", "--corpus", str(MINI), "--out", str(ro / "g.ttl")])
        assert result.exit_code == 1
        assert f"error: cannot write {ro / 'g.ttl'}: permission denied" in result.output
    finally:
        ro.chmod(0o700)


def test_writing_standard_output_to_a_full_disk_is_one_line(full_disk):
    with open(full_disk / "out.ttl", "wb") as fh:
        done = subprocess.run(
            [sys.executable, "-m", "argmap", "build", "--corpus", str(MINI)], cwd=ROOT, stdout=fh, stderr=subprocess.PIPE
        )
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "Traceback" not in err and "error: cannot write standard output: no space left on device" in err, err


def test_one_module_writes_files():
    """Only argmap/files.py (and the server) open files for writing; the CLI and the store go through it."""
    import re

    pattern = re.compile(r"write_text\(|write_bytes\(|mkstemp|mkdtemp|open\([^)]*['\"][wa]b?['\"]|os\.replace\(")
    offenders = []
    for path in sorted((ROOT / "argmap").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in ("argmap/files.py", "argmap/server.py"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and not line.lstrip().startswith((">>>", "#")):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []
