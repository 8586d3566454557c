"""Keeping the answers of pure functions of short texts.

The field extractors and the summaries ask the same small questions about the same names,
lines and headings again and again (on the benchmark's mixed corpus, ``clean_name`` was asked
10,248 times about 450 texts). The service and its batch workers live for days, so such a
cache must not keep a document alive: a text longer than ``longest`` is answered afresh and
never stored, and at most ``maxsize`` answers are kept.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# Names, lines, sentences and headings are well under this; a document's text is far over it.
SHORT_TEXT = 2_000


class ShortTextMemo(Generic[P, R]):
    """``fn`` with its answers for short first arguments kept (an LRU of ``maxsize``).

    Only for pure functions whose answers are immutable: every caller gets the same object."""

    __wrapped__: Callable[Concatenate[str, P], R]  # ``fn`` uncached (set by ``update_wrapper``)

    def __init__(self, fn: Callable[Concatenate[str, P], R], maxsize: int, longest: int) -> None:
        self._lru = functools.lru_cache(maxsize=maxsize)(fn)
        self._cached: Callable[Concatenate[str, P], R] = self._lru  # the same arguments, kept
        self._longest = longest
        functools.update_wrapper(self, fn)

    def __call__(self, text: str, *args: P.args, **kwargs: P.kwargs) -> R:
        if len(text) > self._longest:
            return self.__wrapped__(text, *args, **kwargs)
        return self._cached(text, *args, **kwargs)

    def cache_info(self) -> functools._CacheInfo:
        return self._lru.cache_info()

    def cache_clear(self) -> None:
        self._lru.cache_clear()


def short_text_memo(maxsize: int, longest: int = SHORT_TEXT
                    ) -> Callable[[Callable[Concatenate[str, P], R]], ShortTextMemo[P, R]]:
    """Decorator: see ``ShortTextMemo``."""
    def wrap(fn: Callable[Concatenate[str, P], R]) -> ShortTextMemo[P, R]:
        return ShortTextMemo(fn, maxsize, longest)
    return wrap
