"""One sigmoid neuron is logistic regression.

A single `Dense(1, activation="sigmoid")` unit trained with binary cross-entropy fits the same model as
scikit-learn's unpenalized `LogisticRegression`: after training, its weights and bias point in the same
direction and have nearly the same values.

    python examples/01_perceptron.py [--quick] [--plots DIR]
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

import neurona as tf


def make_data(n, seed=0):
    """Two overlapping Gaussian clouds in 2-D, labels 0 and 1."""
    rng = np.random.default_rng(seed)
    x0 = rng.normal([-1.0, -0.5], 1.0, size=(n // 2, 2))
    x1 = rng.normal([1.0, 0.5], 1.0, size=(n - n // 2, 2))
    x = np.vstack([x0, x1]).astype("float32")
    y = np.concatenate([np.zeros(n // 2), np.ones(n - n // 2)]).astype("float32")
    return x, y


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller and faster")
    parser.add_argument(
        "--plots", metavar="DIR", help="save the decision boundary, network and loss curve here"
    )
    args = parser.parse_args(argv)

    tf.keras.utils.set_random_seed(0)
    x, y = make_data(200 if args.quick else 1000)

    model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.05), loss="binary_crossentropy")
    history = model.fit(x, y, epochs=300 if args.quick else 600, batch_size=len(x), verbose=0)
    kernel, bias = (w.numpy() for w in model.layers[0].weights)
    ours = np.concatenate([kernel.ravel(), bias.ravel()])

    with warnings.catch_warnings():  # scikit-learn >= 1.8 prefers C=np.inf; both mean "no penalty"
        warnings.simplefilter("ignore", FutureWarning)
        reference = LogisticRegression(penalty=None).fit(x, y)
    theirs = np.concatenate([reference.coef_.ravel(), reference.intercept_.ravel()])

    cosine = float(ours @ theirs / (np.linalg.norm(ours) * np.linalg.norm(theirs)))
    relative_difference = float(np.linalg.norm(ours - theirs) / np.linalg.norm(theirs))
    accuracy = float(np.mean((model.predict(x, verbose=0).ravel() > 0.5) == y))

    if args.plots:
        from neurona import plot

        if plot.available():
            out = Path(args.plots)
            fig = plot.decision_boundary(model, x, y, title="one neuron = logistic regression")
            ax = fig.axes[0]
            xs = np.linspace(*ax.get_xlim(), 2)
            w1, w2, b = theirs
            ax.plot(
                xs, -(w1 * xs + b) / w2, "--", color="gold", lw=2, label="sklearn: w·x + b = 0"
            )  # on the contour
            ax.legend(loc="lower right")
            plot.save(fig, out / "perceptron_boundary.png")
            plot.model(model, path=out / "perceptron_model.png")
            plot.history(history, path=out / "perceptron_history.png")
        else:
            print(f"--plots: matplotlib is not installed, so no plots were saved ({plot.INSTALL_HINT})")

    return {
        "neurona_weights_bias": ours.tolist(),
        "sklearn_weights_bias": theirs.tolist(),
        "cosine_similarity": cosine,
        "relative_difference": relative_difference,
        "train_accuracy": accuracy,
    }


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value}")
