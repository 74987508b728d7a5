"""Regression of a quantity from one feature: small, deeper, and a too-big network that overfits.

`Dense(5, relu) → Dense(1)` fits a curve roughly, a deeper stack fits it better, and a `Dense(1000)` hidden
layer trained long on only a few noisy points memorizes them: its training loss falls far below its
validation loss.

    python examples/03_regression.py [--quick] [--plots DIR]
"""

import argparse
from pathlib import Path

import numpy as np

import neurona as tf


def target(x):
    return np.sin(2.0 * x) + 0.5 * x


def make_data(n, noise, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=(n, 1)).astype("float32")
    return x, (target(x) + rng.normal(0, noise, size=x.shape)).astype("float32")


def fit(layers, x, y, x_val, y_val, epochs, batch_size, learning_rate=0.01):
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,))] + layers)
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=learning_rate), loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_data=(x_val, y_val), verbose=0)
    return model, history.history


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller and faster")
    parser.add_argument(
        "--plots", metavar="DIR", help="save the fits, the overfitting curves and a network here"
    )
    args = parser.parse_args(argv)
    tf.keras.utils.set_random_seed(0)
    epochs = 100 if args.quick else 300
    Dense = tf.keras.layers.Dense

    x, y = make_data(200, noise=0.1, seed=0)
    x_val, y_val = make_data(200, noise=0.1, seed=1)
    small, small_h = fit(
        [Dense(5, activation="relu"), Dense(1, activation="linear")], x, y, x_val, y_val, epochs, 32
    )
    deep, deep_h = fit(
        [Dense(32, activation="relu"), Dense(32, activation="relu"), Dense(32, activation="relu"), Dense(1)],
        x,
        y,
        x_val,
        y_val,
        epochs,
        32,
    )

    # Few, noisy points and a huge layer: the network bends through every one of them.
    x_few, y_few = make_data(12, noise=0.3, seed=2)
    big, big_h = fit(
        [Dense(1000, activation="relu"), Dense(1)],
        x_few,
        y_few,
        x_val,
        y_val,
        400 if args.quick else 1500,
        12,
        learning_rate=0.005,
    )

    if args.plots:
        from neurona import plot

        if plot.available():
            out = Path(args.plots)
            save_fits(plot, out / "regression_fits.png", x, y, x_few, y_few, small, deep, big)
            fig = plot.history(big_h)
            fig.axes[0].set_yscale("log")  # training loss ≪ validation loss: the overfitting
            plot.save(fig, out / "regression_overfit_history.png")
            plot.model(deep, path=out / "regression_deep_model.png")
        else:
            print(f"--plots: matplotlib is not installed, so no plots were saved ({plot.INSTALL_HINT})")

    return {
        "small_train_loss": small_h["loss"][-1],
        "small_val_loss": small_h["val_loss"][-1],
        "deep_train_loss": deep_h["loss"][-1],
        "deep_val_loss": deep_h["val_loss"][-1],
        "overfit_train_loss": big_h["loss"][-1],
        "overfit_val_loss": big_h["val_loss"][-1],
    }


def save_fits(plot, path, x, y, x_few, y_few, small, deep, big):
    """The three fits over the data and the true curve, on a figure of neurona.plot."""
    grid = np.linspace(-2, 2, 200, dtype="float32")[:, None]
    fig = plot.figure(figsize=(6.5, 4.5))
    ax = fig.add_subplot()
    ax.scatter(x, y, s=6, c="lightgray", label="training data")
    ax.scatter(x_few, y_few, s=30, c="k", label="the few points (Dense(1000))")
    ax.plot(grid, target(grid), "k--", label="truth")
    for model, label in [(small, "Dense(5)"), (deep, "3×Dense(32)"), (big, "Dense(1000), 12 points")]:
        ax.plot(grid, model.predict(grid, verbose=0), label=label)
    ax.legend(fontsize=8)
    ax.set_title("fits")
    plot.save(fig, path)


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value}")
