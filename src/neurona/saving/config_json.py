"""JSON configs, parsed and checked before any object is made from them.

`parse_config` accepts only strict JSON (no NaN/Infinity, no duplicate keys) under the size cap, then
`check_config` walks the tree (without recursion) and refuses, before anything is instantiated:

* nesting deeper than `max_config_depth`, strings longer than `max_string_chars`, lists or dicts longer
  than `max_list_items`;
* any key that names code: `module`, `fn_module`, `registered_module` (neurona never writes them; Keras
  CVE-2025-1550 imported whatever `module` said);
* any `class_name` that marks serialized code (`__lambda__`, `function`: marshal bytecode in Keras,
  CVE-2024-3660) or names a code-wrapping class (`Lambda`, `TFSMLayer`, ...), a dotted module path
  (`os.system`, `builtins.eval`), or a class that is neither a neurona class nor registered by the user.

`dump_config` writes the JSON that `parse_config` reads back (non-finite numbers refused at save time).
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from . import registry
from .limits import LoadLimits, ModelFileError

CODE_KEYS = frozenset({"module", "fn_module", "registered_module", "__module__", "function_type"})
DATA_CLASS_NAMES = frozenset({"__keras_tensor__", "DTypePolicy", "FloatDTypePolicy"})


def _default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) and value.size <= 4096:
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if callable(value):
        raise TypeError(
            f"Cannot save the function or callable {value!r} in a config: a model file holds data, never "
            "code. Use a neurona name (e.g. activation='relu'), or register your function or class with "
            "@neurona.saving.register_keras_serializable()."
        )
    raise TypeError(f"Cannot save the value {value!r} (of type {type(value).__name__}) in a config.")


def dump_config(config: Any) -> str:
    """The config as JSON text; refuses NaN/Inf and values that are not plain data."""
    try:
        return json.dumps(config, default=_default, allow_nan=False, indent=None, separators=(",", ":"))
    except ValueError as error:
        raise ValueError(
            f"The config holds a value JSON cannot represent ({error}); NaN/Inf are refused."
        ) from None


def _reject_constant(name: str) -> Any:
    raise ModelFileError(f"The config holds the non-finite number {name}; numbers must be finite.")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ModelFileError(f"The config has the key {key!r} twice in one object (an ambiguous file).")
        result[key] = value
    return result


def parse_config(
    text: str | bytes, where: str, limits: LoadLimits, custom_objects: dict[str, Any] | None = None
) -> Any:
    """Parse and check a JSON config (see the module docstring)."""
    size = len(text)
    if size > limits.max_config_bytes:
        raise ModelFileError(
            f"{where} is {size} bytes, over the limit of {limits.max_config_bytes} (LoadLimits.max_config_bytes)."
        )
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise ModelFileError(f"{where} is not UTF-8 text.") from None
    try:
        config = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except ModelFileError as error:
        raise ModelFileError(f"{where}: {error}") from None
    except RecursionError:
        raise ModelFileError(f"{where} is nested too deeply to be a model config.") from None
    except ValueError as error:
        raise ModelFileError(f"{where} is not valid JSON ({error}).") from None
    check_config(config, where, limits, custom_objects)
    return config


def check_config(
    config: Any, where: str, limits: LoadLimits, custom_objects: dict[str, Any] | None = None
) -> None:
    """Walk the whole tree once and refuse what the module docstring lists."""
    stack: list[tuple[Any, int, str]] = [(config, 1, "$")]
    while stack:
        node, depth, path = stack.pop()
        if depth > limits.max_config_depth:
            raise ModelFileError(
                f"{where} is nested deeper than {limits.max_config_depth} levels at {path} "
                "(LoadLimits.max_config_depth)."
            )
        if isinstance(node, str):
            if len(node) > limits.max_string_chars:
                raise ModelFileError(
                    f"{where}: the string at {path} is longer than {limits.max_string_chars}."
                )
        elif isinstance(node, float):
            if not math.isfinite(node):
                raise ModelFileError(f"{where}: the number at {path} is not finite.")
        elif isinstance(node, list):
            if len(node) > limits.max_list_items:
                raise ModelFileError(f"{where}: the list at {path} has over {limits.max_list_items} items.")
            stack.extend((item, depth + 1, f"{path}[{i}]") for i, item in enumerate(node))
        elif isinstance(node, dict):
            if len(node) > limits.max_list_items:
                raise ModelFileError(f"{where}: the object at {path} has over {limits.max_list_items} keys.")
            _check_object(node, where, path, custom_objects)
            stack.extend((value, depth + 1, f"{path}.{key}") for key, value in node.items())


def _check_object(node: dict[str, Any], where: str, path: str, custom_objects: dict[str, Any] | None) -> None:
    for key in node:
        if key in CODE_KEYS:
            raise ModelFileError(
                f"{where} names Python code at {path}: the key {key!r} = {node[key]!r}. neurona resolves classes "
                "by name through its closed registry and never imports a module named by a file "
                "(CVE-2025-1550, CVE-2025-8747). neurona never writes this key: the file was not written by "
                "neurona, or was altered."
            )
    if "class_name" not in node:
        return
    name = node["class_name"]
    if not isinstance(name, str):
        raise ModelFileError(f"{where}: `class_name` at {path} must be a string. Received: {name!r}")
    if name in registry.FUNCTION_MARKERS:
        raise ModelFileError(
            f"{where} holds serialized Python code at {path} (class_name {name!r}): function objects, lambdas "
            "and bytecode are never loaded from a file (CVE-2024-3660, CVE-2026-12481). Register the "
            "function in your code with @neurona.saving.register_keras_serializable() and refer to it by name."
        )
    registered = node.get("registered_name")
    if registered is not None and registered != name:
        if not isinstance(registered, str) or not registry.REGISTERED_NAME.match(registered):
            raise ModelFileError(f"{where}: invalid `registered_name` {registered!r} at {path}.")
        if registry.get_registered_object(registered, custom_objects) is None:
            raise ModelFileError(
                f"{where} needs the class registered as {registered!r} (at {path}), which is not registered. "
                "Import the code that defines it (decorated with @neurona.saving.register_keras_serializable) "
                f"before loading, or pass custom_objects={{'{name}': YourClass}}."
            )
        return
    if name in DATA_CLASS_NAMES:
        return
    if not (
        registry.CLASS_NAME.match(name) or registry.REGISTERED_NAME.match(name)
    ) or not registry.is_known_class_name(name, custom_objects):
        raise registry.unknown_class_error(name, None)
