"""`plot.decision_boundary`: the colours on each side of a known boundary are the ones the model predicts.

The models have hand-set weights, so the boundary is known exactly: a `Dense(1, sigmoid)` with w = (4, 0)
and b = 0 gives p = sigmoid(4·x₁): class 0 (orange) left of x₁ = 0, class 1 (blue) right of it.
Samples sit at the corners (±1, ±1), away from the spots whose pixels are read.
"""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

import neurona as tf  # noqa: E402
from neurona import plot  # noqa: E402

CORNERS = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype="float32")


def dense_model(kernel, bias, activation=None):
    kernel = np.asarray(kernel, dtype="float32")
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(kernel.shape[1], activation=activation, input_shape=(2,))]
    )
    model.layers[0].set_weights([kernel, np.asarray(bias, dtype="float32")])
    return model


def surface(fig):
    (image,) = [im for im in fig.axes[0].images if im.get_gid() == "surface"]
    return image


def test_binary_left_is_orange_right_is_blue_and_the_contour_is_x1_equals_0(images):
    model = dense_model([[4.0], [0.0]], [0.0], "sigmoid")
    y = (CORNERS[:, 0] > 0).astype("float32")
    fig = plot.decision_boundary(model, CORNERS, y, resolution=101, dpi=60)
    ax = fig.axes[0]
    for x2 in (-0.5, 0.0, 0.5):
        left, right = images.at(fig, ax, -0.6, x2), images.at(fig, ax, 0.6, x2)
        assert left[0] > left[2] + 0.3, left  # orange: much more red than blue (p = sigmoid(-2.4) = 0.08)
        assert right[2] > right[0] + 0.3, right  # blue (p = 0.92)
    # the 0.5 contour: every vertex on x₁ = 0, within one grid step (2.4 / 100)
    (contour,) = [c for c in ax.collections if hasattr(c, "levels")]
    assert list(contour.levels) == [0.5]
    vertices = np.concatenate([path.vertices for path in contour.get_paths()])
    assert np.all(np.abs(vertices[:, 0]) < 0.025)
    assert surface(fig).get_array().shape == (101, 101)
    images.assert_not_blank(fig)


def test_binary_probabilities_of_the_surface_are_the_model_output():
    model = dense_model([[4.0], [0.0]], [0.0], "sigmoid")
    fig = plot.decision_boundary(model, CORNERS, [0, 0, 1, 1], resolution=11, padding=0)
    p = np.asarray(surface(fig).get_array())
    axis = np.linspace(-1, 1, 11)  # padding 0: the grid spans the data exactly
    np.testing.assert_allclose(p, np.tile(1 / (1 + np.exp(-4 * axis)), (11, 1)), rtol=1e-5)


def test_binary_logits_and_plus_minus_one_labels_draw_the_same_sides(images):
    model = dense_model([[4.0], [0.0]], [0.0])  # a logit output: sigmoid is applied for the picture
    fig = plot.decision_boundary(model, CORNERS, [-1, -1, 1, 1], resolution=60, dpi=60)
    ax = fig.axes[0]
    left, right = images.at(fig, ax, -0.6, 0.0), images.at(fig, ax, 0.6, 0.0)
    assert left[0] > left[2] + 0.3 and right[2] > right[0] + 0.3
    assert (
        plot.decision_boundary(model, CORNERS, [-1, -1, 1, 1], resolution=60)
        .axes[0]
        .get_title()
        .endswith("binary")
    )


