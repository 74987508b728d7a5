"""`Adamax`, with Keras's defaults."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Variable
from . import rules
from ._checks import check_non_negative, check_unit_interval
from .base import Optimizer


class Adamax(Optimizer):
    """Adamax: Adam with the infinity norm (Kingma & Ba, 2015, §7.1).

    Formula (see `rules.adamax`): m ← m + (g − m)(1 − β₁); u ← max(β₂u, |g|);
    θ ← θ − lr·m / ((1 − β₁ᵗ)(u + ε)).

    Args:
        learning_rate: 0.001; beta_1: 0.9; beta_2: 0.999; epsilon: 1e-7.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        name: str = "adamax",
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = check_unit_interval("beta_1", beta_1)
        self.beta_2 = check_unit_interval("beta_2", beta_2)
        self.epsilon = check_non_negative("epsilon", epsilon)

    def build_slots(self, variable: Variable) -> list[np.ndarray | None]:
        return [np.zeros_like(variable.data), np.zeros_like(variable.data)]

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate: float) -> None:
        m, u = self._slots_of(variable)
        rules.adamax(
            variable.data,
            gradient,
            m,
            u,
            self._work_of(variable)[0],
            t=self._step(),
            learning_rate=learning_rate,
            beta_1=self.beta_1,
            beta_2=self.beta_2,
            epsilon=self.epsilon,
        )

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
