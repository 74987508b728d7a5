"""Whole models through `.keras`, weights through `.weights.npz` / `.weights.h5`, architectures through
JSON: what comes back predicts identically and, with its optimizer, trains on bit for bit."""

import json
import zipfile

import numpy as np
import pytest
from saving_helpers import make

import neurona as nn
from neurona import layers, losses, metrics, optimizers
from neurona.models import load_model, model_from_json, save_model
from neurona.saving import ModelFileError, register_keras_serializable, registry


def data(n=48, features=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int64")
    return x, y


def mlp():
    inputs = nn.Input(shape=(4,))
    hidden = layers.Dense(8, activation="relu")(inputs)
    hidden = layers.Dropout(0.3)(hidden)  # unseeded: its generator state must travel with the file
    return nn.Model(inputs, layers.Dense(2, activation="softmax")(hidden))


def assert_same_weights(a, b):
    assert len(a.get_weights()) == len(b.get_weights())
    for left, right in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(left, right)


@pytest.mark.parametrize(
    "optimizer",
    [
        optimizers.Adam(learning_rate=0.01),
        optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
        optimizers.RMSprop(learning_rate=optimizers.schedules.ExponentialDecay(0.01, 5, 0.5)),
        optimizers.AdamW(learning_rate=0.01, use_ema=True, gradient_accumulation_steps=2),
    ],
    ids=["adam", "sgd-momentum", "rmsprop-schedule", "adamw-ema-accumulation"],
)
def test_a_loaded_model_continues_training_bit_for_bit(tmp_path, optimizer):
    x, y = data()
    model = mlp()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    assert_same_weights(model, loaded)
    assert int(loaded.optimizer.iterations.numpy()) == int(model.optimizer.iterations.numpy())

    nn.utils.set_random_seed(7)
    original = model.fit(x, y, epochs=3, batch_size=8, verbose=0).history
    nn.utils.set_random_seed(7)
    resumed = loaded.fit(x, y, epochs=3, batch_size=8, verbose=0).history
    assert original == resumed  # same losses, same metrics, exactly
    assert_same_weights(model, loaded)
    for a, b in zip(model.optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(getattr(a, "data", a)), np.asarray(getattr(b, "data", b)))


def test_the_archive_holds_metadata_config_and_npz_weights(tmp_path):
    model = mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(*data(), epochs=1, verbose=0)
    save_model(model, tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.npz"]
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
        archive.extract("model.weights.npz", tmp_path)
    assert metadata["format"] == "neurona" and metadata["format_version"] == 1
    assert config["class_name"] == "Functional"
    assert config["compile_config"]["loss"] == "sparse_categorical_crossentropy"
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    assert "module" not in json.dumps(config)
    with np.load(tmp_path / "model.weights.npz", allow_pickle=False) as weights:  # plain NumPy reads it
        assert "layers/dense/vars/0" in weights.files and "optimizer/vars/0" in weights.files
        assert "layers/dropout/rng/_rng" in weights.files
        np.testing.assert_array_equal(weights["layers/dense/vars/0"], model.get_layer("dense").kernel.numpy())


def test_compile_settings_round_trip_with_objects_and_several_outputs(tmp_path):
    inputs = nn.Input(shape=(4,))
    hidden = layers.Dense(6, activation="tanh")(inputs)
    model = nn.Model(
        inputs, {"value": layers.Dense(1, name="value")(hidden), "kind": layers.Dense(3, name="kind")(hidden)}
    )
    model.compile(
        optimizer=optimizers.Nadam(learning_rate=0.003, clipnorm=1.0),
        loss={"value": losses.Huber(delta=0.5), "kind": "sparse_categorical_crossentropy"},
        loss_weights={"value": 0.5, "kind": 2.0},
        metrics={
            "value": [metrics.MeanAbsoluteError()],
            "kind": ["accuracy", metrics.SparseTopKCategoricalAccuracy(k=2)],
        },
    )
    x, labels = data()
    y = {"value": x[:, :1] * 2, "kind": labels}
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    model.save(tmp_path / "multi.keras")
    loaded = load_model(tmp_path / "multi.keras")
    assert loaded.get_compile_config() == model.get_compile_config()
    nn.utils.set_random_seed(3)
    expected = model.fit(x, y, epochs=2, batch_size=16, verbose=0).history
    nn.utils.set_random_seed(3)
    assert loaded.fit(x, y, epochs=2, batch_size=16, verbose=0).history == expected


def test_compile_false_gives_an_uncompiled_model_with_the_weights(tmp_path):
    model = mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(*data(), epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras", compile=False)
    assert not loaded.compiled
    assert_same_weights(model, loaded)


def test_an_uncompiled_model_saves_and_loads(tmp_path):
    model = mlp()
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert not loaded.compiled
    x, _ = data()
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))


@register_keras_serializable(package="RoundTrip")
def doubled_mse(y_true, y_pred):
    return losses.mean_squared_error(y_true, y_pred) * 2.0


def test_a_loss_function_must_be_registered_to_be_saved(tmp_path):
    def private_loss(y_true, y_pred):
        return losses.mean_squared_error(y_true, y_pred)

    model = nn.Sequential([nn.Input(shape=(4,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss=private_loss)
    with pytest.raises(ValueError, match="register_keras_serializable"):
        model.save(tmp_path / "m.keras")
    assert not (tmp_path / "m.keras").exists()
    model.compile(optimizer="sgd", loss=doubled_mse, metrics=[losses.mean_absolute_error])
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert loaded._compile_args["loss"] is doubled_mse


@register_keras_serializable(package="RoundTrip")
class TwoTower(nn.Model):
    def __init__(self, width=4, **kwargs):
        super().__init__(**kwargs)
        self.width = width
        self.left = layers.Dense(width, activation="relu")
        self.right = layers.Dense(width, activation="tanh")
        self.head = layers.Dense(1)

    def call(self, x, training=None):
        return self.head(self.left(x) + self.right(x))

    def get_config(self):
        return {**super().get_config(), "width": self.width}


def test_a_registered_subclassed_model_saves_whole(tmp_path):
    x, y = data()
    model = TwoTower(width=5)
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y.astype("float32"), epochs=1, verbose=0)
    model.save(tmp_path / "sub.keras")
    loaded = load_model(tmp_path / "sub.keras")
    assert isinstance(loaded, TwoTower) and loaded.width == 5
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))


def test_an_unregistered_layer_loads_with_custom_objects(tmp_path):
    class Shift(layers.Layer):
        def __init__(self, offset=1.0, **kwargs):
            super().__init__(**kwargs)
            self.offset = offset

        def call(self, x):
            return x + self.offset

        def get_config(self):
            return {**super().get_config(), "offset": self.offset}

    model = nn.Sequential([nn.Input(shape=(4,)), Shift(2.0), layers.Dense(1)])
    model.save(tmp_path / "shift.keras")
    with pytest.raises(ModelFileError, match="custom_objects"):
        load_model(tmp_path / "shift.keras")
    loaded = load_model(tmp_path / "shift.keras", custom_objects={"Shift": Shift})
    x, _ = data()
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))


