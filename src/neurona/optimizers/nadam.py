"""`Nadam`, with Keras's momentum schedule."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Variable
from . import rules
from ._checks import check_non_negative, check_unit_interval
from .base import Optimizer


class Nadam(Optimizer):
    """Nadam: Adam with Nesterov momentum (Dozat, 2016).

    Formula: see `rules.nadam`. The optimizer keeps one scalar, u_product = Π μ_i, shared by all its
    variables and updated once per step before the per-variable updates: u_product ← u_product·μ_t,
    μ_t = β₁·(1 − 0.5·0.96ᵗ).

    Args:
        learning_rate: 0.001; beta_1: 0.9; beta_2: 0.999; epsilon: 1e-7.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        name: str = "nadam",
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = check_unit_interval("beta_1", beta_1)
        self.beta_2 = check_unit_interval("beta_2", beta_2)
        self.epsilon = check_non_negative("epsilon", epsilon)
        self._u_product = Variable(np.float64(1.0), trainable=False, name="u_product", dtype="float64")

    def _own_scalars(self) -> list[Any]:
        return [self._u_product]

    def _before_updates(self) -> None:
        t = self._step()
        self._u_product.data *= self.beta_1 * (1 - 0.5 * 0.96**t)

    def build_slots(self, variable: Variable) -> list[np.ndarray | None]:
        return [np.zeros_like(variable.data), np.zeros_like(variable.data)]

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate: float) -> None:
        m, v = self._slots_of(variable)
        rules.nadam(
            variable.data,
            gradient,
            m,
            v,
            *self._work_of(variable),
            t=self._step(),
            u_product=float(self._u_product.data),
            learning_rate=learning_rate,
            beta_1=self.beta_1,
            beta_2=self.beta_2,
            epsilon=self.epsilon,
        )

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
