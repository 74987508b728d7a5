"""The Playground's state: one frozen, typed object that the URL hash and the wire both carry.

`docs/playground-protocol.md` §1 is the contract. `State.to_query()` writes the URL hash (without `#`),
`State.from_query()` reads it back (unknown keys ignored as in the TF Playground, bad values refused
with a ValueError that names the key, the value and what is allowed); `to_dict` / `from_dict` give the
JSON form (same keys). Every `State` is valid: the checks run when it is made.

>>> state = State(seed="0.5")
>>> state.network_shape, state.learning_rate, state.loss
((4, 2), 0.03, 'mse')
>>> State.from_query(state.to_query()) == state
True
>>> State.from_query("networkShape=9&seed=1")
Traceback (most recent call last):
...
ValueError: `networkShape` allows 1 to 8 units per layer (1 to 64 with largeLimits=true). Received: networkShape=[9]
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

import numpy as np

from .features import FEATURES

PROBLEMS = ("classification", "regression", "multiclass")
DATASETS = {
    "classification": ("circle", "xor", "gauss", "spiral", "csv"),
    "multiclass": ("blobs", "spiral", "csv"),
}
REG_DATASETS = ("reg-plane", "reg-gauss", "csv")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
REGULARIZATIONS = ("none", "L1", "L2")
LOSSES = {"classification": ("mse", "bce"), "regression": ("mse",), "multiclass": ("ce",)}
OPTIMIZERS = ("sgd", "momentum", "adam", "rmsprop", "adagrad")
#: Epochs per visual update while playing (0: as many as fit in the update's time). The default, 2 per
#: update at 30 updates/s, is about the TF Playground's pace (one epoch per animation frame).
SPEEDS = (1, 2, 5, 10, 50, 0)
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: The TF Playground's HIDABLE_CONTROLS, ours, and the input features (as the TF Playground allows).
HIDABLE_CONTROLS = (
    "showTestData", "discretize", "playButton", "stepButton", "resetButton", "learningRate", "activation",
    "regularization", "regularizationRate", "problem", "dataset", "percTrainData", "noise", "batchSize",
    "numHiddenLayers", "loss", "optimizer", "dropout", "upload", "speed",
) + FEATURES  # fmt: skip
SEED_PATTERN = re.compile(r"[0-9A-Za-z._-]{1,32}")
MAX_NOISE = 80
MAX_STOP_EPOCH = 10_000_000
MAX_INIT_SEED = 2**31 - 1


@dataclass(frozen=True)
class Limits:
    """The size limits of a network and a batch (protocol §1.1)."""

    max_layers: int
    max_units: int
    max_batch_size: int


NORMAL_LIMITS = Limits(max_layers=6, max_units=8, max_batch_size=30)
LARGE_LIMITS = Limits(max_layers=10, max_units=64, max_batch_size=256)


def draw_seed() -> str:
    """A fresh seed string in the TF Playground's style (`Math.random().toFixed(5)`), e.g. "0.59704"."""
    return f"0.{int.from_bytes(os.urandom(4), 'big') % 100_000:05d}"


# key (wire and URL) → kind: str, int, float, bool, ints, strs, opt_float, opt_int. In the TF Playground's
# URL order, then ours. The attribute is the key in snake_case (batchSize → batch_size).
_KINDS: dict[str, str] = {
    "activation": "str", "regularization": "str", "batchSize": "int", "dataset": "str", "regDataset": "str",
    "learningRate": "float", "regularizationRate": "float", "noise": "int", "networkShape": "ints",
    "seed": "str", "showTestData": "bool", "discretize": "bool", "percTrainData": "int", "problem": "str",
    "initZero": "bool", "hideText": "bool", "classes": "int", "layerActivations": "strs", "dropout": "float",
    "loss": "str", "optimizer": "str", "stopLoss": "opt_float", "stopEpoch": "opt_int", "largeLimits": "bool",
    "initSeed": "int", "speed": "int",
}  # fmt: skip
_FIELDS = {key: (re.sub(r"(?=[A-Z])", "_", key).lower(), kind) for key, kind in _KINDS.items()}
_ATTR_TO_KEY = {attr: key for key, (attr, _) in _FIELDS.items()}
_HIDE_SUFFIX = "_hide"


