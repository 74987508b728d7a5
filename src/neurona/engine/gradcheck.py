"""`gradcheck`: compare an op's (or any function's) analytical gradients with central finite differences.

Modelled on `torch.autograd.gradcheck`: float64 inputs, `eps=1e-6`, and the test
`|analytical − numerical| ≤ atol + rtol·|numerical|` element by element.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .tape import GradientTape
from .tensor import Tensor


class GradcheckError(AssertionError):
    """Raised when an analytical gradient does not match the finite-difference one."""


def _outputs(result: Any) -> list[Tensor]:
    if isinstance(result, (list, tuple)):
        return list(result)
    return [result]


def _numerical_jacobian(
    fn: Callable[..., Any], arrays: list[np.ndarray], j: int, eps: float
) -> list[np.ndarray]:
    """∂ out_i / ∂ in_j for every output i, one input element at a time: (f(x+eps) − f(x−eps)) / 2eps."""
    x = arrays[j]
    columns: list[list[np.ndarray]] = []
    for k in range(x.size):
        original = x.flat[k]
        x.flat[k] = original + eps
        plus = [o.data.astype(np.float64).ravel().copy() for o in _outputs(fn(*map(Tensor, arrays)))]
        x.flat[k] = original - eps
        minus = [o.data.astype(np.float64).ravel().copy() for o in _outputs(fn(*map(Tensor, arrays)))]
        x.flat[k] = original
        columns.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
    n_outputs = len(columns[0]) if columns else 0
    return [np.stack([col[i] for col in columns], axis=1) for i in range(n_outputs)]


def _analytical_jacobian(fn: Callable[..., Any], arrays: list[np.ndarray]) -> list[list[np.ndarray]]:
    """jac[i][j] = ∂ out_i / ∂ in_j, one vector-Jacobian product per output element (one-hot seeds)."""
    inputs = [Tensor(a) for a in arrays]
    with GradientTape(persistent=True) as tape:
        tape.watch(inputs)
        outputs = _outputs(fn(*inputs))
    jac = []
    for out in outputs:
        rows = [np.zeros((out.data.size, a.size)) for a in arrays]
        for k in range(out.data.size):
            seed = np.zeros(out.data.size)
            seed[k] = 1.0
            grads = tape.gradient(out, inputs, output_gradients=seed.reshape(out.shape))
            for j, g in enumerate(grads):
                if g is not None:
                    if g.shape != arrays[j].shape:
                        raise GradcheckError(
                            f"Gradient shape mismatch for input {j}: got {g.shape}, "
                            f"expected {arrays[j].shape}"
                        )
                    rows[j][k] = g.data.ravel()
        jac.append(rows)
    return jac


def gradcheck(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check the gradients of `fn` at `inputs` against central finite differences.

    Args:
        fn: takes one `Tensor` per input and returns a tensor or a tuple of tensors.
        inputs: float64 arrays (the check is not meaningful in float32: the finite-difference
            error alone is ~4e-3 there).
        eps: the finite-difference step.
        atol, rtol: the tolerance `|analytical − numerical| ≤ atol + rtol·|numerical|`.

    Returns:
        True when every gradient matches.

    Raises:
        GradcheckError: "Jacobian mismatch for output i with respect to input j", with both Jacobians.

    Example:
        >>> import neurona as nn, numpy as np
        >>> nn.gradcheck(lambda x: nn.ops.tanh(x) * x, [np.array([0.3, -1.2])])
        True
    """
    arrays = [np.array(a, dtype=np.float64) if not isinstance(a, np.ndarray) else a.copy() for a in inputs]
    for j, a in enumerate(arrays):
        if a.dtype != np.float64:
            raise ValueError(
                f"gradcheck needs float64 inputs; input {j} has dtype {a.dtype}. "
                "Pass np.asarray(x, dtype=np.float64)."
            )
    analytical = _analytical_jacobian(fn, arrays)
    for j in range(len(arrays)):
        numerical = _numerical_jacobian(fn, arrays, j, eps)
        for i, num in enumerate(numerical):
            ana = analytical[i][j]
            if not np.allclose(ana, num, atol=atol, rtol=rtol):
                raise GradcheckError(
                    f"Jacobian mismatch for output {i} with respect to input {j},\n"
                    f"numerical:\n{num}\nanalytical:\n{ana}\n"
                )
    return True
