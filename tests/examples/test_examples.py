"""The examples in examples/ run (with --quick) and show what their docstrings say they show.

Each runs once, with `--plots` pointing into the test's temporary folder: the figures it saves are checked
too (PNG files with enough ink and colours), or, without matplotlib, that it saved none.
"""

import importlib.util
import sys
from pathlib import Path

import numpy as np

from neurona import plot

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(name, *argv):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(["--quick", *argv])


def assert_plots(folder: Path, names: list[str]) -> None:
    """The folder holds exactly these PNG files, each a real picture (or nothing, without matplotlib)."""
    written = sorted(p.name for p in folder.iterdir())
    if not plot.available():
        assert written == []
        return
    from matplotlib.image import imread

    assert written == sorted(names)
    for name in names:
        path = folder / name
        assert path.read_bytes()[:8] == PNG_SIGNATURE, name
        pixels = (imread(path)[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
        ink = np.mean(np.any(pixels < 245, axis=1))  # share of pixels that are not white
        assert ink > 0.02, (name, ink)  # a drawing of lines and circles has little ink; blank has none
        assert len(np.unique(pixels, axis=0)) > 50, name


def test_01_one_sigmoid_neuron_is_logistic_regression(tmp_path):
    result = run("01_perceptron", "--plots", str(tmp_path))
    assert result["cosine_similarity"] > 0.999
    assert result["relative_difference"] < 0.02
    assert_plots(tmp_path, ["perceptron_boundary.png", "perceptron_history.png", "perceptron_model.png"])


def test_02_linear_layers_collapse_and_relu_solves_xor(tmp_path):
    result = run("02_linear_stack", "--plots", str(tmp_path))
    assert result["collapse_max_abs_error"] < 1e-5
    assert 0.35 < result["linear_xor_accuracy"] < 0.65
    assert result["relu_xor_accuracy"] > 0.95
    names = ["xor_linear_boundary.png", "xor_relu_boundary.png", "xor_relu_history.png", "xor_relu_model.png"]
    assert_plots(tmp_path, names)


def test_03_regression_deeper_fits_better_and_wide_overfits(tmp_path):
    result = run("03_regression", "--plots", str(tmp_path))
    assert result["deep_val_loss"] < result["small_val_loss"]
    assert result["overfit_train_loss"] * 5 < result["overfit_val_loss"]
    names = ["regression_deep_model.png", "regression_fits.png", "regression_overfit_history.png"]
    assert_plots(tmp_path, names)


def test_04_binary_wine_accuracies(tmp_path):
    result = run("04_binary_wine", "--plots", str(tmp_path))
    assert set(result) == {f"test_accuracy_{h}_hidden" for h in (1, 4, 32)}
    assert all(accuracy > 0.85 for accuracy in result.values())
    names = [f"wine_boundary_{h}_hidden.png" for h in (1, 4, 32)]
    assert_plots(tmp_path, names + ["wine_confusion_32_hidden.png", "wine_model_4_hidden.png"])


def test_05_softmax_accuracy_and_entropy_rises_with_temperature(tmp_path):
    result = run("05_softmax_classes", "--plots", str(tmp_path))
    assert result["test_accuracy"] > 0.9
    entropies = list(result["entropy_by_temperature"].values())
    assert all(a < b for a, b in zip(entropies, entropies[1:]))
    assert entropies[-1] <= result["max_entropy"]
    names = ["softmax_boundary.png", "softmax_confusion.png", "softmax_entropy.png", "softmax_history.png"]
    assert_plots(tmp_path, names)


def test_06_course_mlp_on_digits(tmp_path):
    result = run("06_mnist_mlp", "--verbose", "0", "--plots", str(tmp_path))
    assert result["dataset"] == "digits"
    assert result["test_accuracy"] > 0.9
    names = ["activations", "confusion", "history", "model", "weights"]
    assert_plots(tmp_path, [f"mlp_{name}.png" for name in names])


def test_07_every_regularizer_ends_with_a_lower_validation_loss(tmp_path):
    result = run("07_regularization", "--plots", str(tmp_path))
    final = result["final_val_loss"]
    for kind in ("dropout", "l2", "early_stopping", "batchnorm"):
        assert final[kind] < final["none"], kind
    assert result["epochs_run"]["early_stopping"] < result["epochs_run"]["none"]
    names = ["curves", "history_early_stopping", "history_none", "weights_l2", "weights_none"]
    assert_plots(tmp_path, [f"regularization_{name}.png" for name in names])


def test_08_adaptive_optimizers_beat_plain_sgd(tmp_path):
    final = run("08_optimizers", "--plots", str(tmp_path))["final_loss"]
    for name in ("SGD+momentum", "RMSprop", "Adam", "Nadam"):
        assert final[name] < final["SGD"], name
    assert_plots(tmp_path, ["optimizers_loss.png"])


def test_without_matplotlib_the_examples_run_and_say_why_there_are_no_plots(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what `import matplotlib` sees when it is absent
    result = run("05_softmax_classes", "--plots", str(tmp_path))
    assert result["test_accuracy"] > 0.9
    assert list(tmp_path.iterdir()) == []
    out = capsys.readouterr().out
    assert "matplotlib is not installed" in out and 'pip install "neurona[plots]"' in out
