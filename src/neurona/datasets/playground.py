"""The TensorFlow Playground's six synthetic data sets, generated with the Playground's formulas.

Classification: `circle`, `xor`, `gauss`, `spiral` (labels +1 / -1, or 0 / 1 with `label_mode="binary"`).
Regression: `plane` and `multi_gaussian` (URL keys `reg-plane`, `reg-gauss`; labels in [-1, 1]).

Each generator follows `src/dataset.ts` of tensorflow/playground: the same ranges, the same order of
draws per point, the same noise handling (circle, xor, plane and multi-gaussian recompute the *label* at a
noisy position and keep the noise-free point; gauss and spiral move the point). `noise` is the Playground's
slider value divided by 100 (0 to 0.5 in the UI).

Seeds: a *string* seed (the Playground's URL value, e.g. `seed="0.59704"`) draws from a port of the
browser's `Math.seedrandom`, so generation, shuffle and split give the browser's exact points (in float64
with `dtype="float64"`); an integer seed (or None) draws from NumPy. Either way, same seed, same data.
Like the Playground, odd sample counts give ceil(n/2) points per class for circle, gauss and spiral.

>>> (x_train, y_train), (x_test, y_test) = load_data("circle", noise=0.1, seed=0)
>>> x_train.shape, y_train.shape, x_test.shape
((250, 2), (250,), (250, 2))
>>> sorted(set(y_train.tolist()))
[-1.0, 1.0]
"""

from __future__ import annotations

import math

import numpy as np

from ..utils.rng import make_generator
from ._seedrandom import SeedRandom

NUM_SAMPLES_CLASSIFY = 500
NUM_SAMPLES_REGRESS = 1200
CLASSIFICATION = ("circle", "xor", "gauss", "spiral")
REGRESSION = ("plane", "multi_gaussian")
ALIASES = {"reg-plane": "plane", "reg-gauss": "multi_gaussian", "multi-gaussian": "multi_gaussian"}
LABEL_MODES = ("signed", "binary")
FEATURES = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")

Points = tuple[np.ndarray, np.ndarray]


def _rng(seed) -> np.random.Generator | SeedRandom:
    """A string seed → the browser's seedrandom stream; an int, a generator or None → NumPy."""
    if isinstance(seed, SeedRandom):
        return seed
    if isinstance(seed, str):
        return SeedRandom(seed)
    return make_generator(seed)


def _shuffle_order(n: int, rng) -> np.ndarray:
    """The Playground's Fisher–Yates `shuffle`: from the end, swap with floor(random() · counter)."""
    order = np.arange(n)
    for counter in range(n, 0, -1):
        index = math.floor(rng.random(1)[0] * counter)
        order[counter - 1], order[index] = order[index], order[counter - 1]
    return order


def _uniform(rng: np.random.Generator, low: float, high: float, size: int) -> np.ndarray:
    """The Playground's `randUniform(a, b) = random() * (b - a) + a`."""
    return rng.random(size) * (high - low) + low


def _normal(rng: np.random.Generator, mean: float, variance: float, size: int) -> np.ndarray:
    """The Playground's `normalRandom`: Marsaglia's polar method, scaled by sqrt(variance)."""
    out = np.empty(size)
    filled = 0
    while filled < size:
        v1 = 2 * rng.random(size - filled) - 1
        v2 = 2 * rng.random(size - filled) - 1
        s = v1 * v1 + v2 * v2
        keep = (s <= 1) & (s > 0)
        result = np.sqrt(-2 * np.log(s[keep]) / s[keep]) * v1[keep]
        out[filled : filled + len(result)] = result
        filled += len(result)
    return mean + math.sqrt(variance) * out


