"""`TensorBoard`: tiny models are trained, the event files are read back with TensorBoard's own reader
(`EventAccumulator`), and tags, steps and values are checked against History, against weights and
gradients computed here by hand in NumPy, and against counts done by hand (PR curves, dead units)."""

import io
import json
import os
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from google.protobuf import text_format
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.graph import keras_util
from tensorboard.plugins.hparams import metadata as hparams_metadata
from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

import neurona
from neurona import Input, Model, Sequential, layers, optimizers
from neurona.callbacks import LambdaCallback, TensorBoard

EVERYTHING = {"scalars": 0, "histograms": 0, "images": 0, "tensors": 0, "compressedHistograms": 0, "audio": 0}


def read(path):
    accumulator = EventAccumulator(str(path), size_guidance=EVERYTHING)
    accumulator.Reload()
    return accumulator


def scalars(accumulator, tag):
    return [(event.step, event.value) for event in accumulator.Scalars(tag)]


def f32(values):
    """What a float32 `simple_value` holds for each number."""
    return [float(np.float32(v)) for v in values]


def relu(z):
    return np.maximum(z, 0.0)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0.5).astype("int64")  # classes 0, 1, 2
    return x[:40], y[:40], x[40:], y[40:]


def classifier(hidden=5, seed=1):
    neurona.utils.set_random_seed(seed)
    model = Sequential(
        [Input(shape=(4,)), layers.Dense(hidden, activation="relu"), layers.Dense(3, activation="softmax")]
    )
    model.compile(
        optimizer=optimizers.SGD(0.05), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


# --- scalars ---------------------------------------------------------------------------------------------
def test_epoch_scalars_follow_keras_layout_and_equal_history(tmp_path, data):
    x, y, x_val, y_val = data
    model = classifier()
    history = model.fit(
        x,
        y,
        epochs=3,
        batch_size=8,
        validation_data=(x_val, y_val),
        verbose=0,
        callbacks=[TensorBoard(tmp_path)],
    )
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train, validation = read(tmp_path / "train"), read(tmp_path / "validation")
    assert scalars(train, "epoch_loss") == list(zip([0, 1, 2], f32(history.history["loss"])))
    assert scalars(train, "epoch_accuracy") == list(zip([0, 1, 2], f32(history.history["accuracy"])))
    assert scalars(train, "epoch_learning_rate") == list(zip([0, 1, 2], f32([0.05] * 3)))
    # validation values in the validation run, without the val_ prefix, so both curves share one tag
    assert scalars(validation, "epoch_loss") == list(zip([0, 1, 2], f32(history.history["val_loss"])))
    assert scalars(validation, "epoch_accuracy") == list(zip([0, 1, 2], f32(history.history["val_accuracy"])))
    assert not any(tag.startswith("epoch_val_") for tag in validation.Tags()["scalars"])
    # 40 samples / batch 8 = 5 optimizer steps per epoch: evaluation vs iterations at 5, 10, 15
    assert scalars(validation, "evaluation_loss_vs_iterations") == list(
        zip([5, 10, 15], f32(history.history["val_loss"]))
    )
    assert not any(tag.startswith("batch_") for tag in train.Tags()["scalars"])  # update_freq="epoch"
    assert scalars(train, "alerts/nonfinite") == [(0, 0.0), (1, 0.0), (2, 0.0)]


@pytest.mark.parametrize(
    "update_freq, steps", [("batch", list(range(1, 11))), (3, [3, 6, 9]), (4, [4, 8]), ("epoch", [])]
)
def test_batch_scalars_every_n_batches_equal_the_batch_logs(tmp_path, data, update_freq, steps):
    x, y, _, _ = data
    seen = {}  # global 1-based batch → the logs fit passed to the callbacks
    record = LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.__setitem__(len(seen) + 1, dict(logs))
    )
    model = classifier()
    model.fit(
        x[:20],
        y[:20],
        epochs=2,
        batch_size=4,
        verbose=0,
        callbacks=[record, TensorBoard(tmp_path, update_freq=update_freq)],
    )
    train = read(tmp_path / "train")
    if not steps:
        assert "batch_loss" not in train.Tags()["scalars"]
        return
    # 20 samples / batch 4 = 5 batches per epoch, 10 in all, counted across epochs as Keras does
    assert scalars(train, "batch_loss") == [(s, f32([seen[s]["loss"]])[0]) for s in steps]
    assert scalars(train, "batch_accuracy") == [(s, f32([seen[s]["accuracy"]])[0]) for s in steps]


