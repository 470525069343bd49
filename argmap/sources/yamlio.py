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


_MAP = "tag:yaml.org,2002:map"
_RESOLVED: dict[str, str] = {}  # the tag of a short plain scalar, as the resolver found it
_SEQ = "tag:yaml.org,2002:seq"


class _Loader(_Base):
    path: str = "<yaml>"

    # The first characters of a plain scalar that some implicit resolver (bool, int, float, null, merge, ...)
    # may claim; a plain scalar starting with any other character is a string without trying each pattern.
    _claimed = frozenset(_Base.yaml_implicit_resolvers)
    _wildcard = None in _Base.yaml_implicit_resolvers  # a resolver for any first character: none by default

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or self._wildcard:
            return super().resolve(kind, value, implicit)
        if not implicit[0] or (value and value[0] not in self._claimed):
            return _STR  # quoted, or plain text no resolver matches: what the resolver would say
        # a plain scalar's tag depends on its text alone: keys and choices (text, to, true, con) recur
        tag = _RESOLVED.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= 32 and len(_RESOLVED) < 4096:
                _RESOLVED[value] = tag
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # no path resolvers are registered: nothing to track for each node

    def ascend_resolver(self) -> None:
        pass

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A string is its node's value (what PyYAML's constructor returns after its bookkeeping, which took
        # a quarter of the time of reading a large corpus); everything else goes the usual way.
        if type(node) is yaml.ScalarNode and node.tag == _STR:
            return node.value
        return super().construct_object(node, deep)

    def build(self, node: yaml.Node) -> Any:
        """The data of a composed ``node``: what ``construct_object(node, deep=True)`` gives, with plain
        mappings, lists and strings made here directly (PyYAML's constructor machinery, one generator and
        several lookups per node, was a third of the time of reading a corpus). A node reached twice (an
        alias) gives the same object, and one that holds itself is an error, as in PyYAML."""
        t = type(node)
        if t is yaml.ScalarNode and node.tag == _STR:
            return node.value
        memo = self.constructed_objects
        if node in memo:
            return memo[node]
        if t is yaml.MappingNode and node.tag == _MAP:
            self._enter(node)
            m = YMap()
            m.line = node.start_mark.line + 1
            lines: dict = {}
            m.key_lines = lines
            for k_node, v_node in node.value:
                if type(k_node) is yaml.ScalarNode and k_node.tag == _STR:
                    key = k_node.value
                elif k_node.tag in _MERGING:  # merge keys: the usual way, which flattens them
                    del self.recursive_objects[node]
                    return self.construct_object(node, deep=True)
                else:
                    key = self.build(k_node)
                _check_key(self.path, k_node, key, lines)
                m[key] = v_node.value if type(v_node) is yaml.ScalarNode and v_node.tag == _STR else self.build(v_node)
                lines[key] = k_node.start_mark.line + 1
            del self.recursive_objects[node]
            memo[node] = m
            return m
        if t is yaml.SequenceNode and node.tag == _SEQ:
            self._enter(node)
            items = [n.value if type(n) is yaml.ScalarNode and n.tag == _STR else self.build(n) for n in node.value]
            del self.recursive_objects[node]
            memo[node] = items
            return items
        return self.construct_object(node, deep=True)

    def _enter(self, node: yaml.Node) -> None:
        if node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(None, None, "found unconstructable recursive node", node.start_mark)
        self.recursive_objects[node] = None


_MERGING = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


def _check_key(path: Any, k_node: yaml.Node, key: object, lines: dict) -> None:
    """A mapping key must be plain text and appear once (``lines``: the line of each key seen so far)."""
    if not isinstance(key, (str, int, float, bool)) and key is not None:
        raise CorpusError(path, k_node.start_mark.line + 1, "a mapping key must be plain text")
    if key in lines:
        raise CorpusError(
            path, k_node.start_mark.line + 1, f"duplicate key '{key}' (first at line {lines[key]}); each key may appear once"
        )


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> YMap:
    loader.flatten_mapping(node)
    m = YMap()
    m.line = node.start_mark.line + 1
    m.key_lines = {}
    for k_node, v_node in node.value:
        key = loader.construct_object(k_node, deep=True)
        _check_key(loader.path, k_node, key, m.key_lines)
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
        node = loader.get_single_node()
        return None if node is None else loader.build(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = err.problem or err.context or "invalid YAML"
        raise CorpusError(display, line, f"not valid YAML: {problem}") from err
    except yaml.YAMLError as err:
        raise CorpusError(display, None, f"not valid YAML: {err}") from err
    finally:
        loader.dispose()
