"""TruePositives/FalsePositives/TrueNegatives/FalseNegatives, Precision and Recall: hand-worked values and
Keras's own test values (keras/src/metrics/confusion_metrics_test.py)."""

import numpy as np
import pytest

from neurona import metrics

# Keras's 4×5 case: every entry is one sample (flattened), threshold 0.5 on 0/1 predictions.
Y_TRUE = np.array([[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]])
Y_PRED = np.array([[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]])
ROW_WEIGHTS = np.array([1.0, 1.5, 2.0, 2.5])

# Keras's thresholds case (3 thresholds → vector results).
T_PRED = np.array([[0.9, 0.2, 0.8, 0.1], [0.2, 0.9, 0.7, 0.6], [0.1, 0.2, 0.4, 0.3], [0, 1, 0.7, 0.3]])
T_TRUE = np.array([[0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]])
THRESHOLDS = [0.15, 0.5, 0.85]


@pytest.mark.parametrize(
    "cls,unweighted,weighted",
    [
        # row by row (tp, fp, tn, fn): r0 (1,1,2,1) r1 (3,2,0,0) r2 (2,0,1,2) r3 (1,4,0,0)
        # weighted by rows [1, 1.5, 2, 2.5]: tp 1 + 4.5 + 4 + 2.5 = 12, fp 1 + 3 + 0 + 10 = 14,
        # tn 2 + 0 + 2 + 0 = 4, fn 1 + 0 + 4 + 0 = 5
        (metrics.TruePositives, 7.0, 12.0),
        (metrics.FalsePositives, 7.0, 14.0),
        (metrics.TrueNegatives, 3.0, 4.0),
        (metrics.FalseNegatives, 3.0, 5.0),
    ],
)
def test_counts_keras_case(cls, unweighted, weighted):
    # Keras: {TruePositives,FalsePositives,...}Test.test_unweighted / test_weighted
    assert cls()(Y_TRUE, Y_PRED) == pytest.approx(unweighted)
    assert cls()(Y_TRUE, Y_PRED, sample_weight=ROW_WEIGHTS) == pytest.approx(weighted)


@pytest.mark.parametrize(
    "cls,expected",
    [
        (metrics.TruePositives, [6.0, 3.0, 1.0]),
        (metrics.FalsePositives, [7.0, 4.0, 2.0]),
        (metrics.TrueNegatives, [2.0, 5.0, 7.0]),
        (metrics.FalseNegatives, [1.0, 4.0, 6.0]),
    ],
)
def test_counts_with_thresholds_give_vectors(cls, expected):
    # Keras: *Test.test_unweighted_with_thresholds; tp + fp + tn + fn = 16 entries at each threshold
    result = cls(thresholds=THRESHOLDS)(T_TRUE, T_PRED)
    assert isinstance(result, np.ndarray)
    np.testing.assert_allclose(result, expected)


def test_counts_with_thresholds_weighted_keras_cases():
    # Keras: FalsePositivesTest.test_weighted_with_thresholds (element-wise weights)
    weights = ((1.0, 2.0, 3.0, 5.0), (7.0, 11.0, 13.0, 17.0), (19.0, 23.0, 29.0, 31.0), (5.0, 15.0, 10.0, 0))
    np.testing.assert_allclose(metrics.FalsePositives(THRESHOLDS)(T_TRUE, T_PRED, weights), [125, 42, 12])
    # FalseNegativesTest: one weight per row, shape (4, 1)
    row = ((3.0,), (5.0,), (7.0,), (4.0,))
    np.testing.assert_allclose(metrics.FalseNegatives(THRESHOLDS)(T_TRUE, T_PRED, row), [4, 16, 23])
    # TrueNegativesTest: one weight per column, shape (1, 4), broadcast over rows
    column = ((0.0, 2.0, 3.0, 5.0),)
    np.testing.assert_allclose(metrics.TrueNegatives(THRESHOLDS)(T_TRUE, T_PRED, column), [5, 15, 23])
    # TruePositivesTest: a scalar weight multiplies every count: 37·[6, 3, 1]
    np.testing.assert_allclose(metrics.TruePositives(THRESHOLDS)(T_TRUE, T_PRED, 37.0), [222, 111, 37])


