import numpy as np
import pytest

from neurona import layers


def test_flatten_keeps_the_batch_axis():
    assert layers.Flatten()(np.zeros((2, 28, 28))).shape == (2, 784)


def test_flatten_channels_first_moves_channels_last():
    x = np.arange(12.0).reshape(1, 3, 2, 2)
    out = layers.Flatten(data_format="channels_first")(x).numpy()
    np.testing.assert_array_equal(out, np.transpose(x, (0, 2, 3, 1)).reshape(1, -1))


def test_reshape_size_mismatch_is_explained():
    with pytest.raises(ValueError, match="cannot reshape"):
        layers.Reshape((5,))(np.zeros((2, 6)))
    with pytest.raises(ValueError, match="at most one -1"):
        layers.Reshape((-1, -1))
