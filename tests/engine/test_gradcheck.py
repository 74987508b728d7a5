import numpy as np
import pytest

import neurona as nn
from neurona.engine import Op, apply


class _WrongSquare(Op):
    """x² with a deliberately wrong gradient (x instead of 2x)."""

    name = "wrong_square"

    @staticmethod
    def forward(ctx, x):
        ctx.x = x
        return x * x

    @staticmethod
    def backward(ctx, g):
        return (g * ctx.x,)


def test_gradcheck_passes_a_correct_function():
    rng = np.random.default_rng(0)
    assert nn.gradcheck(
        lambda a, b: nn.ops.tanh(a @ b) * 2, [rng.normal(size=(3, 4)), rng.normal(size=(4, 2))]
    )


def test_gradcheck_names_output_and_input_with_both_values():
    x = np.array([1.0, 2.0])
    with pytest.raises(nn.GradcheckError) as info:
        nn.gradcheck(lambda a, b: a * apply(_WrongSquare, b), [np.array([1.0, 1.0]), x])
    message = str(info.value)
    assert "Jacobian mismatch for output 0 with respect to input 1" in message
    assert "numerical" in message and "analytical" in message
    assert "4." in message  # the numerical d(x²)/dx at x = 2


def test_gradcheck_reports_which_of_several_outputs():
    x = np.array([1.5])
    with pytest.raises(nn.GradcheckError, match="output 1 with respect to input 0"):
        nn.gradcheck(lambda a: (a * 2, apply(_WrongSquare, a)), [x])


def test_gradcheck_requires_float64():
    with pytest.raises(ValueError, match="float64"):
        nn.gradcheck(lambda a: a * a, [np.array([1.0], dtype=np.float32)])
