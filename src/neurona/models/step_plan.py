"""Replayed training steps: `fit` records the first step of each batch shape and replays it afterwards.

Most of a small network's step is Python: layer calls, tensors, the tape. When a model is built only
from layers whose call is a fixed sequence of ops (no random draws, no state updated on the side) and is
trained with a built-in loss, every step of a given batch shape runs the same ops. `StepPlans` then

1. records the first step of each batch shape on a tape that also watches the batch itself, so every op
   on the data is recorded too (`engine.plan.StepPlan`);
2. on the second batch of that shape, runs the step on the tape as usual AND replays the plan, and
   compares everything (loss, predictions, every gradient) bit for bit; only an exact match makes the
   plan trusted — a model whose step depends on something the plan cannot see falls back for good;
3. replays the trusted plan for every later batch: the same ops in the same order, without the Python
   around them.

Anything else (subclassed models, Dropout, BatchNormalization, regularizers, custom losses or
activations) trains exactly as before, through the tape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import GradientTape, Tensor
from ..engine.plan import StepPlan
from ..layers.activation_layers import ELU, LeakyReLU, ReLU, Softmax
from ..layers.core import Activation, Dense
from ..layers.input_layer import InputLayer
from ..layers.merging import Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract
from ..layers.reshaping import Flatten, Reshape
from ..losses import Loss, LossFunctionWrapper

#: Layers whose call is a fixed sequence of ops on their inputs and weights, with nothing on the side.
PLANNED_LAYERS = (
    InputLayer, Dense, Activation, Flatten, Reshape, Softmax, ReLU, LeakyReLU, ELU,
    Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate,
)  # fmt: skip


def _is_builtin(function: Any) -> bool:
    return getattr(function, "__module__", "").startswith("neurona.")


def _layer_can_plan(layer: Any) -> bool:
    if type(layer) not in PLANNED_LAYERS or layer.activity_regularizer is not None:
        return False
    activation = getattr(layer, "activation", None)
    return activation is None or _is_builtin(activation)


def _loss_can_plan(loss: Any) -> bool:
    if loss is None:
        return True
    if not isinstance(loss, Loss) or not type(loss).__module__.startswith("neurona.losses"):
        return False
    if isinstance(loss, LossFunctionWrapper) and not _is_builtin(loss.fn):
        return False
    # Σw is computed from the batch in Python for this reduction: a replay would keep the first batch's.
    return loss.reduction != "mean_with_sample_weight"


def can_plan(model: Any, layers: list[Any]) -> bool:
    """Whether `model`'s training step may be recorded and replayed (see the module docstring)."""
    from .model import Model
    from .sequential import Sequential

    for m in [model, *[layer for layer in layers if isinstance(layer, Model)]]:
        functional = m._graph is not None and type(m).call is Model.call
        if not (functional or type(m).call is Sequential.call):
            return False  # a subclassed model's call is arbitrary Python
    plain = [layer for layer in layers if not isinstance(layer, Model)]
    if not all(_layer_can_plan(layer) for layer in plain):
        return False
    if any(m._weight_regularizers or m.activity_regularizer is not None for m in [model, *layers]):
        return False  # penalties (model.losses) are added outside the compiled loss
    compiled = model._compiled_loss
    return all(_loss_can_plan(loss) for loss in compiled.losses)


def _key(xs: list[np.ndarray], ys: list[np.ndarray], sw: np.ndarray | None) -> tuple:
    arrays = [*xs, *ys] + ([] if sw is None else [sw])
    return tuple((a.shape, a.dtype) for a in arrays) + (sw is None,)


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")


