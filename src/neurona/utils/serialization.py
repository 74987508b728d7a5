"""The `{"class_name": ..., "config": ...}` form shared by regularizers, constraints and the like."""

from __future__ import annotations

from typing import Any


def serialize_object(obj: Any, base: type, kind: str) -> dict[str, Any] | None:
    """`{"class_name", "config"}` for an instance of `base`; `None` stays `None`."""
    if obj is None:
        return None
    if isinstance(obj, base):
        return {"class_name": type(obj).__name__, "config": obj.get_config()}
    raise TypeError(
        f"Cannot serialize the {kind} {obj!r}: it is not a neurona {base.__name__}. "
        f"Subclass {base.__module__}.{base.__name__} and define get_config()."
    )


def deserialize_object(config: Any, table: dict[str, type], kind: str) -> Any:
    """The object a `serialize_object` dict describes, its class looked up in `table` (Keras's dicts, with
    a `module` key, work too: the key is ignored, never imported)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"A {kind} config is a dict with a 'class_name'. Received: {config!r}")
    cls = table.get(config["class_name"])
    if cls is None:
        raise ValueError(
            f"Unknown {kind}: {config['class_name']!r} (Unknown {kind} config: {config!r}). "
            f"Valid names are: {sorted(table)}."
        )
    return cls.from_config(config.get("config") or {})
