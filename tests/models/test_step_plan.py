"""`fit` replays recorded steps (models/step_plan.py): the same numbers as the tape, bit for bit, and
only for models whose step it can see whole."""

import numpy as np
import pytest

import neurona as nn
from neurona import layers, losses, optimizers
from neurona.engine.plan import StepPlan
from neurona.models import step_plan


@pytest.fixture
def count_replays(monkeypatch):
    calls = []
    original = StepPlan.run

    def run(self, arrays):
        calls.append(1)
        return original(self, arrays)

    monkeypatch.setattr(StepPlan, "run", run)
    return calls


def _fit(build, x, y, monkeypatch, plans: bool, **fit_kwargs):
    nn.utils.set_random_seed(7)
    model = build()
    with monkeypatch.context() as patch:
        if not plans:
            patch.setattr(step_plan, "can_plan", lambda *a: False)
            from neurona.models import trainer

            patch.setattr(trainer, "can_plan", lambda *a: False)
        history = model.fit(x, y, verbose=0, **fit_kwargs)
    return model, history.history


def _playground():
    model = nn.keras.Sequential(
        [
            nn.Input((2,)),
            layers.Dense(4, activation="tanh"),
            layers.Dense(2, activation="tanh"),
            layers.Dense(1, activation="tanh"),
        ]
    )
    model.compile(optimizer=optimizers.SGD(0.03), loss="mse", metrics=["mae"])
    return model


def _classifier():
    model = nn.keras.Sequential([nn.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(3)])
    model.compile(
        optimizer=optimizers.Adam(0.01),
        loss=losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def _data(n=103, d=2, classes=None, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, d)).astype(np.float32)
    if classes:
        return x, rng.integers(0, classes, n)
    return x, np.where((x**2).sum(1, keepdims=True) < 0.5, 1.0, -1.0).astype(np.float32)


def _assert_same(a, b):
    (model_a, history_a), (model_b, history_b) = a, b
    assert history_a == history_b
    for wa, wb in zip(model_a.get_weights(), model_b.get_weights()):
        assert np.array_equal(wa, wb)


def test_replayed_fit_equals_the_tape_bit_for_bit_and_replays(monkeypatch, count_replays):
    x, y = _data()  # 103 samples at batch 10: a last partial batch with its own plan
    replayed = _fit(_playground, x, y, monkeypatch, True, batch_size=10, epochs=6)
    n_replays = len(count_replays)
    taped = _fit(_playground, x, y, monkeypatch, False, batch_size=10, epochs=6)
    _assert_same(replayed, taped)
    # 11 batches/epoch, 6 epochs: the full-batch plan is recorded at step 1 and replayed from step 2 on
    # (step 2 also runs the tape, to check); the partial batch is recorded in epoch 1, replayed from 2.
    assert n_replays == (60 - 1) + (6 - 1) and len(count_replays) == n_replays
    assert replayed[1]["loss"][-1] < replayed[1]["loss"][0]  # and it learns


def test_classifier_with_float64_inputs_sample_weights_and_validation(monkeypatch, count_replays):
    x, y = _data(n=64, d=6, classes=3, seed=3)
    x = x.astype(np.float64)  # cast inside the step by the first layer: recorded and replayed
    weights = np.linspace(0.5, 2.0, 64)
    kwargs = dict(batch_size=16, epochs=4, sample_weight=weights, validation_split=0.25)
    replayed = _fit(_classifier, x, y, monkeypatch, True, **kwargs)
    assert count_replays
    _assert_same(replayed, _fit(_classifier, x, y, monkeypatch, False, **kwargs))


def test_functional_model_with_two_outputs(monkeypatch, count_replays):
    def build():
        inputs = nn.Input((3,))
        hidden = layers.Dense(5, activation="relu")(inputs)
        model = nn.Model(
            inputs,
            {"value": layers.Dense(1, name="value")(hidden), "kind": layers.Dense(2, name="kind")(hidden)},
        )
        model.compile(
            optimizer="rmsprop",
            loss={"value": "mse", "kind": losses.SparseCategoricalCrossentropy(from_logits=True)},
            loss_weights={"value": 0.5, "kind": 2.0},
            metrics={"kind": ["accuracy"]},
        )
        return model

    x, labels = _data(n=40, d=3, classes=2, seed=5)
    y = {"value": x[:, :1] * 2, "kind": labels}
    replayed = _fit(build, x, y, monkeypatch, True, batch_size=8, epochs=3)
    assert count_replays
    _assert_same(replayed, _fit(build, x, y, monkeypatch, False, batch_size=8, epochs=3))


@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.keras.Sequential([nn.Input((2,)), layers.Dropout(0.5), layers.Dense(1)]),
        lambda: nn.keras.Sequential([nn.Input((2,)), layers.BatchNormalization(), layers.Dense(1)]),
        lambda: nn.keras.Sequential([nn.Input((2,)), layers.Dense(1, activation=lambda t: t * 2.0)]),
        lambda: nn.keras.Sequential([nn.Input((2,)), layers.Dense(1, kernel_regularizer="l2")]),
    ],
    ids=["dropout", "batchnorm", "custom-activation", "regularizer"],
)
def test_steps_with_something_on_the_side_are_not_replayed(make, count_replays):
    x, y = _data(n=20)
    model = make()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=5, epochs=2, verbose=0)
    assert not count_replays


