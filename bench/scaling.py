"""How close neurona's ``fit`` gets to the GEMM bound as the network and batch grow.

Usage (from the repository root)::

    python bench/scaling.py [--reps 3] [--quick] [--no-numpy] [--flop-budget 6e10] [--out FILE]

Network: ``784 -> depth x (Dense width, relu) -> Dense 10`` (logits), Adam with the Keras defaults,
sparse categorical cross-entropy from logits, ``metrics=["accuracy"]``: W1's setup with other widths.
``depth`` is the number of hidden layers.  Three sweeps, each around width 512, depth 2, batch 128:
width 128/512/2048 (depth 2, batch 128), depth 2/4/8 (width 512, batch 128), batch 32/128/1024
(width 512, depth 2).  The shared configuration is timed once and shown in every sweep.

Each configuration is timed on as many samples as the GEMMs of ``--flop-budget`` floating-point
operations allow (a whole number of batches, at least ``--min-steps`` of them, at most 60 000), and
the times are scaled to seconds per 60 000-sample epoch.  Peers per configuration: neurona
(``model.fit``, epochs=1), the matmul-only bound (``peers_numpy.MatmulBound``) and, unless
``--no-numpy``, the hand-written NumPy loop; one warm-up epoch each, then ``--reps`` interleaved
repetitions, median reported.  Progress goes to stderr, the Markdown table to stdout.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass, field
from typing import Callable, Sequence

from run import environment_lines, log, measure_interleaved, time_once
from workloads import INPUT_DIM, NUM_CLASSES, TRAIN_SAMPLES, Dataset, gemm_flops_per_sample, make_dataset

SWEEP_WIDTHS = (128, 512, 2048)
SWEEP_DEPTHS = (2, 4, 8)
SWEEP_BATCHES = (32, 128, 1024)
BASE_WIDTH = 512
BASE_DEPTH = 2
BASE_BATCH = 128

DEFAULT_FLOP_BUDGET = 6e10
QUICK_FLOP_BUDGET = 3e9
DEFAULT_MIN_STEPS = 8
QUICK_MIN_STEPS = 2
DEFAULT_REPS = 3
QUICK_REPS = 1

NEURONA = "neurona"
NUMPY = "numpy loop"
BOUND = "GEMM bound"


@dataclass(frozen=True)
class Config:
    """One network and batch size: ``depth`` hidden layers of ``width`` units."""

    width: int
    depth: int
    batch: int

    @property
    def sizes(self) -> tuple[int, ...]:
        return (INPUT_DIM, *([self.width] * self.depth), NUM_CLASSES)

    @property
    def label(self) -> str:
        return f"width {self.width}, depth {self.depth}, batch {self.batch}"


def sweeps(
    widths: Sequence[int] = SWEEP_WIDTHS,
    depths: Sequence[int] = SWEEP_DEPTHS,
    batches: Sequence[int] = SWEEP_BATCHES,
) -> list[tuple[str, Config]]:
    """``(sweep name, config)`` rows in table order; the base configuration appears in each sweep."""
    rows = [("width", Config(width, BASE_DEPTH, BASE_BATCH)) for width in widths]
    rows += [("depth", Config(BASE_WIDTH, depth, BASE_BATCH)) for depth in depths]
    rows += [("batch", Config(BASE_WIDTH, BASE_DEPTH, batch)) for batch in batches]
    return rows


def samples_for(config: Config, flop_budget: float, min_steps: int, max_samples: int = TRAIN_SAMPLES) -> int:
    """Samples to time: GEMM work near ``flop_budget``, whole batches, ``min_steps`` to ``max_samples``."""
    budget_samples = int(flop_budget // gemm_flops_per_sample(config.sizes))
    samples = min(max(budget_samples, config.batch * min_steps), max_samples)
    return max(config.batch, samples // config.batch * config.batch)


@dataclass
class Result:
    """Timing samples (seconds for ``samples`` samples) of every peer for one configuration."""

    config: Config
    samples: int
    times: dict[str, list[float]] = field(default_factory=dict)

    def per_epoch(self, column: str) -> float | None:
        """Median seconds, scaled to a 60 000-sample epoch."""
        values = self.times.get(column)
        return statistics.median(values) * TRAIN_SAMPLES / self.samples if values else None

    def bound_gflops(self) -> float | None:
        values = self.times.get(BOUND)
        if not values:
            return None
        return gemm_flops_per_sample(self.config.sizes) * self.samples / statistics.median(values) / 1e9


def peer_factories(config: Config, with_numpy: bool) -> dict[str, Callable[[], object]]:
    """Constructors of the peers timed for ``config``; neurona is skipped if it cannot be imported."""
    from peers_numpy import MatmulBound, NumpyMLP

    factories: dict[str, Callable[[], object]] = {}
    try:
        from peer_neurona import NeuronaMLP
    except ImportError as error:
        log(f"skipping neurona: {error}")
    else:
        factories[NEURONA] = lambda: NeuronaMLP(config.sizes)
    if with_numpy:
        factories[NUMPY] = lambda: NumpyMLP(config.sizes)
    factories[BOUND] = lambda: MatmulBound(config.sizes)
    return factories


def measure_config(config: Config, data: Dataset, samples: int, reps: int, with_numpy: bool) -> Result:
    """One warm-up epoch per peer, then ``reps`` interleaved timed epochs on ``samples`` samples."""
    x, y = data.x_train[:samples], data.y_train[:samples]
    log(f"{config.label}: {samples} samples")
    tasks = {}
    for column, factory in peer_factories(config, with_numpy).items():
        peer = factory()
        tasks[column] = _epoch_task(peer, x, y, config.batch)
    return Result(config, samples, measure_interleaved(tasks, reps))


def _epoch_task(peer: object, x, y, batch_size: int) -> Callable[[], list[float]]:
    return lambda: [time_once(lambda: peer.train_epoch(x, y, batch_size))]


def _cell(value: float | None, spec: str = ".4g") -> str:
    return "n/a" if value is None else format(value, spec)


def _fraction(bound: float | None, other: float | None) -> str:
    return "n/a" if bound is None or not other else f"{bound / other:.2f}"


def markdown_table(rows: Sequence[tuple[str, Result]], with_numpy: bool) -> str:
    """config, neurona, (numpy loop), bound in s/epoch, and the fraction of the bound reached."""
    header = ["sweep", "config", "samples timed", "neurona (s/epoch)"]
    header += ["numpy loop (s/epoch)"] if with_numpy else []
    header += ["GEMM bound (s/epoch)", "bound / neurona"]
    header += ["bound / numpy loop"] if with_numpy else []
    header += ["bound GFLOP/s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for sweep, result in rows:
        neurona, numpy_loop, bound = (result.per_epoch(c) for c in (NEURONA, NUMPY, BOUND))
        cells = [sweep, result.config.label, str(result.samples), _cell(neurona)]
        cells += [_cell(numpy_loop)] if with_numpy else []
        cells += [_cell(bound), _fraction(bound, neurona)]
        cells += [_fraction(bound, numpy_loop)] if with_numpy else []
        cells += [_cell(result.bound_gflops(), ".1f")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_sweeps(flop_budget: float, min_steps: int, reps: int, with_numpy: bool) -> list[tuple[str, Result]]:
    """Time every distinct configuration once; return the rows of all sweeps."""
    plan = sweeps()
    samples = {config: samples_for(config, flop_budget, min_steps) for _, config in plan}
    data = make_dataset(max(samples.values()), test_samples=1)
    results: dict[Config, Result] = {}
    for _, config in plan:
        if config not in results:
            results[config] = measure_config(config, data, samples[config], reps, with_numpy)
    return [(sweep, results[config]) for sweep, config in plan]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny FLOP budget, 1 rep")
    parser.add_argument("--reps", type=int, default=None, help=f"default {DEFAULT_REPS}, {QUICK_REPS} quick")
    parser.add_argument(
        "--flop-budget",
        type=float,
        default=None,
        help=f"GEMM FLOPs per timed epoch (default {DEFAULT_FLOP_BUDGET:g}, {QUICK_FLOP_BUDGET:g} quick)",
    )
    parser.add_argument("--min-steps", type=int, default=None, help="fewest batches per timed epoch")
    parser.add_argument("--no-numpy", action="store_true", help="leave out the hand-written NumPy loop")
    parser.add_argument("--out", help="also write the Markdown report to this file")
    args = parser.parse_args(argv)

    reps = args.reps if args.reps is not None else (QUICK_REPS if args.quick else DEFAULT_REPS)
    budget = args.flop_budget or (QUICK_FLOP_BUDGET if args.quick else DEFAULT_FLOP_BUDGET)
    min_steps = args.min_steps or (QUICK_MIN_STEPS if args.quick else DEFAULT_MIN_STEPS)
    with_numpy = not args.no_numpy
    rows = run_sweeps(budget, min_steps, reps, with_numpy)

    environment = environment_lines(TRAIN_SAMPLES, reps)[:1] + [
        f"reps {reps} (median reported), GEMM budget {budget:g} FLOP per timed epoch, "
        f"times scaled to {TRAIN_SAMPLES} samples per epoch"
    ]
    environment += [line for line in environment_lines(TRAIN_SAMPLES, reps)[2:]]
    text = "\n".join("- " + line for line in environment) + "\n\n" + markdown_table(rows, with_numpy) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
        log(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
