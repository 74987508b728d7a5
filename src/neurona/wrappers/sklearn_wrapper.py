"""`SKLearnClassifier` and `SKLearnRegressor`: Keras 3's scikit-learn wrappers, for neurona models.

Constructor semantics follow `keras.wrappers`: `model` is a compiled model (cloned before each fit unless
`warm_start=True`) or a callable returning one, called as `model(X=X, y=y, **model_kwargs)`;
`fit_kwargs` go to `Model.fit` (arguments given to the wrapper's `fit` win). After `fit`: `model_` (the
fitted model), `history_` (the `History.history` dict) and `n_features_in_`; the classifier also has
`classes_`.

The classifier encodes labels as scikit-learn estimators do: any labels (strings, noncontiguous integers)
become indices into the sorted `classes_`, and `predict` maps back. The targets handed to the model suit
its output: one unit → 0/1 (binary cross-entropy), a sparse loss → indices, otherwise one-hot rows (what
Keras's wrapper always sends, for `categorical_crossentropy`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
    from sklearn.utils.validation import check_is_fitted
except ImportError as error:  # pragma: no cover - exercised only without scikit-learn
    raise ImportError(
        "neurona.wrappers needs scikit-learn. Install it with `pip install scikit-learn`."
    ) from error

from ..data import frames
from ..models import Model
from ..models.fit_data import loss_name


def _features(X: Any) -> Any:
    """Features for the model: DataFrames pass through (neurona checks their columns), the rest → ndarray."""
    if frames.is_dataframe(X):
        return X
    array = np.asarray(X)
    if array.ndim == 1:
        raise ValueError(
            f"Expected a 2-D array of samples × features, got a 1-D array of shape {array.shape}. Reshape it "
            "with X.reshape(-1, 1) for one feature or X.reshape(1, -1) for one sample."
        )
    return array


def clone_compiled(model: Model) -> Model:
    """A fresh copy of `model`: same architecture and compile settings, newly initialized weights."""
    clone = type(model).from_config(model.get_config())
    config = model.get_compile_config()
    if config is not None:
        clone.compile_from_config(config)
    return clone


class _SKLearnWrapper(BaseEstimator):
    """What the classifier and the regressor share: building, cloning and fitting the model."""

    def __init__(
        self,
        model: Any,
        warm_start: bool = False,
        model_kwargs: dict[str, Any] | None = None,
        fit_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _build_model(self, X: Any, y: Any) -> Model:
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if isinstance(self.model, Model):
            built = self.model if self.warm_start else clone_compiled(self.model)
        elif callable(self.model):
            built = self.model(X=X, y=y, **(self.model_kwargs or {}))
        else:
            raise TypeError(
                "`model` must be a compiled neurona Model or a callable returning one (called as "
                f"model(X=X, y=y, **model_kwargs)). Received: {self.model!r}"
            )
        if not isinstance(built, Model):
            raise TypeError(f"`model(X=X, y=y, ...)` must return a neurona Model. It returned: {built!r}")
        if not built.compiled:
            raise ValueError(
                "The model must be compiled before the wrapper fits it: call model.compile(optimizer=..., "
                "loss=...) in the function that builds it (or before passing the instance)."
            )
        return built

    def _train(self, X: Any, y_model: np.ndarray, kwargs: dict[str, Any]) -> None:
        options = {**(self.fit_kwargs or {}), **kwargs}
        history = self.model_.fit(X, y_model, **options)
        self.history_ = history.history

    def _check_features(self, X: Any) -> Any:
        check_is_fitted(self, "model_")
        X = _features(X)
        if X.ndim == 2 and X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but this {type(self).__name__} was fit on {self.n_features_in_}."
            )
        return X


class SKLearnClassifier(ClassifierMixin, _SKLearnWrapper):
    """A scikit-learn classifier around a compiled neurona model (Keras 3's `SKLearnClassifier`).

    >>> import numpy as np, neurona as nr
    >>> def build(X, y):
    ...     model = nr.Sequential([nr.layers.Input((X.shape[1],)), nr.layers.Dense(2, activation="softmax")])
    ...     model.compile(optimizer="adam", loss="categorical_crossentropy")
    ...     return model
    >>> clf = SKLearnClassifier(build, fit_kwargs={"epochs": 2, "verbose": 0})
    >>> clf.fit(np.eye(4)[:, :2], ["no", "yes", "no", "yes"]).classes_.tolist()
    ['no', 'yes']
    """

    def fit(self, X: Any, y: Any, **kwargs: Any) -> SKLearnClassifier:
        """Fit the model on `X` and the labels `y` (any hashable, sortable labels); returns self."""
        X = _features(X)
        labels = np.asarray(y)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.ndim != 1:
            raise ValueError(
                f"`y` must hold one label per sample, shape (n,). Received shape {labels.shape}; for one-hot "
                "targets pass y.argmax(axis=1)."
            )
        self.classes_, indices = np.unique(labels, return_inverse=True)
        self.n_features_in_ = X.shape[1]
        self.model_ = self._build_model(X, labels)
        self._train(X, self._encode(X, indices.reshape(-1)), kwargs)
        return self

    def _encode(self, X: Any, indices: np.ndarray) -> np.ndarray:
        n_classes = len(self.classes_)
        width = int(np.prod(np.shape(self.model_.predict(X[:1], verbose=0))[1:]))
        if width == 1:
            if n_classes > 2:
                raise ValueError(
                    f"The model has one output unit, which fits two classes, but `y` has {n_classes}: "
                    f"{self.classes_.tolist()}. Give the last layer {n_classes} units with a softmax."
                )
            return indices.astype("float32")[:, None]
        if width != n_classes:
            raise ValueError(
                f"The model outputs {width} values per sample, but `y` has {n_classes} classes "
                f"{self.classes_.tolist()}. Make the last layer Dense({n_classes}, activation='softmax')."
            )
        if "sparse" in loss_name(self.model_._compile_args.get("loss")):
            return indices
        return np.eye(n_classes, dtype="float32")[indices]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, one column per entry of `classes_`."""
        X = self._check_features(X)
        output = np.asarray(self.model_.predict(X, verbose=0))
        output = output.reshape(len(output), -1)
        if output.shape[1] == 1:
            return np.hstack([1.0 - output, output])
        return output

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each sample (labels from `classes_`)."""
        probabilities = self.predict_proba(X)
        return self.classes_[np.argmax(probabilities, axis=1)]


class SKLearnRegressor(RegressorMixin, _SKLearnWrapper):
    """A scikit-learn regressor around a compiled neurona model (Keras 3's `SKLearnRegressor`)."""

    def fit(self, X: Any, y: Any, **kwargs: Any) -> SKLearnRegressor:
        """Fit the model on `X` and the targets `y` ((n,) or (n, outputs)); returns self."""
        X = _features(X)
        targets = np.asarray(y, dtype="float32")
        self.n_features_in_ = X.shape[1]
        self._target_ndim = targets.ndim
        self.model_ = self._build_model(X, targets)
        self._train(X, targets[:, None] if targets.ndim == 1 else targets, kwargs)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Predictions with the shape of the training targets ((n,) for 1-D `y`)."""
        X = self._check_features(X)
        output = np.asarray(self.model_.predict(X, verbose=0))
        if self._target_ndim == 1 and output.ndim == 2 and output.shape[1] == 1:
            return output[:, 0]
        return output
