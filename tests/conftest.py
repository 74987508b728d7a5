"""Shared test setup: every test starts from the same seed and the default float type."""

import numpy as np
import pytest

import neurona


@pytest.fixture(autouse=True)
def _fresh_state():
    neurona.utils.set_random_seed(1234)
    neurona.utils.clear_session()
    neurona.config.set_floatx("float32")
    yield
    neurona.config.set_floatx("float32")


@pytest.fixture
def float64():
    neurona.config.set_floatx("float64")
    yield
    neurona.config.set_floatx("float32")


def pytest_collection_modifyitems(config, items):
    try:
        import torch  # noqa: F401
    except ImportError:
        skip = pytest.mark.skip(reason="PyTorch is not installed (pip install torch==2.13.0)")
        for item in items:
            if "torch" in item.keywords:
                item.add_marker(skip)


def assert_close(actual, expected, atol=1e-6, rtol=1e-6):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), atol=atol, rtol=rtol)
