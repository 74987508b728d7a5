"""NumPy peers: a hand-written training loop and the "matmuls alone" bound.

``NumpyMLP`` is what a careful engineer would write by hand for a plain MLP of
any widths: explicit forward pass, fused softmax/cross-entropy gradient (or
mean squared error), explicit backward pass and an in-place Adam (or plain
SGD) update on preallocated buffers.  It is the reference for "how fast can
plain NumPy train this network".  ``NumpyPlayground`` runs it on W4.

``MatmulBound`` performs only the matrix products of the forward and backward
passes (no bias, activation, loss, optimizer or shuffling work), on contiguous
batch views and into preallocated outputs.  No NumPy implementation of the
same network can do less work, so its time is a lower bound.

``check_numpy_loop`` verifies the hand-written loop (gradients against finite
differences, loss decrease on learnable problems, the in-place Adam and SGD
against plain references, and, if PyTorch is installed, loss and gradients
against PyTorch autograd).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from workloads import (
    BETA_1,
    BETA_2,
    EPSILON,
    INPUT_DIM,
    LEARNING_RATE,
    MODEL_SEED,
    NUM_CLASSES,
    PLAYGROUND_BATCH_SIZE,
    PLAYGROUND_EPOCHS,
    PLAYGROUND_LEARNING_RATE,
    PLAYGROUND_SIZES,
    W1_SIZES,
    W2_SIZES,
    batch_starts,
    circle_numpy,
    glorot_uniform,
    layer_pairs,
)

ACTIVATIONS = ("relu", "tanh", "linear")
LOSSES = ("sparse_ce", "mse")
OPTIMIZERS = ("adam", "sgd")


class NumpyMLP:
    """Dense MLP of any widths trained by hand: relu/tanh hidden layers, Adam or SGD.

    ``sizes`` lists the widths, input first.  Hidden layers use
    ``activation``; the last layer uses ``output_activation`` (``"linear"``:
    logits).  ``loss`` is ``"sparse_ce"`` (softmax cross-entropy from logits,
    integer labels) or ``"mse"`` (Keras's mean squared error, labels shaped
    like the output).  ``params`` is ``[W0, b0, W1, b1, ...]``.
    """

    name = "numpy loop"

    def __init__(
        self,
        sizes: tuple[int, ...] = W1_SIZES,
        seed: int = MODEL_SEED,
        dtype: type = np.float32,
        *,
        activation: str = "relu",
        output_activation: str = "linear",
        loss: str = "sparse_ce",
        optimizer: str = "adam",
        learning_rate: float = LEARNING_RATE,
    ) -> None:
        if activation not in ACTIVATIONS or output_activation not in ACTIVATIONS:
            raise ValueError(f"activations must be among {ACTIVATIONS}")
        if loss not in LOSSES or optimizer not in OPTIMIZERS:
            raise ValueError(f"loss must be among {LOSSES}, optimizer among {OPTIMIZERS}")
        rng = np.random.default_rng(seed)
        self.sizes = tuple(sizes)
        self.params: list[np.ndarray] = []
        for fan_in, fan_out in layer_pairs(self.sizes):
            self.params += [glorot_uniform(rng, fan_in, fan_out, dtype), np.zeros(fan_out, dtype=dtype)]
        self.grads = [np.zeros_like(p) for p in self.params]
        self._scratch = [np.empty_like(p) for p in self.params]
        self._m = [np.zeros_like(p) for p in self.params] if optimizer == "adam" else []
        self._v = [np.zeros_like(p) for p in self.params] if optimizer == "adam" else []
        self.activation = activation
        self.output_activation = output_activation
        self.loss = loss
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.iterations = 0
        self._shuffle_rng = np.random.default_rng(seed + 1)

    @property
    def num_layers(self) -> int:
        return len(self.params) // 2

    @staticmethod
    def _activate(z: np.ndarray, activation: str) -> None:
        if activation == "relu":
            np.maximum(z, 0, out=z)
        elif activation == "tanh":
            np.tanh(z, out=z)

    def _layer_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """``[x, a_1, ..., a_L]``: the input and every layer's activated output."""
        outputs = [x]
        last = self.num_layers - 1
        for i in range(self.num_layers):
            z = outputs[-1] @ self.params[2 * i]
            z += self.params[2 * i + 1]
            self._activate(z, self.activation if i < last else self.output_activation)
            outputs.append(z)
        return outputs

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return the network outputs (logits for cross-entropy) for a batch ``x``."""
        return self._layer_outputs(x)[-1]

    def _loss_and_output_grad(self, out: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean loss of the batch and its gradient with respect to the last layer's pre-activation."""
        n = len(out)
        if self.loss == "sparse_ce":
            rows = np.arange(n)
            # Softmax cross-entropy from logits, shifted for stability (``out`` is consumed).
            out -= out.max(axis=1, keepdims=True)
            exp = np.exp(out)
            sum_exp = exp.sum(axis=1, keepdims=True)
            loss = float(np.mean(np.log(sum_exp[:, 0]) - out[rows, y]))
            # d(mean CE)/d(logits) = (softmax - onehot) / batch
            d_out = exp
            d_out /= sum_exp
            d_out[rows, y] -= 1
            d_out *= 1.0 / n
            return loss, d_out
        # Keras MSE: mean over the last axis, then over the batch = mean over all entries.
        d_out = out - y
        loss = float(np.vdot(d_out, d_out)) / d_out.size
        d_out *= 2.0 / d_out.size
        if self.output_activation == "tanh":
            d_out *= 1 - out * out
        elif self.output_activation == "relu":
            d_out *= out > 0
        return loss, d_out

    def forward_backward(self, x: np.ndarray, y: np.ndarray) -> float:
        """Fill ``self.grads`` for the mean loss of ``(x, y)``; return the loss."""
        outputs = self._layer_outputs(x)
        loss, delta = self._loss_and_output_grad(outputs[-1], y)
        for i in reversed(range(self.num_layers)):
            np.matmul(outputs[i].T, delta, out=self.grads[2 * i])
            np.sum(delta, axis=0, out=self.grads[2 * i + 1])
            if i == 0:
                break
            delta = delta @ self.params[2 * i].T
            hidden = outputs[i]
            if self.activation == "relu":
                delta *= hidden > 0
            elif self.activation == "tanh":
                delta *= 1 - hidden * hidden
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

    def sgd_step(self) -> None:
        """Plain SGD (no momentum) in place: ``p -= lr * g``."""
        self.iterations += 1
        for p, g, s in zip(self.params, self.grads, self._scratch):
            np.multiply(g, self.learning_rate, out=s)
            p -= s

    def train_epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> float:
        """One epoch over a fresh permutation; return the mean batch loss."""
        step = self.adam_step if self.optimizer == "adam" else self.sgd_step
        order = self._shuffle_rng.permutation(len(x))
        total, steps = 0.0, 0
        for start in batch_starts(len(x), batch_size):
            index = order[start : start + batch_size]
            total += self.forward_backward(x[index], y[index])
            step()
            steps += 1
        return total / steps

    def predict(self, x: np.ndarray, batch_size: int) -> np.ndarray:
        """Outputs for ``x``, computed batch by batch into one output array."""
        out = np.empty((len(x), self.sizes[-1]), dtype=self.params[0].dtype)
        for start in batch_starts(len(x), batch_size):
            out[start : start + batch_size] = self.forward(x[start : start + batch_size])
        return out

    def latency_calls(self) -> dict[str, Callable[[np.ndarray], object]]:
        """Single-sample inference is just ``forward``."""
        return {"forward": self.forward}


class NumpyPlayground:
    """W4 with the hand-written loop: tanh everywhere, MSE, plain SGD, one epoch loop per call."""

    name = "numpy loop"

    def __init__(self, seed: int = MODEL_SEED) -> None:
        self.net = NumpyMLP(
            PLAYGROUND_SIZES,
            seed,
            activation="tanh",
            output_activation="tanh",
            loss="mse",
            optimizer="sgd",
            learning_rate=PLAYGROUND_LEARNING_RATE,
        )

    def fit(self, x: np.ndarray, y: np.ndarray, batch_size: int, epochs: int) -> float:
        """``epochs`` epochs, each with a fresh permutation; return the last epoch's mean loss."""
        loss = float("nan")
        for _ in range(epochs):
            loss = self.net.train_epoch(x, y, batch_size)
        return loss

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.net.forward(x)


class MatmulBound:
    """Only the GEMMs of the forward and backward passes: a lower bound.

    Per batch and layer ``i``: ``h_i @ W_i`` forward; ``h_i.T @ d_i`` (weight
    gradient) and, for every layer but the first, ``d_i @ W_i.T`` backward (no
    ``dx`` is needed for the data).  Batches are contiguous slices (no shuffle
    copy) and every product writes into a preallocated buffer.  See
    ``workloads.gemm_flops_per_sample`` for the operation count.
    """

    name = "matmul bound"

    def __init__(
        self, sizes: tuple[int, ...] = W1_SIZES, seed: int = MODEL_SEED, dtype: type = np.float32
    ) -> None:
        rng = np.random.default_rng(seed)
        self.sizes = tuple(sizes)
        self.weights = [glorot_uniform(rng, a, b, dtype) for a, b in layer_pairs(self.sizes)]
        self.weights_t = [w.T for w in self.weights]
        self.grads = [np.empty_like(w) for w in self.weights]
        self.dtype = dtype

    def _buffers(self, batch_size: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Layer outputs (every layer) and input gradients (every layer but the first)."""
        outputs = [np.empty((batch_size, width), dtype=self.dtype) for width in self.sizes[1:]]
        deltas = [np.empty((batch_size, width), dtype=self.dtype) for width in self.sizes[1:-1]]
        return outputs, deltas

    def train_epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> None:
        """The forward and backward matmuls of every batch of one epoch."""
        output_bufs, delta_bufs = self._buffers(batch_size)
        last = len(self.weights) - 1
        for start in batch_starts(len(x), batch_size):
            xb = x[start : start + batch_size]
            n = len(xb)
            hidden = [xb] + [buf[:n] for buf in output_bufs]
            for i, w in enumerate(self.weights):
                np.matmul(hidden[i], w, out=hidden[i + 1])
            # The outputs stand in for d(loss)/d(outputs): same shape, same cost.
            delta = hidden[last + 1]
            for i in range(last, -1, -1):
                np.matmul(hidden[i].T, delta, out=self.grads[i])
                if i > 0:
                    below = delta_bufs[i - 1][:n]
                    np.matmul(delta, self.weights_t[i], out=below)
                    delta = below

    def predict(self, x: np.ndarray, batch_size: int) -> np.ndarray:
        """The forward matmuls per batch."""
        output_bufs, _ = self._buffers(batch_size)
        out = np.empty((len(x), self.sizes[-1]), dtype=self.dtype)
        for start in batch_starts(len(x), batch_size):
            xb = x[start : start + batch_size]
            n = len(xb)
            hidden = [xb] + [buf[:n] for buf in output_bufs[:-1]] + [out[start : start + n]]
            for i, w in enumerate(self.weights):
                np.matmul(hidden[i], w, out=hidden[i + 1])
        return out

    def _chain(self, x1: np.ndarray) -> np.ndarray:
        for w in self.weights:
            x1 = x1 @ w
        return x1

    def latency_calls(self) -> dict[str, Callable[[np.ndarray], object]]:
        """The forward matmuls for one sample."""
        return {"matmuls": self._chain}


# ---------------------------------------------------------------------------
# Self-checks of the hand-written loop (run with ``python bench/run.py --check``)
# ---------------------------------------------------------------------------

# (label, sizes, NumpyMLP keyword arguments) of the small networks the gradient check covers.
GRADIENT_CHECK_NETS: tuple[tuple[str, tuple[int, ...], dict[str, str]], ...] = (
    ("relu, 1 hidden, cross-entropy", (6, 5, 4), {}),
    ("relu, 2 hidden, cross-entropy", (6, 5, 3, 4), {}),
    (
        "tanh, Playground, MSE",
        PLAYGROUND_SIZES,
        {"activation": "tanh", "output_activation": "tanh", "loss": "mse", "optimizer": "sgd"},
    ),
)


def gradient_error(sizes: tuple[int, ...], seed: int = 1, batch: int = 8, **options: str) -> float:
    """Max relative error of analytic vs central-difference gradients (float64)."""
    rng = np.random.default_rng(seed)
    net = NumpyMLP(sizes, seed=seed, dtype=np.float64, **options)
    for p in net.params:  # non-zero biases so that every term is exercised
        p += rng.normal(0.0, 0.1, size=p.shape)
    x = rng.normal(size=(batch, sizes[0]))
    if net.loss == "sparse_ce":
        y = rng.integers(0, sizes[-1], size=batch)
    else:
        y = rng.uniform(-1.0, 1.0, size=(batch, sizes[-1]))
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


def _check_gradients() -> dict[str, float]:
    """Gradient-check errors of every network in ``GRADIENT_CHECK_NETS``."""
    return {label: gradient_error(sizes, **options) for label, sizes, options in GRADIENT_CHECK_NETS}


def _learnable_problem(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-shaped data with learnable labels: noisy copies of 10 prototypes."""
    rng = np.random.default_rng(seed)
    prototypes = rng.random((NUM_CLASSES, INPUT_DIM), dtype=np.float32)
    y = rng.integers(0, NUM_CLASSES, size=n, dtype=np.int64)
    noise = rng.random((n, INPUT_DIM), dtype=np.float32)
    x = 0.2 * prototypes[y] + 0.8 * noise
    return x, y


def _check_learning(epochs: int = 3, sizes: tuple[int, ...] = W1_SIZES) -> tuple[list[float], float]:
    """Per-epoch mean losses and accuracy on held-out data of the learnable problem."""
    x, y = _learnable_problem(4000)
    net = NumpyMLP(sizes, seed=0)
    losses = [net.train_epoch(x[:3000], y[:3000], batch_size=32) for _ in range(epochs)]
    accuracy = float(np.mean(np.argmax(net.forward(x[3000:]), axis=1) == y[3000:]))
    return losses, accuracy


def playground_accuracy(
    epochs: int = PLAYGROUND_EPOCHS, seed: int = MODEL_SEED, data_seed: int = 0
) -> tuple[float, float]:
    """W4 with the NumPy loop on circle data: (mean loss of the last epoch, sign accuracy)."""
    x, y = circle_numpy(seed=data_seed)
    peer = NumpyPlayground(seed)
    loss = peer.fit(x, y.reshape(-1, 1), PLAYGROUND_BATCH_SIZE, epochs)
    accuracy = float(np.mean(np.sign(peer.predict(x)[:, 0]) == y))
    return loss, accuracy


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


def _check_adam(steps: int = 5, sizes: tuple[int, ...] = W1_SIZES) -> float:
    """Max abs difference between the in-place Adam and the plain reference."""
    x, y = _learnable_problem(16 * steps, seed=2)
    net = NumpyMLP(sizes, seed=4)
    initial = [p.copy() for p in net.params]
    grads_per_step = []
    for step in range(steps):
        batch = slice(16 * step, 16 * step + 16)
        net.forward_backward(x[batch], y[batch])
        grads_per_step.append([g.astype(np.float64) for g in net.grads])
        net.adam_step()
    expected = _reference_adam(initial, grads_per_step)
    return max(float(np.max(np.abs(a - b))) for a, b in zip(net.params, expected))


def _check_sgd(steps: int = 5) -> float:
    """Max abs difference between the in-place SGD and ``p - lr * g`` in float64 (Playground net)."""
    x, y = circle_numpy(10 * steps, seed=3)
    net = NumpyPlayground(seed=5).net
    expected = [p.astype(np.float64) for p in net.params]
    for step in range(steps):
        batch = slice(10 * step, 10 * step + 10)
        net.forward_backward(x[batch], y[batch].reshape(-1, 1))
        expected = [p - net.learning_rate * g.astype(np.float64) for p, g in zip(expected, net.grads)]
        net.sgd_step()
    return max(float(np.max(np.abs(a - b))) for a, b in zip(net.params, expected))


def _torch_twin(net: NumpyMLP) -> tuple[object, object]:
    """A PyTorch model with ``net``'s weights and activations, and its loss function."""
    import torch

    layers: list[object] = []
    last = net.num_layers - 1
    for i in range(net.num_layers):
        w, b = net.params[2 * i], net.params[2 * i + 1]
        linear = torch.nn.Linear(*w.shape)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w.T.copy()))
            linear.bias.copy_(torch.from_numpy(b.copy()))
        layers.append(linear)
        activation = net.activation if i < last else net.output_activation
        if activation == "relu":
            layers.append(torch.nn.ReLU())
        elif activation == "tanh":
            layers.append(torch.nn.Tanh())
    loss_fn = torch.nn.CrossEntropyLoss() if net.loss == "sparse_ce" else torch.nn.MSELoss()
    return torch.nn.Sequential(*layers), loss_fn


