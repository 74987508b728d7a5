"""`Hashing`: values to bins by a stable hash, and the hash `StringLookup` uses for its OOV buckets."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from ...engine import Tensor
from ..base import Layer
from .encoding import OUTPUT_MODES, check_output_mode, check_sparse, encode, encoded_shape


def token_text(value: Any) -> str:
    """The text of a token, as `tf.strings.as_string` writes it for numbers ("3", "1.500000")."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, (float, np.floating)):
        return f"{float(value):f}"
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return str(int(value))
    return str(value)


def _salt_key(salt: Any) -> bytes:
    if salt is None:
        return b""
    parts = [salt] if isinstance(salt, (int, np.integer)) else list(salt)
    return b"".join(int(p).to_bytes(8, "little", signed=False) for p in parts)


def stable_hash(values: np.ndarray, num_bins: int, salt: Any = None) -> np.ndarray:
    """`blake2b-64(text(v), key=salt) mod num_bins` for every value (int64 array of values' shape).

    Stable across processes, machines and versions (unlike Python's `hash`)."""
    values = np.asarray(values)
    unique, inverse = np.unique(values.reshape(-1), return_inverse=True)
    key = _salt_key(salt)
    buckets = np.array(
        [
            int.from_bytes(
                hashlib.blake2b(token_text(v).encode("utf-8"), digest_size=8, key=key).digest(), "little"
            )
            % num_bins
            for v in unique.tolist()
        ],
        dtype="int64",
    )
    return buckets[inverse].reshape(values.shape)


def _check_salt(salt: Any) -> Any:
    if salt is None:
        return None
    if isinstance(salt, (int, np.integer)) and not isinstance(salt, bool) and salt >= 0:
        return int(salt)
    if (
        isinstance(salt, (list, tuple))
        and len(salt) == 2
        and all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 0 for s in salt)
    ):
        return [int(s) for s in salt]
    raise ValueError(
        f"`salt` must be a non-negative integer or a list of two non-negative integers. Received: salt={salt!r}"
    )


class Hashing(Layer):
    """Hash values (strings or integers) into `num_bins` bins.

    Formula (h = a 64-bit hash of the value's text, keyed by `salt`):
        y = h(x) mod num_bins
        with mask_value:  y = 0 if x = mask_value else 1 + h(x) mod (num_bins − 1)

    **Differs from Keras in the bin numbers:** Keras 3's `Hashing` needs TensorFlow (FarmHash64
    fingerprints, or SipHash with a salt). neurona uses BLAKE2b (64-bit digest, keyed by the salt) of the
    value's text (integers in decimal), stable across runs and machines but not equal to Keras's bins.

    Args:
        num_bins: the number of bins, including the mask bin if `mask_value` is set.
        mask_value: a value that maps to bin 0 (None: no mask).
        salt: an integer, or two integers, keying the hash (None: unkeyed).
        output_mode: `"int"` (default; int64), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: only `False` is supported.

    Example:
        >>> Hashing(num_bins=3, mask_value="")(np.array([[""], ["a"]])).numpy()[:, 0].tolist()
        [0, 1]
    """

    accepts_strings = True

    def __init__(
        self,
        num_bins: int,
        mask_value: Any = None,
        salt: Any = None,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if isinstance(num_bins, bool) or not isinstance(num_bins, (int, np.integer)) or num_bins <= 0:
            raise ValueError(f"`num_bins` must be a positive integer. Received: num_bins={num_bins!r}")
        if mask_value is not None and num_bins < 2:
            raise ValueError(
                f"With `mask_value`, `num_bins` must be at least 2. Received: num_bins={num_bins}"
            )
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.salt = _check_salt(salt)
        self.output_mode = check_output_mode(output_mode, OUTPUT_MODES, "Hashing")
        self.sparse = check_sparse(sparse, "Hashing")

    def call(self, inputs: Tensor) -> Tensor:
        values = np.asarray(inputs.data)
        if values.dtype.kind == "f" and np.all(values == np.round(values)):
            values = values.astype("int64")  # whole numbers cast to float by a model hash as integers
        if self.mask_value is None:
            bins = stable_hash(values, self.num_bins, self.salt)
        else:
            bins = stable_hash(values, self.num_bins - 1, self.salt) + 1
            bins = np.where(values == self.mask_value, 0, bins)
        dtype = "int64" if self.output_mode == "int" else self.dtype
        return Tensor._wrap(encode(bins, self.output_mode, self.num_bins, dtype, f"Hashing '{self.name}'"))

    def compute_output_shape(self, input_shape: Any) -> Any:
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {
                "num_bins": self.num_bins,
                "salt": self.salt,
                "mask_value": self.mask_value,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config