@dataclass(frozen=True)
class State:
    """Everything that defines a Playground view: data, network, training settings and UI switches.

    Attributes are the protocol's keys in snake_case (`batchSize` → `batch_size`); the seven feature
    switches are one tuple `features` and the `<control>_hide` switches one tuple `hidden`. An empty
    `loss` or `dataset` resolves to the problem's default (`ce` and `blobs` for multiclass).
    """

    problem: str = "classification"
    dataset: str = ""
    reg_dataset: str = "reg-plane"
    classes: int = 3
    noise: int = 0
    perc_train_data: int = 50
    batch_size: int = 10
    seed: str = field(default_factory=draw_seed)
    init_seed: int = 0
    learning_rate: float = 0.03
    activation: str = "tanh"
    layer_activations: tuple[str, ...] = ()
    regularization: str = "none"
    regularization_rate: float = 0.0
    network_shape: tuple[int, ...] = (4, 2)
    dropout: float = 0.0
    loss: str = ""
    optimizer: str = "sgd"
    speed: int = 2
    features: tuple[str, ...] = ("x", "y")
    show_test_data: bool = False
    discretize: bool = False
    init_zero: bool = False
    stop_loss: float | None = None
    stop_epoch: int | None = None
    large_limits: bool = False
    hide_text: bool = False
    hidden: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("network_shape", "layer_activations", "features", "hidden"):
            value = getattr(self, name)
            if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
                raise TypeError(f"`{_ATTR_TO_KEY.get(name, name)}` must be a list. Received: {value!r}")
            object.__setattr__(self, name, tuple(value))
        if not self.dataset and self.problem in PROBLEMS:
            object.__setattr__(self, "dataset", DATASETS.get(self.problem, DATASETS["classification"])[0])
        if not self.loss and self.problem in LOSSES:
            object.__setattr__(self, "loss", LOSSES[self.problem][0])
        _validate(self)

    # --- derived values --------------------------------------------------------------------------
    @property
    def limits(self) -> Limits:
        return LARGE_LIMITS if self.large_limits else NORMAL_LIMITS

    @property
    def data_name(self) -> str:
        """The data set in use: `regDataset` for regression, else `dataset`."""
        return self.reg_dataset if self.problem == "regression" else self.dataset

    @property
    def activations(self) -> tuple[str, ...]:
        """One activation per hidden layer (`layerActivations`, else `activation` everywhere)."""
        return self.layer_activations or (self.activation,) * len(self.network_shape)

    def replace(self, **changes: Any) -> State:
        """A copy with some attributes changed (checked like a new State)."""
        return dataclasses.replace(self, **changes)

    # --- the JSON form ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The wire form: every protocol key with a JSON value (lists for networkShape, null when empty)."""
        out: dict[str, Any] = {}
        for key, (attr, _) in _FIELDS.items():
            value = getattr(self, attr)
            out[key] = list(value) if isinstance(value, tuple) else value
        for name in FEATURES:
            out[name] = name in self.features
        for name in HIDABLE_CONTROLS:
            out[name + _HIDE_SUFFIX] = name in self.hidden
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: State | None = None) -> State:
        """A State from the wire form; keys missing from `data` come from `base` (default: `State()`)."""
        if not isinstance(data, dict):
            raise TypeError(f"The state must be a JSON object (a dict). Received: {type(data).__name__}")
        for key in data:
            known = isinstance(key, str) and (key in _FIELDS or key in FEATURES or key.endswith(_HIDE_SUFFIX))
            if not known:
                raise ValueError(
                    f"Unknown state key {key!r}. Known keys: {sorted(_FIELDS) + list(FEATURES)}."
                )
        return _build({key: _json_value(key, _kind(key), value) for key, value in data.items()}, base)

    def merged(self, partial: dict[str, Any]) -> State:
        """This state with the keys of `partial` changed, as `set_state` does. Switching `problem` also
        switches an invalid `dataset` or `loss` to the new problem's default, and changing `networkShape`
        trims or pads `layerActivations` (with `activation`) unless the partial sets them too."""
        if not isinstance(partial, dict):
            raise TypeError(f"`state` must be a JSON object (a dict). Received: {type(partial).__name__}")
        partial = dict(partial)
        problem = partial.get("problem", self.problem)
        if problem in PROBLEMS and problem != self.problem:
            if "dataset" not in partial and problem in DATASETS and self.dataset not in DATASETS[problem]:
                partial["dataset"] = ""
            if "loss" not in partial and self.loss not in LOSSES[problem]:
                partial["loss"] = ""
        shape = partial.get("networkShape")
        if isinstance(shape, list) and "layerActivations" not in partial and self.layer_activations:
            pad = [partial.get("activation", self.activation)] * max(
                0, len(shape) - len(self.layer_activations)
            )
            partial["layerActivations"] = list(self.layer_activations[: len(shape)]) + pad
        return State.from_dict(partial, base=self)

    # --- the URL form ----------------------------------------------------------------------------
    def to_query(self) -> str:
        """The URL hash (without `#`): `k1=v1&k2=v2…`, empty values left out, `_hide` keys only when set."""
        pairs = []
        for key, value in self.to_dict().items():
            if key.endswith(_HIDE_SUFFIX) and not value:
                continue
            text = _text(value)
            if text != "" or key == "networkShape":  # `networkShape=` is a network without hidden layers
                pairs.append(f"{key}={quote(text, safe=',.-_')}")
        return "&".join(pairs)

    @classmethod
    def from_query(cls, text: str) -> State:
        """A State from a URL hash (a leading `#` is allowed). Unknown keys are ignored (the TF
        Playground's `cosX`, `collectStats`, `tutorial`...); a missing seed is drawn."""
        if not isinstance(text, str):
            raise TypeError(f"The query must be a string. Received: {type(text).__name__}")
        values: dict[str, Any] = {}
        for part in text.lstrip("#").split("&"):
            key, _, value = (unquote(piece) for piece in part.partition("="))
            if key in _FIELDS or key in FEATURES or key.endswith(_HIDE_SUFFIX):
                values[key] = _parse_text(key, _kind(key), value)
        return _build(values, None)


