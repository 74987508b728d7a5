"""Cross-entropies with Keras's numerics: `binary_crossentropy`, `categorical_crossentropy` and
`sparse_categorical_crossentropy` (`keras.ops` names), per sample, from probabilities or logits.

From probabilities (Keras-compatible): `p` is clipped to `[ε, 1 − ε]` in the input dtype (ε = 1e-7), and
the categorical forms first renormalise `p /= Σ p`. From logits: the stable fused ops of `nn.py`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import config
from ..engine import Tensor
from . import elementwise as E
from . import nn, reduce
from .creation import convert_to_tensor


def _check_same_shape(target: Tensor, output: Tensor) -> None:
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )


def _clipped(output: Tensor) -> Tensor:
    eps = config.epsilon()
    dtype = output.data.dtype
    return E.clip(output, np.asarray(eps, dtype), np.asarray(1 - eps, dtype))


def _target_and_output(target: Any, output: Any) -> tuple[Tensor, Tensor]:
    """Both as tensors of the output's dtype, with the same shape (no broadcasting)."""
    output = convert_to_tensor(output)
    target = convert_to_tensor(target)
    if target.dtype != output.dtype:
        target = E.cast(target, output.dtype)
    _check_same_shape(target, output)
    return target, output


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Tensor:
    """Element-wise −[y·log p + (1 − y)·log(1 − p)]."""
    target, output = _target_and_output(target, output)
    if from_logits:
        return nn.sigmoid_cross_entropy(target, output)
    p = _clipped(output)
    return -(target * E.log(p) + (1 - target) * E.log(1 - p))


def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Tensor:
    """Per sample −Σ y·log p over `axis` (p renormalised to sum to 1, then clipped)."""
    target, output = _target_and_output(target, output)
    if from_logits:
        return nn.softmax_cross_entropy(target, output, axis=axis)
    p = _clipped(output / reduce.sum(output, axis=axis, keepdims=True))
    return -reduce.sum(target * E.log(p), axis=axis)


def sparse_categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """Per sample −log p[y] for integer labels y (p renormalised, then clipped)."""
    output = convert_to_tensor(output)
    labels = convert_to_tensor(target)
    if labels.ndim == output.ndim and labels.shape[-1] == 1:
        labels = Tensor._wrap(labels.data[..., 0])
    expected = output.shape[: axis % output.ndim] + output.shape[axis % output.ndim + 1 :]
    if labels.shape != expected:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the last dimension: "
            f"target.shape={labels.shape}, output.shape={output.shape}"
        )
    if from_logits:
        return nn.sparse_softmax_cross_entropy(labels, output, axis=axis)
    p = _clipped(output / reduce.sum(output, axis=axis, keepdims=True))
    one_hot = nn.one_hot(labels, output.shape[axis], axis=axis, dtype=output.dtype)
    return -reduce.sum(one_hot * E.log(p), axis=axis)
