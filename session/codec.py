"""One codec for every event of the audit log: an event is a frozen dataclass that names its KIND,
and its payload follows from its fields and their types.

What it writes must never change: the store hashes every payload into the chain (session.audit),
so an old log verifies only while each event encodes to the same JSON as the day it was written.
tests/db/test_event_codec.py holds it to a log written by the hand-made encoders this replaced.

Writing, by the type of the field:

- text, whole numbers and yes/no as they are; None as null;
- an enum by its value; a datetime by `isoformat()`, in the zone it carries;
- a tuple as a list; a mapping as an object;
- a value with a JSON form of its own (`to_json` and `from_json`: VoteRule, Snapshot, Person,
  BallotInput, Totals, AgendaItem) in that form; any other dataclass by its fields.

A field's metadata (:func:`options`) may leave it out while it is None (a key added later, so
that the events written before it hash as they did) or write it with a function of its own.

Reading undoes it, and forgives what the hand-made decoders forgave: a key may be missing when its
field has a default, is optional (None) or is text ("") or a tuple (()), and text or a tuple may
be null. Anything else wrong refuses the event as unreadable, and a time without its zone as a bad
time, in the family's own refusal (:func:`decode`).
"""

from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, dataclass, fields, is_dataclass
from datetime import datetime
from enum import Enum
from types import NoneType, UnionType
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")
Encode = Callable[[Any], object]
Decode = Callable[[Any], Any]

_METADATA_KEY = "session.codec"


class Event:
    """The base of every event class: `KIND` names it in the log, its payload is derived."""

    __slots__ = ()
    KIND: ClassVar[str]

    def payload(self) -> dict[str, object]:
        return encode(self)


E = TypeVar("E", bound=Event)


@dataclass(frozen=True, slots=True)
class _Options:
    omit_none: bool = False
    encode: Encode | None = None


def options(*, omit_none: bool = False, encode: Encode | None = None) -> dict[str, object]:
    """A field's metadata for the codec: `omit_none` leaves its key out while it is None;
    `encode` writes it with that function instead of by its type."""
    return {_METADATA_KEY: _Options(omit_none, encode)}


# ---------------------------------------------------------------- the plan of a class


@dataclass(frozen=True, slots=True)
class _Field:
    name: str  # the field's name, and its key in the payload
    encode: Encode
    decode: Decode
    omit_none: bool
    missing: Callable[[], object] | None  # what a missing key reads as; None: it is required


_PLANS: dict[type, tuple[_Field, ...]] = {}


def _plan(cls: type) -> tuple[_Field, ...]:
    """How each field of `cls` is written and read, worked out once per class (counting decodes
    thousands of ballots)."""
    plan = _PLANS.get(cls)
    if plan is None:
        hints = get_type_hints(cls)
        plan = _PLANS[cls] = tuple(_field(f, hints[f.name]) for f in fields(cls))
    return plan


def _field(f: Field[Any], kind: Any) -> _Field:
    chosen = f.metadata.get(_METADATA_KEY, _Options())
    write, read = _converters(kind)
    return _Field(f.name, chosen.encode or write, read, chosen.omit_none, _when_missing(f, kind))


def _when_missing(f: Field[Any], kind: Any) -> Callable[[], object] | None:
    if f.default is not MISSING:
        default = f.default
        return lambda: default
    if f.default_factory is not MISSING:
        return f.default_factory
    if _optional(kind) is not None:
        return lambda: None
    if kind is str:
        return str
    if get_origin(kind) is tuple:
        return tuple
    return None


def _optional(kind: Any) -> Any:
    """X for `X | None`, else None."""
    if get_origin(kind) not in (Union, UnionType):
        return None
    others = [a for a in get_args(kind) if a is not NoneType]
    if len(others) != 1:
        raise TypeError(f"the codec reads no union but X | None: {kind!r}")
    return others[0]


def _converters(kind: Any) -> tuple[Encode, Decode]:
    """(write, read) for a field of type `kind`."""
    inner = _optional(kind)
    if inner is not None:
        return _or_none(*_converters(inner))
    origin = get_origin(kind)
    if origin is tuple:
        return _tuple(get_args(kind))
    if origin is Mapping or origin is dict:
        return _mapping(get_args(kind)[1])
    if kind is datetime:
        return datetime.isoformat, _read_time
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _enum_value, kind
    if kind is bool:
        return _same, _read_bool
    if kind is int:
        return _same, _read_int
    if kind is str:
        return _same, _read_text
    if hasattr(kind, "to_json") and hasattr(kind, "from_json"):
        return _own_form, kind.from_json
    if isinstance(kind, type) and is_dataclass(kind):
        return encode, lambda value: _decode_fields(kind, value)
    raise TypeError(f"the codec cannot write a {kind!r}")


