"""The shared steps of every optimizer: gradient accumulation, loss scaling, EMA, constraints, state save
and restore, config round trips, `fit` and `minimize` with every optimizer, argument checks."""

import numpy as np
import pytest

import neurona
from neurona import optimizers

ALL = {
    "sgd": lambda: optimizers.SGD(0.05, momentum=0.9, nesterov=True),
    "rmsprop": lambda: optimizers.RMSprop(0.01, momentum=0.5, centered=True),
    "adam": lambda: optimizers.Adam(0.05, amsgrad=True),
    "adamw": lambda: optimizers.AdamW(0.05, weight_decay=0.01),
    "adadelta": lambda: optimizers.Adadelta(1.0, epsilon=1e-3),  # ε 1e-7 needs ~10⁴ steps to get going
    "adagrad": lambda: optimizers.Adagrad(0.5),
    "adamax": lambda: optimizers.Adamax(0.05),
    "nadam": lambda: optimizers.Nadam(0.05),
    "ftrl": lambda: optimizers.Ftrl(0.5, l1_regularization_strength=0.001, beta=0.1),
    "lion": lambda: optimizers.Lion(0.01),
}


def test_every_keras_optimizer_name_resolves():
    for name in ALL:
        assert type(optimizers.get(name)).__name__.lower() == name
    assert isinstance(optimizers.get("Nadam"), optimizers.Nadam)


@pytest.mark.parametrize("name", sorted(ALL))
def test_minimize_reaches_the_minimum_of_a_quadratic(name):
    opt = ALL[name]()
    x = neurona.Variable(np.array([0.0, 6.0, -2.0]), dtype="float64")
    target = np.array([3.0, 3.0, 3.0])
    for _ in range(1500):
        opt.minimize(lambda: neurona.ops.sum((x - target) ** 2), [x])
    # Lion moves by ±lr per step and AdamW decays toward 0: both settle near, not at, the minimum
    np.testing.assert_allclose(x.numpy(), target, atol=0.08)


@pytest.mark.parametrize("name", sorted(ALL))
def test_fit_trains_with_every_optimizer(name):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3
    model = neurona.Sequential([neurona.Input(shape=(3,)), neurona.layers.Dense(1)])
    model.compile(optimizer=ALL[name](), loss="mse")
    history = model.fit(x, y, epochs=10, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


def test_gradient_accumulation_updates_every_n_calls_with_the_mean():
    # Keras's test: N = 3, lr 1: nothing moves for 2 calls, then v −= mean of the 3 gradients
    v = neurona.Variable([1.0, 2.0])
    opt = optimizers.SGD(1.0, gradient_accumulation_steps=3)
    for grads in ([1.0, 1.0], [2.0, 2.0]):
        opt.apply_gradients([(np.array(grads), v)])
        np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    opt.apply_gradients([(np.array([3.0, 3.0]), v)])
    np.testing.assert_allclose(v.numpy(), [-1.0, 0.0])  # mean gradient 2
    assert int(opt.iterations) == 1 and int(opt._iterations) == 3
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        optimizers.SGD(gradient_accumulation_steps=1)


def test_loss_scale_factor_divides_the_gradients():
    v = neurona.Variable([0.0])
    optimizers.SGD(1.0, loss_scale_factor=1024).apply_gradients([(np.array([2048.0]), v)])
    np.testing.assert_allclose(v.numpy(), [-2.0])


def test_ema_averages_and_finalize():
    # SGD lr 1, g = 0.1: θ = 0.9, 0.8; averages: 0.9 (μ = 0 at the first step), ½·0.9 + ½·0.8 = 0.85
    v = neurona.Variable([1.0])
    opt = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5)
    for _ in range(2):
        opt.apply_gradients([(np.array([0.1]), v)])
    np.testing.assert_allclose(v.numpy(), [0.8], rtol=1e-6)
    opt.finalize_variable_values([v])
    np.testing.assert_allclose(v.numpy(), [0.85], rtol=1e-6)


def test_ema_overwrite_frequency():
    v = neurona.Variable([1.0])
    opt = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    opt.apply_gradients([(np.array([0.1]), v)])
    np.testing.assert_allclose(v.numpy(), [0.9], rtol=1e-6)
    opt.apply_gradients([(np.array([0.1]), v)])
    np.testing.assert_allclose(v.numpy(), [0.85], rtol=1e-6)  # overwritten at step 2


