"""The update rules, one small function each, written like their equations (Keras's variants).

Each rule updates the variable `theta` and its slots in place (they are preallocated arrays), given the
gradient `g`. Notation: `lr` learning rate, `t` the step being taken (iterations + 1).
"""

from __future__ import annotations

import math

import numpy as np


def sgd(
    theta: np.ndarray,
    g: np.ndarray,
    m: np.ndarray | None,
    *,
    learning_rate: float,
    momentum: float,
    nesterov: bool,
) -> None:
    """Stochastic gradient descent, with optional (Nesterov) momentum.

    Formula:
        momentum = 0:  θ ← θ − lr·g
        otherwise:     m ← μ·m − lr·g;  θ ← θ + m            (plain)
                                         θ ← θ + μ·m − lr·g   (Nesterov, with the new m)
    """
    if m is None:
        theta -= learning_rate * g
        return
    m *= momentum
    m -= learning_rate * g
    if nesterov:
        theta += momentum * m - learning_rate * g
    else:
        theta += m


def adam(
    theta: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    v_hat: np.ndarray | None,
    scratch: np.ndarray,
    *,
    t: int,
    learning_rate: float,
    beta_1: float,
    beta_2: float,
    epsilon: float,
) -> None:
    """Adam (Kingma & Ba, 2015), as Keras implements it.

    Formula:
        α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)
        m ← m + (g − m)·(1 − β₁)
        v ← v + (g² − v)·(1 − β₂)
        v̂ ← max(v̂, v)                     (AMSGrad only; v̂ replaces v below)
        θ ← θ − α·m / (√v + ε)

    Note: Keras-compatible: ε is the "epsilon hat" of the paper (the formula just before §2.1), added to
    the un-corrected √v, default 1e-7. PyTorch and optax use Algorithm 1 (ε on √v̂), default 1e-8.

    Every step writes into preallocated arrays (`scratch` has θ's shape): no allocation per update.
    """
    alpha = learning_rate * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    np.subtract(g, m, out=scratch)  # g − m
    scratch *= 1 - beta_1
    m += scratch  # m ← m + (g − m)·(1 − β₁)
    np.multiply(g, g, out=scratch)  # g²
    scratch -= v
    scratch *= 1 - beta_2
    v += scratch  # v ← v + (g² − v)·(1 − β₂)
    if v_hat is not None:
        np.maximum(v_hat, v, out=v_hat)
        v = v_hat
    np.sqrt(v, out=scratch)
    scratch += epsilon  # √v + ε
    np.divide(m, scratch, out=scratch)
    scratch *= alpha
    theta -= scratch  # θ ← θ − α·m / (√v + ε)


def rmsprop(
    theta: np.ndarray,
    g: np.ndarray,
    v: np.ndarray,
    a: np.ndarray | None,
    mom: np.ndarray | None,
    *,
    learning_rate: float,
    rho: float,
    momentum: float,
    epsilon: float,
) -> None:
    """RMSprop (Hinton, 2012), as Keras implements it.

    Formula:
        v ← ρ·v + (1 − ρ)·g²
        centered: a ← ρ·a + (1 − ρ)·g,  den = v − a² + ε;   otherwise den = v + ε
        inc = lr·g / √den                  (Keras: ε inside the square root)
        momentum > 0: mom ← μ·mom + inc,  θ ← θ − mom;      otherwise θ ← θ − inc
    """
    v *= rho
    v += (1 - rho) * (g * g)
    if a is not None:
        a *= rho
        a += (1 - rho) * g
        den = v - a * a + epsilon
    else:
        den = v + epsilon
    inc = learning_rate * g / np.sqrt(den)
    if mom is not None:
        mom *= momentum
        mom += inc
        theta -= mom
    else:
        theta -= inc