# ---------------------------------------------------------------- the converters


def _same(value: object) -> object:
    return value


def _enum_value(value: Enum) -> object:
    return value.value


def _own_form(value: Any) -> object:
    return value.to_json()


def _or_none(write: Encode, read: Decode) -> tuple[Encode, Decode]:
    return (
        lambda value: None if value is None else write(value),
        lambda value: None if value is None else read(value),
    )


def _tuple(items: tuple[Any, ...]) -> tuple[Encode, Decode]:
    """`tuple[X, ...]` (any length) or `tuple[X, Y, Z]` (that many, each its own type)."""
    if len(items) == 2 and items[1] is Ellipsis:
        write, read = _converters(items[0])
        return (
            lambda value: [write(v) for v in value],
            lambda value: tuple(read(v) for v in _list(value)),
        )
    each = [_converters(item) for item in items]

    def read_fixed(value: object) -> tuple[object, ...]:
        values = _list(value)
        if len(values) != len(each):
            raise ValueError(f"expected {len(each)} items, got {value!r}")
        return tuple(read(v) for (_, read), v in zip(each, values, strict=True))

    return (lambda value: [w(v) for (w, _), v in zip(each, value, strict=True)]), read_fixed


def _list(value: object) -> list[Any] | tuple[Any, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise ValueError(f"expected a list, got {value!r}")
    return value


def _mapping(values: Any) -> tuple[Encode, Decode]:
    """A mapping with text keys."""
    write, read = _converters(values)

    def read_mapping(value: object) -> dict[str, object]:
        if not isinstance(value, dict):
            raise ValueError(f"expected an object, got {value!r}")
        return {str(k): read(v) for k, v in value.items()}

    return (lambda value: {k: write(v) for k, v in value.items()}), read_mapping


def _read_text(value: object) -> str:
    return "" if value is None else str(value)


def _read_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


def _read_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


class _BadTime(Exception):
    def __init__(self, value: object) -> None:
        super().__init__(value)
        self.value = value


def _read_time(value: object) -> datetime:
    """A time with its zone: a time without one would be read in whatever zone a terminal
    runs in."""
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        raise _BadTime(value) from None
    if at.tzinfo is None:
        raise _BadTime(value)
    return at


# ---------------------------------------------------------------- events


def encode(event: object) -> dict[str, object]:
    """The payload of an event (or of a dataclass inside one), key by field."""
    payload: dict[str, object] = {}
    for f in _plan(type(event)):
        value = getattr(event, f.name)
        if value is None and f.omit_none:
            continue
        payload[f.name] = f.encode(value)
    return payload


def _decode_fields(cls: type[T], payload: Mapping[str, Any]) -> T:
    values = {}
    for f in _plan(cls):
        if f.name in payload:
            values[f.name] = f.decode(payload[f.name])
        elif f.missing is not None:
            values[f.name] = f.missing()
        else:
            raise KeyError(f.name)
    return cls(**values)


def by_kind(*types: type[E]) -> dict[str, type[E]]:
    """Event classes by the KIND each names."""
    found: dict[str, type[E]] = {}
    for cls in types:
        if cls.KIND in found:
            raise ValueError(f"two event classes of kind {cls.KIND}")
        found[cls.KIND] = cls
    return found


def decode(
    types: Mapping[str, type[E]],
    kind: str,
    payload: Mapping[str, Any],
    refusal: Callable[..., Exception],
) -> E:
    """The event a stored (kind, payload) pair describes. Else `refusal("bad_time", value=...)`
    for a time without its zone, or `refusal("bad_event", kind=...)` for anything else: an
    unknown kind, a key missing, a value of the wrong type (a family's own refusal raised by a
    value's `from_json` included)."""
    try:
        cls = types.get(kind)
        if cls is None:
            raise KeyError(kind)
        return _decode_fields(cls, payload)
    except _BadTime as bad:
        raise refusal("bad_time", value=bad.value) from None
    except (KeyError, TypeError, ValueError, AttributeError, AssertionError):
        raise refusal("bad_event", kind=kind) from None
