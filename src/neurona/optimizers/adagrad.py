"""`Adagrad` and `Adadelta`, with Keras's defaults (accumulators that start at 0.1, ε inside roots)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Variable
from . import rules
from ._checks import check_non_negative, check_unit_interval
from .base import Optimizer


class Adagrad(Optimizer):
    """Adagrad: per-parameter learning rates from the sum of squared gradients (Duchi et al., 2011).

    Formula (see `rules.adagrad`): acc ← acc + g²; θ ← θ − lr·g/√(acc + ε).

    Args:
        learning_rate: 0.001.
        initial_accumulator_value: 0.1 (Keras; PyTorch starts at 0).
        epsilon: 1e-7, inside the square root.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        name: str = "adagrad",
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.initial_accumulator_value = check_non_negative(
            "initial_accumulator_value", initial_accumulator_value
        )
        self.epsilon = check_non_negative("epsilon", epsilon)

    def build_slots(self, variable: Variable) -> list[np.ndarray | None]:
        return [np.full_like(variable.data, self.initial_accumulator_value)]

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate: float) -> None:
        (acc,) = self._slots_of(variable)
        rules.adagrad(
            variable.data,
            gradient,
            acc,
            self._work_of(variable)[0],
            learning_rate=learning_rate,
            epsilon=self.epsilon,
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012), with a learning rate as in Keras (0.001; the paper's is 1).

    Formula (see `rules.adadelta`): E_g ← ρE_g + (1 − ρ)g²; Δ = −√(E_Δ + ε)·g/√(E_g + ε);
    E_Δ ← ρE_Δ + (1 − ρ)Δ²; θ ← θ + lr·Δ.

    Args:
        learning_rate: 0.001; rho: 0.95; epsilon: 1e-7.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-7,
        name: str = "adadelta",
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = check_unit_interval("rho", rho)
        self.epsilon = check_non_negative("epsilon", epsilon)

    def build_slots(self, variable: Variable) -> list[np.ndarray | None]:
        return [np.zeros_like(variable.data), np.zeros_like(variable.data)]

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate: float) -> None:
        e_g, e_delta = self._slots_of(variable)
        rules.adadelta(
            variable.data,
            gradient,
            e_g,
            e_delta,
            *self._work_of(variable),
            learning_rate=learning_rate,
            rho=self.rho,
            epsilon=self.epsilon,
        )

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
