"""Frozen records to JSON and back, so each journal step's results survive a restart.

Generic over the stage records (TextDocument, Facts, ChildSummary): a stage adding a field
does not need a matching change here. Types are read from the dataclasses' annotations.
"""

from __future__ import annotations

import base64
import dataclasses
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar, get_args, get_origin

T = TypeVar("T")


# Values that are their own JSON form (exact types: an Enum built on str or int is not one).
_AS_THEY_ARE = frozenset({str, int, float, bool, type(None)})
# The init fields of each dataclass met, by class (None: not a dataclass). A 40-page document
# is tens of thousands of small records; asking ``dataclasses`` for each one's fields again
# was most of the time its text took to turn into JSON.
_INIT_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _init_fields(cls: type) -> tuple[str, ...] | None:
    try:
        return _INIT_FIELDS[cls]
    except KeyError:
        names = (tuple(f.name for f in dataclasses.fields(cls) if f.init)
                 if dataclasses.is_dataclass(cls) else None)  # a class as a value: ``type``, not one
        _INIT_FIELDS[cls] = names
        return names


def to_jsonable(obj: Any) -> Any:
    cls = type(obj)
    if cls in _AS_THEY_ARE:
        return obj
    names = _init_fields(cls)
    if names is not None:
        return {name: to_jsonable(getattr(obj, name)) for name in names}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return {"__b64__": base64.b64encode(obj).decode()}
    if isinstance(obj, tuple | list):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def from_jsonable(tp: Any, data: Any) -> Any:  # noqa: C901 - one branch per kind of type
    if data is None:
        return None
    if tp is type(data) and tp in _AS_THEY_ARE:  # the commonest case, and its answer
        return data
    origin = get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in get_args(tp) if a is not type(None)]
        last_error: Exception | None = None
        for option in options:
            try:
                return from_jsonable(option, data)
            except (TypeError, ValueError, KeyError) as exc:
                last_error = exc
        raise ValueError(f"no type in {tp} fits {data!r}") from last_error
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_jsonable(args[0], x) for x in data)
        return tuple(from_jsonable(a, x) for a, x in zip(args, data, strict=True))
    if origin is list:
        return [from_jsonable(get_args(tp)[0], x) for x in data]
    if origin is dict:
        key_t, val_t = get_args(tp)
        return {from_jsonable(key_t, k): from_jsonable(val_t, v) for k, v in data.items()}
    if origin is not None and dataclasses.is_dataclass(origin):
        params = dict(zip(getattr(origin, "__parameters__", ()), get_args(tp), strict=False))
        return _dataclass_from(typing.cast(type, origin), data, params)
    if isinstance(tp, TypeVar):
        return data
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return _dataclass_from(tp, data, {})
        if issubclass(tp, Enum):
            return tp(data)
        if tp is datetime:
            return datetime.fromisoformat(data)
        if tp is date:
            if not isinstance(data, str):
                raise TypeError(f"not a date: {data!r}")
            return date.fromisoformat(data)
        if tp is bytes:
            return base64.b64decode(data["__b64__"])
        if tp is bool:
            if not isinstance(data, bool):
                raise TypeError(f"not a bool: {data!r}")
            return data
        if tp in (int, float, str):
            if tp is float and isinstance(data, int | float) and not isinstance(data, bool):
                return float(data)
            if not isinstance(data, tp) or isinstance(data, bool):
                raise TypeError(f"not a {tp.__name__}: {data!r}")
            return data
    return data


_INIT_TYPES: dict[type, tuple[tuple[str, Any], ...]] = {}


def _dataclass_from(cls: type, data: dict[str, Any], typevars: dict[Any, Any]) -> Any:
    fields = _INIT_TYPES.get(cls)
    if fields is None:
        hints = _hints(cls)
        fields = _INIT_TYPES[cls] = tuple((name, hints[name]) for name in _init_fields(cls) or ())
    kwargs = {}
    for name, tp in fields:
        if name in data:
            kwargs[name] = from_jsonable(_substitute(tp, typevars), data[name])
    return cls(**kwargs)


def _substitute(tp: Any, typevars: dict[Any, Any]) -> Any:
    if isinstance(tp, TypeVar):
        return typevars.get(tp, Any)
    return tp


def load(cls: type[T], data: Any) -> T:
    return typing.cast(T, from_jsonable(cls, data))
