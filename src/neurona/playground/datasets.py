"""The Playground's data: the TF Playground's six generators, two multiclass sets, and uploaded CSV files.

The six TF Playground sets (circle, xor, gauss, spiral, reg-plane, reg-gauss) come from
`neurona.datasets.playground`, which follows `src/dataset.ts` formula for formula and draws from a port
of the browser's `Math.seedrandom`: the same seed string gives the browser Playground's exact points,
shuffled once and split at floor(n · percTrainData / 100). The multiclass sets (`blobs`: k Gaussians on
a circle of radius 3.5; `spiral`: k arms) draw from a NumPy generator seeded from a hash of the seed.
Labels: ±1 (classification), [−1, 1] (regression), 0..k−1 (multiclass).

>>> data = load("circle", noise=0, seed="0.5")
>>> data.x_train.shape, data.x_test.shape, sorted(set(data.y_train.tolist()))
((250, 2), (250, 2), [-1.0, 1.0])
>>> load("blobs", seed="0.5", classes=4).classes
4
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass

import numpy as np

import neurona as nn

from .state import State

NUM_SAMPLES_CLASSIFY = 500
NUM_SAMPLES_REGRESS = 1200
TF_SETS = ("circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss")
MULTICLASS_SETS = ("blobs", "spiral")
BLOB_RADIUS = 3.5
MAX_CSV_ROWS = 20_000
MAX_CSV_COLUMNS = 200
MIN_CSV_ROWS = 10
MAX_CLASSES = 6
CSV_FEATURE_RANGE = 5.0

__all__ = ["CsvError", "CsvTable", "Data", "blobs", "load", "make_data", "parse_csv", "spiral_arms"]


@dataclass(frozen=True)
class Data:
    """Train and test points (n, 2) with their labels (n,), and what the labels are."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    problem: str  # "classification" (±1), "regression" ([−1, 1]) or "multiclass" (0..k−1)
    classes: int  # 2, k, or 0 for regression


