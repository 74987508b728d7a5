"""`fit`/`evaluate`/`predict` semantics as Keras defines them (reference/keras-api.md §2)."""

import numpy as np
import pytest

import neurona as nn
from neurona import callbacks, layers


def linear_model(units_in=2, lr=0.1):
    model = nn.Sequential([nn.Input(shape=(units_in,)), layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=nn.optimizers.SGD(lr), loss="mse")
    return model


class Recorder(callbacks.Callback):
    """Records which samples each training batch held (through the first feature, a sample id)."""

    def __init__(self):
        super().__init__()
        self.events = []

    def on_train_begin(self, logs=None):
        self.events.append("train_begin")

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(f"epoch_begin {epoch}")

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(f"batch_end {batch}")

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(f"epoch_end {epoch} {sorted(logs)}")

    def on_train_end(self, logs=None):
        self.events.append("train_end")


def test_one_sgd_step_on_mse_matches_hand_computation():
    # w = 0, b = 0; x = [[1, 2]], y = [[3]]: prediction 0, loss = 9
    # dL/dw = 2(0 − 3)·x = [−6, −12], dL/db = −6; SGD lr 0.1 → w = [0.6, 1.2], b = 0.6
    model = linear_model()
    loss = model.train_on_batch(np.array([[1.0, 2.0]]), np.array([[3.0]]))
    assert loss == pytest.approx(9.0)
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(kernel[:, 0], [0.6, 1.2], rtol=1e-6)
    np.testing.assert_allclose(bias, [0.6], rtol=1e-6)


def test_epochs_is_the_final_epoch_index_and_history_records_each():
    model = linear_model()
    x, y = np.random.rand(20, 2), np.random.rand(20, 1)
    recorder = Recorder()
    history = model.fit(x, y, epochs=5, initial_epoch=2, verbose=0, callbacks=[recorder])
    assert history.epoch == [2, 3, 4]
    assert len(history.history["loss"]) == 3
    assert model.history is history
    assert recorder.events[0] == "train_begin" and recorder.events[-1] == "train_end"
    assert recorder.events[1] == "epoch_begin 2"
    assert (
        sum(e.startswith("batch_end") for e in recorder.events) == 3
    )  # one batch of 20 per epoch (default 32)


def test_fit_returns_a_new_history_each_call():
    model = linear_model()
    x, y = np.random.rand(8, 2), np.random.rand(8, 1)
    first = model.fit(x, y, epochs=2, verbose=0)
    second = model.fit(x, y, epochs=1, verbose=0)
    assert first is not second and len(second.history["loss"]) == 1


def test_validation_split_takes_the_last_fraction_before_shuffling():
    n = 10
    x = np.arange(n, dtype="float32").reshape(n, 1) * np.ones((1, 2), dtype="float32")
    y = np.zeros((n, 1))
    seen = []

    class Spy(nn.layers.Layer):
        def call(self, inputs, training=None):
            if training:
                seen.extend(inputs.numpy()[:, 0].tolist())
            return inputs

    model = nn.Sequential([nn.Input(shape=(2,)), Spy(), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, validation_split=0.3, epochs=1, batch_size=4, verbose=0)
    # split_at = floor(10 · 0.7) = 7: training sees samples 0..6 only
    assert sorted(seen) == list(range(7))


def test_shuffle_reshuffles_every_epoch_and_shuffle_false_keeps_order():
    n = 12
    x = np.arange(n, dtype="float32").reshape(n, 1)
    orders = []

    class Spy(nn.layers.Layer):
        def call(self, inputs, training=None):
            if training:
                orders.append(inputs.numpy()[:, 0].tolist())
            return inputs

    model = nn.Sequential([nn.Input(shape=(1,)), Spy(), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.zeros((n, 1)), batch_size=n, epochs=3, verbose=0)
    assert len({tuple(o) for o in orders}) == 3  # a new permutation each epoch
    assert all(sorted(o) == list(range(n)) for o in orders)
    orders.clear()
    model.fit(x, np.zeros((n, 1)), batch_size=5, epochs=1, shuffle=False, verbose=0)
    assert orders == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]]  # the last batch is partial


def test_evaluate_return_forms():
    model = nn.Sequential([nn.Input(shape=(2,)), layers.Dense(3, activation="softmax")])
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy", "sparse_categorical_crossentropy"],
    )
    x, y = np.random.rand(10, 2), np.random.randint(0, 3, 10)
    values = model.evaluate(x, y, verbose=0)
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(as_dict) == ["loss", "accuracy", "sparse_categorical_crossentropy"]
    assert as_dict["loss"] == pytest.approx(as_dict["sparse_categorical_crossentropy"], rel=1e-6)
    assert values == pytest.approx(list(as_dict.values()))
    plain = linear_model()
    assert isinstance(plain.evaluate(np.ones((3, 2)), np.ones((3, 1)), verbose=0), float)


