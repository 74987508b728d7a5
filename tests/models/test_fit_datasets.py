"""Data that does not fit in memory: a PyDataset, memory-mapped .npy files and generators in fit,
evaluate and predict — with the same results as the same batches given as arrays."""

import numpy as np
import pytest

import neurona as nn
from neurona import layers
from neurona.utils import NpyDataset, PyDataset


def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(50, 4)).astype("float32"), rng.integers(0, 3, 50)


def model():
    nn.utils.set_random_seed(3)
    m = nn.Sequential([nn.Input(shape=(4,)), layers.Dense(8, activation="relu"), layers.Dense(3)])
    m.compile(
        optimizer="adam", loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]
    )
    return m


class Batches(PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_ended = 0

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]

    def on_epoch_end(self):
        self.epochs_ended += 1


@pytest.mark.parametrize("workers", [1, 3])
def test_a_pydataset_trains_like_the_same_batches_as_arrays(workers):
    x, y = data()
    reference = model()
    expected = reference.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history
    dataset = Batches(x, y, 8, workers=workers, max_queue_size=2)
    trained = model()
    history = trained.fit(dataset, epochs=3, verbose=0).history
    assert history == expected
    for a, b in zip(reference.get_weights(), trained.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert dataset.epochs_ended == 3
    assert trained.evaluate(dataset, verbose=0) == pytest.approx(
        reference.evaluate(x, y, batch_size=8, verbose=0)
    )


def test_npy_files_are_read_through_memory_maps(tmp_path):
    x, y = data()
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", y)
    dataset = NpyDataset(tmp_path / "x.npy", tmp_path / "y.npy", batch_size=10, shuffle=True, seed=1)
    assert isinstance(dataset.x, np.memmap) and len(dataset) == 5
    m = model()
    history = m.fit(dataset, epochs=5, verbose=0, validation_data=Batches(x[:20], y[:20], 10))
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert "val_accuracy" in history.history
    predictions = m.predict(NpyDataset(tmp_path / "x.npy", batch_size=16), verbose=0)
    np.testing.assert_allclose(predictions, m.predict(x, verbose=0), rtol=1e-6)


def test_generators_need_steps_per_epoch():
    x, y = data()

    def forever():
        while True:
            for start in range(0, 50, 10):
                yield x[start : start + 10], y[start : start + 10]

    m = model()
    history = m.fit(forever(), steps_per_epoch=5, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    with pytest.raises(ValueError, match="steps_per_epoch=N"):
        m.fit(forever(), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="ran out of batches"):
        m.fit((b for b in [(x[:10], y[:10])]), steps_per_epoch=3, epochs=1, verbose=0)


def test_dataset_misuse_is_explained():
    x, y = data()
    m = model()
    with pytest.raises(ValueError, match="do not pass `y`"):
        m.fit(Batches(x, y, 8), y, verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        m.fit(Batches(x, y, 8), validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match=r"\(x, y\)"):
        m.fit(NpyDataset(x, batch_size=8), verbose=0)
    with pytest.raises(ValueError, match="threads"):
        Batches(x, y, 8, use_multiprocessing=True)
    bad = y.copy()
    bad[7] = 9
    with pytest.raises(ValueError, match="label value of 9"):
        m.fit(Batches(x, bad, 8), epochs=1, verbose=0)  # every batch is validated like arrays are
