"""Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson and the cross-entropy metrics: hand-worked
values and Keras's docstring values (keras/src/metrics/hinge_metrics.py, probabilistic_metrics.py)."""

import numpy as np
import pytest

from neurona import metrics

Y_TRUE = [[0, 1], [0, 0]]
Y_PRED = [[0.6, 0.4], [0.4, 0.6]]
ROW_WEIGHTS = [1, 0]


def test_hinge():
    # 0/1 targets → −1/+1: row 0: max(1 + 0.6, 0) = 1.6, max(1 − 0.4, 0) = 0.6 → 1.1;
    # row 1: 1.4, 1.6 → 1.5; mean 1.3; weights [1, 0] → 1.1
    assert metrics.Hinge()(Y_TRUE, Y_PRED) == pytest.approx(1.3)
    assert metrics.Hinge()(Y_TRUE, Y_PRED, ROW_WEIGHTS) == pytest.approx(1.1)


def test_hinge_keeps_signed_targets():
    # targets already in {−1, 1}: max(1 − (−1)(0.5), 0) = 1.5 and max(1 − 1·2, 0) = 0 → 0.75
    assert metrics.Hinge()([[-1.0, 1.0]], [[0.5, 2.0]]) == pytest.approx(0.75)


def test_squared_hinge():
    # squares of the hinge terms: row 0: (2.56 + 0.36)/2 = 1.46; row 1: (1.96 + 2.56)/2 = 2.26 → 1.86
    assert metrics.SquaredHinge()(Y_TRUE, Y_PRED) == pytest.approx(1.86)
    assert metrics.SquaredHinge()(Y_TRUE, Y_PRED, ROW_WEIGHTS) == pytest.approx(1.46)


def test_categorical_hinge():
    # row 0: pos = 0.4, neg = max(0.6, 0) = 0.6 → 1.2; row 1: pos 0, neg 0.6 → 1.6; mean 1.4
    assert metrics.CategoricalHinge()(Y_TRUE, Y_PRED) == pytest.approx(1.4)
    assert metrics.CategoricalHinge()(Y_TRUE, Y_PRED, ROW_WEIGHTS) == pytest.approx(1.2)


def test_kl_divergence():
    # targets clipped to [1e-7, 1]: row 0 ≈ 1·log(1/0.4) = 0.916291 (the 1e-7 terms add −1.5e-6);
    # row 1 ≈ −3e-6 → mean 0.458143; Keras: 0.45814306 and, weighted, 0.9162892
    assert metrics.KLDivergence()(Y_TRUE, Y_PRED) == pytest.approx(0.45814306, rel=1e-6)
    assert metrics.KLDivergence()(Y_TRUE, Y_PRED, ROW_WEIGHTS) == pytest.approx(0.9162892, rel=1e-6)


def test_kl_divergence_of_identical_distributions_is_zero():
    assert metrics.KLDivergence()([[0.2, 0.8]], [[0.2, 0.8]]) == pytest.approx(0.0, abs=1e-12)


def test_poisson():
    # y [[0, 1], [0, 0]], p [[1, 1], [0, 0]]: row 0: (1 − 0) + (1 − 1·log(1 + 1e-7)) ≈ 2 → 1; row 1: 0
    # → mean 0.5; weights [1, 0] → 1 (Keras: 0.49999997 and 0.99999994)
    assert metrics.Poisson()([[0, 1], [0, 0]], [[1, 1], [0, 0]]) == pytest.approx(0.5, rel=1e-6)
    assert metrics.Poisson()([[0, 1], [0, 0]], [[1, 1], [0, 0]], ROW_WEIGHTS) == pytest.approx(1.0, rel=1e-6)


def test_binary_crossentropy_metric():
    # Keras docstring: 0.81492424 and, weighted [1, 0], 0.9162905 (row 0: (−log 0.4 − log 0.4)/2)
    assert metrics.BinaryCrossentropy()(Y_TRUE, Y_PRED) == pytest.approx(0.81492424, rel=1e-5)
    assert metrics.BinaryCrossentropy()(Y_TRUE, Y_PRED, ROW_WEIGHTS) == pytest.approx(-np.log(0.4), rel=1e-5)


def test_categorical_crossentropies():
    # −log 0.95 = 0.051293 and −log 0.1 = 2.302585 → 1.176939; weights [0.3, 0.7] → 1.627198
    y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    unweighted = metrics.CategoricalCrossentropy()([[0, 1, 0], [0, 0, 1]], y_pred)
    assert unweighted == pytest.approx(1.1769392, rel=1e-5)
    weighted = metrics.SparseCategoricalCrossentropy()([1, 2], y_pred, sample_weight=[0.3, 0.7])
    assert weighted == pytest.approx(1.6271976, rel=1e-5)


@pytest.mark.parametrize(
    "metric,config",
    [
        (metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), {"label_smoothing": 0.1}),
        (metrics.CategoricalCrossentropy(axis=-1), {"from_logits": False, "label_smoothing": 0, "axis": -1}),
        (metrics.SparseCategoricalCrossentropy(from_logits=True), {"from_logits": True, "axis": -1}),
        (metrics.Hinge(name="h"), {"name": "h"}),
        (metrics.KLDivergence(), {"name": "kl_divergence"}),
    ],
)
def test_configs(metric, config):
    saved = metric.get_config()
    assert config.items() <= saved.items()
    assert type(metric).from_config(saved).get_config() == saved


def test_crossentropy_from_logits_matches_probabilities():
    # logit log(0.4/0.6) is probability 0.4: the two metrics agree
    probabilities = np.array([[0.4], [0.7]])
    logit_values = np.log(probabilities / (1 - probabilities))
    expected = metrics.BinaryCrossentropy()([[1], [0]], probabilities)
    assert metrics.BinaryCrossentropy(from_logits=True)([[1], [0]], logit_values) == pytest.approx(expected)
