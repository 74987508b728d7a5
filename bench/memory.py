"""Peak memory of neurona's ``fit`` beyond the data (W1), each measurement in a fresh subprocess.

    python bench/memory.py [--batch-sizes 32,1024] [--samples 60000]   # the table (Markdown, stdout)
    python bench/memory.py --probe traced --batch 32 [--samples N]    # one measurement, one JSON line

Two probes, each in its own fresh interpreter so that earlier peaks (data generation, other
workloads, the other probe) cannot mask or inflate the result:

* ``traced``: ``tracemalloc`` (NumPy reports its array buffers to it) started right before one
  ``fit`` epoch; the peak of traced memory during the epoch is the extra memory ``fit`` needed,
  and what is still traced afterwards is what it kept (history, optimizer state, caches).
* ``rss``: the peak resident set size during the epoch minus the resident set size before it.  On
  Linux the peak (``VmHWM`` in ``/proc/self/status``) is reset first by writing ``5`` to
  ``/proc/self/clear_refs``; where that is not possible, the growth of the peak itself
  (``VmHWM`` or ``resource.getrusage().ru_maxrss``) is used, which can only under-report.

Before either probe, the model trains on two batches (imports, optimizer slots, caches), so the
probes see a steady epoch, not one-time set-up.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

MB = 1e6
PROBES = ("traced", "rss")
DEFAULT_MEMORY_BATCH_SIZES = (32, 1024)
EXTRA_GOAL_MB = 50.0
PROBE_TIMEOUT_S = 900


# ---------------------------------------------------------------------------
# Probes (usable in any process)
# ---------------------------------------------------------------------------


def read_proc_status_kb(field: str) -> int | None:
    """A ``kB`` field of ``/proc/self/status`` (``VmRSS``, ``VmHWM``), or None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (``VmHWM``) of this process; whether that worked."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def current_rss_bytes() -> int | None:
    kb = read_proc_status_kb("VmRSS")
    return None if kb is None else kb * 1024


def peak_rss_bytes() -> int:
    """Peak RSS so far: ``VmHWM`` where available, else ``getrusage`` (kB on Linux, bytes on macOS)."""
    kb = read_proc_status_kb("VmHWM")
    if kb is not None:
        return kb * 1024
    import resource

    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss if sys.platform == "darwin" else maxrss * 1024


@dataclass(frozen=True)
class RssGrowth:
    growth_bytes: int
    method: str


def rss_growth(fn: Callable[[], object]) -> RssGrowth:
    """How far the resident set size peaks above its level before ``fn()``."""
    gc.collect()
    before = current_rss_bytes() if reset_peak_rss() else None
    if before is not None:
        method = "VmHWM (reset) - VmRSS before"
    else:
        before = peak_rss_bytes()
        method = "growth of peak RSS (no reset)"
    fn()
    return RssGrowth(peak_rss_bytes() - before, method)


@dataclass(frozen=True)
class TracedPeak:
    peak_bytes: int
    retained_bytes: int


def traced_peak(fn: Callable[[], object]) -> TracedPeak:
    """Peak and retained ``tracemalloc`` memory of ``fn()``, counting only what it allocates."""
    gc.collect()
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        fn()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        if started:
            tracemalloc.stop()
    return TracedPeak(peak - baseline, current - baseline)


# ---------------------------------------------------------------------------
# One measurement of neurona's fit (run in a subprocess)
# ---------------------------------------------------------------------------


