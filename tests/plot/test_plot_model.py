"""`plot.model`: one circle per drawn neuron, links as wide and as blue/orange as their weights."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.patches import Circle, Rectangle  # noqa: E402

import neurona as tf  # noqa: E402
from neurona import plot  # noqa: E402

KERNEL = np.array([[0.1, -0.5, 2.0], [-1.5, 0.8, -0.05]], dtype="float32")  # 2 inputs → 3 units
BIAS = np.array([0.3, -0.2, 0.0], dtype="float32")


def small_model():
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(3, activation="tanh", input_shape=(2,)),
            tf.keras.layers.Dropout(0.3),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.layers[0].set_weights([KERNEL, BIAS])
    return model


def circles(fig):
    return [p for p in fig.axes[0].patches if isinstance(p, Circle)]


def links(fig, layer_name):
    (collection,) = [c for c in fig.axes[0].collections if c.get_gid() == f"links:{layer_name}"]
    return collection


def texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def test_one_circle_per_neuron_and_one_bias_square_per_unit(images):
    fig = plot.model(small_model())
    assert len(circles(fig)) == 2 + 3 + 1
    biases = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_gid() == "bias"]
    assert len(biases) == 3 + 1
    images.assert_not_blank(fig)


def test_links_follow_the_kernel_widths_grow_with_abs_weight_colours_follow_sign():
    model = small_model()
    fig = plot.model(model)
    name = model.layers[0].name
    collection = links(fig, name)
    w = KERNEL.ravel()  # the links of input i to unit j, in row-major order (i, j)
    segments = collection.get_segments()
    assert len(segments) == w.size == 6
    inputs_y = sorted({float(s[0][1]) for s in segments}, reverse=True)
    units_y = sorted({float(s[1][1]) for s in segments}, reverse=True)
    for k, segment in enumerate(segments):
        i, j = divmod(k, 3)
        assert segment[0][1] == pytest.approx(inputs_y[i]) and segment[1][1] == pytest.approx(units_y[j])
    widths = np.asarray(collection.get_linewidths())
    order = np.argsort(np.abs(w))
    assert np.all(np.diff(widths[order]) > 0)  # |w| all distinct here, so strictly increasing
    colors = np.asarray(collection.get_colors())[:, :3]
    for value, (red, _, blue) in zip(w, colors):
        if value > 0:
            assert blue > red, value  # blue for positive weights
        else:
            assert red > blue, value  # orange for negative weights


def test_bias_squares_are_coloured_by_the_sign_of_the_bias():
    fig = plot.model(small_model())
    squares = [p for p in fig.axes[0].patches if p.get_gid() == "bias"][:3]  # the first Dense layer's
    red, _, blue, _ = squares[0].get_facecolor()  # bias 0.3
    assert blue > red
    red, _, blue, _ = squares[1].get_facecolor()  # bias -0.2
    assert red > blue


def test_other_layers_are_labelled_stages_and_small_models_show_their_values():
    fig = plot.model(small_model())
    stages = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "stage"]
    assert stages == ["Dropout(0.3)"]
    values = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "weight_value"]
    assert len(values) == 6 + 3  # 9 links: few enough to write every weight
    assert values[:6] == [f"{v:.2f}" for v in KERNEL.ravel()]
    assert not [
        t for t in plot.model(small_model(), show_values=False).axes[0].texts if t.get_gid() == "weight_value"
    ]


def test_a_300_unit_layer_is_summarised_with_an_ellipsis():
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(300, activation="relu", input_shape=(4,)), tf.keras.layers.Dense(2)]
    )
    fig = plot.model(model, max_units=12)
    assert len(circles(fig)) == 4 + 12 + 2 < 306
    assert "⋮\n288 more" in texts(fig)
    assert len(links(fig, model.layers[0].name).get_segments()) == 4 * 12  # links only for drawn units
    assert len(links(fig, model.layers[1].name).get_segments()) == 12 * 2
    fig = plot.model(model, max_units=4)
    assert len(circles(fig)) == 4 + 4 + 2 and "⋮\n296 more" in texts(fig)


def test_the_course_mlp_with_a_flattened_image_input():
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10),
        ]
    )
    fig = plot.model(model, dpi=40)
    assert len(circles(fig)) == 12 + 12 + 10
    assert "⋮\n772 more" in texts(fig) and "⋮\n116 more" in texts(fig)
    assert [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "stage"] == ["Flatten", "Dropout(0.2)"]
    assert fig.axes[0].get_title() == f"{model.name}: 101,770 parameters"


def test_a_layer_that_changes_the_size_without_a_kernel_is_a_band():
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(6, input_shape=(3,)),
            tf.keras.layers.Reshape((2, 3)),
            tf.keras.layers.Flatten(),
        ]
    )
    fig = plot.model(model)  # Reshape and Flatten keep 6 values: stages, no band
    assert len(circles(fig)) == 3 + 6
    model = tf.keras.Sequential([tf.keras.Input(shape=(4, 3)), tf.keras.layers.Dense(2)])  # per position
    fig = plot.model(model)  # 4×3 = 12 inputs, 4×2 = 8 outputs, no kernel between them
    assert len(circles(fig)) == 12 + 8
    assert [p.get_gid() for p in fig.axes[0].patches].count("band") == 1


@pytest.mark.parametrize("max_units", [1, 0, 2.5, True])
def test_max_units_is_checked(max_units):
    with pytest.raises(ValueError, match="max_units"):
        plot.model(small_model(), max_units=max_units)


def test_an_unbuilt_model_is_refused_with_how_to_build_it():
    with pytest.raises(ValueError, match="input_shape="):
        plot.model(tf.keras.Sequential([tf.keras.layers.Dense(3)]))


def test_a_branching_model_is_refused():
    inputs = tf.keras.Input(shape=(2,))
    a, b = tf.keras.layers.Dense(3)(inputs), tf.keras.layers.Dense(5)(inputs)
    model = tf.keras.Model(inputs, tf.keras.layers.Concatenate()([a, b]))
    with pytest.raises(ValueError, match="chain"):
        plot.model(model)