def test_threshold_is_strict_and_default_is_half():
    # 0.5 is not > 0.5: predictions [0.5, 0.51] on positives → tp 1, fn 1
    assert metrics.TruePositives()([1, 1], [0.5, 0.51]) == 1.0
    assert metrics.FalseNegatives()([1, 1], [0.5, 0.51]) == 1.0


def test_counts_accumulate_and_reset():
    # call 1: y [0, 1, 0, 0] p [0, 0, 1, 1] → fp 2; call 2: y [0] p [0.9] → fp 3; reset → 0
    m = metrics.FalsePositives()
    m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
    assert m.result() == 2.0
    m.update_state([0], [0.9])
    assert m.result() == 3.0
    m.reset_state()
    assert m.result() == 0.0


@pytest.mark.parametrize("bad", [[-1, 0.5, 2], [None]])
def test_thresholds_out_of_range(bad):
    # Keras: *Test.test_threshold_limit
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        metrics.TruePositives(thresholds=bad)


def test_precision_and_recall_docstring_values():
    # y [0, 1, 1, 1], p [1, 0, 1, 1]: tp 2, fp 1, fn 1 → precision 2/3, recall 2/3
    # weights [0, 0, 1, 0]: only the third sample (a tp) counts → 1.0 for both
    for cls in (metrics.Precision, metrics.Recall):
        assert cls()([0, 1, 1, 1], [1, 0, 1, 1]) == pytest.approx(2 / 3)
        assert cls()([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0]) == pytest.approx(1.0)


def test_precision_elementwise_weights():
    # Keras: PrecisionTest.test_weighted: tp weights 3 + 4; predicted positives (1 + 3) + (4 + 2)
    y_pred = np.array([[1, 0, 1, 0], [1, 0, 1, 0]])
    y_true = np.array([[0, 1, 1, 0], [1, 0, 0, 1]])
    result = metrics.Precision()(y_true, y_pred, sample_weight=np.array([[1, 2, 3, 4], [4, 3, 2, 1]]))
    assert result == pytest.approx(7 / 10)


def test_recall_elementwise_weights():
    # Keras: RecallTest.test_weighted: tp weights 3 + 1; positives (2 + 3) + (4 + 1)
    y_pred = np.array([[1, 0, 1, 0], [0, 1, 0, 1]])
    y_true = np.array([[0, 1, 1, 0], [1, 0, 0, 1]])
    result = metrics.Recall()(y_true, y_pred, sample_weight=np.array([[1, 2, 3, 4], [4, 3, 2, 1]]))
    assert result == pytest.approx(4 / 10)


def test_division_by_zero_gives_zero():
    # nothing predicted positive and nothing positive → 0, not nan (Keras divide_no_nan)
    assert metrics.Precision()([0, 0, 0, 0], [0, 0, 0, 0]) == 0.0
    assert metrics.Recall()([0, 0, 0, 0], [0, 0, 0, 0]) == 0.0
    assert metrics.Precision().result() == 0.0


def test_precision_multiple_thresholds_accumulate():
    # Keras: PrecisionTest.test_multiple_updates. Per update, weights [[4, 0], [3, 1]]:
    # t=0.5: predicted positives 1 (w 4, y 0) and 0.6 (w 3, y 1) → tp 3, fp 4; t=1.0: none.
    # Two updates: tp 6, fp 8 → [6/14, 0]
    m = metrics.Precision(thresholds=[0.5, 1.0])
    for _ in range(2):
        m.update_state([[0, 1], [1, 0]], [[1, 0], [0.6, 0]], sample_weight=[[4, 0], [3, 1]])
    np.testing.assert_allclose(m.result(), [6 / 14, 0.0])


def test_precision_and_recall_top_k():
    # Keras: PrecisionTest/RecallTest.test_unweighted_top_k. Top 3 of [0.2, 0.1, 0.5, 0, 0.2] are indices
    # 2, 0, 4; y [0, 1, 1, 0, 0] → tp 1 (index 2), fp 2, fn 1 → precision 1/3, recall 1/2
    y_pred = np.array([0.2, 0.1, 0.5, 0, 0.2])
    y_true = np.array([0, 1, 1, 0, 0])
    assert metrics.Precision(top_k=3)(y_true, y_pred) == pytest.approx(1 / 3)
    assert metrics.Recall(top_k=3)(y_true, y_pred) == pytest.approx(1 / 2)