def test_evaluate_loss_is_the_sample_weighted_mean_over_batches():
    model = linear_model()
    model.set_weights([np.zeros((2, 1)), np.zeros(1)])
    x = np.zeros((5, 2))
    y = np.array([[1.0], [1.0], [1.0], [2.0], [2.0]])
    # batches of 3 and 2: losses 1 and 4 → (1·3 + 4·2) / 5 = 2.2, the mean over all samples
    assert model.evaluate(x, y, batch_size=3, verbose=0) == pytest.approx(2.2)


def test_predict_is_batched_and_records_nothing():
    model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(2), layers.Dropout(0.5)])
    x = np.random.rand(70, 3).astype("float32")
    out = model.predict(x, batch_size=16, verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (70, 2)
    np.testing.assert_allclose(out, model(x, training=False).numpy(), rtol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x[:5]), out[:5], rtol=1e-6)


def test_sample_weight_and_class_weight_weight_the_training_loss():
    model = linear_model()
    x, y = np.zeros((2, 2)), np.array([[1.0], [3.0]])
    # prediction 0: squared errors 1 and 9; weights 1 and 0 → (1·1 + 0·9) / 2 = 0.5
    assert model.test_on_batch(x, y, sample_weight=np.array([1.0, 0.0])) == pytest.approx(0.5)
    clf = nn.Sequential(
        [nn.Input(shape=(1,)), layers.Dense(2, activation="softmax", kernel_initializer="zeros")]
    )
    clf.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    labels = np.array([0, 1])
    # uniform softmax: per-sample loss ln 2; class weights 3 and 1 → (3 + 1)·ln 2 / 2
    loss = clf.train_on_batch(np.zeros((2, 1)), labels, class_weight={0: 3.0, 1: 1.0})
    assert loss == pytest.approx(2 * np.log(2), rel=1e-6)


def test_validation_data_and_validation_freq():
    model = linear_model()
    x, y = np.random.rand(16, 2), np.random.rand(16, 1)
    history = model.fit(x, y, epochs=4, validation_data=(x[:4], y[:4]), validation_freq=2, verbose=0)
    assert len(history.history["val_loss"]) == 2  # epochs 2 and 4


def test_stop_training_from_a_callback_stops_gracefully():
    model = linear_model()

    class StopAfterTwo(callbacks.Callback):
        ended = False

        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

        def on_train_end(self, logs=None):
            StopAfterTwo.ended = True

    history = model.fit(
        np.random.rand(8, 2), np.random.rand(8, 1), epochs=10, verbose=0, callbacks=[StopAfterTwo()]
    )
    assert history.epoch == [0, 1] and StopAfterTwo.ended


def test_train_on_batch_and_test_on_batch_return_dicts():
    model = nn.Sequential([nn.Input(shape=(2,)), layers.Dense(2)])
    model.compile(
        optimizer="adam", loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["acc"]
    )
    logs = model.train_on_batch(np.random.rand(4, 2), np.array([0, 1, 0, 1]), return_dict=True)
    assert set(logs) == {"loss", "acc"}  # logged under the name that was passed
    assert int(model.optimizer.iterations) == 1
    before = model.get_weights()
    model.test_on_batch(np.random.rand(4, 2), np.array([0, 1, 0, 1]))
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_accuracy_is_chosen_from_shapes():
    x = np.random.rand(6, 3)
    for units, y, expected in [
        (1, np.array([0, 1, 1, 0, 1, 0]), nn.metrics.BinaryAccuracy),
        (3, np.array([0, 1, 2, 0, 1, 2]), nn.metrics.SparseCategoricalAccuracy),
        (3, nn.utils.to_categorical([0, 1, 2, 0, 1, 2], 3), nn.metrics.CategoricalAccuracy),
    ]:
        model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(units, activation="sigmoid")])
        model.compile(loss="mse" if units == 1 else "crossentropy", metrics=["accuracy"])
        model.evaluate(x, y, verbose=0)
        ((_, metric, _),) = model._compiled_metrics.metrics
        assert isinstance(metric, expected) and metric.name == "accuracy"


def test_compile_default_optimizer_is_rmsprop_and_loss_strings_resolve():
    model = linear_model()
    model.compile(loss="mean_squared_error")
    assert isinstance(model.optimizer, nn.optimizers.RMSprop)


def test_model_without_trainable_weights_fits_without_error():
    model = nn.Sequential([nn.Input(shape=(2,)), layers.Activation("linear")])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((4, 2)), np.ones((4, 2)), verbose=0)
    assert history.history["loss"] == [0.0]


def test_steps_arguments_limit_the_batches():
    model = linear_model()
    x, y = np.random.rand(40, 2), np.random.rand(40, 1)
    recorder = Recorder()
    model.fit(x, y, batch_size=10, steps_per_epoch=2, epochs=1, verbose=0, callbacks=[recorder])
    assert sum(e.startswith("batch_end") for e in recorder.events) == 2
    assert model.predict(x, batch_size=10, steps=3, verbose=0).shape == (30, 1)
    # evaluate on the first batch only equals test_on_batch on it
    assert model.evaluate(x, y, batch_size=10, steps=1, verbose=0) == pytest.approx(
        model.test_on_batch(x[:10], y[:10])
    )
    with pytest.raises(ValueError, match="`steps` must be a positive integer"):
        model.predict(x, steps=0, verbose=0)
