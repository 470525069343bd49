"""Damaged and contended persistent stores (issue 19, items 6 and 7).

The store is a cache: a damaged one is rebuilt (with a note on stderr) or refused with one line, never
answered from; concurrent first builds wait for one another; readers open it read-only and get the old or
the new store while it is rebuilt."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from argmap.cli import main
from argmap.graph.store import META_FILE, persistent_store, store_info

ROOT = Path(__file__).parent.parent
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["query", COUNT, "-f", "csv", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def built(tmp_path, mini):
    folder = tmp_path / "store"
    code, out, _err = count(["--store", str(folder), "--corpus", str(mini)])
    assert code == 0
    return folder, out


def data_dir(folder: Path) -> Path:
    return folder / getattr(store_info(folder), "data", "oxigraph")  # format 1 (before issue 19): always "oxigraph"


def zero(path: Path) -> None:
    path.write_bytes(b"\0" * path.stat().st_size)


DAMAGE = {
    "data-folder-deleted": lambda d: shutil.rmtree(d),
    "current-deleted": lambda d: (d / "CURRENT").unlink(),
    "manifest-garbage": lambda d: next(d.glob("MANIFEST-*")).write_bytes(b"garbage\n"),
    "manifest-zeroed": lambda d: zero(next(d.glob("MANIFEST-*"))),
    "tables-zeroed": lambda d: list(map(zero, d.glob("*.sst"))),
    "a-table-deleted": lambda d: sorted(d.glob("*.sst"))[0].unlink(),
}


@pytest.mark.parametrize("with_corpus", [True, False], ids=["with-corpus", "store-only"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_store_is_rebuilt_and_says_so(built, mini, damage, with_corpus):
    folder, good = built
    DAMAGE[damage](data_dir(folder))
    args = ["--store", str(folder), *(["--corpus", str(mini)] if with_corpus else [])]
    code, out, err = count(args)
    assert code == 0, err
    assert out == good  # the whole graph, not an empty answer
    assert f"note: the store in {folder} is damaged (" in err and "rebuilding it" in err
    assert "Traceback" not in err
    code, out, err = count(args)  # and sound from then on
    assert (code, out, err) == (0, good, "")


def test_a_damaged_store_without_a_known_corpus_is_one_line(built):
    folder, _good = built
    (folder / META_FILE).write_text("{garbage", encoding="utf-8")
    code, out, err = count(["--store", str(folder)])
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        f"error: the store in {folder} is damaged (its record {META_FILE} cannot be read) and its corpus is not "
        "known; give --corpus DIR to rebuild it, or delete the folder"
    ]


def test_a_store_whose_corpus_is_gone_is_one_line(built, mini):
    folder, _good = built
    shutil.rmtree(data_dir(folder))
    shutil.rmtree(mini)
    code, _out, err = count(["--store", str(folder)])
    assert code == 1 and "Traceback" not in err
    assert "is damaged (its data folder" in err and f"its corpus {mini} is gone; give --corpus DIR" in err


def test_an_emptied_store_is_not_answered_from(built, mini):
    """A data folder replaced by an empty store (opens fine, answers nothing): rebuilt, not answered from."""
    import pyoxigraph as ox

    folder, good = built
    shutil.rmtree(data_dir(folder))
    ox.Store(str(data_dir(folder))).flush()
    for args in (["--corpus", str(mini)], []):
        code, out, err = count(["--store", str(folder), *args])
        assert code == 0 and out == good and "it holds no triples, not the" in err, err
        shutil.rmtree(data_dir(folder))
        ox.Store(str(data_dir(folder))).flush()


# ---------------------------------------------------------------- concurrent builds and readers

QUERY_PROCESS = [sys.executable, "-m", "argmap", "query", COUNT, "-f", "csv", "--store"]


def test_concurrent_first_builds_wait_for_one_another(tmp_path, mini):
    folder = tmp_path / "store"
    procs = [
        subprocess.Popen(
            [*QUERY_PROCESS, str(folder), "--corpus", str(mini)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(6)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        results.append((p.returncode, out.decode(), err.decode()))
    assert all(code == 0 for code, _o, _e in results), results
    assert len({out for _c, out, _e in results}) == 1 and results[0][1].startswith("n\r\n")
    assert sum("built store" in err for _c, _o, err in results) == 1, results  # one built, the others read it
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        META_FILE,
        getattr(store_info(folder), "data", "oxigraph"),
    ]


READER = """
import sys
sys.path.insert(0, {root!r})
from argmap.graph.store import open_read_only
seen = set()
for _ in range({n}):
    seen.add(len(open_read_only({folder!r})))
print(sorted(seen))
"""


def test_readers_of_a_store_being_rebuilt_get_the_old_or_the_new(tmp_path, mini):
    folder = tmp_path / "store"
    store, old, _built = persistent_store(folder, mini)
    del store
    reader = subprocess.Popen(
        [sys.executable, "-c", READER.format(root=str(ROOT), n=300, folder=str(folder))],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    sizes = set()
    for i in range(4):  # rebuild again and again while the reader reads
        relations = mini / "relations.yaml"
        relations.write_text(relations.read_text() + f"# change {i}\n")
        store, info, built = persistent_store(folder, mini, with_analysis=i % 2 == 1)
        assert built
        sizes.add(info.triples)
        del store
    out, err = reader.communicate(timeout=300)
    assert reader.returncode == 0, err.decode()
    seen = set(json.loads(out))
    assert seen and seen <= sizes | {old.triples}, (seen, sizes)


def test_a_reader_opens_the_store_read_only(built):
    """Opening changes nothing in the store folder (a read-write open of RocksDB writes a new MANIFEST)."""
    folder, _good = built
    before = sorted((p.relative_to(folder).as_posix(), p.stat().st_size) for p in folder.rglob("*") if p.is_file())
    for _ in range(3):
        assert count(["--store", str(folder)])[0] == 0
    after = sorted((p.relative_to(folder).as_posix(), p.stat().st_size) for p in folder.rglob("*") if p.is_file())
    assert after == before
