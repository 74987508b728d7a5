"""Where the batches of `fit`, `evaluate` and `predict` come from: arrays in memory (index batches over a
fresh permutation each epoch) or a `PyDataset` / generator that serves them one at a time.

A source yields `(step, xs, ys, sample_weight)` for one epoch, from a given step on (a resumed epoch skips
the batches it already trained on, drawing the same permutation as before).
"""

from __future__ import annotations

import inspect
import math
from typing import Any, Callable, Iterator

import numpy as np

from ..data import adapter
from ..utils.py_dataset import PyDataset

Batch = tuple[int, list[np.ndarray], Any, Any]


def is_dataset(x: Any) -> bool:
    """A PyDataset, a generator or another iterator (not an array, list, dict or DataFrame)."""
    if isinstance(x, PyDataset) or inspect.isgenerator(x):
        return True
    return hasattr(x, "__next__") and not isinstance(x, (np.ndarray, list, tuple, dict))


class ArraySource:
    """Batches sliced out of arrays already in memory."""

    def __init__(
        self,
        xs: list[np.ndarray],
        ys: list[np.ndarray] | None,
        sw: np.ndarray | None,
        batch_size: int,
        shuffle: bool,
        steps: Any = None,
        steps_name: str = "steps",
    ) -> None:
        self.xs, self.ys, self.sw = xs, ys, sw
        self.batch_size, self.shuffle = batch_size, shuffle
        available = math.ceil(len(xs[0]) / batch_size)
        if steps is not None and (
            isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps <= 0
        ):
            raise ValueError(
                f"`{steps_name}` must be a positive integer or None. Received: {steps_name}={steps!r}"
            )
        self.steps = available if steps is None else min(int(steps), available)

    def epoch(self, rng: np.random.Generator | None, start: int = 0, reuse: bool = False) -> Iterator[Batch]:
        """The batches of one epoch. With `reuse`, shuffled batches are gathered into buffers kept for the
        whole epoch (no fresh allocation per step), so a batch is valid only until the next one is drawn:
        only for callers that keep nothing of a batch past its step (fit's replayed steps)."""
        gather = _Gather(self.batch_size) if reuse and self.shuffle else None
        for step, index in enumerate(
            adapter.batch_indices(len(self.xs[0]), self.batch_size, self.shuffle, rng)
        ):
            if step >= self.steps:
                return
            if step < start:
                continue
            take = _fresh if gather is None else gather
            ys = None if self.ys is None else [take(a, index, 1 + i) for i, a in enumerate(self.ys)]
            xs = [take(a, index, -1 - i) for i, a in enumerate(self.xs)]
            yield step, xs, ys, None if self.sw is None else self.sw[index]


def _fresh(array: np.ndarray, index: Any, _slot: int) -> np.ndarray:
    return array[index]


class _Gather:
    """`array[index]` written into one buffer per array slot, reused from batch to batch."""

    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size
        self.buffers: dict[int, np.ndarray] = {}

    def __call__(self, array: np.ndarray, index: Any, slot: int) -> np.ndarray:
        buffer = self.buffers.get(slot)
        if buffer is None:
            buffer = np.empty((self.batch_size, *array.shape[1:]), dtype=array.dtype)
            self.buffers[slot] = buffer
        out = buffer[: len(index)]
        np.take(array, index, axis=0, out=out, mode="clip")  # (indices are in range; "raise" copies)
        return out


class DatasetSource:
    """Batches served by a `PyDataset` (by index) or a generator (the next `steps` items each epoch).

    `prepare(batch)` turns what the dataset gives into validated `(xs, ys, sample_weight)`.
    """

    def __init__(
        self,
        dataset: Any,
        prepare: Callable[[Any], tuple],
        steps: Any = None,
        steps_name: str = "steps_per_epoch",
    ) -> None:
        self.dataset, self.prepare = dataset, prepare
        if steps is not None and (
            isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps <= 0
        ):
            raise ValueError(
                f"`{steps_name}` must be a positive integer or None. Received: {steps_name}={steps!r}"
            )
        if isinstance(dataset, PyDataset):
            if len(dataset) == 0:
                raise ValueError("The PyDataset is empty (len() == 0). It must serve at least one batch.")
            self.steps = len(dataset) if steps is None else min(int(steps), len(dataset))
        elif steps is None:
            raise ValueError(
                f"A generator has no length: pass `{steps_name}=N`, the number of batches to draw from it per "
                "epoch (or wrap the data in a neurona.utils.PyDataset)."
            )
        else:
            self.steps = int(steps)
        self._peeked: Any = None

    def first_batch(self) -> tuple:
        """The first batch, prepared (for the one-sample check before training); a generator's first item
        is kept and served again as the first batch of the first epoch."""
        if isinstance(self.dataset, PyDataset):
            return self.prepare(self.dataset[0])
        if self._peeked is None:
            self._peeked = self._next()
        return self.prepare(self._peeked)

    def _next(self) -> Any:
        try:
            return next(self.dataset)
        except StopIteration:
            raise ValueError(
                "The generator ran out of batches. It must yield at least `steps_per_epoch` batches per epoch "
                "(loop forever, e.g. `while True: ...`)."
            ) from None

    def epoch(self, rng: np.random.Generator | None, start: int = 0, reuse: bool = False) -> Iterator[Batch]:
        """The batches of one epoch (`reuse` is for the signature of ArraySource: a dataset's batches are
        its own arrays)."""
        if isinstance(self.dataset, PyDataset):
            for index, batch in self.dataset.batches(start, self.steps):
                yield (index, *self.prepare(batch))
            self.dataset.on_epoch_end()
            return
        for step in range(start, self.steps):
            batch, self._peeked = (self._peeked, None) if self._peeked is not None else (self._next(), None)
            yield (step, *self.prepare(batch))


def unpack(batch: Any, with_targets: bool) -> tuple[Any, Any, Any]:
    """`x`, `(x, y)` or `(x, y, sample_weight)` as served by a dataset."""
    if isinstance(batch, tuple) and 1 <= len(batch) <= 3:
        x = batch[0]
        y = batch[1] if len(batch) > 1 else None
        sw = batch[2] if len(batch) > 2 else None
    else:
        x, y, sw = batch, None, None
    if with_targets and y is None:
        raise ValueError(
            "A dataset used for training or evaluation must serve batches as (x, y) or (x, y, sample_weight). "
            f"Received a batch of type {type(batch).__name__}."
        )
    return x, y, sw
