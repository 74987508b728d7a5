"""What the `TensorBoard` callback reads from the model (through `callback.model` only): the fixed
sample of validation points, gradients of the compiled loss on it, dead ReLU units, class labels and
probabilities for PR curves and projector labels, and the hyper-parameters it can see by itself."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import activations
from ..engine import GradientTape
from ..utils.tree import flatten


def sample_indices(n_total: int, n: int, seed: int | None) -> np.ndarray:
    """`n` distinct row indices out of `n_total`, in increasing order, drawn with
    `np.random.default_rng(seed)` (all rows, in order, when `n ≥ n_total`). The callback's own
    generator: neurona's global one is not touched, so adding the callback does not change training."""
    if n >= n_total:
        return np.arange(n_total)
    return np.sort(np.random.default_rng(seed).choice(n_total, size=n, replace=False))


def model_input(xs: list[np.ndarray]) -> Any:
    """The model's input from a list of input arrays (one array for single-input models)."""
    return xs[0] if len(xs) == 1 else list(xs)


def loss_gradients(
    model: Any, xs: list[np.ndarray], ys: list[np.ndarray], sample_weight: np.ndarray | None
) -> list[tuple[Any, np.ndarray]]:
    """(weight, ∂L/∂weight) for every trainable weight, where L is the compiled loss on `(xs, ys)` plus
    the regularization penalties (the objective `fit` minimizes), computed with `training=False` so
    that dropout does not make the numbers random."""
    trainable = list(model.trainable_weights)
    with GradientTape() as tape:
        predictions = flatten(model(model_input(xs), training=False))
        loss, _ = model._compiled_loss(ys, predictions, sample_weight)
        penalties = list(model.losses)
        if penalties:
            loss = loss + sum(penalties[1:], penalties[0])
    grads = tape.gradient(loss, trainable, unconnected_gradients="zero")
    return [(weight, np.asarray(grad.data)) for weight, grad in zip(trainable, grads)]


def is_relu_layer(layer: Any) -> bool:
    """Whether the layer's output is max(x, 0): a `ReLU` layer without leak or threshold, or a layer
    whose `activation` is relu (`Dense(..., activation="relu")`, `Activation("relu")`)."""
    if type(layer).__name__ == "ReLU":
        return not getattr(layer, "negative_slope", 0.0) and not getattr(layer, "threshold", 0.0)
    return getattr(layer, "activation", None) is activations.relu


def dead_fraction(output: np.ndarray) -> float:
    """The fraction of units (last axis) that output 0 for every sample: a dead ReLU unit passes no
    gradient, so it never recovers. Formula: mean over units u of [max over samples n of out[n, u] ≤ 0]."""
    values = np.asarray(output).reshape(-1, output.shape[-1])
    return float(np.mean(np.all(values <= 0, axis=0)))


def loss_from_logits(model: Any) -> bool | None:
    """The compiled loss's `from_logits` for the first output (None when the loss has no such option)."""
    compiled = getattr(model, "_compiled_loss", None)
    losses = getattr(compiled, "losses", None) or []
    if not losses or losses[0] is None:
        return None
    value = getattr(losses[0], "from_logits", None)
    return None if value is None else bool(value)


def classification_targets(y: np.ndarray, width: int) -> np.ndarray | None:
    """Targets as a 0/1 matrix (n, width), one column per class, or None when `y` is not a
    classification target for predictions of `width` columns: binary 0/1 labels (width 1), integer class
    indices in [0, width), or one-hot / multi-label 0/1 rows of `width` columns."""
    y = np.asarray(y)
    if y.dtype.kind not in "biuf" or y.size == 0:
        return None
    is_01 = bool(np.all((y == 0) | (y == 1)))
    if y.ndim == 2 and y.shape[1] == width and width > 1:
        return y.astype(bool) if is_01 else None
    labels = y.reshape(len(y), -1)
    if labels.shape[1] != 1:
        return None
    labels = labels[:, 0]
    if width == 1:
        return labels.astype(bool)[:, None] if is_01 else None
    if not np.all(labels == np.round(labels)) or labels.min() < 0 or labels.max() >= width:
        return None
    return np.arange(width)[None, :] == labels.astype(np.int64)[:, None]


