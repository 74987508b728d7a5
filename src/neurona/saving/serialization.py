"""Objects to configs and back, by class name through the closed registry (`registry.py`).

`serialize_keras_object(obj)` gives `{"class_name": ..., "config": ...}` (plus `"registered_name":
"Package>Name"` for registered classes); `deserialize_keras_object(config, category)` resolves the
class with `registry.resolve_class` and calls its `from_config`. Any failure while rebuilding an object
from a file becomes a `ModelFileError`.
"""

from __future__ import annotations

import inspect
from typing import Any

from .. import activations, losses, metrics
from . import registry
from .limits import ModelFileError

_FUNCTION_KEYS = ("activation", "recurrent_activation", "fn")
_REBUILD_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


def _builtin_name(obj: Any, category: str) -> str | None:
    for name, fn in registry.builtin_functions(category).items():
        if fn is obj:
            return name
    return None


def serialize_function(fn: Any, what: str) -> str:
    """A function as the name a file may hold: a neurona function's name, or a registered name."""
    registered = registry.registered_name_of(fn)
    if registered is not None:
        return registered
    for category in ("activation", "loss", "metric"):
        name = _builtin_name(fn, category)
        if name is not None:
            return name
    name = getattr(fn, "__name__", repr(fn))
    raise ValueError(
        f"Cannot save the {what} `{name}`: it is a Python function, and a model file holds data, never code. "
        "Decorate it with @neurona.saving.register_keras_serializable() (then load with that code imported, "
        "or pass custom_objects), use a neurona name or class instead, or save only the weights with "
        "model.save_weights('model.weights.npz')."
    )


def class_name_of(obj: Any) -> str:
    """The name under which `obj`'s class resolves again.

    neurona's classes and registered classes resolve by themselves. Another user class is saved under its
    class name (loading it then needs `custom_objects` or registration), unless that name is a neurona
    class's (it would load as the wrong class) or the object is a model (subclassed models need
    registration, so that a file never pairs a config with a class the loader cannot check).
    """
    cls = type(obj)
    if registry.registered_name_of(cls) is not None:
        return cls.__name__
    name = getattr(obj, "_config_class_name", None) or cls.__name__
    builtins = [registry.builtin_classes(category).get(name) for category in registry.CATEGORIES]
    if cls in builtins:
        return name
    model_class = registry.builtin_classes("layer").get("Model")
    if model_class is not None and isinstance(obj, model_class):
        raise ValueError(
            f"Cannot save the subclassed model '{getattr(obj, 'name', name)}' (class {cls.__name__}) whole: its "
            "class is not registered. Decorate it with @neurona.saving.register_keras_serializable() and give "
            "it get_config() (and from_config() if needed), or save only its weights with "
            "model.save_weights('<name>.weights.npz')."
        )
    if any(builtin is not None for builtin in builtins) or not registry.CLASS_NAME.match(name):
        raise ValueError(
            f"Cannot save an object of class {cls.__name__}: the name is taken by a neurona class (or is not "
            "an identifier), so it would load as something else. Rename the class, or register it with "
            "@neurona.saving.register_keras_serializable()."
        )
    return name


