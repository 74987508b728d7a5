"""scikit-learn as an oracle for the classification and regression metrics, on random data, with and
without sample weights."""

import numpy as np
import pytest

sklearn_metrics = pytest.importorskip("sklearn.metrics")

from neurona import metrics  # noqa: E402

RNG = np.random.default_rng(0)
N = 2000
LABELS = RNG.integers(0, 2, N)
SCORES = np.clip(0.35 * LABELS + 0.65 * RNG.random(N), 0.0, 1.0)  # informative but overlapping
WEIGHTS = RNG.random(N)


def same_bucket_bound(num_thresholds, weights=None):
    """The largest error the threshold grid allows: the ROC midpoint rule gives every (positive, negative)
    pair whose scores fall in the same bucket half credit, where the exact AUC gives 1 or 0."""
    weights = np.ones(N) if weights is None else weights
    bucket = np.maximum(np.ceil(SCORES * (num_thresholds - 1)) - 1, 0).astype(int)
    pos = np.bincount(bucket, weights=weights * (LABELS == 1), minlength=num_thresholds)
    neg = np.bincount(bucket, weights=weights * (LABELS == 0), minlength=num_thresholds)
    return 0.5 * np.sum(pos * neg) / (pos.sum() * neg.sum())


@pytest.mark.parametrize("num_thresholds", [200, 2000, 20000])
@pytest.mark.parametrize("weighted", [False, True])
def test_roc_auc_matches_within_the_discretisation(num_thresholds, weighted):
    weights = WEIGHTS if weighted else None
    expected = sklearn_metrics.roc_auc_score(LABELS, SCORES, sample_weight=weights)
    result = metrics.AUC(num_thresholds=num_thresholds)(LABELS, SCORES, sample_weight=weights)
    bound = same_bucket_bound(num_thresholds, weights)
    assert abs(result - expected) <= bound + 1e-9
    assert bound < 2.0 / num_thresholds  # the bound itself shrinks with the grid


def test_pr_auc_close_to_average_precision():
    # Davis-Goadrich interpolation versus sklearn's step-wise average precision: loosely equal
    expected = sklearn_metrics.average_precision_score(LABELS, SCORES)
    result = metrics.AUC(num_thresholds=2000, curve="PR")(LABELS, SCORES)
    assert result == pytest.approx(expected, abs=5e-3)


def test_multi_label_auc_is_the_macro_average():
    labels = RNG.integers(0, 2, (N, 3))
    scores = np.clip(0.3 * labels + 0.7 * RNG.random((N, 3)), 0, 1)
    expected = sklearn_metrics.roc_auc_score(labels, scores, average="macro")
    result = metrics.AUC(num_thresholds=20000, multi_label=True)(labels, scores)
    assert result == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
@pytest.mark.parametrize("weighted", [False, True])
def test_precision_recall_at_a_threshold(threshold, weighted):
    weights = WEIGHTS if weighted else None
    predicted = (SCORES > threshold).astype(int)
    precision = metrics.Precision(thresholds=threshold)(LABELS, SCORES, sample_weight=weights)
    recall = metrics.Recall(thresholds=threshold)(LABELS, SCORES, sample_weight=weights)
    expected_precision = sklearn_metrics.precision_score(LABELS, predicted, sample_weight=weights)
    assert precision == pytest.approx(expected_precision)
    assert recall == pytest.approx(sklearn_metrics.recall_score(LABELS, predicted, sample_weight=weights))


