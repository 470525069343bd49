"""argmap.perf: the speed helpers give exactly what the slower standard routes give."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argmap.perf import json_indented

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=40,
)


@given(values)
def test_json_indented_is_json_dumps_indent_2(value):
    assert json_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_json_indented_special_floats_and_lists_of_ids():
    value = {"x": [math.inf, -math.inf, 0.1], "ids": ["a", "é", 'q"'], 1: {}, None: [], 2.5: True}
    assert json_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("bad", [{"a": {1, 2}}, {(1, 2): "tuple key"}, [object()]])
def test_json_indented_refuses_what_json_refuses(bad):
    with pytest.raises(TypeError):
        json.dumps(bad)
    with pytest.raises(TypeError):
        json_indented(bad)