def probe_fit(kind: str, batch_size: int, samples: int) -> dict[str, object]:
    """Measure one W1 ``fit`` epoch of a fresh neurona model with the ``kind`` probe."""
    from peer_neurona import NeuronaMLP
    from workloads import make_dataset

    data = make_dataset(samples, test_samples=1)
    x, y = data.x_train, data.y_train
    peer = NeuronaMLP()
    warm = min(len(x), 2 * batch_size)
    peer.train_epoch(x[:warm], y[:warm], batch_size)
    result: dict[str, object] = {
        "probe": kind,
        "batch": batch_size,
        "samples": samples,
        "data_mb": data.train_megabytes,
        "x_mb": x.nbytes / MB,
    }
    start = time.perf_counter()
    if kind == "traced":
        traced = traced_peak(lambda: peer.train_epoch(x, y, batch_size))
        result.update(peak_extra_mb=traced.peak_bytes / MB, retained_mb=traced.retained_bytes / MB)
    else:
        growth = rss_growth(lambda: peer.train_epoch(x, y, batch_size))
        result.update(rss_growth_mb=growth.growth_bytes / MB, rss_method=growth.method)
    result["seconds"] = time.perf_counter() - start
    return result


def run_probe_subprocess(
    kind: str, batch_size: int, samples: int, timeout: float = PROBE_TIMEOUT_S
) -> dict[str, object]:
    """Run ``probe_fit`` in a fresh interpreter; its JSON result, or ``{"error": ...}``."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--probe",
        kind,
        "--batch",
        str(batch_size),
        "--samples",
        str(samples),
    ]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        tail = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {completed.returncode}: {tail}"}
    return json.loads(lines[-1])


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


@dataclass
class MemoryRow:
    """Both probes of one batch size."""

    batch: int
    samples: int
    traced: dict[str, object]
    rss: dict[str, object]

    def value(self, probe: dict[str, object], key: str) -> float | None:
        value = probe.get(key)
        return float(value) if isinstance(value, (int, float)) else None


def measure(batch_sizes: Sequence[int], samples: int, log: Callable[[str], None] = print) -> list[MemoryRow]:
    """Both probes for every batch size, each in its own fresh subprocess."""
    rows = []
    for batch_size in batch_sizes:
        results = {}
        for kind in PROBES:
            log(f"memory: neurona fit, batch {batch_size}, {samples} samples, {kind} probe (subprocess)")
            results[kind] = run_probe_subprocess(kind, batch_size, samples)
            if "error" in results[kind]:
                log(f"  {kind} probe FAILED: {results[kind]['error']}")
        rows.append(MemoryRow(batch_size, samples, results["traced"], results["rss"]))
    return rows


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def verdict(row: MemoryRow) -> str:
    """Whether the traced extra stays within the goal and below one copy of the data."""
    extra = row.value(row.traced, "peak_extra_mb")
    x_mb = row.value(row.traced, "x_mb")
    if extra is None or x_mb is None:
        return "n/a"
    if extra >= 0.9 * x_mb:
        return "whole-dataset copy?"
    return "ok" if extra <= EXTRA_GOAL_MB else f"above {EXTRA_GOAL_MB:.0f} MB"


def markdown_table(rows: Sequence[MemoryRow]) -> str:
    """data MB, peak extra traced MB, retained MB and RSS growth MB per batch size."""
    header = [
        "batch",
        "samples",
        "data MB",
        "peak extra traced MB",
        "retained after fit MB",
        "RSS growth MB",
        "verdict",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        data_mb = row.value(row.traced, "data_mb") or row.value(row.rss, "data_mb")
        cells = [
            str(row.batch),
            str(row.samples),
            _mb(data_mb),
            _mb(row.value(row.traced, "peak_extra_mb")),
            _mb(row.value(row.traced, "retained_mb")),
            _mb(row.value(row.rss, "rss_growth_mb")),
            verdict(row),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    methods = sorted({str(row.rss["rss_method"]) for row in rows if "rss_method" in row.rss})
    if methods:
        lines += ["", "RSS growth measured as: " + "; ".join(methods) + "."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probe", choices=PROBES, help="run one probe in this process, print JSON")
    parser.add_argument("--batch", type=int, default=32, help="batch size of --probe")
    parser.add_argument("--batch-sizes", default=",".join(map(str, DEFAULT_MEMORY_BATCH_SIZES)))
    parser.add_argument("--samples", type=int, default=60_000)
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe_fit(args.probe, args.batch, args.samples)))
        return 0
    batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
    rows = measure(batch_sizes, args.samples, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(markdown_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