def numpy_generator(seed: str, purpose: str) -> np.random.Generator:
    """A NumPy generator seeded from a hash of the seed string (and what it is for)."""
    digest = hashlib.sha256(f"{purpose}:{seed}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _variance(noise: float) -> float:
    """The TF Playground's gauss variance: noise mapped linearly from [0, 0.5] to [0.5, 4]."""
    return 0.5 + noise * (4.0 - 0.5) / 0.5


def blobs(n: int, classes: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """k Gaussians centred on a circle of radius 3.5 (class j at angle 2πj/k, class 0 at the top), point
    i in class i mod k; the variance follows the gauss set's noise map (0.5 at noise 0)."""
    labels = np.arange(n) % classes
    angles = 2 * math.pi * labels / classes
    centres = BLOB_RADIUS * np.stack([np.sin(angles), np.cos(angles)], axis=1)
    points = centres + rng.normal(0.0, math.sqrt(_variance(noise)), size=(n, 2))
    return points, labels.astype("float64")


def spiral_arms(
    n: int, classes: int, noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """k arms of n // k points: r = i/m·5, t = 1.75·i/m·2π + 2πj/k (the TF spiral for k = 2), plus
    U(−1, 1)·noise on each coordinate."""
    per_arm = n // classes
    i = np.tile(np.arange(per_arm), classes)
    labels = np.repeat(np.arange(classes), per_arm)
    r = i / per_arm * 5
    t = 1.75 * i / per_arm * 2 * math.pi + 2 * math.pi * labels / classes
    jitter = rng.uniform(-1.0, 1.0, size=(len(i), 2)) * noise
    points = np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + jitter
    return points, labels.astype("float64")


def _shuffle_split(
    points: np.ndarray, labels: np.ndarray, perc_train_data: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    order = rng.permutation(len(labels))
    points, labels = points[order], labels[order]
    split = math.floor(len(labels) * perc_train_data / 100)
    return points[:split], labels[:split], points[split:], labels[split:]


def _check_common(name: str, noise: float, perc_train_data: int, classes: int) -> None:
    known = TF_SETS + MULTICLASS_SETS[:1]
    if name not in known:
        raise ValueError(
            f"Unknown Playground data set. Received: name={name!r}. Expected one of {list(known)}."
        )
    if not 0 <= noise <= 100:
        raise ValueError(f"`noise` is the slider value, 0 to 80. Received: noise={noise!r}")
    if not 1 <= perc_train_data <= 99:
        raise ValueError(
            f"`perc_train_data` must be a percentage from 10 to 90. Received: {perc_train_data!r}"
        )
    if not 2 <= classes <= 6:
        raise ValueError(f"`classes` must be from 2 to 6. Received: classes={classes!r}")


def load(
    name: str,
    *,
    noise: float = 0,
    seed: str = "0.12345",
    perc_train_data: int = 50,
    classes: int = 3,
    multiclass: bool | None = None,
) -> Data:
    """One generated data set, shuffled once and split, as the Playground makes it.

    `noise` is the slider value (0–80, divided by 100 for the generators), `seed` the URL's seed string.
    `spiral` is the two-arm TF set unless `multiclass=True` (then k = `classes` arms); `blobs` is always
    multiclass.
    """
    multiclass = name == "blobs" if multiclass is None else multiclass
    _check_common(name, noise, perc_train_data, classes)
    if multiclass:
        if name not in MULTICLASS_SETS:
            raise ValueError(f"The multiclass data sets are {list(MULTICLASS_SETS)}. Received: name={name!r}")
        rng = numpy_generator(seed, "multiclass")
        make = blobs if name == "blobs" else spiral_arms
        points, labels = make(NUM_SAMPLES_CLASSIFY, classes, noise / 100, rng)
        parts = _shuffle_split(points.astype("float32"), labels.astype("float32"), perc_train_data, rng)
        return Data(*parts, problem="multiclass", classes=classes)
    (x_train, y_train), (x_test, y_test) = nn.datasets.playground.load_data(
        name, noise=noise / 100, seed=str(seed), train_ratio=perc_train_data / 100, dtype="float32"
    )
    regression = name.startswith("reg-")
    problem = "regression" if regression else "classification"
    return Data(x_train, y_train, x_test, y_test, problem=problem, classes=0 if regression else 2)


def make_data(
    state: State, table: CsvTable | None = None, columns: tuple[str, str, str] | None = None
) -> Data:
    """The data of `state`: a generated set, or the uploaded `table` with its chosen (x1, x2, label)
    columns when the data set is `csv`."""
    name = state.data_name
    if name != "csv":
        return load(
            name,
            noise=state.noise,
            seed=state.seed,
            perc_train_data=state.perc_train_data,
            classes=state.classes,
            multiclass=state.problem == "multiclass",
        )
    if table is None or columns is None:
        raise ValueError(
            "The data set is `csv` but no CSV file is loaded (or its columns are not chosen yet). Upload a "
            "file and choose its X1, X2 and label columns first."
        )
    points, labels, classes = table.select(*columns, problem=state.problem)
    rng = numpy_generator(state.seed, "csv")
    parts = _shuffle_split(points, labels, state.perc_train_data, rng)
    return Data(*parts, problem=state.problem, classes=classes)


# --- CSV files --------------------------------------------------------------------------------------
class CsvError(ValueError):
    """A CSV file, or a choice of its columns, that the Playground cannot use; the message says why and
    what to change."""


def _number(cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        return math.nan


@dataclass(frozen=True)
class CsvTable:
    """An uploaded CSV file: column names, the cells as text, and their numbers (NaN where a cell is
    not a finite number). `numeric[j]` says whether every cell of column j is a finite number."""

    columns: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    values: np.ndarray
    numeric: tuple[bool, ...]
    header: bool

    @property
    def rows(self) -> int:
        return len(self.cells)

    def preview(self, count: int = 5) -> list[list[str]]:
        """The first `count` rows, as text."""
        return [list(row) for row in self.cells[:count]]

    def _line(self, row: int) -> str:
        return f"data row {row + 1} (line {row + 1 + int(self.header)} of the file)"

    def _index(self, name: str, role: str) -> int:
        if name not in self.columns:
            raise CsvError(
                f"There is no column {name!r} to use as {role}. The columns are {list(self.columns)}."
            )
        return self.columns.index(name)

    def _numbers(self, column: int, role: str) -> np.ndarray:
        values = self.values[:, column]
        bad = np.flatnonzero(~np.isfinite(values))
        if len(bad):
            row = int(bad[0])
            raise CsvError(
                f"Column {self.columns[column]!r} ({role}) must hold numbers, but {self._line(row)} holds "
                f"{self.cells[row][column]!r} ({len(bad)} such cell(s)): NaN, empty and text cells cannot be "
                "used. Fill or remove those rows, or choose another column."
            )
        return values

    def select(self, x1: str, x2: str, label: str, *, problem: str) -> tuple[np.ndarray, np.ndarray, int]:
        """(points (n, 2), labels (n,), classes) from the chosen columns. The two feature columns are
        rescaled linearly to [−5, 5] (the view is [−6, 6]²); labels become ±1 (classification, exactly
        two values), 0..k−1 (multiclass, 2 to 6 values, in sorted order) or are rescaled to [−1, 1]
        (regression)."""
        j1, j2 = self._index(x1, "X1"), self._index(x2, "X2")
        jl = self._index(label, "the label")
        if jl in (j1, j2):
            raise CsvError(f"The label column {label!r} cannot also be a feature (X1={x1!r}, X2={x2!r}).")
        points = np.stack(
            [_rescale(self._numbers(j, role), CSV_FEATURE_RANGE) for j, role in ((j1, "X1"), (j2, "X2"))], 1
        )
        if problem == "regression":
            target = self._numbers(jl, "the label")
            if np.ptp(target) == 0:
                raise CsvError(f"The label column {label!r} is constant: there is nothing to learn.")
            return points.astype("float32"), _rescale(target, 1.0).astype("float32"), 0
        return points.astype("float32"), *self._classes(jl, problem)

    def _classes(self, column: int, problem: str) -> tuple[np.ndarray, int]:
        name = self.columns[column]
        if self.numeric[column]:
            keys = self.values[:, column]
            distinct = sorted(set(keys.tolist()))
        else:
            keys = np.array([row[column].strip() for row in self.cells], dtype=object)
            empty = [i for i, key in enumerate(keys) if key == ""]
            if empty:
                raise CsvError(f"The label column {name!r} has an empty cell at {self._line(empty[0])}.")
            distinct = sorted(set(keys.tolist()))
        most = 2 if problem == "classification" else MAX_CLASSES
        if len(distinct) < 2:
            raise CsvError(
                f"The label column {name!r} holds a single value {distinct[0]!r}: it needs 2 classes."
            )
        if len(distinct) > most:
            shown = ", ".join(repr(v) for v in distinct[:8]) + (", ..." if len(distinct) > 8 else "")
            raise CsvError(
                f"The label column {name!r} has {len(distinct)} different values ({shown}) but {problem} "
                f"takes at most {most} classes. Choose "
                + ("the multiclass problem (2 to 6 classes), " if problem == "classification" else "")
                + "the regression problem for a numeric target, or another label column."
            )
        codes = {value: index for index, value in enumerate(distinct)}
        labels = np.array([codes[key] for key in keys.tolist()], dtype="float32")
        if problem == "classification":
            labels = labels * 2 - 1  # the first value in sorted order is −1, the second +1
        return labels, len(distinct)


def _rescale(values: np.ndarray, half_width: float) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    if high == low:
        return np.zeros_like(values)
    return (values - low) / (high - low) * 2 * half_width - half_width


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if b"\x00" in data:
        raise CsvError(
            "The file contains NUL bytes: it looks like a binary file (a spreadsheet?), not CSV text."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvError(
            f"The file is not UTF-8 text: byte 0x{data[error.start]:02x} at position {error.start} is not "
            "valid UTF-8. Save it as 'CSV UTF-8' (in Excel: File > Save As > CSV UTF-8) and upload it again."
        ) from None


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _header(first: list[str]) -> tuple[bool, list[str]]:
    """(whether the first row is a header, the column names)."""
    is_header = any(not math.isfinite(_number(cell)) and cell.strip() for cell in first)
    names = [
        cell.strip()[:100] if is_header and cell.strip() else f"column {i + 1}"
        for i, cell in enumerate(first)
    ]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            names[i] = f"{name} ({seen[name]})"
    return is_header, names


def parse_csv(data: bytes | str, *, max_rows: int = MAX_CSV_ROWS) -> CsvTable:
    """Read an uploaded CSV file (UTF-8; comma, semicolon or tab separated; a header row is optional).

    Raises `CsvError` (a ValueError) for text that is not UTF-8, fewer than 3 columns, rows of different
    lengths, fewer than 10 or more than `max_rows` rows, or fewer than two numeric columns.
    """
    text = _decode(data)
    try:
        rows = []
        for row in csv.reader(io.StringIO(text), delimiter=_delimiter(text)):
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) > max_rows + 1:
                raise CsvError(
                    f"The file has more than {max_rows} rows; the Playground takes at most {max_rows}."
                )
    except csv.Error as error:
        raise CsvError(f"The file is not valid CSV: {error}.") from None
    if not rows:
        raise CsvError("The file is empty: it needs a header row and at least 10 rows of numbers.")
    header, names = _header(rows[0])
    body = rows[1:] if header else rows
    if len(names) < 3:
        raise CsvError(
            f"The file has {len(names)} column(s) {names}; the Playground needs at least 3: two features (X1, X2) "
            "and a label. Check the separator (comma, semicolon or tab)."
        )
    if len(names) > MAX_CSV_COLUMNS:
        raise CsvError(f"The file has {len(names)} columns; the Playground takes at most {MAX_CSV_COLUMNS}.")
    if len(body) > max_rows:
        raise CsvError(f"The file has {len(body)} data rows; the Playground takes at most {max_rows}.")
    if len(body) < MIN_CSV_ROWS:
        raise CsvError(f"The file has {len(body)} data rows; the Playground needs at least {MIN_CSV_ROWS}.")
    for i, row in enumerate(body):
        if len(row) != len(names):
            raise CsvError(
                f"Data row {i + 1} (line {i + 1 + int(header)}) has {len(row)} cells but the file has "
                f"{len(names)} columns: every row needs the same number of cells."
            )
    values = np.array([[_number(cell) for cell in row] for row in body], dtype="float64")
    numeric = tuple(bool(flag) for flag in np.isfinite(values).all(axis=0))
    if sum(numeric) < 2:
        raise CsvError(
            f"The file has {sum(numeric)} numeric column(s); X1 and X2 need two columns of numbers (no text, "
            f"empty or NaN cells). Columns: {names}."
        )
    return CsvTable(tuple(names), tuple(tuple(row) for row in body), values, numeric, header)
