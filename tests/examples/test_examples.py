"""The examples in examples/ run (with --quick) and show what their docstrings say they show."""

import importlib.util
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(name, *argv):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(["--quick", *argv])


def test_01_one_sigmoid_neuron_is_logistic_regression():
    result = run("01_perceptron")
    assert result["cosine_similarity"] > 0.999
    assert result["relative_difference"] < 0.02


def test_02_linear_layers_collapse_and_relu_solves_xor():
    result = run("02_linear_stack")
    assert result["collapse_max_abs_error"] < 1e-5
    assert 0.35 < result["linear_xor_accuracy"] < 0.65
    assert result["relu_xor_accuracy"] > 0.95


def test_03_regression_deeper_fits_better_and_wide_overfits():
    result = run("03_regression")
    assert result["deep_val_loss"] < result["small_val_loss"]
    assert result["overfit_train_loss"] * 5 < result["overfit_val_loss"]


def test_04_binary_wine_accuracies():
    result = run("04_binary_wine")
    assert set(result) == {f"test_accuracy_{h}_hidden" for h in (1, 4, 32)}
    assert all(accuracy > 0.85 for accuracy in result.values())


def test_05_softmax_accuracy_and_entropy_rises_with_temperature():
    result = run("05_softmax_classes")
    assert result["test_accuracy"] > 0.9
    entropies = list(result["entropy_by_temperature"].values())
    assert all(a < b for a, b in zip(entropies, entropies[1:]))
    assert entropies[-1] <= result["max_entropy"]


def test_06_course_mlp_on_digits():
    result = run("06_mnist_mlp")
    assert result["dataset"] == "digits"
    assert result["test_accuracy"] > 0.9


def test_07_every_regularizer_ends_with_a_lower_validation_loss():
    result = run("07_regularization")
    final = result["final_val_loss"]
    for kind in ("dropout", "l2", "early_stopping", "batchnorm"):
        assert final[kind] < final["none"], kind
    assert result["epochs_run"]["early_stopping"] < result["epochs_run"]["none"]


def test_08_adaptive_optimizers_beat_plain_sgd():
    final = run("08_optimizers")["final_loss"]
    for name in ("SGD+momentum", "RMSprop", "Adam", "Nadam"):
        assert final[name] < final["SGD"], name


def test_plot_writes_a_png(tmp_path):
    target = tmp_path / "wine.png"
    run("04_binary_wine", "--plot", str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
