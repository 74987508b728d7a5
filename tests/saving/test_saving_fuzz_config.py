"""The loader under attack, config level: configs and compile settings naming modules, functions,
lambdas and code-wrapping classes, unknown classes, hostile JSON, configs declaring huge layers. Every
case ends in `ModelFileError`, nothing executes (the `watch` fixture), memory stays bounded."""

import base64
import json
import marshal
import tracemalloc

import pytest
from saving_helpers import keras_bytes, refused

from neurona.models import model_from_json
from neurona.saving import LoadLimits, ModelFileError


def test_a_config_declaring_huge_layers_is_refused_before_allocating(tmp_path, valid, watch):
    _, parts = valid
    config = json.loads(parts["config.json"])
    config["config"]["layers"][1]["config"]["units"] = 10**9  # 3 × 10^9 floats: 12 GB
    huge_input = json.loads(parts["config.json"])
    huge_input["config"]["layers"][0]["config"]["batch_shape"] = [None, 10**6, 10**6]
    tracemalloc.start()
    try:
        refused(tmp_path, keras_bytes(parts, config=config), match="needs 12000000000 bytes")
        refused(tmp_path, keras_bytes(parts, config=huge_input), match="declares an input of shape")
        with pytest.raises(ModelFileError):
            model_from_json(json.dumps(config))  # over LoadLimits.max_weight_bytes
        with pytest.raises(ModelFileError, match="max_weight_bytes"):
            config["config"]["layers"][1]["config"]["units"] = 2**20  # 12 MiB: under the default, over this
            model_from_json(json.dumps(config), limits=LoadLimits(max_weight_bytes=2**20))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20


def test_unknown_classes_are_refused(tmp_path, valid, watch):
    _, parts = valid
    config = json.loads(parts["config.json"])
    config["config"]["layers"][1]["class_name"] = "EvilLayer"
    refused(tmp_path, keras_bytes(parts, config=config), match="Unknown class 'EvilLayer'")
    config = json.loads(parts["config.json"])
    config["compile_config"]["optimizer"]["class_name"] = "Dense"
    refused(tmp_path, keras_bytes(parts, config=config), match="Unknown optimizer class 'Dense'")


CODE_CONFIGS = {
    "dotted class": (
        {"class_name": "os.system", "config": {"command": "touch /tmp/pwned"}},
        "dotted module path",
    ),
    "builtins.eval": ({"class_name": "builtins.eval", "config": {}}, "never imports modules"),
    "module key": ({"module": "os", "class_name": "system", "config": {}}, "names Python code"),
    "keras module key": ({"module": "keras.layers", "class_name": "Dense", "config": {"units": 1}}, "module"),
    "fn_module": ({"class_name": "Dense", "config": {"units": 1}, "fn_module": "os"}, "fn_module"),
    "lambda bytecode": (
        {
            "class_name": "__lambda__",
            "config": {"value": base64.b64encode(marshal.dumps(compile("1", "x", "eval").co_code)).decode()},
        },
        "serialized Python code",
    ),
    "function object": ({"class_name": "function", "config": "system", "module": "os"}, "Python code"),
    "Lambda layer": (
        {
            "class_name": "Lambda",
            "config": {"function": {"class_name": "__lambda__", "config": {"value": "AA=="}}},
        },
        "serialized Python code|wraps Python code",
    ),
    "Lambda layer by name": (
        {"class_name": "Lambda", "config": {"function": "os.system"}},
        "wraps Python code",
    ),
    "TFSMLayer": ({"class_name": "TFSMLayer", "config": {"filepath": "/etc/passwd"}}, "wraps Python code"),
    "registered gadget": (
        {"class_name": "get_file", "registered_name": "keras.utils>get_file", "config": {}},
        "not registered",
    ),
    "activation os.system": (
        {"class_name": "Dense", "config": {"units": 1, "activation": "os.system"}},
        "Unknown activation",
    ),
    "activation dotted canary": (
        {"class_name": "Dense", "config": {"units": 1, "activation": "saving_helpers.canary"}},
        "Unknown activation",
    ),
    "initializer Popen": (
        {
            "class_name": "Dense",
            "config": {
                "units": 1,
                "kernel_initializer": {"class_name": "subprocess.Popen", "config": {"args": ["id"]}},
            },
        },
        "dotted module path",
    ),
}


@pytest.mark.parametrize("layer", list(CODE_CONFIGS.values()), ids=list(CODE_CONFIGS))
def test_configs_naming_code_are_refused(tmp_path, valid, watch, layer):
    _, parts = valid
    entry, message = layer
    config = json.loads(parts["config.json"])
    config["config"]["layers"].insert(1, {**entry, "name": "evil", "inbound_nodes": []})
    refused(tmp_path, keras_bytes(parts, config=config), match=message)
    refused(tmp_path, keras_bytes(parts, config=config), match=message, safe_mode=False)  # no unsafe mode
    with pytest.raises(ModelFileError, match=message):
        model_from_json(json.dumps(config))


@pytest.mark.parametrize(
    "where, value",
    [
        ("loss", "builtins.eval"),
        ("loss", {"class_name": "LossFunctionWrapper", "config": {"fn": "builtins.exec", "name": "x"}}),
        ("loss", "Custom>not_registered"),
        ("metrics", ["os.system"]),
        ("optimizer", {"class_name": "subprocess.Popen", "config": {}}),
        (
            "optimizer",
            {"class_name": "SGD", "config": {"learning_rate": {"class_name": "os.system", "config": {}}}},
        ),
    ],
)
def test_compile_settings_naming_code_are_refused(tmp_path, valid, watch, where, value):
    _, parts = valid
    config = json.loads(parts["config.json"])
    config["compile_config"][where] = value
    refused(tmp_path, keras_bytes(parts, config=config))


@pytest.mark.parametrize(
    "text, message",
    [
        ("[" * 100_000 + "]" * 100_000, "nested"),
        ('{"class_name": "Dense", "config": {"units": NaN}}', "non-finite"),
        ('{"class_name": "Dense", "class_name": "Lambda", "config": {}}', "twice"),
        ('{"class_name": "Dense", "config": {"name": "' + "x" * 70_000 + '"}}', "longer than"),
        (b"\xff\xfe{}", "UTF-8"),
        ("{not json", "not valid JSON"),
        ('{"class_name": 5}', "must be a string"),
    ],
)
def test_hostile_json_configs(watch, text, message):
    with pytest.raises(ModelFileError, match=message):
        model_from_json(text)


def test_metadata_must_say_neurona(tmp_path, valid, watch):
    _, parts = valid
    refused(tmp_path, keras_bytes(parts, metadata={"keras_version": "3.15.1"}), match="written by Keras")
    refused(
        tmp_path, keras_bytes(parts, metadata={"format": "neurona", "format_version": 99}), match="Upgrade"
    )
    refused(tmp_path, keras_bytes(parts, metadata=["format"]), match="JSON object")
