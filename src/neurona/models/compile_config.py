"""The compile settings as data: what `model.compile(...)` received, written to and read from a config.

Strings stay strings; `Loss`/`Metric`/`Optimizer` objects become `{"class_name", "config"}` entries that
resolve through the closed registry; functions are saved by name only if they are neurona's own or
registered by the user (`neurona.saving.register_keras_serializable`), otherwise saving fails with a
message saying how to register them.
"""

from __future__ import annotations

from typing import Any

from ..losses import Loss
from ..metrics import Metric
from ..saving import registry
from ..saving.limits import ModelFileError
from ..saving.serialization import deserialize_keras_object, serialize_function, serialize_keras_object


def _serialize(value: Any, what: str, base: type) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_serialize(item, what, base) for item in value]
    if isinstance(value, dict):
        return {str(key): _serialize(item, what, base) for key, item in value.items()}
    if isinstance(value, base):
        entry = serialize_keras_object(value)
        if "_base_name" in vars(value):  # a metric renamed after its output by compile
            entry["config"]["name"] = value._base_name
        return entry
    if callable(value):
        return serialize_function(value, f"{what} function")
    raise ValueError(
        f"Cannot save the {what} {value!r}: expected a name, a neurona {base.__name__} or a function."
    )


def get_compile_config(model: Any) -> dict[str, Any] | None:
    """The arguments `compile` received, as data (None if the model was never compiled)."""
    if not getattr(model, "compiled", False):
        return None
    args = model._compile_args
    return {
        "optimizer": serialize_keras_object(model.optimizer),
        "loss": _serialize(args.get("loss"), "loss", Loss),
        "loss_weights": serialize_keras_object(args.get("loss_weights")),
        "metrics": _serialize(args.get("metrics"), "metric", Metric),
        "weighted_metrics": _serialize(args.get("weighted_metrics"), "metric", Metric),
    }


def _deserialize(value: Any, category: str, custom_objects: dict[str, Any] | None) -> Any:
    if isinstance(value, str):
        user = registry.get_registered_object(value, custom_objects)
        if user is None and ">" in value:
            raise ModelFileError(
                f"The compile settings name the {category} {value!r}, which is not registered. Import the code "
                f"that registers it, or pass custom_objects={{'{value}': your_function}}."
            )
        return registry.resolve_function(value, category, custom_objects) if user is not None else value
    if isinstance(value, list):
        return [_deserialize(item, category, custom_objects) for item in value]
    if isinstance(value, dict) and "class_name" in value:
        return deserialize_keras_object(value, category, custom_objects)
    if isinstance(value, dict):
        return {key: _deserialize(item, category, custom_objects) for key, item in value.items()}
    if value is None:
        return None
    raise ModelFileError(f"Invalid {category} entry {value!r} in the compile settings.")


def compile_from_config(model: Any, config: Any, custom_objects: dict[str, Any] | None = None) -> None:
    """Compile `model` with the settings `get_compile_config` saved."""
    if not isinstance(config, dict):
        raise ModelFileError(f"The compile settings must be a dict. Received: {type(config).__name__}")
    unknown = set(config) - {"optimizer", "loss", "loss_weights", "metrics", "weighted_metrics"}
    if unknown:
        raise ModelFileError(f"Unknown keys in the compile settings: {sorted(unknown)}")
    optimizer = config.get("optimizer")
    if isinstance(optimizer, dict):
        optimizer = deserialize_keras_object(optimizer, "optimizer", custom_objects)
    elif not isinstance(optimizer, str):
        raise ModelFileError(f"Invalid optimizer {optimizer!r} in the compile settings.")
    model.compile(
        optimizer=optimizer,
        loss=_deserialize(config.get("loss"), "loss", custom_objects),
        loss_weights=config.get("loss_weights"),
        metrics=_deserialize(config.get("metrics"), "metric", custom_objects),
        weighted_metrics=_deserialize(config.get("weighted_metrics"), "metric", custom_objects),
    )
