"""The NumPy peers of bench/ compute what they claim: exact gradients, the Keras updates, the GEMM bound."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import peers_numpy  # noqa: E402
from peers_numpy import (  # noqa: E402
    GRADIENT_CHECK_NETS,
    MatmulBound,
    NumpyMLP,
    NumpyPlayground,
    gradient_error,
    playground_accuracy,
)
from workloads import (  # noqa: E402
    PLAYGROUND_SIZES,
    W1_SIZES,
    W2_SIZES,
    gemm_flops_per_sample,
)


@pytest.mark.parametrize(
    "label, sizes, options", GRADIENT_CHECK_NETS, ids=[n[0] for n in GRADIENT_CHECK_NETS]
)
def test_gradients_match_central_differences_in_float64(label, sizes, options):
    assert gradient_error(sizes, **options) < 1e-6


def test_gradient_check_detects_a_wrong_gradient(monkeypatch):
    # The check is only worth something if it fails on a broken backward pass.
    original = NumpyMLP.forward_backward

    def broken(self, x, y):
        loss = original(self, x, y)
        self.grads[0] *= 1.01
        return loss

    monkeypatch.setattr(NumpyMLP, "forward_backward", broken)
    assert gradient_error((6, 5, 4)) > 1e-3


def test_in_place_adam_matches_the_plain_keras_formula():
    assert peers_numpy._check_adam(steps=3, sizes=(784, 16, 10)) < 1e-6


def test_in_place_sgd_is_p_minus_lr_times_g():
    assert peers_numpy._check_sgd() < 1e-6


def test_playground_loop_learns_the_circle():
    loss, accuracy = playground_accuracy(epochs=30)
    assert accuracy > 0.95
    assert loss < 0.1


def test_playground_loop_has_the_playground_network():
    net = NumpyPlayground().net
    assert [p.shape for p in net.params] == [(2, 4), (4,), (4, 2), (2,), (2, 1), (1,)]
    assert (net.activation, net.output_activation, net.loss, net.optimizer) == ("tanh", "tanh", "mse", "sgd")
    assert net.learning_rate == 0.03
    out = net.forward(np.zeros((3, 2), dtype=np.float32))
    assert out.shape == (3, 1) and np.all(np.abs(out) <= 1)


def test_loop_is_generic_over_widths():
    net = NumpyMLP(W2_SIZES)
    assert [p.shape for p in net.params] == [(784, 512), (512,), (512, 512), (512,), (512, 10), (10,)]
    x = np.random.default_rng(0).random((8, 784), dtype=np.float32)
    loss = net.train_epoch(x, np.arange(8) % 10, batch_size=4)
    assert np.isfinite(loss) and net.iterations == 2


def test_gemm_flops_formula():
    # forward x@W1, h@W2; backward h.T@d, d@W2.T, x.T@dh: 2 * (2*784*128 + 2*128*10 + 128*10)
    assert gemm_flops_per_sample(W1_SIZES) == 2 * (2 * 784 * 128 + 2 * 128 * 10 + 128 * 10)
    assert gemm_flops_per_sample((2, 4, 2, 1)) == 2 * (2 * (8 + 8 + 2) + (8 + 2))


@pytest.mark.parametrize("sizes", [W1_SIZES, (784, 64, 32, 16, 10), PLAYGROUND_SIZES])
def test_matmul_bound_does_exactly_the_counted_gemms(monkeypatch, sizes):
    flops = []
    real_matmul = np.matmul

    def counting(a, b, out=None):
        flops.append(2 * a.shape[0] * a.shape[1] * b.shape[1])
        return real_matmul(a, b, out=out)

    bound = MatmulBound(sizes)
    x = np.random.default_rng(1).random((50, sizes[0]), dtype=np.float32)
    monkeypatch.setattr(peers_numpy.np, "matmul", counting)
    bound.train_epoch(x, np.zeros(50, dtype=np.int64), batch_size=16)  # 3 full batches and one of 2
    assert sum(flops) == gemm_flops_per_sample(sizes) * 50
    assert len(flops) == 4 * (2 * (len(sizes) - 1) + len(sizes) - 2)


def test_matmul_bound_predict_is_the_chain_of_weights():
    bound = MatmulBound((6, 5, 3, 4), dtype=np.float64)
    x = np.random.default_rng(2).normal(size=(7, 6))
    expected = x @ bound.weights[0] @ bound.weights[1] @ bound.weights[2]
    np.testing.assert_allclose(bound.predict(x, batch_size=3), expected, rtol=1e-12)
    np.testing.assert_allclose(bound.latency_calls()["matmuls"](x[:1]), expected[:1], rtol=1e-12)


def test_loop_matches_torch_autograd():
    pytest.importorskip("torch")
    x, y = peers_numpy._learnable_problem(16, seed=1)
    assert peers_numpy.torch_difference(NumpyMLP((784, 32, 16, 10), seed=3), x, y) < 1e-5
    px, py = peers_numpy.circle_numpy(20, seed=4)
    assert peers_numpy.torch_difference(NumpyPlayground(seed=3).net, px, py.reshape(-1, 1)) < 1e-5
