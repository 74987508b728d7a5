"""Regularization layers: `Dropout`."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import ops
from ..engine import Tensor
from ..utils.rng import make_generator
from .base import Layer


class Dropout(Layer):
    """Inverted dropout: while training, each unit is zeroed with probability `rate` and the kept ones
    are scaled by 1/(1 − rate), so that nothing changes at inference.

    Formula: output = inputs · mask / (1 − rate), mask ~ Bernoulli(1 − rate) (only when training).

    Args:
        rate: the fraction of units to drop, in [0, 1).
        noise_shape: the shape of the mask (size-1 axes share one draw), e.g. `(batch, 1, features)`.
        seed: an integer for a reproducible mask sequence.
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between 0 and 1 "
                f"(1 excluded). Received: rate={rate!r}"
            )
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._rng = make_generator(seed)

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        if not training or self.rate == 0:
            return inputs
        shape = inputs.shape
        if self.noise_shape is not None:
            shape = tuple(s if n is None else n for s, n in zip(inputs.shape, self.noise_shape))
        keep = 1.0 - self.rate
        mask = (self._rng.random(shape, dtype=np.float32) < keep).astype(inputs.dtype)
        mask *= np.asarray(1.0 / keep, dtype=inputs.dtype)
        return ops.multiply(inputs, mask)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            rate=self.rate,
            noise_shape=None if self.noise_shape is None else list(self.noise_shape),
            seed=self.seed,
        )
        return config