def test_steps_per_second(tmp_path, data):
    x, y, _, _ = data
    callback = TensorBoard(tmp_path, write_steps_per_second=True, update_freq="batch")
    classifier().fit(x, y, epochs=2, batch_size=10, verbose=0, callbacks=[callback])
    train = read(tmp_path / "train")
    per_epoch = scalars(train, "epoch_steps_per_second")
    assert [step for step, _ in per_epoch] == [0, 1] and all(value > 0 for _, value in per_epoch)
    assert [step for step, _ in scalars(train, "batch_steps_per_second")] == list(range(1, 9))


# --- histograms, activations, gradients ---------------------------------------------------------------------
def test_weight_histograms_every_n_epochs_count_every_entry(tmp_path, data):
    x, y, x_val, y_val = data
    model = classifier()
    model.fit(
        x,
        y,
        epochs=3,
        validation_data=(x_val, y_val),
        verbose=0,
        callbacks=[TensorBoard(tmp_path, histogram_freq=2)],
    )
    train = read(tmp_path / "train")
    for weight in model.weights:  # dense/kernel, dense/bias, dense_1/kernel, dense_1/bias
        events = train.Histograms(f"{weight.name}/histogram")
        assert [event.step for event in events] == [0, 2]  # epochs 0 and 2 (epoch % 2 == 0), as Keras
        final = events[-1].histogram_value  # written after the last epoch: the final weights
        assert final.num == weight.size == sum(final.bucket)
        assert final.min == pytest.approx(float(weight.numpy().min()))
        assert final.max == pytest.approx(float(weight.numpy().max()))
        assert final.sum == pytest.approx(float(weight.numpy().astype(np.float64).sum()), abs=1e-6)


def test_gradient_norms_equal_hand_backpropagation(tmp_path):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]]) + 0.3).astype("float32")
    x_val, y_val = x[24:], y[24:]
    neurona.utils.set_random_seed(7)
    model = Sequential([Input(shape=(3,)), layers.Dense(4, activation="relu"), layers.Dense(1)])
    model.compile(optimizer=optimizers.SGD(0.01), loss="mse")
    model.fit(
        x[:24],
        y[:24],
        epochs=1,
        validation_data=(x_val, y_val),
        verbose=0,
        callbacks=[TensorBoard(tmp_path, histogram_freq=1, activation_samples=100)],
    )
    # the gradients were taken after the last update, on all 8 validation samples: recompute them in
    # float64 by hand. L = mean((p − y)²); dL/dp = 2(p − y)/N; back through Dense(1) and the ReLU.
    w1, b1, w2, b2 = [w.astype(np.float64) for w in model.get_weights()]
    xv, yv = x_val.astype(np.float64), y_val.astype(np.float64)
    z = xv @ w1 + b1
    h = relu(z)
    p = h @ w2 + b2
    dp = 2.0 * (p - yv) / len(xv)
    dh = (dp @ w2.T) * (z > 0)
    expected = {
        "dense/kernel": xv.T @ dh,
        "dense/bias": dh.sum(0),
        "dense_1/kernel": h.T @ dp,
        "dense_1/bias": dp.sum(0),
    }
    train = read(tmp_path / "train")
    for name, grad in expected.items():
        [(step, norm)] = scalars(train, f"gradient_norm/{name}")
        assert step == 0
        assert norm == pytest.approx(np.sqrt(np.sum(grad**2)), rel=1e-4)
        histogram = train.Histograms(f"gradients/{name}")[0].histogram_value
        assert histogram.num == grad.size == sum(histogram.bucket)
        assert histogram.sum == pytest.approx(grad.sum(), rel=1e-3, abs=1e-6)


