import math

import numpy as np
import pytest

from neurona.datasets import playground

CLASSIFICATION = ["circle", "xor", "gauss", "spiral"]


def test_circle_noise_free_geometry():
    x, y = playground.circle(500, 0.0, seed=0)
    r = np.hypot(x[:, 0], x[:, 1])
    # inner half: r ~ U(0, 2.5) → +1; outer half: r ~ U(3.5, 5) → -1
    assert np.all(r[y == 1] < 2.5)
    assert np.all((r[y == -1] >= 3.5) & (r[y == -1] <= 5))
    assert (y == 1).sum() == (y == -1).sum() == 250


def test_circle_noise_flips_labels_not_points():
    clean, _ = playground.circle(500, 0.0, seed=3)
    x, y = playground.circle(500, 0.5, seed=3)
    r = np.hypot(x[:, 0], x[:, 1])
    # the stored points keep the noise-free radii: none lands in the gap (2.5, 3.5)
    assert not np.any((r > 2.5) & (r < 3.5))
    # but labels are recomputed at the noisy position, so some disagree with the radius
    assert np.any((r < 2.5) & (y == -1)) or np.any((r >= 3.5) & (y == 1))
    assert clean.shape == x.shape


def test_xor_padding_and_quadrant_labels():
    x, y = playground.xor(500, 0.0, seed=1)
    assert np.all(np.abs(x) >= 0.3) and np.all(np.abs(x) <= 5.3)
    np.testing.assert_array_equal(y, np.where(x[:, 0] * x[:, 1] >= 0, 1, -1))
    assert 0.35 < (y == 1).mean() < 0.65


def test_gauss_centres_and_variance():
    x, y = playground.gauss(4000, 0.0, seed=2)
    np.testing.assert_allclose(x[y == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(x[y == -1].mean(axis=0), [-2, -2], atol=0.1)
    # noise 0 → variance 0.5; noise 0.5 → variance 4 (linear map [0, .5] → [.5, 4])
    np.testing.assert_allclose(x[y == 1].var(axis=0), [0.5, 0.5], rtol=0.1)
    x4, y4 = playground.gauss(4000, 0.5, seed=2)
    np.testing.assert_allclose(x4[y4 == 1].var(axis=0), [4, 4], rtol=0.1)


def test_spiral_noise_free_is_exact():
    x, y = playground.spiral(6, 0.0, seed=0)
    # n/2 = 3 points per arm, i = 0, 1, 2: r = i/3·5, t = 1.75·i/3·2π (+π for the second arm)
    for i in range(3):
        r, t = i / 3 * 5, 1.75 * i / 3 * 2 * math.pi
        np.testing.assert_allclose(x[i], [r * math.sin(t), r * math.cos(t)], atol=1e-6)
        np.testing.assert_allclose(
            x[3 + i], [r * math.sin(t + math.pi), r * math.cos(t + math.pi)], atol=1e-6
        )
    np.testing.assert_array_equal(y, [1, 1, 1, -1, -1, -1])


def test_spiral_noise_moves_points_by_at_most_noise():
    clean, _ = playground.spiral(200, 0.0, seed=0)
    noisy, _ = playground.spiral(200, 0.3, seed=0)
    assert np.all(np.abs(noisy - clean) <= 0.3 + 1e-6)
    assert np.any(np.abs(noisy - clean) > 0.1)


def test_plane_labels_are_linear_map():
    x, y = playground.plane(1200, 0.0, seed=0)
    assert np.all(np.abs(x) <= 6)
    np.testing.assert_allclose(y, (x[:, 0] + x[:, 1]) / 10, atol=1e-6)


def test_multi_gaussian_label_hand_values():
    label = playground.multi_gaussian_label
    assert label(np.array(-4.0), np.array(2.5)) == 1  # on a +1 centre
    assert label(np.array(0.0), np.array(2.5)) == -1  # on a -1 centre
    assert label(np.array(-4.0), np.array(3.5)) == pytest.approx(0.5)  # distance 1 → 1 - 1/2
    assert label(np.array(0.0), np.array(6.0)) == 0  # farther than 2 from every centre
    x, y = playground.multi_gaussian(1200, 0.0, seed=0)
    np.testing.assert_allclose(y, label(x[:, 0].astype(float), x[:, 1].astype(float)), atol=1e-6)
    assert np.all(np.abs(y) <= 1)


@pytest.mark.parametrize("name", list(playground.GENERATORS) + ["reg-plane", "reg-gauss"])
def test_same_seed_same_data_and_default_sizes(name):
    first = playground.load_data(name, noise=0.2, seed=7)
    second = playground.load_data(name, noise=0.2, seed=7)
    other = playground.load_data(name, noise=0.2, seed=8)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(first[0][0], other[0][0])
    total = len(first[0][1]) + len(first[1][1])
    key = playground.ALIASES.get(name, name)
    assert total == (1200 if key in playground.REGRESSION else 500)
    assert first[0][0].dtype == np.float32 and first[0][0].shape[1] == 2


@pytest.mark.parametrize("name", ["circle", "gauss", "spiral"])
def test_label_balance_and_binary_mode(name):
    x, y = playground.generate(name, 500, 0.0, seed=0)
    assert (y == 1).sum() == (y == -1).sum() == 250
    _, y01 = playground.generate(name, 500, 0.0, seed=0, label_mode="binary")
    np.testing.assert_array_equal(y01, (y + 1) / 2)


def test_split_is_floor_of_ratio():
    (x_train, _), (x_test, _) = playground.load_data("xor", n_samples=101, train_ratio=0.3, seed=0)
    assert len(x_train) == math.floor(101 * 0.3) == 30 and len(x_test) == 71


def test_features():
    x = np.array([[1.0, 2.0]])
    np.testing.assert_allclose(
        playground.features(x, playground.FEATURES), [[1, 2, 1, 4, 2, math.sin(1), math.sin(2)]]
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"name": "moons"}, "Unknown Playground data set"),
        ({"name": "circle", "noise": -1}, "noise"),
        ({"name": "circle", "train_ratio": 1.0}, "train_ratio"),
        ({"name": "circle", "n_samples": 1}, "n_samples"),
        ({"name": "circle", "label_mode": "pm"}, "label_mode"),
        ({"name": "plane", "label_mode": "binary"}, "regression"),
    ],
)
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        playground.load_data(**kwargs)


