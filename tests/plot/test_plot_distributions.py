"""`plot.weights` and `plot.activations`: every weight / every output value counted once in the bars."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.patches import Rectangle  # noqa: E402

import neurona as tf  # noqa: E402
from neurona import plot  # noqa: E402


def bar_total(ax):
    return sum(p.get_height() for p in ax.patches if isinstance(p, Rectangle))


def mlp():
    return tf.keras.Sequential(
        [
            tf.keras.layers.Dense(4, activation="relu", input_shape=(3,)),
            tf.keras.layers.Dropout(0.5),
            tf.keras.layers.Dense(2, activation="sigmoid"),
        ]
    )


def test_weights_one_panel_per_array_and_the_bars_count_every_weight(images):
    model = mlp()
    fig = plot.weights(model, bins=10)
    assert [ax.get_title() for ax in fig.axes] == [
        f"{model.layers[0].name}/kernel 3×4",
        f"{model.layers[0].name}/bias 4",
        f"{model.layers[2].name}/kernel 4×2",
        f"{model.layers[2].name}/bias 2",
    ]
    assert [bar_total(ax) for ax in fig.axes] == [12, 4, 8, 2]
    images.assert_not_blank(fig)


def test_weights_of_batch_normalization_take_a_row_of_four():
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(5, input_shape=(2,)), tf.keras.layers.BatchNormalization()]
    )
    fig = plot.weights(model)
    assert len(fig.axes) == 2 + 4  # the Dense row has two panels; the empty places are removed
    assert [bar_total(ax) for ax in fig.axes[2:]] == [5, 5, 5, 5]


def test_activations_count_samples_times_units_per_layer(images):
    model = mlp()
    x = np.random.default_rng(0).normal(size=(50, 3)).astype("float32")
    fig = plot.activations(model, x, bins=15)
    assert len(fig.axes) == 3
    assert [bar_total(ax) for ax in fig.axes] == [50 * 4, 50 * 4, 50 * 2]
    images.assert_not_blank(fig)


def test_activations_are_the_layer_outputs_in_inference_mode():
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, activation="relu", input_shape=(1,))])
    model.layers[0].set_weights([np.array([[1.0, -1.0]], "float32"), np.zeros(2, "float32")])
    x = np.array([[-2.0], [-1.0], [1.0], [3.0]], "float32")
    # outputs relu(x), relu(-x): [0, 2], [0, 1], [1, 0], [3, 0] → 4 of 8 values are exact zeros
    fig = plot.activations(model, x, bins=3)
    ax = fig.axes[0]
    assert ax.get_title().endswith(": 50% zeros")
    heights = [p.get_height() for p in ax.patches]
    assert heights == [4, 2, 2]  # bins [0, 1), [1, 2), [2, 3]: 0 0 0 0 | 1 1 | 2 3


def test_activations_can_pick_layers_by_name():
    model = mlp()
    x = np.zeros((5, 3), "float32")
    fig = plot.activations(model, x, layers=[model.layers[2].name])
    assert len(fig.axes) == 1 and bar_total(fig.axes[0]) == 10
    with pytest.raises(ValueError, match="must name layers"):
        plot.activations(model, x, layers=["nope"])


def test_a_functional_chain_works_and_a_branching_model_is_refused():
    inputs = tf.keras.Input(shape=(2,))
    hidden = tf.keras.layers.Dense(3, activation="tanh")(inputs)
    chain = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(hidden))
    x = np.ones((4, 2), "float32")
    assert [bar_total(ax) for ax in plot.activations(chain, x).axes] == [12, 4]
    branch = tf.keras.layers.Dense(3)(inputs)
    branching = tf.keras.Model(inputs, tf.keras.layers.Add()([hidden, branch]))
    with pytest.raises(ValueError, match="chain"):
        plot.activations(branching, x)


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="no weights"):
        plot.weights(tf.keras.Sequential([tf.keras.layers.Dense(3)]))
    with pytest.raises(ValueError, match="non-empty"):
        plot.activations(mlp(), np.zeros((0, 3)))
    with pytest.raises(ValueError, match="fit the first one"):
        plot.activations(mlp(), np.zeros((4, 7)))
    with pytest.raises(ValueError, match="bins"):
        plot.weights(mlp(), bins=0)
    with pytest.raises(TypeError, match="neurona model"):
        plot.weights("model.keras")
