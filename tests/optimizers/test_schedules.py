"""Learning-rate schedules, hand-worked from Keras's formulas (keras-api.md §1.5)."""

import math

import numpy as np
import pytest

import neurona
from neurona.optimizers import schedules


@pytest.mark.parametrize(
    "schedule, step, expected",
    [
        (schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5), 5, 0.1 * 0.5**0.5),  # 0.0707107
        (schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), 5, 0.1),  # floor(0.5) = 0
        (schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), 25, 0.025),  # 0.1·0.5²
        (schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]), 10, 1.0),  # step ≤ 10
        (schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]), 11, 0.5),
        (schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]), 20, 0.5),
        (schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]), 21, 0.1),
        (
            schedules.PolynomialDecay(0.1, 100, end_learning_rate=0.01, power=2.0),
            50,
            0.0325,
        ),  # 0.09·0.25 + 0.01
        (
            schedules.PolynomialDecay(0.1, 100, end_learning_rate=0.01, power=2.0),
            200,
            0.01,
        ),  # clamped at the end
        (
            schedules.PolynomialDecay(0.1, 100, 0.01, power=2.0, cycle=True),
            150,
            0.015625,
        ),  # decay_steps → 200
        (schedules.InverseTimeDecay(0.1, 10, 0.5), 20, 0.05),  # 0.1 / (1 + 0.5·2)
        (schedules.InverseTimeDecay(0.1, 10, 0.5, staircase=True), 15, 0.1 / 1.5),
        (schedules.CosineDecay(0.1, 100), 50, 0.05),  # ½(1 + cos π/2)
        (schedules.CosineDecay(0.1, 100), 200, 0.0),
        (schedules.CosineDecay(0.1, 100, alpha=0.1), 100, 0.01),  # floor α·lr
        (schedules.CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=10), 5, 0.05),  # linear warmup
        (schedules.CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=10), 10, 0.1),
        (schedules.CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=10), 60, 0.05),  # s = 50
        (schedules.CosineDecayRestarts(0.1, 10, t_mul=2.0, m_mul=0.5), 0, 0.1),
        (schedules.CosineDecayRestarts(0.1, 10, t_mul=2.0, m_mul=0.5), 5, 0.05),
        (schedules.CosineDecayRestarts(0.1, 10, t_mul=2.0, m_mul=0.5), 10, 0.05),  # restart 1: ·0.5
        (
            schedules.CosineDecayRestarts(0.1, 10, t_mul=2.0, m_mul=0.5),
            20,
            0.025,
        ),  # halfway in a 20-step period
        (schedules.CosineDecayRestarts(0.1, 10, t_mul=1.0), 15, 0.05),
    ],
)
def test_schedule_values(schedule, step, expected):
    assert schedule(step) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_optimizer_evaluates_the_schedule_at_its_step():
    # SGD with lr 1·0.5^step: steps of −lr·g with g = 1 → 1, 0.5, 0.25
    var = neurona.Variable(0.0)
    opt = neurona.optimizers.SGD(schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5))
    values = []
    for _ in range(3):
        opt.apply_gradients([(np.array(1.0, dtype="float32"), var)])
        values.append(float(var))
    np.testing.assert_allclose(values, [-1.0, -1.5, -1.75])
    assert float(opt.learning_rate) == pytest.approx(0.125)


def test_schedules_round_trip_through_optimizer_config():
    schedule = schedules.CosineDecay(0.1, 100, alpha=0.2, warmup_target=0.3, warmup_steps=5)
    opt = neurona.optimizers.Adam(learning_rate=schedule)
    clone = neurona.optimizers.deserialize(neurona.optimizers.serialize(opt))
    assert isinstance(clone._learning_rate, schedules.CosineDecay)
    assert [clone._learning_rate(s) for s in (0, 3, 50)] == [schedule(s) for s in (0, 3, 50)]


def test_bad_schedule_arguments():
    with pytest.raises(ValueError, match="1 less than the length of `values`"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1])
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="Unknown learning-rate schedule"):
        schedules.deserialize({"class_name": "Nope"})


def test_cosine_restarts_periods_grow_geometrically():
    schedule = schedules.CosineDecayRestarts(1.0, 4, t_mul=2.0)
    # restarts at 4, 4 + 8 = 12, 12 + 16 = 28: the rate jumps back to 1 there
    for step in (0, 4, 12, 28):
        assert schedule(step) == pytest.approx(1.0)
    assert schedule(8) == pytest.approx(0.5 * (1 + math.cos(math.pi * 4 / 8)))
