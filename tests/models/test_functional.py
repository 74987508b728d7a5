import numpy as np
import pytest

import neurona as nn
from neurona import layers


def test_two_inputs_two_outputs_dag():
    a = nn.Input(shape=(3,), name="a")
    b = nn.Input(shape=(2,), name="b")
    shared = layers.Dense(4, activation="relu", name="shared")
    merged = layers.concatenate(
        [shared(layers.Dense(4, name="pa")(a)), shared(layers.Dense(4, name="pb")(b))]
    )
    out1 = layers.Dense(1, name="regression")(merged)
    out2 = layers.Dense(3, activation="softmax", name="classes")(merged)
    model = nn.Model(inputs=[a, b], outputs=[out1, out2])
    assert [layer.name for layer in model.layers][:2] == ["a", "b"]
    # shared layer counted once: pa 16, pb 12, shared 20, regression 9, classes 27
    assert model.count_params() == 16 + 12 + 20 + 9 + 27
    xa, xb = np.random.rand(8, 3), np.random.rand(8, 2)
    y1, y2 = model.predict([xa, xb], verbose=0)
    assert y1.shape == (8, 1) and y2.shape == (8, 3)
    model.compile(
        optimizer="adam",
        loss=["mse", "sparse_categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
        metrics=[["mae"], ["accuracy"]],
    )
    history = model.fit([xa, xb], [np.random.rand(8, 1), np.random.randint(0, 3, 8)], epochs=2, verbose=0)
    assert set(history.history) == {
        "loss",
        "regression_loss",
        "classes_loss",
        "regression_mae",
        "classes_accuracy",
    }
    total = history.history["loss"][-1]
    assert np.isfinite(total)
    logs = model.evaluate(
        {"a": xa, "b": xb},
        {"regression": np.zeros((8, 1)), "classes": np.zeros(8)},
        verbose=0,
        return_dict=True,
    )
    # the total loss is Σ weight·loss: 1·regression + 0.5·classes
    assert logs["loss"] == pytest.approx(logs["regression_loss"] + 0.5 * logs["classes_loss"], rel=1e-5)


def test_functional_output_equals_manual_composition():
    inputs = nn.Input(shape=(4,))
    hidden = layers.Dense(5, activation="tanh")
    head = layers.Dense(2)
    model = nn.Model(inputs, head(hidden(inputs)))
    x = np.random.rand(3, 4).astype("float32")
    np.testing.assert_allclose(model(x).numpy(), head(hidden(x)).numpy(), rtol=1e-6)
    assert model.output_shape == (None, 2)


def test_graph_disconnected_is_explained():
    a, b = nn.Input(shape=(2,)), nn.Input(shape=(2,))
    out = layers.Add()([a, b])
    with pytest.raises(ValueError, match="Graph disconnected"):
        nn.Model(inputs=a, outputs=out)


def test_model_inputs_must_come_from_input():
    with pytest.raises(TypeError, match="symbolic"):
        nn.Model(inputs=np.ones(2), outputs=nn.Input(shape=(2,)))


def test_wrong_number_of_inputs():
    a, b = nn.Input(shape=(2,)), nn.Input(shape=(2,))
    model = nn.Model([a, b], layers.Add()([a, b]))
    with pytest.raises(ValueError, match="2 inputs"):
        model.predict([np.ones((1, 2))] * 3, verbose=0)


def test_model_used_as_a_layer():
    inner_in = nn.Input(shape=(3,))
    inner = nn.Model(inner_in, layers.Dense(2)(inner_in), name="inner")
    outer_in = nn.Input(shape=(3,))
    outer = nn.Model(outer_in, layers.Dense(1)(inner(outer_in)))
    assert outer.count_params() == 8 + 3
    assert len(outer.trainable_weights) == 4


class TwoLayerNet(nn.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(8, activation="relu")
        self.blocks = [layers.Dense(4), layers.Dense(4)]
        self.out = layers.Dense(1)

    def call(self, inputs, training=None):
        x = self.hidden(inputs)
        for block in self.blocks:
            x = block(x)
        return self.out(x)


def test_subclassed_model_tracks_layers_and_trains():
    model = TwoLayerNet()
    model.compile(optimizer=nn.optimizers.Adam(0.01), loss="mse")
    x = np.random.rand(64, 3).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    history = model.fit(x, y, epochs=20, verbose=0)
    assert len(model.trainable_weights) == 8
    assert history.history["loss"][-1] < history.history["loss"][0] / 5


def test_model_without_call_says_how_to_fix():
    with pytest.raises(NotImplementedError, match="subclass Model"):
        nn.Model()(np.ones((1, 2)))
