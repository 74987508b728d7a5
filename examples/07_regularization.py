"""Four fixes for one overfitting network: Dropout, L2, EarlyStopping and BatchNormalization.

A wide two-layer MLP trained long on 200 noisy points (20 features, only two of them matter, a fifth of the
labels flipped) memorizes the noise: its validation loss bottoms out after a few epochs and then climbs as
it grows confidently wrong. The same network with Dropout, with an L2 penalty on its kernels
(`kernel_regularizer`), with BatchNormalization, or stopped early with its best weights restored
(`EarlyStopping(restore_best_weights=True)`) ends training with a lower validation loss.

The numbers compared are validation cross-entropies (for L2 without the penalty term that Keras adds to
`val_loss`): the one of the model each training ends with (the restored best weights, for EarlyStopping)
is lower with every fix, while the best one over the epochs is about the same for all: the fixes keep the
network from getting worse rather than making its best epoch better.

    python examples/07_regularization.py [--quick] [--plots DIR]
"""

import argparse
from pathlib import Path

import numpy as np

import neurona as tf

FEATURES, WIDTH = 20, 128
KINDS = ("none", "dropout", "l2", "early_stopping", "batchnorm")


def make_data(n, seed, flip=0.2):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, FEATURES)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    flipped = rng.random(n) < flip
    y[flipped] = 1 - y[flipped]
    return x, y


def build(kind):
    layers = tf.keras.layers
    l2 = tf.keras.regularizers.L2(1e-2) if kind == "l2" else None
    model = [tf.keras.Input(shape=(FEATURES,))]
    for _ in range(2):
        if kind == "batchnorm":
            model += [
                layers.Dense(WIDTH, use_bias=False),
                layers.BatchNormalization(),
                layers.Activation("relu"),
            ]
        else:
            model.append(layers.Dense(WIDTH, activation="relu", kernel_regularizer=l2))
        if kind == "dropout":
            model.append(layers.Dropout(0.5))
    model.append(layers.Dense(1, kernel_regularizer=l2))  # a logit
    return tf.keras.Sequential(model)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs")
    parser.add_argument("--plots", metavar="DIR", help="save the validation curves and the weights here")
    args = parser.parse_args(argv)
    x_train, y_train = make_data(200, seed=0)
    x_val, y_val = make_data(1000, seed=1)
    epochs = 60 if args.quick else 150
    loss = tf.keras.losses.BinaryCrossentropy(from_logits=True)

    curves, final, histories, models = {}, {}, {}, {}
    for kind in KINDS:
        tf.keras.utils.set_random_seed(0)  # every variant starts from the same seed
        model = build(kind)
        model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3), loss=loss)
        curve = curves[kind] = []  # validation cross-entropy after every epoch, penalty or not
        callbacks = [
            tf.keras.callbacks.LambdaCallback(
                on_epoch_end=lambda epoch, logs, model=model, curve=curve: curve.append(
                    float(loss(y_val, model.predict(x_val, verbose=0)))
                )
            )
        ]
        if kind == "early_stopping":
            callbacks.append(tf.keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True))
        histories[kind] = model.fit(
            x_train,
            y_train,
            epochs=epochs,
            batch_size=32,
            validation_data=(x_val, y_val),
            callbacks=callbacks,
            verbose=0,
        )
        final[kind] = float(loss(y_val, model.predict(x_val, verbose=0)))
        models[kind] = model

    if args.plots:
        from neurona import plot

        if plot.available():
            out = Path(args.plots)
            save_curves(plot, out / "regularization_curves.png", curves, final)
            for kind in ("none", "early_stopping"):  # the best epoch, and where early stopping stopped
                plot.history(histories[kind], path=out / f"regularization_history_{kind}.png")
            for kind in ("none", "l2"):  # the L2 penalty keeps the kernels small
                plot.weights(models[kind], path=out / f"regularization_weights_{kind}.png")
        else:
            print(f"--plots: matplotlib is not installed, so no plots were saved ({plot.INSTALL_HINT})")

    return {
        "final_val_loss": final,
        "best_val_loss": {kind: float(np.min(curve)) for kind, curve in curves.items()},
        "epochs_run": {kind: len(curve) for kind, curve in curves.items()},
    }


def save_curves(plot, path, curves, final):
    """Each fix's validation curve next to the unregularized one, on a figure of neurona.plot."""
    fig = plot.figure(figsize=(16, 4))
    axes = fig.subplots(1, 4, sharey=True)
    for ax, kind in zip(axes, KINDS[1:]):
        ax.plot(curves["none"], color="gray", label="no regularization")
        ax.plot(curves[kind], label=kind, linewidth=2.5 if kind == "early_stopping" else 1.5)
        ax.set_title(f"{kind}: final {final[kind]:.3f} vs {final['none']:.3f}")
        ax.set_xlabel("epoch")
        ax.legend(fontsize=8)
    axes[0].set_ylabel("validation cross-entropy")
    plot.save(fig, path)


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value}")
