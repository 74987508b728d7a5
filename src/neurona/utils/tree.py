"""Nested structures (a value, or lists, tuples and dicts of them): `flatten` and `map_structure`."""

from __future__ import annotations

from typing import Any, Callable


def flatten(structure: Any) -> list[Any]:
    """The leaves of a value or of nested lists/tuples/dicts, in order."""
    if isinstance(structure, dict):
        return [leaf for key in structure for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(fn: Callable[[Any], Any], structure: Any) -> Any:
    """Apply `fn` to every leaf, keeping the lists, tuples and dicts around them."""
    if isinstance(structure, dict):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, item) for item in structure)
    return fn(structure)
