"""Six optimizers on the same problem from the same starting weights.

The same MLP on the 8×8 digits, trained for the same number of epochs from the same seed with each
optimizer at its Keras default learning rate: plain SGD crawls, while SGD with momentum and the adaptive
ones (RMSprop, Adam, Nadam) reach a training loss several times lower. Adagrad's steps shrink as it
accumulates squared gradients, so at its small default rate (0.001) it is the slowest of all.

    python examples/08_optimizers.py [--quick] [--plots DIR]
"""

import argparse
from pathlib import Path

import neurona as tf

OPTIMIZERS = {
    "SGD": lambda: tf.keras.optimizers.SGD(),
    "SGD+momentum": lambda: tf.keras.optimizers.SGD(momentum=0.9),
    "RMSprop": lambda: tf.keras.optimizers.RMSprop(),
    "Adam": lambda: tf.keras.optimizers.Adam(),
    "Adagrad": lambda: tf.keras.optimizers.Adagrad(),
    "Nadam": lambda: tf.keras.optimizers.Nadam(),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs")
    parser.add_argument("--plots", metavar="DIR", help="save all loss curves on one plot here")
    args = parser.parse_args(argv)
    (x_train, y_train), _ = tf.keras.datasets.digits.load_data()
    x_train = x_train.reshape(-1, 64) / 16.0
    epochs = 8 if args.quick else 30

    curves = {}
    for name, make_optimizer in OPTIMIZERS.items():
        tf.keras.utils.set_random_seed(0)  # same initial weights, same batches
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(64, activation="relu", input_shape=(64,)),
                tf.keras.layers.Dense(10),
            ]
        )
        model.compile(
            optimizer=make_optimizer(), loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        )
        curves[name] = model.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0).history["loss"]

    if args.plots:
        from neurona import plot

        if plot.available():
            fig = plot.figure(figsize=(7, 4.5))
            ax = fig.add_subplot()
            for name, curve in curves.items():
                ax.semilogy(range(1, epochs + 1), curve, label=name)
            ax.set_xlabel("epoch")
            ax.set_ylabel("training loss")
            ax.legend()
            plot.save(fig, Path(args.plots) / "optimizers_loss.png")
        else:
            print(f"--plots: matplotlib is not installed, so no plots were saved ({plot.INSTALL_HINT})")

    return {"final_loss": {name: curve[-1] for name, curve in curves.items()}}


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value}")
