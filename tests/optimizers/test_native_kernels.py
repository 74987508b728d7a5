"""The optional compiled kernels (`neurona._kernels`) against the NumPy rules they replace: bit for bit.

The kernels fuse an update into one pass; they must round exactly as the NumPy rules do (same order,
same precision, no fused multiply-add), so every comparison here is `array_equal`, not a tolerance. One
documented difference: by default they flush subnormal numbers to zero, as XLA and TensorFlow do
(`flush=False` keeps them, and then the results are the NumPy rule's again).
"""

import shutil
import sysconfig

import numpy as np
import pytest

import neurona as nn
from neurona import config
from neurona.optimizers import rules

kernels = config._KERNELS


@pytest.fixture
def native_off():
    config.set_native_kernels(False)
    yield
    config.set_native_kernels(True)


def test_the_kernels_are_built_where_a_compiler_exists():
    # pip builds the module whenever a C compiler is present (CI has one); without one neurona uses NumPy.
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        assert kernels is None and config.kernels() is None
    else:
        assert kernels is not None, "neurona._kernels was not built although a C compiler is present"


requires_kernels = pytest.mark.skipif(kernels is None, reason="neurona._kernels not built (no C compiler)")


def _arrays(rng, shape, dtype, n):
    return [rng.standard_normal(shape).astype(dtype) for _ in range(n)]


@requires_kernels
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("shape", [(1,), (7,), (33, 5), (784, 128)])
def test_adam_kernel_is_bit_identical_to_the_numpy_rule(dtype, amsgrad, shape):
    rng = np.random.default_rng(0)
    (theta_a,) = _arrays(rng, shape, dtype, 1)
    theta_b = theta_a.copy()
    state_a = [np.zeros(shape, dtype) for _ in range(3)]
    state_b = [np.zeros(shape, dtype) for _ in range(3)]
    work = np.empty(shape, dtype)
    for t in range(1, 25):
        (g,) = _arrays(rng, shape, dtype, 1)
        g *= 10.0 ** rng.integers(-6, 4)  # gradients over many magnitudes
        if t == 13:
            g.flat[0] = 0.0
        m_a, v_a, h_a = state_a
        m_b, v_b, h_b = state_b
        rules.adam(
            theta_a,
            g,
            m_a,
            v_a,
            h_a if amsgrad else None,
            work,
            t=t,
            learning_rate=0.01,
            beta_1=0.9,
            beta_2=0.999,
            epsilon=1e-7,
        )
        alpha = rules.adam_step_size(t, 0.01, 0.9, 0.999)
        kernels.adam(theta_b, g, m_b, v_b, h_b if amsgrad else None, alpha, 1 - 0.9, 1 - 0.999, 1e-7)
        for a, b in zip([theta_a, *state_a], [theta_b, *state_b]):
            assert np.array_equal(a, b), f"step {t}: kernel and NumPy rule differ"
    assert not np.array_equal(theta_a, _arrays(np.random.default_rng(0), shape, dtype, 1)[0])  # it moved


@requires_kernels
def test_adam_kernel_propagates_nan_and_inf_as_numpy_does():
    g = np.array([np.nan, np.inf, -np.inf, 1.0, 0.0], np.float32)
    for amsgrad in (False, True):
        a = [
            np.ones(5, np.float32),
            np.zeros(5, np.float32),
            np.zeros(5, np.float32),
            np.zeros(5, np.float32),
        ]
        a[3][4] = np.nan  # a NaN already in v̂ stays (np.maximum lets NaN win)
        b = [x.copy() for x in a]
        with np.errstate(all="ignore"):  # inf − inf and friends: NumPy warns, the kernel is silent
            rules.adam(
                a[0],
                g,
                a[1],
                a[2],
                a[3] if amsgrad else None,
                np.empty(5, np.float32),
                t=1,
                learning_rate=0.1,
                beta_1=0.9,
                beta_2=0.999,
                epsilon=1e-7,
            )
        kernels.adam(
            b[0],
            g,
            b[1],
            b[2],
            b[3] if amsgrad else None,
            rules.adam_step_size(1, 0.1, 0.9, 0.999),
            0.1,
            0.001,
            1e-7,
        )
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x, y)  # NaN positions equal too


