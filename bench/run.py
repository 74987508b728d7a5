"""Side-by-side benchmark of neurona against NumPy, PyTorch, Keras/JAX and scikit-learn peers.

Usage (from the repository root)::

    python bench/run.py [--reps N] [--workloads W1,W2,W3,W4,warmup,memory]
                        [--batch-sizes 32,128,1024] [--quick] [--no-install]
                        [--out FILE] [--check] [--profile [BATCH]]

All peers run in this one process and are interleaved: after a warm-up, each
repetition times every peer once (the order rotates between repetitions), and
the table reports the median over repetitions plus the ratios neurona/peer.
On a shared, noisy machine only ratios measured in the same run are
meaningful.  The warm-up-tax table times the first epoch of fresh models, and
the memory table comes from fresh subprocesses (``memory.py``).  Progress goes
to stderr, the Markdown report to stdout.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable, Hashable, Sequence

import numpy as np
from workloads import (
    DEFAULT_BATCH_SIZES,
    NUM_CLASSES,
    PLAYGROUND_BATCH_SIZE,
    PLAYGROUND_EPOCHS,
    PREDICT_BATCH_SIZE,
    PREDICT_SAMPLES,
    QUICK_PLAYGROUND_EPOCHS,
    QUICK_TRAIN_SAMPLES,
    TRAIN_SAMPLES,
    W1_SIZES,
    W2_BATCH_SIZE,
    W2_SIZES,
    Dataset,
    Peer,
    PlaygroundPeer,
    make_dataset,
    make_playground_data,
)


@dataclass(frozen=True)
class PeerSpec:
    """One peer: its table column, module and classes, and how to install what it needs."""

    column: str
    short: str  # used in the ratio column "neurona/<short>"
    module: str
    mlp_class: str  # W1, W2 and (if ``inference``) W3; constructor takes ``sizes``
    playground_class: str | None  # W4, or None when the peer has no W4 entry
    inference: bool = True
    pip: tuple[str, ...] = ()  # ``python -m pip install`` arguments when the import fails


# Table order; neurona first.
PEER_SPECS: tuple[PeerSpec, ...] = (
    PeerSpec("neurona", "neurona", "peer_neurona", "NeuronaMLP", "NeuronaPlayground"),
    PeerSpec("numpy loop", "numpy", "peers_numpy", "NumpyMLP", "NumpyPlayground"),
    PeerSpec("torch", "torch", "peers_torch", "TorchMLP", "TorchPlayground", pip=("torch==2.13.0",)),
    PeerSpec("keras/jax", "keras", "peers_keras", "KerasMLP", "KerasPlayground", pip=("keras", "jax")),
    PeerSpec(
        "sklearn",
        "sklearn",
        "peers_sklearn",
        "SklearnMLP",
        "SklearnPlayground",
        inference=False,
        pip=("scikit-learn",),
    ),
    PeerSpec("matmul bound", "bound", "peers_numpy", "MatmulBound", None),
)
COLUMNS = tuple(spec.column for spec in PEER_SPECS)
ALL_WORKLOADS = ("W1", "W2", "W3", "W4", "warmup", "memory")
DEFAULT_REPS = 5
QUICK_REPS = 2
DEFAULT_LATENCY_CALLS = 200
QUICK_LATENCY_CALLS = 50
WARMUP_BATCH_SIZES = (32, 128)
DEFAULT_WARMUP_MODELS = 3
QUICK_WARMUP_MODELS = 1
DEFAULT_STEADY_EPOCHS = 2
WARMUP_GOAL = 1.2

PeerFactory = Callable[[], Peer]
PlaygroundFactory = Callable[[], PlaygroundPeer]
Installer = Callable[[tuple[str, ...]], bool]
Task = Callable[[], list[float]]


@dataclass
class Row:
    """One line of the result table: per-peer timing samples in ``unit``."""

    workload: str
    batch: int
    unit: str
    samples: dict[str, list[float]] = field(default_factory=dict)

    def median(self, column: str) -> float | None:
        values = self.samples.get(column)
        return statistics.median(values) if values else None

    def spread(self, column: str) -> tuple[float, float] | None:
        values = self.samples.get(column)
        return (min(values), max(values)) if values else None


def log(message: str) -> None:
    """Progress output, kept off stdout so that stdout is just the report."""
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Peers
# ---------------------------------------------------------------------------


class PipInstaller:
    """``python -m pip install`` of a peer's requirements, at most once per requirement set."""

    def __init__(self, runner: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> None:
        self._runner = runner
        self.attempted: dict[tuple[str, ...], bool] = {}

    def __call__(self, requirements: tuple[str, ...]) -> bool:
        if requirements in self.attempted:
            return self.attempted[requirements]
        command = [sys.executable, "-m", "pip", "install", *requirements]
        log(f"  trying: {' '.join(command)}")
        try:
            result = self._runner(command, capture_output=True, text=True, check=False)
            ok = result.returncode == 0
            if not ok:
                tail = (result.stderr or result.stdout or "").strip().splitlines()[-1:] or ["no output"]
                log(f"  pip install failed (exit {result.returncode}): {tail[0]}")
        except OSError as error:
            ok = False
            log(f"  pip install could not run: {error}")
        importlib.invalidate_caches()
        self.attempted[requirements] = ok
        return ok


def import_peer_module(spec: PeerSpec, install: Installer | None) -> ModuleType | None:
    """Import ``spec.module``; on an ImportError try ``install(spec.pip)`` once and retry.

    Returns None (and says why on stderr) when the peer cannot be used.
    """
    try:
        return importlib.import_module(spec.module)
    except ImportError as error:
        reason = f"{type(error).__name__}: {error}"
    except Exception as error:  # noqa: BLE001 - any import failure skips the peer
        log(f"skipping peer {spec.column!r}: cannot import {spec.module}: {type(error).__name__}: {error}")
        return None
    if not spec.pip or install is None:
        hint = f" (pip install {' '.join(spec.pip)})" if spec.pip else ""
        log(f"skipping peer {spec.column!r}: cannot import {spec.module}: {reason}{hint}")
        return None
    log(f"peer {spec.column!r}: cannot import {spec.module} ({reason}); installing {' '.join(spec.pip)}")
    if not install(spec.pip):
        log(f"skipping peer {spec.column!r}: installing {' '.join(spec.pip)} failed")
        return None
    try:
        return importlib.import_module(spec.module)
    except Exception as error:  # noqa: BLE001
        log(
            f"skipping peer {spec.column!r}: still cannot import {spec.module}: {type(error).__name__}: {error}"
        )
        return None


def load_peer_modules(
    specs: Sequence[PeerSpec] = PEER_SPECS, install: Installer | None = None
) -> dict[str, ModuleType]:
    """Import every peer module (installing missing peers through ``install``); skip those that fail."""
    modules: dict[str, ModuleType] = {}
    for spec in specs:
        module = import_peer_module(spec, install)
        if module is not None:
            modules[spec.column] = module
    return modules


def mlp_factories(
    modules: dict[str, ModuleType], sizes: tuple[int, ...], inference: bool = False
) -> dict[str, PeerFactory]:
    """Constructors of the W1/W2 (or, with ``inference``, W3) peers for a network of ``sizes``."""
    factories: dict[str, PeerFactory] = {}
    for spec in PEER_SPECS:
        if spec.column in modules and (spec.inference or not inference):
            factories[spec.column] = functools.partial(getattr(modules[spec.column], spec.mlp_class), sizes)
    return factories


def playground_factories(modules: dict[str, ModuleType]) -> dict[str, PlaygroundFactory]:
    """Constructors of the W4 peers."""
    return {
        spec.column: getattr(modules[spec.column], spec.playground_class)
        for spec in PEER_SPECS
        if spec.column in modules and spec.playground_class
    }


def build_peers(factories: dict[str, Callable[[], object]]) -> dict[str, object]:
    """Instantiate a fresh model for every peer; skip peers that fail to build."""
    peers: dict[str, object] = {}
    for column, factory in factories.items():
        try:
            peers[column] = factory()
        except Exception as error:  # noqa: BLE001
            log(f"skipping peer {column!r}: building the model failed: {type(error).__name__}: {error}")
    return peers


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


def time_once(fn: Callable[[], object]) -> float:
    """Wall-clock seconds of one call, after a garbage collection."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def time_calls(fn: Callable[[np.ndarray], object], x1: np.ndarray, calls: int) -> list[float]:
    """Per-call wall-clock microseconds of ``calls`` consecutive calls."""
    gc.collect()
    samples = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        fn(x1)
        samples.append((time.perf_counter_ns() - start) / 1000.0)
    return samples


def measure_interleaved(tasks: dict[Hashable, Task], reps: int) -> dict[Hashable, list[float]]:
    """Warm up every task once, then run ``reps`` interleaved rounds.

    Round ``r`` runs all tasks, starting at a different task each round, so
    that no peer is always measured right after the same neighbour.  A task
    that raises is reported and dropped from the remaining rounds.
    """
    keys = list(tasks)
    samples: dict[Hashable, list[float]] = {key: [] for key in keys}
    failed: set[Hashable] = set()

    def run(key: Hashable, record: bool) -> None:
        try:
            values = tasks[key]()
        except Exception as error:  # noqa: BLE001
            log(f"  {_label(key)}: FAILED with {type(error).__name__}: {error}; dropped")
            failed.add(key)
            samples[key] = []
            return
        if record:
            samples[key].extend(values)
        log(f"  {_label(key)}: {'rep' if record else 'warm-up'} {_short(values)}")

    for key in keys:
        run(key, record=False)
    for rep in range(reps):
        shift = rep % len(keys) if keys else 0
        for key in keys[shift:] + keys[:shift]:
            if key not in failed:
                run(key, record=True)
    return samples


def _label(key: Hashable) -> str:
    return " / ".join(map(str, key)) if isinstance(key, tuple) else str(key)


def _short(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.4g}"
    return f"median {statistics.median(values):.4g} of {len(values)} calls"


# ---------------------------------------------------------------------------
# Workloads
# ---------------------------------------------------------------------------


def run_fit_rows(
    name: str, factories: dict[str, PeerFactory], data: Dataset, batch_sizes: Sequence[int], reps: int
) -> list[Row]:
    """W1/W2: seconds per training epoch, one fresh model per peer and batch size."""
    rows = []
    for batch_size in batch_sizes:
        log(f"{name} fit, batch {batch_size}, {len(data.x_train)} samples")
        peers = build_peers(factories)
        tasks = {
            column: _epoch_task(peer, data.x_train, data.y_train, batch_size)
            for column, peer in peers.items()
        }
        rows.append(Row(f"{name} fit", batch_size, "s/epoch", measure_interleaved(tasks, reps)))
    return rows


def _epoch_task(peer: Peer, x: np.ndarray, y: np.ndarray, batch_size: int) -> Task:
    return lambda: [time_once(lambda: peer.train_epoch(x, y, batch_size))]


def run_w3_predict(factories: dict[str, PeerFactory], data: Dataset, reps: int) -> Row:
    """W3: seconds per ``predict`` over the test set at batch 1024."""
    log(f"W3 predict, batch {PREDICT_BATCH_SIZE}, {len(data.x_test)} samples")
    peers = build_peers(factories)
    tasks = {
        column: _predict_task(peer, data.x_test)
        for column, peer in peers.items()
        if _predict_output_ok(column, peer, data.x_test)
    }
    return Row("W3 predict", PREDICT_BATCH_SIZE, "s/call", measure_interleaved(tasks, reps))


def _predict_task(peer: Peer, x: np.ndarray) -> Task:
    return lambda: [time_once(lambda: peer.predict(x, PREDICT_BATCH_SIZE))]


def _predict_output_ok(column: str, peer: Peer, x: np.ndarray) -> bool:
    """Whether ``predict`` returns ``(n, 10)`` finite values; say why not otherwise."""
    try:
        array = np.asarray(peer.predict(x, PREDICT_BATCH_SIZE))
    except Exception as error:  # noqa: BLE001
        log(f"  {column}: predict FAILED with {type(error).__name__}: {error}; dropped")
        return False
    finite = bool(array.dtype.kind == "f" and np.all(np.isfinite(array)))
    if array.shape != (len(x), NUM_CLASSES) or not finite:
        log(f"  {column}: predict returned shape {array.shape}, all finite: {finite}; dropped")
        return False
    return True


def run_w3_latency(factories: dict[str, PeerFactory], data: Dataset, reps: int, calls: int) -> list[Row]:
    """W3: single-sample latency in microseconds (median over all calls).

    neurona has two entry points (``predict_on_batch`` and ``__call__``),
    each giving one row; the other peers have one entry point, shown on
    every row.
    """
    log(f"W3 latency, batch 1, {calls} calls per rep")
    x1 = np.ascontiguousarray(data.x_test[:1])
    entries: dict[tuple[str, str], Task] = {}
    for column, peer in build_peers(factories).items():
        try:
            calls_by_label = peer.latency_calls()
        except Exception as error:  # noqa: BLE001
            log(f"skipping peer {column!r} for latency: {type(error).__name__}: {error}")
            continue
        for label, fn in calls_by_label.items():
            entries[(column, label)] = _latency_task(fn, x1, calls)
    samples = measure_interleaved(entries, reps)

    labels = [label for (column, label) in entries if column == "neurona"] or ["single sample"]
    rows = []
    for label in labels:
        row = Row(f"W3 latency `{label}`" if label != "single sample" else "W3 latency", 1, "µs/call")
        for (column, entry_label), values in samples.items():
            if column != "neurona" or entry_label == label:
                row.samples.setdefault(column, []).extend(values)
        rows.append(row)
    return rows


def _latency_task(fn: Callable[[np.ndarray], object], x1: np.ndarray, calls: int) -> Task:
    return lambda: time_calls(fn, x1, calls)


def run_w4(factories: dict[str, PlaygroundFactory], epochs: int, reps: int) -> tuple[Row, str]:
    """W4: seconds per ``epochs``-epoch fit of the Playground network, and a sanity line.

    The sanity line gives the data source and each peer's sign accuracy on
    the training points after its timed fits, to show that every peer really
    trained the same problem.
    """
    x, y, source = make_playground_data()
    log(f"W4 Playground fit, batch {PLAYGROUND_BATCH_SIZE}, {len(x)} samples, {epochs} epochs per call")
    peers = build_peers(factories)
    tasks = {column: _fit_task(peer, x, y, epochs) for column, peer in peers.items()}
    row = Row(
        "W4 Playground fit", PLAYGROUND_BATCH_SIZE, f"s/{epochs}-epoch fit", measure_interleaved(tasks, reps)
    )
    accuracies = []
    for column, peer in peers.items():
        if not row.samples.get(column):
            continue
        try:
            outputs = np.asarray(peer.predict(x), dtype=np.float64).reshape(-1)
            accuracies.append(f"{column} {np.mean(np.sign(outputs) == y[:, 0]):.3f}")
        except Exception as error:  # noqa: BLE001
            accuracies.append(f"{column} failed ({type(error).__name__})")
    note = (
        f"W4 data: {source}, {len(x)} points; sign accuracy on them after the timed fits: "
        + (", ".join(accuracies) or "n/a")
        + "."
    )
    return row, note


def _fit_task(peer: PlaygroundPeer, x: np.ndarray, y: np.ndarray, epochs: int) -> Task:
    return lambda: [time_once(lambda: peer.fit(x, y, PLAYGROUND_BATCH_SIZE, epochs))]


@dataclass
class WarmupRow:
    """First-epoch and steady-epoch times of fresh models of one peer at one batch size."""

    column: str
    batch: int
    first: list[float] = field(default_factory=list)
    steady: list[float] = field(default_factory=list)
    process_first: float | None = None  # the first epoch of the first model of this peer in the process

    def ratio(self, value: float | None) -> float | None:
        if value is None or not self.steady:
            return None
        return value / statistics.median(self.steady)


def run_warmup(
    factories: dict[str, PeerFactory],
    data: Dataset,
    batch_sizes: Sequence[int],
    models: int,
    steady_epochs: int,
) -> list[WarmupRow]:
    """Warm-up tax: time the first epoch of ``models`` freshly built models per peer, then steady epochs.

    Building and compiling the model is not timed; the first ``train_epoch``
    is (including any JIT compilation it triggers), then ``steady_epochs``
    more.  Peers rotate between models, as in ``measure_interleaved``.
    """
    rows = {(column, batch): WarmupRow(column, batch) for batch in batch_sizes for column in factories}
    seen: set[str] = set()
    x, y = data.x_train, data.y_train
    columns = list(factories)
    for batch in batch_sizes:
        log(f"warm-up tax, batch {batch}, {len(x)} samples, {models} fresh model(s) per peer")
        for rep in range(models):
            shift = rep % len(columns) if columns else 0
            for column in columns[shift:] + columns[:shift]:
                row = rows[(column, batch)]
                try:
                    first, steady = _first_and_steady(factories[column], x, y, batch, steady_epochs)
                except Exception as error:  # noqa: BLE001
                    log(f"  {column}: FAILED with {type(error).__name__}: {error}")
                    continue
                if column not in seen:
                    seen.add(column)
                    row.process_first = first
                row.first.append(first)
                row.steady.extend(steady)
                log(f"  {column}: first {first:.4g} s, steady " + ", ".join(f"{s:.4g}" for s in steady))
    return [rows[(column, batch)] for batch in batch_sizes for column in columns]


def _first_and_steady(
    factory: PeerFactory, x: np.ndarray, y: np.ndarray, batch: int, steady_epochs: int
) -> tuple[float, list[float]]:
    """Build a fresh model (untimed), then time its first epoch and ``steady_epochs`` more."""
    peer = factory()
    first = time_once(lambda: peer.train_epoch(x, y, batch))
    return first, [time_once(lambda: peer.train_epoch(x, y, batch)) for _ in range(steady_epochs)]


def warmup_table(rows: Sequence[WarmupRow]) -> str:
    """First epoch / steady epoch per peer and batch size."""
    header = [
        "peer",
        "batch",
        "first epoch (s)",
        "steady epoch (s)",
        "first / steady",
        "first in process (s)",
        "first in process / steady",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        first = statistics.median(row.first) if row.first else None
        steady = statistics.median(row.steady) if row.steady else None
        cells = [
            row.column,
            str(row.batch),
            _format_value(first),
            _format_value(steady),
            _format_factor(row.ratio(first)),
            _format_value(row.process_first),
            _format_factor(row.ratio(row.process_first)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _format_value(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def _format_factor(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def _format_ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None or denominator == 0:
        return "n/a"
    return f"{numerator / denominator:.2f}×"


def markdown_table(rows: Sequence[Row]) -> str:
    """Medians per peer and the ratio neurona/peer for every other peer column."""
    others = [spec for spec in PEER_SPECS if spec.column != "neurona"]
    header = ["workload", "batch", *COLUMNS, *(f"neurona/{spec.short}" for spec in others)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [
            f"{row.workload} ({row.unit})",
            str(row.batch),
            *(_format_value(row.median(column)) for column in COLUMNS),
            *(_format_ratio(row.median("neurona"), row.median(spec.column)) for spec in others),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def spread_table(rows: Sequence[Row]) -> str:
    """Min and max of the samples behind each median, to judge the noise."""
    header = ["workload", "batch", *COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [f"{row.workload} ({row.unit})", str(row.batch)]
        for column in COLUMNS:
            spread = row.spread(column)
            cells.append(
                "n/a"
                if spread is None
                else f"{spread[0]:.4g} – {spread[1]:.4g} (n={len(row.samples[column])})"
            )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def environment_lines(train_samples: int, reps: int) -> list[str]:
    """One-line facts about the machine and library versions behind the numbers."""
    lines = [
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"{os.cpu_count()} CPUs, {platform.machine()} {platform.system()}",
        f"train samples {train_samples}, predict samples {PREDICT_SAMPLES}, "
        f"reps {reps} (median reported), interleaved peers",
    ]
    for module_name in ("neurona", "torch", "keras", "jax", "sklearn"):
        module = sys.modules.get(module_name)
        if module is None:
            continue
        extra = f", {module.get_num_threads()} threads" if module_name == "torch" else ""
        if module_name == "keras":
            extra = f", backend {os.environ.get('KERAS_BACKEND', '?')}"
        lines.append(f"{module_name} {getattr(module, '__version__', '?')}{extra}")
    return lines


@dataclass
class Report:
    """Everything one run measured."""

    train_samples: int
    reps: int
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warmup: list[WarmupRow] = field(default_factory=list)
    memory: str | None = None

    def markdown(self) -> str:
        """Environment, medians table, spread table, notes, warm-up tax and memory tables."""
        parts = ["- " + line for line in environment_lines(self.train_samples, self.reps)]
        if self.rows:
            parts += ["", markdown_table(self.rows), "", "Spread over repetitions (min – max):", ""]
            parts += [spread_table(self.rows)]
        if self.notes:
            parts += [""] + self.notes
        if self.warmup:
            parts += [
                "",
                f"Warm-up tax: first epoch of a freshly built and compiled model against the median "
                f"steady epoch (goal for neurona: ≤ {WARMUP_GOAL}×):",
                "",
                warmup_table(self.warmup),
            ]
        if self.memory:
            parts += ["", "Memory of one neurona W1 fit epoch beyond the data (fresh subprocesses):", ""]
            parts += [self.memory]
        return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reps",
        type=int,
        default=None,
        help=f"timed repetitions per peer (default {DEFAULT_REPS}, {QUICK_REPS} with --quick)",
    )
    parser.add_argument(
        "--workloads",
        default=",".join(ALL_WORKLOADS),
        help="comma-separated, any of: " + ",".join(ALL_WORKLOADS) + " (case-insensitive; default all)",
    )
    parser.add_argument(
        "--batch-sizes",
        default=",".join(map(str, DEFAULT_BATCH_SIZES)),
        help="W1 batch sizes, comma-separated",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke run: {QUICK_TRAIN_SAMPLES} training samples, {QUICK_REPS} reps, "
        f"W4 with {QUICK_PLAYGROUND_EPOCHS} epochs, {QUICK_WARMUP_MODELS} fresh model per warm-up cell",
    )
    parser.add_argument(
        "--latency-calls",
        type=int,
        default=None,
        help=f"single-sample calls per rep (default {DEFAULT_LATENCY_CALLS}, "
        f"{QUICK_LATENCY_CALLS} with --quick)",
    )
    parser.add_argument(
        "--warmup-batch-sizes",
        default=",".join(map(str, WARMUP_BATCH_SIZES)),
        help="batch sizes of the warm-up-tax table",
    )
    parser.add_argument(
        "--warmup-models",
        type=int,
        default=None,
        help=f"fresh models per peer and batch size in the warm-up-tax table "
        f"(default {DEFAULT_WARMUP_MODELS}, {QUICK_WARMUP_MODELS} with --quick)",
    )
    parser.add_argument(
        "--steady-epochs",
        type=int,
        default=DEFAULT_STEADY_EPOCHS,
        help="steady epochs timed after each first epoch in the warm-up-tax table",
    )
    parser.add_argument(
        "--memory-batch-sizes", default="32,1024", help="batch sizes of the memory table (neurona, W1)"
    )
    parser.add_argument(
        "--no-install",
        action="store_true",
        help="do not try `python -m pip install` for peers whose import fails",
    )
    parser.add_argument("--out", help="also write the Markdown report to this file")
    parser.add_argument(
        "--check", action="store_true", help="only run the self-checks of the NumPy loop and exit"
    )
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=32,
        default=None,
        metavar="BATCH",
        help="after the benchmark, cProfile one neurona fit epoch "
        "(default batch 32) and print the top 15 by tottime",
    )
    return parser.parse_args(argv)


def _int_list(text: str) -> list[int]:
    return [int(item) for item in text.split(",") if item.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.check:
        from peers_numpy import check_numpy_loop

        return 0 if check_numpy_loop() else 1

    reps = args.reps if args.reps is not None else (QUICK_REPS if args.quick else DEFAULT_REPS)
    calls = args.latency_calls or (QUICK_LATENCY_CALLS if args.quick else DEFAULT_LATENCY_CALLS)
    warmup_models = args.warmup_models or (QUICK_WARMUP_MODELS if args.quick else DEFAULT_WARMUP_MODELS)
    train_samples = QUICK_TRAIN_SAMPLES if args.quick else TRAIN_SAMPLES
    playground_epochs = QUICK_PLAYGROUND_EPOCHS if args.quick else PLAYGROUND_EPOCHS
    canonical = {name.lower(): name for name in ALL_WORKLOADS}
    requested = [w.strip() for w in args.workloads.split(",") if w.strip()]
    workloads = {canonical.get(w.lower(), w) for w in requested}
    unknown = workloads - set(ALL_WORKLOADS)
    if unknown:
        log(f"unknown workloads: {', '.join(sorted(unknown))} (known: {', '.join(ALL_WORKLOADS)})")
        return 2

    modules = load_peer_modules(install=None if args.no_install else PipInstaller())
    data = make_dataset(train_samples)
    report = Report(train_samples, reps)
    w1_factories = mlp_factories(modules, W1_SIZES)
    # The warm-up tax runs first, so that "first in process" is the first fit of each library.
    if "warmup" in workloads:
        report.warmup = run_warmup(
            w1_factories, data, _int_list(args.warmup_batch_sizes), warmup_models, args.steady_epochs
        )
    if "W1" in workloads:
        report.rows += run_fit_rows("W1", w1_factories, data, _int_list(args.batch_sizes), reps)
    if "W2" in workloads:
        report.rows += run_fit_rows("W2", mlp_factories(modules, W2_SIZES), data, [W2_BATCH_SIZE], reps)
    if "W3" in workloads:
        inference_factories = mlp_factories(modules, W1_SIZES, inference=True)
        report.rows.append(run_w3_predict(inference_factories, data, reps))
        report.rows += run_w3_latency(inference_factories, data, reps, calls)
    if "W4" in workloads:
        row, note = run_w4(playground_factories(modules), playground_epochs, reps)
        report.rows.append(row)
        report.notes.append(note)
    if "memory" in workloads:
        import memory

        rows = memory.measure(_int_list(args.memory_batch_sizes), train_samples, log=log)
        report.memory = memory.markdown_table(rows)

    text = report.markdown()
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
        log(f"report written to {args.out}")

    if args.profile is not None:
        if "neurona" not in modules:
            log("--profile: neurona is not available")
        else:
            from peer_neurona import profile_fit

            print(f"cProfile of one neurona fit epoch at batch {args.profile}:\n")
            print(profile_fit(data.x_train, data.y_train, args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
