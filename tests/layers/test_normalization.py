"""BatchNormalization and LayerNormalization: hand-worked values, training vs inference, the moving
statistics, rank-N inputs, and PyTorch and Keras as oracles."""

import contextlib
import os

import numpy as np
import pytest

import neurona as nn
from neurona import layers


def test_batch_norm_training_step_hand_worked():
    layer = layers.BatchNormalization()
    x = np.array([[0.0], [4.0]], dtype="float32")  # μ = 2, biased σ² = 4
    y = layer(x, training=True).numpy()
    np.testing.assert_allclose(y.ravel(), [-2 / np.sqrt(4.001), 2 / np.sqrt(4.001)], rtol=1e-6)
    # moving ← moving·0.99 + batch·0.01: mean 0·0.99 + 2·0.01, variance 1·0.99 + 4·0.01
    np.testing.assert_allclose(layer.moving_mean.numpy(), [0.02], rtol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), [1.03], rtol=1e-6)


def test_batch_norm_inference_uses_the_moving_statistics():
    layer = layers.BatchNormalization(epsilon=0.0)
    x = np.array([[1.0, 2.0], [3.0, 6.0]], dtype="float32")
    layer.build((None, 2))
    layer.set_weights(
        [np.array([2.0, 1.0]), np.array([0.5, 0.0]), np.array([1.0, 2.0]), np.array([4.0, 1.0])]
    )
    # y = γ·(x − moving_mean)/√moving_variance + β
    expected = [[2 * 0 / 2 + 0.5, 0.0], [2 * 2 / 2 + 0.5, 4.0]]
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(layer(x, training=False).numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(layer.moving_mean.numpy(), [1.0, 2.0])  # inference changes nothing


def test_batch_norm_weights_in_keras_order():
    layer = layers.BatchNormalization()
    layer.build((None, 3))
    assert [w.name.split("/")[-1] for w in layer.weights] == [
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
    ]
    assert [w.trainable for w in layer.weights] == [True, True, False, False]
    assert layer.count_params() == 12


def test_frozen_batch_norm_runs_in_inference_mode():
    layer = layers.BatchNormalization(trainable=False)
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(8, 4)).astype("float32")
    y = layer(x, training=True).numpy()
    np.testing.assert_allclose(y, x / np.sqrt(1.001), rtol=1e-6)  # moving stats 0 and 1
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(4))
    layer.trainable = True
    layer(x, training=True)
    assert not np.allclose(layer.moving_mean.numpy(), 0)


@pytest.mark.parametrize(
    "shape, axis", [((6, 3, 4), 1), ((6, 4, 3), -1), ((2, 3, 4, 5), 1), ((2, 4, 5, 3), 3)]
)
def test_batch_norm_rank_n_matches_numpy(shape, axis):
    rng = np.random.default_rng(1)
    x = rng.normal(1.0, 2.0, size=shape).astype("float32")
    layer = layers.BatchNormalization(axis=axis, momentum=0.8)
    y = layer(x, training=True).numpy()
    reduce = tuple(i for i in range(len(shape)) if i != axis % len(shape))
    mean, var = x.mean(axis=reduce, keepdims=True), x.var(axis=reduce, keepdims=True)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.2 * mean.ravel(), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(layer.moving_variance.numpy(), 0.8 + 0.2 * var.ravel(), rtol=1e-5)


def test_batch_norm_errors_say_what_was_received():
    with pytest.raises(ValueError, match=r"Axis 2 is out of bounds for input shape \(4, 3\)"):
        layers.BatchNormalization(axis=2)(np.ones((4, 3)))
    with pytest.raises(ValueError, match="renorm=True"):
        layers.BatchNormalization(renorm=True)
    with pytest.raises(TypeError, match=r"axis=\[1\]"):
        layers.BatchNormalization(axis=[1])
    with pytest.raises(ValueError, match="momentum=-0.5"):
        layers.BatchNormalization(momentum=-0.5)
    layer = layers.BatchNormalization()
    layer(np.ones((2, 3)))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(np.ones((2, 4)))


def test_batch_norm_gamma_constraint_is_applied_after_a_step():
    layer = layers.BatchNormalization(gamma_constraint=nn.constraints.MaxNorm(1.0), gamma_initializer="ones")
    x = np.random.default_rng(2).normal(size=(8, 3)).astype("float32")
    with nn.GradientTape() as tape:
        loss = -nn.ops.sum(nn.ops.square(layer(x, training=True)))  # pushes gamma up
    nn.optimizers.SGD(0.1).apply_gradients(
        zip(tape.gradient(loss, layer.trainable_weights), layer.trainable_weights)
    )
    assert np.linalg.norm(layer.gamma.numpy()) <= 1.0 + 1e-6


