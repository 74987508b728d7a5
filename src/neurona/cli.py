"""The `neurona` command. Subcommands call public functions; no logic of their own lives here.

neurona demo        train an MLP on scikit-learn's bundled digits and report test metrics
neurona playground  open the Playground (the TensorFlow Playground, trained by neurona) in the browser
neurona version     print the version
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from .version import __version__


def demo(
    epochs: int = 30, batch_size: int = 32, seed: int = 0, verbose: int | str = "auto"
) -> dict[str, float]:
    """Train a 64→64 relu→dropout→10 network on the 8×8 digits with Adam; return the test metrics."""
    import neurona as tf

    tf.utils.set_random_seed(seed)
    (x_train, y_train), (x_test, y_test) = tf.datasets.digits.load_data()
    x_train = x_train.reshape(len(x_train), -1).astype("float32") / 16.0
    x_test = x_test.reshape(len(x_test), -1).astype("float32") / 16.0
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(64,)),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    model.summary()
    model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, validation_split=0.1, verbose=verbose)
    return model.evaluate(x_test, y_test, verbose=0, return_dict=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neurona", description="neurona: Keras-compatible deep learning on NumPy."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("demo", help="train a network on the bundled 8x8 digits and print the test metrics")
    run.add_argument("--epochs", type=int, default=30)
    run.add_argument("--batch-size", type=int, default=32)
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--verbose", type=int, choices=(0, 1, 2), default=None)
    play = sub.add_parser(
        "playground",
        help="open the Playground (the TensorFlow Playground, trained by neurona) in the browser",
    )
    play.add_argument("--port", type=int, default=8000, help="the port (0 picks a free one); default 8000")
    play.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on; default 127.0.0.1 (this machine only)"
    )
    play.add_argument("--no-browser", action="store_true", help="print the URL but do not open a browser")
    sub.add_parser("version", help="print the version")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "version":
        print(f"neurona {__version__}")
        return 0
    if args.command == "playground":
        from .playground import run

        return run(args.host, args.port, open_browser=not args.no_browser)
    metrics = demo(
        epochs=args.epochs,
        batch_size=args.batch_size,
        seed=args.seed,
        verbose="auto" if args.verbose is None else args.verbose,
    )
    print("Test metrics: " + ", ".join(f"{key} = {value:.4f}" for key, value in metrics.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
