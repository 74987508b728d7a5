"""`Normalization`: shift and scale features to zero mean and unit variance, with statistics given or
learned by `adapt()`."""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import ops
from ...engine import Tensor
from ..base import Layer
from ._data import adapt_batches

_EPSILON = 1e-7  # Keras's backend.epsilon(): the floor of the standard deviation


def _standardize_axis(axis: Any) -> tuple[int, ...]:
    if axis is None:
        return ()
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        return (int(axis),)
    if isinstance(axis, (list, tuple)) and all(
        isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axis
    ):
        return tuple(int(a) for a in axis)
    raise ValueError(f"`axis` must be an integer, a tuple of integers or None. Received: axis={axis!r}")


class Normalization(Layer):
    """Normalize features with a mean and variance per position of the kept axes.

    Formula (σ_min = 1e-7, Keras's epsilon):
        y = (x − mean) / max(√variance, σ_min)
        invert=True:  y = mean + x · max(√variance, σ_min)

    The mean and variance are either passed (`mean=`, `variance=`: constants, saved in the config) or
    computed by `adapt(data)` over every axis but `axis` (biased variance, as `np.var`); adapted
    statistics are non-trainable weights (`mean`, `variance`, and `count`, which Keras keeps for old files
    and leaves at 0), saved with the model; the weight list is Keras's, so `set_weights` takes a Keras
    layer's `get_weights()`.

    Args:
        axis: the axis (or axes) kept: one statistic per position along them. `-1` (default): one per
            feature; `None`: one scalar mean and variance for all values.
        mean, variance: the statistics to use instead of `adapt()`; both or neither.
        invert: apply the inverse transformation (turn normalized values back into the original scale).

    Example:
        >>> layer = Normalization()
        >>> layer.adapt(np.array([[1.0], [3.0]]))  # mean 2, variance 1
        >>> layer(np.array([[1.0], [5.0]])).numpy().ravel().tolist()
        [-1.0, 3.0]
    """

    def __init__(
        self, axis: Any = -1, mean: Any = None, variance: Any = None, invert: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.axis = _standardize_axis(axis)
        if (mean is None) != (variance is None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean!r} and variance={variance!r}"
            )
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    "`mean` and `variance` must have the same shape. Received: mean shape "
                    f"{np.shape(mean)} and variance shape {np.shape(variance)}"
                )
            if np.ndim(mean) > len(self.axis):
                raise ValueError(
                    f"The rank of `mean` must be at most the number of axes ({len(self.axis)}). Received: "
                    f"mean shape {np.shape(mean)} for axis={self.axis}"
                )
        self.input_mean = None if mean is None else np.asarray(mean, dtype="float64")
        self.input_variance = None if variance is None else np.asarray(variance, dtype="float64")
        self.invert = bool(invert)
        self.adapt_mean = self.adapt_variance = self.count = None
        self._build_shape: tuple[int | None, ...] | None = None

    # --- weights ----------------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        ndim = len(input_shape)
        if any(not -ndim <= a < ndim for a in self.axis):
            raise ValueError(
                f"All `axis` values must be in the range [-ndim, ndim). Received inputs with ndim={ndim}, "
                f"while axis={self.axis}"
            )
        self._keep = tuple(sorted(a % ndim for a in self.axis))
        for a in self._keep:
            if input_shape[a] is None:
                raise ValueError(
                    f"The kept axes of Normalization must have a known size. Received axis={self.axis}, "
                    f"input shape {tuple(input_shape)}, with axis {a} unknown."
                )
        self._reduce = tuple(d for d in range(ndim) if d not in self._keep)
        self._broadcast = tuple(input_shape[d] if d in self._keep else 1 for d in range(ndim))
        self._build_shape = tuple(input_shape)
        stat_shape = tuple(input_shape[d] for d in self._keep)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(stat_shape, "zeros", trainable=False, name="mean")
            self.adapt_variance = self.add_weight(stat_shape, "ones", trainable=False, name="variance")
            self.count = self.add_weight((), "zeros", dtype="int64", trainable=False, name="count")
        self.built = True

    def _statistics(self) -> tuple[np.ndarray, np.ndarray]:
        """mean and max(√variance, σ_min), shaped to broadcast against the inputs."""
        if self.input_mean is not None:
            mean, variance = self._place(self.input_mean), self._place(self.input_variance)
        else:
            mean = self.adapt_mean.data.reshape(self._broadcast)
            variance = self.adapt_variance.data.reshape(self._broadcast)
        std = np.maximum(np.sqrt(variance), _EPSILON)
        return mean.astype(self.dtype), std.astype(self.dtype)

    def _place(self, value: np.ndarray) -> np.ndarray:
        """A given statistic aligned right-to-left with the kept axes, then broadcast."""
        expanded = [1] * len(self._broadcast)
        for i in range(1, value.ndim + 1):
            expanded[self._keep[-i]] = value.shape[-i]
        return np.broadcast_to(value.reshape(expanded), self._broadcast)

    # --- adapt ------------------------------------------------------------------------------------
    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Compute the mean and (biased) variance of `data` over every axis but `axis`.

        Batches are merged exactly (pooled mean and variance, the lack-of-fit sum of squares), so the
        result does not depend on `batch_size`.
        """
        if self.input_mean is not None:
            raise ValueError(
                "This Normalization layer was given `mean` and `variance`; adapt() would ignore them. "
                "Create the layer without mean/variance to adapt it."
            )
        total_mean = total_var = None
        total_count = 0
        for batch in adapt_batches(data, batch_size, steps):
            batch = np.asarray(batch, dtype="float64")
            if not self.built:
                self._build_for(batch.shape)
            for d in self._keep:
                if batch.ndim != len(self._build_shape) or batch.shape[d] != self._build_shape[d]:
                    raise ValueError(
                        f"The layer was built with input shape {self._build_shape}, but adapt() received data "
                        f"of an incompatible shape {batch.shape}."
                    )
            count = int(np.prod([batch.shape[d] for d in self._reduce])) if self._reduce else 1
            mean = batch.mean(axis=self._reduce)
            var = batch.var(axis=self._reduce)
            if total_mean is None:
                total_mean, total_var, total_count = mean, var, count
                continue
            new_count = total_count + count
            w_new = count / new_count
            w_old = 1.0 - w_new
            new_mean = total_mean * w_old + mean * w_new
            total_var = (total_var + (total_mean - new_mean) ** 2) * w_old + (
                var + (mean - new_mean) ** 2
            ) * w_new
            total_mean, total_count = new_mean, new_count
        self.adapt_mean.assign(np.asarray(total_mean, dtype=self.dtype))
        self.adapt_variance.assign(np.asarray(total_var, dtype=self.dtype))

    # --- call -------------------------------------------------------------------------------------
    def call(self, inputs: Tensor) -> Tensor:
        mean, std = self._statistics()
        if self.invert:
            return ops.add(ops.multiply(inputs, Tensor._wrap(std)), Tensor._wrap(mean))
        return ops.divide(ops.subtract(inputs, Tensor._wrap(mean)), Tensor._wrap(std))

    def compute_output_shape(self, input_shape: Any) -> Any:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {
                "axis": list(self.axis),
                "invert": self.invert,
                "mean": None if self.input_mean is None else self.input_mean.tolist(),
                "variance": None if self.input_variance is None else self.input_variance.tolist(),
            }
        )
        return config
