"""Functional and Sequential configs: the graph is data (layers, nodes, tensor references), and
`from_config` replays it into an equal model, shared layers and nested models included."""

import numpy as np
import pytest

import neurona as nn
from neurona import layers
from neurona.models import load_model, model_from_json
from neurona.saving import ModelFileError


def same_predictions(a, b, x):
    out_a, out_b = a.predict(x, verbose=0), b.predict(x, verbose=0)
    if isinstance(out_a, dict):
        assert out_a.keys() == out_b.keys()
        out_a, out_b = list(out_a.values()), list(out_b.values())
    for left, right in zip(
        out_a if isinstance(out_a, list) else [out_a], out_b if isinstance(out_b, list) else [out_b]
    ):
        np.testing.assert_array_equal(left, right)


def clone_with_weights(model):
    clone = type(model).from_config(model.get_config())
    clone.set_weights(model.get_weights())
    return clone


def test_functional_config_layout():
    inputs = nn.Input(shape=(3,), name="x")
    hidden = layers.Dense(4, name="hidden")(inputs)
    model = nn.Model(inputs, layers.Dense(1, name="out")(hidden), name="tiny")
    config = model.get_config()
    assert config["name"] == "tiny"
    assert config["input_layers"] == ["x", 0, 0]
    assert config["output_layers"] == ["out", 0, 0]
    assert [entry["name"] for entry in config["layers"]] == ["x", "hidden", "out"]
    assert config["layers"][0]["inbound_nodes"] == []
    node = config["layers"][2]["inbound_nodes"][0]
    assert node["args"] == [{"class_name": "__keras_tensor__", "config": {"keras_history": ["hidden", 0, 0]}}]


def test_shared_layers_keep_one_set_of_weights():
    a, b = nn.Input(shape=(4,), name="a"), nn.Input(shape=(4,), name="b")
    shared = layers.Dense(3, activation="tanh", name="shared")
    merged = layers.Concatenate(name="merge")([shared(a), shared(b)])
    model = nn.Model([a, b], layers.Dense(1, name="head")(merged))
    config = model.get_config()
    shared_entry = next(e for e in config["layers"] if e["name"] == "shared")
    assert len(shared_entry["inbound_nodes"]) == 2
    merge_args = next(e for e in config["layers"] if e["name"] == "merge")["inbound_nodes"][0]["args"][0]
    assert [t["config"]["keras_history"] for t in merge_args] == [["shared", 0, 0], ["shared", 1, 0]]
    clone = clone_with_weights(model)
    assert len(clone.weights) == len(model.weights) == 4
    x = [np.random.default_rng(0).normal(size=(5, 4)).astype("float32") for _ in range(2)]
    same_predictions(model, clone, x)
    assert clone.get_config() == config


def test_nested_models_and_dict_outputs(tmp_path):
    inner_in = nn.Input(shape=(4,), name="inner_in")
    inner = nn.Model(
        inner_in, layers.Dense(3, activation="relu", name="inner_dense")(inner_in), name="encoder"
    )
    seq = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(2, name="seq_dense")], name="head_stack")
    inputs = nn.Input(shape=(4,), name="outer_in")
    encoded = inner(inputs)
    twice = inner(layers.Activation("tanh", name="squash")(inputs))  # the nested model is shared too
    model = nn.Model(
        inputs,
        {"head": seq(encoded), "sum": layers.Add(name="add")([encoded, twice])},
        name="outer",
    )
    x = np.random.default_rng(1).normal(size=(6, 4)).astype("float32")
    clone = clone_with_weights(model)
    same_predictions(model, clone, x)
    model.save(tmp_path / "nested.keras")
    loaded = load_model(tmp_path / "nested.keras")
    same_predictions(model, loaded, x)
    assert loaded.get_layer("encoder").get_config() == inner.get_config()
    assert model_from_json(model.to_json()).get_config() == model.get_config()


def test_sequential_config_round_trip():
    model = nn.Sequential(
        [nn.Input(shape=(5,)), layers.Dense(4, activation="relu"), layers.Dropout(0.1), layers.Dense(2)],
        name="stack",
    )
    config = model.get_config()
    assert [entry["class_name"] for entry in config["layers"]] == ["InputLayer", "Dense", "Dropout", "Dense"]
    clone = clone_with_weights(model)
    assert clone.get_config() == config
    same_predictions(model, clone, np.ones((2, 5), dtype="float32"))


def test_a_sequential_built_on_data_rebuilds():
    model = nn.Sequential([layers.Dense(3), layers.Dense(1)])
    model(np.ones((2, 7), dtype="float32"))
    clone = clone_with_weights(model)
    same_predictions(model, clone, np.ones((2, 7), dtype="float32"))


def test_layer_names_must_be_unique_to_save_a_functional_model():
    inputs = nn.Input(shape=(2,))
    model = nn.Model(inputs, layers.Dense(1, name="d")(layers.Dense(2, name="d")(inputs)))
    with pytest.raises(ValueError, match="two layers named 'd'"):
        model.get_config()


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda c: c["layers"][2]["inbound_nodes"][0]["args"][0]["config"].update(
                keras_history=["nope", 0, 0]
            ),
            "no layer produces",
        ),
        (
            lambda c: c["layers"][2]["inbound_nodes"][0]["args"][0]["config"].update(
                keras_history=["hidden", 0, 5]
            ),
            "has 1",
        ),
        (lambda c: c.update(output_layers=["ghost", 0, 0]), "no layer produces"),
        (lambda c: c["layers"].append(dict(c["layers"][1])), "twice"),
        (lambda c: c.update(layers="dense"), "list of `layers`"),
    ],
)
def test_a_tampered_graph_is_refused(edit, message):
    inputs = nn.Input(shape=(3,), name="x")
    model = nn.Model(inputs, layers.Dense(1, name="out")(layers.Dense(4, name="hidden")(inputs)))
    config = model.get_config()
    edit(config)
    with pytest.raises(ModelFileError, match=message):
        nn.Model.from_config(config)
