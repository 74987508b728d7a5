"""`Optimizer`: the Keras-shaped shell around the update rules of `rules.py`.

It owns the iteration counter, the learning rate (a float held in a `Variable`, a schedule, or a
zero-argument callable), one set of preallocated slots per variable, and the steps Keras's `apply()` runs
around the rule, in Keras's order:

    drop `None` gradients → divide by `loss_scale_factor` → accumulate (`gradient_accumulation_steps`:
    only every N-th call updates, with the mean of the N gradients) → clip (`clipnorm` | `clipvalue` |
    `global_clipnorm`) → decoupled `weight_decay` → the update rule → EMA of the weights (`use_ema`) →
    constraints → `iterations += 1`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable, Iterable

import numpy as np

from ..engine import GradientTape, Tensor, Variable
from ..utils.naming import to_snake_case
from . import schedules as schedules_module
from .schedules import LearningRateSchedule


def _as_array(grad: Any) -> np.ndarray:
    return grad.data if isinstance(grad, Tensor) else np.asarray(grad)


def _non_negative_or_none(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"`{name}` must be a non-negative number or None. Received: {name}={value!r}")
    return float(value)


class Optimizer:
    """Base class of the optimizers. Subclasses define `build_slots(variable)` (the state arrays, in a
    fixed order) and `update_step(gradient, variable, learning_rate)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable with no arguments.
        weight_decay: decoupled weight decay: θ ← θ − θ·wd·lr before each update.
        clipnorm: rescale each gradient to norm ≤ clipnorm.
        clipvalue: clip each gradient element to [−clipvalue, clipvalue].
        global_clipnorm: rescale all gradients together to joint norm ≤ global_clipnorm.
        use_ema: keep an exponential moving average of the weights:
            average ← μ·average + (1 − μ)·θ, with μ = ema_momentum (0 at the first step).
        ema_momentum: μ above (0.99).
        ema_overwrite_frequency: every this many steps, overwrite the weights with their averages
            (`None`: only when `finalize_variable_values` is called, which `fit` does at its end).
        loss_scale_factor: gradients are divided by it (for a loss that was multiplied by it).
        gradient_accumulation_steps: update every N calls with the mean of the N gradients (N ≥ 2);
            `iterations` counts the updates.
        name: the optimizer's name.
    """

    def __init__(
        self,
        learning_rate: Any,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.pop("decay", None) is not None:
            warnings.warn(
                "The `decay` argument is deprecated and ignored; use a learning-rate schedule.", stacklevel=3
            )
        if "lr" in kwargs:
            warnings.warn("`lr` is deprecated: use `learning_rate=`.", DeprecationWarning, stacklevel=3)
            learning_rate = kwargs.pop("lr")
        if kwargs:
            raise TypeError(
                f"{type(self).__name__} got unexpected keyword arguments: {sorted(kwargs)}. "
                "See help(neurona.optimizers.Optimizer) for the arguments every optimizer takes."
            )
        if sum(option is not None for option in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
            )
        if gradient_accumulation_steps is not None and (
            not isinstance(gradient_accumulation_steps, int) or gradient_accumulation_steps < 2
        ):
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2 (or None). "
                f"Received: gradient_accumulation_steps={gradient_accumulation_steps!r}"
            )
        if not 0 <= ema_momentum <= 1:
            raise ValueError(f"`ema_momentum` must be in [0, 1]. Received: ema_momentum={ema_momentum!r}")
        if ema_overwrite_frequency is not None and (
            not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
        ):
            raise ValueError(
                "`ema_overwrite_frequency` must be a positive integer or None. "
                f"Received: ema_overwrite_frequency={ema_overwrite_frequency!r}"
            )
        self.name = name or to_snake_case(type(self).__name__)
        self.weight_decay = _non_negative_or_none("weight_decay", weight_decay)
        self.clipnorm = _non_negative_or_none("clipnorm", clipnorm)
        self.clipvalue = _non_negative_or_none("clipvalue", clipvalue)
        self.global_clipnorm = _non_negative_or_none("global_clipnorm", global_clipnorm)
        self.loss_scale_factor = loss_scale_factor
        self.use_ema = bool(use_ema)
        self.ema_momentum = float(ema_momentum)
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self._iterations = Variable(np.int64(0), trainable=False, name="iteration", dtype="int64")
        self._learning_rate = self._make_learning_rate(learning_rate)
        # id(variable) → (variable, its slots, its EMA average, its gradient accumulator)
        self._state: dict[
            int, tuple[Variable, list[np.ndarray | None], np.ndarray | None, np.ndarray | None]
        ] = {}
        self._scratch: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._exclude_ids: set[int] = set()
        self._exclude_names: tuple[str, ...] = ()

    # --- the step counter ---------------------------------------------------------------------------
    @property
    def iterations(self) -> Any:
        """The number of updates applied (calls ÷ N with `gradient_accumulation_steps=N`)."""
        if self.gradient_accumulation_steps:
            return Tensor(np.int64(int(self._iterations.data) // self.gradient_accumulation_steps))
        return self._iterations

    def _step(self) -> int:
        """t, the 1-based index of the update being applied."""
        return int(self.iterations.data) + 1

    # --- learning rate ---------------------------------------------------------------------------------
    @staticmethod
    def _make_learning_rate(value: Any) -> Any:
        if isinstance(value, dict):
            return schedules_module.deserialize(value)
        if isinstance(value, LearningRateSchedule) or (
            callable(value) and not isinstance(value, (Tensor, np.ndarray))
        ):
            return value
        try:
            rate = float(value.data if isinstance(value, Tensor) else value)
        except (TypeError, ValueError):
            raise ValueError(
                "`learning_rate` must be a float, a LearningRateSchedule or a callable. "
                f"Received: learning_rate={value!r}"
            ) from None
        if not math.isfinite(rate) or rate < 0:
            raise ValueError(
                f"`learning_rate` must be a non-negative finite number. Received: learning_rate={value!r}"
            )
        return Variable(np.float32(rate), trainable=False, name="learning_rate", dtype="float32")

    @property
    def learning_rate(self) -> Any:
        """The learning rate: a `Variable` you can `assign` to (or read as a float), or the current
        value of a schedule/callable."""
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        return Tensor(np.float32(self._current_learning_rate()))

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        if isinstance(self._learning_rate, Variable) and not callable(value):
            self._learning_rate.assign(float(value.data if isinstance(value, Tensor) else value))
        else:
            self._learning_rate = self._make_learning_rate(value)

    def _current_learning_rate(self) -> float:
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return float(lr.data)
        if isinstance(lr, LearningRateSchedule):
            return float(lr(int(self.iterations.data)))
        value = lr()
        return float(value.data if isinstance(value, Tensor) else value)

    # --- state -------------------------------------------------------------------------------------
    def build_slots(self, variable: Variable) -> list[np.ndarray | None]:
        """The preallocated state arrays of one variable (override; default: none)."""
        return []

    def build(self, var_list: Iterable[Variable]) -> None:
        """Create the state of every variable now, in this order (otherwise on the first update)."""
        for variable in var_list:
            self._state_of(variable)

    def _state_of(self, variable: Variable) -> tuple[Any, ...]:
        entry = self._state.get(id(variable))
        if entry is None:
            average = variable.data.copy() if self.use_ema else None
            accumulator = np.zeros_like(variable.data) if self.gradient_accumulation_steps else None
            entry = (variable, self.build_slots(variable), average, accumulator)
            self._state[id(variable)] = entry
        return entry

    def _slots_of(self, variable: Variable) -> list[np.ndarray | None]:
        return self._state_of(variable)[1]

    def _work_of(self, variable: Variable) -> tuple[np.ndarray, np.ndarray]:
        """Two work arrays shaped like `variable` (not state: their contents never matter between steps)."""
        buffers = self._scratch.get(id(variable))
        if buffers is None:
            self._state_of(variable)  # keeps the variable alive while its id is a key
            buffers = self._scratch[id(variable)] = (
                np.empty_like(variable.data),
                np.empty_like(variable.data),
            )
        return buffers

    def _own_scalars(self) -> list[Any]:
        """Scalar state of the optimizer itself, after iterations and the learning rate (override)."""
        return []

    @property
    def variables(self) -> list[Any]:
        """All state, in a fixed order: `iterations`, the learning rate (when it is a float), the
        optimizer's own scalars, then per variable (in build order) its slots, EMA average and
        gradient accumulator."""
        out: list[Any] = [self._iterations]
        if isinstance(self._learning_rate, Variable):
            out.append(self._learning_rate)
        out.extend(self._own_scalars())
        for _, slots, average, accumulator in self._state.values():
            out.extend(s for s in slots if s is not None)
            out.extend(a for a in (average, accumulator) if a is not None)
        return out

    def save_own_variables(self, store: dict[str, np.ndarray]) -> None:
        """Write the state into `store` as `"0"`, `"1"`, ... (Keras's layout), as copies."""
        for index, value in enumerate(self.variables):
            store[str(index)] = np.array(value.data if isinstance(value, Tensor) else value, copy=True)

    def load_own_variables(self, store: dict[str, np.ndarray]) -> None:
        """Restore state written by `save_own_variables`. Build the optimizer on the same variables first
        (`optimizer.build(model.trainable_weights)`), so that the slots exist in the same order."""
        targets = self.variables
        if len(store) != len(targets):
            raise ValueError(
                f"The optimizer state holds {len(store)} arrays, but this optimizer has {len(targets)}. "
                "Build it on the same variables (optimizer.build(model.trainable_weights)) before loading."
            )
        for index, target in enumerate(targets):
            value = np.asarray(store[str(index)])
            current = target.data if isinstance(target, Tensor) else target
            if value.shape != current.shape:
                raise ValueError(
                    f"Optimizer state entry {index} has shape {value.shape}; expected {current.shape}."
                )
            current[...] = value

    def exclude_from_weight_decay(
        self, var_list: Iterable[Variable] | None = None, var_names: Iterable[str] | None = None
    ) -> None:
        """Leave these variables (or variables whose name contains one of `var_names`) undecayed."""
        self._exclude_ids |= {id(v) for v in var_list or []}
        self._exclude_names = tuple(var_names or ())

    # --- applying gradients ----------------------------------------------------------------------------
    def apply(self, grads: list[Any], trainable_variables: list[Variable] | None = None) -> Any:
        """Update `trainable_variables` with `grads` (one per variable; `None` leaves one unchanged)."""
        if trainable_variables is None:
            raise ValueError("`apply` needs the variables to update: optimizer.apply(grads, variables).")
        grads, variables = list(grads), list(trainable_variables)
        if len(grads) != len(variables):
            raise ValueError(
                f"Received {len(grads)} gradients for {len(variables)} variables; they must match one to one."
            )
        pairs = [(_as_array(g), v) for g, v in zip(grads, variables) if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable.")
        if len(pairs) < len(variables):
            missing = [v.name for g, v in zip(grads, variables) if g is None]
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss.", stacklevel=2
            )
        for g, v in pairs:
            if g.shape != v.shape:
                raise ValueError(
                    f"Gradient of shape {g.shape} does not match variable '{v.name}' of shape {v.shape}."
                )
        if self.loss_scale_factor is not None:
            pairs = [(g / self.loss_scale_factor, v) for g, v in pairs]
        if self.gradient_accumulation_steps:
            pairs = self._accumulate(pairs)
        if pairs:
            self._update(pairs)
        self._iterations.data += 1
        return self.iterations

    def _apply_matched(self, grads: list[np.ndarray], variables: list[Variable]) -> None:
        """`apply` for gradients already known to be arrays matching `variables` one to one (fit's
        replayed steps, checked when the step was recorded): the same update, without the checks."""
        if self.loss_scale_factor is not None or self.gradient_accumulation_steps:
            self.apply(grads, variables)
            return
        self._update(list(zip(grads, variables)))
        self._iterations.data += 1

    def _accumulate(self, pairs: list[tuple[np.ndarray, Variable]]) -> list[tuple[np.ndarray, Variable]]:
        """Add to the accumulators; on every N-th call return the means (and reset), else nothing."""
        steps = self.gradient_accumulation_steps
        is_update = (int(self._iterations.data) + 1) % steps == 0
        out = []
        for g, v in pairs:
            accumulator = self._state_of(v)[3]
            accumulator += g
            if is_update:
                out.append((accumulator / steps, v))
                accumulator[...] = 0
        return out

    def _update(self, pairs: list[tuple[np.ndarray, Variable]]) -> None:
        pairs = self._clip(pairs)
        learning_rate = self._current_learning_rate()
        if self.weight_decay:
            for _, v in pairs:
                if self._decays(v):
                    v.data -= v.data * (self.weight_decay * learning_rate)
        self._before_updates()
        self._update_steps(pairs, learning_rate)
        if self.use_ema:
            self._update_averages([v for _, v in pairs])
        for _, v in pairs:
            if v.constraint is not None:
                v.assign(v.constraint(v))

    def _update_steps(self, pairs: list[tuple[np.ndarray, Variable]], learning_rate: float) -> None:
        """The rule on every variable (override to do all of them in one call; see Adam and SGD)."""
        for g, v in pairs:
            self.update_step(g, v, learning_rate)

    def _before_updates(self) -> None:
        """Once per update, before the per-variable rules (Nadam's momentum product; override)."""

    def _update_averages(self, variables: list[Variable]) -> None:
        momentum = self.ema_momentum if int(self.iterations.data) > 0 else 0.0
        for v in variables:
            average = self._state_of(v)[2]
            average *= momentum
            average += (1 - momentum) * v.data
        frequency = self.ema_overwrite_frequency
        if frequency and (int(self.iterations.data) + 1) % frequency == 0:
            self._overwrite_with_averages(variables)

    def _overwrite_with_averages(self, variables: Iterable[Variable]) -> None:
        for v in variables:
            average = self._state_of(v)[2]
            if average is not None:
                v.data[...] = average

    def finalize_variable_values(self, var_list: Iterable[Variable]) -> None:
        """With `use_ema`, set the variables to their moving averages (`fit` calls this at its end)."""
        if self.use_ema:
            self._overwrite_with_averages(var_list)

    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Variable]]) -> Any:
        """Apply `(gradient, variable)` pairs, as `tape.gradient` and `zip` give them."""
        pairs = list(grads_and_vars)
        return self.apply([g for g, _ in pairs], [v for _, v in pairs])

    def minimize(
        self, loss: Callable[[], Any] | Any, var_list: list[Variable], tape: GradientTape | None = None
    ) -> Any:
        """Compute the gradients of `loss` (a zero-argument callable, or a tensor recorded on `tape`)
        with respect to `var_list` and apply them. Returns the iteration counter (tf.keras's API).

        Example:
            >>> var = Variable(1.0)
            >>> opt = SGD(learning_rate=0.1)
            >>> _ = opt.minimize(lambda: (var ** 2) / 2.0, [var])
            >>> round(float(var), 6)
            0.9
        """
        if callable(loss):
            with GradientTape() as tape:
                value = loss()
        elif tape is None:
            raise ValueError(
                "`tape` is required when `loss` is a tensor. Pass a zero-argument callable, "
                "or the tape that recorded it."
            )
        else:
            value = loss
        grads = tape.gradient(value, list(var_list))
        return self.apply(grads, list(var_list))

    def update_step(self, gradient: np.ndarray, variable: Variable, learning_rate: float) -> None:
        raise NotImplementedError

    def _decays(self, variable: Variable) -> bool:
        if id(variable) in self._exclude_ids:
            return False
        return not any(name in variable.name for name in self._exclude_names)

    def _clip(self, pairs: list[tuple[np.ndarray, Variable]]) -> list[tuple[np.ndarray, Variable]]:
        if self.clipvalue is not None:
            return [(np.clip(g, -self.clipvalue, self.clipvalue), v) for g, v in pairs]
        if self.clipnorm is not None:
            return [(g * min(1.0, self.clipnorm / max(float(np.linalg.norm(g)), 1e-12)), v) for g, v in pairs]
        if self.global_clipnorm is not None:
            norm = math.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g, _ in pairs))
            scale = min(1.0, self.global_clipnorm / max(norm, 1e-12))
            return [(g * scale, v) for g, v in pairs]
        return pairs

    # --- configuration -----------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        lr = self._learning_rate
        if isinstance(lr, Variable):
            learning_rate: Any = float(lr.data)
        elif isinstance(lr, LearningRateSchedule):
            learning_rate = schedules_module.serialize(lr)
        else:
            learning_rate = lr
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue,
            "global_clipnorm": self.global_clipnorm,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Optimizer:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name} learning_rate={self._current_learning_rate():g}>"
