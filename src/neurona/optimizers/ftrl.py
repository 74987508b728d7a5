"""`Ftrl`: follow-the-regularized-leader, with Keras's arguments and checks."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Variable
from . import rules
from .base import Optimizer


def _positive_or_zero(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"`{name}` needs to be positive or zero. Received: {name}={value!r}.")
    return float(value)


class Ftrl(Optimizer):
    """FTRL-proximal (McMahan et al., 2013), for wide, sparse models with L1/L2 regularization.

    Formula: see `rules.ftrl`.

    Args:
        learning_rate: 0.001.
        learning_rate_power: p ≤ 0, how the per-coordinate rate falls with n (−0.5).
        initial_accumulator_value: the start of n (0.1).
        l1_regularization_strength, l2_regularization_strength: ≥ 0.
        l2_shrinkage_regularization_strength: ≥ 0, an L2 penalty applied through the gradient.
        beta: ≥ 0, added to the L2 term as β/(2·lr).
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
        name: str = "ftrl",
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if (
            isinstance(learning_rate_power, bool)
            or not isinstance(learning_rate_power, (int, float))
            or learning_rate_power > 0
        ):
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. "
                f"Received: learning_rate_power={learning_rate_power}."
            )
        self.learning_rate_power = float(learning_rate_power)
        self.initial_accumulator_value = _positive_or_zero(
            "initial_accumulator_value", initial_accumulator_value
        )
        self.l1_regularization_strength = _positive_or_zero(
            "l1_regularization_strength", l1_regularization_strength
        )
        self.l2_regularization_strength = _positive_or_zero(
            "l2_regularization_strength", l2_regularization_strength
        )
        self.l2_shrinkage_regularization_strength = _positive_or_zero(
            "l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength
        )
        self.beta = _positive_or_zero("beta", beta)

    def build_slots(self, variable: Variable) -> list[np.ndarray | None]:
        return [np.full_like(variable.data, self.initial_accumulator_value), np.zeros_like(variable.data)]

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate: float) -> None:
        n, z = self._slots_of(variable)
        rules.ftrl(
            variable.data,
            gradient,
            n,
            z,
            *self._work_of(variable),
            learning_rate=learning_rate,
            learning_rate_power=self.learning_rate_power,
            l1=self.l1_regularization_strength,
            l2=self.l2_regularization_strength,
            l2_shrinkage=self.l2_shrinkage_regularization_strength,
            beta=self.beta,
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }
