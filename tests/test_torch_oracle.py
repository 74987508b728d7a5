"""PyTorch as an oracle (tier 4): same initial weights, same data, same batches → the same losses and
weights within float32 tolerance. Skipped only where torch is not installed (CI installs it)."""

import numpy as np
import pytest

import neurona as nn
from neurona import layers

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def twin_models(activation="relu"):
    model = nn.Sequential([nn.Input(shape=(20,)), layers.Dense(16, activation=activation), layers.Dense(5)])
    act = {"relu": torch.nn.ReLU(), "tanh": torch.nn.Tanh(), "sigmoid": torch.nn.Sigmoid()}[activation]
    twin = torch.nn.Sequential(torch.nn.Linear(20, 16), act, torch.nn.Linear(16, 5))
    with torch.no_grad():
        for linear, (kernel, bias) in zip(
            [twin[0], twin[2]], [model.get_weights()[:2], model.get_weights()[2:]]
        ):
            linear.weight.copy_(torch.from_numpy(kernel.T.copy()))
            linear.bias.copy_(torch.from_numpy(bias))
    return model, twin


def data(n=96):
    rng = np.random.default_rng(3)
    return rng.normal(size=(n, 20)).astype("float32"), rng.integers(0, 5, n)


def torch_epoch_losses(twin, optimizer, x, y, batch_size, epochs):
    losses = []
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(epochs):
        total = 0.0
        for start in range(0, len(x), batch_size):
            xb, yb = (
                torch.from_numpy(x[start : start + batch_size]),
                torch.from_numpy(y[start : start + batch_size]),
            )
            optimizer.zero_grad()
            loss = loss_fn(twin(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        losses.append(total / len(x))
    return losses


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_training_matches_pytorch(name, activation):
    x, y = data()
    model, twin = twin_models(activation)
    if name == "sgd":
        ours, theirs = nn.optimizers.SGD(0.1), torch.optim.SGD(twin.parameters(), lr=0.1)
    elif name == "momentum":
        # Keras's velocity m ← μm − lr·g equals PyTorch's (dampening 0) while lr is constant
        ours, theirs = (
            nn.optimizers.SGD(0.05, momentum=0.9),
            torch.optim.SGD(twin.parameters(), lr=0.05, momentum=0.9),
        )
    else:
        # ε is placed differently (Keras: on √v, PyTorch: on √v̂); with ε = 1e-12 both vanish
        ours = nn.optimizers.Adam(0.01, epsilon=1e-12)
        theirs = torch.optim.Adam(twin.parameters(), lr=0.01, eps=1e-12)
    model.compile(optimizer=ours, loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    expected = torch_epoch_losses(twin, theirs, x, y, 16, 3)
    np.testing.assert_allclose(history.history["loss"], expected, rtol=2e-5)
    final_kernel = twin[0].weight.detach().numpy().T
    np.testing.assert_allclose(model.get_weights()[0], final_kernel, atol=2e-5)


def test_loss_gradients_match_pytorch():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(6, 4)).astype("float64") * 3
    labels = rng.integers(0, 4, 6)
    targets = rng.integers(0, 2, (6, 4)).astype("float64")
    cases = [
        (
            lambda z: nn.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, z),
            lambda z: torch.nn.functional.cross_entropy(z, torch.from_numpy(labels)),
        ),
        (
            lambda z: nn.losses.BinaryCrossentropy(from_logits=True)(targets, z),
            lambda z: torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(targets)),
        ),
        (
            lambda z: nn.losses.MeanSquaredError()(targets, z),
            lambda z: torch.nn.functional.mse_loss(z, torch.from_numpy(targets)),
        ),
        (
            lambda z: nn.losses.CategoricalCrossentropy(from_logits=True)(
                targets / targets.sum(1, keepdims=True).clip(1), z
            ),
            lambda z: torch.nn.functional.cross_entropy(
                z, torch.from_numpy(targets / targets.sum(1, keepdims=True).clip(1))
            ),
        ),
    ]
    for ours, theirs in cases:
        z = nn.Variable(logits)
        with nn.GradientTape() as tape:
            value = ours(z)
        grad = tape.gradient(value, z).numpy()
        zt = torch.tensor(logits, requires_grad=True)
        reference = theirs(zt)
        reference.backward()
        assert float(value) == pytest.approx(reference.item(), rel=1e-10)
        np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-9, atol=1e-12)
