import numpy as np
import pytest

from neurona.data import adapter


def test_features_become_floatx_once_and_labels_keep_integers():
    x = adapter.standardize_inputs(np.arange(6, dtype=np.int64).reshape(3, 2), 1, "x")
    y = adapter.standardize_inputs(np.array([0, 1, 2]), 1, "y", features=False)
    assert x.dtype == np.float32 and y.dtype.kind == "i"
    assert adapter.standardize_inputs([[0.5], [1.5]], 1, "y", features=False).dtype == np.float32


def test_nan_message_counts_and_locates():
    x = np.zeros((4, 3))
    x[2, 1] = np.nan
    x[3, 0] = np.inf
    with pytest.raises(
        ValueError, match=r"2 NaN or infinite value\(s\); the first is at row 2, column 1: nan.*SimpleImputer"
    ):
        adapter.check_finite(x, "x")


def test_ragged_lists_are_explained():
    with pytest.raises(ValueError, match="same shape"):
        adapter.to_array([[1, 2], [3]], "x")


def test_cardinality_message_is_keras_s():
    with pytest.raises(ValueError, match="Data cardinality is ambiguous.*'x' sizes: 3.*'y' sizes: 2"):
        adapter.check_cardinality(x=[np.zeros(3)], y=[np.zeros(2)])


def test_split_takes_the_last_fraction():
    x = np.arange(10).reshape(10, 1)
    (train, _), (val, _) = adapter.train_validation_split(([x], [x]), 0.25)
    # split_at = floor(10 · 0.75) = 7
    np.testing.assert_array_equal(train[0][:, 0], np.arange(7))
    np.testing.assert_array_equal(val[0][:, 0], [7, 8, 9])


def test_batches_cover_every_sample_once_per_epoch():
    rng = np.random.default_rng(0)
    batches = list(adapter.batch_indices(10, 4, True, rng))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches)) == list(range(10))
    assert list(adapter.batch_indices(5, 2, False, rng)) == [slice(0, 2), slice(2, 4), slice(4, 6)]


def test_huge_but_finite_values_pass_the_finiteness_check():
    x = np.full(
        (1000, 10), 3e38, dtype=np.float32
    )  # their float32 sum overflows to inf; each value is finite
    adapter.check_finite(x, "x")


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_small_arrays_with_one_bad_value_are_refused_whatever_the_dtype(dtype, bad):
    # small arrays take the Σx² path (float32/float64) or the mask (float16); both must see one bad value
    x = np.ones((1, 784), dtype=dtype)
    x[0, 500] = bad
    with pytest.raises(ValueError, match=r"1 NaN or infinite value\(s\); the first is at row 0, column 500"):
        adapter.check_finite(x, "x")
    adapter.check_finite(
        np.full((1, 784), 1e30 if dtype != np.float16 else 6e4, dtype=dtype), "x"
    )  # Σx² = inf
    adapter.check_finite(np.ones((1, 784), dtype=dtype)[:, ::2], "x")  # a strided view


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("layout", ["c", "f", "strided"])
def test_large_arrays_with_one_bad_value_are_refused_in_every_layout(dtype, bad, layout):
    # large arrays take Σx² through BLAS (C-contiguous float32/float64) or a plain sum (the rest)
    x = np.ones((300, 40), dtype=dtype)
    x[123, 17] = bad
    if layout == "f":
        x = np.asfortranarray(x)
    elif layout == "strided":
        x = np.repeat(x, 2, axis=1)[:, ::2]
    with pytest.raises(ValueError, match=r"1 NaN or infinite value\(s\); the first is at row 123, column 17"):
        adapter.check_finite(x, "x")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_arrays_whose_square_sum_overflows_still_pass(dtype):
    huge = 1e30 if dtype == np.float32 else 1e200  # x² overflows to inf; every x is finite
    adapter.check_finite(np.full((300, 40), huge, dtype=dtype), "x")
    adapter.check_finite(np.full((300, 40), -huge, dtype=dtype), "x")