@requires_kernels
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("momentum,nesterov", [(0.0, False), (0.9, False), (0.9, True), (0.5, True)])
def test_sgd_kernel_is_bit_identical_to_the_numpy_rule(dtype, momentum, nesterov):
    rng = np.random.default_rng(1)
    theta_a = rng.standard_normal((50, 3)).astype(dtype)
    theta_b = theta_a.copy()
    m_a = np.zeros_like(theta_a) if momentum else None
    m_b = np.zeros_like(theta_a) if momentum else None
    for _ in range(20):
        g = rng.standard_normal((50, 3)).astype(dtype)
        rules.sgd(theta_a, g, m_a, np.empty_like(g), learning_rate=0.03, momentum=momentum, nesterov=nesterov)
        kernels.sgd(theta_b, g, m_b, 0.03, momentum, nesterov)
        assert np.array_equal(theta_a, theta_b)
        if momentum:
            assert np.array_equal(m_a, m_b)


@requires_kernels
def test_kernels_refuse_operands_they_cannot_take():
    theta = np.zeros(6, np.float32)
    m, v = np.zeros(6, np.float32), np.zeros(6, np.float32)
    with pytest.raises(TypeError, match="C-contiguous"):
        kernels.adam(theta, np.zeros(12, np.float32)[::2], m, v, None, 0.1, 0.1, 0.001, 1e-7)
    with pytest.raises(ValueError, match="dtype or size"):
        kernels.adam(theta, np.zeros(6, np.float64), m, v, None, 0.1, 0.1, 0.001, 1e-7)
    with pytest.raises(TypeError, match="float32 or float64"):
        kernels.sgd(np.zeros(6, np.float16), np.zeros(6, np.float16), None, 0.1, 0.0, False)
    with pytest.raises(TypeError, match="writable"):
        read_only = np.zeros(6, np.float32)
        read_only.flags.writeable = False
        kernels.sgd(read_only, np.zeros(6, np.float32), None, 0.1, 0.0, False)
    assert not theta.any() and not m.any()  # nothing was touched


def _train(optimizer, grads):
    variables = [nn.Variable(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)), nn.Variable(np.ones(4))]
    for g in grads:
        optimizer.apply(g, variables)
    return [v.numpy() for v in variables]


def _grads():
    rng = np.random.default_rng(2)
    out = []
    for step in range(15):
        g0 = rng.standard_normal((3, 4)).astype(np.float32)
        g1 = rng.standard_normal(8)[::2]  # a strided float64 gradient: the kernel declines, NumPy runs
        out.append([g0.T.copy().T if step % 2 else g0, g1])
    return out


@requires_kernels
@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.keras.optimizers.Adam(0.01),
        lambda: nn.keras.optimizers.Adam(0.01, amsgrad=True),
        lambda: nn.keras.optimizers.AdamW(0.01, weight_decay=0.1),
        lambda: nn.keras.optimizers.SGD(0.1),
        lambda: nn.keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    ],
)
def test_optimizers_give_the_same_numbers_with_and_without_kernels(make, native_off):
    without = _train(make(), _grads())
    config.set_native_kernels(True)
    assert config.native_kernels()
    with_kernels = _train(make(), _grads())
    for a, b in zip(without, with_kernels):
        assert np.array_equal(a, b)


def test_the_switch_turns_the_kernels_off(native_off):
    assert config.kernels() is None and not config.native_kernels()
    # and the optimizers still work (pure NumPy): Adam's first step moves each weight by ≈ lr
    (w,) = [nn.Variable(np.zeros(3, np.float32))]
    nn.keras.optimizers.Adam(0.5).apply([np.array([1.0, -2.0, 3.0], np.float32)], [w])
    np.testing.assert_allclose(w.numpy(), [-0.5, 0.5, -0.5], rtol=1e-4)  # ε shifts it by ~3e-6


def test_environment_variable_disables_the_kernels(monkeypatch):
    monkeypatch.setenv("NEURONA_NATIVE", "0")
    assert config._Settings().native is False
    monkeypatch.setenv("NEURONA_NATIVE", "1")
    assert config._Settings().native is True


@requires_kernels
def test_the_list_kernels_refuse_before_touching_anything():
    first, second = np.ones(3, np.float32), np.ones(2, np.float32)
    with pytest.raises(ValueError, match="dtype or size"):
        kernels.sgd_many(
            [first, second], [np.ones(3, np.float32), np.ones(3, np.float32)], [None, None], 0.5, 0.0, False
        )
    with pytest.raises(ValueError, match="one entry per variable"):
        kernels.sgd_many([first], [], [None], 0.5, 0.0, False)
    np.testing.assert_array_equal(first, 1.0)  # the valid first variable was not updated either
    m, v = np.zeros(3, np.float32), np.zeros(3, np.float32)
    with pytest.raises(ValueError, match="m and v"):
        kernels.adam_many([first], [np.ones(3, np.float32)], [None], [v], [None], 0.1, 0.1, 0.001, 1e-7)
    kernels.adam_many([first], [np.ones(3, np.float32)], [m], [v], [None], 0.1, 0.1, 0.001, 1e-7)
    single = np.ones(3, np.float32)
    kernels.adam(
        single,
        np.ones(3, np.float32),
        np.zeros(3, np.float32),
        np.zeros(3, np.float32),
        None,
        0.1,
        0.1,
        0.001,
        1e-7,
    )
    np.testing.assert_array_equal(first, single)


