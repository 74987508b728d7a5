"""Global numeric settings, as in `keras.config`: the default float type and the fuzz factor epsilon;
and one of neurona's own, whether the optional compiled kernels are used.

These values are the library's only process-wide settings; they live on one small object so that every
reader goes through `floatx()` / `epsilon()` / `native_kernels()`.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

_FLOAT_TYPES = ("float16", "float32", "float64")


class _Settings:
    __slots__ = ("floatx", "epsilon", "native")

    def __init__(self) -> None:
        self.floatx = "float32"
        self.epsilon = 1e-7
        self.native = os.environ.get("NEURONA_NATIVE", "1") != "0"


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


def native_kernels() -> bool:
    """Whether optimizers use neurona's compiled kernels (`neurona._kernels`) where they apply.

    The kernels are an optional C module built at install time when a C compiler is present; they fuse
    an optimizer's update into one pass over memory and give results bit-identical to the NumPy rules.
    On by default when built; `NEURONA_NATIVE=0` in the environment or `set_native_kernels(False)`
    turns them off.
    """
    return _settings.native and _KERNELS is not None


def set_native_kernels(enabled: bool) -> None:
    """Use (True) or bypass (False) the compiled kernels; without them every update runs in NumPy."""
    _settings.native = bool(enabled)


def kernels() -> Any:
    """The compiled kernel module when it is built and enabled, else None (callers then use NumPy)."""
    return _KERNELS if _settings.native else None


def _load_kernels() -> Any:
    try:
        from . import _kernels
    except ImportError:
        return None
    return _kernels


_KERNELS = _load_kernels()  # a constant: what the install built


def standardize_dtype(dtype: object) -> str:
    """Turn `None`, a NumPy dtype or a string into a dtype name; `None` means `floatx()`."""
    if dtype is None:
        return floatx()
    return np.dtype(dtype).name
