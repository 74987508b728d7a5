"""Binary classification on real data: the decision surface grows more complex with more hidden neurons.

scikit-learn's wine data, restricted to cultivars 0 and 1 and to two standardized features (alcohol and
color intensity), with a sigmoid output and binary cross-entropy. One hidden neuron draws a straight
boundary; 4 and 32 neurons can bend it.

    python examples/04_binary_wine.py [--quick] [--plot wine.png]
"""

import argparse

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
    parser.add_argument("--plot", metavar="FILE.png", help="draw the decision surfaces")
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

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        axis = np.linspace(-3, 3, 120)
        grid = np.stack(np.meshgrid(axis, axis), -1).reshape(-1, 2).astype("float32")
        fig, axes = plt.subplots(1, 3, figsize=(13, 4.3))
        for ax, (hidden, model) in zip(axes, models.items()):
            p = model.predict(grid, verbose=0).reshape(len(axis), len(axis))
            ax.contourf(axis, axis, p, levels=20, cmap="coolwarm", alpha=0.8)
            ax.contour(axis, axis, p, levels=[0.5], colors="k")
            ax.scatter(x_train[:, 0], x_train[:, 1], c=y_train, cmap="coolwarm", edgecolor="k", s=15)
            ax.set_title(f"{hidden} hidden: test accuracy {accuracies[hidden]:.2f}")
            ax.set_xlabel(FEATURES[0] + " (standardized)")
        axes[0].set_ylabel(FEATURES[1] + " (standardized)")
        fig.savefig(args.plot, dpi=80)
        plt.close(fig)

    return {f"test_accuracy_{hidden}_hidden": accuracy for hidden, accuracy in accuracies.items()}


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value}")
