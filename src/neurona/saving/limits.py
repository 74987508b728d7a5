"""The one error a refused model file raises, and the size limits the loader enforces.

Every check in `neurona.saving` that rejects a file raises `ModelFileError` (a `ValueError`), whose
message says what was found, what was expected and what to do. The limits are explicit arguments
(`load_model(..., limits=LoadLimits(...))`), never settings a file could change.
"""

from __future__ import annotations

import dataclasses

KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30


class ModelFileError(ValueError):
    """A model, weights or config file that neurona refuses to load: malformed, truncated, larger than
    the limits, inconsistent with the model, or naming code (a module, a function, a lambda)."""


@dataclasses.dataclass(frozen=True)
class LoadLimits:
    """Caps applied while reading a file, before anything it declares is allocated.

    Args:
        max_file_bytes: the largest archive accepted.
        max_total_bytes: the most bytes read out of an archive in total (all members, uncompressed).
        max_weight_bytes: the most bytes of weights a config may create when no weights file bounds it
            (`model_from_json`); with a file, the bound is what the file stores.
        max_input_bytes: the largest single input sample a config may declare (it is allocated once,
            with batch size 1, to work out the layers' shapes).
        max_ratio: the largest uncompressed / compressed ratio of a member larger than `ratio_floor_bytes`
            (zip bombs: deflate reaches ~1000×; neurona's own files store weights uncompressed).
        ratio_floor_bytes: members up to this size are exempt from the ratio check.
        max_members: the most members an archive may hold.
        max_config_bytes: the largest JSON config.
        max_config_depth: the deepest nesting of lists and dicts in a config.
        max_string_chars: the longest string in a config.
        max_list_items: the longest list (or dict) in a config.
        max_npy_header_bytes: the largest `.npy` header.
        max_ndim: the highest rank of a stored array.
    """

    max_file_bytes: int = 64 * GiB
    max_total_bytes: int = 32 * GiB
    max_weight_bytes: int = 4 * GiB
    max_input_bytes: int = 256 * MiB
    max_ratio: int = 100
    ratio_floor_bytes: int = 16 * MiB
    max_members: int = 100_000
    max_config_bytes: int = 16 * MiB
    max_config_depth: int = 100
    max_string_chars: int = 64 * KiB
    max_list_items: int = 100_000
    max_npy_header_bytes: int = 16 * KiB
    max_ndim: int = 32

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"`LoadLimits.{field.name}` must be a positive integer. Received: {field.name}={value!r}"
                )


DEFAULT_LIMITS = LoadLimits()


class ByteBudget:
    """A running total of bytes read (or allocated) against a cap shared by every step of one load."""

    def __init__(self, cap: int, what: str, hint: str | None = None) -> None:
        self.cap = cap
        self.used = 0
        self.what = what
        self.hint = hint or (
            "The file declares more data than it holds or than the limits allow; if it is trusted and really "
            "this large, pass a larger `limits=neurona.saving.LoadLimits(...)`."
        )

    def reserve(self, nbytes: int, item: str) -> None:
        if nbytes < 0 or self.used + nbytes > self.cap:
            raise ModelFileError(
                f"{item} needs {nbytes} bytes, but only {self.cap - self.used} of the {self.cap} allowed for "
                f"{self.what} remain. {self.hint}"
            )
        self.used += nbytes