def test_safe_mode_false_does_not_open_any_door(tmp_path):
    model = nn.Sequential([nn.Input(shape=(4,)), layers.Dense(1)])
    model.save(tmp_path / "m.keras")
    load_model(tmp_path / "m.keras", safe_mode=False)  # accepted for Keras code, changes nothing
    with pytest.raises(TypeError, match="safe_mode"):
        load_model(tmp_path / "m.keras", safe_mode=None)


def test_h5_weights_need_h5py(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "h5py", None)
    with pytest.raises(ImportError, match=r"\.weights\.npz"):
        mlp().save_weights(tmp_path / "w.weights.h5")


def test_an_unregistered_subclassed_model_points_to_save_weights(tmp_path):
    class Local(nn.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Local()
    model(np.ones((1, 4), dtype="float32"))
    with pytest.raises(ValueError, match="save_weights"):
        model.save(tmp_path / "local.keras")
    model.save_weights(tmp_path / "local.weights.npz")
    other = Local()
    other(np.ones((1, 4), dtype="float32"))
    other.load_weights(tmp_path / "local.weights.npz")
    assert_same_weights(model, other)


@pytest.mark.parametrize("suffix", [".weights.npz", ".weights.h5"])
def test_save_and_load_weights(tmp_path, suffix):
    model, other = mlp(), mlp()
    model.save_weights(tmp_path / f"w{suffix}")
    other.load_weights(tmp_path / f"w{suffix}")
    assert_same_weights(model, other)


def test_load_weights_from_a_keras_file_and_skip_mismatch(tmp_path):
    model = mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(*data(), epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    other = mlp()
    other.load_weights(tmp_path / "m.keras")
    assert_same_weights(model, other)

    wider = nn.Sequential([nn.Input(shape=(4,)), layers.Dense(8, name="dense"), layers.Dense(5, name="head")])
    model.save_weights(tmp_path / "w.weights.npz")
    with pytest.raises(ModelFileError, match="skip_mismatch=True"):
        wider.load_weights(tmp_path / "w.weights.npz")
    wider.load_weights(tmp_path / "w.weights.npz", skip_mismatch=True)
    np.testing.assert_array_equal(
        wider.get_layer("dense").kernel.numpy(), model.get_layer("dense").kernel.numpy()
    )


def test_a_shape_mismatch_changes_nothing(tmp_path):
    model = mlp()
    model.save_weights(tmp_path / "w.weights.npz")
    other = nn.Sequential(
        [nn.Input(shape=(4,)), layers.Dense(8, name="dense"), layers.Dense(3, name="dense_1")]
    )
    before = other.get_weights()
    with pytest.raises(ModelFileError):
        other.load_weights(tmp_path / "w.weights.npz")
    for a, b in zip(before, other.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda m, p: m.save(p / "model"), "Invalid filepath extension"),
        (lambda m, p: m.save(p / "model.h5"), "legacy HDF5"),
        (lambda m, p: m.save(p / "model.keras", zipped=False), "zipped=False"),
        (lambda m, p: m.save_weights(p / "model.npz"), "must end in `.weights.npz`"),
        (lambda m, p: m.save_weights(p / "model.h5"), "must end in `.weights.npz`"),
        (lambda m, p: load_model(p / "model.h5"), "legacy HDF5"),
        (lambda m, p: load_model(p / "model.npz"), "File format not supported"),
        (lambda m, p: m.load_weights(p / "model.txt"), "No file or directory"),
    ],
)
def test_suffix_rules_give_clear_errors(tmp_path, call, message):
    with pytest.raises((ValueError, FileNotFoundError), match=message):
        call(mlp(), tmp_path)


