import numpy as np
import pytest

import neurona as nn
from neurona.engine import Tensor, Variable


def test_python_floats_become_floatx_and_ints_stay_ints():
    assert Tensor([1.0, 2.0]).dtype == "float32"
    assert Tensor([1, 2]).data.dtype.kind == "i"
    assert Variable(1.0).dtype == "float32"


def test_float64_on_request(float64):
    assert Variable(1.0).dtype == "float64"
    assert nn.config.floatx() == "float64"


def test_set_floatx_rejects_unknown_types():
    with pytest.raises(ValueError, match="floatx"):
        nn.config.set_floatx("float128x")


def test_operators_compute_what_numpy_computes():
    a = Tensor([[1.0, 2.0], [3.0, 4.0]])
    b = np.array([[0.5, -1.0], [2.0, 0.25]], dtype="float32")
    np.testing.assert_allclose((a + b).numpy(), a.data + b)
    np.testing.assert_allclose((b - a).numpy(), b - a.data)
    np.testing.assert_allclose((a * 3).numpy(), a.data * 3)
    np.testing.assert_allclose((1 / a).numpy(), 1 / a.data)
    np.testing.assert_allclose((a**2).numpy(), [[1, 4], [9, 16]])
    np.testing.assert_allclose((2**a).numpy(), [[2, 4], [8, 16]])
    np.testing.assert_allclose((a @ b).numpy(), a.data @ b)
    np.testing.assert_allclose((-a).numpy(), -a.data)
    np.testing.assert_allclose(abs(Tensor([-2.0])).numpy(), [2.0])
    np.testing.assert_array_equal((a > 2).numpy(), [[False, False], [True, True]])
    np.testing.assert_array_equal((a == 4.0).numpy(), [[False, False], [False, True]])
    np.testing.assert_allclose(a[1, 0].numpy(), 3.0)
    np.testing.assert_allclose(a[:, 1].numpy(), [2.0, 4.0])
    assert (a * 3).dtype == "float32"  # a Python scalar takes the tensor's dtype


def test_variable_assign_family_works_in_place():
    v = Variable([1.0, 2.0], name="v")
    array = v.data
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub([0.5, 0.5])
    np.testing.assert_allclose(v.numpy(), [3.5, 4.5])
    assert v.data is array  # the same buffer: optimizers and layers keep sharing it


def test_variable_numpy_is_a_copy():
    v = Variable([1.0])
    snapshot = v.numpy()
    v.assign([2.0])
    assert snapshot[0] == 1.0


def test_variable_assign_with_a_wrong_shape_says_what_and_how():
    v = Variable(np.zeros((2, 3)), name="w")
    with pytest.raises(ValueError, match=r"shape \(3, 2\).*'w' of shape \(2, 3\)"):
        v.assign(np.zeros((3, 2)))


def test_variable_rejects_strings():
    with pytest.raises(TypeError, match="numbers"):
        Variable(["a", "b"])


def test_variable_trainable_flag_and_repr():
    v = Variable(1.0, trainable=False, name="count")
    assert v.trainable is False
    assert "count" in repr(v)
