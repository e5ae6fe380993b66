"""``derived``: a value computed from an immutable record the first time it is read.

``functools.cached_property`` does the same, but on Python 3.11 it takes a lock on every
first read; a month's pay context reads fourteen derived values per participant, and the
lock was a tenth of the pay arithmetic. Records here are never shared between threads while
they are being computed, so the lock buys nothing. (Python 3.12 dropped it.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class derived(Generic[T]):  # noqa: N801 - used as a decorator, like cached_property
    """Compute ``method(record)`` once and keep it in the record's ``__dict__``; later
    reads find it there without calling this descriptor (works on frozen dataclasses)."""

    def __init__(self, method: Callable[[Any], T]) -> None:
        self.method = method
        self.name = method.__name__
        self.__doc__ = method.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, record: None, owner: type | None = None) -> derived[T]: ...
    @overload
    def __get__(self, record: object, owner: type | None = None) -> T: ...
    def __get__(self, record: object | None, owner: type | None = None) -> T | derived[T]:
        if record is None:
            return self
        value = self.method(record)
        record.__dict__[self.name] = value
        return value
