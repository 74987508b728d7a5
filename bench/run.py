"""Side-by-side benchmark of neurona against NumPy and PyTorch peers.

Usage (from the repository root)::

    python bench/run.py [--reps N] [--workloads W1,W3] [--batch-sizes 32,128,1024]
                        [--quick] [--out FILE] [--check] [--profile [BATCH]]

All peers run in this one process and are interleaved: after a warm-up, each
repetition times every peer once (the order rotates between repetitions), and
the table reports the median over repetitions plus the ratios neurona/peer.
On a shared, noisy machine only ratios measured in the same run are
meaningful.  Progress goes to stderr, the Markdown table to stdout.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Hashable, Sequence

import numpy as np
from workloads import (
    DEFAULT_BATCH_SIZES,
    NUM_CLASSES,
    PREDICT_BATCH_SIZE,
    PREDICT_SAMPLES,
    QUICK_TRAIN_SAMPLES,
    TRAIN_SAMPLES,
    Dataset,
    Peer,
    make_dataset,
)

# (column name, module, class) in table order; neurona first.
PEER_SPECS: tuple[tuple[str, str, str], ...] = (
    ("neurona", "peer_neurona", "NeuronaMLP"),
    ("numpy loop", "peers_numpy", "NumpyMLP"),
    ("torch", "peers_torch", "TorchMLP"),
    ("keras/jax", "peers_keras", "KerasMLP"),
    ("matmul bound", "peers_numpy", "MatmulBound"),
)
COLUMNS = tuple(spec[0] for spec in PEER_SPECS)
DEFAULT_REPS = 5
QUICK_REPS = 2
DEFAULT_LATENCY_CALLS = 200
QUICK_LATENCY_CALLS = 50

PeerFactory = Callable[[], Peer]
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


def load_peer_factories() -> dict[str, PeerFactory]:
    """Import every peer module; skip (and say why) those that fail to import."""
    factories: dict[str, PeerFactory] = {}
    for column, module_name, class_name in PEER_SPECS:
        try:
            module = importlib.import_module(module_name)
            factories[column] = getattr(module, class_name)
        except Exception as error:  # noqa: BLE001 - any import failure skips the peer
            log(f"skipping peer {column!r}: cannot import {module_name}: {type(error).__name__}: {error}")
    return factories


def build_peers(factories: dict[str, PeerFactory]) -> dict[str, Peer]:
    """Instantiate a fresh model for every peer; skip peers that fail to build."""
    peers: dict[str, Peer] = {}
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


def run_w1(
    factories: dict[str, PeerFactory], data: Dataset, batch_sizes: Sequence[int], reps: int
) -> list[Row]:
    """W1: seconds per training epoch, one fresh model per peer and batch size."""
    rows = []
    for batch_size in batch_sizes:
        log(f"W1 fit, batch {batch_size}, {len(data.x_train)} samples")
        peers = build_peers(factories)
        tasks = {
            column: _epoch_task(peer, data.x_train, data.y_train, batch_size)
            for column, peer in peers.items()
        }
        rows.append(Row("W1 fit", batch_size, "s/epoch", measure_interleaved(tasks, reps)))
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


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _format_value(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def _format_ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None or denominator == 0:
        return "n/a"
    return f"{numerator / denominator:.2f}×"


def markdown_table(rows: Sequence[Row]) -> str:
    """Medians per peer and the ratios neurona/torch, neurona/keras and neurona/numpy loop."""
    header = ["workload", "batch", *COLUMNS, "neurona/torch", "neurona/keras", "neurona/numpy"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        medians = [row.median(column) for column in COLUMNS]
        cells = [
            f"{row.workload} ({row.unit})",
            str(row.batch),
            *(_format_value(m) for m in medians),
            _format_ratio(row.median("neurona"), row.median("torch")),
            _format_ratio(row.median("neurona"), row.median("keras/jax")),
            _format_ratio(row.median("neurona"), row.median("numpy loop")),
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
    for module_name, label in (("torch", "torch"), ("neurona", "neurona")):
        module = sys.modules.get(module_name)
        if module is None:
            continue
        extra = f", {module.get_num_threads()} threads" if module_name == "torch" else ""
        lines.append(f"{label} {getattr(module, '__version__', '?')}{extra}")
    return lines


def build_report(rows: Sequence[Row], train_samples: int, reps: int) -> str:
    """The full Markdown report: environment, medians table, spread table."""
    parts = ["- " + line for line in environment_lines(train_samples, reps)]
    parts += ["", markdown_table(rows), "", "Spread over repetitions (min – max):", "", spread_table(rows)]
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
    parser.add_argument("--workloads", default="W1,W3", help="comma-separated: W1,W3")
    parser.add_argument(
        "--batch-sizes",
        default=",".join(map(str, DEFAULT_BATCH_SIZES)),
        help="W1 batch sizes, comma-separated",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke run: {QUICK_TRAIN_SAMPLES} training samples, {QUICK_REPS} reps",
    )
    parser.add_argument(
        "--latency-calls",
        type=int,
        default=None,
        help=f"single-sample calls per rep (default {DEFAULT_LATENCY_CALLS}, "
        f"{QUICK_LATENCY_CALLS} with --quick)",
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


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.check:
        from peers_numpy import check_numpy_loop

        return 0 if check_numpy_loop() else 1

    reps = args.reps if args.reps is not None else (QUICK_REPS if args.quick else DEFAULT_REPS)
    calls = args.latency_calls or (QUICK_LATENCY_CALLS if args.quick else DEFAULT_LATENCY_CALLS)
    train_samples = QUICK_TRAIN_SAMPLES if args.quick else TRAIN_SAMPLES
    workloads = {w.strip().upper() for w in args.workloads.split(",") if w.strip()}
    batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
    unknown = workloads - {"W1", "W3"}
    if unknown:
        log(f"unknown workloads: {', '.join(sorted(unknown))}")
        return 2

    factories = load_peer_factories()
    data = make_dataset(train_samples)
    rows: list[Row] = []
    if "W1" in workloads:
        rows += run_w1(factories, data, batch_sizes, reps)
    if "W3" in workloads:
        rows.append(run_w3_predict(factories, data, reps))
        rows += run_w3_latency(factories, data, reps, calls)

    report = build_report(rows, train_samples, reps)
    print(report)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(report)
        log(f"report written to {args.out}")

    if args.profile is not None:
        if "neurona" not in factories:
            log("--profile: neurona is not available")
        else:
            from peer_neurona import profile_fit

            print(f"cProfile of one neurona fit epoch at batch {args.profile}:\n")
            print(profile_fit(data.x_train, data.y_train, args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