def torch_difference(net: NumpyMLP, x: np.ndarray, y: np.ndarray) -> float:
    """Max abs difference of loss and gradients between ``net`` and PyTorch autograd."""
    import torch

    model, loss_fn = _torch_twin(net)
    torch_loss = loss_fn(model(torch.from_numpy(x)), torch.from_numpy(y))
    torch_loss.backward()
    numpy_loss = net.forward_backward(x, y)
    linears = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
    torch_grads = []
    for linear in linears:
        torch_grads += [linear.weight.grad.numpy().T, linear.bias.grad.numpy()]
    grad_diff = max(float(np.max(np.abs(a - b))) for a, b in zip(net.grads, torch_grads))
    return max(grad_diff, abs(numpy_loss - torch_loss.item()))


def _check_against_torch() -> dict[str, float] | None:
    """Max abs difference of loss and gradients vs PyTorch autograd (float32), per network.

    Returns ``None`` when PyTorch is not installed.  The Adam update itself
    is checked against ``_reference_adam`` rather than ``torch.optim.Adam``:
    PyTorch adds epsilon to ``sqrt(v_hat)`` while Keras adds it to
    ``sqrt(v)``, which legitimately changes updates of near-zero gradients.
    """
    try:
        import torch  # noqa: F401
    except ImportError:
        return None
    x, y = _learnable_problem(64, seed=1)
    results = {
        "W1 network": torch_difference(NumpyMLP(W1_SIZES, seed=3), x, y),
        "W2 network": torch_difference(NumpyMLP(W2_SIZES, seed=3), x, y),
    }
    px, py = circle_numpy(20, seed=4)
    playground = NumpyPlayground(seed=3).net
    results["W4 network"] = torch_difference(playground, px, py.reshape(-1, 1))
    return results


