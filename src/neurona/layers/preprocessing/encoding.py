"""Integer categories to vectors: `CategoryEncoding`, and the encoding shared with `Discretization` and
the lookup layers."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine import Tensor
from ..base import Layer

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def check_output_mode(output_mode: Any, allowed: tuple[str, ...], caller: str) -> str:
    if output_mode not in allowed:
        raise ValueError(
            f"Unknown value for `output_mode` of {caller}: {output_mode!r}. Expected one of {list(allowed)}."
        )
    return output_mode


def check_sparse(sparse: Any, caller: str) -> bool:
    if sparse:
        raise ValueError(
            f"{caller}(sparse=True) is not supported: neurona has no sparse tensors. Use sparse=False "
            "(dense outputs)."
        )
    return False


def encode(
    indices: np.ndarray, output_mode: str, depth: int, dtype: str, where: str, skip: int | None = None
) -> np.ndarray:
    """Encode integer `indices` in `[0, depth)` as Keras does.

    * `"int"`: the indices as they are;
    * `"one_hot"`: a trailing axis of size `depth` (a trailing axis of size 1 is replaced by it; a
      scalar becomes shape `(1, depth)`);
    * `"multi_hot"` / `"count"`: presence (1/0) / counts of each index over axis 1 (over axis 0 for
      rank 0 or 1 inputs, which are one sample): `(batch, n) → (batch, depth)`, `(n,) → (depth,)`.

    Values outside `[0, depth)` raise a ValueError naming them (Keras silently drops them); the value
    `skip` (the lookups' masked positions) encodes as nothing.
    """
    indices = np.asarray(indices)
    if output_mode == "int":
        return indices
    checked = indices if skip is None else indices[indices != skip]
    if checked.size:
        low, high = checked.min(), checked.max()
        if low < 0 or high >= depth:
            bad = (low if low < 0 else high).item()
            raise ValueError(
                f"{where} received the value {bad!r}, outside the range [0, {depth}) of its {depth} "
                f"tokens. All values must be integers in [0, {depth}): increase `num_tokens` or map the "
                "data first (e.g. with IntegerLookup)."
            )
    if indices.ndim == 0:
        indices = indices.reshape(1)
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices[..., 0]
        return (indices[..., None] == np.arange(depth)).astype(dtype)
    hot = indices[..., None] == np.arange(depth)
    axis = 1 if indices.ndim > 1 else 0
    if output_mode == "multi_hot":
        return hot.any(axis=axis).astype(dtype)
    return hot.sum(axis=axis).astype(dtype)


def encoded_shape(
    input_shape: tuple[int | None, ...], output_mode: str, depth: int
) -> tuple[int | None, ...]:
    """The output shape of `encode` for inputs of `input_shape`."""
    shape = tuple(input_shape)
    if output_mode == "int":
        return shape
    if output_mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            return shape[:-1] + (depth,)
        return (shape or (1,)) + (depth,)
    if len(shape) >= 2:
        return (shape[0],) + shape[2:] + (depth,)
    return (depth,)


def as_integers(values: np.ndarray, where: str) -> np.ndarray:
    """Integer-valued inputs as int64 (floats must hold whole numbers)."""
    values = np.asarray(values)
    if values.dtype.kind in "iub":
        return values.astype("int64")
    if values.dtype.kind == "f":
        if not np.all(np.isfinite(values)) or np.any(values != np.round(values)):
            raise ValueError(
                f"{where} takes integer category indices. Received non-integer values: {values!r}"
            )
        return values.astype("int64")
    raise TypeError(f"{where} takes integer category indices. Received an input of dtype {values.dtype}.")


class CategoryEncoding(Layer):
    """Encode integer categories in `[0, num_tokens)` as one-hot, multi-hot or count vectors.

    Formula (for a sample of indices i_1..i_n):
        one_hot:   y[..., t] = 1 if i = t else 0              (one output row per index)
        multi_hot: y[t] = 1 if t ∈ {i_1..i_n} else 0
        count:     y[t] = #{k : i_k = t}                        (weighted by `count_weights` if given)

    Shapes (Keras's rules): one_hot `(batch,) → (batch, num_tokens)`, `(batch, 1) → (batch, num_tokens)`,
    `(batch, n) → (batch, n, num_tokens)`; multi_hot / count `(batch, n) → (batch, num_tokens)` and a
    rank-1 input is ONE sample: `(n,) → (num_tokens,)`.

    Args:
        num_tokens: the number of categories (required).
        output_mode: `"multi_hot"` (default), `"one_hot"` or `"count"`.
        sparse: Keras's sparse outputs; only `False` is supported.

    Example:
        >>> CategoryEncoding(num_tokens=4, output_mode="one_hot")(np.array([3, 0])).numpy().tolist()
        [[0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0]]
    """

    accepts_strings = True  # integer inputs reach `call` as integers (no cast to float)

    def __init__(
        self,
        num_tokens: int | None = None,
        output_mode: str = "multi_hot",
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if num_tokens is None:
            raise ValueError(
                "`num_tokens` must be set to use CategoryEncoding. If the number of tokens is not known "
                "beforehand, use the IntegerLookup layer instead."
            )
        if isinstance(num_tokens, bool) or not isinstance(num_tokens, (int, np.integer)) or num_tokens < 1:
            raise ValueError(f"`num_tokens` must be a positive integer. Received: num_tokens={num_tokens!r}")
        self.num_tokens = int(num_tokens)
        self.output_mode = check_output_mode(output_mode, OUTPUT_MODES[1:], "CategoryEncoding")
        self.sparse = check_sparse(sparse, "CategoryEncoding")

    def call(self, inputs: Tensor, count_weights: Any = None) -> Tensor:
        where = f"CategoryEncoding layer '{self.name}'"
        indices = as_integers(inputs.data, where)
        if count_weights is None:
            return Tensor._wrap(encode(indices, self.output_mode, self.num_tokens, self.dtype, where))
        if self.output_mode != "count":
            raise ValueError(
                f"`count_weights` is only used when output_mode='count'. Received output_mode="
                f"{self.output_mode!r} with count_weights."
            )
        weights = np.asarray(count_weights.data if isinstance(count_weights, Tensor) else count_weights)
        if weights.shape != indices.shape:
            raise ValueError(
                f"`count_weights` must have the shape of the inputs {indices.shape}. Received: {weights.shape}"
            )
        encode(indices, "multi_hot", self.num_tokens, self.dtype, where)  # range check
        hot = (np.atleast_1d(indices)[..., None] == np.arange(self.num_tokens)) * np.atleast_1d(weights)[
            ..., None
        ]
        return Tensor._wrap(hot.sum(axis=1 if indices.ndim > 1 else 0).astype(self.dtype))

    def compute_output_shape(self, input_shape: Any) -> Any:
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode, "sparse": self.sparse})
        return config
