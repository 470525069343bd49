"""Helpers for speed that more than one part of argmap uses."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large structure is built.

    Loading a corpus or building a graph makes millions of objects that all live on; the collector would
    walk them again and again (each pass costs more as they accumulate) and free nothing. Reference
    counting still frees everything else at once; the collector runs again afterwards.

    >>> with paused_gc():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