@pytest.mark.parametrize("one_hot", [False, True])
def test_three_classes_each_region_has_its_class_colour(images, one_hot):
    # logits: l0 = -10·x₁, l1 = 10·x₁, l2 = 10·x₂ - 5
    #   (-0.6, -0.6): l = (6, -6, -11) → class 0;  (0.6, -0.6): (-6, 6, -11) → class 1;
    #   (0, 0.7): (0, 0, 2) → class 2
    model = dense_model([[-10.0, 10.0, 0.0], [0.0, 0.0, 10.0]], [0.0, 0.0, -5.0], "softmax")
    labels = np.array([0, 2, 1, 2])
    y = np.eye(3)[labels] if one_hot else labels
    fig = plot.decision_boundary(model, CORNERS, y, resolution=80, dpi=60)
    ax = fig.axes[0]
    tab10 = np.array([[0x1F, 0x77, 0xB4], [0xFF, 0x7F, 0x0E], [0x2C, 0xA0, 0x2C]]) / 255.0
    for (x1, x2), expected in [((-0.6, -0.6), 0), ((0.6, -0.6), 1), ((0.0, 0.7), 2)]:
        ink = 1 - images.at(fig, ax, x1, x2)  # the shade is white mixed with the class colour
        cosines = (1 - tab10) @ ink / (np.linalg.norm(1 - tab10, axis=1) * np.linalg.norm(ink))
        assert int(np.argmax(cosines)) == expected, (x1, x2, cosines)
        assert cosines[expected] > 0.99
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2"]


def test_class_names_label_the_legend():
    model = dense_model(np.zeros((2, 3)), np.zeros(3), "softmax")
    fig = plot.decision_boundary(model, CORNERS, [0, 1, 2, 2], class_names=["a", "b", "c"], resolution=10)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["a", "b", "c"]


def test_regression_is_shaded_continuously(images):
    model = dense_model([[1.0], [0.0]], [0.0])  # output = x₁
    y = CORNERS[:, 0] * 0.9
    fig = plot.decision_boundary(model, CORNERS, y, resolution=50, dpi=60)
    values = np.asarray(surface(fig).get_array())
    assert np.all(np.diff(values, axis=1) > 0)  # rises from left to right, constant up the columns
    assert np.allclose(np.diff(values, axis=0), 0)
    left, right = images.at(fig, fig.axes[0], -0.6, 0), images.at(fig, fig.axes[0], 0.6, 0)
    assert left.sum() < right.sum()  # viridis: dark purple for low, light green-yellow for high
    assert fig.axes[0].get_title().endswith("regression")


def test_without_y_the_samples_are_still_drawn():
    model = dense_model([[4.0], [0.0]], [0.0], "sigmoid")
    fig = plot.decision_boundary(model, CORNERS, resolution=10)
    (samples,) = [c for c in fig.axes[0].collections if c.get_gid() == "samples"]
    assert len(samples.get_offsets()) == 4


@pytest.mark.parametrize(
    "x, y, kwargs, match",
    [
        (np.zeros((5, 3)), None, {}, r"shape \(n, 2\).*\(5, 3\)"),
        (np.zeros(5), None, {}, r"shape \(n, 2\)"),
        (CORNERS, [0, 1, 1], {}, "same number of samples.*x has 4, y has 3"),
        (CORNERS[:0], None, {}, "empty"),
        (CORNERS, None, {"resolution": 1}, "resolution"),
        (CORNERS, None, {"kind": "ternary"}, "kind"),
        (np.array([[0, np.nan], [1, 1]]), None, {}, "NaN"),
    ],
)
def test_bad_inputs_raise_clear_errors(x, y, kwargs, match):
    model = dense_model([[4.0], [0.0]], [0.0], "sigmoid")
    with pytest.raises(ValueError, match=match):
        plot.decision_boundary(model, x, y, **kwargs)


def test_kind_must_fit_the_model_and_the_labels():
    three = dense_model(np.zeros((2, 3)), np.zeros(3), "softmax")
    with pytest.raises(ValueError, match="kind='multiclass'"):
        plot.decision_boundary(three, CORNERS, [0, 1, 2, 0], kind="binary", resolution=5)
    with pytest.raises(ValueError, match=r"class ids in \[0, 2\]"):
        plot.decision_boundary(three, CORNERS, [0, 1, 2, 5], resolution=5)
    one = dense_model([[4.0], [0.0]], [0.0], "sigmoid")
    with pytest.raises(ValueError, match="two classes"):
        plot.decision_boundary(one, CORNERS, [0, 1, 2, 0], kind="binary", resolution=5)
    with pytest.raises(TypeError, match="neurona model"):
        plot.decision_boundary(object(), CORNERS, resolution=5)
