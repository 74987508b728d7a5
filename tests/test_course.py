"""The course's own tf.keras snippets, run with only the import line changed (`import neurona as tf`),
and a real accuracy on a real dataset (scikit-learn's bundled digits: no download)."""

import numpy as np
import pytest

import neurona as tf
from neurona import layers, models


def test_namespaces_work_as_in_tf_keras():
    assert tf.keras.models.Sequential is tf.Sequential is models.Sequential
    assert tf.keras.layers.Dense is layers.Dense
    assert tf.keras.losses.SparseCategoricalCrossentropy is tf.losses.SparseCategoricalCrossentropy
    assert tf.keras.optimizers.Adam is tf.optimizers.Adam
    assert tf.Variable is tf.keras.Variable
    from neurona import activations, callbacks, initializers, losses, metrics, ops, optimizers, utils  # noqa: F401


def test_dense_32_with_input_shape_784():
    model = tf.keras.models.Sequential()
    model.add(tf.keras.layers.Dense(32, input_shape=(784,)))
    assert model.built
    assert model.count_params() == 784 * 32 + 32  # 25 120: weights + biases


def test_mnist_style_flatten_dense_dropout_dense_from_logits():
    model = tf.keras.models.Sequential(
        [
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10),
        ]
    )
    # how many w and b in total? 784·128 + 128 + 128·10 + 10 = 101 770
    assert model.count_params() == 101770
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    x_train = np.random.default_rng(0).random((64, 28, 28)).astype("float32")
    y_train = np.random.default_rng(1).integers(0, 10, 64)
    predictions = model(x_train[:1]).numpy()
    assert predictions.shape == (1, 10)
    probabilities = tf.nn.softmax(predictions).numpy()
    assert abs(float(np.sum(probabilities)) - 1.0) < 1e-6
    # the loss of one sample is −log softmax(logits)[label]
    assert float(loss_fn(y_train[:1], predictions)) == pytest.approx(
        -np.log(probabilities[0, y_train[0]]), rel=1e-5
    )
    model.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=2, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    loss, accuracy = model.evaluate(x_train, y_train, verbose=0)
    assert 0 <= accuracy <= 1 and np.isfinite(loss)
    probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
    np.testing.assert_allclose(
        probability_model(x_train[:5]).numpy(), tf.nn.softmax(model(x_train[:5])).numpy(), rtol=1e-6
    )


def test_k_class_softmax_head_and_regression_head():
    x = np.random.default_rng(2).random((30, 4)).astype("float32")
    clf = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(8, activation="relu", input_shape=(4,)),
            tf.keras.layers.Dense(3, activation="softmax"),
        ]
    )
    clf.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    clf.fit(x, tf.keras.utils.to_categorical(np.arange(30) % 3, 3), epochs=1, verbose=0)
    np.testing.assert_allclose(clf.predict(x, verbose=0).sum(axis=1), 1.0, rtol=1e-5)
    reg = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(8, activation="relu", input_dim=4),
            tf.keras.layers.Dense(1, activation="linear"),
        ]
    )
    reg.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = reg.fit(x, x.sum(axis=1), epochs=3, verbose=0)
    assert set(history.history) == {"loss", "mae"}


def test_softmax_of_the_course_example():
    np.testing.assert_allclose(
        tf.keras.activations.softmax(np.array([0.1, 1, 5])).numpy(),
        [0.00725956, 0.01785564, 0.9748848],
        rtol=1e-6,
    )


def test_variable_and_minimize_course_example():
    var = tf.Variable(1.0)
    opt = tf.keras.optimizers.SGD(learning_rate=0.1)
    loss = lambda: (var**2) / 2.0  # noqa: E731 - as the course writes it
    opt.minimize(loss, [var])
    assert var.numpy() == pytest.approx(0.9)


def test_gradient_tape_course_example():
    w = tf.Variable(tf.ones((3, 2)), name="w")
    b = tf.Variable(tf.zeros(2, dtype=tf.float32), name="b")
    x = tf.constant([[1.0, 2.0, 3.0]])
    with tf.GradientTape(persistent=True) as tape:
        y = x @ w + b
        loss = tf.reduce_mean(y**2)
    dl_dw, dl_db = tape.gradient(loss, [w, b])
    # y = [6, 6]; loss = mean(y²) → dL/dy = y = [6, 6]; dL/db = 6; dL/dw = xᵀ·[6, 6]
    np.testing.assert_allclose(dl_db.numpy(), [6.0, 6.0])
    np.testing.assert_allclose(dl_dw.numpy(), [[6, 6], [12, 12], [18, 18]])


def test_a_real_network_reaches_a_real_accuracy_on_real_digits():
    (x_train, y_train), (x_test, y_test) = tf.datasets.digits.load_data()
    x_train = x_train.reshape(len(x_train), -1) / 16.0
    x_test = x_test.reshape(len(x_test), -1) / 16.0
    model = tf.keras.Sequential(
        [tf.keras.Input(shape=(64,)), tf.keras.layers.Dense(64, activation="relu"), tf.keras.layers.Dense(10)]
    )
    model.compile(
        optimizer="adam",
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    model.fit(x_train, y_train, epochs=25, batch_size=32, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy > 0.95  # 10 classes: chance is 0.1; a logistic regression reaches ≈ 0.95
