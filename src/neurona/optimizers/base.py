"""`Optimizer`: the Keras-shaped shell around the update rules of `rules.py`.

It owns the iteration counter, the learning rate (a float held in a `Variable`, a schedule, or a
zero-argument callable), one set of preallocated slots per variable, and the steps Keras runs around the
rule, in Keras's order: drop `None` gradients → clip (`clipnorm` | `clipvalue` | `global_clipnorm`) →
decoupled weight decay → the update rule → `iterations += 1`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable, Iterable

import numpy as np

from ..engine import GradientTape, Tensor, Variable
from ..utils.naming import to_snake_case
from .schedules import LearningRateSchedule


def _as_array(grad: Any) -> np.ndarray:
    return grad.data if isinstance(grad, Tensor) else np.asarray(grad)


def _positive_or_none(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"`{name}` must be a non-negative number or None. Received: {name}={value!r}")
    return float(value)


class Optimizer:
    """Base class of the optimizers. Subclasses define `build_slots(variable)` (the state arrays) and
    `update_step(gradient, variable, learning_rate)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable with no arguments.
        weight_decay: decoupled weight decay: θ ← θ − θ·wd·lr before each update.
        clipnorm: rescale each gradient to norm ≤ clipnorm.
        clipvalue: clip each gradient element to [−clipvalue, clipvalue].
        global_clipnorm: rescale all gradients together to joint norm ≤ global_clipnorm.
        name: the optimizer's name.
    """

    def __init__(
        self,
        learning_rate: Any,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.pop("decay", None) is not None:
            warnings.warn(
                "The `decay` argument is deprecated and ignored; use a learning-rate schedule.", stacklevel=2
            )
        for legacy in ("lr",):
            if legacy in kwargs:
                raise ValueError(
                    f"`{legacy}` is not an argument of {type(self).__name__}: use `learning_rate=`."
                )
        if kwargs:
            raise TypeError(f"{type(self).__name__} got unexpected keyword arguments: {sorted(kwargs)}")
        if sum(option is not None for option in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
            )
        self.name = name or to_snake_case(type(self).__name__)
        self.weight_decay = _positive_or_none("weight_decay", weight_decay)
        self.clipnorm = _positive_or_none("clipnorm", clipnorm)
        self.clipvalue = _positive_or_none("clipvalue", clipvalue)
        self.global_clipnorm = _positive_or_none("global_clipnorm", global_clipnorm)
        self.iterations = Variable(np.int64(0), trainable=False, name="iteration", dtype="int64")
        self._learning_rate = self._make_learning_rate(learning_rate)
        self._slots: dict[int, tuple[Variable, list[np.ndarray | None]]] = {}
        self._scratch: dict[int, np.ndarray] = {}
        self._exclude_ids: set[int] = set()
        self._exclude_names: tuple[str, ...] = ()

    # --- learning rate ---------------------------------------------------------------------------------
    @staticmethod
    def _make_learning_rate(value: Any) -> Any:
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
        """Create the slots of every variable now (otherwise they are created on the first update)."""
        for variable in var_list:
            self._slots_of(variable)

    def _slots_of(self, variable: Variable) -> list[np.ndarray | None]:
        entry = self._slots.get(id(variable))
        if entry is None:
            entry = (variable, self.build_slots(variable))
            self._slots[id(variable)] = entry
        return entry[1]

    def _scratch_of(self, variable: Variable) -> np.ndarray:
        """A work array shaped like `variable` (not state: its contents never matter between steps)."""
        buffer = self._scratch.get(id(variable))
        if buffer is None:
            self._slots_of(variable)  # keeps the variable alive while its id is a key
            buffer = self._scratch[id(variable)] = np.empty_like(variable.data)
        return buffer

    @property
    def variables(self) -> list[Any]:
        """`iterations`, the learning rate (when it is a float), then every slot array."""
        out: list[Any] = [self.iterations]
        if isinstance(self._learning_rate, Variable):
            out.append(self._learning_rate)
        for _, slots in self._slots.values():
            out.extend(s for s in slots if s is not None)
        return out

    def exclude_from_weight_decay(
        self, var_list: Iterable[Variable] | None = None, var_names: Iterable[str] | None = None
    ) -> None:
        """Leave these variables (or variables whose name contains one of `var_names`) undecayed."""
        self._exclude_ids |= {id(v) for v in var_list or []}
        self._exclude_names = tuple(var_names or ())

    # --- applying gradients ----------------------------------------------------------------------------
    def apply(self, grads: list[Any], trainable_variables: list[Variable] | None = None) -> Variable:
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
        pairs = self._clip(pairs)
        learning_rate = self._current_learning_rate()
        if self.weight_decay:
            for _, v in pairs:
                if self._decays(v):
                    v.data -= v.data * (self.weight_decay * learning_rate)
        for g, v in pairs:
            self.update_step(g, v, learning_rate)
        self.iterations.data += 1
        return self.iterations

    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Variable]]) -> Variable:
        """Apply `(gradient, variable)` pairs, as `tape.gradient` and `zip` give them."""
        pairs = list(grads_and_vars)
        return self.apply([g for g, _ in pairs], [v for _, v in pairs])

    def minimize(
        self, loss: Callable[[], Any] | Any, var_list: list[Variable], tape: GradientTape | None = None
    ) -> Variable:
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
                "`tape` is required when `loss` is a tensor. Pass a zero-argument callable, or the tape that recorded it."
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
            learning_rate = {"class_name": type(lr).__name__, "config": lr.get_config()}
        else:
            learning_rate = lr
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue,
            "global_clipnorm": self.global_clipnorm,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Optimizer:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name} learning_rate={self._current_learning_rate():g}>"
