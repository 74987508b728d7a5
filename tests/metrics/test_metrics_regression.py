"""`Mean`, `MeanSquaredError`, `MeanAbsoluteError` with hand-worked values, and `metrics.get`."""

import numpy as np
import pytest

from neurona import metrics

Y_TRUE = np.array([[1.0, 2.0], [3.0, 4.0]])
Y_PRED = np.array([[1.5, 1.0], [3.0, 6.0]])
# row 0: Δ = [0.5, −1]; row 1: Δ = [0, 2]


def test_mean_squared_error_metric():
    # per sample: (0.25 + 1)/2 = 0.625, (0 + 4)/2 = 2 → mean 1.3125
    m = metrics.MeanSquaredError()
    m.update_state(Y_TRUE, Y_PRED)
    assert m.result() == pytest.approx(1.3125)


def test_mean_absolute_error_metric():
    # per sample: (0.5 + 1)/2 = 0.75, (0 + 2)/2 = 1 → mean 0.875
    m = metrics.MeanAbsoluteError()
    m.update_state(Y_TRUE, Y_PRED)
    assert m.result() == pytest.approx(0.875)


def test_mse_keras_case():
    # Keras's test: per-row squared errors 2/5, 2/5, 2/5, 4/5 → mean 0.5
    y_true = np.array([[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]])
    y_pred = np.array([[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]])
    m = metrics.MeanSquaredError()
    m.update_state(y_true, y_pred)
    assert m.result() == pytest.approx(0.5)


def test_mse_metric_sample_weight_and_accumulation():
    # weights [1, 3]: (0.625 + 3·2)/4 = 6.625/4 = 1.65625; then another sample [[0, 0]] vs [[3, 3]]:
    # mse 9 with weight 2 → (6.625 + 18)/(4 + 2) = 24.625/6 = 4.104167
    m = metrics.MeanSquaredError()
    m.update_state(Y_TRUE, Y_PRED, sample_weight=[1, 3])
    assert m.result() == pytest.approx(1.65625)
    m.update_state([[0.0, 0.0]], [[3.0, 3.0]], sample_weight=[2])
    assert m.result() == pytest.approx(24.625 / 6)
    m.reset_state()
    assert m.result() == 0.0


def test_mse_metric_column_vs_flat_is_not_broadcast():
    # y_true (3,) vs y_pred (3, 1): per sample [1, 64, 121] → mean 62, not the (3, 3) grid mean
    m = metrics.MeanSquaredError()
    m.update_state(np.array([4.0, 8.0, 12.0]), np.array([[3.0], [0.0], [1.0]]))
    assert m.result() == pytest.approx(62.0)


def test_mean_unweighted_accumulates():
    # [1] then [2, 3] → (1 + 2 + 3)/3 = 2
    m = metrics.Mean()
    m.update_state([1.0])
    assert m.result() == pytest.approx(1.0)
    m.update_state([2.0, 3.0])
    assert m.result() == pytest.approx(2.0)


def test_mean_with_sample_weight():
    # Σ w·x / Σ w = (1·1 + 2·0 + 3·2 + 4·1)/(1 + 0 + 2 + 1) = 11/4 = 2.75
    m = metrics.Mean()
    m.update_state([1.0, 2.0, 3.0, 4.0], sample_weight=[1.0, 0.0, 2.0, 1.0])
    assert m.result() == pytest.approx(2.75)
    # plus 10 with weight 4: (11 + 40)/(4 + 4) = 6.375
    m.update_state([10.0], sample_weight=[4.0])
    assert m.result() == pytest.approx(6.375)


def test_mean_reset_and_empty():
    m = metrics.Mean()
    assert m.result() == 0.0
    m.update_state([5.0, 7.0])
    assert m.result() == pytest.approx(6.0)
    m.reset_state()
    assert m.result() == 0.0
    m.update_state([1.0])
    assert m.result() == pytest.approx(1.0)  # nothing left over from before the reset


@pytest.mark.parametrize("cls", [metrics.Mean, metrics.MeanSquaredError, metrics.MeanAbsoluteError])
def test_empty_result_is_zero(cls):
    assert cls().result() == 0.0


@pytest.mark.parametrize(
    "name,cls",
    [
        ("mse", metrics.MeanSquaredError),
        ("MSE", metrics.MeanSquaredError),
        ("mean_squared_error", metrics.MeanSquaredError),
        ("mae", metrics.MeanAbsoluteError),
        ("mean_absolute_error", metrics.MeanAbsoluteError),
        ("mean", metrics.Mean),
    ],
)
def test_get_names_and_log_name(name, cls):
    m = metrics.get(name)
    assert isinstance(m, cls)
    assert m.name == name  # the log key is the string that was passed


def test_get_mse_computes():
    m = metrics.get("mse")
    m.update_state(Y_TRUE, Y_PRED)
    assert m.result() == pytest.approx(1.3125)


def test_get_unknown_lists_valid_names():
    with pytest.raises(ValueError) as info:
        metrics.get("acuracy")
    message = str(info.value)
    assert "acuracy" in message
    assert "accuracy" in message.replace("'acuracy'", "")
    assert "mse" in message
