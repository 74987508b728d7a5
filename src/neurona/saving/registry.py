"""The closed registry: the only way a name in a file becomes a Python class or function.

A name resolves to (in this order) an entry of the caller's `custom_objects`, a class or function the
user registered in code with `@register_keras_serializable`, or a public neurona class of the expected
kind: the classes listed in the `__all__` of `neurona.layers`, `losses`, `metrics`, `optimizers`,
`optimizers.schedules`, `initializers`, `regularizers` and `constraints` (read at lookup time, so new
classes are picked up without a list to maintain), plus the model classes `neurona.models` registers.
Activation, loss and metric functions resolve by their neurona names.

Nothing else resolves: no module is imported and no attribute is looked up from a string in a file, so
`os.system`, `builtins.eval` or `subprocess.Popen` are merely unknown names (CVE-2025-1550,
CVE-2025-8747, CVE-2025-9906). Classes that wrap arbitrary code (`Lambda`, `TFSMLayer`,
`TorchModuleWrapper`, ...) are never built-ins, even if such a class is added to neurona one day
(CVE-2024-3660, CVE-2026-1462, CVE-2025-49655, CVE-2026-12481).
"""

from __future__ import annotations

import inspect
import re
from typing import Any, Callable

from .. import activations, constraints, initializers, layers, losses, metrics, optimizers, regularizers
from ..optimizers import schedules
from .limits import ModelFileError

CLASS_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
REGISTERED_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*>[A-Za-z_][A-Za-z0-9_]*$")
CODE_CLASS_NAMES = frozenset({"Lambda", "TFSMLayer", "TorchModuleWrapper", "JaxLayer", "FlaxLayer"})
FUNCTION_MARKERS = frozenset({"__lambda__", "lambda", "function", "__function__", "__bytes__", "__numpy__"})

_CATEGORIES: dict[str, tuple[Any, type]] = {
    "layer": (layers, layers.Layer),
    "loss": (losses, losses.Loss),
    "metric": (metrics, metrics.Metric),
    "optimizer": (optimizers, optimizers.Optimizer),
    "schedule": (schedules, schedules.LearningRateSchedule),
    "initializer": (initializers, initializers.Initializer),
    "regularizer": (regularizers, regularizers.Regularizer),
    "constraint": (constraints, constraints.Constraint),
}
CATEGORIES = tuple(_CATEGORIES)

_custom: dict[str, Any] = {}  # "Package>Name" -> class or function, registered in code by the user
_names: dict[Any, str] = {}  # the reverse map
_extra_builtins: dict[str, dict[str, type]] = {category: {} for category in _CATEGORIES}


# --- built-ins -------------------------------------------------------------------------------------------
def register_builtin(cls: type, name: str | None = None, category: str = "layer") -> type:
    """Add a neurona class defined outside the category's module (the model classes use this)."""
    _extra_builtins[category][name or cls.__name__] = cls
    return cls


def builtin_classes(category: str) -> dict[str, type]:
    """The neurona classes of one kind, by class name (and by their aliases in `__all__`); the abstract
    base class of the kind is not one of them."""
    if category not in _CATEGORIES:
        raise ValueError(f"Unknown category {category!r}. Expected one of {CATEGORIES}.")
    module, base = _CATEGORIES[category]
    table: dict[str, type] = {}
    for public_name in getattr(module, "__all__", ()):
        obj = getattr(module, public_name, None)
        if (
            isinstance(obj, type)
            and issubclass(obj, base)
            and obj is not base
            and obj.__name__ not in CODE_CLASS_NAMES
        ):
            table.setdefault(obj.__name__, obj)
            table.setdefault(public_name, obj)
    table.update(_extra_builtins[category])
    return table


def builtin_functions(category: str) -> dict[str, Callable[..., Any]]:
    """Activation, loss and metric functions by their neurona names."""
    if category == "activation":
        return {name: activations.get(name) for name in activations.__all__ if name not in _NOT_ACTIVATIONS}
    module = {"loss": losses, "metric": metrics}.get(category)
    if module is None:
        return {}
    table = {}
    for name in module.__all__:
        obj = getattr(module, name, None)
        if inspect.isfunction(obj) and name not in ("get", "serialize", "deserialize"):
            table[name] = obj
    return table


_NOT_ACTIVATIONS = ("get", "serialize", "deserialize")


def is_builtin_class_name(name: str) -> bool:
    return any(name in builtin_classes(category) for category in _CATEGORIES)


def is_known_class_name(name: str, custom_objects: dict[str, Any] | None = None) -> bool:
    """Whether `name` resolves at all: a neurona class, a registered class or a `custom_objects` entry."""
    if name in (custom_objects or {}) or name in _custom or custom_by_plain_name(name) is not None:
        return True
    return is_builtin_class_name(name)