# --- parsing helpers ----------------------------------------------------------------------------------
def _kind(key: str) -> str:
    return _FIELDS[key][1] if key in _FIELDS else "bool"


def _build(values: dict[str, Any], base: State | None) -> State:
    """A State from typed values by wire key (features and `_hide` switches included) over `base`."""
    attrs = {attr: getattr(base, attr) for attr, _ in _FIELDS.values()} if base is not None else {}
    features = set(base.features) if base is not None else {"x", "y"}
    hidden = set(base.hidden) if base is not None else set()
    for key, value in values.items():
        name = key[: -len(_HIDE_SUFFIX)] if key.endswith(_HIDE_SUFFIX) else None
        if key in FEATURES:
            features = features | {key} if value else features - {key}
        elif name is not None:
            if name in HIDABLE_CONTROLS:
                hidden = hidden | {name} if value else hidden - {name}
        else:
            attrs[_FIELDS[key][0]] = value
    if not attrs.get("seed"):
        attrs["seed"] = draw_seed()
    return State(**attrs, features=_ordered(features, FEATURES), hidden=_ordered(hidden, HIDABLE_CONTROLS))


def _ordered(names: set[str], order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in order if name in names)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(item) for item in value)
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    """Shortest plain decimal: 0.00001 (not 1e-05), 3 (not 3.0)."""
    return np.format_float_positional(float(value), trim="-")


