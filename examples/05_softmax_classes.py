"""k classes with a softmax output, and what the softmax temperature does.

A `Dense(k)` head that outputs logits, trained with sparse categorical cross-entropy (`from_logits=True`),
separates k Gaussian blobs in 2-D; the softmax of the logits gives the class probabilities. Dividing the logits by a temperature T before the softmax
(`tf.keras.activations.softmax(logits, temperature=T)`) keeps the predicted class but changes the
confidence: the mean entropy of the predicted distributions rises with T (T → 0: one-hot, T → ∞: uniform).

    python examples/05_softmax_classes.py [--quick] [--plots DIR]
"""

import argparse
from pathlib import Path

import numpy as np

import neurona as tf

TEMPERATURES = (0.25, 0.5, 1.0, 2.0, 4.0, 16.0)


def make_blobs(n, k, seed=0):
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(k) / k
    centers = 3.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    y = rng.integers(0, k, size=n)
    x = centers[y] + rng.normal(0, 0.8, size=(n, 2))
    return x.astype("float32"), y


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller and faster")
    parser.add_argument("--classes", type=int, default=4, help="number of blobs (default 4)")
    parser.add_argument(
        "--plots", metavar="DIR", help="save the class regions, confusion matrix and entropy here"
    )
    args = parser.parse_args(argv)
    tf.keras.utils.set_random_seed(0)
    k = args.classes
    x, y = make_blobs(400 if args.quick else 2000, k)
    x_test, y_test = make_blobs(400, k, seed=1)

    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(16, activation="relu", input_shape=(2,)),
            tf.keras.layers.Dense(k),  # logits
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=30 if args.quick else 60, batch_size=32, verbose=0)
    accuracy = float(model.evaluate(x_test, y_test, verbose=0)[1])

    logits = tf.constant(model.predict(x_test, verbose=0))
    entropies = {}
    for t in TEMPERATURES:
        p = tf.keras.activations.softmax(logits, temperature=t).numpy()
        entropies[t] = float(np.mean(-np.sum(p * np.log(np.clip(p, 1e-12, 1.0)), axis=1)))
        assert np.array_equal(p.argmax(axis=1), logits.numpy().argmax(axis=1))  # same predicted class

    if args.plots:
        from neurona import plot

        if plot.available():
            out = Path(args.plots)
            title = f"{k} blobs: test accuracy {accuracy:.2f}"
            plot.decision_boundary(model, x_test, y_test, title=title, path=out / "softmax_boundary.png")
            plot.confusion_matrix(
                y_test, logits.numpy(), path=out / "softmax_confusion.png"
            )  # argmax of logits
            plot.history(history, path=out / "softmax_history.png")
            fig = plot.figure(figsize=(5.5, 4))
            ax = fig.add_subplot()
            ax.semilogx(list(entropies), list(entropies.values()), "o-")
            ax.axhline(np.log(k), color="gray", ls="--", label=f"uniform: log {k}")
            ax.set_xlabel("temperature T")
            ax.set_ylabel("mean entropy of softmax(logits / T)")
            ax.legend()
            plot.save(fig, out / "softmax_entropy.png")
        else:
            print(f"--plots: matplotlib is not installed, so no plots were saved ({plot.INSTALL_HINT})")

    return {"test_accuracy": accuracy, "entropy_by_temperature": entropies, "max_entropy": float(np.log(k))}


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value}")
