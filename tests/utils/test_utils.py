import numpy as np
import pytest

import neurona as nn


def test_to_categorical():
    np.testing.assert_array_equal(nn.utils.to_categorical([0, 2, 1], 3), [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert nn.utils.to_categorical([[1], [0]]).shape == (2, 2)  # a trailing 1 is squeezed, classes inferred
    with pytest.raises(ValueError, match=r"out of range for num_classes=3"):
        nn.utils.to_categorical([3], 3)
    with pytest.raises(ValueError, match="integer"):
        nn.utils.to_categorical([0.5])


def test_set_random_seed_reproduces_initializers_and_numpy():
    nn.utils.set_random_seed(5)
    a = (nn.initializers.GlorotUniform()((3, 4)), np.random.rand())
    nn.utils.set_random_seed(5)
    b = (nn.initializers.GlorotUniform()((3, 4)), np.random.rand())
    np.testing.assert_array_equal(a[0], b[0])
    assert a[1] == b[1]


def test_seeded_initializer_repeats_itself():
    init = nn.initializers.RandomNormal(seed=3)
    np.testing.assert_array_equal(init((5,)), init((5,)))


@pytest.mark.parametrize(
    "name, check",
    [
        ("glorot_uniform", lambda w: np.abs(w).max() <= np.sqrt(6 / (200 + 300))),
        ("he_uniform", lambda w: np.abs(w).max() <= np.sqrt(6 / 200)),
        ("lecun_uniform", lambda w: np.abs(w).max() <= np.sqrt(3 / 200)),
        (
            "he_normal",
            lambda w: (
                abs(w.std() - np.sqrt(2 / 200)) < 0.05 * np.sqrt(2 / 200)
                and np.abs(w).max() <= 2 * np.sqrt(2 / 200) / 0.8796 + 1e-6
            ),
        ),
        ("glorot_normal", lambda w: abs(w.std() - np.sqrt(2 / 500)) < 0.05 * np.sqrt(2 / 500)),
        ("random_normal", lambda w: abs(w.std() - 0.05) < 0.003),
        ("random_uniform", lambda w: np.abs(w).max() <= 0.05),
        ("truncated_normal", lambda w: np.abs(w).max() <= 0.1 + 1e-7),
        ("zeros", lambda w: not w.any()),
        ("ones", lambda w: np.all(w == 1)),
        ("orthogonal", lambda w: np.allclose(w @ w.T, np.eye(200), atol=1e-4)),  # orthonormal rows
    ],
)
def test_initializer_distributions(name, check):
    w = nn.initializers.get(name)((200, 300))
    assert w.dtype == np.float32 and check(w)


def test_identity_and_constant_and_unknown():
    np.testing.assert_array_equal(nn.initializers.Identity(gain=2.0)((2, 2)), [[2, 0], [0, 2]])
    np.testing.assert_array_equal(nn.initializers.Constant(3.0)((2,)), [3, 3])
    with pytest.raises(ValueError, match="Unknown initializer"):
        nn.initializers.get("glorot")
