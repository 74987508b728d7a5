"""The course's MNIST network: Flatten → Dense(128, relu) → Dropout(0.2) → Dense(10) logits.

Trained with Adam and `SparseCategoricalCrossentropy(from_logits=True)` on MNIST when `--mnist PATH` names
an `mnist.npz` (arrays x_train, y_train, x_test, y_test, as Keras downloads it); otherwise on
scikit-learn's bundled 8×8 digits, which need no download. Prints the test accuracy.

    python examples/06_mnist_mlp.py [--quick] [--mnist mnist.npz] [--plots DIR]
"""

import argparse
from pathlib import Path

import numpy as np

import neurona as tf


def load(mnist_path):
    if mnist_path:
        with np.load(mnist_path) as data:
            x_train, y_train, x_test, y_test = (data[k] for k in ("x_train", "y_train", "x_test", "y_test"))
        scale = 255.0
    else:
        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.digits.load_data()
        scale = 16.0
    return (x_train / scale, y_train), (x_test / scale, y_test)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs")
    parser.add_argument("--mnist", metavar="PATH", help="an mnist.npz; without it, the 8×8 digits are used")
    parser.add_argument("--plots", metavar="DIR", help="save curves, confusion matrix, network, weights here")
    parser.add_argument("--verbose", type=int, choices=(0, 1, 2), default=1, help="progress output of fit")
    args = parser.parse_args(argv)
    tf.keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load(args.mnist)

    model = tf.keras.models.Sequential(
        [
            tf.keras.layers.Flatten(input_shape=x_train.shape[1:]),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    epochs = (2 if args.mnist else 10) if args.quick else (5 if args.mnist else 30)
    if args.verbose:
        model.summary()
    history = model.fit(x_train, y_train, epochs=epochs, validation_split=0.1, verbose=args.verbose)
    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)

    if args.plots:
        from neurona import plot

        if plot.available():
            out = Path(args.plots)
            plot.history(history, path=out / "mlp_history.png")
            logits = model.predict(x_test, verbose=0)
            plot.confusion_matrix(y_test, logits, path=out / "mlp_confusion.png")  # argmax of the logits
            plot.model(model, path=out / "mlp_model.png")
            plot.weights(model, path=out / "mlp_weights.png")
            plot.activations(model, x_test[:500], path=out / "mlp_activations.png")
        else:
            print(f"--plots: matplotlib is not installed, so no plots were saved ({plot.INSTALL_HINT})")

    return {
        "dataset": "mnist" if args.mnist else "digits",
        "parameters": model.count_params(),
        "test_loss": float(test_loss),
        "test_accuracy": float(test_accuracy),
    }


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value}")