def test_a_loss_that_compares_outside_the_ops_is_not_replayed(monkeypatch, count_replays):
    # Huber's `|x| <= δ` mask is computed in NumPy, off the tape: the recorder refuses the step.
    def build():
        model = _playground()
        model.compile(optimizer="sgd", loss=losses.Huber(delta=0.5))
        return model

    x, y = _data(n=20)
    recorded = _fit(build, x, y, monkeypatch, True, batch_size=5, epochs=2)
    assert not count_replays
    _assert_same(recorded, _fit(build, x, y, monkeypatch, False, batch_size=5, epochs=2))


def test_custom_losses_and_subclassed_models_are_not_replayed(count_replays):
    x, y = _data(n=20)
    model = _playground()
    model.compile(optimizer="sgd", loss=lambda t, p: nn.ops.mean(nn.ops.abs(t - p)))
    model.fit(x, y, batch_size=5, epochs=2, verbose=0)

    class Sub(nn.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

    sub = Sub()
    sub.compile(optimizer="sgd", loss="mse")
    sub.fit(x, y, batch_size=5, epochs=2, verbose=0)
    assert not count_replays


def test_the_check_rejects_a_plan_that_would_replay_a_stale_value(monkeypatch):
    # A layer that scales by a number computed in Python from the batch: a plan would bake in the first
    # batch's number. Forced through the planner, the second step's bit-for-bit check must reject it and
    # training must equal the tape's.
    class DataScale(layers.Layer):
        def call(self, inputs):
            return inputs * float(np.abs(inputs.data).mean())

    def build():
        model = nn.keras.Sequential([nn.Input((2,)), DataScale(), layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        return model

    x, y = _data(n=40)
    monkeypatch.setattr(step_plan, "PLANNED_LAYERS", step_plan.PLANNED_LAYERS + (DataScale,))
    forced = _fit(build, x, y, monkeypatch, True, batch_size=8, epochs=3)
    monkeypatch.undo()
    _assert_same(forced, _fit(build, x, y, monkeypatch, False, batch_size=8, epochs=3))


def test_labels_out_of_range_are_still_refused_before_training():
    x, y = _data(n=30, d=6, classes=3)
    y[17] = 3
    model = _classifier()
    with pytest.raises(ValueError, match="outside the valid range"):
        model.fit(x, y, batch_size=10, epochs=2, verbose=0)


def test_reused_gather_buffers_serve_the_same_batches_as_fresh_copies():
    from neurona.models.batches import ArraySource

    rng_x = np.random.default_rng(5)
    x = rng_x.random((23, 3)).astype(np.float32)
    y = np.arange(23)
    source = ArraySource([x], [y], None, batch_size=5, shuffle=True)
    fresh = [(b[1][0].copy(), b[2][0].copy()) for b in source.epoch(np.random.default_rng(1))]
    reused, buffers = [], set()
    for _, xs, ys, _ in source.epoch(np.random.default_rng(1), reuse=True):
        reused.append((xs[0].copy(), ys[0].copy()))
        buffers.add(xs[0].__array_interface__["data"][0])
    assert len(fresh) == len(reused) == 5  # 4 full batches and one of 3 rows
    for (fx, fy), (rx, ry) in zip(fresh, reused):
        assert np.array_equal(fx, rx) and np.array_equal(fy, ry)
    assert reused[-1][0].shape == (3, 3)
    assert len(buffers) == 1  # every batch was written into the one buffer


def test_matched_apply_is_the_checked_apply_without_the_checks():
    rng = np.random.default_rng(2)
    for make in (
        lambda: optimizers.Adam(0.01, clipnorm=0.5),
        lambda: optimizers.SGD(0.1, momentum=0.9, weight_decay=0.01),
        lambda: optimizers.RMSprop(0.01, loss_scale_factor=4.0),
        lambda: optimizers.Adam(0.01, gradient_accumulation_steps=2),
    ):
        results = []
        for matched in (False, True):
            variables = [nn.Variable(np.ones((3, 2), np.float32)), nn.Variable(np.zeros(2, np.float32))]
            optimizer = make()
            for _ in range(3):
                grads = [rng.standard_normal(v.shape).astype(np.float32) for v in variables]
                if matched:
                    optimizer._apply_matched(grads, variables)
                else:
                    optimizer.apply(grads, variables)
            results.append(([v.numpy() for v in variables], int(optimizer.iterations.numpy())))
            rng = np.random.default_rng(2)  # the same gradients for the second run
        (plain, steps_a), (matched_result, steps_b) = results
        assert steps_a == steps_b  # (3, or the number of accumulated updates)
        for a, b in zip(plain, matched_result):
            assert np.array_equal(a, b)