def test_activations_and_dead_relu_fraction_on_a_hand_built_model(tmp_path):
    rng = np.random.default_rng(5)
    x = rng.uniform(0.0, 1.0, size=(30, 2)).astype("float32")  # inputs ≥ 0
    y = rng.uniform(size=(30, 1)).astype("float32")
    model = Sequential(
        [Input(shape=(2,)), layers.Dense(4, activation="relu", name="hidden"), layers.Dense(1, name="out")]
    )
    # units 0 and 2 get only negative weights and bias: with x ≥ 0 their pre-activation is < 0 for every
    # sample, so they are dead; units 1 and 3 are positive. Dead fraction = 2 / 4 = 0.5.
    kernel = np.array([[-1.0, 1.0, -2.0, 0.5], [-1.0, 0.5, -0.5, 1.0]], dtype="float32")
    bias = np.array([-0.1, 0.1, -0.2, 0.0], dtype="float32")
    model.get_layer("hidden").set_weights([kernel, bias])
    model.compile(optimizer=optimizers.SGD(0.0), loss="mse")  # learning rate 0: the weights stay put
    model.fit(
        x[:10],
        y[:10],
        epochs=2,
        validation_data=(x[10:], y[10:]),
        verbose=0,
        callbacks=[TensorBoard(tmp_path, histogram_freq=1, activation_samples=50)],
    )
    train = read(tmp_path / "train")
    assert scalars(train, "dead_relu_fraction/hidden") == [(0, 0.5), (1, 0.5)]
    assert "dead_relu_fraction/out" not in train.Tags()["scalars"]  # linear output: not a ReLU layer
    hidden = train.Histograms("activations/hidden")[0].histogram_value
    assert hidden.num == 20 * 4 == sum(hidden.bucket)  # all 20 validation samples × 4 units
    assert hidden.sum == pytest.approx(relu(x[10:].astype(np.float64) @ kernel + bias).sum(), rel=1e-5)
    assert train.Histograms("activations/out")[0].histogram_value.num == 20


def test_activation_sample_is_fixed_and_its_size_is_activation_samples(tmp_path, data):
    x, y, x_val, y_val = data
    model = classifier(hidden=6)
    model.fit(
        x,
        y,
        epochs=2,
        validation_data=(x_val, y_val),
        verbose=0,
        callbacks=[TensorBoard(tmp_path, histogram_freq=1, activation_samples=7, seed=3)],
    )
    hidden = read(tmp_path / "train").Histograms("activations/dense")
    assert [event.histogram_value.num for event in hidden] == [7 * 6, 7 * 6]
    # the sample is documented as sorted(np.random.default_rng(seed).choice(n, size, replace=False))
    index = np.sort(np.random.default_rng(3).choice(len(x_val), size=7, replace=False))
    w, b = model.layers[0].get_weights()
    expected = relu(x_val[index].astype(np.float64) @ w + b).sum()
    assert hidden[-1].histogram_value.sum == pytest.approx(expected, rel=1e-5)


def test_write_images_min_max_scaled_like_keras_layout(tmp_path, data):
    x, y, x_val, y_val = data
    model = classifier(hidden=5)
    model.fit(
        x,
        y,
        epochs=1,
        validation_data=(x_val, y_val),
        verbose=0,
        callbacks=[TensorBoard(tmp_path, histogram_freq=1, write_images=True)],
    )
    train = read(tmp_path / "train")
    kernel = model.layers[0].get_weights()[0].astype(np.float64)  # (4, 5): wider than tall, not transposed
    [event] = train.Images("dense/kernel/image")
    pixels = np.asarray(Image.open(io.BytesIO(event.encoded_image_string)).convert("L"))
    assert (event.height, event.width) == pixels.shape == (4, 5)
    expected = np.round(255 * (kernel - kernel.min()) / (kernel.max() - kernel.min()))
    np.testing.assert_array_equal(pixels, expected)
    [bias_event] = train.Images("dense/bias/image")
    assert (bias_event.height, bias_event.width) == (1, 5)
    # dense_1/kernel is (5, 3): more rows than columns, so it is shown transposed, 3 rows × 5 columns
    [tall] = train.Images("dense_1/kernel/image")
    tall_pixels = np.asarray(Image.open(io.BytesIO(tall.encoded_image_string)).convert("L"))
    w = model.layers[1].get_weights()[0].astype(np.float64).T
    np.testing.assert_array_equal(tall_pixels, np.round(255 * (w - w.min()) / (w.max() - w.min())))


def test_histograms_without_validation_data_warn_and_keep_the_weights(tmp_path, data):
    x, y, _, _ = data
    with pytest.warns(UserWarning, match="validation_data"):
        classifier().fit(x, y, epochs=1, verbose=0, callbacks=[TensorBoard(tmp_path, histogram_freq=1)])
    tags = read(tmp_path / "train").Tags()["histograms"]
    assert "dense/kernel/histogram" in tags
    assert not any(tag.startswith(("activations/", "gradients/")) for tag in tags)


