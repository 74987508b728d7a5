"""Behaviour shared by every optimizer (keras-api.md §1.2, golden-values.md §4): apply/apply_gradients/
minimize, weight decay, clipping, argument validation, `None` gradients, iterations, config round trip,
`optimizers.get`, and assignable / callable learning rates."""

import math

import numpy as np
import pytest

import neurona
from neurona import optimizers
from neurona.optimizers import SGD, Adam, RMSprop


def _var(values, name=None):
    return neurona.Variable(np.array(values, dtype="float64"), dtype="float64", name=name)


# --- the three ways to apply gradients ------------------------------------------------------------------
def test_apply_and_apply_gradients_agree():
    # SGD(0.5): θ = [1, 2] - 0.5·[1, 4] = [0.5, 0.0]; ψ = [3] - 0.5·[-2] = [4]
    a1, b1 = _var([1.0, 2.0]), _var([3.0])
    a2, b2 = _var([1.0, 2.0]), _var([3.0])
    grads = [np.array([1.0, 4.0]), np.array([-2.0])]
    SGD(0.5).apply_gradients(zip(grads, [a1, b1]))
    SGD(0.5).apply(grads, [a2, b2])
    for got in (a1, a2):
        np.testing.assert_allclose(got.numpy(), [0.5, 0.0])
    for got in (b1, b2):
        np.testing.assert_allclose(got.numpy(), [4.0])


def test_apply_accepts_tensor_gradients():
    var = _var([1.0])
    SGD(0.5).apply([neurona.constant(np.array([2.0]))], [var])  # 1 - 0.5·2 = 0
    np.testing.assert_allclose(var.numpy(), [0.0])


def test_minimize_course_example():
    # loss = var²/2, d loss/d var = var = 1; SGD(0.1): 1 - 0.1·1 = 0.9
    var = neurona.Variable(1.0)
    opt = SGD(learning_rate=0.1)
    returned = opt.minimize(lambda: (var**2) / 2.0, [var])
    assert returned is opt.iterations
    assert int(np.asarray(returned)) == 1
    assert float(var.numpy()) == pytest.approx(0.9, abs=1e-7)
    # second step: 0.9 - 0.1·0.9 = 0.81
    opt.minimize(lambda: (var**2) / 2.0, [var])
    assert float(var.numpy()) == pytest.approx(0.81, abs=1e-6)
    assert int(np.asarray(opt.iterations)) == 2


def test_minimize_with_tape_and_tensor_loss():
    var = _var([2.0])
    opt = SGD(0.25)
    with neurona.GradientTape() as tape:
        loss = neurona.ops.sum(var * var)  # d/dvar = 2·var = 4 → 2 - 0.25·4 = 1
    opt.minimize(loss, [var], tape=tape)
    np.testing.assert_allclose(var.numpy(), [1.0])


# --- iterations -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [SGD, Adam, RMSprop])
def test_iterations_count_applies(cls):
    opt = cls()
    var = _var([1.0, 2.0])
    assert int(np.asarray(opt.iterations)) == 0
    opt.apply_gradients([(np.array([1.0, 1.0]), var)])
    assert int(np.asarray(opt.iterations)) == 1
    opt.apply_gradients([(np.array([1.0, 1.0]), var)])
    assert int(np.asarray(opt.iterations)) == 2


