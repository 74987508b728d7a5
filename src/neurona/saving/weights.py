"""Where each array of a model lives in a weights file, and the guard that limits what a config may
allocate.

Keys follow Keras 3's layout: a layer's own variables are `<path>/vars/<i>` (creation order), its
sublayers `<path>/layers/<class>/...` with the class name in snake_case, numbered within their parent
(`dense`, `dense_1`, ...), so a model's first Dense kernel is `layers/dense/vars/0` whatever the layer
names, and two models of the same architecture exchange weights. Random
generators a layer owns (dropout masks, noise) are saved as `<path>/rng/<attribute>` (the PCG64 state as
six uint64 numbers), so that training continues with the same random draws. The optimizer's state is
`optimizer/vars/<i>` (its `save_own_variables` order).
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from typing import Any, Callable, Iterator, NamedTuple

import numpy as np

from ..utils.naming import to_snake_case
from .limits import ByteBudget, ModelFileError

_MASK64 = (1 << 64) - 1


class Entry(NamedTuple):
    """One array of a model: its current value and how to write a loaded value back."""

    key: str
    value: np.ndarray
    assign: Callable[[np.ndarray], None]


def check_layer_name(name: Any, owner: str) -> None:
    if (
        not isinstance(name, str)
        or not name
        or "/" in name
        or name in (".", "..")
        or any(ord(c) < 32 for c in name)
    ):
        raise ValueError(
            f"Cannot save layer name {name!r} in {owner}: names must be non-empty, without '/', control "
            "characters, or the names '.' and '..'. Rename the layer (name=...)."
        )


def model_entries(model: Any) -> list[Entry]:
    """Every variable and random generator of `model` and its sublayers, keyed as the docstring says."""
    entries: list[Entry] = []
    seen: set[int] = set()
    _walk(model, "", entries, seen)
    return entries


def _walk(layer: Any, path: str, entries: list[Entry], seen: set[int]) -> None:
    seen.add(id(layer))
    prefix = f"{path}/" if path else ""
    for index, variable in enumerate(layer._own_weights):
        entries.append(Entry(f"{prefix}vars/{index}", variable.data, variable.assign))
    for attribute, value in sorted(vars(layer).items()):
        if isinstance(value, np.random.Generator) and isinstance(value.bit_generator, np.random.PCG64):
            entries.append(Entry(f"{prefix}rng/{attribute}", _rng_array(value), _rng_setter(value)))
    used: dict[str, int] = {}
    for sublayer in layer._sublayers:
        if id(sublayer) in seen:
            continue
        name = to_snake_case(type(sublayer).__name__)
        count = used.get(name, 0)
        used[name] = count + 1
        _walk(sublayer, f"{prefix}layers/{name if count == 0 else f'{name}_{count}'}", entries, seen)


def _rng_array(generator: np.random.Generator) -> np.ndarray:
    state = generator.bit_generator.state
    inner = state["state"]
    return np.array(
        [
            inner["state"] & _MASK64,
            inner["state"] >> 64,
            inner["inc"] & _MASK64,
            inner["inc"] >> 64,
            state["has_uint32"],
            state["uinteger"],
        ],
        dtype=np.uint64,
    )


def _rng_setter(generator: np.random.Generator) -> Callable[[np.ndarray], None]:
    def assign(values: np.ndarray) -> None:
        words = [int(v) for v in np.asarray(values).ravel()]
        if len(words) != 6 or words[4] not in (0, 1) or words[5] > 0xFFFFFFFF:
            raise ModelFileError("A saved random-generator state is invalid.")
        try:
            generator.bit_generator.state = {
                "bit_generator": "PCG64",
                "state": {"state": words[0] | words[1] << 64, "inc": words[2] | words[3] << 64},
                "has_uint32": words[4],
                "uinteger": words[5],
            }
        except (ValueError, TypeError, OverflowError) as error:
            raise ModelFileError(f"A saved random-generator state is invalid ({error}).") from None

    return assign


def is_variable_key(key: str) -> bool:
    """Keys of layer variables (not optimizer state or generators)."""
    return not key.startswith("optimizer/") and "/rng/" not in f"/{key}"


# --- what a config may allocate -------------------------------------------------------------------------
_budget: contextvars.ContextVar[ByteBudget | None] = contextvars.ContextVar(
    "neurona_load_budget", default=None
)
_input_cap: contextvars.ContextVar[int | None] = contextvars.ContextVar("neurona_input_cap", default=None)


@contextlib.contextmanager
def budget_scope(budget: ByteBudget | None, max_input_bytes: int | None = None) -> Iterator[None]:
    """Make `budget` the allocation budget (and `max_input_bytes` the input cap) of the models rebuilt
    inside the block."""
    tokens = _budget.set(budget), _input_cap.set(max_input_bytes)
    try:
        yield
    finally:
        _budget.reset(tokens[0])
        _input_cap.reset(tokens[1])


def current_budget() -> ByteBudget | None:
    return _budget.get()


def current_input_cap() -> int | None:
    return _input_cap.get()


@contextlib.contextmanager
def allocation_guard(layers: list[Any], budget: ByteBudget | None) -> Iterator[None]:
    """While building `layers` from a file, every `add_weight` first reserves its bytes from `budget`
    (the bytes the weights file actually holds): a config declaring a huge layer fails before the
    allocation instead of exhausting memory."""
    if budget is None:
        yield
        return
    patched = []
    for layer in layers:
        if "add_weight" in vars(layer):
            continue
        object.__setattr__(layer, "add_weight", _guarded(layer, budget))
        patched.append(layer)
    try:
        yield
    finally:
        for layer in patched:
            vars(layer).pop("add_weight", None)


def _guarded(layer: Any, budget: ByteBudget) -> Callable[..., Any]:
    unguarded = type(layer).add_weight

    def add_weight(shape: Any = (), *args: Any, **kwargs: Any) -> Any:
        dtype = kwargs.get("dtype") or (args[1] if len(args) > 1 else None) or layer.dtype
        try:
            count = math.prod(int(d) for d in tuple(shape))
            nbytes = count * np.dtype(dtype).itemsize
        except (TypeError, ValueError):
            nbytes = 0  # an invalid shape: the real add_weight reports it
        budget.reserve(
            nbytes, f"Weight {kwargs.get('name', 'variable')!r} of layer '{layer.name}' {tuple(shape)}"
        )
        return unguarded(layer, shape, *args, **kwargs)

    return add_weight


def all_layers(root: Any) -> list[Any]:
    """`root` and every layer below it (each once)."""
    out, stack, seen = [], [root], set()
    while stack:
        layer = stack.pop()
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        out.append(layer)
        stack.extend(layer._sublayers)
    return out


def check_input_shape(shape: Any, dtype: Any, max_bytes: int | None, where: str) -> None:
    """An input shape from a config may not describe one sample larger than `max_bytes`."""
    if max_bytes is None:
        return
    try:
        count = math.prod(1 if d is None else int(d) for d in shape)
        nbytes = count * np.dtype(dtype or "float32").itemsize
    except (TypeError, ValueError):
        return
    if nbytes > max_bytes:
        raise ModelFileError(
            f"{where} declares an input of shape {tuple(shape)} ({nbytes} bytes per sample), over the "
            f"{max_bytes} bytes allowed (LoadLimits.max_input_bytes)."
        )


def load_entries(
    entries: list[Entry], reader: Any, skip_mismatch: bool, where: str, ignore: Any = ()
) -> list[str]:
    """Assign the arrays of `reader` (an `NpzReader` or `H5Reader`) to `entries`, after checking that the
    keys match exactly (keys in `ignore` may be present and are left unread) and every shape and dtype
    agrees. With `skip_mismatch`, entries whose key is missing or whose shape differs are left as they
    are, and their keys returned."""
    expected = {entry.key for entry in entries}
    present = set(reader.keys()) - set(ignore)
    missing = sorted(expected - present)
    extra = sorted(present - expected)
    if (missing or extra) and not skip_mismatch:
        raise ModelFileError(
            f"{where} does not match the model: missing arrays {missing[:10]}, unexpected arrays {extra[:10]}. "
            "Build the same architecture as the one saved (same layers, names and order), or pass "
            "skip_mismatch=True to load what matches."
        )
    skipped = list(missing)
    pending = []
    for entry in entries:
        if entry.key not in present:
            continue
        if skip_mismatch and tuple(reader.shape_of(entry.key)) != entry.value.shape:
            skipped.append(entry.key)
            continue
        pending.append((entry, reader.read(entry.key, entry.value.shape, entry.value.dtype)))
    for entry, array in pending:  # assign only once everything was read and checked
        entry.assign(array)
    return skipped
