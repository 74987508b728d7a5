"""`Adam`, with Keras's defaults and its "epsilon hat" (see `rules.adam`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import config
from ..engine import Variable
from . import rules
from .base import Optimizer


class Adam(Optimizer):
    """Adam: adaptive moment estimation (Kingma & Ba, 2015).

    Formula (see `rules.adam`): α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ); m ← m + (g − m)(1 − β₁);
    v ← v + (g² − v)(1 − β₂); θ ← θ − α·m/(√v + ε).

    Args:
        learning_rate: default 0.001.
        beta_1, beta_2: decay rates of the moment estimates (0.9, 0.999).
        epsilon: 1e-7 (Keras), added to √v.
        amsgrad: use the AMSGrad variant (the maximum of past v).
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        name: str = "adam",
        **kwargs: Any,
    ) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        for arg, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0 <= value < 1:
                raise ValueError(f"`{arg}` must be in [0, 1). Received: {arg}={value!r}")
        if not epsilon >= 0:
            raise ValueError(f"`epsilon` must be non-negative. Received: epsilon={epsilon!r}")
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self.amsgrad = bool(amsgrad)

    def build_slots(self, variable: Variable) -> list[np.ndarray | None]:
        zeros = np.zeros_like
        v_hat = zeros(variable.data) if self.amsgrad else None
        return [zeros(variable.data), zeros(variable.data), v_hat]

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate: float) -> None:
        m, v, v_hat = self._slots_of(variable)
        t = self._step()
        kernels = config.kernels()
        if kernels is not None:  # the same rule in one compiled pass (bit-identical), when built
            try:
                alpha = rules.adam_step_size(t, learning_rate, self.beta_1, self.beta_2)
                kernels.adam(
                    variable.data,
                    gradient,
                    m,
                    v,
                    v_hat,
                    alpha,
                    1 - self.beta_1,
                    1 - self.beta_2,
                    self.epsilon,
                )
                return
            except (TypeError, ValueError):
                pass  # operands the kernel does not take (float16, mixed dtypes, strided): NumPy below
        rules.adam(
            variable.data,
            gradient,
            m,
            v,
            v_hat,
            self._work_of(variable)[0],
            t=t,
            learning_rate=learning_rate,
            beta_1=self.beta_1,
            beta_2=self.beta_2,
            epsilon=self.epsilon,
        )

    def _update_steps(self, pairs: list[tuple[np.ndarray, Variable]], learning_rate: float) -> None:
        kernels = config.kernels()
        if kernels is not None and type(self).update_step is Adam.update_step:
            slots = [self._slots_of(v) for _, v in pairs]
            alpha = rules.adam_step_size(self._step(), learning_rate, self.beta_1, self.beta_2)
            try:  # every variable in one compiled call; all operands are checked before any update
                kernels.adam_many(
                    [v.data for _, v in pairs],
                    [g for g, _ in pairs],
                    [s[0] for s in slots],
                    [s[1] for s in slots],
                    [s[2] for s in slots],
                    alpha,
                    1 - self.beta_1,
                    1 - self.beta_2,
                    self.epsilon,
                )
                return
            except (TypeError, ValueError):
                pass  # an operand the kernel does not take: variable by variable below
        super()._update_steps(pairs, learning_rate)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon, amsgrad=self.amsgrad)
        return config


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    Formula: θ ← θ − θ·wd·lr, then the Adam update (see `Adam`).

    Args:
        weight_decay: 0.004 (Keras's default).
        The other arguments as `Adam`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        name: str = "adamw",
        **kwargs: Any,
    ) -> None:
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float for AdamW. Received: weight_decay=None")
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            name=name,
            weight_decay=weight_decay,
            **kwargs,
        )