# --- weight decay (decoupled: θ ← θ − θ·wd·lr) -----------------------------------------------------------
@pytest.mark.parametrize(
    "cls",
    [SGD, Adam, RMSprop]
    + [
        getattr(neurona.optimizers, name)
        for name in ("AdamW", "Adadelta", "Adagrad", "Adamax", "Nadam", "Lion")
    ],
)
def test_weight_decay_keras_case(cls):
    # Keras's test_weight_decay, per optimizer class: three optimizers in sequence, zero gradients,
    # lr 1, wd 0.004 → 2·(1 − 0.004)³ = 1.9760959; excluded variables stay exactly 2.
    grads = np.zeros((), dtype="float32")
    var1 = neurona.Variable(2.0)
    var2 = neurona.Variable(2.0, name="exclude")
    var3 = neurona.Variable(2.0)

    opt1 = cls(learning_rate=1.0, weight_decay=0.004)
    opt1.apply_gradients(zip([grads], [var1]))

    opt2 = cls(learning_rate=1.0, weight_decay=0.004)
    opt2.exclude_from_weight_decay(var_names=["exclude"])
    opt2.apply_gradients(zip([grads, grads], [var1, var2]))

    opt3 = cls(learning_rate=1.0, weight_decay=0.004)
    opt3.exclude_from_weight_decay(var_list=[var3])
    opt3.apply_gradients(zip([grads, grads], [var1, var3]))

    np.testing.assert_almost_equal(float(var1.numpy()), 1.9760959, decimal=6)
    assert float(var2.numpy()) == 2.0
    assert float(var3.numpy()) == 2.0


def test_weight_decay_sgd_adam_rmsprop_in_sequence():
    # SGD, then Adam, then RMSprop: each update of a zero gradient is 0, so only the decay acts:
    # 2 → 1.992 → 1.984032 → 1.9760959 (= 2·0.996³)
    grads = np.zeros((), dtype="float32")
    var = neurona.Variable(2.0)
    excluded_by_name = neurona.Variable(2.0, name="exclude_me")
    excluded_by_ref = neurona.Variable(2.0)
    for cls in (SGD, Adam, RMSprop):
        opt = cls(learning_rate=1.0, weight_decay=0.004)
        opt.exclude_from_weight_decay(var_list=[excluded_by_ref], var_names=["exclude"])
        opt.apply_gradients(zip([grads] * 3, [var, excluded_by_name, excluded_by_ref]))
    np.testing.assert_almost_equal(float(var.numpy()), 1.9760959, decimal=6)
    assert float(excluded_by_name.numpy()) == 2.0
    assert float(excluded_by_ref.numpy()) == 2.0


def test_weight_decay_uses_learning_rate_and_precedes_update():
    # SGD(lr 0.5, wd 0.1), θ = 2, g = 1: decay first θ = 2 − 2·0.1·0.5 = 1.9, then 1.9 − 0.5·1 = 1.4
    # (decaying after the step would give (2 − 0.5)·0.95 = 1.425)
    var = _var([2.0])
    SGD(0.5, weight_decay=0.1).apply_gradients([(np.array([1.0]), var)])
    np.testing.assert_allclose(var.numpy(), [1.4], atol=1e-7)


def test_no_weight_decay_by_default():
    var = _var([2.0])
    SGD(1.0).apply_gradients([(np.array([0.0]), var)])
    assert var.numpy()[0] == 2.0


# --- clipping (checked through SGD lr=1 from 0: var change = −clipped gradient) --------------------------
def _applied(opt, grads):
    variables = [_var(np.zeros_like(g)) for g in grads]
    opt.apply_gradients(zip([np.array(g, dtype="float64") for g in grads], variables))
    return [-v.numpy() for v in variables]


def test_clipnorm():
    # ‖[100, 100]‖ = 141.42 > 1 → [100, 100]/141.42 = [√2/2, √2/2]
    (got,) = _applied(SGD(1.0, clipnorm=1), [[100.0, 100.0]])
    np.testing.assert_allclose(got, [math.sqrt(2) / 2] * 2, atol=1e-7)


def test_clipnorm_leaves_small_gradients_and_clips_each_variable_alone():
    # [0.3, 0.4] has norm 0.5 ≤ 1: unchanged; [3, 4] has norm 5: → [0.6, 0.8] on its own
    small, large = _applied(SGD(1.0, clipnorm=1.0), [[0.3, 0.4], [3.0, 4.0]])
    np.testing.assert_allclose(small, [0.3, 0.4], atol=1e-7)
    np.testing.assert_allclose(large, [0.6, 0.8], atol=1e-7)


