"""`Lion`, with Keras's defaults."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Variable
from . import rules
from ._checks import check_unit_interval
from .base import Optimizer


class Lion(Optimizer):
    """Lion: the sign of an interpolated momentum (Chen et al., 2023). Use a learning rate 3–10× smaller
    than Adam's.

    Formula (see `rules.lion`): θ ← θ − lr·sign(β₁m + (1 − β₁)g); m ← β₂m + (1 − β₂)g.

    Args:
        learning_rate: 0.001; beta_1: 0.9, in (0, 1]; beta_2: 0.99.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.99,
        name: str = "lion",
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not isinstance(beta_1, (int, float)) or not 0 < beta_1 <= 1:
            raise ValueError(
                "Argument `beta_1` must be in the (0, 1] range. Otherwise, the optimizer degenerates to "
                f"SignSGD. Received: beta_1={beta_1!r}."
            )
        self.beta_1 = float(beta_1)
        self.beta_2 = check_unit_interval("beta_2", beta_2, closed_right=True)

    def build_slots(self, variable: Variable) -> list[np.ndarray | None]:
        return [np.zeros_like(variable.data)]

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate: float) -> None:
        (m,) = self._slots_of(variable)
        rules.lion(
            variable.data,
            gradient,
            m,
            *self._work_of(variable),
            learning_rate=learning_rate,
            beta_1=self.beta_1,
            beta_2=self.beta_2,
        )

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
