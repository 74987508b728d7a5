"""AUC with Keras's own test values (keras/src/metrics/confusion_metrics_test.py: AUCTest, MultiAUCTest)
and hand-worked counts."""

import json

import numpy as np
import pytest

from neurona import metrics

Y_TRUE = np.array([0, 0, 1, 1])
Y_PRED = np.array([0, 0.5, 0.3, 0.9], dtype="float32")
WEIGHTS = [1, 2, 3, 4]
# num_thresholds=3 → thresholds [−1e-7, 0.5, 1 + 1e-7]; positive above each: [1,1,1,1], [0,0,0,1], [0,0,0,0]
# unweighted: tp [2, 1, 0], fp [2, 0, 0], fn [0, 1, 2], tn [0, 2, 2]
# weighted [1, 2, 3, 4]: tp [7, 4, 0], fp [3, 0, 0], fn [0, 3, 7], tn [0, 3, 3]


def logits(p):
    return -np.log(1.0 / (p + 1e-12) - 1.0)


def test_thresholds_have_epsilon_ends():
    # 5 thresholds: i/4 with the ends moved out by ε = 1e-7
    np.testing.assert_allclose(metrics.AUC(num_thresholds=5).thresholds, [-1e-7, 0.25, 0.5, 0.75, 1 + 1e-7])
    assert len(metrics.AUC().thresholds) == 200


def test_unweighted_roc():
    # Keras: AUCTest.test_unweighted. recall [1, 0.5, 0], fp rate [1, 0, 0];
    # heights (1 + 0.5)/2 = 0.75 and 0.25, widths 1 and 0 → 0.75
    m = metrics.AUC(num_thresholds=3)
    assert m(Y_TRUE, Y_PRED) == pytest.approx(0.75)
    np.testing.assert_allclose(m.true_positives, [2, 1, 0])
    np.testing.assert_allclose(m.true_negatives, [0, 2, 2])


def test_from_logits():
    # Keras: AUCTest.test_unweighted_from_logits: sigmoid(logit(p)) = p → same 0.75
    assert metrics.AUC(num_thresholds=3, from_logits=True)(Y_TRUE, logits(Y_PRED)) == pytest.approx(0.75)


def test_all_correct_is_one():
    assert metrics.AUC()(Y_TRUE, Y_TRUE) == 1.0


def test_docstring_weighted_case():
    # weights [1, 0, 0, 1]: only (y 0, p 0) and (y 1, p 0.9) count → a perfect ranking → 1.0
    assert metrics.AUC(num_thresholds=3)(Y_TRUE, Y_PRED, sample_weight=[1, 0, 0, 1]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "curve,summation,expected",
    [
        # recall [1, 4/7, 0], fp rate [1, 0, 0]: heights [(1 + 4/7)/2, ...], widths [1, 0] → 11/14
        ("ROC", "interpolation", (1 + 4 / 7) / 2),
        ("ROC", "majoring", 1.0),  # max(1, 4/7)·1
        ("ROC", "minoring", 4 / 7),  # min(1, 4/7)·1
        # precision [0.7, 1, 0], recall [1, 4/7, 0]: widths [3/7, 4/7]
        ("PR", "majoring", 1 * 3 / 7 + 1 * 4 / 7),  # heights max(0.7, 1), max(1, 0)
        ("PR", "minoring", 0.7 * 3 / 7 + 0 * 4 / 7),  # heights min(0.7, 1), min(1, 0)
        # Davis-Goadrich: P = tp + fp = [10, 4, 0], Δtp [3, 4], ΔP [6, 4], slope [0.5, 1],
        # intercept [4 − 0.5·4, 0 − 1·0] = [2, 0], P ratio [10/4, 1] →
        # [0.5·(3 + 2·log 2.5), 1·(4 + 0)] / (tp + fn)[1:] = [7, 7]
        ("PR", "interpolation", (0.5 * (3 + 2 * np.log(2.5)) + 4) / 7),
    ],
)
def test_weighted_curves_and_summations(curve, summation, expected):
    # Keras: AUCTest.test_weighted_{roc,pr}_{interpolation,majoring,minoring}
    m = metrics.AUC(num_thresholds=3, curve=curve, summation_method=summation)
    assert m(Y_TRUE, Y_PRED, sample_weight=WEIGHTS) == pytest.approx(expected)


