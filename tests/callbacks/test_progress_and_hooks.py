import io

import numpy as np
import pytest

import neurona as nn
from neurona import callbacks, layers


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def small_model():
    model = nn.Sequential([nn.Input(shape=(2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model


X, Y = np.random.default_rng(0).random((50, 2)), np.random.default_rng(1).random((50, 1))


def test_verbose_2_prints_one_line_per_epoch(capsys):
    small_model().fit(X, Y, epochs=3, batch_size=10, verbose=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "Epoch 1/3"
    assert len(lines) == 6  # "Epoch i/3" + one summary line, per epoch
    assert lines[1].startswith("5/5 - ") and "loss: " in lines[1] and "mae: " in lines[1]


def test_validation_does_not_change_the_epoch_line(capsys):
    # 50 samples at batch 10 = 5 steps; the validation pass (its own test hooks) must not change that count
    small_model().fit(X, Y, epochs=1, batch_size=10, verbose=2, validation_data=(X[:7], Y[:7]))
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("5/5 - ") and "val_loss: " in lines[1]


def test_verbose_1_outside_a_terminal_does_not_flood_the_log(capsys):
    small_model().fit(X, Y, epochs=2, batch_size=1, verbose=1)  # 50 batches per epoch
    out = capsys.readouterr().out
    assert "\r" not in out
    assert len(out.strip().splitlines()) == 4


def test_verbose_1_in_a_terminal_redraws_one_bar_with_eta():
    stream = FakeTerminal()
    model = small_model()
    model.fit(
        X,
        Y,
        epochs=1,
        batch_size=10,
        verbose=1,
        callbacks=[callbacks.ProgbarLogger(stream=stream, interval=0)],
    )
    out = stream.getvalue()
    assert out.count("\r") == 6  # a redraw per batch (interval 0), plus the final line
    assert "ETA:" in out and "[==============================]" in out
    assert out.endswith("\n")


def test_verbose_0_is_silent_even_with_validation(capsys):
    small_model().fit(X, Y, epochs=2, verbose=0, validation_split=0.2)
    small_model().evaluate(X, Y, verbose=0)
    assert capsys.readouterr().out == ""


def test_evaluate_and_predict_verbose_print_a_summary_line(capsys):
    model = small_model()
    model.evaluate(X, Y, batch_size=25, verbose=1)
    model.predict(X, batch_size=25, verbose=1)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("2/2") and "loss: " in lines[0]
    assert lines[1].startswith("2/2")


def test_every_hook_fires_in_order():
    events = []

    class Spy(callbacks.Callback):
        pass

    for hook in [h for h in dir(callbacks.Callback) if h.startswith("on_")]:
        setattr(Spy, hook, lambda self, *args, _h=hook: events.append(_h))
    model = small_model()
    model.fit(
        X[:4], Y[:4], batch_size=2, epochs=1, verbose=0, validation_data=(X[:2], Y[:2]), callbacks=[Spy()]
    )
    assert events[:3] == ["on_train_begin", "on_epoch_begin", "on_train_batch_begin"]
    assert events.count("on_train_batch_end") == 2
    # fit's validation runs the test hooks after the epoch's batches, before on_epoch_end (Keras 3's fit
    # calls evaluate with its callbacks)
    assert events[-6:] == [
        "on_test_begin",
        "on_test_batch_begin",
        "on_test_batch_end",
        "on_test_end",
        "on_epoch_end",
        "on_train_end",
    ]
    events.clear()
    model.predict(X[:4], batch_size=2, verbose=0, callbacks=[Spy()])
    assert events == [
        "on_predict_begin",
        "on_predict_batch_begin",
        "on_predict_batch_end",
        "on_predict_batch_begin",
        "on_predict_batch_end",
        "on_predict_end",
    ]


def test_lambda_callback_and_batch_logs():
    seen = []
    cb = callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append((batch, sorted(logs))))
    small_model().fit(X[:20], Y[:20], batch_size=10, epochs=1, verbose=0, callbacks=[cb])
    assert seen == [(0, ["loss", "mae"]), (1, ["loss", "mae"])]


def test_history_values_match_evaluate_at_the_end_of_an_epoch_without_updates():
    model = small_model()
    model.compile(optimizer=nn.optimizers.SGD(0.0), loss="mse", metrics=["mae"])  # lr 0: nothing changes
    history = model.fit(X, Y, batch_size=7, epochs=1, verbose=0)
    loss, mae = model.evaluate(X, Y, verbose=0)
    assert history.history["loss"][0] == pytest.approx(loss, rel=1e-6)
    assert history.history["mae"][0] == pytest.approx(mae, rel=1e-6)


def test_callbacks_must_be_callback_instances():
    with pytest.raises(TypeError, match="Callback"):
        small_model().fit(X, Y, verbose=0, callbacks=[lambda: None])
