"""Reading YAML so that every mapping remembers the line it starts on and the line of each key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from argmap.errors import CorpusError

try:  # the C parser is several times faster; the constructor stays Python so marks are kept
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeLoader  # type: ignore[misc,assignment]  # another class than CSafeLoader, the same interface


class YMap(dict):
    """A dict read from YAML, with ``line`` (1-based) and ``key_lines`` for each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


_STR = "tag:yaml.org,2002:str"


class _Loader(_Base):
    path: str = "<yaml>"

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A string is its node's value (what PyYAML's constructor returns after its bookkeeping, which took
        # a quarter of the time of reading a large corpus); everything else goes the usual way.
        if type(node) is yaml.ScalarNode and node.tag == _STR:
            return node.value
        return super().construct_object(node, deep)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> YMap:
    loader.flatten_mapping(node)
    m = YMap()
    m.line = node.start_mark.line + 1
    m.key_lines = {}
    for k_node, v_node in node.value:
        key = loader.construct_object(k_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise CorpusError(loader.path, k_node.start_mark.line + 1, "a mapping key must be plain text")
        if key in m:
            raise CorpusError(
                loader.path,
                k_node.start_mark.line + 1,
                f"duplicate key '{key}' (first at line {m.key_lines[key]}); each key may appear once",
            )
        m[key] = loader.construct_object(v_node, deep=True)
        m.key_lines[key] = k_node.start_mark.line + 1
    return m


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Dates stay text: the corpus checks them itself and reports a clear error.
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 text file; a file that is not UTF-8 is a :class:`CorpusError` at its line."""
    try:
        data = path.read_bytes()
    except OSError as err:
        reason = err.strerror or str(err)
        raise CorpusError(display, None, f"cannot be read: {reason[:1].lower()}{reason[1:]}") from err
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise CorpusError(
            display,
            line,
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at column {col}); save the file as UTF-8",
        ) from err
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def load_yaml(path: Path, display: str) -> Any:
    """Parse one YAML file; syntax errors become a :class:`CorpusError` naming file:line. A file that
    holds nothing (empty, only whitespace or only comments) gives None."""
    text = read_text(path, display)
    if not text.strip():
        return None  # tabs alone are a YAML syntax error; an empty file is reported as one
    loader = _Loader(text)
    loader.path = display
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = err.problem or err.context or "invalid YAML"
        raise CorpusError(display, line, f"not valid YAML: {problem}") from err
    except yaml.YAMLError as err:
        raise CorpusError(display, None, f"not valid YAML: {err}") from err
    finally:
        loader.dispose()
