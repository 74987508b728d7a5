"""`PyDataset` (Keras 3's name): data that does not fit in memory, served one batch at a time.

Subclass it and define `__len__` (the number of batches) and `__getitem__(index)` (batch `index` as
`(x, y)` or `(x, y, sample_weight)`, or just `x` for `predict`). `fit`, `evaluate` and `predict` take it in
place of arrays; `on_epoch_end()` runs after every epoch (reshuffle there). With `workers > 1` the next
batches are prepared in threads while the model trains (NumPy and file reads release the GIL).

`NpyDataset` serves batches from `.npy` files through memory maps: only the rows of each batch are read.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import numpy as np


class PyDataset:
    """Base class for datasets served batch by batch.

    Args:
        workers: threads that prepare upcoming batches (1: batches are made when needed).
        use_multiprocessing: not supported (threads only); passing True raises.
        max_queue_size: how many batches may be prepared ahead of the model.
    """

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"`workers` must be a positive integer. Received: workers={workers!r}")
        if use_multiprocessing:
            raise ValueError(
                "neurona's PyDataset prepares batches in threads (use_multiprocessing=False): NumPy and file "
                "reads release the GIL, and threads need no pickling. Use workers=N without use_multiprocessing."
            )
        if isinstance(max_queue_size, bool) or not isinstance(max_queue_size, int) or max_queue_size < 1:
            raise ValueError(f"`max_queue_size` must be a positive integer. Received: {max_queue_size!r}")
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __len__(self) -> int:
        raise NotImplementedError("A PyDataset defines __len__: the number of batches in one epoch.")

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError("A PyDataset defines __getitem__(index): the batch with that index.")

    def on_epoch_end(self) -> None:
        """Called after every epoch of `fit` (override to reshuffle)."""

    @property
    def num_batches(self) -> int:
        return len(self)

    def batches(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, Any]]:
        """`(index, batch)` for indices start..stop−1, prepared `workers` at a time ahead of use."""
        stop = len(self) if stop is None else min(stop, len(self))
        if self.workers == 1:
            for index in range(start, stop):
                yield index, self[index]
            return
        ahead = max(self.workers, self.max_queue_size)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            pending = {}
            for index in range(start, min(stop, start + ahead)):
                pending[index] = pool.submit(self.__getitem__, index)
            for index in range(start, stop):
                batch = pending.pop(index).result()
                following = index + ahead
                if following < stop:
                    pending[following] = pool.submit(self.__getitem__, following)
                yield index, batch


class NpyDataset(PyDataset):
    """Batches read from `.npy` files through memory maps (the files can be larger than memory).

    Args:
        x: a path to an `.npy` file of features (or an array).
        y: a path to an `.npy` file of targets (or an array, or None for `predict`).
        batch_size: rows per batch (32).
        shuffle: serve the batches of each epoch in a new order (the rows inside a batch stay contiguous
            on disk, so reads stay sequential); seeded by `seed`.
    """

    def __init__(
        self,
        x: Any,
        y: Any = None,
        batch_size: int = 32,
        shuffle: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.x = np.load(x, mmap_mode="r", allow_pickle=False) if isinstance(x, (str, os.PathLike)) else x
        self.y = np.load(y, mmap_mode="r", allow_pickle=False) if isinstance(y, (str, os.PathLike)) else y
        if self.y is not None and len(self.y) != len(self.x):
            raise ValueError(
                f"x and y hold different numbers of rows: {len(self.x)} and {len(self.y)}. They must describe "
                "the same samples."
            )
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}")
        self.batch_size = batch_size
        self.shuffle = shuffle
        self._rng = np.random.default_rng(seed)
        self._order = np.arange(len(self))
        if shuffle:
            self._rng.shuffle(self._order)

    def __len__(self) -> int:
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, index: int) -> Any:
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index {index} is out of range for {len(self)} batches.")
        start = int(self._order[index]) * self.batch_size
        rows = slice(start, start + self.batch_size)
        x = np.asarray(self.x[rows])
        return x if self.y is None else (x, np.asarray(self.y[rows]))

    def on_epoch_end(self) -> None:
        if self.shuffle:
            self._rng.shuffle(self._order)