def test_pr_interpolation_negative_weights_gives_zero():
    # Keras: AUCTest.test_weighted_pr_interpolation_negative_weights: max(tp + fn, 0) = 0 → 0
    m = metrics.AUC(num_thresholds=3, curve="PR")
    assert m(Y_TRUE, Y_PRED, sample_weight=[-1, -2, -3, -4]) == 0.0


def test_manual_thresholds():
    # Keras: AUCTest.test_manual_thresholds: [0.5] plus the two ends → the same 3 thresholds → 0.75
    m = metrics.AUC(num_thresholds=2, thresholds=[0.5])
    assert m.num_thresholds == 3
    np.testing.assert_allclose(m.thresholds, [0.0, 0.5, 1.0], atol=1e-6)
    assert m(Y_TRUE, Y_PRED) == pytest.approx(0.75)


def test_uneven_manual_thresholds_count_directly():
    # thresholds [−ε, 0.3, 0.4, 1 + ε]: p > 0.3 → [0, 1, 0, 1], p > 0.4 → the same;
    # tp [2, 1, 1, 0], fp [2, 1, 1, 0], fn [0, 1, 1, 2], tn [0, 1, 1, 2]
    m = metrics.AUC(thresholds=[0.3, 0.4])
    m.update_state(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(m.true_positives, [2, 1, 1, 0])
    np.testing.assert_allclose(m.false_positives, [2, 1, 1, 0])
    # recall [1, .5, .5, 0], fp rate [1, .5, .5, 0] → 0.5·0.75 + 0 + 0.5·0.25 = 0.5
    assert m.result() == pytest.approx(0.5)


def test_extra_dims_are_flattened():
    # Keras: AUCTest.test_extra_dims: predictions are exactly wrong or exactly right in equal measure → 0.5
    scores = 1.0 / (
        1.0 + np.exp(np.array([[[-10.0, 10, -10], [10, -10, 10]], [[-12.0, 12, -12], [12, -12, 12]]]))
    )
    labels = np.array([[[1, 0, 0], [1, 0, 0]], [[0, 1, 1], [0, 1, 1]]])
    assert metrics.AUC()(labels, scores) == pytest.approx(0.5)


def test_accumulates_and_resets():
    # two halves of the Keras case give the same counts as one call
    m = metrics.AUC(num_thresholds=3)
    m.update_state(Y_TRUE[:2], Y_PRED[:2])
    m.update_state(Y_TRUE[2:], Y_PRED[2:])
    assert m.result() == pytest.approx(0.75)
    m.reset_state()
    np.testing.assert_allclose(m.true_positives, np.zeros(3))
    assert m.result() == 0.0


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"num_thresholds": 1}, "must be an integer > 1"),
        ({"num_thresholds": -1}, "must be an integer > 1"),
        ({"curve": "Invalid"}, 'Invalid AUC curve value: "Invalid"'),
        ({"summation_method": "Invalid"}, 'Invalid AUC summation method value: "Invalid"'),
        ({"num_labels": 3}, "only when `multi_label` is True"),
    ],
)
def test_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        metrics.AUC(**kwargs)


# --- multi-label (Keras: MultiAUCTest) ---------------------------------------------------------------
M_PRED = np.array([[0, 0.5, 0.3, 0.9], [0.1, 0.2, 0.3, 0.4]], dtype="float32").T
M_GOOD = np.array([[0, 0, 1, 1], [0, 0, 1, 1]]).T
# 5 thresholds: tpr [[1, 1, .5, .5, 0], [1, 1, 0, 0, 0]], fpr [[1, .5, 0, 0, 0], [1, 0, 0, 0, 0]]
# → column AUCs 0.5·1 + 0.5·0.75 = 0.875 and 1.0