def check_numpy_loop() -> bool:
    """Run all self-checks of ``NumpyMLP``, print a report and return success."""
    ok = True
    for label, grad_error in _check_gradients().items():
        grad_ok = grad_error < 1e-6
        print(
            f"gradient check ({label}; float64, central differences): max rel error {grad_error:.2e}"
            f" -> {'ok' if grad_ok else 'FAIL'}"
        )
        ok &= grad_ok

    for sizes in (W1_SIZES, W2_SIZES):
        losses, accuracy = _check_learning(sizes=sizes)
        learn_ok = losses[-1] < 0.5 * losses[0] and accuracy > 0.9
        print(
            f"learnable toy problem, {sizes}, epoch losses: "
            + ", ".join(f"{v:.4f}" for v in losses)
            + f"; held-out accuracy {accuracy:.3f} -> {'ok' if learn_ok else 'FAIL'}"
        )
        ok &= learn_ok

    loss, accuracy = playground_accuracy()
    circle_ok = accuracy > 0.9
    print(
        f"Playground circle (W4 loop, {PLAYGROUND_EPOCHS} epochs): last-epoch MSE {loss:.4f}, "
        f"sign accuracy {accuracy:.3f} -> {'ok' if circle_ok else 'FAIL'}"
    )
    ok &= circle_ok

    adam_diff = _check_adam()
    adam_ok = adam_diff < 1e-6
    print(
        f"in-place Adam vs plain float64 reference (5 steps): max abs diff {adam_diff:.2e}"
        f" -> {'ok' if adam_ok else 'FAIL'}"
    )
    ok &= adam_ok

    sgd_diff = _check_sgd()
    sgd_ok = sgd_diff < 1e-6
    print(
        f"in-place SGD vs p - lr * g in float64 (5 steps): max abs diff {sgd_diff:.2e}"
        f" -> {'ok' if sgd_ok else 'FAIL'}"
    )
    ok &= sgd_ok

    torch_diffs = _check_against_torch()
    if torch_diffs is None:
        print("torch cross-check: skipped (torch not installed)")
    else:
        for label, torch_diff in torch_diffs.items():
            torch_ok = torch_diff < 1e-5
            print(
                f"loss and gradients vs torch autograd ({label}): max abs diff {torch_diff:.2e}"
                f" -> {'ok' if torch_ok else 'FAIL'}"
            )
            ok &= torch_ok
    return bool(ok)
