"""The Playground's data (reference/playground.md §2), the multiclass sets and CSV files."""

import math

import numpy as np
import pytest

from neurona.playground import datasets
from neurona.playground.datasets import CsvError, load, make_data, parse_csv
from neurona.playground.features import FEATURES, feature_matrix
from neurona.playground.state import State


def everything(name, **kwargs):
    data = load(name, **kwargs)
    return np.concatenate([data.x_train, data.x_test]).astype("float64"), np.concatenate(
        [data.y_train, data.y_test]
    )


def test_circle_radii_and_counts_at_noise_0():
    x, y = everything("circle", seed="0.1")
    r = np.hypot(x[:, 0], x[:, 1])
    assert (y == 1).sum() == 250 and (y == -1).sum() == 250
    assert r[y == 1].max() < 2.5
    assert r[y == -1].min() >= 3.5 - 1e-5 and r[y == -1].max() <= 5 + 1e-5


def test_circle_noise_flips_labels_but_keeps_points():
    x, y = everything("circle", noise=50, seed="0.1")
    r = np.hypot(x[:, 0], x[:, 1])
    assert ((r < 2.5) | ((r >= 3.5 - 1e-5) & (r <= 5 + 1e-5))).all()  # the points are noise-free
    flipped = np.mean((r < 2.5) != (y == 1))
    assert 0.05 < flipped < 0.5  # labels are recomputed at the noisy position


def test_xor_padding_and_sign_rule():
    x, y = everything("xor", seed="0.2")
    assert (np.abs(x) >= 0.3 - 1e-6).all() and (np.abs(x) <= 5.3 + 1e-6).all()
    np.testing.assert_array_equal(y, np.where(x[:, 0] * x[:, 1] >= 0, 1, -1))
    xn, yn = everything("xor", noise=50, seed="0.2")
    assert (np.abs(xn) >= 0.3 - 1e-6).all()  # noise does not move the points
    assert np.mean(yn != np.where(xn[:, 0] * xn[:, 1] >= 0, 1, -1)) > 0.05


@pytest.mark.parametrize("noise, variance", [(0, 0.5), (50, 4.0)])
def test_gauss_means_and_variance_map(noise, variance):
    x, y = everything("gauss", noise=noise, seed="0.3")
    assert (y == 1).sum() == 250
    np.testing.assert_allclose(x[y == 1].mean(axis=0), [2, 2], atol=0.35)
    np.testing.assert_allclose(x[y == -1].mean(axis=0), [-2, -2], atol=0.35)
    # variance = noise mapped from [0, 0.5] to [0.5, 4]; 250 points per class
    np.testing.assert_allclose(x[y == 1].var(axis=0), [variance] * 2, rtol=0.3)


def test_spiral_radii():
    x, y = everything("spiral", seed="0.4")
    for label in (1, -1):
        r = np.sort(np.hypot(*x[y == label].T))
        np.testing.assert_allclose(r, np.arange(250) / 250 * 5, atol=1e-5)  # r = i / (n/2) · 5


def test_reg_plane_label_is_the_linear_map():
    data = load("reg-plane", seed="0.5")
    assert len(data.y_train) + len(data.y_test) == 1200
    x = data.x_train.astype("float64")
    np.testing.assert_allclose(data.y_train, (x[:, 0] + x[:, 1]) / 10, atol=1e-6)  # [−10, 10] → [−1, 1]
    assert (np.abs(x) <= 6).all()


def test_reg_gauss_centres():
    centres = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    data = load("reg-gauss", seed="0.6")
    x = data.x_train.astype("float64")
    expected = np.zeros(len(x))
    for cx, cy, sign in centres:
        value = sign * np.clip(1 - np.hypot(x[:, 0] - cx, x[:, 1] - cy) / 2, 0, 1)
        expected = np.where(np.abs(value) > np.abs(expected), value, expected)
    np.testing.assert_allclose(data.y_train, expected, atol=1e-5)
    assert data.y_train.max() > 0.8 and data.y_train.min() < -0.8


def test_same_seed_same_data_other_seed_other_data():
    for name in ("circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss", "blobs"):
        a, b, c = load(name, seed="s1"), load(name, seed="s1"), load(name, seed="s2")
        np.testing.assert_array_equal(a.x_train, b.x_train)
        np.testing.assert_array_equal(a.y_test, b.y_test)
        assert not np.array_equal(a.x_train, c.x_train)


def test_the_seed_string_gives_the_browser_playgrounds_points():
    # neurona.datasets.playground ports Math.seedrandom: the same string seed, the same stream.
    import neurona as nn

    (x_train, _), _ = nn.datasets.playground.load_data("circle", seed="0.59704")
    np.testing.assert_array_equal(load("circle", seed="0.59704").x_train, x_train)


@pytest.mark.parametrize("name, perc, n", [("circle", 30, 500), ("reg-plane", 70, 1200), ("blobs", 10, 500)])
def test_split_sizes(name, perc, n):
    data = load(name, seed="1", perc_train_data=perc)
    assert len(data.x_train) == math.floor(n * perc / 100)
    assert len(data.x_train) + len(data.x_test) == n


def test_blobs_sit_on_a_circle():
    data = load("blobs", seed="1", classes=4)
    x = np.concatenate([data.x_train, data.x_test]).astype("float64")
    y = np.concatenate([data.y_train, data.y_test])
    assert data.problem == "multiclass" and sorted(set(y.tolist())) == [0, 1, 2, 3]
    for j in range(4):
        angle = 2 * math.pi * j / 4
        np.testing.assert_allclose(
            x[y == j].mean(axis=0), [3.5 * math.sin(angle), 3.5 * math.cos(angle)], atol=0.25
        )
        assert (y == j).sum() == 125


