"""NumPy peers: a hand-written training loop and the "matmuls alone" bound.

``NumpyMLP`` is what a careful engineer would write by hand for this one
network: explicit forward pass, fused softmax/cross-entropy gradient, explicit
backward pass and an in-place Adam update on preallocated moment buffers.  It
is the reference for "how fast can plain NumPy train this network".

``MatmulBound`` performs only the matrix products of the forward and backward
passes (no bias, activation, loss, optimizer or shuffling work), on contiguous
batch views and into preallocated outputs.  No NumPy implementation of the
same network can do less work, so its time is a lower bound.

``check_numpy_loop`` verifies the hand-written loop (gradients against finite
differences, loss decrease on a learnable problem, the in-place Adam against
a plain reference, and, if PyTorch is installed, loss and gradients against
PyTorch autograd).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from workloads import (
    BETA_1,
    BETA_2,
    EPSILON,
    HIDDEN_DIM,
    INPUT_DIM,
    LEARNING_RATE,
    MODEL_SEED,
    NUM_CLASSES,
    batch_starts,
    glorot_uniform,
)


class NumpyMLP:
    """Two-layer MLP (``Dense -> relu -> Dense``) trained with Keras-style Adam."""

    name = "numpy loop"

    def __init__(
        self,
        seed: int = MODEL_SEED,
        dtype: type = np.float32,
        input_dim: int = INPUT_DIM,
        hidden_dim: int = HIDDEN_DIM,
        num_classes: int = NUM_CLASSES,
        learning_rate: float = LEARNING_RATE,
    ) -> None:
        rng = np.random.default_rng(seed)
        self.params = [
            glorot_uniform(rng, input_dim, hidden_dim, dtype),
            np.zeros(hidden_dim, dtype=dtype),
            glorot_uniform(rng, hidden_dim, num_classes, dtype),
            np.zeros(num_classes, dtype=dtype),
        ]
        self.grads = [np.zeros_like(p) for p in self.params]
        self._m = [np.zeros_like(p) for p in self.params]
        self._v = [np.zeros_like(p) for p in self.params]
        self._scratch = [np.empty_like(p) for p in self.params]
        self.learning_rate = learning_rate
        self.iterations = 0
        self._shuffle_rng = np.random.default_rng(seed + 1)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return the logits for a batch ``x``."""
        w1, b1, w2, b2 = self.params
        hidden = x @ w1
        hidden += b1
        np.maximum(hidden, 0, out=hidden)
        logits = hidden @ w2
        logits += b2
        return logits

    def forward_backward(self, x: np.ndarray, y: np.ndarray) -> float:
        """Fill ``self.grads`` for the mean cross-entropy of ``(x, y)``; return the loss."""
        w1, b1, w2, b2 = self.params
        g_w1, g_b1, g_w2, g_b2 = self.grads
        rows = np.arange(len(x))

        hidden = x @ w1
        hidden += b1
        np.maximum(hidden, 0, out=hidden)
        logits = hidden @ w2
        logits += b2

        # Softmax cross-entropy from logits, shifted for stability.
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        sum_exp = exp.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(sum_exp[:, 0]) - logits[rows, y]))

        # d(mean CE)/d(logits) = (softmax - onehot) / batch
        d_logits = exp
        d_logits /= sum_exp
        d_logits[rows, y] -= 1
        d_logits *= 1.0 / len(x)

        np.matmul(hidden.T, d_logits, out=g_w2)
        np.sum(d_logits, axis=0, out=g_b2)
        d_hidden = d_logits @ w2.T
        d_hidden *= hidden > 0
        np.matmul(x.T, d_hidden, out=g_w1)
        np.sum(d_hidden, axis=0, out=g_b1)
        return loss

    def adam_step(self) -> None:
        """Apply one Adam update in place, with the Keras formulation.

        ``alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)`` and
        ``p -= alpha * m / (sqrt(v) + epsilon)``, as ``keras.optimizers.Adam``.
        """
        self.iterations += 1
        t = self.iterations
        alpha = self.learning_rate * np.sqrt(1 - BETA_2**t) / (1 - BETA_1**t)
        for p, g, m, v, s in zip(self.params, self.grads, self._m, self._v, self._scratch):
            np.subtract(g, m, out=s)
            s *= 1 - BETA_1
            m += s
            np.multiply(g, g, out=s)
            s -= v
            s *= 1 - BETA_2
            v += s
            np.sqrt(v, out=s)
            s += EPSILON
            np.divide(m, s, out=s)
            s *= alpha
            p -= s

    def train_epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> float:
        """One epoch over a fresh permutation; return the mean batch loss."""
        order = self._shuffle_rng.permutation(len(x))
        total, steps = 0.0, 0
        for start in batch_starts(len(x), batch_size):
            index = order[start : start + batch_size]
            total += self.forward_backward(x[index], y[index])
            self.adam_step()
            steps += 1
        return total / steps

    def predict(self, x: np.ndarray, batch_size: int) -> np.ndarray:
        """Logits for ``x``, computed batch by batch into one output array."""
        out = np.empty((len(x), self.params[3].shape[0]), dtype=self.params[0].dtype)
        for start in batch_starts(len(x), batch_size):
            out[start : start + batch_size] = self.forward(x[start : start + batch_size])
        return out

    def latency_calls(self) -> dict[str, Callable[[np.ndarray], object]]:
        """Single-sample inference is just ``forward``."""
        return {"forward": self.forward}