class StepPlans:
    """The recorded steps of one `fit`: one plan per batch signature, replayed once checked."""

    _UNSEEN = object()

    def __init__(self, model: Any, trainable: list[Any]) -> None:
        self.model, self.trainable = model, trainable
        self._plans: dict[tuple, StepPlan | None] = {}
        self._trusted: set[tuple] = set()

    def train_step(self, xs: list[np.ndarray], ys: list[np.ndarray], sw: np.ndarray | None) -> None:
        key = _key(xs, ys, sw)
        plan = self._plans.get(key, self._UNSEEN)
        if plan is None:
            self.model._train_step(xs, ys, sw, self.trainable, False)
        elif key in self._trusted:
            self._replay(plan, xs, ys, sw)
        elif plan is self._UNSEEN:
            self._plans[key] = self._record(xs, ys, sw)
        else:
            self._check(key, plan, xs, ys, sw)

    # --- the three kinds of step --------------------------------------------------------------------
    def _replay(self, plan: StepPlan, xs: list[np.ndarray], ys: list[np.ndarray], sw: Any) -> None:
        outputs, grads = plan.run(_arrays(xs, ys, sw))
        self._finish(outputs, grads, xs, ys, sw, matched=True)

    def _record(self, xs: list[np.ndarray], ys: list[np.ndarray], sw: Any) -> StepPlan | None:
        tape, placeholders, values = self._taped(xs, ys, sw, watch_data=True)
        plan = StepPlan.record(tape, placeholders, self.trainable, values, values[0])
        self._finish_taped(tape, values, xs, ys, sw)
        return plan

    def _check(self, key: tuple, plan: StepPlan, xs: list[np.ndarray], ys: list[np.ndarray], sw: Any) -> None:
        replayed, replayed_grads = plan.run(_arrays(xs, ys, sw))
        tape, _, values = self._taped(xs, ys, sw, watch_data=False)
        outputs, grads = self._finish_taped(tape, values, xs, ys, sw)
        exact = len(outputs) == len(replayed) and all(_same(a, b) for a, b in zip(outputs, replayed))
        complete = all(g is not None for g in grads)  # (then the replayed ones match the variables)
        if exact and complete and all(_same(a, b) for a, b in zip(grads, replayed_grads)):
            self._trusted.add(key)
        else:
            self._plans[key] = None

    # --- helpers -------------------------------------------------------------------------------------
    def _taped(
        self, xs: list[np.ndarray], ys: list[np.ndarray], sw: Any, watch_data: bool
    ) -> tuple[GradientTape, list[Tensor], list[Tensor]]:
        """The step's forward pass on a tape: (tape, the batch as tensors, [loss, *per-output losses,
        *predictions]). With `watch_data`, ops on the batch are recorded too (what a plan needs)."""
        model = self.model
        placeholders = [Tensor._wrap(a) for a in _arrays(xs, ys, sw)]
        x_tensors, y_tensors = placeholders[: len(xs)], placeholders[len(xs) : len(xs) + len(ys)]
        with GradientTape() as tape:
            if watch_data:
                tape.watch(placeholders)
            predictions = outputs_list(model(model._model_input(x_tensors), training=True))
            loss, per_output = model._compiled_loss(
                y_tensors, predictions, None if sw is None else placeholders[-1]
            )
        return tape, placeholders, [loss, *per_output, *predictions]

    def _finish_taped(
        self, tape: GradientTape, values: list[Tensor], xs: list[np.ndarray], ys: list[np.ndarray], sw: Any
    ) -> tuple[list[np.ndarray], list[Any]]:
        """Take the tape's gradients, apply and track them; return the step's values and gradients."""
        grads = [None if g is None else g.data for g in tape.gradient(values[0], self.trainable)]
        outputs = [v.data for v in values]
        self._finish(outputs, grads, xs, ys, sw)
        return outputs, grads

    def _finish(
        self,
        outputs: list[np.ndarray],
        grads: list[Any],
        xs: list[np.ndarray],
        ys: list[np.ndarray],
        sw: Any,
        matched: bool = False,
    ) -> None:
        model = self.model
        if self.trainable:  # a trusted replay's gradients are arrays shaped like their variables
            apply = model.optimizer._apply_matched if matched else model.optimizer.apply
            apply(grads, self.trainable)
        n_losses = len(outputs) - len(model._compiled_loss.output_names) - 1
        model._track(outputs[0], outputs[1 : 1 + n_losses], xs, ys, outputs[1 + n_losses :], sw)


def outputs_list(outputs: Any) -> list[Tensor]:
    """A model's outputs as a list (a dict's in its order); the trainer lists them the same way."""
    if isinstance(outputs, dict):
        return list(outputs.values())
    if isinstance(outputs, (list, tuple)):
        return list(outputs)
    return [outputs]


def _arrays(xs: list[np.ndarray], ys: list[np.ndarray], sw: np.ndarray | None) -> list[np.ndarray]:
    """The batch as the plan's placeholders: inputs, targets, then the sample weights if any."""
    return [*xs, *ys] if sw is None else [*xs, *ys, sw]
