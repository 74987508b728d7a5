"""The update rules, one small function each, written like their equations (Keras's variants).

Each rule updates the variable `theta` and its slots in place (they are preallocated arrays), given the
gradient `g`. Notation: `lr` learning rate, `t` the step being taken (iterations + 1).

The rules allocate nothing: every intermediate goes into `w1` / `w2`, work arrays shaped like θ that the
optimizer keeps. (Large temporaries allocated and freed on every step make the C allocator hand pages
back to the system and fault them in again: Nadam written with temporaries ran 4× slower.) Each block
of in-place NumPy calls is preceded by the line of the formula it computes.
"""

from __future__ import annotations

import math

import numpy as np


def sgd(
    theta: np.ndarray,
    g: np.ndarray,
    m: np.ndarray | None,
    w1: np.ndarray,
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
    np.multiply(g, learning_rate, out=w1)  # lr·g
    if m is None:
        theta -= w1
        return
    m *= momentum
    m -= w1
    if nesterov:
        theta -= w1
        np.multiply(m, momentum, out=w1)
        theta += w1
    else:
        theta += m


def adam(
    theta: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    v_hat: np.ndarray | None,
    w1: np.ndarray,
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
    """
    alpha = adam_step_size(t, learning_rate, beta_1, beta_2)
    # m ← m + (g − m)·(1 − β₁)
    np.subtract(g, m, out=w1)
    w1 *= 1 - beta_1
    m += w1
    # v ← v + (g² − v)·(1 − β₂)
    np.multiply(g, g, out=w1)
    w1 -= v
    w1 *= 1 - beta_2
    v += w1
    if v_hat is not None:
        np.maximum(v_hat, v, out=v_hat)
        v = v_hat
    # θ ← θ − α·m / (√v + ε)
    np.sqrt(v, out=w1)
    w1 += epsilon
    np.divide(m, w1, out=w1)
    w1 *= alpha
    theta -= w1


def adam_step_size(t: int, learning_rate: float, beta_1: float, beta_2: float) -> float:
    """Adam's bias-corrected step size α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)."""
    return learning_rate * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)


def rmsprop(
    theta: np.ndarray,
    g: np.ndarray,
    v: np.ndarray,
    a: np.ndarray | None,
    mom: np.ndarray | None,
    w1: np.ndarray,
    w2: np.ndarray,
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
    # v ← ρ·v + (1 − ρ)·g²
    v *= rho
    np.multiply(g, g, out=w1)
    w1 *= 1 - rho
    v += w1
    # den = v (− a²) + ε
    if a is not None:
        a *= rho
        np.multiply(g, 1 - rho, out=w1)
        a += w1
        np.multiply(a, a, out=w1)
        np.subtract(v, w1, out=w1)
    else:
        np.copyto(w1, v)
    w1 += epsilon
    # inc = lr·g / √den
    np.sqrt(w1, out=w1)
    np.divide(g, w1, out=w2)
    w2 *= learning_rate
    if mom is not None:
        mom *= momentum
        mom += w2
        theta -= mom
    else:
        theta -= w2


def adagrad(
    theta: np.ndarray, g: np.ndarray, acc: np.ndarray, w1: np.ndarray, *, learning_rate: float, epsilon: float
) -> None:
    """Adagrad (Duchi et al., 2011), as Keras implements it.

    Formula:
        acc ← acc + g²                      (acc starts at initial_accumulator_value, 0.1 in Keras)
        θ ← θ − lr·g / √(acc + ε)           (Keras: ε inside the square root)
    """
    np.multiply(g, g, out=w1)
    acc += w1
    np.add(acc, epsilon, out=w1)
    np.sqrt(w1, out=w1)
    np.divide(g, w1, out=w1)
    w1 *= learning_rate
    theta -= w1


def adadelta(
    theta: np.ndarray,
    g: np.ndarray,
    e_g: np.ndarray,
    e_delta: np.ndarray,
    w1: np.ndarray,
    w2: np.ndarray,
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
    # E_g ← ρ·E_g + (1 − ρ)·g²
    e_g *= rho
    np.multiply(g, g, out=w1)
    w1 *= 1 - rho
    e_g += w1
    # Δ = −√(E_Δ + ε)·g / √(E_g + ε)
    np.add(e_delta, epsilon, out=w1)
    np.sqrt(w1, out=w1)
    w1 *= g
    np.add(e_g, epsilon, out=w2)
    np.sqrt(w2, out=w2)
    np.divide(w1, w2, out=w1)
    np.negative(w1, out=w1)
    # E_Δ ← ρ·E_Δ + (1 − ρ)·Δ²
    e_delta *= rho
    np.multiply(w1, w1, out=w2)
    w2 *= 1 - rho
    e_delta += w2
    # θ ← θ + lr·Δ
    w1 *= learning_rate
    theta += w1


def adamax(
    theta: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    u: np.ndarray,
    w1: np.ndarray,
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
    np.subtract(g, m, out=w1)
    w1 *= 1 - beta_1
    m += w1
    u *= beta_2
    np.abs(g, out=w1)
    np.maximum(u, w1, out=u)
    np.add(u, epsilon, out=w1)
    np.divide(m, w1, out=w1)
    w1 *= learning_rate / (1 - beta_1**t)
    theta -= w1


def nadam(
    theta: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    w1: np.ndarray,
    w2: np.ndarray,
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
    # m ← m + (g − m)·(1 − β₁);  v ← v + (g² − v)·(1 − β₂)
    np.subtract(g, m, out=w1)
    w1 *= 1 - beta_1
    m += w1
    np.multiply(g, g, out=w1)
    w1 -= v
    w1 *= 1 - beta_2
    v += w1
    # m̂ = μ_{t+1}·m / (1 − u_product·μ_{t+1}) + (1 − μ_t)·g / (1 − u_product)
    np.multiply(m, mu_next / (1 - u_product * mu_next), out=w1)
    np.multiply(g, (1 - mu_t) / (1 - u_product), out=w2)
    w1 += w2
    # √v̂ + ε, with v̂ = v / (1 − β₂ᵗ)
    np.divide(v, 1 - beta_2**t, out=w2)
    np.sqrt(w2, out=w2)
    w2 += epsilon
    # θ ← θ − lr·m̂ / (√v̂ + ε)
    np.divide(w1, w2, out=w1)
    w1 *= learning_rate
    theta -= w1


def ftrl(
    theta: np.ndarray,
    g: np.ndarray,
    n: np.ndarray,
    z: np.ndarray,
    w1: np.ndarray,
    w2: np.ndarray,
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
    power = -learning_rate_power

    def n_power(values: np.ndarray, out: np.ndarray) -> None:  # n^(−p): a square root for Keras's p = −½
        np.sqrt(values, out=out) if power == 0.5 else np.power(values, power, out=out)

    l2_adjusted = l2 + beta / (2 * learning_rate)
    # z ← z + g + 2·l2_shrinkage·θ − ((n'^(−p) − n^(−p)) / lr)·θ, with n' = n + g²
    n_power(n, w2)
    np.multiply(g, g, out=w1)
    n += w1  # n ← n'
    n_power(n, w1)
    w2 -= w1
    w2 *= theta
    w2 /= learning_rate  # −((n'^(−p) − n^(−p)) / lr)·θ
    z += w2
    z += g
    if l2_shrinkage:
        np.multiply(theta, 2 * l2_shrinkage, out=w2)
        z += w2
    # θ ← (clip(z, −l1, l1) − z) / q, q = n'^(−p) / lr + 2·l2'
    w1 /= learning_rate
    w1 += 2 * l2_adjusted
    np.clip(z, -l1, l1, out=w2)
    w2 -= z
    np.divide(w2, w1, out=theta)


def lion(
    theta: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    w1: np.ndarray,
    w2: np.ndarray,
    *,
    learning_rate: float,
    beta_1: float,
    beta_2: float,
) -> None:
    """Lion: evolved sign momentum (Chen et al., 2023).

    Formula:
        θ ← θ − lr·sign(β₁·m + (1 − β₁)·g)
        m ← β₂·m + (1 − β₂)·g
    """
    np.multiply(m, beta_1, out=w1)
    np.multiply(g, 1 - beta_1, out=w2)
    w1 += w2
    np.sign(w1, out=w2)  # not in place: NumPy's in-place sign is ~10× slower
    w2 *= learning_rate
    theta -= w2
    m *= beta_2
    np.multiply(g, 1 - beta_2, out=w2)
    m += w2
