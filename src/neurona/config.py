"""Global numeric settings, as in `keras.config`: the default float type and the fuzz factor epsilon.

These two values are the library's only process-wide settings; they live on one small object so that
every reader goes through `floatx()` / `epsilon()`.
"""

from __future__ import annotations

import numpy as np

_FLOAT_TYPES = ("float16", "float32", "float64")


class _Settings:
    __slots__ = ("floatx", "epsilon")

    def __init__(self) -> None:
        self.floatx = "float32"
        self.epsilon = 1e-7


_settings = _Settings()


def floatx() -> str:
    """The default float type, as a string (`"float32"` unless changed with `set_floatx`)."""
    return _settings.floatx


def set_floatx(value: str) -> None:
    """Set the default float type: one of `"float16"`, `"float32"`, `"float64"`."""
    if value not in _FLOAT_TYPES:
        raise ValueError(
            f"Unknown `floatx` value. Expected one of {_FLOAT_TYPES}. Received: floatx={value!r}"
        )
    _settings.floatx = str(value)


def epsilon() -> float:
    """The fuzz factor used by losses and metrics to clip probabilities (1e-7, as in Keras)."""
    return _settings.epsilon


def set_epsilon(value: float) -> None:
    """Set the fuzz factor returned by `epsilon()`."""
    _settings.epsilon = float(value)


def standardize_dtype(dtype: object) -> str:
    """Turn `None`, a NumPy dtype or a string into a dtype name; `None` means `floatx()`."""
    if dtype is None:
        return floatx()
    return np.dtype(dtype).name
