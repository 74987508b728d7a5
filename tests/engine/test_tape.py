import numpy as np
import pytest

import neurona as nn
from neurona import ops
from neurona.engine import GradientTape, Tensor, Variable, no_grad


def test_gradient_of_a_square():
    x = Variable(3.0)
    with GradientTape() as tape:
        y = x * x
    assert float(tape.gradient(y, x)) == 6.0  # d(x²)/dx = 2x = 6


def test_every_trainable_variable_of_one_op_gets_its_gradient():
    # y = sum(x @ W + b): dW = xᵀ·1, db = 1 per column (batch of 2 → 2)
    x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32")
    w = Variable(np.ones((2, 3)))
    b = Variable(np.zeros(3))
    with GradientTape() as tape:
        y = ops.sum(ops.dense(x, w, b))
    dw, db = tape.gradient(y, [w, b])
    np.testing.assert_allclose(dw.numpy(), [[4, 4, 4], [6, 6, 6]])
    np.testing.assert_allclose(db.numpy(), [2, 2, 2])


def test_broadcast_gradients_are_summed_back_once_in_the_engine():
    # tinygrad's golden: z = (x + y).sum() with x (3,1), y (1,4) gives dx = [[4],[4],[4]]
    x = Variable(np.zeros((3, 1)))
    y = Variable(np.zeros((1, 4)))
    with GradientTape() as tape:
        z = ops.sum(x + y)
    dx, dy = tape.gradient(z, [x, y])
    np.testing.assert_array_equal(dx.numpy(), [[4.0], [4.0], [4.0]])
    np.testing.assert_array_equal(dy.numpy(), [[3.0, 3.0, 3.0, 3.0]])


def test_a_tensor_used_twice_accumulates_both_paths():
    x = Variable(2.0)
    with GradientTape() as tape:
        y = x * x + x  # dy/dx = 2x + 1 = 5
    assert float(tape.gradient(y, x)) == 5.0


def test_non_persistent_tape_allows_one_gradient_call():
    x = Variable(1.0)
    with GradientTape() as tape:
        y = x * 2
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="persistent"):
        tape.gradient(y, x)


def test_persistent_tape_allows_several_calls():
    x = Variable(3.0)
    with GradientTape(persistent=True) as tape:
        y = x * x
        z = y * x
    assert float(tape.gradient(y, x)) == 6.0  # 2x
    assert float(tape.gradient(z, x)) == 27.0  # 3x²


def test_constants_need_watch():
    c = Tensor(2.0)
    with GradientTape() as tape:
        y = c * c
    assert tape.gradient(y, c) is None
    with GradientTape() as tape:
        tape.watch(c)
        y = c * c
    assert float(tape.gradient(y, c)) == 4.0


def test_watch_rejects_non_tensors():
    with GradientTape() as tape:
        with pytest.raises(TypeError, match="Tensor"):
            tape.watch(np.ones(2))


def test_watch_accessed_variables_false_and_non_trainable_variables():
    v = Variable(1.0)
    frozen = Variable(1.0, trainable=False)
    with GradientTape(watch_accessed_variables=False) as tape:
        y = v * 3
    assert tape.gradient(y, v) is None
    with GradientTape() as tape:
        y = frozen * 3
    assert tape.gradient(y, frozen) is None


def test_unconnected_gradients_zero():
    x, unused = Variable(1.0), Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = x * 2
    grads = tape.gradient(y, [x, unused], unconnected_gradients="zero")
    np.testing.assert_array_equal(grads[1].numpy(), [0.0, 0.0])


def test_sources_keep_their_structure():
    a, b = Variable(1.0), Variable(2.0)
    with GradientTape() as tape:
        y = a * b
    grads = tape.gradient(y, {"a": a, "b": b})
    assert set(grads) == {"a", "b"}
    assert float(grads["a"]) == 2.0 and float(grads["b"]) == 1.0


def test_no_grad_and_stop_recording_hide_ops_from_the_tape():
    x = Variable(2.0)
    with GradientTape() as tape:
        with no_grad():
            hidden = x * x
        with tape.stop_recording():
            also_hidden = x * 3
        y = x + hidden + also_hidden
    assert float(tape.gradient(y, x)) == 1.0  # only the direct `x` term is recorded


def test_output_gradients_weight_a_non_scalar_target():
    x = Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = x * x
    g = tape.gradient(y, x, output_gradients=np.array([1.0, 10.0]))
    np.testing.assert_allclose(g.numpy(), [2.0, 40.0])  # 2x · seed


def test_gradient_with_respect_to_an_intermediate_tensor():
    x = Variable(3.0)
    with GradientTape() as tape:
        h = x * 2
        y = h * h
    gh, gx = tape.gradient(y, [h, x])
    assert float(gh) == 12.0  # 2h = 12
    assert float(gx) == 24.0  # 2h · 2


def test_nested_tapes_record_independently():
    x = Variable(2.0)
    with GradientTape() as outer:
        with GradientTape() as inner:
            y = x * x * x
        g_inner = inner.gradient(y, x)
    assert float(g_inner) == 12.0  # 3x²
    assert float(outer.gradient(y, x)) == 12.0


def test_integer_labels_get_no_gradient_and_do_not_break_backward():
    logits = Variable(np.zeros((2, 3)))
    with GradientTape() as tape:
        loss = ops.sum(ops.sparse_softmax_cross_entropy(np.array([0, 2]), logits))
    grad = tape.gradient(loss, logits).numpy()
    # softmax(0,0,0) = 1/3 each; minus one-hot of the label
    np.testing.assert_allclose(grad, [[1 / 3 - 1, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3 - 1]], rtol=1e-6)


def test_minimize_from_public_namespace_matches_course_example():
    var = nn.Variable(1.0)
    opt = nn.optimizers.SGD(learning_rate=0.1)
    iterations = opt.minimize(lambda: (var**2) / 2.0, [var])
    assert int(iterations) == 1
    assert abs(float(var) - 0.9) < 1e-7  # var − lr·var = 1 − 0.1
