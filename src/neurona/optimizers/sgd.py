"""`SGD`: gradient descent with optional momentum and Nesterov momentum (Keras defaults)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import config
from ..engine import Variable
from . import rules
from .base import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent.

    Formula (see `rules.sgd`): θ ← θ − lr·g; with momentum μ: m ← μ·m − lr·g, θ ← θ + m
    (Nesterov: θ ← θ + μ·m − lr·g).

    Args:
        learning_rate: default 0.01.
        momentum: a float in [0, 1], default 0.
        nesterov: use Nesterov momentum.
    """

    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        name: str = "SGD",
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def build_slots(self, variable: Variable) -> list[np.ndarray | None]:
        return [np.zeros_like(variable.data) if self.momentum else None]

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate: float) -> None:
        (m,) = self._slots_of(variable)
        kernels = config.kernels()
        if kernels is not None:  # the same rule in one compiled pass (bit-identical), when built
            try:
                kernels.sgd(variable.data, gradient, m, learning_rate, self.momentum, self.nesterov)
                return
            except (TypeError, ValueError):
                pass  # operands the kernel does not take (float16, mixed dtypes, strided): NumPy below
        rules.sgd(
            variable.data,
            gradient,
            m,
            self._work_of(variable)[0],
            learning_rate=learning_rate,
            momentum=self.momentum,
            nesterov=self.nesterov,
        )

    def _update_steps(self, pairs: list[tuple[np.ndarray, Variable]], learning_rate: float) -> None:
        kernels = config.kernels()
        if kernels is not None and type(self).update_step is SGD.update_step:
            try:  # every variable in one compiled call; all operands are checked before any update
                kernels.sgd_many(
                    [v.data for _, v in pairs],
                    [g for g, _ in pairs],
                    [self._slots_of(v)[0] for _, v in pairs] if self.momentum else [None] * len(pairs),
                    learning_rate,
                    self.momentum,
                    self.nesterov,
                )
                return
            except (TypeError, ValueError):
                pass  # an operand the kernel does not take: variable by variable below
        super()._update_steps(pairs, learning_rate)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(momentum=self.momentum, nesterov=self.nesterov)
        return config
