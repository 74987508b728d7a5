"""bench/memory.py: the probes report known allocations, and the subprocess probe of neurona's fit works."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import memory  # noqa: E402

MB = 1e6


def test_traced_peak_sees_a_temporary_numpy_allocation():
    def allocate_and_free():
        block = np.ones(int(32 * MB) // 8)  # 32 MB of float64, freed on return
        return float(block[-1])

    traced = memory.traced_peak(allocate_and_free)
    assert 32 * MB <= traced.peak_bytes < 33 * MB
    assert traced.retained_bytes < 0.1 * MB


def test_traced_peak_counts_what_is_kept():
    kept = []
    traced = memory.traced_peak(lambda: kept.append(np.zeros(int(8 * MB), dtype=np.uint8)))
    assert traced.retained_bytes >= 8 * MB
    assert traced.peak_bytes >= traced.retained_bytes


def test_rss_growth_sees_touched_pages():
    if memory.current_rss_bytes() is None or not memory.reset_peak_rss():
        pytest.skip("needs /proc/self/status and a resettable peak RSS (Linux)")

    def touch():
        block = np.ones(int(64 * MB) // 8)  # np.ones writes every page
        return float(block.sum())

    growth = memory.rss_growth(touch)
    assert growth.method == "VmHWM (reset) - VmRSS before"
    assert 60 * MB <= growth.growth_bytes < 100 * MB


def test_verdict_flags_a_whole_dataset_copy():
    base = {"x_mb": 188.2, "data_mb": 188.6}
    row = memory.MemoryRow(32, 60000, {**base, "peak_extra_mb": 190.0, "retained_mb": 0.1}, {})
    assert memory.verdict(row) == "whole-dataset copy?"
    row.traced["peak_extra_mb"] = 12.0
    assert memory.verdict(row) == "ok"
    table = memory.markdown_table([row])
    assert "| 32 | 60000 | 188.6 | 12.0 | 0.1 | n/a | ok |" in table


def test_probe_subprocess_reports_the_data_size():
    pytest.importorskip("neurona")
    result = memory.run_probe_subprocess("traced", batch_size=256, samples=4096, timeout=120)
    assert "error" not in result, result
    assert result["data_mb"] == pytest.approx((4096 * 784 * 4 + 4096 * 8) / MB)
    # a 12.8 MB dataset: one epoch needs some batch-sized buffers, not a copy of it
    assert 0 <= result["peak_extra_mb"] < 0.5 * result["x_mb"]