def test_multiclass_spiral_has_k_arms():
    data = load("spiral", seed="1", classes=5, multiclass=True)
    y = np.concatenate([data.y_train, data.y_test])
    assert data.classes == 5 and [int((y == j).sum()) for j in range(5)] == [100] * 5
    two = load("spiral", seed="1")  # the TF spiral: ±1 labels
    assert sorted(set(two.y_train.tolist())) == [-1, 1]


def test_make_data_follows_the_state():
    data = make_data(State(seed="1", problem="regression", reg_dataset="reg-gauss", perc_train_data=20))
    assert data.problem == "regression" and len(data.x_train) == 240
    with pytest.raises(ValueError, match="no CSV file"):
        make_data(State(seed="1", dataset="csv"))


def test_features():
    points = np.array([[1.0, 2.0], [-0.5, 3.0]])
    out = feature_matrix(points, FEATURES, dtype="float64")
    np.testing.assert_allclose(out[0], [1, 2, 1, 4, 2, math.sin(1), math.sin(2)])
    with pytest.raises(ValueError, match="Unknown"):
        feature_matrix(points, ["cosX"])


# --- CSV ---------------------------------------------------------------------------------------------
def csv_bytes(rows, header="a,b,label"):
    return (header + "\n" + "\n".join(",".join(str(c) for c in row) for row in rows) + "\n").encode()


GOOD = csv_bytes([(i, 10 * i % 7, "yes" if i % 2 else "no") for i in range(20)])


def test_a_good_csv_file():
    table = parse_csv(GOOD)
    assert table.columns == ("a", "b", "label") and table.rows == 20
    assert table.numeric == (True, True, False) and table.preview(2) == [["0", "0", "no"], ["1", "3", "yes"]]
    points, labels, classes = table.select("a", "b", "label", problem="classification")
    assert classes == 2 and points.min() == -5 and points.max() == 5  # rescaled into the view
    np.testing.assert_array_equal(labels[:3], [-1, 1, -1])  # "no" < "yes": −1, +1
    _, target, _ = parse_csv(csv_bytes([(i, i * i, i % 3) for i in range(12)])).select(
        "label", "b", "a", problem="regression"
    )
    assert target.min() == -1 and target.max() == 1


def test_csv_data_splits_with_the_seed():
    table = parse_csv(GOOD)
    state = State(seed="1", dataset="csv", perc_train_data=30)
    data = make_data(state, table, ("a", "b", "label"))
    assert len(data.x_train) == 6 and len(data.x_test) == 14


def test_semicolons_and_no_header():
    table = parse_csv(b"\n".join(b"%d;%d;%d" % (i, i + 1, i % 2) for i in range(12)))
    assert table.columns == ("column 1", "column 2", "column 3") and table.rows == 12


@pytest.mark.parametrize(
    "data, message",
    [
        ("é,b,c\n".encode("latin-1") + GOOD, "not UTF-8"),
        (b"PK\x03\x04\x00\x00binary", "NUL bytes"),
        (b"", "empty"),
        (csv_bytes([(1, 2)] * 20, header="a,b"), "at least 3"),
        (csv_bytes([(1, 2, 3)] * 5), "at least 10"),
        (GOOD + b"1,2\n", "same number of cells"),
        (csv_bytes([("x", "y", 1)] * 20), "numeric column"),
    ],
)
def test_bad_csv_files(data, message):
    with pytest.raises(CsvError, match=message):
        parse_csv(data)


def test_too_many_rows():
    with pytest.raises(CsvError, match="at most 20000"):
        parse_csv(csv_bytes([(1, 2, 3)] * 20_001))
    with pytest.raises(CsvError, match="at most 15"):
        parse_csv(csv_bytes([(1, 2, 3)] * 16), max_rows=15)


def test_bad_column_choices():
    rows = [(i, "nan" if i == 4 else i, i % 9, "t") for i in range(20)]
    table = parse_csv(csv_bytes(rows, header="a,b,many,text"))
    with pytest.raises(CsvError, match=r"'b' \(X2\) must hold numbers.*data row 5 \(line 6"):
        table.select("a", "b", "many", problem="classification")
    with pytest.raises(CsvError, match="'text' \\(X1\\) must hold numbers"):
        table.select("text", "a", "many", problem="classification")


def test_label_class_limits():
    table = parse_csv(csv_bytes([(i, i * 2, i % 9, i % 4, 1) for i in range(20)], header="a,b,nine,four,one"))
    with pytest.raises(CsvError, match="9 different values.*at most 2 classes.*the multiclass problem"):
        table.select("a", "b", "nine", problem="classification")
    with pytest.raises(CsvError, match="at most 6 classes"):
        table.select("a", "b", "nine", problem="multiclass")
    _, labels, classes = table.select("a", "b", "four", problem="multiclass")
    assert classes == 4 and sorted(set(labels.tolist())) == [0, 1, 2, 3]
    with pytest.raises(CsvError, match="single value"):
        table.select("a", "b", "one", problem="classification")
    with pytest.raises(CsvError, match="cannot also be a feature"):
        table.select("a", "b", "a", problem="classification")
    with pytest.raises(CsvError, match="no column 'zzz'"):
        table.select("a", "b", "zzz", problem="classification")


def test_module_exports():
    assert set(datasets.__all__) >= {"load", "make_data", "parse_csv", "CsvError", "blobs", "spiral_arms"}
