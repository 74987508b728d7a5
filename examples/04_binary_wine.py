"""Binary classification on real data: the decision surface grows more complex with more hidden neurons.

scikit-learn's wine data, restricted to cultivars 0 and 1 and to two standardized features (alcohol and
color intensity), with a sigmoid output and binary cross-entropy. One hidden neuron draws a straight
boundary; 4 and 32 neurons can bend it.

    python examples/04_binary_wine.py [--quick] [--plots DIR]
"""

import argparse
from pathlib import Path

import numpy as np
from sklearn.datasets import load_wine

import neurona as tf

FEATURES = ("alcohol", "color_intensity")


def load(seed=0):
    data = load_wine()
    columns = [data.feature_names.index(name) for name in FEATURES]
    keep = data.target < 2
    x, y = data.data[keep][:, columns], data.target[keep].astype("float32")
    order = np.random.default_rng(seed).permutation(len(y))
    x, y = x[order], y[order]
    split = int(0.7 * len(y))
    mean, std = x[:split].mean(axis=0), x[:split].std(axis=0)  # statistics of the training part only
    x = ((x - mean) / std).astype("float32")
    return (x[:split], y[:split]), (x[split:], y[split:])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller and faster")
    parser.add_argument(
        "--plots", metavar="DIR", help="save the decision surfaces, a network and a confusion matrix"
    )
    args = parser.parse_args(argv)
    tf.keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load()

    models, accuracies = {}, {}
    for hidden in (1, 4, 32):
        # a single relu unit can die (output 0 everywhere); tanh keeps the one-neuron model a clean line
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(hidden, activation="relu" if hidden > 1 else "tanh", input_shape=(2,)),
                tf.keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(
            optimizer=tf.keras.optimizers.Adam(learning_rate=0.02),
            loss="binary_crossentropy",
            metrics=["accuracy"],
        )
        model.fit(x_train, y_train, epochs=150 if args.quick else 400, batch_size=16, verbose=0)
        models[hidden] = model
        accuracies[hidden] = float(model.evaluate(x_test, y_test, verbose=0)[1])

    if args.plots:
        from neurona import plot

        if plot.available():
            out = Path(args.plots)
            names = [f"{feature} (standardized)" for feature in FEATURES]
            for hidden, model in models.items():
                title = f"{hidden} hidden: test accuracy {accuracies[hidden]:.2f}"
                path = out / f"wine_boundary_{hidden}_hidden.png"
                plot.decision_boundary(model, x_train, y_train, feature_names=names, title=title, path=path)
            plot.model(models[4], path=out / "wine_model_4_hidden.png")
            p_test = models[32].predict(x_test, verbose=0)  # sigmoid outputs: class 1 above 0.5
            cultivars = ["cultivar 0", "cultivar 1"]
            plot.confusion_matrix(
                y_test, p_test, display_labels=cultivars, path=out / "wine_confusion_32_hidden.png"
            )
        else:
            print(f"--plots: matplotlib is not installed, so no plots were saved ({plot.INSTALL_HINT})")

    return {f"test_accuracy_{hidden}_hidden": accuracy for hidden, accuracy in accuracies.items()}


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value}")
