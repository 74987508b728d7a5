"""`Metric` (stateful: `update_state`, `result`, `reset_state`), `Mean`, and `MeanMetricWrapper`, which
averages a per-sample function over everything seen since the last reset.

Metrics are not differentiated, so they work on NumPy arrays and keep Python floats as state.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..engine import Tensor
from ..utils.naming import to_snake_case


def to_numpy(value: Any) -> np.ndarray:
    return value.data if isinstance(value, Tensor) else np.asarray(value)


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

    def result(self) -> float:
        raise NotImplementedError

    def reset_state(self) -> None:
        raise NotImplementedError

    def __call__(self, *args: Any, **kwargs: Any) -> float:
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Metric:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


class Mean(Metric):
    """The (weighted) mean of the values given to `update_state`.

    Formula: result = Σ(w·x) / Σw.
    """

    def reset_state(self) -> None:
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values = to_numpy(values).astype(np.float64, copy=False)
        if sample_weight is None:
            self.total += float(np.sum(values))
            self.count += float(values.size)
            return
        weight = to_numpy(sample_weight).astype(np.float64, copy=False)
        if weight.ndim > values.ndim and weight.shape[-1] == 1:
            weight = weight[..., 0]
        while weight.ndim < values.ndim:
            weight = weight[..., None]
        weight = np.broadcast_to(weight, values.shape)
        self.total += float(np.sum(values * weight))
        self.count += float(np.sum(weight))

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0


class MeanMetricWrapper(Mean):
    """Averages `fn(y_true, y_pred, **kwargs)` (one value per sample) over all the samples seen."""

    def __init__(
        self, fn: Callable[..., np.ndarray], name: str | None = None, dtype: Any = None, **kwargs: Any
    ) -> None:
        self._fn = fn
        self._fn_kwargs = kwargs
        super().__init__(name=name or fn.__name__, dtype=dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        values = self._fn(to_numpy(y_true), to_numpy(y_pred), **self._fn_kwargs)
        super().update_state(values, sample_weight)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(self._fn_kwargs)
        return config