def test_fit_ends_with_the_ema_weights():
    model = neurona.Sequential([neurona.Input(shape=(2,)), neurona.layers.Dense(1)])
    model.compile(optimizer=optimizers.SGD(0.1, use_ema=True), loss="mse")
    model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, verbose=0)
    averages = [model.optimizer._state_of(w)[2] for w in model.trainable_weights]
    for weight, average in zip(model.get_weights(), averages):
        np.testing.assert_array_equal(weight, average)


def test_constraint_is_applied_after_the_update():
    v = neurona.Variable([0.5, 2.0])
    v.constraint = lambda w: np.maximum(w.data, 0.0)
    optimizers.SGD(1.0).apply_gradients([(np.array([1.0, 1.0]), v)])
    np.testing.assert_array_equal(v.numpy(), [0.0, 1.0])


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("extras", [{}, {"use_ema": True}, {"gradient_accumulation_steps": 2}])
def test_state_saved_and_restored_exactly(name, extras):
    rng = np.random.default_rng(1)
    grads = [rng.normal(size=(3, 2)).astype("float32") for _ in range(8)]

    def make():
        opt = ALL[name]()
        config = opt.get_config()
        config.update(extras)
        return type(opt).from_config(config)

    var = neurona.Variable(np.ones((3, 2)))
    opt = make()
    for g in grads[:5]:
        opt.apply_gradients([(g, var)])
    store: dict = {}
    opt.save_own_variables(store)
    resumed_var = neurona.Variable(var.numpy())
    resumed = make()
    resumed.build([resumed_var])
    resumed.load_own_variables(store)
    for g in grads[5:]:
        opt.apply_gradients([(g, var)])
        resumed.apply_gradients([(g, resumed_var)])
    np.testing.assert_array_equal(resumed_var.numpy(), var.numpy())
    assert int(resumed.iterations) == int(opt.iterations)


def test_loading_state_into_an_unbuilt_optimizer_is_explained():
    opt = optimizers.Adam()
    var = neurona.Variable([1.0])
    opt.apply_gradients([(np.array([1.0]), var)])
    store: dict = {}
    opt.save_own_variables(store)
    with pytest.raises(ValueError, match="Build it on the same variables"):
        optimizers.Adam().load_own_variables(store)


@pytest.mark.parametrize("name", sorted(ALL))
def test_config_round_trip_for_every_optimizer(name):
    opt = ALL[name]()
    config = opt.get_config()
    clone = optimizers.deserialize(optimizers.serialize(opt))
    assert type(clone) is type(opt) and clone.get_config() == config


@pytest.mark.parametrize(
    "factory, match",
    [
        (lambda: optimizers.Adam(learning_rate=-0.1), "non-negative finite"),
        (lambda: optimizers.Adam(beta_1=1.0), "beta_1"),
        (lambda: optimizers.Adamax(beta_2=-0.1), "beta_2"),
        (lambda: optimizers.Nadam(beta_1=1.5), "beta_1"),
        (lambda: optimizers.Adadelta(rho=1.2), "rho"),
        (lambda: optimizers.Adagrad(initial_accumulator_value=-1.0), "initial_accumulator_value"),
        (
            lambda: optimizers.Ftrl(learning_rate_power=0.1),
            "needs to be negative or zero. Received: learning_rate_power=0.1.",
        ),
        (lambda: optimizers.Ftrl(l1_regularization_strength=-1.0), "positive or zero"),
        (lambda: optimizers.Lion(beta_1=0.0), "degenerates to SignSGD"),
        (lambda: optimizers.RMSprop(clipnorm=1.0, global_clipnorm=1.0), "Only one of"),
        (lambda: optimizers.SGD(ema_momentum=2.0), "ema_momentum"),
        (lambda: optimizers.SGD(momentun=0.9), "unexpected keyword"),
    ],
)
def test_bad_arguments_say_what_was_received(factory, match):
    with pytest.raises((ValueError, TypeError), match=match):
        factory()


def test_legacy_lr_argument_still_works_with_a_warning():
    with pytest.warns(DeprecationWarning, match="learning_rate"):
        opt = optimizers.SGD(lr=0.5)
    assert float(opt.learning_rate) == 0.5