def circle(n_samples: int = NUM_SAMPLES_CLASSIFY, noise: float = 0.0, seed=None) -> Points:
    """Radius 5: n/2 points with r ~ U(0, 2.5) and n/2 with r ~ U(3.5, 5); the label is +1 when the noisy
    position, (x, y) + U(-5, 5)·noise, lies within 2.5 of the origin, else -1. Points stay noise-free."""
    rng = _rng(seed)
    radius = 5.0
    parts = []
    for r_low, r_high in ((0.0, radius * 0.5), (radius * 0.7, radius)):
        half = math.ceil(n_samples / 2)
        r = np.empty(half)
        angle = np.empty(half)
        noisy = np.empty((half, 2))
        for i in range(half):
            r[i] = _uniform(rng, r_low, r_high, 1)[0]
            angle[i] = _uniform(rng, 0, 2 * math.pi, 1)[0]
            noisy[i] = _uniform(rng, -radius, radius, 2) * noise
        xy = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
        label = np.where(np.hypot(*(xy + noisy).T) < radius * 0.5, 1.0, -1.0)
        parts.append((xy, label))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def xor(n_samples: int = NUM_SAMPLES_CLASSIFY, noise: float = 0.0, seed=None) -> Points:
    """x, y ~ U(-5, 5), each pushed 0.3 away from 0; label +1 when (x + nx)·(y + ny) >= 0 with
    nx, ny ~ U(-5, 5)·noise, else -1. Points stay noise-free."""
    rng = _rng(seed)
    padding = 0.3
    draws = _uniform(rng, -5, 5, 4 * n_samples).reshape(n_samples, 4)
    xy = draws[:, :2] + np.where(draws[:, :2] > 0, padding, -padding)
    noisy = xy + draws[:, 2:] * noise
    label = np.where(noisy[:, 0] * noisy[:, 1] >= 0, 1.0, -1.0)
    return xy, label


def gauss(n_samples: int = NUM_SAMPLES_CLASSIFY, noise: float = 0.0, seed=None) -> Points:
    """Two Gaussians of n/2 points, at (2, 2) labelled +1 and (-2, -2) labelled -1; the variance maps noise
    linearly from [0, 0.5] to [0.5, 4]. Noise moves the points."""
    rng = _rng(seed)
    variance = 0.5 + noise * (4 - 0.5) / 0.5
    half = math.ceil(n_samples / 2)
    xs, labels = [], []
    for center, label in ((2.0, 1.0), (-2.0, -1.0)):
        points = np.empty((half, 2))
        for i in range(half):
            points[i, 0] = _normal(rng, center, variance, 1)[0]
            points[i, 1] = _normal(rng, center, variance, 1)[0]
        xs.append(points)
        labels.append(np.full(half, label))
    return np.concatenate(xs), np.concatenate(labels)


def spiral(n_samples: int = NUM_SAMPLES_CLASSIFY, noise: float = 0.0, seed=None) -> Points:
    """Two arms of n/2 points: r = i/n·5, t = 1.75·i/n·2π + δ (δ = 0 → +1, δ = π → -1);
    (r·sin t, r·cos t) + U(-1, 1)·noise. Noise moves the points."""
    rng = _rng(seed)
    half = n_samples / 2
    count = math.ceil(half)
    xs, labels = [], []
    for delta, label in ((0.0, 1.0), (math.pi, -1.0)):
        i = np.arange(count)
        r = i / half * 5
        t = 1.75 * i / half * 2 * math.pi + delta
        jitter = _uniform(rng, -1, 1, 2 * count).reshape(count, 2) * noise
        xs.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + jitter)
        labels.append(np.full(count, label))
    return np.concatenate(xs), np.concatenate(labels)


def plane(n_samples: int = NUM_SAMPLES_REGRESS, noise: float = 0.0, seed=None) -> Points:
    """x, y ~ U(-6, 6); label = (x + nx + y + ny) / 10 (a linear map of [-10, 10] onto [-1, 1], not
    clamped) with nx, ny ~ U(-6, 6)·noise. Points stay noise-free."""
    rng = _rng(seed)
    draws = _uniform(rng, -6, 6, 4 * n_samples).reshape(n_samples, 4)
    xy = draws[:, :2]
    noisy = xy + draws[:, 2:] * noise
    return xy, (noisy[:, 0] + noisy[:, 1]) / 10