def test_functional_model_activations(tmp_path):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(20, 3)).astype("float32")
    y = rng.normal(size=(20, 2)).astype("float32")
    inputs = Input(shape=(3,))
    left = layers.Dense(2, activation="relu", name="left")(inputs)
    right = layers.Dense(2, name="right")(inputs)
    model = Model(inputs, layers.Add(name="sum")([left, right]))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(
        x[:12],
        y[:12],
        epochs=1,
        validation_data=(x[12:], y[12:]),
        verbose=0,
        callbacks=[TensorBoard(tmp_path, histogram_freq=1)],
    )
    tags = read(tmp_path / "train").Tags()
    assert {"activations/left", "activations/right", "activations/sum"} <= set(tags["histograms"])
    assert "dead_relu_fraction/left" in tags["scalars"]


def test_layer_outputs_of_a_model(data):
    x, _, _, _ = data
    inputs = Input(shape=(4,))
    hidden = layers.Dense(3, activation="relu", name="h")(inputs)
    model = Model(inputs, layers.Dense(2, name="o")(hidden))
    outputs = model.layer_outputs(x[:5])
    w, b = model.get_layer("h").get_weights()
    np.testing.assert_allclose(outputs["h"], relu(x[:5] @ w + b), rtol=1e-6)
    np.testing.assert_allclose(outputs["o"], model.predict(x[:5], verbose=0), rtol=1e-6)
    assert list(model.layer_outputs(x[:5], layers=["o"])) == ["o"]
    with pytest.raises(ValueError, match="No such layer"):
        model.layer_outputs(x[:5], layers=["nope"])

    class Custom(Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, inputs, training=None):
            return self.dense(inputs)

    with pytest.raises(ValueError, match="no layer graph"):
        Custom().layer_outputs(x[:2])


# --- projector ---------------------------------------------------------------------------------------------
def projector_config(run_dir):
    config = ProjectorConfig()
    text_format.Parse((run_dir / "projector_config.pbtxt").read_text(), config)
    return config


