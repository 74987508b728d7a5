"""`neurona.wrappers`: scikit-learn estimators in Pipeline, cross_val_score and GridSearchCV."""

import numpy as np
import pytest

import neurona
from neurona import layers

sklearn = pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from neurona.wrappers import SKLearnClassifier, SKLearnRegressor  # noqa: E402

FAST = {"epochs": 15, "verbose": 0}


def blobs(n=60):
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1, 2], n // 3)
    centers = np.array([[0.0, 0.0], [4.0, 4.0], [0.0, 4.0]])
    x = centers[labels] + rng.normal(scale=0.5, size=(n, 2)) + 10.0  # shifted: the scaler matters
    return x, labels


def build_classifier(X, y, units=8, loss="categorical_crossentropy"):
    model = neurona.Sequential(
        [
            layers.Input((X.shape[1],)),
            layers.Dense(units, activation="relu"),
            layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer=neurona.optimizers.Adam(0.05), loss=loss)
    return model


def test_pipeline_with_imputer_and_scaler_and_string_labels():
    x, labels = blobs()
    x[::7, 1] = np.nan  # SimpleImputer fills these before the model sees them
    names = np.array(["ham", "spam", "eggs"])[labels]
    pipe = make_pipeline(
        SimpleImputer(), StandardScaler(), SKLearnClassifier(build_classifier, fit_kwargs=FAST)
    )
    pipe.fit(x, names)
    classifier = pipe[-1]
    assert classifier.classes_.tolist() == ["eggs", "ham", "spam"]  # sorted, as sklearn's classifiers
    assert set(pipe.predict(x)) <= {"eggs", "ham", "spam"}
    assert pipe.score(x, names) > 0.8
    probabilities = pipe.predict_proba(x)
    assert probabilities.shape == (60, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert set(classifier.history_) == {"loss"} and len(classifier.history_["loss"]) == 15


def test_cross_val_score_three_folds():
    x, labels = blobs()
    scores = cross_val_score(
        make_pipeline(StandardScaler(), SKLearnClassifier(build_classifier, fit_kwargs=FAST)), x, labels, cv=3
    )
    assert scores.shape == (3,)
    assert scores.mean() > 0.8


def test_grid_search_over_model_and_fit_kwargs():
    x, labels = blobs()
    x = StandardScaler().fit_transform(x)
    search = GridSearchCV(
        SKLearnClassifier(build_classifier, fit_kwargs=FAST),
        {"model_kwargs": [{"units": 2}, {"units": 8}], "fit_kwargs": [FAST]},
        cv=3,
    )
    search.fit(x, labels)
    assert search.best_params_["model_kwargs"]["units"] in (2, 8)
    assert search.best_estimator_.predict(x).shape == (60,)


def test_get_params_and_clone():
    estimator = SKLearnClassifier(build_classifier, model_kwargs={"units": 4}, fit_kwargs=FAST)
    params = estimator.get_params()
    assert params == {
        "model": build_classifier,
        "warm_start": False,
        "model_kwargs": {"units": 4},
        "fit_kwargs": FAST,
    }
    copy = clone(estimator.set_params(warm_start=True))
    assert copy.warm_start is True and copy.model_kwargs == {"units": 4}


def test_compiled_model_instance_is_cloned_unless_warm_start():
    x, labels = blobs()
    x = StandardScaler().fit_transform(x)
    instance = build_classifier(x, labels)
    estimator = SKLearnClassifier(instance, fit_kwargs=FAST).fit(x, labels)
    assert estimator.model_ is not instance
    assert not instance.built or instance.history is None  # the given model was not trained
    warm = SKLearnClassifier(instance, warm_start=True, fit_kwargs=FAST).fit(x, labels)
    assert warm.model_ is instance
    first = [w.copy() for w in warm.model_.get_weights()]
    warm.fit(x, labels, epochs=1)  # continues from the trained weights, same model
    assert warm.model_ is instance
    assert any(not np.array_equal(a, b) for a, b in zip(first, warm.model_.get_weights()))


def test_noncontiguous_labels_with_a_sparse_loss():
    x, labels = blobs()
    x = StandardScaler().fit_transform(x)
    codes = np.array([10, 20, 40])[labels]
    estimator = SKLearnClassifier(build_classifier, model_kwargs={"loss": "sparse_categorical_crossentropy"})
    estimator.set_params(fit_kwargs=FAST).fit(x, codes)
    assert estimator.classes_.tolist() == [10, 20, 40]
    assert estimator.score(x, codes) > 0.8


def test_binary_sigmoid_output():
    x, labels = blobs()
    keep = labels < 2
    x, y = StandardScaler().fit_transform(x[keep]), np.where(labels[keep] == 1, "yes", "no")

    def build(X, y):
        model = neurona.Sequential([layers.Input((2,)), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=neurona.optimizers.Adam(0.1), loss="binary_crossentropy")
        return model

    estimator = SKLearnClassifier(build, fit_kwargs=FAST).fit(x, y)
    probabilities = estimator.predict_proba(x)
    assert probabilities.shape == (40, 2)
    assert estimator.score(x, y) > 0.9


def test_classifier_errors():
    x, labels = blobs()
    with pytest.raises(NotFittedError):
        SKLearnClassifier(build_classifier).predict(x)

    def uncompiled(X, y):
        return neurona.Sequential([layers.Input((2,)), layers.Dense(3, activation="softmax")])

    with pytest.raises(ValueError, match="must be compiled"):
        SKLearnClassifier(uncompiled).fit(x, labels)
    with pytest.raises(ValueError, match="outputs 3 values per sample, but `y` has 2 classes"):
        SKLearnClassifier(build_classifier, fit_kwargs=FAST).fit(x[labels < 2], labels[labels < 2])
    with pytest.raises(TypeError, match="callable returning one"):
        SKLearnClassifier("not a model").fit(x, labels)
    fitted = SKLearnClassifier(build_classifier, fit_kwargs={"epochs": 1, "verbose": 0}).fit(x, labels)
    with pytest.raises(ValueError, match="fit on 2"):
        fitted.predict(np.ones((3, 5)))


def test_regressor_in_a_pipeline_with_cross_val_score():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 3)) * [1.0, 10.0, 100.0]
    y = x @ [1.0, 0.1, 0.01] + 0.5

    def build(X, y):
        model = neurona.Sequential([layers.Input((X.shape[1],)), layers.Dense(1)])
        model.compile(optimizer=neurona.optimizers.Adam(0.1), loss="mse")
        return model

    pipe = make_pipeline(StandardScaler(), SKLearnRegressor(build, fit_kwargs={"epochs": 40, "verbose": 0}))
    pipe.fit(x, y)
    assert pipe.predict(x).shape == (60,)
    assert pipe.score(x, y) > 0.9
    assert cross_val_score(pipe, x, y, cv=3).shape == (3,)


def test_wrappers_are_exposed_lazily():
    assert neurona.wrappers.SKLearnClassifier is SKLearnClassifier
    with pytest.raises(AttributeError):
        neurona.wrappers.KerasClassifier  # noqa: B018


def test_cross_val_score_with_a_compiled_instance():
    x, labels = blobs()
    x = StandardScaler().fit_transform(x)
    instance = build_classifier(x, labels)
    scores = cross_val_score(SKLearnClassifier(instance, fit_kwargs=FAST), x, labels, cv=3)
    assert scores.shape == (3,)


def test_dataframes_pass_through_with_their_column_checks():
    pd = pytest.importorskip("pandas")
    x, labels = blobs()
    frame = pd.DataFrame(StandardScaler().fit_transform(x), columns=["u", "v"])
    estimator = SKLearnClassifier(build_classifier, fit_kwargs=FAST).fit(frame, labels)
    assert estimator.model_.feature_names == ["u", "v"]
    np.testing.assert_array_equal(estimator.predict(frame[["v", "u"]]), estimator.predict(frame))