@requires_kernels
def test_optimizer_subclasses_with_their_own_rule_are_not_bypassed():
    class HalfSGD(nn.keras.optimizers.SGD):
        def update_step(self, gradient, variable, learning_rate):
            variable.data -= 0.5 * learning_rate * gradient

    w = nn.Variable(np.ones(2, np.float32))
    b = nn.Variable(np.ones(1, np.float32))
    HalfSGD(0.2).apply([np.ones(2, np.float32), np.ones(1, np.float32)], [w, b])
    np.testing.assert_allclose(w.numpy(), [0.9, 0.9])


@requires_kernels
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_subnormal_state_is_flushed_to_zero_and_otherwise_the_numpy_rule(dtype):
    # A gradient that stays 0 makes Adam's m decay by β₁ per step into the subnormal range, where x86
    # computes many times slower. The kernels flush such values to zero (as XLA and TensorFlow do).
    tiny = np.finfo(dtype).tiny  # the smallest normal number
    shape = (64,)
    rng = np.random.default_rng(5)
    m0 = np.full(shape, tiny * 4, dtype)  # one step of decay (× 0.9) keeps it normal...
    m0[::2] = tiny / 8  # ...these are subnormal already
    v0 = np.full(shape, 1e-3, dtype)
    g = np.zeros(shape, dtype)
    g[-8:] = rng.standard_normal(8).astype(dtype)  # some live gradients too
    theta0 = rng.standard_normal(shape).astype(dtype)
    results = {}
    for flush in (True, False):
        theta, m, v = theta0.copy(), m0.copy(), v0.copy()
        kernels.adam(theta, g, m, v, None, 0.01, 1 - 0.9, 1 - 0.999, 1e-7, flush)
        results[flush] = (theta, m, v)
    theta_n, m_n, v_n = theta0.copy(), m0.copy(), v0.copy()
    rules.adam(theta_n, g, m_n, v_n, None, np.empty(shape, dtype), t=1, learning_rate=0.01, beta_1=0.9,
               beta_2=0.999, epsilon=1e-7)  # fmt: skip
    alpha = rules.adam_step_size(1, 0.01, 0.9, 0.999)
    theta, m, v = theta0.copy(), m0.copy(), v0.copy()
    kernels.adam(theta, g, m, v, None, alpha, 1 - 0.9, 1 - 0.999, 1e-7, False)
    for a, b in zip((theta, m, v), (theta_n, m_n, v_n)):
        assert np.array_equal(a, b)  # flush=False: the NumPy rule exactly, subnormals included
    assert np.count_nonzero((m_n != 0) & (np.abs(m_n) < tiny)) == 28  # NumPy keeps subnormal m...
    flushed_m = results[True][1]
    assert not np.any((flushed_m != 0) & (np.abs(flushed_m) < tiny))  # ...the kernel flushes them
    theta_k, kernel_m, v_k = theta0.copy(), m0.copy(), v0.copy()
    kernels.adam(theta_k, g, kernel_m, v_k, None, alpha, 1 - 0.9, 1 - 0.999, 1e-7)
    assert not np.any((kernel_m != 0) & (np.abs(kernel_m) < tiny))
    # Away from the subnormal range (here: the live gradients) nothing changes, bit for bit. (Within a few
    # powers of ten of `tiny`, a flushed intermediate such as (g − m)·(1 − β₁) can leave m as it was.)
    live = np.abs(m_n) > 1e3 * tiny
    assert live.sum() == 8
    for a, b in zip((theta_k, kernel_m, v_k), (theta_n, m_n, v_n)):
        assert np.array_equal(a[live], b[live])


@requires_kernels
def test_the_flush_mode_ends_with_the_call():
    theta, g, m = np.ones(4, np.float32), np.ones(4, np.float32), np.zeros(4, np.float32)
    kernels.sgd_many([theta], [g], [m], 0.1, 0.9, False)
    kernels.adam(theta, g, m, np.ones(4, np.float32), None, 0.01, 0.1, 0.001, 1e-7)
    tiny = np.finfo(np.float32).tiny
    assert np.float32(tiny) / np.float32(8) != 0  # NumPy still computes subnormals after the kernels ran
    assert np.float64(np.finfo(np.float64).tiny) / 8.0 != 0
