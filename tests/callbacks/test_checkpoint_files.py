"""ModelCheckpoint with real files: the best model on disk is the best epoch's model, and it loads."""

import numpy as np

import neurona as nn
from neurona import callbacks, layers


def test_best_checkpoint_holds_the_best_epoch(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 3)).astype("float32"), rng.integers(0, 2, 64)
    model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(8, activation="relu"), layers.Dense(2)])
    model.compile(
        optimizer=nn.optimizers.Adam(0.05),
        loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    seen = []
    keeper = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((logs["val_loss"], model.get_weights()))
    )
    path = tmp_path / "best.keras"
    weights_path = tmp_path / "w-{epoch}.weights.npz"
    model.fit(
        x,
        y,
        validation_data=(x[:16], 1 - y[:16]),
        epochs=8,
        verbose=0,
        callbacks=[
            keeper,
            callbacks.ModelCheckpoint(path, save_best_only=True),
            callbacks.ModelCheckpoint(str(weights_path), save_weights_only=True),
        ],
    )
    best = min(range(len(seen)), key=lambda i: seen[i][0])
    loaded = nn.models.load_model(path)
    for a, b in zip(loaded.get_weights(), seen[best][1]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(loaded.evaluate(x[:16], 1 - y[:16], verbose=0)[0], seen[best][0], rtol=1e-6)
    third = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(8, activation="relu"), layers.Dense(2)])
    third.load_weights(str(tmp_path / "w-3.weights.npz"))
    for a, b in zip(third.get_weights(), seen[2][1]):
        np.testing.assert_array_equal(a, b)