def test_clipvalue():
    (got,) = _applied(SGD(1.0, clipvalue=1), [[100.0, 100.0]])
    np.testing.assert_allclose(got, [1.0, 1.0], atol=1e-7)
    (got,) = _applied(SGD(1.0, clipvalue=0.5), [[-3.0, 0.2, 0.7]])
    np.testing.assert_allclose(got, [-0.5, 0.2, 0.5], atol=1e-7)


def test_global_clipnorm():
    # [50, 100] / ‖[50, 100]‖ = [50, 100]/111.8034 = [0.4472136, 0.8944272]
    (got,) = _applied(SGD(1.0, global_clipnorm=1), [[50.0, 100.0]])
    np.testing.assert_allclose(got, np.array([50.0, 100.0]) / math.sqrt(50**2 + 100**2), atol=1e-7)
    np.testing.assert_allclose(got, [0.4472136, 0.8944272], atol=1e-7)


def test_global_clipnorm_uses_the_joint_norm():
    # [3] and [4]: joint norm 5 → scale 1/5 → [0.6] and [0.8] (per-variable clipnorm would leave 1 and 1)
    a, b = _applied(SGD(1.0, global_clipnorm=1.0), [[3.0], [4.0]])
    np.testing.assert_allclose(a, [0.6], atol=1e-7)
    np.testing.assert_allclose(b, [0.8], atol=1e-7)
    a, b = _applied(SGD(1.0, clipnorm=1.0), [[3.0], [4.0]])
    np.testing.assert_allclose(a, [1.0], atol=1e-7)
    np.testing.assert_allclose(b, [1.0], atol=1e-7)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"clipnorm": 1.0, "clipvalue": 1.0},
        {"clipnorm": 1.0, "global_clipnorm": 1.0},
        {"clipvalue": 1.0, "global_clipnorm": 1.0},
        {"clipnorm": 1.0, "clipvalue": 1.0, "global_clipnorm": 1.0},
    ],
)
@pytest.mark.parametrize("cls", [SGD, Adam, RMSprop])
def test_only_one_clip_option(cls, kwargs):
    with pytest.raises(ValueError, match="Only one of"):
        cls(**kwargs)


# --- validation -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("momentum", [-1.0, 2.0])
def test_sgd_momentum_out_of_range(momentum):
    with pytest.raises(ValueError, match=r"`momentum` must be a float between \[0, 1\]"):
        SGD(momentum=momentum)


# --- None gradients ---------------------------------------------------------------------------------------
def test_all_none_gradients_raise():
    var = _var([1.0])
    with pytest.raises(ValueError, match="No gradients provided for any variable."):
        SGD(0.1).apply_gradients([(None, var)])
    with pytest.raises(ValueError, match="No gradients provided for any variable."):
        SGD(0.1).apply([None, None], [var, _var([2.0])])
    assert var.numpy()[0] == 1.0


def test_mixed_none_gradients_warn_and_skip():
    updated, untouched = _var([1.0, 2.0]), _var([5.0])
    opt = SGD(0.5)
    with pytest.warns(UserWarning):
        opt.apply_gradients([(np.array([1.0, 2.0]), updated), (None, untouched)])
    np.testing.assert_allclose(updated.numpy(), [0.5, 1.0])  # [1, 2] − 0.5·[1, 2]
    assert untouched.numpy()[0] == 5.0
    assert int(np.asarray(opt.iterations)) == 1


