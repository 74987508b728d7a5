"""matplotlib is optional: `import neurona` never loads it, drawing without it says how to install it."""

import importlib
import subprocess
import sys

import pytest

import neurona

INSTALL = 'pip install "neurona[plots]"'


def test_import_neurona_and_neurona_plot_load_no_matplotlib_and_drawing_uses_no_pyplot():
    pytest.importorskip("matplotlib")
    script = (
        "import sys\n"
        "import neurona as tf\n"
        "assert 'matplotlib' not in sys.modules, 'import neurona loaded matplotlib'\n"
        "plot = tf.keras.plot\n"  # the lazy attribute
        "import neurona.plot\n"
        "assert plot is neurona.plot\n"
        "assert 'matplotlib' not in sys.modules, 'import neurona.plot loaded matplotlib'\n"
        "plot.confusion_matrix([0, 1], [0, 1])\n"
        "assert 'matplotlib' in sys.modules\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'drawing imported pyplot'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_without_matplotlib_drawing_raises_an_import_error_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what `import matplotlib` sees when it is absent
    for name in [n for n in sys.modules if n == "neurona.plot" or n.startswith("neurona.plot.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delattr(neurona, "plot", raising=False)
    plot = importlib.import_module("neurona.plot")  # importing still works
    assert plot.available() is False
    with pytest.raises(ImportError, match=INSTALL.replace("[", r"\[").replace("]", r"\]")):
        plot.history({"loss": [1.0, 0.5]})
    with pytest.raises(ImportError, match="neurona.plot draws with matplotlib"):
        plot.figure()


def test_available_is_true_with_matplotlib():
    pytest.importorskip("matplotlib")
    from neurona import plot

    assert plot.available() is True
    assert plot.INSTALL_HINT == INSTALL
