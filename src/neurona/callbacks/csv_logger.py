"""`CSVLogger`: one CSV row per epoch with every log value."""

from __future__ import annotations

import csv
import os
from typing import Any, TextIO

from .callback import Callback


def _cell(value: Any) -> str:
    if value is None:
        return "NA"
    if isinstance(value, (list, tuple)) or (hasattr(value, "shape") and getattr(value, "shape", ()) != ()):
        return "[" + ", ".join(str(float(v)) for v in list(value)) + "]"
    return str(value)


class CSVLogger(Callback):
    """Stream epoch results to a CSV file: a header `epoch` + the sorted log keys, then a row per epoch.

    Args:
        filename: the CSV file.
        separator: the field separator (",").
        append: add to an existing file (its header is kept) instead of overwriting it.

    Values that are not scalars are written as `"[a, b]"`; missing values as `NA`. The file is flushed
    after every epoch, so it is readable while training runs and complete up to the last epoch if the
    process dies.
    """

    def __init__(self, filename: str | os.PathLike[str], separator: str = ",", append: bool = False) -> None:
        super().__init__()
        self.filename = os.fspath(filename)
        self.separator = separator
        self.append = append
        self.keys: list[str] | None = None
        self._file: TextIO | None = None
        self._writer: Any = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.keys = None
        existing_header = None
        if self.append and os.path.exists(self.filename) and os.path.getsize(self.filename) > 0:
            with open(self.filename, newline="") as handle:
                existing_header = next(csv.reader(handle, delimiter=self.separator), None)
        self._file = open(self.filename, "a" if self.append else "w", newline="")
        if existing_header:
            self.keys = [key for key in existing_header if key != "epoch"]

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = dict(logs or {})
        if self.keys is None:
            self.keys = sorted(logs)
            if not any(key.startswith("val_") for key in self.keys):
                # as Keras: with validation_freq > 1 the first epoch has no val_ keys yet; keep them a column
                self.keys += [f"val_{key}" for key in self.keys]
            self._file.write(self.separator.join(["epoch", *self.keys]) + "\n")
        writer = csv.writer(self._file, delimiter=self.separator, lineterminator="\n")
        writer.writerow([epoch] + [_cell(logs.get(key)) for key in self.keys])
        self._file.flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
