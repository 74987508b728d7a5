import neurona as nn
from neurona import layers


def capture(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return "\n".join(lines)


def test_summary_answers_how_many_weights_and_biases():
    model = nn.Sequential(
        [nn.Input(shape=(784,)), layers.Dense(128, activation="relu"), layers.Dropout(0.2), layers.Dense(10)],
        name="mnist",
    )
    text = capture(model)
    assert 'Model: "mnist"' in text
    assert "dense (Dense)" in text and "(None, 128)" in text and "100,480" in text  # 784·128 + 128
    assert "dropout (Dropout)" in text
    assert "1,290" in text  # 128·10 + 10
    assert "Total params: 101,770 (397.54 KB)" in text  # 101 770 · 4 bytes / 1024
    assert "Trainable params: 101,770" in text
    assert "Non-trainable params: 0 (0.00 B)" in text


def test_functional_summary_shows_connections():
    a, b = nn.Input(shape=(2,), name="left"), nn.Input(shape=(2,), name="right")
    model = nn.Model([a, b], layers.Dense(1, name="out")(layers.Concatenate(name="join")([a, b])))
    text = capture(model)
    assert "Connected to" in text and "left, right" in text
    assert "left (InputLayer)" in text and "(None, 4)" in text


def test_frozen_layer_counts_as_non_trainable():
    model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(2), layers.Dense(1)])
    model.layers[0].trainable = False
    text = capture(model)
    assert "Trainable params: 3 " in text and "Non-trainable params: 8 " in text