def test_overwrite_false_and_unbuilt_models(tmp_path):
    model = mlp()
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        model.save(tmp_path / "m.keras", overwrite=False)
    unbuilt = nn.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="not built"):
        unbuilt.save(tmp_path / "u.keras")
    with pytest.raises(ValueError, match="must be built"):
        unbuilt.load_weights(tmp_path / "m.keras")
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "missing.keras")


def test_json_round_trip_gives_the_same_architecture():
    model = mlp()
    clone = model_from_json(model.to_json())
    assert clone.to_json() == model.to_json()
    assert [w.shape for w in clone.weights] == [w.shape for w in model.weights]


TAKE_CATEGORIES = {"CategoryEncoding", "IntegerLookup", "StringLookup"}  # random floats are not categories


def test_a_model_with_every_layer_type_saves_and_predicts_identically(tmp_path):
    """One functional model with a branch per registered layer class (new families join automatically)."""
    inputs = nn.Input(shape=(6,))
    branches = []
    for name, cls in sorted(registry.builtin_classes("layer").items()):
        if name != cls.__name__ or issubclass(cls, nn.Model) or cls is layers.InputLayer:
            continue
        if (
            name in TAKE_CATEGORIES
        ):  # saved and reloaded on their own data in tests/layers/test_preprocessing*
            continue
        layer = make(cls, "layer")
        try:
            out = layer(inputs)
        except (ValueError, TypeError):
            out = layer([inputs, inputs])  # merging layers
        branches.append(layers.Flatten()(out))
    model = nn.Model(inputs, layers.Concatenate()(branches))
    rng = np.random.default_rng(0)
    model.set_weights([np.abs(rng.normal(size=w.shape)).astype(w.dtype) + 0.5 for w in model.get_weights()])
    x = rng.normal(size=(5, 6)).astype("float32")
    model.save(tmp_path / "all.keras")
    loaded = load_model(tmp_path / "all.keras")
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))


@register_keras_serializable(package="RoundTrip")
class HalvingSchedule(optimizers.schedules.LearningRateSchedule):
    def __init__(self, start=0.1):
        self.start = start

    def __call__(self, step):
        return self.start / (1 + step)

    def get_config(self):
        return {"start": self.start}


@register_keras_serializable(package="RoundTrip")
class Fives(nn.initializers.Initializer):
    def __call__(self, shape, dtype=None):
        return np.full(shape, 0.05, dtype=dtype or "float32")


def test_registered_objects_nested_in_configs_travel_through_a_file(tmp_path):
    model = nn.Sequential(
        [nn.Input(shape=(4,)), layers.Dense(3, kernel_initializer=Fives()), layers.Dense(1)]
    )
    model.compile(optimizer=optimizers.SGD(learning_rate=HalvingSchedule(0.2)), loss="mse")
    x, y = data()
    model.fit(x, y.astype("float32"), epochs=1, verbose=0)
    model.save(tmp_path / "nested.keras")
    loaded = load_model(tmp_path / "nested.keras")
    assert isinstance(loaded.layers[0].kernel_initializer, Fives)
    assert isinstance(loaded.optimizer._learning_rate, HalvingSchedule)
    assert loaded.optimizer._learning_rate.start == 0.2
    nn.utils.set_random_seed(2)
    expected = model.fit(x, y.astype("float32"), epochs=2, verbose=0).history
    nn.utils.set_random_seed(2)
    assert loaded.fit(x, y.astype("float32"), epochs=2, verbose=0).history == expected
