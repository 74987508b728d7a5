"""`StringLookup` and `IntegerLookup`: tokens to indices (or indices to tokens) through a vocabulary,
given or learned by `adapt()`. The vocabulary lives in the layer's config, so a saved model carries it.

Index layout (Keras's): with `output_mode="int"`, the mask token (if any) is index 0, then the
`num_oov_indices` OOV indices, then the vocabulary. In the other modes the mask token takes no index (it
encodes as nothing) and the OOV indices come first.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ...engine import Tensor
from ..base import Layer
from ._data import adapt_batches, as_array
from .encoding import OUTPUT_MODES, as_integers, check_output_mode, check_sparse, encode, encoded_shape
from .hashing import stable_hash


class _IndexLookup(Layer):
    """The shared machinery of `StringLookup` and `IntegerLookup` (subclasses set `_kind`)."""

    accepts_strings = True
    _kind = "string"

    def __init__(
        self,
        max_tokens: int | None,
        num_oov_indices: int,
        mask_token: Any,
        oov_token: Any,
        vocabulary: Any,
        invert: bool,
        output_mode: str,
        sparse: bool,
        pad_to_max_tokens: bool,
        idf_weights: Any = None,
        vocabulary_size: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        caller = type(self).__name__
        if max_tokens is not None and (
            isinstance(max_tokens, bool) or not isinstance(max_tokens, (int, np.integer)) or max_tokens <= 1
        ):
            raise ValueError(
                f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens!r}"
            )
        if (
            isinstance(num_oov_indices, bool)
            or not isinstance(num_oov_indices, (int, np.integer))
            or num_oov_indices < 0
        ):
            raise ValueError(
                f"`num_oov_indices` must be an integer >= 0. Received: num_oov_indices={num_oov_indices!r}"
            )
        if output_mode == "tf_idf" or idf_weights is not None:
            raise ValueError(f"{caller}(output_mode='tf_idf') is not supported by neurona yet.")
        self.output_mode = check_output_mode(output_mode, OUTPUT_MODES, caller)
        if invert and output_mode != "int":
            raise ValueError(
                f"`output_mode` must be 'int' when `invert=True`. Received: output_mode={output_mode!r}"
            )
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(
                "If pad_to_max_tokens is True, you must set `max_tokens`. Received: max_tokens=None"
            )
        self.max_tokens = None if max_tokens is None else int(max_tokens)
        self.num_oov_indices = int(num_oov_indices)
        self.mask_token = self._token(mask_token) if mask_token is not None else None
        self.oov_token = self._token(oov_token) if oov_token is not None else None
        self.invert = bool(invert)
        self.sparse = check_sparse(sparse, caller)
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self._tokens: list[Any] = []
        self._index: dict[Any, int] = {}
        if vocabulary is not None:
            self.set_vocabulary(vocabulary)

    # --- the vocabulary ----------------------------------------------------------------------------
    def _token(self, value: Any) -> Any:
        raise NotImplementedError

    def _oov_start(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start(self) -> int:
        return self._oov_start() + self.num_oov_indices

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Use `vocabulary` (a list or 1-D array of unique tokens; it may start with the special tokens
        in layer order: mask token, then the OOV tokens)."""
        if idf_weights is not None:
            raise ValueError("`idf_weights` (output_mode='tf_idf') is not supported by neurona yet.")
        array = as_array(vocabulary)
        if array.ndim != 1 or array.size == 0:
            raise ValueError(f"`vocabulary` must be a non-empty 1-D list of tokens. Received: {vocabulary!r}")
        tokens = [self._token(t) for t in array.tolist()]
        special = [self.mask_token] * self._oov_start() + [self.oov_token] * self.num_oov_indices
        if special and tokens[: len(special)] == special:
            tokens = tokens[len(special) :]
        repeated = sorted({str(t) for t, n in Counter(tokens).items() if n > 1})
        if repeated:
            raise ValueError(f"The vocabulary has repeated tokens: {repeated}. Each token must appear once.")
        if self.mask_token is not None and self.mask_token in tokens:
            raise ValueError(
                f"The mask token {self.mask_token!r} appears inside `vocabulary`. Remove it, or put the special "
                f"tokens only at the start, in this order: {special}."
            )
        if self.invert and self.oov_token in tokens:
            raise ValueError(f"The OOV token {self.oov_token!r} appears inside `vocabulary` (invert=True).")
        if self.max_tokens is not None and len(tokens) + self._token_start() > self.max_tokens:
            raise ValueError(
                f"The vocabulary ({len(tokens)} tokens + {self._token_start()} special indices) is larger than "
                f"max_tokens={self.max_tokens}."
            )
        self._tokens = tokens
        start = self._token_start()
        self._index = {token: start + i for i, token in enumerate(tokens)}

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[Any]:
        """The tokens by index (with the special tokens first, unless `include_special_tokens=False`)."""
        if not include_special_tokens:
            return list(self._tokens)
        special = [self.mask_token] * self._oov_start() + [self.oov_token] * self.num_oov_indices
        return special + list(self._tokens)

    def vocabulary_size(self) -> int:
        """The number of indices, special ones included."""
        return self._token_start() + len(self._tokens)

    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Learn the vocabulary: tokens by decreasing frequency, ties in decreasing token order (as
        Keras), the mask and OOV tokens left out, at most `max_tokens` indices in all."""
        counts: Counter = Counter()
        for batch in adapt_batches(data, batch_size, steps):
            values, frequency = np.unique(self._prepare(np.asarray(batch)).reshape(-1), return_counts=True)
            counts.update(dict(zip((self._token(v) for v in values.tolist()), frequency.tolist())))
        counts.pop(self.mask_token, None)
        counts.pop(self.oov_token, None)
        ordered = sorted(counts.items(), key=lambda item: (item[1], item[0]), reverse=True)
        if self.max_tokens is not None:
            ordered = ordered[: max(self.max_tokens - self._token_start(), 0)]
        self._tokens = []
        if ordered:
            self.set_vocabulary([token for token, _ in ordered])

    # --- calling ------------------------------------------------------------------------------------
    def _prepare(self, values: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _oov_bucket(self, values: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def call(self, inputs: Tensor) -> Tensor:
        if self.invert:
            return Tensor._wrap(self._invert(np.asarray(inputs.data)))
        values = self._prepare(np.asarray(inputs.data))
        unique, inverse = np.unique(values.reshape(-1), return_inverse=True)
        found = np.array([self._index.get(self._token(v), -1) for v in unique.tolist()], dtype="int64")
        indices = found[inverse].reshape(values.shape)
        oov = indices < 0
        if oov.any():
            if self.num_oov_indices == 0:
                raise ValueError(
                    f"Layer '{self.name}' received tokens not in its vocabulary with num_oov_indices=0: "
                    f"{sorted(set(values[oov].tolist()))[:10]}. Set num_oov_indices=1 or add them to the vocabulary."
                )
            buckets = self._oov_bucket(values[oov]) if self.num_oov_indices > 1 else 0
            indices[oov] = self._oov_start() + buckets
        if self.mask_token is not None:
            is_mask = values == self.mask_token
            indices[is_mask] = 0 if self.output_mode == "int" else -1
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        dtype = "int64" if self.output_mode == "int" else self.dtype
        where = f"{type(self).__name__} '{self.name}'"
        return Tensor._wrap(encode(indices, self.output_mode, depth, dtype, where, skip=-1))

    def _invert(self, indices: np.ndarray) -> np.ndarray:
        indices = as_integers(indices, f"{type(self).__name__} '{self.name}' (invert=True)")
        vocabulary = self.get_vocabulary()
        table = np.array(vocabulary + [self.oov_token], dtype=object)
        safe = np.where((indices >= 0) & (indices < len(vocabulary)), indices, len(vocabulary))
        out = table[safe]
        return out.astype(str) if self._kind == "string" else out.astype("int64")

    def compute_output_shape(self, input_shape: Any) -> Any:
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        return encoded_shape(input_shape, self.output_mode, depth)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {
                "invert": self.invert,
                "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices,
                "oov_token": self.oov_token,
                "mask_token": self.mask_token,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary": list(self._tokens) or None,
                "vocabulary_size": self.vocabulary_size(),
            }
        )
        return config


class StringLookup(_IndexLookup):
    """Map strings to integer indices through a vocabulary (or, with `invert=True`, indices to strings).

    Formula (int mode, mask token m, K = num_oov_indices, vocabulary v_0..v_{n−1}):
        y = 0 if x = m;   y = s + j if x = v_j;   y = s − K + bucket(x) otherwise (OOV)
        where s = K (+1 with a mask token) and bucket(x) = 0 for K = 1, FarmHash64(x) mod K for K > 1.

    `adapt(data)` learns the vocabulary: tokens by decreasing count, ties in decreasing (reverse
    lexicographic) order, as Keras does. The vocabulary is part of `get_config()` (a JSON list), so
    `model.save` keeps it. With `output_mode` `"one_hot"`, `"multi_hot"` or `"count"`, the indices are then
    encoded as `CategoryEncoding` does (depth = `vocabulary_size()`, or `max_tokens` with
    `pad_to_max_tokens=True`).

    Keras 3's lookup layers need TensorFlow; neurona's follow the same rules without it (OOV buckets for
    `num_oov_indices > 1` use the same FarmHash Fingerprint64). Not supported: `output_mode="tf_idf"` and
    `sparse=True`. Strings do not go through `model.fit`: apply the layer to the data first (or in a
    preprocessing model) and fit on the numbers.

    Args:
        max_tokens: the most indices (special ones included) `adapt()` may make; None: no limit.
        num_oov_indices: the number of OOV indices (1); 0 makes OOV inputs an error.
        mask_token: a token mapped to index 0 (None: no mask).
        oov_token: the token returned for OOV indices with `invert=True` ("[UNK]").
        vocabulary: a list of tokens (or None, then adapt).
        invert: map indices back to tokens.
        output_mode: `"int"` (default; int64), `"one_hot"`, `"multi_hot"` or `"count"`.

    Example:
        >>> layer = StringLookup(vocabulary=["a", "b", "c"])
        >>> layer(np.array([["a", "c"], ["d", "b"]])).numpy().tolist()
        [[1, 3], [0, 2]]
    """

    _kind = "string"

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: str | None = None,
        oov_token: str = "[UNK]",
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        encoding: str = "utf-8",
        **kwargs: Any,
    ) -> None:
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(
            max_tokens, num_oov_indices, mask_token, oov_token, vocabulary, invert, output_mode, sparse,
            pad_to_max_tokens, idf_weights, **kwargs,
        )  # fmt: skip

    def _token(self, value: Any) -> str:
        return value.decode(self.encoding) if isinstance(value, bytes) else str(value)

    def _prepare(self, values: np.ndarray) -> np.ndarray:
        if values.dtype.kind == "S":
            return np.char.decode(values, self.encoding)
        if values.dtype.kind in "UO":
            return values.astype(str)
        raise TypeError(
            f"StringLookup '{self.name}' takes strings. Received an input of dtype {values.dtype}; "
            "use IntegerLookup for integers."
        )

    def _oov_bucket(self, values: np.ndarray) -> np.ndarray:
        return stable_hash(values, self.num_oov_indices)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"encoding": self.encoding, "vocabulary_dtype": "string"})
        return config


class IntegerLookup(_IndexLookup):
    """Map integers to contiguous indices through a vocabulary (or, with `invert=True`, back).

    The same index rules, `adapt()` ordering and config as `StringLookup`; the default OOV token is -1
    and OOV buckets for `num_oov_indices > 1` are `x mod num_oov_indices` (Keras's "floormod").

    Example:
        >>> layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer(np.array([[12, 1138, 42], [42, 1000, 36]])).numpy().tolist()
        [[1, 3, 4], [4, 0, 2]]
    """

    _kind = "int"

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: int | None = None,
        oov_token: int = -1,
        output_mode: str = "int",
        sparse: bool = False,
        vocabulary: Any = None,
        vocabulary_dtype: str = "int64",
        idf_weights: Any = None,
        invert: bool = False,
        pad_to_max_tokens: bool = False,
        **kwargs: Any,
    ) -> None:
        if vocabulary_dtype not in ("int32", "int64"):
            raise ValueError(
                f"`vocabulary_dtype` of IntegerLookup must be 'int32' or 'int64'. Received: {vocabulary_dtype!r}"
            )
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(
            max_tokens, num_oov_indices, mask_token, oov_token, vocabulary, invert, output_mode, sparse,
            pad_to_max_tokens, idf_weights, **kwargs,
        )  # fmt: skip

    def _token(self, value: Any) -> int:
        if isinstance(value, (bool, np.bool_)) or not float(value).is_integer():
            raise ValueError(f"IntegerLookup takes integer tokens. Received: {value!r}")
        return int(value)

    def _prepare(self, values: np.ndarray) -> np.ndarray:
        return as_integers(values, f"IntegerLookup '{self.name}'")

    def _oov_bucket(self, values: np.ndarray) -> np.ndarray:
        return np.mod(values, self.num_oov_indices)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["vocabulary_dtype"] = self.vocabulary_dtype
        return config
