"""PyTorch as an oracle (tier 4) for the losses torch defines with the same formula: values and gradients
with respect to the predictions, float64. Skipped only where torch is not installed.

Matching definitions (torch.nn.functional): mse_loss, l1_loss, huber_loss(delta) (½x² below δ,
δ(|x| − ½δ) above: the same function), binary_cross_entropy(_with_logits), cross_entropy with
probability targets and label_smoothing (y·(1 − ls) + ls/C, as Keras; applied to log p it renormalises
probabilities as Keras does), kl_div(log q, p, reduction="batchmean") (= Keras's Σ over classes, mean
over the batch, when nothing is clipped), poisson_nll_loss(log_input=False, eps=1e-7)
(= ŷ − y·log(ŷ + ε)), and −cosine_similarity.
"""

import numpy as np
import pytest

import neurona
from neurona import losses

torch = pytest.importorskip("torch")
F = torch.nn.functional
pytestmark = pytest.mark.torch

RNG = np.random.default_rng(7)
N, C = 6, 4
TARGETS = RNG.normal(size=(N, C))
PREDS = RNG.normal(size=(N, C)) * 2
LOGITS = RNG.normal(size=(N, C)) * 3
BINARY = RNG.integers(0, 2, size=(N, C)).astype(np.float64)
PROBS = 1 / (1 + np.exp(-RNG.normal(size=(N, C))))
DISTRIBUTION = np.exp(LOGITS) / np.exp(LOGITS).sum(axis=-1, keepdims=True)
OTHER_DISTRIBUTION = RNG.dirichlet(np.ones(C), size=N)
COUNTS = RNG.poisson(3.0, size=(N, C)).astype(np.float64)
RATES = RNG.uniform(0.5, 5.0, size=(N, C))


def ours(loss, y_true, y_pred):
    x = neurona.Variable(y_pred.copy())
    with neurona.GradientTape() as tape:
        value = loss(y_true, x)
    return value.numpy(), tape.gradient(value, x).numpy()


def theirs(fn, y_pred):
    x = torch.tensor(y_pred, requires_grad=True)
    value = fn(x)
    value.backward()
    return value.detach().numpy(), x.grad.numpy()


CASES = {
    "mse": (losses.MeanSquaredError(), TARGETS, PREDS, lambda x: F.mse_loss(x, torch.tensor(TARGETS))),
    "mae": (losses.MeanAbsoluteError(), TARGETS, PREDS, lambda x: F.l1_loss(x, torch.tensor(TARGETS))),
    "huber_1": (losses.Huber(), TARGETS, PREDS, lambda x: F.huber_loss(x, torch.tensor(TARGETS), delta=1.0)),
    "huber_0.3": (
        losses.Huber(delta=0.3),
        TARGETS,
        PREDS,
        lambda x: F.huber_loss(x, torch.tensor(TARGETS), delta=0.3),
    ),
    "bce": (
        losses.BinaryCrossentropy(),
        BINARY,
        PROBS,
        lambda x: F.binary_cross_entropy(x, torch.tensor(BINARY)),
    ),
    "bce_logits": (
        losses.BinaryCrossentropy(from_logits=True),
        BINARY,
        LOGITS,
        lambda x: F.binary_cross_entropy_with_logits(x, torch.tensor(BINARY)),
    ),
    "cce_logits": (
        losses.CategoricalCrossentropy(from_logits=True),
        OTHER_DISTRIBUTION,
        LOGITS,
        lambda x: F.cross_entropy(x, torch.tensor(OTHER_DISTRIBUTION)),
    ),
    "cce_logits_smoothing": (
        losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2),
        OTHER_DISTRIBUTION,
        LOGITS,
        lambda x: F.cross_entropy(x, torch.tensor(OTHER_DISTRIBUTION), label_smoothing=0.2),
    ),
    "cce_probabilities": (  # rows of PROBS do not sum to 1: the renormalisation is part of the check
        losses.CategoricalCrossentropy(),
        OTHER_DISTRIBUTION,
        PROBS,
        # log_softmax(log p) = log(p / Σp): torch's cross_entropy on log p renormalises exactly as Keras does
        lambda x: F.cross_entropy(torch.log(x), torch.tensor(OTHER_DISTRIBUTION)),
    ),
    "scce_logits": (
        losses.SparseCategoricalCrossentropy(from_logits=True),
        BINARY[:, 0].astype(np.int64) + 2,
        LOGITS,
        lambda x: F.cross_entropy(x, torch.tensor(BINARY[:, 0].astype(np.int64) + 2)),
    ),
    "kl_divergence": (
        losses.KLDivergence(),
        OTHER_DISTRIBUTION,
        DISTRIBUTION,
        lambda x: F.kl_div(torch.log(x), torch.tensor(OTHER_DISTRIBUTION), reduction="batchmean"),
    ),
    "poisson": (
        losses.Poisson(),
        COUNTS,
        RATES,
        lambda x: F.poisson_nll_loss(x, torch.tensor(COUNTS), log_input=False, full=False, eps=1e-7),
    ),
    "cosine_similarity": (
        losses.CosineSimilarity(),
        TARGETS,
        PREDS,
        lambda x: -F.cosine_similarity(x, torch.tensor(TARGETS), dim=-1).mean(),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_value_and_gradient_match_pytorch(case):
    loss, y_true, y_pred, torch_fn = CASES[case]
    value, grad = ours(loss, y_true, y_pred)
    expected_value, expected_grad = theirs(torch_fn, y_pred)
    np.testing.assert_allclose(value, expected_value, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-9, atol=1e-12)


def test_huber_reduction_none_matches_pytorch_per_element_mean():
    # Keras averages over the last axis; torch's reduction="none" keeps elements: compare their row means
    got = losses.Huber(delta=0.5, reduction=None)(TARGETS, PREDS).numpy()
    expected = F.huber_loss(torch.tensor(PREDS), torch.tensor(TARGETS), reduction="none", delta=0.5).numpy()
    np.testing.assert_allclose(got, expected.mean(axis=-1), rtol=1e-12)


def test_bce_logits_extreme_matches_pytorch():
    logits = np.array([[100.0, -100.0, 30.0], [-100.0, 100.0, -30.0]])
    targets = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
    value, grad = ours(losses.BinaryCrossentropy(from_logits=True), targets, logits)
    expected_value, expected_grad = theirs(
        lambda x: F.binary_cross_entropy_with_logits(x, torch.tensor(targets)), logits
    )
    np.testing.assert_allclose(value, expected_value, rtol=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-12)
