"""`Metric` (stateful: `update_state`, `result`, `reset_state`), `Mean`, `Sum`, and `MeanMetricWrapper`,
which averages a per-sample function over everything seen since the last reset; plus the small NumPy
helpers every metric shares (rank matching, safe division, sample-weight alignment).

Metrics are not differentiated, so they work on NumPy arrays and keep Python floats / NumPy arrays as
state. A metric's `result()` is a Python float, or a NumPy array for metrics with one value per
threshold or per class.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..engine import Tensor
from ..utils.naming import to_snake_case


def to_numpy(value: Any) -> np.ndarray:
    return value.data if isinstance(value, Tensor) else np.asarray(value)


def as_float(value: Any) -> np.ndarray:
    """`value` as a float64 array (targets may arrive as ints or bools)."""
    return to_numpy(value).astype(np.float64, copy=False)


def squeeze_or_expand_to_same_rank(
    x1: np.ndarray, x2: np.ndarray, expand_rank_1: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Make ranks equal when they differ by one trailing axis of size 1, as Keras does.

    `(N,)` against `(N, 1)` becomes `(N, 1)` and `(N, 1)` (or `(N,)` and `(N,)` when `expand_rank_1` is
    False), so a column of targets is never broadcast against a flat prediction into an `(N, N)` grid.
    """
    if x1.ndim == x2.ndim + 1 and x1.shape[-1] == 1:
        if x2.ndim == 1 and expand_rank_1:
            return x1, x2[..., None]
        return x1[..., 0], x2
    if x2.ndim == x1.ndim + 1 and x2.shape[-1] == 1:
        if x1.ndim == 1 and expand_rank_1:
            return x1[..., None], x2
        return x1, x2[..., 0]
    return x1, x2


def divide_no_nan(numerator: Any, denominator: Any) -> np.ndarray:
    """Formula: numerator / denominator, and 0 where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    numerator, denominator = np.broadcast_arrays(numerator, denominator)
    out = np.zeros(numerator.shape, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def mean_last_axis(values: np.ndarray) -> np.ndarray:
    """One value per sample: the mean over the last axis, or the values themselves for a flat array.

    Keras would average a flat `(N,)` array into a single number for the whole batch; neurona treats
    each entry as one sample instead, so that batch sizes do not change the running mean.
    """
    return values.mean(axis=-1) if values.ndim > 1 else values


def scalar_or_array(values: np.ndarray) -> float | np.ndarray:
    """A Python float for a 0-d result, a copy of the array otherwise (state never leaks out)."""
    values = np.asarray(values, dtype=np.float64)
    return float(values) if values.ndim == 0 else values.copy()


class Metric:
    """Base class of all metrics.

    `direction` is "up" when larger is better (accuracy) and "down" otherwise (errors); monitoring
    callbacks use it for `mode="auto"`.
    """

    direction = "down"

    def __init__(self, name: str | None = None, dtype: Any = None) -> None:
        self.name = name or to_snake_case(type(self).__name__)
        self.dtype = dtype or "float32"
        self.reset_state()

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError

    def result(self) -> float | np.ndarray:
        raise NotImplementedError

    def reset_state(self) -> None:
        raise NotImplementedError

    def __call__(self, *args: Any, **kwargs: Any) -> float | np.ndarray:
        self.update_state(*args, **kwargs)
        return self.result()

    def get_state(self) -> dict[str, Any]:
        """The numbers and arrays the metric holds (its accumulators), copied: checkpoints save them."""
        return {
            key: value.copy() if isinstance(value, np.ndarray) else value
            for key, value in vars(self).items()
            if isinstance(value, (int, float, np.ndarray, np.number)) and not isinstance(value, bool)
        }

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore what `get_state` returned (the accumulation continues from there)."""
        for key, value in state.items():
            setattr(self, key, value.copy() if isinstance(value, np.ndarray) else value)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Metric:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def _weights_like(values: np.ndarray, sample_weight: Any) -> np.ndarray:
    """`sample_weight` aligned with `values`: a trailing 1 squeezed, missing trailing axes added."""
    weight = as_float(sample_weight)
    if weight.ndim > values.ndim and weight.shape[-1] == 1:
        weight = weight[..., 0]
    while weight.ndim < values.ndim:
        weight = weight[..., None]
    return np.broadcast_to(weight, values.shape)


class Mean(Metric):
    """The (weighted) mean of the values given to `update_state`.

    Formula: result = Σ(w·x) / Σw.
    """

    def reset_state(self) -> None:
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values = as_float(values)
        if sample_weight is None:
            self.total += float(values.sum())  # (the method: np.sum's numbers without its Python layer)
            self.count += float(values.size)
            return
        weight = _weights_like(values, sample_weight)
        self.total += float(np.sum(values * weight))
        self.count += float(np.sum(weight))

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0


class Sum(Metric):
    """The (weighted) sum of the values given to `update_state`.

    Formula: result = Σ(w·x).
    """

    def __init__(self, name: str = "sum", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)

    def reset_state(self) -> None:
        self.total = 0.0

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values = as_float(values)
        if sample_weight is not None:
            values = values * _weights_like(values, sample_weight)
        self.total += float(np.sum(values))

    def result(self) -> float:
        return self.total


class MeanMetricWrapper(Mean):
    """Averages `fn(y_true, y_pred, **kwargs)` (one value per sample) over all the samples seen."""

    def __init__(
        self, fn: Callable[..., np.ndarray], name: str | None = None, dtype: Any = None, **kwargs: Any
    ) -> None:
        self._fn = fn
        self._fn_kwargs = kwargs
        super().__init__(name=name or fn.__name__, dtype=dtype)

    def __getattr__(self, name: str) -> Any:
        """The function's options read as attributes (`metric.from_logits`, `metric.axis`, ...)."""
        options = self.__dict__.get("_fn_kwargs", {})
        if name in options:
            return options[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        values = self._fn(to_numpy(y_true), to_numpy(y_pred), **self._fn_kwargs)
        super().update_state(values, sample_weight)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(self._fn_kwargs)
        return config
