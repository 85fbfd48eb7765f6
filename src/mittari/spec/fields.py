"""The field names of the contract format, walked from the models (for hints and docs)."""

from __future__ import annotations

import types
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from mittari.spec.models import ContractModel


def fields_at(loc: Sequence[str | int]) -> tuple[str, ...]:
    """The YAML keys allowed in the mapping at `loc` of a contract document (() if none)."""
    shape: Any = ContractModel
    for part in loc:
        shape = _strip(shape)
        if _is_model(shape):
            found = [f.annotation for f in shape.model_fields.values() if f.alias == part]
            if not found:
                return ()
            shape = found[0]
        else:
            shape = _element(shape)
    shape = _strip(shape)
    return tuple(_aliases(shape)) if _is_model(shape) else ()


def all_field_paths() -> list[str]:
    """Every field of the format as a dotted path; `*` stands for a name or list item."""
    return list(_paths(ContractModel, ""))


def _paths(model: type[BaseModel], prefix: str) -> Iterator[str]:
    for field in model.model_fields.values():
        path = f"{prefix}{field.alias}"
        yield path
        shape = _strip(field.annotation)
        while not _is_model(shape) and get_origin(shape) in (dict, tuple, list):
            shape, path = _strip(_element(shape)), f"{path}.*"
        if _is_model(shape):
            yield from _paths(shape, f"{path}.")


def _aliases(model: type[BaseModel]) -> Iterator[str]:
    return (str(f.alias) for f in model.model_fields.values())


def _is_model(shape: Any) -> bool:
    return isinstance(shape, type) and issubclass(shape, BaseModel)


def _strip(shape: Any) -> Any:
    """The type inside Annotated[...] and Optional[...]."""
    while True:
        origin = get_origin(shape)
        if origin is Annotated:
            shape = get_args(shape)[0]
        elif origin in (Union, types.UnionType):
            shape = next(a for a in get_args(shape) if a is not type(None))
        else:
            return shape


def _element(shape: Any) -> Any:
    """The value type of dict[K, V], or the item type of tuple[X, ...] / list[X]."""
    origin, args = get_origin(shape), get_args(shape)
    if origin is dict:
        return args[1]
    if origin in (tuple, list):
        return args[0]
    return None
