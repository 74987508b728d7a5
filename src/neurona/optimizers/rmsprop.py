"""`RMSprop` (the default optimizer of Keras's `compile`), with Keras's defaults."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Variable
from . import rules
from .base import Optimizer


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a running root-mean-square of recent gradients.

    Formula (see `rules.rmsprop`): v ← ρv + (1 − ρ)g²; θ ← θ − lr·g/√(v + ε).

    Args:
        learning_rate: default 0.001.
        rho: decay of the running average, 0.9.
        momentum: 0.0; with momentum the increments are accumulated.
        epsilon: 1e-7, inside the square root (Keras).
        centered: divide by an estimate of the variance instead (subtracting the running mean²).
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        name: str = "rmsprop",
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0 <= rho < 1:
            raise ValueError(f"`rho` must be in [0, 1). Received: rho={rho!r}")
        if not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be in [0, 1]. Received: momentum={momentum!r}")
        self.rho, self.momentum, self.epsilon, self.centered = (
            float(rho),
            float(momentum),
            float(epsilon),
            bool(centered),
        )

    def build_slots(self, variable: Variable) -> list[np.ndarray | None]:
        zeros = np.zeros_like(variable.data)
        return [
            zeros,
            np.zeros_like(zeros) if self.centered else None,
            np.zeros_like(zeros) if self.momentum else None,
        ]

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate: float) -> None:
        v, a, mom = self._slots_of(variable)
        rules.rmsprop(
            variable.data,
            gradient,
            v,
            a,
            mom,
            *self._work_of(variable),
            learning_rate=learning_rate,
            rho=self.rho,
            momentum=self.momentum,
            epsilon=self.epsilon,
        )

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(rho=self.rho, momentum=self.momentum, epsilon=self.epsilon, centered=self.centered)
        return config
