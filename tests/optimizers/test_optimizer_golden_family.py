"""Golden numbers for Adagrad, Adadelta, Adamax, Nadam and Ftrl (golden-values.md §1–§3), and for the
single steps of every optimizer. Same protocol as test_optimizer_golden.py: ten ones, one step with
gradient 0.01, then rows compared before each step with arange(0.1, 1.1, 0.1)."""

import numpy as np
import pytest

import neurona
from neurona.optimizers import SGD, Adadelta, Adagrad, Adam, Adamax, Ftrl, Nadam, RMSprop

FIRST_GRADS = np.full(10, 0.01, dtype="float32")
GRADS = np.arange(0.1, 1.1, 0.1).astype("float32")


def trajectory(optimizer):
    x = neurona.Variable(np.ones(10, dtype="float32"))
    optimizer.apply_gradients([(FIRST_GRADS, x)])
    rows = []
    for _ in range(5):
        rows.append(x.numpy().astype("float64"))
        optimizer.apply_gradients([(GRADS, x)])
    return np.stack(rows)


GOLDEN_1 = {
    "adagrad": (
        lambda: Adagrad(learning_rate=0.2, initial_accumulator_value=0.3, epsilon=1e-6),
        [
            [0.9963] * 10,
            [0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209],
            [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
            [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
            [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825],
        ],
    ),
    "adadelta": (
        lambda: Adadelta(learning_rate=1.0, rho=0.8, epsilon=1e-6),
        [[v] * 10 for v in (0.9978, 0.9947, 0.9915, 0.9882, 0.9849)],
    ),
    "adamax": (
        lambda: Adamax(learning_rate=0.2, beta_1=0.85, beta_2=0.95, epsilon=1e-6),
        [
            [0.8] * 10,
            [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
            [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
            [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
            [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
        ],
    ),
    "nadam": (
        lambda: Nadam(learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5),
        [
            [0.4281] * 10,
            [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
            [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
            [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
            [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454],
        ],
    ),
    "ftrl": (
        lambda: Ftrl(
            learning_rate=0.05,
            learning_rate_power=-0.2,
            initial_accumulator_value=0.4,
            l1_regularization_strength=0.05,
            l2_regularization_strength=0.15,
            l2_shrinkage_regularization_strength=0.01,
            beta=0.3,
        ),
        [
            [0.0] * 10,
            [-0.0034, -0.0077, -0.0118, -0.0157, -0.0194, -0.023, -0.0263, -0.0294, -0.0325, -0.0354],
            [-0.0078, -0.0162, -0.0242, -0.0317, -0.0387, -0.0454, -0.0516, -0.0575, -0.0631, -0.0685],
            [-0.0121, -0.0246, -0.0363, -0.0472, -0.0573, -0.0668, -0.0757, -0.0842, -0.0922, -0.0999],
            [-0.0164, -0.0328, -0.0481, -0.0623, -0.0753, -0.0875, -0.099, -0.1098, -0.1201, -0.1299],
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_1))
def test_keras_golden_trajectories(name):
    factory, golden = GOLDEN_1[name]
    np.testing.assert_allclose(trajectory(factory()), np.array(golden), rtol=5e-4, atol=5e-4)


# §3: Keras 3.15.1 float32, defaults, columns 0 and 9, at 1e-6
GOLDEN_3 = {
    "adagrad": (
        Adagrad,
        [0.999968, 0.999667, 0.999379, 0.999101, 0.998834],
        [0.999968, 0.999015, 0.998325, 0.997757, 0.997263],
    ),
    "nadam": (
        Nadam,
        [0.998937, 0.997913, 0.997094, 0.996327, 0.99557],
        [0.998937, 0.997915, 0.997098, 0.996334, 0.99558],
    ),
    "adamax": (
        Adamax,
        [0.999, 0.998426, 0.997695, 0.996886, 0.99603],
        [0.999, 0.998469, 0.997765, 0.996975, 0.996133],
    ),
    "adadelta": (
        Adadelta,
        [0.999999, 0.999997, 0.999995, 0.999993, 0.999991],
        [0.999999, 0.999997, 0.999995, 0.999993, 0.999991],
    ),
    "ftrl": (
        Ftrl,
        [0.000468, 0.000167, -0.000122, -0.000399, -0.000666],
        [0.000468, -0.000485, -0.001175, -0.001743, -0.002237],
    ),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_3))
def test_default_trajectories_match_keras_to_1e6(name):
    cls, column_0, column_9 = GOLDEN_3[name]
    rows = trajectory(cls())
    np.testing.assert_allclose(rows[:, 0], column_0, atol=1.5e-6)
    np.testing.assert_allclose(rows[:, 9], column_9, atol=1.5e-6)


# §2: vars [1, 2, 3, 4], grads [1, 6, 7, 2], learning_rate 0.5, other arguments default (tolerance 1e-4)
SINGLE_STEP = {
    SGD: [0.5, -1.0, -0.5, 3.0],
    Adam: [0.5, 1.5, 2.5, 3.5],
    RMSprop: [-0.5811, 0.4189, 1.4189, 2.4189],
    Adagrad: [0.5233, 1.5007, 2.5005, 3.5061],
    Adadelta: [0.9993, 1.9993, 2.9993, 3.9993],
    Adamax: [0.5, 1.5, 2.5, 3.5],
    Nadam: [0.4686, 1.4686, 2.4686, 3.4686],
    Ftrl: [0.2218, 1.3954, 2.3651, 2.8814],
}


@pytest.mark.parametrize("cls", list(SINGLE_STEP), ids=lambda c: c.__name__)
def test_single_step(cls):
    var = neurona.Variable([1.0, 2.0, 3.0, 4.0])
    cls(learning_rate=0.5).apply_gradients([(np.array([1.0, 6.0, 7.0, 2.0], dtype="float32"), var)])
    np.testing.assert_allclose(var.numpy(), SINGLE_STEP[cls], atol=1e-4)


def test_nadam_u_product_is_updated_once_per_step_for_all_variables():
    # two variables in one step must see the same u_product: the result for each equals a lone run
    a, b = neurona.Variable([1.0, 2.0]), neurona.Variable([1.0, 2.0])
    both = Nadam(learning_rate=0.1)
    for _ in range(3):
        both.apply_gradients([(np.array([0.3, -0.2]), a), (np.array([0.3, -0.2]), b)])
    alone = neurona.Variable([1.0, 2.0])
    single = Nadam(learning_rate=0.1)
    for _ in range(3):
        single.apply_gradients([(np.array([0.3, -0.2]), alone)])
    np.testing.assert_array_equal(a.numpy(), alone.numpy())
    np.testing.assert_array_equal(b.numpy(), alone.numpy())
    # u_product after 3 steps = Π μ_t, μ_t = 0.9·(1 − 0.5·0.96ᵗ)
    expected = np.prod([0.9 * (1 - 0.5 * 0.96**t) for t in (1, 2, 3)])
    assert float(both._u_product.data) == pytest.approx(expected, rel=1e-12)


def test_lion_step_by_hand():
    # m = 0: update = sign(0.1·g) = sign(g); θ ← θ − lr·sign(g); m ← 0.01·g (β₂ = 0.99)
    var = neurona.Variable([1.0, 2.0, 3.0])
    opt = neurona.optimizers.Lion(learning_rate=0.5)
    opt.apply_gradients([(np.array([2.0, -3.0, 0.0], dtype="float32"), var)])
    np.testing.assert_allclose(var.numpy(), [0.5, 2.5, 3.0])
    np.testing.assert_allclose(opt._slots_of(var)[0], [0.02, -0.03, 0.0], rtol=1e-6)
    # second step with g = [−1, 1, 1]: sign(0.9·m + 0.1·g) = sign([−0.082, 0.073, 0.1]) = [−1, 1, 1]
    opt.apply_gradients([(np.array([-1.0, 1.0, 1.0], dtype="float32"), var)])
    np.testing.assert_allclose(var.numpy(), [1.0, 2.0, 2.5])


def test_adamw_decays_then_steps_like_adam():
    # AdamW = decoupled decay θ ← θ(1 − wd·lr), then Adam; compare with Adam on the decayed value
    var = neurona.Variable([1.0, -2.0])
    neurona.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5).apply_gradients(
        [(np.array([0.3, 0.4]), var)]
    )
    reference = neurona.Variable(np.array([1.0, -2.0]) * (1 - 0.5 * 0.1))
    neurona.optimizers.Adam(learning_rate=0.1).apply_gradients([(np.array([0.3, 0.4]), reference)])
    np.testing.assert_allclose(var.numpy(), reference.numpy(), rtol=1e-6)
    assert neurona.optimizers.AdamW().weight_decay == 0.004