def test_precision_recall_class_id_vs_sklearn_per_class():
    classes = RNG.integers(0, 4, N)
    scores = RNG.random((N, 4))
    scores[np.arange(N), classes] += 0.3
    predicted = scores > 0.5
    for class_id in range(4):
        expected_p = sklearn_metrics.precision_score(classes == class_id, predicted[:, class_id])
        expected_r = sklearn_metrics.recall_score(classes == class_id, predicted[:, class_id])
        one_hot = np.eye(4)[classes]
        assert metrics.Precision(class_id=class_id)(one_hot, scores) == pytest.approx(expected_p)
        assert metrics.Recall(class_id=class_id)(one_hot, scores) == pytest.approx(expected_r)


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0])
def test_fbeta_vs_sklearn(average, beta):
    classes = RNG.integers(0, 3, 500)
    scores = RNG.random((500, 3))
    scores[np.arange(500), classes] += 0.2
    predicted = np.argmax(scores, axis=1)
    expected = sklearn_metrics.fbeta_score(classes, predicted, beta=beta, average=average)
    result = metrics.FBetaScore(average=average, beta=beta)(np.eye(3)[classes], scores)
    np.testing.assert_allclose(result, expected, atol=1e-5)  # Keras's ε = 1e-7 guards shift the 6th digit


@pytest.mark.parametrize("average", ["micro", "macro", "weighted"])
def test_f1_multi_label_threshold_vs_sklearn(average):
    labels = RNG.integers(0, 2, (500, 4))
    scores = np.clip(0.4 * labels + 0.6 * RNG.random((500, 4)), 0, 1)
    expected = sklearn_metrics.f1_score(labels, (scores > 0.5).astype(int), average=average)
    result = metrics.F1Score(average=average, threshold=0.5)(labels, scores)
    assert result == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize("weighted", [False, True])
def test_regression_errors_vs_sklearn(weighted):
    y_true = RNG.random((300, 1)) * 10 + 1
    y_pred = y_true * np.exp(RNG.normal(0, 0.2, (300, 1)))  # positive, as MSLE needs
    weights = RNG.random(300) if weighted else None
    pairs = [
        (metrics.MeanSquaredError, sklearn_metrics.mean_squared_error),
        (metrics.MeanAbsoluteError, sklearn_metrics.mean_absolute_error),
        (metrics.MeanAbsolutePercentageError, lambda t, p, **kw: 100 * sklearn_metrics.mean_absolute_percentage_error(t, p, **kw)),
        (metrics.MeanSquaredLogarithmicError, sklearn_metrics.mean_squared_log_error),
        (metrics.RootMeanSquaredError, sklearn_metrics.root_mean_squared_error),
        (metrics.R2Score, sklearn_metrics.r2_score),
    ]  # fmt: skip
    for cls, oracle in pairs:
        expected = oracle(y_true, y_pred, sample_weight=weights)
        assert cls()(y_true, y_pred, sample_weight=weights) == pytest.approx(expected, rel=1e-9), cls.__name__


@pytest.mark.parametrize("aggregation,multioutput", [(None, "raw_values"), ("uniform_average", "uniform_average"),
                                                     ("variance_weighted_average", "variance_weighted")])  # fmt: skip
def test_r2_multi_output_vs_sklearn(aggregation, multioutput):
    y_true = RNG.random((200, 3)) * [1, 5, 10]
    y_pred = y_true + RNG.normal(0, 1, (200, 3))
    expected = sklearn_metrics.r2_score(y_true, y_pred, multioutput=multioutput)
    m = metrics.R2Score(class_aggregation=aggregation)
    m.update_state(y_true[:120], y_pred[:120])  # two batches: the running sums give the same score
    m.update_state(y_true[120:], y_pred[120:])
    np.testing.assert_allclose(m.result(), expected, rtol=1e-9)


def test_top_k_vs_sklearn():
    classes = RNG.integers(0, 10, 500)
    scores = RNG.random((500, 10))  # continuous scores: no ties
    for k in (1, 3, 5):
        expected = sklearn_metrics.top_k_accuracy_score(classes, scores, k=k, labels=np.arange(10))
        assert metrics.SparseTopKCategoricalAccuracy(k=k)(classes, scores) == pytest.approx(expected)
        assert metrics.TopKCategoricalAccuracy(k=k)(np.eye(10)[classes], scores) == pytest.approx(expected)
