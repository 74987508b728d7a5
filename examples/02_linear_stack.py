"""A stack of linear layers is still one linear map; a nonlinearity is what adds power.

Three `Dense` layers without activation compute x·W1·W2·W3 + (b1·W2·W3 + b2·W3 + b3): one matrix and one
bias. So they cannot separate XOR-like data (accuracy stays near chance), while the same stack with `relu`
in the hidden layers learns it.

    python examples/02_linear_stack.py [--quick] [--plots DIR]
"""

import argparse
from pathlib import Path

import numpy as np

import neurona as tf


def make_xor(n, seed=0):
    """Points in [-1, 1]²; the label is 1 where the two coordinates have the same sign."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 2)).astype("float32")
    y = (x[:, 0] * x[:, 1] > 0).astype("float32")
    return x, y


def build(activation):
    return tf.keras.Sequential(
        [
            tf.keras.layers.Dense(16, activation=activation, input_shape=(2,)),
            tf.keras.layers.Dense(16, activation=activation),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


def train(model, x, y, epochs):
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    return float(model.evaluate(x, y, verbose=0)[1]), history


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller and faster")
    parser.add_argument(
        "--plots", metavar="DIR", help="save both models' decisions, the network and curves here"
    )
    args = parser.parse_args(argv)
    tf.keras.utils.set_random_seed(0)

    # 1. Linear layers collapse: multiply the kernels, push the biases through.
    stack = tf.keras.Sequential(
        [tf.keras.layers.Dense(8, input_shape=(5,)), tf.keras.layers.Dense(6), tf.keras.layers.Dense(3)]
    )
    w_total, b_total = np.eye(5), np.zeros(5)
    for layer in stack.layers:
        kernel, bias = (w.numpy().astype("float64") for w in layer.weights)
        w_total, b_total = w_total @ kernel, b_total @ kernel + bias
    x_probe = np.random.default_rng(1).normal(size=(100, 5)).astype("float32")
    collapse_error = float(np.max(np.abs(stack.predict(x_probe, verbose=0) - (x_probe @ w_total + b_total))))

    # 2. On XOR, the linear stack is no better than a coin; with relu it works.
    x, y = make_xor(400 if args.quick else 1000)
    epochs = 60 if args.quick else 150
    linear, nonlinear = build(None), build("relu")
    linear_accuracy, _ = train(linear, x, y, epochs)
    relu_accuracy, relu_history = train(nonlinear, x, y, epochs)

    if args.plots:
        from neurona import plot

        if plot.available():
            out = Path(args.plots)
            for model, name, accuracy in [
                (linear, "linear", linear_accuracy),
                (nonlinear, "relu", relu_accuracy),
            ]:
                title = f"{name} stack on XOR: accuracy {accuracy:.2f}"
                plot.decision_boundary(model, x, y, title=title, path=out / f"xor_{name}_boundary.png")
            plot.model(nonlinear, path=out / "xor_relu_model.png")
            plot.history(relu_history, path=out / "xor_relu_history.png")
        else:
            print(f"--plots: matplotlib is not installed, so no plots were saved ({plot.INSTALL_HINT})")

    return {
        "collapse_max_abs_error": collapse_error,
        "linear_xor_accuracy": linear_accuracy,
        "relu_xor_accuracy": relu_accuracy,
    }


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value}")