# --- config -----------------------------------------------------------------------------------------------
CONFIG_CASES = [
    (
        SGD,
        dict(learning_rate=0.05, momentum=0.7, nesterov=True, clipnorm=2.0, weight_decay=0.01, name="my_sgd"),
    ),
    (
        Adam,
        dict(
            learning_rate=0.02,
            beta_1=0.8,
            beta_2=0.99,
            epsilon=1e-5,
            amsgrad=True,
            clipvalue=0.5,
            name="my_adam",
        ),
    ),
    (
        RMSprop,
        dict(
            learning_rate=0.03,
            rho=0.8,
            momentum=0.5,
            epsilon=1e-4,
            centered=True,
            global_clipnorm=3.0,
            weight_decay=0.002,
            name="my_rmsprop",
        ),
    ),
]


@pytest.mark.parametrize("cls,kwargs", CONFIG_CASES, ids=["sgd", "adam", "rmsprop"])
def test_config_round_trip(cls, kwargs):
    opt = cls(**kwargs)
    config = opt.get_config()
    for key, value in kwargs.items():
        if isinstance(value, float):
            assert config[key] == pytest.approx(value, rel=1e-6), key
        else:
            assert config[key] == value, key
    clone = cls.from_config(config)
    assert type(clone) is cls
    assert clone.get_config() == config
    # and the clone updates exactly like the original for three steps
    a, b = _var([1.0, -2.0, 3.0]), _var([1.0, -2.0, 3.0])
    for g in ([1.0, 2.0, -3.0], [0.5, -0.5, 4.0], [-1.0, 0.0, 2.0]):
        opt.apply_gradients([(np.array(g), a)])
        clone.apply_gradients([(np.array(g), b)])
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.allclose(a.numpy(), [1.0, -2.0, 3.0])


def test_serialize_deserialize_round_trip():
    opt = Adam(learning_rate=0.02, beta_1=0.8)
    clone = optimizers.deserialize(optimizers.serialize(opt))
    assert isinstance(clone, Adam)
    assert clone.get_config() == opt.get_config()


# --- get --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name,cls", [("adam", Adam), ("SGD", SGD), ("sgd", SGD), ("rmsprop", RMSprop), ("RMSprop", RMSprop)]
)
def test_get_by_name(name, cls):
    opt = optimizers.get(name)
    assert type(opt) is cls


def test_get_defaults():
    assert float(np.asarray(optimizers.get("sgd").learning_rate)) == pytest.approx(0.01)
    assert float(np.asarray(optimizers.get("adam").learning_rate)) == pytest.approx(0.001)
    assert float(np.asarray(optimizers.get("rmsprop").learning_rate)) == pytest.approx(0.001)


def test_get_instance_passthrough():
    opt = SGD()
    assert optimizers.get(opt) is opt


def test_get_unknown_lists_valid_names():
    with pytest.raises(ValueError) as info:
        optimizers.get("adamz")
    message = str(info.value)
    assert "adamz" in message
    for name in ("adam", "rmsprop", "sgd"):
        assert name in message


# --- learning rate ----------------------------------------------------------------------------------------
def test_learning_rate_attribute_assignment():
    opt = SGD(0.1)
    var = _var([0.0])
    opt.learning_rate = 0.5
    opt.apply_gradients([(np.array([1.0]), var)])  # 0 − 0.5·1 = −0.5
    np.testing.assert_allclose(var.numpy(), [-0.5])
    opt.learning_rate.assign(0.25)
    opt.apply_gradients([(np.array([1.0]), var)])  # −0.5 − 0.25·1 = −0.75
    np.testing.assert_allclose(var.numpy(), [-0.75])
    assert float(np.asarray(opt.learning_rate)) == 0.25


def test_callable_learning_rate_evaluated_each_step():
    state = {"lr": 0.1, "calls": 0}

    def lr():
        state["calls"] += 1
        return state["lr"]

    opt = SGD(learning_rate=lr)
    var = _var([0.0])
    opt.apply_gradients([(np.array([1.0]), var)])  # −0.1
    state["lr"] = 0.2
    opt.apply_gradients([(np.array([1.0]), var)])  # −0.1 − 0.2 = −0.3
    np.testing.assert_allclose(var.numpy(), [-0.3], atol=1e-7)
    assert state["calls"] >= 2