def test_multi_label_averages_columns():
    m = metrics.AUC(num_thresholds=5, multi_label=True)
    assert m(M_GOOD, M_PRED) == pytest.approx((0.875 + 1.0) / 2)
    assert m.true_positives.shape == (5, 2)
    m.reset_state()
    np.testing.assert_allclose(m.true_positives, np.zeros((5, 2)))


def test_multi_label_from_logits_and_label_weights():
    m = metrics.AUC(num_thresholds=5, multi_label=True, from_logits=True)
    assert m(M_GOOD, logits(M_PRED)) == pytest.approx(0.9375)
    # weighted average of the column AUCs: (0.875·0.75 + 1·0.25)/(0.75 + 0.25)
    m = metrics.AUC(num_thresholds=5, multi_label=True, label_weights=[0.75, 0.25])
    assert m(M_GOOD, M_PRED) == pytest.approx(0.90625)


def test_flat_multi_column():
    # Keras: MultiAUCTest.test_unweighted_flat: 8 samples, tpr [1, 1, .25, .25, 0], fpr [1, .25, 0, 0, 0]
    # → 0.75·1 + 0.25·(1 + 0.25)/2 = 1 − 3/32
    assert metrics.AUC(num_thresholds=5)(M_GOOD, M_PRED) == pytest.approx(1 - 3 / 32)


def test_flat_sample_weights():
    # Keras: MultiAUCTest.test_sample_weight_flat (row weights) and test_full_sample_weight_flat.
    # Row weights [1, 2, 3, 4] on both columns: P = 14, N = 6; tpr [1, 1, 4/14, 4/14, 0], fpr [1, 2/6, 0, 0, 0]
    m = metrics.AUC(num_thresholds=5)
    assert m(M_GOOD, M_PRED, sample_weight=[1, 2, 3, 4]) == pytest.approx(1 - (1 / 3) * (1 - 2 / 7) / 2)
    # element weights [[0, 1], [2, 3], [4, 5], [6, 7]]: P = 22, N = 6, tpr at 0.5 = 6/22, fpr at 0.25 = 2/6
    m = metrics.AUC(num_thresholds=5)
    result = m(M_GOOD, M_PRED, sample_weight=np.arange(8).reshape(4, 2))
    assert result == pytest.approx(1 - (1 / 3) * (1 - 6 / 22) / 2)


def test_flat_label_weights():
    # Keras: MultiAUCTest.test_label_weights_flat: tpr [1, 1, .375, .375, 0], fpr [1, .375, 0, 0, 0]
    m = metrics.AUC(num_thresholds=5, label_weights=[0.75, 0.25])
    assert m(M_GOOD, M_PRED) == pytest.approx(1 - (1 - 0.375) * 0.375 / 2)


def test_multi_label_needs_rank_2():
    with pytest.raises(ValueError, match="must have rank 2 when `multi_label=True`"):
        metrics.AUC(multi_label=True)([0, 1], [0.2, 0.7])


def test_config_round_trip_is_json():
    # Keras: AUCTest.test_config / test_config_manual_thresholds
    m = metrics.AUC(
        num_thresholds=100,
        curve="PR",
        summation_method="majoring",
        name="auc_1",
        multi_label=True,
        num_labels=2,
        from_logits=True,
        label_weights=[0.75, 0.25],
    )
    config = m.get_config()
    assert "thresholds" not in config
    assert config == json.loads(json.dumps(config))
    restored = metrics.AUC.from_config(config)
    assert restored.get_config() == config
    np.testing.assert_allclose(restored.thresholds, m.thresholds)
    manual = metrics.AUC(num_thresholds=None, thresholds=[0.3, 0.5], name="auc_2")
    config = manual.get_config()
    assert config["num_thresholds"] == 4
    np.testing.assert_allclose(config["thresholds"], [0.3, 0.5])
    np.testing.assert_allclose(metrics.AUC.from_config(config).thresholds, [-1e-7, 0.3, 0.5, 1 + 1e-7])


def test_default_name_and_direction():
    m = metrics.AUC()
    assert m.name == "auc" and m.direction == "up"