def test_embeddings_of_the_last_hidden_layer_with_class_labels(tmp_path, data):
    x, y, x_val, y_val = data
    one_hot = np.eye(3, dtype="float32")
    model = Sequential(
        [
            Input(shape=(4,)),
            layers.Dense(6, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    model.fit(
        x,
        one_hot[y],
        epochs=2,
        validation_data=(x_val, one_hot[y_val]),
        verbose=0,
        callbacks=[TensorBoard(tmp_path, embeddings_freq=1)],
    )
    config = projector_config(tmp_path / "train")
    assert [e.tensor_name for e in config.embeddings] == ["dense:00000", "dense:00001"]  # not the Dropout
    last = config.embeddings[-1]
    vectors = np.loadtxt(tmp_path / "train" / last.tensor_path, delimiter="\t")
    w, b = model.layers[0].get_weights()
    np.testing.assert_allclose(vectors, relu(x_val.astype(np.float64) @ w + b), rtol=1e-5, atol=1e-7)
    assert list(last.tensor_shape) == [20, 6]
    labels = (tmp_path / "train" / last.metadata_path).read_text().splitlines()
    assert labels == [str(k) for k in y_val]  # one-hot targets → class indices, no header (one column)


def test_embeddings_metadata_file_picks_the_sampled_rows(tmp_path, data):
    x, y, x_val, y_val = data
    metadata = tmp_path / "labels.tsv"
    metadata.write_text("row\tclass\n" + "".join(f"{i}\tc{k}\n" for i, k in enumerate(y_val)))
    model = classifier(hidden=5)
    callback = TensorBoard(
        tmp_path / "logs",
        embeddings_freq=1,
        embeddings_samples=6,
        embeddings_layer=0,
        embeddings_metadata={"dense": str(metadata)},
    )
    model.fit(x, y, epochs=1, validation_data=(x_val, y_val), verbose=0, callbacks=[callback])
    run = tmp_path / "logs" / "train"
    [entry] = projector_config(run).embeddings
    lines = (run / entry.metadata_path).read_text().splitlines()
    assert lines[0] == "row\tclass" and len(lines) == 7  # the header, then the 6 sampled rows
    rows = [int(line.split("\t")[0]) for line in lines[1:]]
    assert rows == sorted(set(rows)) and [line.split("\t")[1] for line in lines[1:]] == [
        f"c{y_val[i]}" for i in rows
    ]
    vectors = np.loadtxt(run / entry.tensor_path, delimiter="\t")
    w, b = model.layers[0].get_weights()
    np.testing.assert_allclose(vectors, relu(x_val[rows].astype(np.float64) @ w + b), rtol=1e-5, atol=1e-7)
    # a second fit into the same log_dir replaces the entry of the same name instead of duplicating it
    model.fit(x, y, epochs=1, validation_data=(x_val, y_val), verbose=0, callbacks=[callback])
    assert [e.tensor_name for e in projector_config(run).embeddings] == ["dense:00000"]


def test_embeddings_metadata_errors(tmp_path, data):
    x, y, x_val, y_val = data
    short = tmp_path / "short.tsv"
    short.write_text("a\nb\n")
    for kwargs, match in [
        ({"embeddings_metadata": str(short)}, "has 2 rows"),
        ({"embeddings_metadata": {"nope": str(short)}}, "not in the model"),
        ({"embeddings_metadata": str(tmp_path / "missing.tsv")}, "does not exist"),
        ({"embeddings_layer": "nope"}, "not a layer"),
        ({"embeddings_layer": 9}, "out of range"),
    ]:
        with pytest.raises((ValueError, FileNotFoundError), match=match):
            classifier().fit(
                x,
                y,
                epochs=1,
                validation_data=(x_val, y_val),
                verbose=0,
                callbacks=[TensorBoard(tmp_path / "logs", embeddings_freq=1, **kwargs)],
            )


# --- hparams ------------------------------------------------------------------------------------------------
def test_hparams_session_with_automatic_values_and_final_metrics(tmp_path, data):
    x, y, x_val, y_val = data
    model = Sequential(
        [
            Input(shape=(4,)),
            layers.Dense(8, activation="relu", kernel_regularizer="l2"),
            layers.Dropout(0.25),
            layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=optimizers.SGD(0.05), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    callback = TensorBoard(tmp_path, hparams={"units": 8, "note": "baseline", "augment": False})
    history = model.fit(
        x, y, epochs=2, batch_size=8, validation_data=(x_val, y_val), verbose=0, callbacks=[callback]
    )
    root = read(tmp_path)
    content = root.PluginTagToContent("hparams")
    start = hparams_metadata.parse_session_start_info_plugin_data(
        content[hparams_metadata.SESSION_START_INFO_TAG]
    )
    values = {key: getattr(value, value.WhichOneof("kind")) for key, value in start.hparams.items()}
    assert values["units"] == 8 and values["note"] == "baseline" and values["augment"] is False
    assert values["optimizer"] == "SGD" and values["learning_rate"] == 0.05 and values["epochs"] == 2
    assert values["batch_size"] == 8  # (fit passes it to the callbacks' params)
    assert values["loss"] == "sparse_categorical_crossentropy"
    assert values["architecture"] == "Dense(8, relu) > Dropout(rate=0.25) > Dense(3, softmax)"
    assert values["num_layers"] == 3 and values["num_params"] == 4 * 8 + 8 + 8 * 3 + 3
    assert values["dropout"] == 0.25 and values["regularizers"].startswith("dense.kernel: L2(")
    experiment = hparams_metadata.parse_experiment_plugin_data(content[hparams_metadata.EXPERIMENT_TAG])
    assert {info.name for info in experiment.hparam_infos} == set(values)
    metric_tags = [info.name.tag for info in experiment.metric_infos]
    assert metric_tags == ["hparams/loss", "hparams/accuracy", "hparams/val_loss", "hparams/val_accuracy"]
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):  # the final epoch's values
        assert scalars(root, f"hparams/{key}") == [(1, f32([history.history[key][-1]])[0])]
    end = hparams_metadata.parse_session_end_info_plugin_data(content[hparams_metadata.SESSION_END_INFO_TAG])
    assert end.status == 1  # STATUS_SUCCESS


def test_no_hparams_by_default(tmp_path, data):
    x, y, _, _ = data
    classifier().fit(x, y, epochs=1, verbose=0, callbacks=[TensorBoard(tmp_path)])
    assert os.listdir(tmp_path) == ["train"]  # no session run in log_dir itself
    classifier().fit(x, y, epochs=1, verbose=0, callbacks=[TensorBoard(tmp_path / "auto", hparams=True)])
    content = read(tmp_path / "auto").PluginTagToContent("hparams")
    start = hparams_metadata.parse_session_start_info_plugin_data(
        content[hparams_metadata.SESSION_START_INFO_TAG]
    )
    assert {"optimizer", "learning_rate", "epochs", "architecture"} <= set(start.hparams)


# --- PR curves ----------------------------------------------------------------------------------------------
def counts_at(labels, probabilities, index, thresholds=127):
    """TP and FP at threshold index / (thresholds − 1), counted by hand: predicted positive when the
    probability's bucket floor(p · (thresholds − 1)) reaches the index."""
    positive = np.floor(probabilities.astype(np.float64) * (thresholds - 1)) >= index
    return int(np.sum(positive & labels)), int(np.sum(positive & ~labels))


def test_binary_pr_curve_at_train_end(tmp_path):
    rng = np.random.default_rng(4)
    x = rng.normal(size=(80, 2)).astype("float32")
    y = (x[:, 0] + 0.5 * rng.normal(size=80) > 0).astype("float32")
    neurona.utils.set_random_seed(0)
    model = Sequential([Input(shape=(2,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=optimizers.SGD(0.5), loss="binary_crossentropy")
    model.fit(
        x[:50],
        y[:50],
        epochs=3,
        validation_data=(x[50:], y[50:]),
        verbose=0,
        callbacks=[TensorBoard(tmp_path)],
    )
    [event] = read(tmp_path / "validation").Tensors("pr_curve")
    assert event.step == 2  # histogram_freq=0: once, at the end, for the last epoch
    table = np.array(event.tensor_proto.float_val).reshape(6, 127)  # rows TP, FP, TN, FN, precision, recall
    p = model.predict(x[50:], verbose=0)[:, 0]
    labels = y[50:] == 1
    for index in (0, 30, 63, 100):
        tp, fp = counts_at(labels, p, index)
        assert (table[0, index], table[1, index]) == (tp, fp)
        assert (table[2, index], table[3, index]) == (np.sum(~labels) - fp, np.sum(labels) - tp)
        assert table[4, index] == pytest.approx(tp / max(tp + fp, 1e-7), rel=1e-6)
        assert table[5, index] == pytest.approx(tp / np.sum(labels), rel=1e-6)


def test_multiclass_pr_curves_one_vs_rest_every_histogram_epoch(tmp_path, data):
    x, y, x_val, y_val = data
    model = classifier()
    model.fit(
        x,
        y,
        epochs=3,
        validation_data=(x_val, y_val),
        verbose=0,
        callbacks=[TensorBoard(tmp_path, histogram_freq=2)],
    )
    validation = read(tmp_path / "validation")
    p = model.predict(x_val, verbose=0)
    for k in range(3):
        events = validation.Tensors(f"pr_curve/class_{k}")
        assert [event.step for event in events] == [0, 2]
        table = np.array(events[-1].tensor_proto.float_val).reshape(6, 127)
        assert (table[0, 63], table[1, 63]) == counts_at(y_val == k, p[:, k], 63)


def test_no_pr_curves_for_regression_or_when_disabled(tmp_path, data):
    x, y, x_val, y_val = data
    model = Sequential([Input(shape=(4,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(
        x,
        x[:, :1] * 0.3,
        epochs=1,
        validation_data=(x_val, x_val[:, :1]),
        verbose=0,
        callbacks=[TensorBoard(tmp_path / "a")],
    )
    classifier().fit(
        x,
        y,
        epochs=1,
        validation_data=(x_val, y_val),
        verbose=0,
        callbacks=[TensorBoard(tmp_path / "b", pr_curves=False)],
    )
    for run in (tmp_path / "a" / "validation", tmp_path / "b" / "validation"):
        assert read(run).Tags()["tensors"] == []


# --- graph, summary, alerts ---------------------------------------------------------------------------------
def test_graph_and_summary_text(tmp_path, data):
    x, y, _, _ = data
    model = classifier()
    model.fit(x, y, epochs=1, verbose=0, callbacks=[TensorBoard(tmp_path)])
    train = read(tmp_path / "train")
    lines = []
    model.summary(print_fn=lines.append)
    [summary] = train.Tensors("model_summary")
    text = summary.tensor_proto.string_val[0].decode()
    assert text.splitlines() == ["    " + line for line in lines]  # a Markdown code block
    [graph] = train.Tensors("keras")
    config = json.loads(graph.tensor_proto.string_val[0])
    assert config == json.loads(model.to_json())
    nodes = [
        node.name for node in keras_util.keras_model_to_graph_def(config).node
    ]  # what the Graph tab draws
    assert nodes == [f"sequential/{name}" for name in ("input_layer", "dense", "dense_1")]
    classifier().fit(
        x, y, epochs=1, verbose=0, callbacks=[TensorBoard(tmp_path / "nograph", write_graph=False)]
    )
    assert read(tmp_path / "nograph" / "train").Tags()["tensors"] == []


def test_nan_alert_names_epoch_batch_value_and_weight(tmp_path, data):
    x, y, x_val, y_val = data
    model = classifier()

    now = {"epoch": 0}

    def poison(batch, logs):  # after batch 1 of epoch 1, the first kernel becomes NaN
        if now["epoch"] == 1 and batch == 1:
            kernel = model.layers[0].kernel
            kernel.assign(np.full(kernel.shape, np.nan, dtype="float32"))

    track = LambdaCallback(
        on_epoch_begin=lambda epoch, logs: now.update(epoch=epoch), on_train_batch_end=poison
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        model.fit(
            x,
            y,
            epochs=3,
            batch_size=8,
            validation_data=(x_val, y_val),
            verbose=0,
            callbacks=[track, TensorBoard(tmp_path, hparams=True)],
        )
    train = read(tmp_path / "train")
    counts = dict(scalars(train, "alerts/nonfinite"))
    assert counts[0] == 0 and counts[1] >= 2 and counts[2] >= 2  # the loss and the kernel, at least
    [alert] = train.Tensors("alerts")  # new problems only: all of them appear in epoch 1
    assert alert.step == 1
    text = alert.tensor_proto.string_val[0].decode()
    assert "epoch 1, batch 2 (iteration 8): logged value `loss` is nan" in text  # 5 steps in epoch 0 + 3
    assert "weight `dense/kernel` has 20 NaN and 0 inf of 20 values" in text
    content = read(tmp_path).PluginTagToContent("hparams")  # the trial is marked failed
    end = hparams_metadata.parse_session_end_info_plugin_data(content[hparams_metadata.SESSION_END_INFO_TAG])
    assert end.status == 2  # STATUS_FAILURE


def test_subclassed_model_gets_weights_and_gradients_but_no_activations(tmp_path, data):
    x, y, x_val, y_val = data

    class Classifier(Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(4, activation="relu")
            self.out = layers.Dense(3, activation="softmax")

        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))

    model = Classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.warns(UserWarning, match="no layer graph"):
        model.fit(
            x,
            y,
            epochs=1,
            validation_data=(x_val, y_val),
            verbose=0,
            callbacks=[TensorBoard(tmp_path, histogram_freq=1, write_graph=False)],
        )
    tags = read(tmp_path / "train").Tags()
    assert {f"{w.name}/histogram" for w in model.weights} | {
        f"gradients/{w.name}" for w in model.weights
    } == set(tags["histograms"])


# --- arguments, the optional extra, the namespace, the writers ----------------------------------------------
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"histogram_freq": -1},
            ValueError,
            r"`histogram_freq` must be a non-negative integer. Received: histogram_freq=-1",
        ),
        ({"histogram_freq": 1.5}, ValueError, "histogram_freq=1.5"),
        ({"embeddings_freq": True}, ValueError, "embeddings_freq=True"),
        ({"update_freq": 0}, ValueError, r'`update_freq` must be "epoch", "batch" or a positive integer'),
        ({"update_freq": "step"}, ValueError, "update_freq='step'"),
        ({"profile_batch": -2}, ValueError, "profile_batch=-2"),
        ({"profile_batch": (5, 2)}, ValueError, "start <= stop"),
        ({"profile_batch": "a,b"}, ValueError, "profile_batch='a,b'"),
        ({"write_graph": "yes"}, TypeError, "`write_graph` must be True or False"),
        ({"pr_curves": 1}, TypeError, "pr_curves=1"),
        ({"log_dir": 3}, TypeError, "`log_dir` must be a path"),
        ({"activation_samples": 0}, ValueError, "`activation_samples` must be a positive integer"),
        ({"embeddings_samples": -5}, ValueError, "embeddings_samples=-5"),
        ({"embeddings_layer": 1.0}, TypeError, "`embeddings_layer` must be a layer name"),
        ({"embeddings_metadata": 5}, TypeError, "`embeddings_metadata` must be a path"),
        ({"hparams": ["lr"]}, TypeError, "`hparams` must be None, True"),
        ({"hparams": {"lr": [0.1]}}, TypeError, r"hparams\['lr'\]=\[0.1\]"),
        ({"hparams": {1: 0.1}}, TypeError, "keys must be non-empty strings"),
        ({"seed": "0"}, TypeError, "`seed` must be an integer"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        TensorBoard(**{"log_dir": "logs", **kwargs})


def test_profile_batch_is_accepted_and_ignored_with_one_warning():
    with pytest.warns(UserWarning, match="profiling needs TensorFlow"):
        TensorBoard("logs", profile_batch=(2, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        TensorBoard("logs", profile_batch=0)


def test_missing_tensorboardx_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)  # `import tensorboardX` now fails
    with pytest.raises(ImportError, match=r'pip install "neurona\[tensorboard\]"'):
        TensorBoard("logs")


def test_keras_namespace_and_signature():
    import neurona as tf

    assert tf.keras.callbacks.TensorBoard is TensorBoard
    callback = tf.keras.callbacks.TensorBoard()
    assert (callback.log_dir, callback.histogram_freq, callback.write_graph, callback.write_images) == (
        "logs",
        0,
        True,
        False,
    )
    assert (callback.update_freq, callback.profile_batch, callback.embeddings_freq) == ("epoch", 0, 0)
    assert TensorBoard("x", update_freq="batch").update_freq == 1  # as Keras


def test_writers_flushed_each_epoch_closed_at_the_end_and_end_is_idempotent(tmp_path, data):
    x, y, _, _ = data

    def fail(epoch, logs):
        if epoch == 1:
            raise RuntimeError("boom")

    callback = TensorBoard(tmp_path)
    callback.on_train_end()  # before any training: nothing to do
    with pytest.raises(RuntimeError, match="boom"):
        classifier().fit(x, y, epochs=3, verbose=0, callbacks=[callback, LambdaCallback(on_epoch_end=fail)])
    # fit stopped by an exception (no on_train_end): epochs 0 and 1 were flushed at their end
    assert [step for step, _ in scalars(read(tmp_path / "train"), "epoch_loss")] == [0, 1]
    callback.on_train_end()
    assert callback._writers == {}
    callback.on_train_end()
    model = classifier()
    model.fit(x, y, epochs=1, verbose=0, callbacks=[callback])
    assert callback._writers == {}  # closed by on_train_end


def test_evaluate_with_the_callback_writes_evaluation_vs_iterations(tmp_path, data):
    x, y, x_val, y_val = data
    model = classifier()
    callback = TensorBoard(tmp_path)
    model.fit(x, y, epochs=2, batch_size=10, verbose=0, callbacks=[callback])
    loss = model.evaluate(x_val, y_val, verbose=0, return_dict=True, callbacks=[callback])["loss"]
    assert scalars(read(tmp_path / "validation"), "evaluation_loss_vs_iterations") == [(8, f32([loss])[0])]
    assert callback._writers == {}


def test_documentation_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (Path(__file__).resolve().parents[2] / "docs" / "tensorboard.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "docs/tensorboard.md", "exec"), namespace)  # noqa: S102 - our own documentation
    runs = tmp_path / "logs" / "fit"
    assert sorted(os.listdir(runs)) == ["lr_0.01", "lr_0.05", "lr_0.2"]
    for run in runs.iterdir():
        assert {"train", "validation"} <= set(os.listdir(run))
        embeddings = projector_config(run / "train").embeddings  # the 16-unit layer, 120 validation points
        assert [(e.tensor_name[-5:], list(e.tensor_shape)) for e in embeddings] == [
            ("00000", [120, 16]),
            ("00005", [120, 16]),
        ]
        assert "_hparams_/session_start_info" in read(run).PluginTagToContent("hparams")
