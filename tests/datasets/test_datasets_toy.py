import builtins

import numpy as np
import pytest

from neurona import datasets
from neurona.datasets import toy

SHAPES = {
    "digits": (1797, 64),
    "wine": (178, 13),
    "iris": (150, 4),
    "breast_cancer": (569, 30),
    "diabetes": (442, 10),
}


@pytest.mark.parametrize("name", toy.NAMES)
def test_arrays(name):
    x, y = toy.load(name)
    assert x.shape == SHAPES[name] and x.dtype == np.float64 and y.shape == (SHAPES[name][0],)


@pytest.mark.parametrize("name", ["iris", "diabetes"])
def test_frames_and_split(name):
    pytest.importorskip("pandas")
    (x_train, y_train), (x_test, y_test) = toy.load(name, as_frame=True, test_split=0.2, seed=0)
    assert len(x_train) + len(x_test) == SHAPES[name][0]
    assert len(x_test) == SHAPES[name][0] - int(SHAPES[name][0] * 0.8)
    assert list(x_train.columns) and y_train.name == "target"


def test_seeded_split_and_alias():
    a = datasets.load_toy("wine", test_split=0.25, seed=5)
    b = toy.load("wine", test_split=0.25, seed=5)
    np.testing.assert_array_equal(a[0][0], b[0][0])
    np.testing.assert_array_equal(a[1][1], b[1][1])


def test_digits_load_data_still_works():
    (x_train, y_train), (x_test, _) = datasets.digits.load_data()
    assert x_train.shape[1:] == (8, 8) and x_train.dtype == np.uint8 and len(x_train) + len(x_test) == 1797


def test_unknown_name_and_bad_split():
    with pytest.raises(ValueError, match="Expected one of"):
        toy.load("titanic")
    with pytest.raises(ValueError, match="test_split"):
        toy.load("iris", test_split=1.5)


def test_missing_sklearn_names_the_extra(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "sklearn" or name.startswith("sklearn."):
            raise ImportError("no sklearn")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=r"neurona\[examples\]"):
        toy.load("iris")