def _bad(key: str, value: Any, expected: str) -> ValueError:
    return ValueError(f"`{key}` must be {expected}. Received: {key}={value!r}")


def _parse_text(key: str, kind: str, text: str) -> Any:
    """A query value (text) as the field's Python type."""
    if kind.startswith("opt_"):
        if text == "":
            return None
        kind = kind[4:]
    try:
        if kind == "bool":
            return text != "false"
        if kind in ("int", "float"):
            return int(text) if kind == "int" else float(text)
        if kind in ("ints", "strs"):
            return tuple(int(item) if kind == "ints" else item for item in text.split(",")) if text else ()
    except ValueError:
        raise _bad(key, text, _KIND_NAMES[kind]) from None
    return text


_KIND_NAMES = {
    "str": "a string",
    "bool": "true or false",
    "int": "an integer",
    "float": "a number",
    "ints": "a list of integers",
    "strs": "a list of names",
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)) and math.isfinite(value)


def _json_value(key: str, kind: str, value: Any) -> Any:
    """A wire value as the field's Python type (JSON types only; strings are not converted)."""
    if kind.startswith("opt_"):
        if value is None or value == "":
            return None
        kind = kind[4:]
    ok = {
        "str": isinstance(value, str),
        "bool": isinstance(value, bool),
        "int": _is_int(value) or (isinstance(value, float) and value.is_integer()),
        "float": _is_number(value),
        "ints": isinstance(value, list) and all(_is_int(item) for item in value),
        "strs": isinstance(value, list) and all(isinstance(item, str) for item in value),
    }[kind]
    if not ok:
        raise _bad(key, value, _KIND_NAMES[kind])
    if kind in ("int", "float"):
        return int(value) if kind == "int" else float(value)
    return tuple(value) if kind in ("ints", "strs") else value


def _choice(key: str, value: Any, allowed: tuple[Any, ...]) -> None:
    if value not in allowed:
        raise _bad(key, value, f"one of {list(allowed)}")


def _snap(key: str, value: float, allowed: tuple[float, ...]) -> float:
    """`value` as the matching entry of `allowed` (so that 0.1 read back from text is the same float)."""
    for option in allowed:
        if math.isclose(value, option, rel_tol=1e-9, abs_tol=1e-15):
            return option
    raise _bad(key, value, f"one of {[_number(v) for v in allowed]}")


def _in_range(key: str, value: Any, low: float, high: float, what: str = "an integer") -> None:
    if not low <= value <= high:
        raise _bad(key, value, f"{what} from {_number(low)} to {_number(high)}")