def test_precision_top_k_weighted_across_updates():
    # Keras: PrecisionTest.test_weighted_top_k. Update 1, weights [1, 4, 2, 3, 5]: top 3 = indices 2, 0, 4,
    # tp 2 + 5, predicted 1 + 2 + 5. Update 2, weight 3: top 3 of [0.2, 0.6, 0.4, 0.2, 0.2] = 1, 2, 0
    # (a tie at 0.2 goes to the lower index), tp 3 + 3, predicted 3·3 → (7 + 6)/(8 + 9) = 13/17
    m = metrics.Precision(top_k=3)
    m([[0, 1, 1, 0, 1]], [[0.2, 0.1, 0.4, 0, 0.2]], sample_weight=np.array([[1, 4, 2, 3, 5]]))
    result = m([1, 0, 1, 1, 1], [0.2, 0.6, 0.4, 0.2, 0.2], sample_weight=np.array(3))
    assert result == pytest.approx(13 / 17)


def test_top_k_ties_go_to_the_lower_index():
    # Keras docstring: top_k=2 of [1, 1, 1, 1] keeps indices 0, 1; y [0, 0, 1, 1] → precision 0
    assert metrics.Precision(top_k=2)([0, 0, 1, 1], [1, 1, 1, 1]) == 0.0
    assert metrics.Precision(top_k=4)([0, 0, 1, 1], [1, 1, 1, 1]) == pytest.approx(0.5)


def test_recall_top_k_and_threshold():
    # Keras: RecallTest.test_unweighted_top_k_and_threshold: top 2 = 0.8, 0.6; above 0.7 only 0.8 → tp 1;
    # positives 4 → recall 1/4
    m = metrics.Recall(thresholds=0.7, top_k=2)
    assert m([1, 1, 1, 0, 1], [0.2, 0.8, 0.6, 0, 0.2]) == pytest.approx(0.25)
    assert m.true_positives[0] == 1 and m.false_negatives[0] == 3


def test_precision_class_id():
    # Keras: PrecisionTest.test_unweighted_class_id_multiclass: column 1 is > 0.5 only in row 2, a true 1
    y_pred = np.array([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.2, 0.6, 0.2], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    y_true = np.eye(3)[[2, 0, 1, 0, 2]]
    m = metrics.Precision(class_id=1)
    assert m(y_true, y_pred) == pytest.approx(1.0)
    assert m.false_positives[0] == 0


def test_class_id_needs_2d_predictions():
    with pytest.raises(ValueError, match="When class_id is provided, y_pred must be a 2D array"):
        metrics.Recall(class_id=2)([0, 1, 1, 0, 0], [0.2, 0.1, 0.6, 0, 0.2])


def test_column_targets_and_flat_predictions_are_aligned():
    # y (4, 1) against p (4,): not broadcast to a 4×4 grid; tp 1 (0.9), fp 1 (0.8) → precision 0.5
    assert metrics.Precision()(np.array([[1], [0], [0], [1]]), np.array([0.9, 0.8, 0.1, 0.2])) == 0.5


def test_bad_top_k():
    with pytest.raises(ValueError, match="top_k"):
        metrics.Precision(top_k=0)


@pytest.mark.parametrize(
    "metric,config",
    [
        (metrics.TruePositives(thresholds=[0.4, 0.9], name="my_tp"), {"thresholds": [0.4, 0.9]}),
        (metrics.FalseNegatives(), {"thresholds": None}),
        (
            metrics.Precision(thresholds=[0.4, 0.9], top_k=15, class_id=12, name="p"),
            {"top_k": 15, "class_id": 12},
        ),
        (metrics.Recall(thresholds=0.3), {"thresholds": 0.3, "top_k": None, "class_id": None}),
    ],
)
def test_config_round_trip(metric, config):
    # Keras: *Test.test_config
    saved = metric.get_config()
    assert config.items() <= saved.items()
    restored = type(metric).from_config(saved)
    assert restored.get_config() == saved
    assert restored.thresholds == metric.thresholds
