"""The closed registry: every neurona class round-trips through its config, user classes resolve only
when registered (or passed in custom_objects), and code-bearing names never resolve."""

import numpy as np
import pytest
from saving_helpers import make

import neurona as nn
from neurona import layers, losses, metrics
from neurona.saving import (
    ModelFileError,
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    registry,
    serialize_keras_object,
)


def every_class():
    for category in registry.CATEGORIES:
        seen = set()
        for name, cls in sorted(registry.builtin_classes(category).items()):
            if cls not in seen:
                seen.add(cls)
                yield pytest.param(category, cls, id=f"{category}-{name}")


@pytest.mark.parametrize("category, cls", list(every_class()))
def test_every_builtin_round_trips_through_its_config(category, cls):
    obj = make(cls, category)
    entry = serialize_keras_object(obj)
    assert entry["class_name"] in registry.builtin_classes(category)
    assert "registered_name" not in entry and "module" not in entry
    clone = deserialize_keras_object(entry, category)
    assert type(clone) is type(obj)
    assert serialize_keras_object(clone) == entry
    if cls not in (losses.LossFunctionWrapper, metrics.MeanMetricWrapper):  # they hold a function object
        assert cls.from_config(obj.get_config()).get_config() == obj.get_config()


def test_registry_covers_every_public_class():
    # read from each module's __all__ at lookup time: the families other modules add show up here
    assert {"Dense", "Dropout", "Flatten", "Functional", "Sequential"} <= set(
        registry.builtin_classes("layer")
    )
    assert {"Adam", "SGD"} <= set(registry.builtin_classes("optimizer"))
    assert {"CosineDecay"} <= set(registry.builtin_classes("schedule"))
    assert {"NonNeg", "MaxNorm"} <= set(registry.builtin_classes("constraint"))
    assert {"L2", "L1L2"} <= set(registry.builtin_classes("regularizer"))
    assert {"GlorotUniform", "Zeros"} <= set(registry.builtin_classes("initializer"))
    assert {"Huber"} <= set(registry.builtin_classes("loss")) and {"AUC"} <= set(
        registry.builtin_classes("metric")
    )
    for category in registry.CATEGORIES:  # abstract bases are not loadable classes
        assert registry._CATEGORIES[category][1] not in registry.builtin_classes(category).values()


def test_a_class_added_to_a_public_module_is_picked_up_at_lookup(monkeypatch):
    class Probe(layers.Layer):
        pass

    monkeypatch.setattr(layers, "Probe", Probe, raising=False)
    monkeypatch.setattr(layers, "__all__", [*layers.__all__, "Probe"])
    assert registry.resolve_class("Probe", "layer") is Probe
    monkeypatch.undo()
    with pytest.raises(ModelFileError, match="Unknown layer class 'Probe'"):
        registry.resolve_class("Probe", "layer")


def test_a_registered_lambda_named_class_is_still_never_a_builtin(monkeypatch):
    class Lambda(layers.Layer):  # if neurona ever grew a Lambda layer, files still could not name it
        pass

    monkeypatch.setattr(layers, "Lambda", Lambda, raising=False)
    monkeypatch.setattr(layers, "__all__", [*layers.__all__, "Lambda"])
    assert "Lambda" not in registry.builtin_classes("layer")
    with pytest.raises(ModelFileError, match="wraps Python code"):
        registry.resolve_class("Lambda", "layer")


# --- user classes ----------------------------------------------------------------------------------------
@register_keras_serializable(package="Tests")
class ScaleLayer(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@register_keras_serializable(package="Tests", name="half_relu")
def half_relu(x):
    return nn.activations.relu(x) * 0.5


@register_keras_serializable(package="Tests")
class OnesLike(nn.initializers.Initializer):
    def __call__(self, shape, dtype=None):
        return np.ones(shape, dtype=dtype or "float32")


def test_register_names_and_lookups():
    assert get_registered_name(ScaleLayer) == "Tests>ScaleLayer"
    assert get_registered_name(half_relu) == "Tests>half_relu"
    assert get_registered_object("Tests>ScaleLayer") is ScaleLayer
    assert get_registered_object("ScaleLayer", custom_objects={"ScaleLayer": int}) is int
    assert get_registered_name(layers.Dense) == "Dense"
    entry = serialize_keras_object(ScaleLayer(3.0, name="s"))
    assert entry["class_name"] == "ScaleLayer" and entry["registered_name"] == "Tests>ScaleLayer"
    clone = deserialize_keras_object(entry, "layer")
    assert isinstance(clone, ScaleLayer) and clone.factor == 3.0


def test_registering_twice_under_one_name_is_refused():
    with pytest.raises(ValueError, match="already registered"):

        @register_keras_serializable(package="Tests", name="ScaleLayer")
        class Other(layers.Layer):
            pass


def test_register_checks_its_arguments():
    with pytest.raises(ValueError, match="package"):
        register_keras_serializable(package="a>b")
    with pytest.raises(TypeError, match="no get_config"):
        register_keras_serializable(package="Tests")(type("NoConfig", (), {}))


def test_user_objects_nested_in_a_layer_config_resolve():
    layer = layers.Dense(2, activation=half_relu, kernel_initializer=OnesLike())
    layer(np.ones((1, 3), dtype="float32"))
    entry = serialize_keras_object(layer)
    clone = deserialize_keras_object(entry, "layer")
    assert clone.activation is half_relu
    assert isinstance(clone.kernel_initializer, OnesLike)


def test_unregistered_classes_save_by_name_and_load_only_with_custom_objects():
    class Free(layers.Layer):
        pass

    entry = serialize_keras_object(Free(name="free"))
    assert entry["class_name"] == "Free" and "registered_name" not in entry
    with pytest.raises(ModelFileError, match="custom_objects"):
        deserialize_keras_object(entry, "layer")
    assert isinstance(deserialize_keras_object(entry, "layer", custom_objects={"Free": Free}), Free)

    class Dense(layers.Layer):  # would load as neurona's Dense: refused at save time
        pass

    with pytest.raises(ValueError, match="taken by a neurona class"):
        serialize_keras_object(Dense())
    with pytest.raises(ValueError, match="register_keras_serializable"):
        serialize_keras_object(lambda x: x)


def test_custom_objects_resolve_an_unregistered_class():
    class Local(layers.Layer):
        pass

    entry = {"class_name": "Local", "config": {"name": "local"}}
    with pytest.raises(ModelFileError, match="custom_objects"):
        deserialize_keras_object(entry, "layer")
    assert isinstance(deserialize_keras_object(entry, "layer", custom_objects={"Local": Local}), Local)


def test_a_class_of_the_wrong_kind_is_refused():
    with pytest.raises(ModelFileError, match="Unknown loss class 'Dense'"):
        deserialize_keras_object({"class_name": "Dense", "config": {"units": 2}}, "loss")


def test_rebuild_errors_are_model_file_errors():
    with pytest.raises(ModelFileError, match="Could not rebuild a Dense"):
        deserialize_keras_object({"class_name": "Dense", "config": {"units": -3}}, "layer")
    with pytest.raises(ModelFileError, match="Unknown"):
        deserialize_keras_object(
            {"class_name": "Dense", "config": {"units": 2, "activation": "os.system"}}, "layer"
        )