def class_probabilities(predictions: np.ndarray, targets: np.ndarray, from_logits: bool | None) -> np.ndarray:
    """Predictions as probabilities in [0, 1]: as they are when they already are (and the loss does not
    say `from_logits=True`), else σ(z) for one column or multi-label targets, softmax(z) for one class
    per row."""
    p = np.asarray(predictions, dtype=np.float64).reshape(len(targets), -1)
    in_range = np.all((p >= 0) & (p <= 1))
    if not from_logits and in_range:
        return p
    one_class_per_row = p.shape[1] > 1 and bool(np.all(targets.sum(axis=1) == 1))
    with np.errstate(over="ignore"):
        if one_class_per_row:
            z = np.exp(p - p.max(axis=1, keepdims=True))
            return z / z.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-p))


def target_labels(y: np.ndarray) -> list[str]:
    """One projector label per sample: the class index for one-hot rows or integer labels, else the
    target value(s) (several values joined with commas)."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        if np.all((y == 0) | (y == 1)) and np.all(y.sum(axis=1) == 1):
            return [str(int(k)) for k in np.argmax(y, axis=1)]
        return [",".join(f"{v:g}" for v in row) for row in y]
    flat = y.reshape(len(y))
    if flat.dtype.kind in "biu" or (flat.dtype.kind == "f" and np.all(flat == np.round(flat))):
        return [str(int(v)) for v in flat]
    return [f"{v:g}" if isinstance(v, (float, np.floating)) else str(v) for v in flat]


def describe_layer(layer: Any) -> str:
    """A short description: `Dense(64, relu)`, `Dropout(rate=0.2)`, `Flatten`."""
    parts = []
    if getattr(layer, "units", None) is not None:
        parts.append(str(layer.units))
    if isinstance(getattr(layer, "rate", None), (int, float)):
        parts.append(f"rate={layer.rate:g}")
    activation = getattr(layer, "activation", None)
    if callable(activation):
        name = activations.serialize(activation)
        if name != "linear":
            parts.append(name)
    return f"{type(layer).__name__}({', '.join(parts)})" if parts else type(layer).__name__


def _name_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(_name_of(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_name_of(item)}" for key, item in value.items())
    return str(getattr(value, "name", None) or getattr(value, "__name__", None) or type(value).__name__)


def _regularizer_text(regularizer: Any) -> str:
    config = regularizer.get_config() if hasattr(regularizer, "get_config") else {}
    values = ", ".join(f"{key}={value:g}" for key, value in config.items() if isinstance(value, float))
    return f"{type(regularizer).__name__}({values})"


def automatic_hparams(model: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The hyper-parameters the callback can read by itself: the optimizer, its learning rate, batch size
    and epochs (from `fit`'s params), the loss, the layers (`architecture`, `units`, `num_layers`,
    `num_params`) and the regularization (`dropout`: the largest rate; `regularizers`)."""
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    found: dict[str, Any] = {}
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        found["optimizer"] = type(optimizer).__name__
        try:
            found["learning_rate"] = float(f"{float(optimizer.learning_rate):.7g}")  # float32 digits
        except (TypeError, ValueError):
            pass
    for key in ("batch_size", "epochs"):
        if isinstance(params.get(key), (int, np.integer)):
            found[key] = int(params[key])
    if getattr(model, "loss", None) is not None:
        found["loss"] = _name_of(model.loss)
    found["architecture"] = " > ".join(describe_layer(layer) for layer in layers)
    found["units"] = "-".join(str(layer.units) for layer in layers if getattr(layer, "units", None))
    found["num_layers"] = len(layers)
    if getattr(model, "built", False):
        found["num_params"] = int(sum(w.size for w in model.weights))
    rates = [float(layer.rate) for layer in layers if isinstance(getattr(layer, "rate", None), (int, float))]
    found["dropout"] = max(rates, default=0.0)
    regularizers = []
    for layer in layers:
        for attr in ("kernel_regularizer", "bias_regularizer", "activity_regularizer"):
            regularizer = getattr(layer, attr, None)
            if regularizer is not None:
                regularizers.append(f"{layer.name}.{attr.split('_')[0]}: {_regularizer_text(regularizer)}")
    found["regularizers"] = "; ".join(regularizers) or "none"
    return found
