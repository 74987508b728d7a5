"""Regularization layers: `Dropout` and the noise layers (`GaussianNoise`, `GaussianDropout`,
`AlphaDropout`), active only when called with `training=True`, and `ActivityRegularization`.

Every random layer draws from its own generator `self._rng` (from `seed`; checkpoints save its state).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import ops, regularizers
from ..engine import Tensor
from ..utils.rng import make_generator
from .base import Layer


def _rate(rate: Any) -> float:
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
        raise ValueError(
            "Invalid value received for argument `rate`. Expected a float value between 0 and 1 "
            f"(1 excluded). Received: rate={rate!r}"
        )
    return float(rate)


def _noise_shape(shape: tuple[int, ...], noise_shape: tuple[int | None, ...] | None) -> tuple[int, ...]:
    """The shape of the random draw: `noise_shape` with its `None`s filled in from the input's shape."""
    if noise_shape is None:
        return shape
    return tuple(s if n is None else n for s, n in zip(shape, noise_shape))


def _standard_normal(rng: np.random.Generator, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """N(0, 1) draws of `dtype` (drawn directly in float32/float64, cast for other float types)."""
    dtype = np.dtype(dtype)
    if dtype in (np.float32, np.float64):
        return rng.standard_normal(shape, dtype=dtype)
    return rng.standard_normal(shape).astype(dtype)


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
        self.rate = _rate(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._rng = make_generator(seed)

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        if not training or self.rate == 0:
            return inputs
        shape = _noise_shape(inputs.shape, self.noise_shape)
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


class GaussianNoise(Layer):
    """Add zero-centred Gaussian noise while training (a regularizer, and a data augmentation for
    real-valued inputs).

    Formula: output = inputs + n, n ~ N(0, stddev²) (only when training).

    Args:
        stddev: the standard deviation of the noise (≥ 0).
        seed: an integer for a reproducible noise sequence.
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, (int, float)) or not 0 <= stddev < float("inf"):
            raise ValueError(
                "Invalid value received for argument `stddev`. Expected a non-negative float. "
                f"Received: stddev={stddev!r}"
            )
        self.stddev = float(stddev)
        self.seed = seed
        self._rng = make_generator(seed)

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        if not training or self.stddev == 0:
            return inputs
        noise = _standard_normal(self._rng, inputs.shape, inputs.dtype)
        noise *= np.asarray(self.stddev, dtype=noise.dtype)
        return ops.add(inputs, noise)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(stddev=self.stddev, seed=self.seed)
        return config


class GaussianDropout(Layer):
    """Multiply by Gaussian noise of mean 1 while training (dropout's continuous relative: the same mean
    and variance as inverted dropout's mask).

    Formula: output = inputs · m, m ~ N(1, rate / (1 − rate)) (only when training).

    Args:
        rate: the drop probability whose variance the noise has, in [0, 1).
        seed: an integer for a reproducible noise sequence.
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rate = _rate(rate)
        self.seed = seed
        self._rng = make_generator(seed)

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = _standard_normal(self._rng, inputs.shape, inputs.dtype)
        noise *= np.asarray(stddev, dtype=noise.dtype)
        noise += np.asarray(1.0, dtype=noise.dtype)
        return ops.multiply(inputs, noise)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed)
        return config


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Dropout for self-normalizing (SELU) networks: dropped units are set to SELU's negative saturation
    value α′, then an affine correction keeps the mean and variance of the inputs.

    Formula (only when training), with α′ = −scale·alpha of SELU (≈ −1.7581) and p = rate:
        keep ~ Bernoulli(1 − p)
        a = ((1 − p)·(1 + p·α′²))^(−1/2),  b = −a·α′·p
        output = a·(inputs·keep + α′·(1 − keep)) + b

    Args:
        rate: the drop probability, in [0, 1).
        noise_shape: the shape of the keep mask (size-1 axes share one draw).
        seed: an integer for a reproducible mask sequence.
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rate = _rate(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._rng = make_generator(seed)

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        if not training or self.rate == 0:
            return inputs
        rate = self.rate
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        shape = _noise_shape(inputs.shape, self.noise_shape)
        keep = (self._rng.random(shape) >= rate).astype(inputs.dtype)
        a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * rate
        factor = (a * keep).astype(inputs.dtype)
        shift = (a * alpha_p * (1 - keep) + b).astype(inputs.dtype)
        return ops.add(ops.multiply(inputs, factor), shift)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            rate=self.rate,
            seed=self.seed,
            noise_shape=None if self.noise_shape is None else list(self.noise_shape),
        )
        return config


class ActivityRegularization(Layer):
    """Pass the inputs through unchanged and add a penalty on them to the model's losses (divided by
    the batch size, as every activity regularizer; computed at every call, as in Keras).

    Formula: output = inputs;  penalty = (l1·Σ|x| + l2·Σx²) / batch_size.

    Args:
        l1, l2: the factors of the two penalties (0.0).
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any) -> None:
        kwargs.pop("activity_regularizer", None)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2

    def call(self, inputs: Tensor) -> Tensor:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        config.update(l1=self.l1, l2=self.l2)
        return config
