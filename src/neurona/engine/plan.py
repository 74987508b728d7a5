"""`StepPlan`: a recorded computation replayed on new arrays, with no tensors, tape or layers in between.

A training step runs the same ops on every batch of the same shape. `StepPlan.record` takes the nodes a
`GradientTape` recorded for one step and numbers every value the step touched:

* placeholders — the batch arrays, new on every run;
* variables — read afresh (`variable.data`) on every run, so in-place updates show through;
* scalar constants — 0-d arrays the step used as they were (a divisor, a Python number);
* node outputs.

`run` calls each op's forward in order and then, in reverse, each gradient rule, exactly as the tape
does (same ops, same order, same summation of gradients), so a replay gives bit-identical numbers at a
fraction of the Python cost.

A value the step computed outside the ops cannot be replayed: an array that is neither a placeholder,
a variable, a node output nor a scalar makes `record` give up (return None). Scalars computed in Python
from the data or the weights would be replayed stale; the caller only plans steps whose code it knows
(`models/step_plan.py`) and checks a replay against the tape once before trusting it.
"""

from __future__ import annotations

import operator
from typing import Any, Sequence

import numpy as np

from .function import Context
from .tape import GradientTape, unbroadcast
from .tensor import Tensor, Variable

# One recorded op, as `run` reads it: forward pass (rule, reader of its input slots, attributes, output
# slot, which inputs need a gradient) and backward pass (rule, output slot, the inputs that need a
# gradient as (position, slot, shape)). Flat tuples: attribute lookups cost more than the small ops.
_Forward = tuple[Any, Any, dict[str, Any], int, tuple[bool, ...]]
_Backward = tuple[Any, int, list[tuple[int, int, tuple[int, ...]]]]


class StepPlan:
    """A replayable step: `run(arrays)` → (the requested outputs, the gradient of the target w.r.t. each
    source variable, `None` where the target does not depend on it)."""

    def __init__(
        self,
        forward: list[_Forward],
        backward: list[_Backward],
        template: list[Any],
        placeholders: list[int],
        variables: list[tuple[int, Variable]],
        outputs: list[int],
        target: int,
        sources: list[int | None],
    ) -> None:
        self._forward, self._backward, self._template = forward, backward, template
        self._placeholders, self._variables = placeholders, variables
        self._outputs, self._target, self._sources = outputs, target, sources
        self._seed: np.ndarray | None = None  # d target / d target = 1, shaped like the target

    @classmethod
    def record(
        cls,
        tape: GradientTape,
        placeholders: Sequence[Tensor],
        sources: Sequence[Variable],
        outputs: Sequence[Tensor],
        target: Tensor,
    ) -> StepPlan | None:
        """Number the values of `tape`'s nodes; None when the step used an array the plan cannot rebuild."""
        slot_of: dict[int, int] = {}
        template: list[Any] = []
        requires: list[bool] = []

        def new_slot(value: Any, needs_grad: bool) -> int:
            template.append(value)
            requires.append(needs_grad)
            return len(template) - 1

        by_array: dict[int, int] = {}
        for tensor in placeholders:
            slot = new_slot(None, False)
            slot_of[id(tensor)] = slot
            by_array[id(tensor.data)] = slot
        source_ids = {id(v) for v in sources}
        variables: list[tuple[int, Variable]] = []
        forward: list[_Forward] = []
        backward: list[_Backward] = []
        for node in tape._nodes:
            inputs = []
            for tensor in node.inputs:
                slot = slot_of.get(id(tensor))
                if slot is None:
                    slot = by_array.get(id(tensor.data))
                if slot is None:
                    if isinstance(tensor, Variable):
                        slot = new_slot(None, id(tensor) in source_ids)
                        variables.append((slot, tensor))
                    elif tensor.data.ndim == 0:
                        slot = new_slot(tensor.data, False)
                    else:
                        return None  # an array made outside the ops: not replayable
                    slot_of[id(tensor)] = slot
                inputs.append(slot)
            needs = tuple(requires[slot] for slot in inputs)
            output = new_slot(None, any(needs))
            slot_of[id(node.output)] = output
            grad_inputs = [
                (position, slot, node.inputs[position].data.shape)
                for position, slot in enumerate(inputs)
                if requires[slot]
            ]
            forward.append((node.op.forward, _reader(inputs), node.attrs, output, needs))
            backward.append((node.op.backward, output, grad_inputs))
        if id(target) not in slot_of or any(id(t) not in slot_of for t in outputs):
            return None
        variable_slot = {id(v): slot for slot, v in variables}
        return cls(
            forward,
            backward[::-1],
            template,
            [slot_of[id(t)] for t in placeholders],
            variables,
            [slot_of[id(t)] for t in outputs],
            slot_of[id(target)],
            [variable_slot.get(id(v)) for v in sources],
        )

    def run(self, arrays: Sequence[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
        """Forward and backward on new placeholder arrays (shaped and typed as when recorded)."""
        values = self._template.copy()
        for slot, array in zip(self._placeholders, arrays):
            values[slot] = array
        for slot, variable in self._variables:
            values[slot] = variable.data
        contexts = []
        for forward, read, attrs, output, needs in self._forward:
            ctx = Context()
            ctx.needs_input_grad = needs
            out = forward(ctx, *read(values), **attrs)
            values[output] = out if isinstance(out, np.ndarray) else np.asarray(out)
            contexts.append(ctx)
        seed = self._seed
        if seed is None:
            seed = self._seed = np.ones_like(values[self._target])
            seed.flags.writeable = False  # shared by every run: no rule may write into it
        grads: list[Any] = [None] * len(values)
        grads[self._target] = seed
        for (backward, output, grad_inputs), ctx in zip(self._backward, reversed(contexts)):
            grad = grads[output]
            if grad is None or not grad_inputs:
                continue
            grads[output] = None
            input_grads = backward(ctx, grad)
            for position, slot, shape in grad_inputs:
                input_grad = input_grads[position]
                if input_grad is None:
                    continue
                if input_grad.shape != shape:
                    input_grad = unbroadcast(input_grad, shape)
                previous = grads[slot]
                grads[slot] = input_grad if previous is None else previous + input_grad
        return [values[slot] for slot in self._outputs], [
            None if slot is None else grads[slot] for slot in self._sources
        ]


def _reader(slots: list[int]) -> Any:
    """A function that picks `slots` out of the value list, as a tuple (operator.itemgetter, in C)."""
    if len(slots) == 1:
        (slot,) = slots
        return lambda values: (values[slot],)
    return operator.itemgetter(*slots)
