"""`Hashing`: values to bins by a stable hash, and the hash `StringLookup` uses for its OOV buckets."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine import Tensor
from ..base import Layer
from ._hashes import farmhash64, siphash64
from .encoding import OUTPUT_MODES, check_output_mode, check_sparse, encode, encoded_shape


def token_text(value: Any) -> str:
    """The text of a token, as `tf.strings.as_string` writes it for integers ("3")."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return str(int(value))
    return str(value)


def stable_hash(values: np.ndarray, num_bins: int, salt: list[int] | None = None) -> np.ndarray:
    """`hash(text(v)) mod num_bins` for every value (an int64 array of the values' shape), with Keras's
    hashes: FarmHash Fingerprint64 without a salt, SipHash-2-4 keyed by `salt = [k0, k1]` with one.

    Floats are truncated to integers first and integers hash by their decimal text, as in Keras."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        values = values.astype("int64")
    unique, inverse = np.unique(values.reshape(-1), return_inverse=True)
    if salt is None:
        digests = [farmhash64(token_text(v).encode("utf-8")) for v in unique.tolist()]
    else:
        digests = [siphash64(token_text(v).encode("utf-8"), salt[0], salt[1]) for v in unique.tolist()]
    buckets = np.array([d % num_bins for d in digests], dtype="int64")
    return buckets[inverse].reshape(values.shape)


def _check_salt(salt: Any) -> list[int] | None:
    """Keras's salt: an integer s means the key [s, s]; or a pair of integers."""
    if salt is None:
        return None
    parts = [salt, salt] if isinstance(salt, (int, np.integer)) else salt
    if (
        isinstance(parts, (list, tuple))
        and len(parts) == 2
        and all(
            isinstance(p, (int, np.integer)) and not isinstance(p, bool) and 0 <= p < 2**64 for p in parts
        )
    ):
        return [int(p) for p in parts]
    raise ValueError(
        "`salt` must be a non-negative integer or a list of two non-negative integers. "
        f"Received: salt={salt!r}"
    )


class Hashing(Layer):
    """Hash values (strings or integers) into `num_bins` bins.

    Formula (h = a 64-bit hash of the value's UTF-8 text; integers as decimal text, floats truncated):
        y = h(x) mod num_bins
        with mask_value:  y = 0 if x = mask_value else 1 + h(x) mod (num_bins − 1)

    The hashes are Keras's (TensorFlow's), so the bins match Keras: FarmHash Fingerprint64 without a salt,
    SipHash-2-4 keyed by the salt with one (an integer s means the key [s, s]).

    Args:
        num_bins: the number of bins, including the mask bin if `mask_value` is set.
        mask_value: a value that maps to bin 0 (None: no mask).
        salt: an integer, or two integers, keying SipHash (None: FarmHash, unkeyed).
        output_mode: `"int"` (default; int64), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: only `False` is supported.

    Example:
        >>> Hashing(num_bins=3)(np.array([["A"], ["B"], ["C"], ["D"], ["E"]])).numpy()[:, 0].tolist()
        [1, 0, 1, 1, 2]
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
