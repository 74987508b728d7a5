"""Normalization layers: `BatchNormalization` and `LayerNormalization`, each over one fused op of
`neurona.ops` (its forward pass and exact gradient rule in `ops/normalization.py`)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import constraints, initializers, ops, regularizers
from ..engine import Tensor
from .base import InputSpec, Layer


def _check_axis(axes: list[int], input_shape: tuple[int | None, ...], name: str, received: Any) -> None:
    for axis in axes:
        if not -len(input_shape) <= axis < len(input_shape):
            raise ValueError(
                f"Axis {axis} is out of bounds for input shape {tuple(input_shape)} of layer '{name}'. "
                f"Received: axis={received!r}"
            )


def _known_size(input_shape: tuple[int | None, ...], axis: int, name: str) -> int:
    size = input_shape[axis]
    if size is None:
        raise ValueError(
            f"Axis {axis} of the input of layer '{name}' must have a known size to build its weights. "
            f"Received input_shape={tuple(input_shape)}."
        )
    return size


def _float(name: str, value: Any, low: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= low:
        raise ValueError(f"`{name}` must be a number >= {low}. Received: {name}={value!r}")
    return float(value)


class BatchNormalization(Layer):
    """Normalize each channel with the statistics of the batch (training) or their moving averages
    (inference), then scale by `gamma` and shift by `beta`.

    Formula (μ_B, σ²_B: mean and biased variance over every axis but `axis`):
        training:   y = γ·(x − μ_B)/√(σ²_B + ε) + β
                    moving_mean ← moving_mean·momentum + μ_B·(1 − momentum)
                    moving_variance ← moving_variance·momentum + σ²_B·(1 − momentum)
        inference:  y = γ·(x − moving_mean)/√(moving_variance + ε) + β

    `trainable=False` freezes the layer AND runs it in inference mode, as in Keras 3.

    Args:
        axis: the channel axis (-1: features last).
        momentum: the weight of the old value in the moving averages (0.99).
        epsilon: ε above (1e-3).
        center, scale: whether to learn `beta` and `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer, moving_variance_initializer:
            `"zeros"`, `"ones"`, `"zeros"`, `"ones"`.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: as on `Dense`.
        renorm, renorm_clipping, renorm_momentum: Keras's batch renormalization; only `renorm=False` is
            supported.
        synchronized: Keras's cross-device statistics; neurona runs on one device, so it changes nothing.

    Weights (Keras's order): gamma, beta (trainable), moving_mean, moving_variance (non-trainable).

    Example:
        >>> layer = BatchNormalization()
        >>> y = layer(np.array([[1.0], [3.0]]), training=True)
        >>> [round(v, 4) for v in y.numpy().ravel().tolist()]  # (x − 2)/√(1 + 0.001); μ = 2, σ² = 1
        [-0.9995, 0.9995]
    """

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        moving_mean_initializer: Any = "zeros",
        moving_variance_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        renorm: bool = False,
        renorm_clipping: Any = None,
        renorm_momentum: float = 0.99,
        synchronized: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"`axis` of BatchNormalization must be an integer. Received: axis={axis!r}")
        if renorm:
            raise ValueError(
                "BatchNormalization(renorm=True) (batch renormalization) is not supported by neurona. "
                "Received: renorm=True. Use renorm=False."
            )
        self.axis = int(axis)
        self.momentum = _float("momentum", momentum)
        self.epsilon = _float("epsilon", epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.renorm = False
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.synchronized = bool(synchronized)
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        _check_axis([self.axis], input_shape, self.name, self.axis)
        shape = (_known_size(input_shape, self.axis, self.name),)
        if self.scale:
            self.gamma = self.add_weight(
                shape,
                self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                name="gamma",
            )
        if self.center:
            self.beta = self.add_weight(
                shape,
                self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                name="beta",
            )
        self.moving_mean = self.add_weight(
            shape, self.moving_mean_initializer, trainable=False, name="moving_mean"
        )
        self.moving_variance = self.add_weight(
            shape, self.moving_variance_initializer, trainable=False, name="moving_variance"
        )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: shape[0]})
        self.built = True

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        if training and self.trainable:
            outputs, mean, variance = ops.fused_batch_norm(
                inputs, self.gamma, self.beta, axis=self.axis, epsilon=self.epsilon
            )
            momentum = self.momentum
            self.moving_mean.assign(self.moving_mean.data * momentum + mean.data * (1.0 - momentum))
            self.moving_variance.assign(
                self.moving_variance.data * momentum + variance.data * (1.0 - momentum)
            )
            return outputs
        return ops.batch_normalization(
            inputs,
            self.moving_mean,
            self.moving_variance,
            axis=self.axis,
            offset=self.beta,
            scale=self.gamma,
            epsilon=self.epsilon,
        )

    def compute_output_shape(self, input_shape: Any) -> Any:
        _check_axis([self.axis], input_shape, self.name, self.axis)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            axis=self.axis,
            momentum=self.momentum,
            epsilon=self.epsilon,
            center=self.center,
            scale=self.scale,
            beta_initializer=initializers.serialize(self.beta_initializer),
            gamma_initializer=initializers.serialize(self.gamma_initializer),
            moving_mean_initializer=initializers.serialize(self.moving_mean_initializer),
            moving_variance_initializer=initializers.serialize(self.moving_variance_initializer),
            beta_regularizer=regularizers.serialize(self.beta_regularizer),
            gamma_regularizer=regularizers.serialize(self.gamma_regularizer),
            beta_constraint=constraints.serialize(self.beta_constraint),
            gamma_constraint=constraints.serialize(self.gamma_constraint),
            synchronized=self.synchronized,
            renorm=self.renorm,
            renorm_clipping=self.renorm_clipping,
            renorm_momentum=self.renorm_momentum,
        )
        return config


class LayerNormalization(Layer):
    """Normalize each sample over `axis` (its features), then scale by `gamma` and shift by `beta`.
    The same computation in training and inference; no moving statistics.

    Formula (μ, σ²: mean and biased variance of each sample over `axis`):
        y = γ·(x − μ)/√(σ² + ε) + β
        rms_scaling=True (Keras's deprecated option, kept for configs): y = γ·x/√(σ² + ε), no β

    Args:
        axis: an axis or a list of axes to normalize over (-1).
        epsilon: ε above (1e-3).
        center, scale: whether to learn `beta` and `gamma` (shaped like the normalized axes).
        beta_initializer, gamma_initializer: `"zeros"` and `"ones"`.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: as on `Dense`.
        rms_scaling (keyword): deprecated in Keras, which warns; the formula above.

    Example:
        >>> [round(v, 4) for v in LayerNormalization()(np.array([[1.0, 3.0]])).numpy()[0].tolist()]
        [-0.9995, 0.9995]
    """

    def __init__(
        self,
        axis: Any = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        rms_scaling = bool(kwargs.pop("rms_scaling", False))
        if rms_scaling:
            warnings.warn(
                "You passed `rms_scaling=True`, which is deprecated in Keras: it scales the input by the "
                "variance, not the root mean square. It computes gamma · x / sqrt(var(x) + epsilon).",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            axis = [int(a) for a in axis]
        elif isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise TypeError(
                f"Expected an int or a list/tuple of ints for the argument 'axis', but received: {axis!r}"
            )
        else:
            axis = int(axis)
        self.axis = axis
        self.epsilon = _float("epsilon", epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.gamma = self.beta = None

    @property
    def _axes(self) -> list[int]:
        return list(self.axis) if isinstance(self.axis, list) else [self.axis]

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        _check_axis(self._axes, input_shape, self.name, self.axis)
        rank = len(input_shape)
        shape = tuple(_known_size(input_shape, a, self.name) for a in sorted(a % rank for a in self._axes))
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                shape,
                self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                name="gamma",
            )
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                shape,
                self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                name="beta",
            )
        self.built = True

    def call(self, inputs: Tensor) -> Tensor:
        return ops.layer_normalization(
            inputs, self.gamma, self.beta, axis=self._axes, epsilon=self.epsilon, rms_scaling=self.rms_scaling
        )

    def compute_output_shape(self, input_shape: Any) -> Any:
        _check_axis(self._axes, input_shape, self.name, self.axis)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            axis=self.axis,
            epsilon=self.epsilon,
            center=self.center,
            scale=self.scale,
            rms_scaling=self.rms_scaling,
            beta_initializer=initializers.serialize(self.beta_initializer),
            gamma_initializer=initializers.serialize(self.gamma_initializer),
            beta_regularizer=regularizers.serialize(self.beta_regularizer),
            gamma_regularizer=regularizers.serialize(self.gamma_regularizer),
            beta_constraint=constraints.serialize(self.beta_constraint),
            gamma_constraint=constraints.serialize(self.gamma_constraint),
        )
        return config