GAUSSIAN_CENTERS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def multi_gaussian_label(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per centre, sign · clamp(1 - distance / 2, 0, 1); the label is the value of largest magnitude
    (the first centre wins a tie; 0 far from every centre)."""
    label = np.zeros(np.broadcast(x, y).shape)
    for cx, cy, sign in GAUSSIAN_CENTERS:
        value = sign * np.clip(1 - np.hypot(x - cx, y - cy) / 2, 0, 1)
        label = np.where(np.abs(value) > np.abs(label), value, label)
    return label


def multi_gaussian(n_samples: int = NUM_SAMPLES_REGRESS, noise: float = 0.0, seed=None) -> Points:
    """x, y ~ U(-6, 6); the label is `multi_gaussian_label` at (x + nx, y + ny), nx, ny ~ U(-6, 6)·noise.
    Points stay noise-free."""
    rng = _rng(seed)
    draws = _uniform(rng, -6, 6, 4 * n_samples).reshape(n_samples, 4)
    xy = draws[:, :2]
    noisy = xy + draws[:, 2:] * noise
    return xy, multi_gaussian_label(noisy[:, 0], noisy[:, 1])


GENERATORS = {
    "circle": circle,
    "xor": xor,
    "gauss": gauss,
    "spiral": spiral,
    "plane": plane,
    "multi_gaussian": multi_gaussian,
}


def _canonical(name: str) -> str:
    key = ALIASES.get(name, name) if isinstance(name, str) else name
    if key not in GENERATORS:
        raise ValueError(
            f"Unknown Playground data set. Received: name={name!r}. Expected one of "
            f"{sorted(GENERATORS) + sorted(ALIASES)}."
        )
    return key


def generate(
    name: str,
    n_samples: int | None = None,
    noise: float = 0.0,
    seed=None,
    *,
    label_mode: str = "signed",
    dtype: str = "float32",
) -> Points:
    """`(x, y)` of one data set in generation order (not shuffled): x (n, 2), y (n,), both `dtype`."""
    key = _canonical(name)
    if n_samples is None:
        n_samples = NUM_SAMPLES_REGRESS if key in REGRESSION else NUM_SAMPLES_CLASSIFY
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 2:
        raise ValueError(f"`n_samples` must be an integer >= 2. Received: n_samples={n_samples!r}")
    if not isinstance(noise, (int, float, np.floating)) or not 0 <= noise <= 10:
        raise ValueError(
            f"`noise` must be a number in [0, 10] (the Playground's slider / 100, 0–0.5 in its UI). "
            f"Received: noise={noise!r}"
        )
    if label_mode not in LABEL_MODES:
        raise ValueError(f"`label_mode` must be one of {LABEL_MODES}. Received: label_mode={label_mode!r}")
    if label_mode == "binary" and key in REGRESSION:
        raise ValueError(
            f"`label_mode='binary'` applies to the classification sets {CLASSIFICATION}, not to the "
            f"regression set {key!r}. Use label_mode='signed'."
        )
    x, y = GENERATORS[key](int(n_samples), float(noise), seed=_rng(seed))
    if label_mode == "binary":
        y = (y > 0).astype(np.float64)
    return x.astype(dtype), y.astype(dtype)


def load_data(
    name: str = "circle",
    *,
    n_samples: int | None = None,
    noise: float = 0.0,
    seed: int | str | None = None,
    train_ratio: float = 0.5,
    label_mode: str = "signed",
    dtype: str = "float32",
) -> tuple[Points, Points]:
    """`(x_train, y_train), (x_test, y_test)` as the Playground builds them: generate, shuffle once
    (seeded), split at `floor(n · train_ratio)`.

    `n_samples` defaults to the Playground's 500 (classification) or 1200 (regression); `noise` is the
    slider value / 100; `train_ratio` is its "ratio of training to test data" (0.1–0.9 in the UI);
    `label_mode="signed"` gives the Playground's +1 / -1 labels, `"binary"` gives 1 / 0. A string `seed`
    reproduces the browser Playground's data for that URL seed.
    """
    if not isinstance(train_ratio, (int, float)) or not 0 < train_ratio < 1:
        raise ValueError(
            f"`train_ratio` must be strictly between 0 and 1. Received: train_ratio={train_ratio!r}"
        )
    rng = _rng(seed)
    x, y = generate(name, n_samples, noise, rng, label_mode=label_mode, dtype=dtype)
    order = _shuffle_order(len(y), rng)
    x, y = x[order], y[order]
    split = math.floor(len(y) * train_ratio)
    return (x[:split], y[:split]), (x[split:], y[split:])


def features(x: np.ndarray, names: tuple[str, ...] | list[str] = ("x", "y")) -> np.ndarray:
    """The Playground's input features of points `x` (n, 2), as columns in the order of `names`:
    x, y, xSquared, ySquared, xTimesY, sinX, sinY."""
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"`x` must have shape (n, 2). Received: shape {x.shape}")
    first, second = x[:, 0], x[:, 1]
    table = {
        "x": first,
        "y": second,
        "xSquared": first * first,
        "ySquared": second * second,
        "xTimesY": first * second,
        "sinX": np.sin(first),
        "sinY": np.sin(second),
    }
    unknown = [name for name in names if name not in table]
    if unknown or not names:
        raise ValueError(
            f"Unknown or no feature names. Received: {list(names)}. Expected some of {FEATURES}."
        )
    return np.stack([table[name] for name in names], axis=1)
