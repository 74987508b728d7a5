"""`Tensor` (an immutable value wrapping a NumPy array) and `Variable` (a mutable, trainable one).

A `Tensor` knows nothing about gradients: recording is the tape's job (`tape.py`), and the arithmetic
operators dispatch to the differentiable ops by name through the op registry (`function.py`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import config


def to_array(value: Any, dtype: Any = None) -> np.ndarray:
    """Convert a Python number, list, ndarray or Tensor to an ndarray.

    Python floats (and lists of them) become `floatx()`; integers stay integers; booleans stay booleans.
    """
    if isinstance(value, Tensor):
        array = value.data
    elif isinstance(value, np.ndarray):
        array = value
    else:
        array = np.asarray(value)
        if dtype is None and array.dtype == np.float64:
            array = array.astype(config.floatx())
    if dtype is not None and array.dtype != np.dtype(dtype):
        array = array.astype(dtype)
    return array


def _dispatch(name: str, *args: Any, **kwargs: Any) -> Tensor:
    from .function import apply, get_op

    return apply(get_op(name), *args, **kwargs)


class Tensor:
    """An n-dimensional value: a NumPy array plus the operators of the differentiable ops.

    Example:
        >>> import neurona as nn
        >>> x = nn.Tensor([1.0, 2.0])
        >>> (x * 3 + 1).numpy()
        array([4., 7.], dtype=float32)
    """

    __slots__ = ("data", "__weakref__")
    __array_priority__ = 100

    def __init__(self, value: Any, dtype: Any = None) -> None:
        self.data = to_array(value, dtype)

    @classmethod
    def _wrap(cls, array: np.ndarray) -> Tensor:
        tensor = object.__new__(Tensor)
        tensor.data = array
        return tensor

    # --- what it is --------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> str:
        return self.data.dtype.name

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    def numpy(self) -> np.ndarray:
        """The value as a NumPy array (a copy for variables, so later updates do not show through)."""
        return self.data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} shape={self.shape} dtype={self.dtype}\n{self.data!r}>"

    __hash__ = object.__hash__

    # --- arithmetic (each one is a registered differentiable op) ------------------------------
    def __add__(self, other: Any) -> Tensor:
        return _dispatch("add", self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _dispatch("add", other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _dispatch("subtract", self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _dispatch("subtract", other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _dispatch("multiply", self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _dispatch("multiply", other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _dispatch("divide", self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _dispatch("divide", other, self)

    def __pow__(self, other: Any) -> Tensor:
        return _dispatch("power", self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return _dispatch("power", other, self)

    def __matmul__(self, other: Any) -> Tensor:
        return _dispatch("matmul", self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _dispatch("matmul", other, self)

    def __neg__(self) -> Tensor:
        return _dispatch("negative", self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return _dispatch("abs", self)

    def __getitem__(self, key: Any) -> Tensor:
        return _dispatch("get_item", self, key=key)

    # --- comparisons: not differentiable, they return boolean tensors -------------------------
    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return Tensor._wrap(np.equal(self.data, to_array(other)))

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return Tensor._wrap(np.not_equal(self.data, to_array(other)))

    def __lt__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.less(self.data, to_array(other)))

    def __le__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.less_equal(self.data, to_array(other)))

    def __gt__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.greater(self.data, to_array(other)))

    def __ge__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.greater_equal(self.data, to_array(other)))

    # --- a few NumPy-style methods --------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return _dispatch("reshape", self, newshape=shape)

    @property
    def T(self) -> Tensor:  # noqa: N802 - NumPy's name
        return _dispatch("transpose", self)

    def sum(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return _dispatch("sum", self, axis=axis, keepdims=keepdims)

    def mean(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        return _dispatch("mean", self, axis=axis, keepdims=keepdims)


class Variable(Tensor):
    """A mutable tensor: model weights and anything an optimizer updates.

    `assign`, `assign_add` and `assign_sub` write into the same array (in place), so optimizers and
    layers keep sharing it. Trainable variables are watched automatically by a `GradientTape`.

    Example:
        >>> import neurona as nn
        >>> v = nn.Variable(1.0)
        >>> v.assign_sub(0.25).numpy()
        array(0.75, dtype=float32)
    """

    __slots__ = ("trainable", "name", "constraint")

    def __init__(
        self,
        initial_value: Any,
        trainable: bool = True,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        if callable(initial_value):
            initial_value = initial_value()
        array = to_array(initial_value, dtype)
        if not np.issubdtype(array.dtype, np.number) and array.dtype != np.bool_:
            raise TypeError(
                f"A Variable holds numbers. Received a value of dtype {array.dtype}: {initial_value!r}"
            )
        self.data = np.array(array, copy=True)
        self.trainable = bool(trainable)
        self.name = name or "variable"
        self.constraint = None

    @property
    def value(self) -> Tensor:
        """The current value as a (non-variable) tensor."""
        return Tensor._wrap(self.data.copy())

    def read_value(self) -> Tensor:
        return self.value

    def numpy(self) -> np.ndarray:
        return self.data.copy()

    def assign(self, value: Any) -> Variable:
        """Set the value in place; the new value must have the variable's shape (or broadcast to it)."""
        array = to_array(value)
        if array.shape != self.data.shape:
            try:
                np.broadcast_to(array, self.data.shape)
            except ValueError:
                raise ValueError(
                    f"Cannot assign a value of shape {array.shape} to variable '{self.name}' of shape "
                    f"{self.data.shape}. Pass a value with the variable's shape."
                ) from None
        self.data[...] = array
        return self

    def assign_add(self, delta: Any) -> Variable:
        """`v ← v + delta`, in place."""
        return self.assign(self.data + to_array(delta))

    def assign_sub(self, delta: Any) -> Variable:
        """`v ← v − delta`, in place."""
        return self.assign(self.data - to_array(delta))

    def __repr__(self) -> str:
        return f"<Variable '{self.name}' shape={self.shape} dtype={self.dtype}, numpy=\n{self.data!r}>"