# --- user registration -----------------------------------------------------------------------------------
def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable[[Any], Any]:
    """Register a class (or function) so that model files can name it: `"<package>><name>"`.

    Registration happens in your code, so loading a file can only ever reach classes you chose. A class
    needs `get_config()` (and `from_config()` when its constructor does not take its config as keyword
    arguments).

    Example:
        >>> @register_keras_serializable(package="Doc")
        ... class Scale(neurona.layers.Layer):
        ...     def __init__(self, factor=2.0, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.factor = factor
        ...     def call(self, x):
        ...         return x * self.factor
        ...     def get_config(self):
        ...         return {**super().get_config(), "factor": self.factor}
        >>> get_registered_name(Scale)
        'Doc>Scale'
    """
    if not isinstance(package, str) or not REGISTERED_NAME.match(f"{package}>x"):
        raise ValueError(
            f"`package` must be a name such as 'Custom' or 'my_project.layers'. Received: package={package!r}"
        )
    if name is not None and (not isinstance(name, str) or not CLASS_NAME.match(name)):
        raise ValueError(f"`name` must be a Python identifier or None. Received: name={name!r}")

    def decorator(obj: Any) -> Any:
        if not callable(obj):
            raise TypeError(f"Only classes and functions can be registered. Received: {obj!r}")
        if name is None and not CLASS_NAME.match(getattr(obj, "__name__", "")):
            raise ValueError(f"{obj!r} has no usable name (a lambda?): pass name='...' or define a function.")
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise TypeError(
                f"Cannot register the class {obj.__name__}: it has no get_config() method. Define "
                "get_config() returning its constructor arguments."
            )
        key = f"{package}>{name or obj.__name__}"
        previous = _custom.get(key)
        if previous is not None and previous is not obj and _identity(previous) != _identity(obj):
            raise ValueError(
                f"{key!r} is already registered to {previous!r}. Choose another name or package."
            )
        if previous is not None:
            _names.pop(previous, None)
        _custom[key] = obj
        _names[obj] = key
        return obj

    return decorator


def _identity(obj: Any) -> tuple[str, str]:
    return getattr(obj, "__module__", ""), getattr(obj, "__qualname__", "")


def registered_name_of(obj: Any) -> str | None:
    """`"Package>Name"` for a registered class or function, None otherwise."""
    try:
        return _names.get(obj)
    except TypeError:  # unhashable
        return None


def get_registered_name(obj: Any) -> str:
    """The name a file uses for `obj`: `"Package>Name"` if registered, else its `__name__`."""
    return registered_name_of(obj) or getattr(obj, "__name__", type(obj).__name__)


def get_registered_object(name: str, custom_objects: dict[str, Any] | None = None) -> Any:
    """The class or function registered (or passed in `custom_objects`) under `name`, or None."""
    if name in (custom_objects or {}):
        return custom_objects[name]
    return _custom.get(name)


def custom_by_plain_name(name: str) -> Any:
    """The registered object whose name (after the package) is `name`, if exactly one is."""
    matches = [obj for key, obj in _custom.items() if key.split(">", 1)[1] == name]
    return matches[0] if len(matches) == 1 else None


# --- resolving names from a file -------------------------------------------------------------------------
def resolve_class(
    class_name: Any,
    category: str | None,
    custom_objects: dict[str, Any] | None = None,
    registered_name: Any = None,
) -> type:
    """The class a config names, from the closed registry only (raises `ModelFileError` otherwise)."""
    if not isinstance(class_name, str):
        raise ModelFileError(f"A `class_name` must be a string. Received: {class_name!r}")
    found = None
    if isinstance(registered_name, str) and registered_name != class_name:
        found = get_registered_object(registered_name, custom_objects)  # the config checker required it
    if found is None:
        found = (custom_objects or {}).get(class_name)  # the caller's explicit choice comes first
    if found is None:
        categories = [category] if category is not None else list(_CATEGORIES)
        found = next(
            (builtin_classes(c)[class_name] for c in categories if class_name in builtin_classes(c)), None
        )
    if found is None:  # a user class saved without its package: only if no neurona class has the name
        found = _custom.get(class_name) or custom_by_plain_name(class_name)
    if found is None:
        raise unknown_class_error(class_name, category)
    if not inspect.isclass(found):
        raise ModelFileError(f"{class_name!r} names a function where a {category or 'class'} is expected.")
    if category is not None and not issubclass(found, _CATEGORIES[category][1]):
        raise ModelFileError(
            f"{class_name!r} resolves to {found.__name__}, which is not a {category} "
            f"(a subclass of {_CATEGORIES[category][1].__name__})."
        )
    return found


def unknown_class_error(class_name: str, category: str | None) -> ModelFileError:
    what = f"{category} class" if category else "class"
    if class_name in CODE_CLASS_NAMES:
        return ModelFileError(
            f"The file names a `{class_name}`, which wraps Python code; neurona never loads code from a file "
            "(CVE-2024-3660, CVE-2025-8747 and their bypasses). Write the computation as a layer class, "
            "register it in your code with @neurona.saving.register_keras_serializable() (with get_config), "
            "or pass it as custom_objects={'" + class_name + "': YourClass}."
        )
    if "." in class_name:
        return ModelFileError(
            f"The file names {class_name!r}, a dotted module path. neurona resolves classes by name through "
            "its closed registry and never imports modules named by a file (CVE-2025-1550)."
        )
    return ModelFileError(
        f"Unknown {what} {class_name!r}: it is not a neurona {category or 'class'} and was not registered. "
        "If it is your class, decorate it with @neurona.saving.register_keras_serializable() before loading, "
        f"or pass custom_objects={{'{class_name}': YourClass}}."
    )


def resolve_function(name: Any, category: str, custom_objects: dict[str, Any] | None = None) -> Any:
    """A function named in a config: a user-provided one (custom_objects or registered), else a neurona
    function of `category` ("activation", "loss", "metric"); None when the name is neither."""
    if not isinstance(name, str):
        return None
    found = get_registered_object(name, custom_objects)
    if found is None and name not in builtin_functions(category):
        found = custom_by_plain_name(name)
    if found is not None and inspect.isfunction(found):
        return found
    return builtin_functions(category).get(name)
