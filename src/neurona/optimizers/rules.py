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


def adagrad(
    theta: np.ndarray, g: np.ndarray, acc: np.ndarray, *, learning_rate: float, epsilon: float
) -> None:
    """Adagrad (Duchi et al., 2011), as Keras implements it.

    Formula:
        acc ← acc + g²                      (acc starts at initial_accumulator_value, 0.1 in Keras)
        θ ← θ − lr·g / √(acc + ε)           (Keras: ε inside the square root)
    """
    acc += g * g
    theta -= learning_rate * g / np.sqrt(acc + epsilon)


def adadelta(
    theta: np.ndarray,
    g: np.ndarray,
    e_g: np.ndarray,
    e_delta: np.ndarray,
    *,
    learning_rate: float,
    rho: float,
    epsilon: float,
) -> None:
    """Adadelta (Zeiler, 2012), with Keras's learning rate (the paper has none: lr = 1).

    Formula:
        E_g ← ρ·E_g + (1 − ρ)·g²
        Δ = −√(E_Δ + ε)·g / √(E_g + ε)      (E_Δ from before this step)
        E_Δ ← ρ·E_Δ + (1 − ρ)·Δ²
        θ ← θ + lr·Δ
    """
    e_g *= rho
    e_g += (1 - rho) * (g * g)
    delta = -np.sqrt(e_delta + epsilon) * g / np.sqrt(e_g + epsilon)
    e_delta *= rho
    e_delta += (1 - rho) * (delta * delta)
    theta += learning_rate * delta


def adamax(
    theta: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    u: np.ndarray,
    *,
    t: int,
    learning_rate: float,
    beta_1: float,
    beta_2: float,
    epsilon: float,
) -> None:
    """Adamax: Adam with the infinity norm (Kingma & Ba, 2015, §7.1).

    Formula:
        m ← m + (g − m)·(1 − β₁)
        u ← max(β₂·u, |g|)
        θ ← θ − lr·m / ((1 − β₁ᵗ)·(u + ε))
    """
    m += (g - m) * (1 - beta_1)
    np.maximum(beta_2 * u, np.abs(g), out=u)
    theta -= learning_rate * m / ((1 - beta_1**t) * (u + epsilon))


def nadam(
    theta: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    *,
    t: int,
    u_product: float,
    learning_rate: float,
    beta_1: float,
    beta_2: float,
    epsilon: float,
) -> None:
    """Nadam: Adam with Nesterov momentum (Dozat, 2016), with Keras's momentum schedule.

    Formula (u_product = Π_{i≤t} μ_i, already including this step's μ_t):
        μ_t = β₁·(1 − 0.5·0.96ᵗ),  μ_{t+1} = β₁·(1 − 0.5·0.96^(t+1))
        m ← m + (g − m)·(1 − β₁);  v ← v + (g² − v)·(1 − β₂)
        m̂ = μ_{t+1}·m / (1 − u_product·μ_{t+1}) + (1 − μ_t)·g / (1 − u_product)
        v̂ = v / (1 − β₂ᵗ)
        θ ← θ − lr·m̂ / (√v̂ + ε)

    Note: the decay is 0.96ᵗ (Keras); PyTorch's NAdam uses 0.96^(0.004·t), which breaks Keras's numbers.
    """
    mu_t = beta_1 * (1 - 0.5 * 0.96**t)
    mu_next = beta_1 * (1 - 0.5 * 0.96 ** (t + 1))
    m += (g - m) * (1 - beta_1)
    v += (g * g - v) * (1 - beta_2)
    m_hat = mu_next * m / (1 - u_product * mu_next) + (1 - mu_t) * g / (1 - u_product)
    v_hat = v / (1 - beta_2**t)
    theta -= learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)


def ftrl(
    theta: np.ndarray,
    g: np.ndarray,
    n: np.ndarray,
    z: np.ndarray,
    *,
    learning_rate: float,
    learning_rate_power: float,
    l1: float,
    l2: float,
    l2_shrinkage: float,
    beta: float,
) -> None:
    """FTRL-proximal (McMahan et al., 2013), as Keras implements it (p = learning_rate_power ≤ 0).

    Formula:
        l2' = l2 + β / (2·lr)
        g' = g + 2·l2_shrinkage·θ
        n' = n + g²                          (the plain g)
        z ← z + g' − ((n'^(−p) − n^(−p)) / lr)·θ
        q = n'^(−p) / lr + 2·l2'
        θ ← (clip(z, −l1, l1) − z) / q;  n ← n'
    """
    l2_adjusted = l2 + beta / (2 * learning_rate)
    g_shrunk = g + 2 * l2_shrinkage * theta
    n_new = n + g * g
    z += g_shrunk - ((n_new ** (-learning_rate_power) - n ** (-learning_rate_power)) / learning_rate) * theta
    q = n_new ** (-learning_rate_power) / learning_rate + 2 * l2_adjusted
    theta[...] = (np.clip(z, -l1, l1) - z) / q
    n[...] = n_new


def lion(
    theta: np.ndarray, g: np.ndarray, m: np.ndarray, *, learning_rate: float, beta_1: float, beta_2: float
) -> None:
    """Lion: evolved sign momentum (Chen et al., 2023).

    Formula:
        θ ← θ − lr·sign(β₁·m + (1 − β₁)·g)
        m ← β₂·m + (1 − β₂)·g
    """
    theta -= learning_rate * np.sign(beta_1 * m + (1 - beta_1) * g)
    m *= beta_2
    m += (1 - beta_2) * g