def serialize_keras_object(obj: Any) -> Any:
    """A config for `obj`: plain values as they are, functions by name, objects by class and config."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(item) for item in obj]
    if isinstance(obj, dict):
        return {str(key): serialize_keras_object(value) for key, value in obj.items()}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return serialize_function(obj, "function")
    if not hasattr(obj, "get_config"):
        raise ValueError(f"Cannot save {obj!r}: it has no get_config().")
    name = class_name_of(obj)
    config = _wrapped_function_config(obj, obj.get_config())
    entry: dict[str, Any] = {"class_name": name, "config": serialize_keras_object(config)}
    registered = registry.registered_name_of(type(obj))
    if registered is not None:
        entry["registered_name"] = registered
    return entry


def _wrapped_function_config(obj: Any, config: dict[str, Any]) -> dict[str, Any]:
    """`LossFunctionWrapper` / `MeanMetricWrapper` hold a function: save its name (or refuse it)."""
    if type(obj) is losses.LossFunctionWrapper:
        return {**config, "fn": serialize_function(obj.fn, "loss function")}
    if type(obj) is metrics.MeanMetricWrapper:
        return {**config, "fn": serialize_function(obj._fn, "metric function")}
    return config


def deserialize_keras_object(
    config: Any, category: str | None, custom_objects: dict[str, Any] | None = None
) -> Any:
    """The object described by `{"class_name": ..., "config": ...}` (classes from the registry only)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ModelFileError(
            f"Expected an object config {{'class_name': ..., 'config': {{...}}}}. Received: {_short(config)}"
        )
    cls = registry.resolve_class(
        config["class_name"], category, custom_objects, registered_name=config.get("registered_name")
    )
    inner = config.get("config", {})
    if not isinstance(inner, dict):
        raise ModelFileError(
            f"The config of {config['class_name']!r} must be a dict. Received: {_short(inner)}"
        )
    return rebuild(cls, inner, custom_objects)


def rebuild(cls: type, config: dict[str, Any], custom_objects: dict[str, Any] | None) -> Any:
    """`cls.from_config(config)`, with user objects resolved in the config and errors made clear."""
    takes_custom = "custom_objects" in inspect.signature(cls.from_config).parameters
    try:
        if takes_custom:
            return cls.from_config(config, custom_objects=custom_objects)
        config = resolve_user_objects(config, custom_objects)
        if cls is losses.LossFunctionWrapper or cls is metrics.MeanMetricWrapper:
            config = _resolve_wrapped_function(cls, config, custom_objects)
        return cls.from_config(config)
    except ModelFileError:
        raise
    except _REBUILD_ERRORS as error:
        raise ModelFileError(
            f"Could not rebuild a {cls.__name__} from its config: {type(error).__name__}: {error}"
        ) from error


def _resolve_wrapped_function(
    cls: type, config: dict[str, Any], custom_objects: dict[str, Any] | None
) -> Any:
    category = "loss" if cls is losses.LossFunctionWrapper else "metric"
    fn = registry.resolve_function(config.get("fn"), category, custom_objects)
    if fn is None:
        raise ModelFileError(f"Unknown {category} function {config.get('fn')!r} in a {cls.__name__} config.")
    return {**config, "fn": fn}


def resolve_user_objects(config: Any, custom_objects: dict[str, Any] | None) -> Any:
    """Replace, inside a config, the objects only the user's code can build: nested configs of
    registered (or `custom_objects`) classes become instances, and activation/function names that the
    user registered become the functions. neurona's own names stay as they are."""
    if isinstance(config, list):
        return [resolve_user_objects(item, custom_objects) for item in config]
    if not isinstance(config, dict):
        return config
    if "class_name" in config and isinstance(config.get("config", {}), dict):
        name, registered = config["class_name"], config.get("registered_name")
        user = registry.get_registered_object(registered or name, custom_objects)
        if (
            user is None
            and not registered
            and isinstance(name, str)
            and not registry.is_builtin_class_name(name)
        ):
            user = registry.custom_by_plain_name(name)
        if user is not None and inspect.isclass(user):
            return deserialize_keras_object(config, None, custom_objects)
    resolved = {}
    for key, value in config.items():
        if isinstance(value, str) and (key in _FUNCTION_KEYS or key.endswith("_activation")):
            resolved[key] = _user_function(value, custom_objects) or value
        else:
            resolved[key] = resolve_user_objects(value, custom_objects)
    return resolved


def _user_function(name: str, custom_objects: dict[str, Any] | None) -> Any:
    if name in activations.__all__:
        return None
    found = registry.get_registered_object(name, custom_objects) or registry.custom_by_plain_name(name)
    return found if inspect.isfunction(found) else None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
