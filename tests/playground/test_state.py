"""The Playground's State: TF Playground defaults, query and dict round trips, validation and limits."""

import random

import pytest

from neurona.playground.features import FEATURES
from neurona.playground.state import (
    ACTIVATIONS,
    HIDABLE_CONTROLS,
    LARGE_LIMITS,
    LEARNING_RATES,
    NORMAL_LIMITS,
    OPTIMIZERS,
    REGULARIZATION_RATES,
    State,
    draw_seed,
)

# reference/playground.md §6: the TF Playground's own default URL.
TF_DEFAULT_URL = (
    "#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&"
    "regularizationRate=0&noise=0&networkShape=4,2&seed=0.59704&showTestData=false&discretize=false&"
    "percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&"
    "cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&hideText=false"
)


def test_defaults_are_the_tf_playgrounds():
    state = State()
    assert state.problem == "classification"
    assert (state.dataset, state.reg_dataset) == ("circle", "reg-plane")
    assert (state.noise, state.perc_train_data, state.batch_size) == (0, 50, 10)
    assert (state.learning_rate, state.activation) == (0.03, "tanh")
    assert (state.regularization, state.regularization_rate) == ("none", 0.0)
    assert state.network_shape == (4, 2)
    assert state.features == ("x", "y")
    assert not (state.show_test_data or state.discretize or state.init_zero or state.hide_text)
    # ours: TF-Playground-compatible choices
    assert (state.loss, state.optimizer, state.dropout, state.classes) == ("mse", "sgd", 0.0, 3)
    assert state.layer_activations == () and state.activations == ("tanh", "tanh")
    assert state.stop_loss is None and state.stop_epoch is None and not state.large_limits
    assert state.limits == NORMAL_LIMITS


def test_a_seed_is_drawn_in_the_tf_style():
    seed = draw_seed()
    assert len(seed) == 7 and seed.startswith("0.") and seed[2:].isdigit()
    assert State.from_query("").seed != "" and State().seed != ""


def test_the_tf_default_url_parses_to_the_defaults():
    state = State.from_query(TF_DEFAULT_URL)
    assert state == State(seed="0.59704")


def test_multiclass_defaults_to_blobs_and_cross_entropy():
    state = State(problem="multiclass", seed="1")
    assert (state.dataset, state.loss) == ("blobs", "ce")
    assert State.from_query("problem=multiclass&seed=1") == state


def _random_state(rng: random.Random) -> State:
    problem = rng.choice(["classification", "regression", "multiclass"])
    large = rng.random() < 0.3
    limits = LARGE_LIMITS if large else NORMAL_LIMITS
    shape = tuple(rng.randint(1, limits.max_units) for _ in range(rng.randint(0, limits.max_layers)))
    features = tuple(name for name in FEATURES if rng.random() < 0.5) or ("sinY",)
    return State(
        problem=problem,
        dataset=rng.choice(
            ["blobs", "spiral"] if problem == "multiclass" else ["circle", "xor", "gauss", "spiral"]
        ),
        reg_dataset=rng.choice(["reg-plane", "reg-gauss"]),
        classes=rng.randint(3, 6),
        noise=rng.randrange(0, 81, 5),
        perc_train_data=rng.randrange(10, 91, 10),
        batch_size=rng.randint(1, limits.max_batch_size),
        seed=rng.choice([draw_seed(), "abc_-.XYZ", "x" * 32]),
        init_seed=rng.randint(0, 1000),
        learning_rate=rng.choice(LEARNING_RATES),
        activation=rng.choice(ACTIVATIONS),
        layer_activations=tuple(rng.choice(ACTIVATIONS) for _ in shape) if rng.random() < 0.5 else (),
        regularization=rng.choice(["none", "L1", "L2"]),
        regularization_rate=rng.choice(REGULARIZATION_RATES),
        network_shape=shape,
        dropout=rng.choice([0.0, 0.1, 0.25, 0.5, 0.9]),
        loss={"multiclass": "ce", "regression": "mse"}.get(problem, rng.choice(["mse", "bce"])),
        optimizer=rng.choice(OPTIMIZERS),
        features=features,
        show_test_data=rng.random() < 0.5,
        discretize=rng.random() < 0.5,
        init_zero=rng.random() < 0.2,
        stop_loss=rng.choice([None, 0.01, 0.123456789, 1e-9]),
        stop_epoch=rng.choice([None, 1, 500]),
        large_limits=large,
        hide_text=rng.random() < 0.5,
        hidden=tuple(name for name in HIDABLE_CONTROLS if rng.random() < 0.2),
    )


def test_query_and_dict_round_trip_over_many_random_states():
    rng = random.Random(7)
    for _ in range(300):
        state = _random_state(rng)
        assert State.from_query(state.to_query()) == state, state.to_query()
        assert State.from_query("#" + state.to_query()) == state
        assert State.from_dict(state.to_dict()) == state


