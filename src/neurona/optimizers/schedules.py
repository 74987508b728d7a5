"""Learning-rate schedules: `LearningRateSchedule` is called with the optimizer's step and returns the
learning rate for it."""

from __future__ import annotations

from typing import Any


class LearningRateSchedule:
    """Base class: subclasses implement `__call__(step) -> float` and `get_config()`."""

    def __call__(self, step: int) -> float:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        return cls(**config)
