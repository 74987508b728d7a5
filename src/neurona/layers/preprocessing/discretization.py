"""`Discretization`: bucket continuous values by bin boundaries, given or learned as quantiles by
`adapt()` (Keras's approximate-quantile summary, reproduced step by step so boundaries match)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine import Tensor
from ..base import Layer
from ._data import adapt_batches
from .encoding import OUTPUT_MODES, check_output_mode, check_sparse, encode, encoded_shape


def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """A summary `[points; weights]` of the sorted values: about 1/ε evenly spaced order statistics, each
    standing for `step = max(n·ε, 1)` values."""
    ordered = np.sort(values.reshape(-1))
    step = max(ordered.size * epsilon, 1)
    points = ordered[int(step - 1) :: int(step)]
    return np.stack([points, np.full_like(points, step)])


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """Re-sample a summary at the cumulative-weight fractions ε, 2ε, ..., 1 (linear interpolation)."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    position = cumulative / cumulative[-1]
    points = np.interp(fractions, position, summary[0])
    new_cumulative = np.interp(fractions, position, cumulative)
    weights = np.diff(new_cumulative, prepend=0.0)
    return np.stack([points, weights]).astype("float32")


def _merge(summary: np.ndarray, previous: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate([summary, previous], axis=1)
    merged = merged[:, np.argsort(merged[0])]
    return _compress(merged, epsilon)


class Discretization(Layer):
    """Bucket values: the index of the bin each value falls in.

    Formula (b_1 < ... < b_k the boundaries):
        y = #{j : b_j ≤ x}     i.e. bin 0 is (−∞, b_1), bin j is [b_j, b_{j+1}), bin k is [b_k, +∞)

    With `output_mode` other than `"int"`, the k + 1 bin indices are then encoded as `CategoryEncoding`
    does. `adapt(data)` sets `bin_boundaries` to `num_bins − 1` approximate quantiles of the data (error
    about `epsilon`), with Keras's algorithm, so the same data gives the same boundaries as Keras.

    Args:
        bin_boundaries: sorted boundaries (then no adapt); or None with `num_bins`.
        num_bins: the number of bins `adapt()` makes.
        epsilon: the error tolerance of the quantiles (0.01); smaller is more exact and uses more memory.
        output_mode: `"int"` (default; int32 outputs), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: only `False` is supported.

    Example:
        >>> layer = Discretization(bin_boundaries=[0.0, 1.0, 2.0])
        >>> layer(np.array([[-1.5, 1.0, 3.4, 0.5]])).numpy().tolist()
        [[0, 2, 3, 1]]
    """

    def __init__(
        self,
        bin_boundaries: Any = None,
        num_bins: int | None = None,
        epsilon: float = 0.01,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.output_mode = check_output_mode(output_mode, OUTPUT_MODES, "Discretization")
        self.sparse = check_sparse(sparse, "Discretization")
        if num_bins is not None and (
            isinstance(num_bins, bool) or not isinstance(num_bins, (int, np.integer)) or num_bins < 0
        ):
            raise ValueError(f"`num_bins` must be an integer >= 0. Received: num_bins={num_bins!r}")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. Received: "
                f"num_bins={num_bins} and bin_boundaries={bin_boundaries}"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not 0 < epsilon <= 1:
            raise ValueError(f"`epsilon` must be a number in (0, 1]. Received: epsilon={epsilon!r}")
        if bin_boundaries is not None:
            bin_boundaries = [float(b) for b in np.asarray(bin_boundaries, dtype="float64").reshape(-1)]
            if any(b >= c for b, c in zip(bin_boundaries, bin_boundaries[1:])):
                raise ValueError(
                    f"`bin_boundaries` must be strictly increasing. Received: bin_boundaries={bin_boundaries}"
                )
        self.bin_boundaries = bin_boundaries
        self.num_bins = None if num_bins is None else int(num_bins)
        self.epsilon = float(epsilon)
        self._summary = np.zeros((2, 0), dtype="float32")

    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Learn `num_bins − 1` quantile boundaries from `data` (all its values, any shape)."""
        if self.num_bins is None:
            raise ValueError(
                "This Discretization layer was given `bin_boundaries`; adapt() needs `num_bins` instead. "
                "Create it with Discretization(num_bins=...) to adapt it."
            )
        self._summary = np.zeros((2, 0), dtype="float32")
        for batch in adapt_batches(data, batch_size, steps):
            values = np.asarray(batch).astype("float32")
            self._summary = _merge(_summarize(values, self.epsilon), self._summary, self.epsilon)
        boundaries = _compress(self._summary, 1.0 / self.num_bins)[0, :-1]
        self.bin_boundaries = [float(b) for b in boundaries]

    def _depth(self) -> int:
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins

    def call(self, inputs: Tensor) -> Tensor:
        if self.bin_boundaries is None:
            raise ValueError(
                "Discretization needs bin boundaries: pass `bin_boundaries` when creating the layer or call "
                "`adapt(data)` before using it."
            )
        values = np.asarray(inputs.data)
        if values.dtype.kind not in "fiub":
            raise TypeError(f"Discretization takes numbers. Received an input of dtype {values.dtype}.")
        boundaries = np.asarray(
            self.bin_boundaries, dtype=values.dtype if values.dtype.kind == "f" else "float64"
        )
        indices = np.searchsorted(boundaries, values, side="right").astype("int32")
        dtype = "int32" if self.output_mode == "int" else self.dtype
        return Tensor._wrap(
            encode(indices, self.output_mode, self._depth(), dtype, f"Discretization '{self.name}'")
        )

    def compute_output_shape(self, input_shape: Any) -> Any:
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {
                "bin_boundaries": self.bin_boundaries,
                "num_bins": self.num_bins,
                "epsilon": self.epsilon,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Discretization:
        config = dict(config)
        boundaries = config.get("bin_boundaries")
        if boundaries is not None and config.get("num_bins") is not None:
            config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = [float(b) for b in boundaries]
            return layer
        return cls(**config)