def test_query_format():
    state = State(seed="0.5", learning_rate=0.00001, network_shape=(), hidden=("noise", "x"))
    query = state.to_query()
    assert "learningRate=0.00001" in query  # plain decimals, as the TF Playground writes them
    assert "networkShape=&" in query  # no hidden layers is written, not dropped
    assert "noise_hide=true" in query and "x_hide=true" in query and "dataset_hide" not in query
    assert "stopLoss" not in query  # empty values are left out


def test_query_reading_follows_the_tf_playground():
    state = State.from_query("seed=1&x=0&y=false&sinX=yes&unknownKey=5&tutorial=intro&cosX=true")
    assert state.features == ("x", "sinX")  # only "false" is false; unknown keys are ignored
    assert State.from_query("seed=1&noise_hide=true&foo_hide=true").hidden == ("noise",)
    assert State.from_query("seed=a%2Eb").seed == "a.b"  # percent-decoded


@pytest.mark.parametrize(
    "query, key",
    [
        ("networkShape=8,8,8,8,8,8,8,8,8,8", "networkShape"),  # tf/playground#63: URL-only limits
        ("noise=2000", "noise"),
        ("noise=abc", "noise"),
        ("learningRate=0.5", "learningRate"),
        ("regularizationRate=0.2", "regularizationRate"),
        ("activation=softplus", "activation"),
        ("batchSize=31", "batchSize"),
        ("batchSize=0", "batchSize"),
        ("percTrainData=95", "percTrainData"),
        ("dataset=moons", "dataset"),
        ("problem=ranking", "problem"),
        ("loss=ce", "loss"),  # cross-entropy is for multiclass
        ("seed=" + "9" * 33, "seed"),
        ("seed=a/b", "seed"),
        ("dropout=0.95", "dropout"),
        ("classes=7", "classes"),
        ("stopEpoch=0", "stopEpoch"),
        ("stopLoss=-1", "stopLoss"),
        ("layerActivations=relu", "layerActivations"),  # one per hidden layer (4,2 → two)
        ("networkShape=4,x", "networkShape"),
        ("optimizer=lbfgs", "optimizer"),
    ],
)
def test_bad_values_name_the_key(query, key):
    with pytest.raises(ValueError, match=f"`{key}`"):
        State.from_query("seed=1&" + query)


def test_no_feature_at_all_is_refused():
    with pytest.raises(ValueError, match="feature"):
        State.from_query("seed=1&x=false&y=false")


def test_large_limits_widen_the_network_and_batch_limits():
    with pytest.raises(ValueError, match="at most 6 hidden layers"):
        State(seed="1", network_shape=(2,) * 7)
    with pytest.raises(ValueError, match="1 to 8 units"):
        State(seed="1", network_shape=(9,))
    big = State(seed="1", network_shape=(64,) * 10, batch_size=256, large_limits=True)
    assert big.limits == LARGE_LIMITS
    with pytest.raises(ValueError, match="64 with largeLimits"):
        State(seed="1", network_shape=(65,), large_limits=True)
    with pytest.raises(ValueError, match="batchSize"):
        State(seed="1", batch_size=257, large_limits=True)


def test_from_dict_checks_json_types_and_unknown_keys():
    base = State(seed="1")
    assert State.from_dict({"noise": 10.0}, base=base).noise == 10
    with pytest.raises(ValueError, match="`noise`"):
        State.from_dict({"noise": "10"}, base=base)
    with pytest.raises(ValueError, match="`x`"):
        State.from_dict({"x": "false"}, base=base)
    with pytest.raises(ValueError, match="Unknown state key 'nois'"):
        State.from_dict({"nois": 10}, base=base)
    with pytest.raises(TypeError):
        State.from_dict([1, 2])  # type: ignore[arg-type]
    assert State.from_dict({"unknown_hide": True}, base=base) == base


def test_merged_switches_dependent_keys():
    state = State(seed="1", network_shape=(4, 2), layer_activations=("relu", "tanh"))
    multi = state.merged({"problem": "multiclass"})
    assert (multi.dataset, multi.loss) == ("blobs", "ce")
    back = multi.merged({"problem": "classification"})
    assert (back.dataset, back.loss) == ("circle", "mse")
    grown = state.merged({"networkShape": [4, 2, 3]})
    assert grown.layer_activations == ("relu", "tanh", "tanh")
    assert state.merged({"networkShape": [5]}).layer_activations == ("relu",)
    assert state.merged({"learningRate": 0.1}).learning_rate == 0.1
    assert state.merged({"x": False}).features == ("y",)


def test_speed_defaults_to_the_tf_playground_pace_and_is_checked():
    assert State(seed="1").speed == 2
    assert State.from_query("seed=1&speed=0").speed == 0
    assert "speed=50" in State(seed="1", speed=50).to_query()
    with pytest.raises(ValueError, match="speed"):
        State.from_query("seed=1&speed=3")