def _validate(s: State) -> None:
    """Check every field of `s`; snap the float choices to their canonical values."""
    _choice("problem", s.problem, PROBLEMS)
    allowed = DATASETS.get(s.problem, DATASETS["classification"])
    if s.problem == "regression":
        allowed = tuple(dict.fromkeys(DATASETS["classification"] + DATASETS["multiclass"]))
    _choice("dataset", s.dataset, allowed)
    _choice("regDataset", s.reg_dataset, REG_DATASETS)
    for key, attr in (("classes", "classes"), ("noise", "noise"), ("percTrainData", "perc_train_data")):
        if not _is_int(getattr(s, attr)):
            raise _bad(key, getattr(s, attr), "an integer")
    _in_range("classes", s.classes, 3, 6)
    _in_range("noise", s.noise, 0, MAX_NOISE)
    _in_range("percTrainData", s.perc_train_data, 10, 90)
    limits = s.limits
    if not _is_int(s.batch_size) or not 1 <= s.batch_size <= limits.max_batch_size:
        raise ValueError(
            f"`batchSize` must be an integer from 1 to {NORMAL_LIMITS.max_batch_size} (1 to "
            f"{LARGE_LIMITS.max_batch_size} with largeLimits=true). Received: batchSize={s.batch_size!r}"
        )
    if not isinstance(s.seed, str) or not SEED_PATTERN.fullmatch(s.seed):
        raise _bad("seed", s.seed, "1 to 32 characters from 0-9, A-Z, a-z, '.', '_' and '-'")
    if not _is_int(s.init_seed) or not 0 <= s.init_seed <= MAX_INIT_SEED:
        raise _bad("initSeed", s.init_seed, f"an integer from 0 to {MAX_INIT_SEED}")
    if not _is_number(s.learning_rate):
        raise _bad("learningRate", s.learning_rate, "a number")
    object.__setattr__(s, "learning_rate", _snap("learningRate", s.learning_rate, LEARNING_RATES))
    _choice("activation", s.activation, ACTIVATIONS)
    _choice("regularization", s.regularization, REGULARIZATIONS)
    if not _is_number(s.regularization_rate):
        raise _bad("regularizationRate", s.regularization_rate, "a number")
    rate = _snap("regularizationRate", s.regularization_rate, REGULARIZATION_RATES)
    object.__setattr__(s, "regularization_rate", rate)
    _check_network(s, limits)
    if not _is_number(s.dropout):
        raise _bad("dropout", s.dropout, "a number")
    _in_range("dropout", s.dropout, 0.0, 0.9, "a number")
    _choice("loss", s.loss, LOSSES[s.problem])
    _choice("optimizer", s.optimizer, OPTIMIZERS)
    if not _is_int(s.speed):
        raise _bad("speed", s.speed, f"one of {list(SPEEDS)} (epochs per update; 0: as fast as it goes)")
    _choice("speed", s.speed, SPEEDS)
    if not s.features:
        raise ValueError(f"At least one input feature must be on. Received none of {list(FEATURES)}.")
    for name in s.features:
        _choice("features", name, FEATURES)
    for name in s.hidden:
        _choice("hidden", name, HIDABLE_CONTROLS)
    for key in ("show_test_data", "discretize", "init_zero", "large_limits", "hide_text"):
        if not isinstance(getattr(s, key), bool):
            raise _bad(_ATTR_TO_KEY[key], getattr(s, key), "true or false")
    if s.stop_loss is not None and (not _is_number(s.stop_loss) or s.stop_loss < 0):
        raise _bad("stopLoss", s.stop_loss, "a number >= 0, or empty")
    if s.stop_epoch is not None and (not _is_int(s.stop_epoch) or not 1 <= s.stop_epoch <= MAX_STOP_EPOCH):
        raise _bad("stopEpoch", s.stop_epoch, f"an integer from 1 to {MAX_STOP_EPOCH}, or empty")


def _check_network(s: State, limits: Limits) -> None:
    shape = s.network_shape
    if not all(_is_int(units) for units in shape):
        raise _bad("networkShape", list(shape), "a list of integers")
    if len(shape) > limits.max_layers:
        raise ValueError(
            f"`networkShape` allows at most {NORMAL_LIMITS.max_layers} hidden layers "
            f"({LARGE_LIMITS.max_layers} with largeLimits=true). Received {len(shape)} layers: "
            f"networkShape={list(shape)}"
        )
    if any(not 1 <= units <= limits.max_units for units in shape):
        raise ValueError(
            f"`networkShape` allows 1 to {NORMAL_LIMITS.max_units} units per layer (1 to "
            f"{LARGE_LIMITS.max_units} with largeLimits=true). Received: networkShape={list(shape)}"
        )
    if s.layer_activations and len(s.layer_activations) != len(shape):
        raise ValueError(
            f"`layerActivations` must name one activation per hidden layer ({len(shape)}), or be empty. "
            f"Received: layerActivations={list(s.layer_activations)} for networkShape={list(shape)}"
        )
    for name in s.layer_activations:
        _choice("layerActivations", name, ACTIVATIONS)