def test_seedrandom_matches_documented_value():
    from neurona.datasets._seedrandom import SeedRandom

    # seedrandom's README: seedrandom('hello.')() is always 0.9282578795792454
    assert float(SeedRandom("hello.").random(1)[0]) == 0.9282578795792454
    stream = SeedRandom("0.59704").random(1000)
    assert np.all((stream >= 0) & (stream < 1)) and abs(stream.mean() - 0.5) < 0.05


def test_string_seed_is_the_browser_stream():
    from neurona.datasets._seedrandom import SeedRandom

    (x_train, y_train), (x_test, _) = playground.load_data("xor", seed="0.59704", dtype="float64")
    first = playground.load_data("xor", seed="0.59704", dtype="float64")
    np.testing.assert_array_equal(first[0][0], x_train)
    # the first generated point uses the first two draws of the stream: x = U(-5, 5) ± 0.3 padding
    u = SeedRandom("0.59704").random(2) * 10 - 5
    expected = u + np.where(u > 0, 0.3, -0.3)
    x_all, _ = playground.generate("xor", seed="0.59704", dtype="float64")
    np.testing.assert_array_equal(x_all[0], expected)
    assert len(x_train) == len(x_test) == 250
    assert sorted(map(tuple, np.concatenate([x_train, x_test]))) == sorted(map(tuple, x_all))


def test_odd_counts_follow_the_playground():
    # `for (i = 0; i < numSamples / 2; i++)` runs ceil(n / 2) times per class
    x, y = playground.circle(501, 0.0, seed=0)
    assert len(y) == 502 and (y == 1).sum() == 251
    x, y = playground.spiral(5, 0.0, seed=0)
    assert len(y) == 6
    np.testing.assert_allclose(x[1], [2 * np.sin(1.75 * 2 * np.pi / 2.5), 2 * np.cos(1.75 * 2 * np.pi / 2.5)])


def test_shuffle_order_is_a_permutation():
    order = playground._shuffle_order(50, np.random.default_rng(0))
    assert sorted(order.tolist()) == list(range(50))
