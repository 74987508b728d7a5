"""Side-by-side cost of one optimizer update: neurona vs PyTorch (torch.optim, default foreach path).

The parameters are those of the course's MLP (784×128, 128, 128×10, 10: 101 770 values, float32); each
update applies fresh random gradients. Peers are interleaved inside every repetition; the table reports
the median microseconds per update and the ratio neurona / torch. For scale it also prints the time of
the matmuls of one training step at batch 32 (forward + backward, NumPy), the work an update is meant
to stay small against.

    python bench/optimizers.py [--reps 7] [--updates 200] [--out FILE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Callable

import numpy as np

SHAPES = [(784, 128), (128,), (128, 10), (10,)]


def neurona_peers() -> dict[str, Callable[[], object]]:
    from neurona import optimizers as o

    return {
        "SGD momentum nesterov": lambda: o.SGD(0.01, momentum=0.9, nesterov=True),
        "RMSprop": lambda: o.RMSprop(),
        "Adam": lambda: o.Adam(),
        "AdamW": lambda: o.AdamW(),
        "Adadelta": lambda: o.Adadelta(),
        "Adagrad": lambda: o.Adagrad(),
        "Adamax": lambda: o.Adamax(),
        "Nadam": lambda: o.Nadam(),
        "Ftrl": lambda: o.Ftrl(),
        "Lion": lambda: o.Lion(),
    }


def torch_peers() -> dict[str, Callable[[list], object]]:
    import torch

    t = torch.optim
    peers = {
        "SGD momentum nesterov": lambda p: t.SGD(p, lr=0.01, momentum=0.9, nesterov=True),
        "RMSprop": lambda p: t.RMSprop(p, lr=0.001, alpha=0.9, eps=1e-7),
        "Adam": lambda p: t.Adam(p, lr=0.001, eps=1e-7),
        "AdamW": lambda p: t.AdamW(p, lr=0.001, eps=1e-7, weight_decay=0.004),
        "Adadelta": lambda p: t.Adadelta(p, lr=0.001, rho=0.95, eps=1e-7),
        "Adagrad": lambda p: t.Adagrad(p, lr=0.001, initial_accumulator_value=0.1, eps=1e-7),
        "Adamax": lambda p: t.Adamax(p, lr=0.001, eps=1e-7),
        "Nadam": lambda p: t.NAdam(p, lr=0.001, eps=1e-7),
    }
    return peers


def make_neurona_task(factory: Callable[[], object], grads: list[list[np.ndarray]]) -> Callable[[], float]:
    import neurona

    variables = [neurona.Variable(np.zeros(shape, dtype="float32")) for shape in SHAPES]
    optimizer = factory()

    def task() -> float:
        start = time.perf_counter()
        for step_grads in grads:
            optimizer.apply(step_grads, variables)
        return (time.perf_counter() - start) / len(grads) * 1e6

    return task


def make_torch_task(factory: Callable[[list], object], grads: list[list[np.ndarray]]) -> Callable[[], float]:
    import torch

    params = [torch.zeros(shape, requires_grad=True) for shape in SHAPES]
    optimizer = factory(params)
    torch_grads = [[torch.from_numpy(g) for g in step] for step in grads]

    def task() -> float:
        start = time.perf_counter()
        for step_grads in torch_grads:
            for p, g in zip(params, step_grads):
                p.grad = g
            optimizer.step()
        return (time.perf_counter() - start) / len(grads) * 1e6

    return task


def matmul_step_us(batch: int = 32, reps: int = 200) -> float:
    """The matmuls of one training step of the MLP at `batch` (forward and backward, no dx for the input)."""
    rng = np.random.default_rng(0)
    x = rng.random((batch, 784), dtype=np.float32)
    w1, w2 = rng.random((784, 128), dtype=np.float32), rng.random((128, 10), dtype=np.float32)
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        h = x @ w1
        logits = h @ w2
        _ = h.T @ logits, logits @ w2.T, x.T @ h
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--updates", type=int, default=200, help="updates timed per repetition")
    parser.add_argument("--out", help="also write the table to this file")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(1)
    grads = [[rng.normal(size=shape).astype("float32") for shape in SHAPES] for _ in range(args.updates)]
    ours = neurona_peers()
    try:
        theirs = torch_peers()
    except ImportError as error:
        print(f"torch not available ({error}); timing neurona only", file=sys.stderr)
        theirs = {}
    tasks: dict[tuple[str, str], Callable[[], float]] = {}
    for name, factory in ours.items():
        tasks[(name, "neurona")] = make_neurona_task(factory, grads)
        if name in theirs:
            tasks[(name, "torch")] = make_torch_task(theirs[name], grads)
    for task in tasks.values():
        task()  # warm-up: builds the state
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in tasks}
    for rep in range(args.reps):
        keys = list(tasks)
        keys = keys[rep % len(keys) :] + keys[: rep % len(keys)]
        for key in keys:
            samples[key].append(tasks[key]())
        print(f"rep {rep + 1}/{args.reps}", file=sys.stderr)

    step = matmul_step_us()
    lines = [
        f"One update of 101 770 float32 parameters (the course MLP), median of {args.reps} repetitions "
        f"of {args.updates} updates. For scale: the matmuls of one training step at batch 32 take {step:.0f} µs.",
        "",
        "| optimizer | neurona (µs/update) | torch (µs/update) | neurona/torch |",
        "|---|---|---|---|",
    ]
    for name in ours:
        mine = statistics.median(samples[(name, "neurona")])
        other = statistics.median(samples[(name, "torch")]) if (name, "torch") in samples else None
        ratio = f"{mine / other:.2f}×" if other else "—"
        lines.append(
            f"| {name} | {mine:.0f} | {other:.0f} | {ratio} |"
            if other
            else f"| {name} | {mine:.0f} | — | — |"
        )
    report = "\n".join(lines)
    print(report)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