class MatmulBound:
    """Only the GEMMs of the forward and backward passes: a lower bound.

    Per batch: ``x @ W1`` and ``h @ W2`` forward; ``h.T @ dlogits``,
    ``dlogits @ W2.T`` and ``x.T @ dh`` backward (no ``dx`` is needed for the
    first layer).  Batches are contiguous slices (no shuffle copy) and every
    product writes into a preallocated buffer.
    """

    name = "matmul bound"

    def __init__(self, seed: int = MODEL_SEED, dtype: type = np.float32) -> None:
        rng = np.random.default_rng(seed)
        self.w1 = glorot_uniform(rng, INPUT_DIM, HIDDEN_DIM, dtype)
        self.w2 = glorot_uniform(rng, HIDDEN_DIM, NUM_CLASSES, dtype)
        self.g_w1 = np.empty_like(self.w1)
        self.g_w2 = np.empty_like(self.w2)
        self.dtype = dtype

    def _buffers(self, batch_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        hidden = np.empty((batch_size, HIDDEN_DIM), dtype=self.dtype)
        logits = np.empty((batch_size, NUM_CLASSES), dtype=self.dtype)
        d_hidden = np.empty((batch_size, HIDDEN_DIM), dtype=self.dtype)
        return hidden, logits, d_hidden

    def train_epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> None:
        """The five matmuls per batch, for every batch of one epoch."""
        hidden_buf, logits_buf, d_hidden_buf = self._buffers(batch_size)
        w1, w2, w2_t = self.w1, self.w2, self.w2.T
        for start in batch_starts(len(x), batch_size):
            xb = x[start : start + batch_size]
            n = len(xb)
            hidden, logits, d_hidden = hidden_buf[:n], logits_buf[:n], d_hidden_buf[:n]
            np.matmul(xb, w1, out=hidden)
            np.matmul(hidden, w2, out=logits)
            # The logits stand in for d(loss)/d(logits): same shape, same cost.
            np.matmul(hidden.T, logits, out=self.g_w2)
            np.matmul(logits, w2_t, out=d_hidden)
            np.matmul(xb.T, d_hidden, out=self.g_w1)

    def predict(self, x: np.ndarray, batch_size: int) -> np.ndarray:
        """The two forward matmuls per batch."""
        hidden_buf, _, _ = self._buffers(batch_size)
        out = np.empty((len(x), NUM_CLASSES), dtype=self.dtype)
        for start in batch_starts(len(x), batch_size):
            xb = x[start : start + batch_size]
            hidden = hidden_buf[: len(xb)]
            np.matmul(xb, self.w1, out=hidden)
            np.matmul(hidden, self.w2, out=out[start : start + len(xb)])
        return out

    def latency_calls(self) -> dict[str, Callable[[np.ndarray], object]]:
        """Two matmuls for one sample."""
        return {"matmuls": lambda x1: (x1 @ self.w1) @ self.w2}


# ---------------------------------------------------------------------------
# Self-checks of the hand-written loop (run with ``python bench/run.py --check``)
# ---------------------------------------------------------------------------


def _check_gradients() -> float:
    """Max relative error of analytic vs central-difference gradients (float64)."""
    rng = np.random.default_rng(0)
    net = NumpyMLP(seed=1, dtype=np.float64, input_dim=6, hidden_dim=5, num_classes=4)
    for p in net.params:  # non-zero biases so that every term is exercised
        p += rng.normal(0.0, 0.1, size=p.shape)
    x = rng.normal(size=(8, 6))
    y = rng.integers(0, 4, size=8)
    net.forward_backward(x, y)
    analytic = [g.copy() for g in net.grads]
    worst, step = 0.0, 1e-6
    for p, g in zip(net.params, analytic):
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + step
            plus = net.forward_backward(x, y)
            p[i] = saved - step
            minus = net.forward_backward(x, y)
            p[i] = saved
            numeric = (plus - minus) / (2 * step)
            worst = max(worst, abs(numeric - g[i]) / max(1e-8, abs(numeric) + abs(g[i])))
    return worst


def _learnable_problem(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-shaped data with learnable labels: noisy copies of 10 prototypes."""
    rng = np.random.default_rng(seed)
    prototypes = rng.random((NUM_CLASSES, INPUT_DIM), dtype=np.float32)
    y = rng.integers(0, NUM_CLASSES, size=n, dtype=np.int64)
    noise = rng.random((n, INPUT_DIM), dtype=np.float32)
    x = 0.2 * prototypes[y] + 0.8 * noise
    return x, y


def _check_learning(epochs: int = 3) -> tuple[list[float], float]:
    """Per-epoch mean losses and accuracy on held-out data of the learnable problem."""
    x, y = _learnable_problem(4000)
    net = NumpyMLP(seed=0)
    losses = [net.train_epoch(x[:3000], y[:3000], batch_size=32) for _ in range(epochs)]
    accuracy = float(np.mean(np.argmax(net.forward(x[3000:]), axis=1) == y[3000:]))
    return losses, accuracy


def _reference_adam(params: list[np.ndarray], grads_per_step: list[list[np.ndarray]]) -> list[np.ndarray]:
    """Keras Adam written out plainly (no in-place tricks), in float64."""
    params = [p.astype(np.float64) for p in params]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t, grads in enumerate(grads_per_step, start=1):
        alpha = LEARNING_RATE * np.sqrt(1 - BETA_2**t) / (1 - BETA_1**t)
        for i, g in enumerate(grads):
            m[i] = BETA_1 * m[i] + (1 - BETA_1) * g
            v[i] = BETA_2 * v[i] + (1 - BETA_2) * g * g
            params[i] = params[i] - alpha * m[i] / (np.sqrt(v[i]) + EPSILON)
    return params


def _check_adam(steps: int = 5) -> float:
    """Max abs difference between the in-place Adam and the plain reference."""
    x, y = _learnable_problem(16 * steps, seed=2)
    net = NumpyMLP(seed=4)
    initial = [p.copy() for p in net.params]
    grads_per_step = []
    for step in range(steps):
        batch = slice(16 * step, 16 * step + 16)
        net.forward_backward(x[batch], y[batch])
        grads_per_step.append([g.astype(np.float64) for g in net.grads])
        net.adam_step()
    expected = _reference_adam(initial, grads_per_step)
    return max(float(np.max(np.abs(a - b))) for a, b in zip(net.params, expected))


def _check_against_torch() -> float | None:
    """Max abs difference of loss and gradients vs PyTorch autograd (float32).

    Returns ``None`` when PyTorch is not installed.  The Adam update itself
    is checked against ``_reference_adam`` rather than ``torch.optim.Adam``:
    PyTorch adds epsilon to ``sqrt(v_hat)`` while Keras adds it to
    ``sqrt(v)``, which legitimately changes updates of near-zero gradients.
    """
    try:
        import torch
    except ImportError:
        return None
    x, y = _learnable_problem(64, seed=1)
    net = NumpyMLP(seed=3)
    linear1 = torch.nn.Linear(INPUT_DIM, HIDDEN_DIM)
    linear2 = torch.nn.Linear(HIDDEN_DIM, NUM_CLASSES)
    with torch.no_grad():
        for layer, w, b in ((linear1, *net.params[:2]), (linear2, *net.params[2:])):
            layer.weight.copy_(torch.from_numpy(w.T.copy()))
            layer.bias.copy_(torch.from_numpy(b))
    model = torch.nn.Sequential(linear1, torch.nn.ReLU(), linear2)
    torch_loss = torch.nn.CrossEntropyLoss()(model(torch.from_numpy(x)), torch.from_numpy(y))
    torch_loss.backward()
    numpy_loss = net.forward_backward(x, y)
    torch_grads = [
        linear1.weight.grad.numpy().T,
        linear1.bias.grad.numpy(),
        linear2.weight.grad.numpy().T,
        linear2.bias.grad.numpy(),
    ]
    grad_diff = max(float(np.max(np.abs(a - b))) for a, b in zip(net.grads, torch_grads))
    return max(grad_diff, abs(numpy_loss - torch_loss.item()))


def check_numpy_loop() -> bool:
    """Run all self-checks of ``NumpyMLP``, print a report and return success."""
    ok = True
    grad_error = _check_gradients()
    grad_ok = grad_error < 1e-6
    print(
        f"gradient check (float64, central differences): max rel error {grad_error:.2e}"
        f" -> {'ok' if grad_ok else 'FAIL'}"
    )
    ok &= grad_ok

    losses, accuracy = _check_learning()
    learn_ok = losses[-1] < 0.5 * losses[0] and accuracy > 0.9
    print(
        "learnable toy problem, epoch losses: "
        + ", ".join(f"{v:.4f}" for v in losses)
        + f"; held-out accuracy {accuracy:.3f} -> {'ok' if learn_ok else 'FAIL'}"
    )
    ok &= learn_ok

    adam_diff = _check_adam()
    adam_ok = adam_diff < 1e-6
    print(
        f"in-place Adam vs plain float64 reference (5 steps): max abs diff {adam_diff:.2e}"
        f" -> {'ok' if adam_ok else 'FAIL'}"
    )
    ok &= adam_ok

    torch_diff = _check_against_torch()
    if torch_diff is None:
        print("torch cross-check: skipped (torch not installed)")
    else:
        torch_ok = torch_diff < 1e-5
        print(
            f"loss and gradients vs torch autograd: max abs diff {torch_diff:.2e}"
            f" -> {'ok' if torch_ok else 'FAIL'}"
        )
        ok &= torch_ok
    return bool(ok)
