"""`GradientTape`: records the ops run on watched tensors and plays them back in reverse (reverse mode).

Recording is define-by-run: while a tape is active, every op whose inputs include a watched tensor (a
trainable `Variable`, a tensor passed to `watch`, or the output of a recorded op) appends one node to the
tape. `gradient` walks the nodes from last to first, calls each op's gradient rule, and sums gradients
back to the shapes of the inputs. Gradient rules work on ndarrays, so tapes give first derivatives.
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Any, Iterator

import numpy as np

from .tensor import Tensor, Variable

# The tapes that are recording in the current context (innermost last). A ContextVar, not a global:
# each thread and each async task sees its own.
_ACTIVE_TAPES: contextvars.ContextVar[tuple[GradientTape, ...]] = contextvars.ContextVar(
    "neurona_active_tapes", default=()
)


class _Node:
    __slots__ = ("op", "ctx", "inputs", "output", "attrs")

    def __init__(
        self, op: Any, ctx: Any, inputs: list[Tensor], output: Tensor, attrs: dict[str, Any]
    ) -> None:
        self.op = op
        self.ctx = ctx
        self.inputs = inputs
        self.output = output
        self.attrs = attrs  # the keyword arguments of the forward (a replay needs them; see plan.py)


def record(op: Any, ctx: Any, inputs: list[Tensor], output: Tensor, attrs: dict[str, Any]) -> None:
    """Called by `apply` after each forward: every active tape that watches an input records the op."""
    tapes = _ACTIVE_TAPES.get()
    if not tapes:
        return
    for tape in tapes:
        if tape._watches_any(inputs):
            tape._nodes.append(_Node(op, ctx, inputs, output, attrs))
            tape._watched[id(output)] = output


def is_recording() -> bool:
    """True while at least one tape is recording."""
    return bool(_ACTIVE_TAPES.get())


class no_grad:  # noqa: N801 - used like a function: `with no_grad(): ...`
    """Run a block with recording off (the ops inside are invisible to every tape).

    A small class rather than a generator-based context manager: it is entered on every predict call.
    """

    __slots__ = ("_token",)

    def __enter__(self) -> None:
        self._token = _ACTIVE_TAPES.set(())

    def __exit__(self, *exc: Any) -> None:
        _ACTIVE_TAPES.reset(self._token)


def _flatten(structure: Any) -> tuple[list[Any], Any]:
    """Flatten a tensor, list/tuple or dict of tensors; return the leaves and a rebuild function."""
    if isinstance(structure, dict):
        keys = list(structure)
        return [structure[k] for k in keys], lambda leaves: dict(zip(keys, leaves))
    if isinstance(structure, (list, tuple)):
        kind = type(structure)
        return list(structure), lambda leaves: kind(leaves) if kind in (list, tuple) else list(leaves)
    return [structure], lambda leaves: leaves[0]


class GradientTape:
    """Record operations for automatic differentiation, as `tf.GradientTape` does.

    Args:
        persistent: allow several calls to `gradient` (otherwise the tape is released after one).
        watch_accessed_variables: watch every trainable `Variable` an op reads (default `True`).

    Example:
        >>> import neurona as nn
        >>> x = nn.Variable(3.0)
        >>> with nn.GradientTape() as tape:
        ...     y = x * x
        >>> float(tape.gradient(y, x))
        6.0
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._nodes: list[_Node] = []
        self._watched: dict[int, Tensor] = {}
        self._token: contextvars.Token | None = None
        self._used = False

    # --- recording ---------------------------------------------------------------------------
    def __enter__(self) -> GradientTape:
        self._token = _ACTIVE_TAPES.set(_ACTIVE_TAPES.get() + (self,))
        return self

    def __exit__(self, *exc: Any) -> None:
        _ACTIVE_TAPES.reset(self._token)
        self._token = None

    def _watches_any(self, inputs: list[Tensor]) -> bool:
        """Whether an op on `inputs` must be recorded; also starts watching the trainable variables
        among them (every one of them, so that each gets its gradient)."""
        found = False
        for tensor in inputs:
            if id(tensor) in self._watched:
                found = True
            elif self.watch_accessed_variables and isinstance(tensor, Variable) and tensor.trainable:
                self._watched[id(tensor)] = tensor
                found = True
        return found

    def watch(self, tensor: Any) -> None:
        """Watch a tensor (or a list/dict of them) so that gradients with respect to it can be taken."""
        leaves, _ = _flatten(tensor)
        for leaf in leaves:
            if not isinstance(leaf, Tensor):
                raise TypeError(
                    f"`watch` takes tensors or variables. Received an object of type {type(leaf).__name__}. "
                    "Wrap NumPy arrays with neurona.Tensor(...) or neurona.ops.convert_to_tensor(...) first."
                )
            self._watched[id(leaf)] = leaf

    def watched_variables(self) -> list[Variable]:
        """The variables this tape has watched, in the order they were first seen."""
        return [t for t in self._watched.values() if isinstance(t, Variable)]

    @contextlib.contextmanager
    def stop_recording(self) -> Iterator[None]:
        """Temporarily stop this tape (and every other tape) from recording."""
        with no_grad():
            yield

    def reset(self) -> None:
        """Forget everything recorded so far."""
        self._nodes.clear()
        self._watched.clear()

    # --- playback ------------------------------------------------------------------------------
    def gradient(
        self,
        target: Any,
        sources: Any,
        output_gradients: Any = None,
        unconnected_gradients: str = "none",
    ) -> Any:
        """Gradients of `target` (summed over its elements) with respect to each of `sources`.

        `sources` may be one tensor, a list/tuple or a dict of them; the result has the same structure.
        A source that `target` does not depend on gets `None` (or zeros with
        `unconnected_gradients="zero"`).
        """
        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of gradients. "
                "Create it with GradientTape(persistent=True) to call gradient() several times."
            )
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(
                "`unconnected_gradients` must be 'none' or 'zero'. "
                f"Received: unconnected_gradients={unconnected_gradients!r}"
            )
        self._used = True
        targets, _ = _flatten(target)
        seeds, _ = (
            _flatten(output_gradients) if output_gradients is not None else ([None] * len(targets), None)
        )
        leaves, rebuild = _flatten(sources)
        for leaf in leaves:
            if not isinstance(leaf, Tensor):
                raise TypeError(
                    f"`sources` must be tensors or variables. Received an object of type {type(leaf).__name__}."
                )
        grads = self._backward(targets, seeds, {id(leaf) for leaf in leaves})
        results = []
        for leaf in leaves:
            grad = grads.get(id(leaf))
            if grad is None and unconnected_gradients == "zero":
                grad = np.zeros_like(leaf.data)
            results.append(None if grad is None else Tensor._wrap(grad))
        if not self.persistent:
            self.reset()
        return rebuild(results)

    def _backward(self, targets: list[Tensor], seeds: list[Any], keep: set[int]) -> dict[int, np.ndarray]:
        grads: dict[int, np.ndarray] = {}
        for target, seed in zip(targets, seeds):
            if not isinstance(target, Tensor):
                raise TypeError(f"`target` must be a tensor. Received: {type(target).__name__}")
            seed_array = np.ones_like(target.data) if seed is None else np.asarray(seed, dtype=target.dtype)
            _accumulate(grads, id(target), seed_array)
        for node in reversed(self._nodes):
            key = id(node.output)
            grad = grads.get(key) if key in keep else grads.pop(key, None)
            if grad is None:
                continue
            node.ctx.needs_input_grad = tuple(id(t) in self._watched for t in node.inputs)
            input_grads = node.op.backward(node.ctx, grad)
            for tensor, input_grad in zip(node.inputs, input_grads):
                if input_grad is None or id(tensor) not in self._watched:
                    continue
                if input_grad.shape != tensor.data.shape:
                    input_grad = unbroadcast(input_grad, tensor.data.shape)
                _accumulate(grads, id(tensor), input_grad)
        return grads


def _accumulate(grads: dict[int, np.ndarray], key: int, grad: np.ndarray) -> None:
    previous = grads.get(key)
    grads[key] = grad if previous is None else previous + grad


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a gradient of a broadcast shape back to `shape` (the inverse of NumPy broadcasting)."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)
