"""`neurona.plot`: matplotlib figures of models, training and data, headless and free of pyplot state.

Every function returns a `matplotlib.figure.Figure` and takes `path=` to save it (.png, .svg or .pdf,
written atomically). matplotlib is imported when the first figure is drawn, never by `import neurona`;
without it, drawing raises an ImportError that says `pip install "neurona[plots]"`.

- `history(history)`: training curves, one panel per metric, the best epoch marked.
- `decision_boundary(model, x, y)`: the predictions of a 2-feature model over the plane, data on top.
- `model(model)`: the network as neurons and links coloured and thickened by weight (TF Playground style).
- `weights(model)`, `activations(model, x)`: histograms per layer.
- `confusion_matrix(y_true, y_pred)`: counts or rates per (true, predicted) class.
- `figure()`, `save(fig, path)`, `available()`: a bare headless figure, atomic saving, whether matplotlib
  is installed.
"""

from ._mpl import INSTALL_HINT, available, figure, save
from .confusion import confusion_matrix
from .curves import history
from .decision import decision_boundary
from .distributions import activations, weights
from .network import model

__all__ = [
    "INSTALL_HINT",
    "activations",
    "available",
    "confusion_matrix",
    "decision_boundary",
    "figure",
    "history",
    "model",
    "save",
    "weights",
]