def test_fit_then_predict_is_deterministic_and_uses_the_moving_statistics():
    rng = np.random.default_rng(4)
    x = rng.normal(2.0, 3.0, size=(128, 5)).astype("float32")
    y = (x.sum(axis=1, keepdims=True) > 10).astype("float32")
    model = nn.Sequential(
        [
            nn.Input(shape=(5,)),
            layers.Dense(8, activation="relu"),
            layers.BatchNormalization(momentum=0.9),
            layers.Dropout(0.5, seed=1),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    first, second = model.predict(x, verbose=0), model.predict(x, verbose=0)
    np.testing.assert_array_equal(first, second)
    kernel1, bias1, gamma, beta, moving_mean, moving_variance, kernel2, bias2 = model.get_weights()
    assert not np.allclose(moving_mean, 0) and not np.allclose(moving_variance, 1)
    hidden = np.maximum(x @ kernel1 + bias1, 0)
    normalized = gamma * (hidden - moving_mean) / np.sqrt(moving_variance + 1e-3) + beta  # dropout: identity
    expected = 1 / (1 + np.exp(-(normalized @ kernel2 + bias2)))
    np.testing.assert_allclose(first, expected, rtol=1e-4, atol=1e-6)


# --- LayerNormalization -------------------------------------------------------------------------------
def test_layer_norm_hand_worked_and_independent_of_training():
    layer = layers.LayerNormalization(epsilon=0.0)
    x = np.array([[1.0, 3.0], [0.0, 10.0]], dtype="float32")  # each row: μ ± σ → ∓1
    np.testing.assert_allclose(layer(x).numpy(), [[-1.0, 1.0], [-1.0, 1.0]], rtol=1e-6)
    np.testing.assert_array_equal(layer(x, training=True).numpy(), layer(x, training=False).numpy())


@pytest.mark.parametrize(
    "shape, axis", [((2, 3, 4), -1), ((2, 3, 4), [1, 2]), ((2, 3, 4), 1), ((2, 3, 4, 5), [-1, -3])]
)
def test_layer_norm_over_axes_matches_numpy(shape, axis):
    rng = np.random.default_rng(5)
    x = rng.normal(size=shape).astype("float32")
    layer = layers.LayerNormalization(
        axis=axis, gamma_initializer="random_normal", beta_initializer="random_normal"
    )
    y = layer(x).numpy()
    axes = tuple(sorted(a % len(shape) for a in ([axis] if isinstance(axis, int) else axis)))
    param_shape = [shape[i] if i in axes else 1 for i in range(len(shape))]
    assert layer.gamma.shape == tuple(shape[a] for a in axes)
    mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    gamma, beta = layer.gamma.numpy().reshape(param_shape), layer.beta.numpy().reshape(param_shape)
    np.testing.assert_allclose(y, gamma * (x - mean) / np.sqrt(var + 1e-3) + beta, rtol=1e-4, atol=1e-5)


def test_layer_norm_rms_scaling_is_deprecated_but_works():
    with pytest.warns(UserWarning, match="rms_scaling=True"):
        layer = layers.LayerNormalization(rms_scaling=True, epsilon=0.0)
    x = np.array([[1.0, 3.0]], dtype="float32")  # σ² = 1: y = γ·x/1, no centering and no beta
    np.testing.assert_allclose(layer(x).numpy(), [[1.0, 3.0]], rtol=1e-6)
    assert [w.name.split("/")[-1] for w in layer.weights] == ["gamma"]
    assert layer.get_config()["rms_scaling"] is True


def test_layer_norm_errors():
    with pytest.raises(TypeError, match="received: 'last'"):
        layers.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match=r"Axis 3 is out of bounds for input shape \(2, 3\)"):
        layers.LayerNormalization(axis=3)(np.ones((2, 3)))


# --- PyTorch as the oracle ----------------------------------------------------------------------------
@pytest.mark.torch
@pytest.mark.parametrize("shape", [(16, 5), (8, 3, 6)])
def test_batch_norm_matches_torch_in_train_and_eval_mode(shape):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    batches = [rng.normal(1.0, 2.0, size=shape).astype("float32") for _ in range(3)]
    gamma, beta = rng.normal(size=shape[1]).astype("float32"), rng.normal(size=shape[1]).astype("float32")
    ours = layers.BatchNormalization(axis=1, momentum=0.9)  # torch's momentum = 1 − Keras's momentum
    ours.build((None,) + shape[1:])
    ours.set_weights([gamma, beta, np.zeros(shape[1]), np.ones(shape[1])])
    theirs = torch.nn.BatchNorm1d(shape[1], eps=1e-3, momentum=0.1)
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(gamma))
        theirs.bias.copy_(torch.from_numpy(beta))
    theirs.train()
    expected_var = np.ones(shape[1])
    reduce = (0,) if len(shape) == 2 else (0, 2)
    for x in batches:
        xt = torch.from_numpy(x).requires_grad_(True)
        out_t = theirs(xt)
        weights = torch.from_numpy(np.arange(out_t.numel(), dtype="float32").reshape(shape) / 10)
        (out_t * weights).sum().backward()
        x_var = nn.Variable(x)
        with nn.GradientTape() as tape:
            out = ours(x_var, training=True)
            loss = nn.ops.sum(out * weights.numpy())
        grad_x, grad_gamma, grad_beta = tape.gradient(loss, [x_var, ours.gamma, ours.beta])
        np.testing.assert_allclose(out.numpy(), out_t.detach().numpy(), rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(grad_x.numpy(), xt.grad.numpy(), rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(grad_gamma.numpy(), theirs.weight.grad.numpy(), rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(grad_beta.numpy(), theirs.bias.grad.numpy(), rtol=1e-4, atol=1e-4)
        theirs.weight.grad = theirs.bias.grad = None
        # running variance: torch folds in the UNBIASED batch variance, Keras (and neurona) the biased one
        expected_var = 0.9 * expected_var + 0.1 * x.var(axis=reduce)
    np.testing.assert_allclose(ours.moving_mean.numpy(), theirs.running_mean.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.moving_variance.numpy(), expected_var, rtol=1e-5)
    assert not np.allclose(ours.moving_variance.numpy(), theirs.running_var.numpy(), rtol=1e-3)

    # eval mode: with the same running statistics, the same outputs
    with torch.no_grad():
        theirs.running_var.copy_(torch.from_numpy(ours.moving_variance.numpy()))
    theirs.eval()
    x = batches[0]
    with torch.no_grad():
        expected = theirs(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours(x, training=False).numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.torch
def test_layer_norm_matches_torch_with_gradients():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4, 3, 6)).astype("float32")
    gamma, beta = rng.normal(size=(3, 6)).astype("float32"), rng.normal(size=(3, 6)).astype("float32")
    theirs = torch.nn.LayerNorm((3, 6), eps=1e-3)
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(gamma))
        theirs.bias.copy_(torch.from_numpy(beta))
    xt = torch.from_numpy(x).requires_grad_(True)
    weights = np.arange(x.size, dtype="float32").reshape(x.shape) / 10
    (theirs(xt) * torch.from_numpy(weights)).sum().backward()
    ours = layers.LayerNormalization(axis=[1, 2])
    ours.build(x.shape)
    ours.set_weights([gamma, beta])
    x_var = nn.Variable(x)
    with nn.GradientTape() as tape:
        loss = nn.ops.sum(ours(x_var) * weights)
    grads = tape.gradient(loss, [x_var, ours.gamma, ours.beta])
    for ours_grad, theirs_grad in zip(grads, [xt.grad, theirs.weight.grad, theirs.bias.grad]):
        np.testing.assert_allclose(ours_grad.numpy(), theirs_grad.numpy(), rtol=1e-3, atol=1e-4)


# --- Keras as the oracle ------------------------------------------------------------------------------
def _keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    pytest.importorskip("jax")
    if keras.backend.backend() != "jax":
        pytest.skip("the Keras oracle runs on the JAX backend")
    return keras


@pytest.mark.keras
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("shape, axis", [((16, 5), -1), ((6, 3, 4), 1), ((2, 3, 4, 5), -1)])
def test_batch_norm_matches_keras(shape, axis):
    keras = _keras()
    rng = np.random.default_rng(8)
    channels = shape[axis]
    start = [
        rng.normal(size=channels),
        rng.normal(size=channels),
        rng.normal(size=channels),
        rng.uniform(1, 2, channels),
    ]
    start = [w.astype("float32") for w in start]
    theirs = keras.layers.BatchNormalization(axis=axis, momentum=0.7, epsilon=1e-2)
    ours = layers.BatchNormalization(axis=axis, momentum=0.7, epsilon=1e-2)
    theirs.build(shape)
    ours.build((None,) + shape[1:])
    theirs.set_weights(start)
    ours.set_weights(start)
    for step in range(3):
        x = rng.normal(step, 2.0, size=shape).astype("float32")
        np.testing.assert_allclose(
            ours(x, training=True).numpy(), np.asarray(theirs(x, training=True)), rtol=1e-5, atol=1e-5
        )
    for mine, keras_weight in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(mine, keras_weight, rtol=1e-6, atol=1e-7)  # moving stats: biased variance
    np.testing.assert_allclose(ours(x).numpy(), np.asarray(theirs(x)), rtol=1e-5, atol=1e-5)
    keras_config = theirs.get_config()
    assert set(ours.get_config()) == set(keras_config)
    for key in [
        "axis",
        "momentum",
        "epsilon",
        "center",
        "scale",
        "synchronized",
        "renorm",
        "renorm_momentum",
    ]:
        assert ours.get_config()[key] == keras_config[key]


@pytest.mark.keras
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore:You passed `rms_scaling=True`:UserWarning")
@pytest.mark.parametrize("axis, rms_scaling", [(-1, False), ([1, 2], False), (1, False), (-1, True)])
def test_layer_norm_matches_keras(axis, rms_scaling):
    keras = _keras()
    rng = np.random.default_rng(9)
    x = rng.normal(size=(4, 3, 5)).astype("float32")
    with pytest.warns(UserWarning) if rms_scaling else contextlib.nullcontext():
        theirs = keras.layers.LayerNormalization(axis=axis, rms_scaling=rms_scaling)
    with pytest.warns(UserWarning) if rms_scaling else contextlib.nullcontext():
        ours = layers.LayerNormalization(axis=axis, rms_scaling=rms_scaling)
    theirs.build(x.shape)
    ours.build(x.shape)
    weights = [rng.normal(size=w.shape).astype("float32") for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    np.testing.assert_allclose(ours(x).numpy(), np.asarray(theirs(x)), rtol=1e-5, atol=1e-5)
    assert set(ours.get_config()) == set(theirs.get_config())


@pytest.mark.keras
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_normalization_gradients_match_keras_on_jax(float64):
    keras = _keras()
    import jax

    jax.config.update("jax_enable_x64", True)
    keras.config.set_floatx("float64")
    try:
        rng = np.random.default_rng(10)
        x, gamma, beta = rng.normal(size=(6, 3, 4)), rng.normal(size=3), rng.normal(size=3)
        weights = rng.normal(size=x.shape)

        def keras_batch_norm(x, gamma, beta):
            mean, variance = keras.ops.moments(x, axes=[0, 2])
            out = keras.ops.batch_normalization(
                x, mean, variance, axis=1, offset=beta, scale=gamma, epsilon=1e-3
            )
            return (out * weights).sum()

        def keras_layer_norm(x, gamma, beta):
            out = keras.ops.layer_normalization(x, gamma, beta, axis=1, epsilon=1e-3)
            return (out * weights).sum()

        def ours_batch_norm(x, gamma, beta):
            return nn.ops.sum(nn.ops.fused_batch_norm(x, gamma, beta, axis=1)[0] * weights)

        def ours_layer_norm(x, gamma, beta):
            return nn.ops.sum(nn.ops.layer_normalization(x, gamma, beta, axis=1, epsilon=1e-3) * weights)

        # Keras computes layer normalization in result_type(x, "float32"), which is float32 even for float64
        # inputs: that comparison holds to float32 precision only
        cases = [(keras_batch_norm, ours_batch_norm, 1e-9), (keras_layer_norm, ours_layer_norm, 1e-5)]
        for keras_fn, ours_fn, tolerance in cases:
            expected = jax.grad(keras_fn, argnums=(0, 1, 2))(x, gamma, beta)
            inputs = [nn.Variable(a) for a in (x, gamma, beta)]
            with nn.GradientTape() as tape:
                loss = ours_fn(*inputs)
            for mine, theirs in zip(tape.gradient(loss, inputs), expected):
                np.testing.assert_allclose(mine.numpy(), np.asarray(theirs), rtol=tolerance, atol=tolerance)
            assert nn.gradcheck(ours_fn, [x, gamma, beta])
    finally:
        keras.config.set_floatx("float32")
        jax.config.update("jax_enable_x64", False)


@pytest.mark.keras
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_keras_moving_variance_folds_in_the_biased_batch_variance():
    keras = _keras()
    x = np.array([[0.0], [1.0], [5.0]], dtype="float32")  # biased σ² = 14/3 ≈ 4.667, unbiased 7
    theirs = keras.layers.BatchNormalization()
    theirs(x, training=True)
    ours = layers.BatchNormalization()
    ours(x, training=True)
    # 1·0.99 + σ²·0.01: biased → 1.03667 (Keras and neurona); unbiased would give 1.06 (torch's running_var)
    np.testing.assert_allclose(np.asarray(theirs.moving_variance), [0.99 + 0.01 * 14 / 3], rtol=1e-6)
    np.testing.assert_allclose(ours.moving_variance.numpy(), np.asarray(theirs.moving_variance), rtol=1e-7)
