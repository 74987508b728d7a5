"""Argument checks shared by the optimizer classes (one line per hyper-parameter at the call site)."""

from __future__ import annotations

from typing import Any


def check_unit_interval(name: str, value: Any, *, closed_right: bool = False) -> float:
    """`value` in [0, 1) (or [0, 1] with `closed_right`), as a float."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = ok and (0 <= value <= 1 if closed_right else 0 <= value < 1)
    if not ok:
        interval = "[0, 1]" if closed_right else "[0, 1)"
        raise ValueError(f"`{name}` must be a float in {interval}. Received: {name}={value!r}")
    return float(value)


def check_non_negative(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"`{name}` must be a non-negative number. Received: {name}={value!r}")
    return float(value)
