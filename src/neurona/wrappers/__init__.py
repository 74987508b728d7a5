"""`neurona.wrappers`: scikit-learn estimators around neurona models (as `keras.wrappers`).

`SKLearnClassifier` and `SKLearnRegressor` make a compiled neurona model usable in `sklearn.pipeline.Pipeline`,
`cross_val_score` and `GridSearchCV`. scikit-learn is optional: it is imported the first time one of these
names is used, so `import neurona` stays fast and works without it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SKLearnClassifier", "SKLearnRegressor"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import sklearn_wrapper

        return getattr(sklearn_wrapper, name)
    raise AttributeError(f"module 'neurona.wrappers' has no attribute {name!r}")
