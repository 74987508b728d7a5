import io
import os
import pickle
import zipfile

import numpy as np
import pytest

from neurona.datasets import DatasetFileError, imdb, reuters


def object_array(lists):
    out = np.empty(len(lists), dtype=object)
    for i, item in enumerate(lists):
        out[i] = item
    return out


TRAIN = [[5, 6, 7], [8], [9, 10, 11, 12], [4, 4]]
TEST = [[13, 14], [15, 16, 17, 18, 19]]


def write_imdb(path):
    np.savez(
        path,
        x_train=object_array(TRAIN),
        y_train=np.array([0, 1, 0, 1]),
        x_test=object_array(TEST),
        y_test=np.array([1, 0]),
    )


def keras_shuffle(n_train, n_test, seed=113):
    rng = np.random.RandomState(seed)
    train = np.arange(n_train)
    rng.shuffle(train)
    test = np.arange(n_test)
    rng.shuffle(test)
    return train, test


def test_imdb_default_encoding(tmp_path):
    write_imdb(tmp_path / "imdb.npz")
    (x_train, y_train), (x_test, y_test) = imdb.load_data(path=str(tmp_path / "imdb.npz"))
    train, test = keras_shuffle(4, 2)
    assert x_train.dtype == object and x_train.shape == (4,)
    # start_char 1, then every word + index_from 3
    assert x_train[0] == [1] + [w + 3 for w in TRAIN[train[0]]]
    assert y_train.tolist() == [[0, 1, 0, 1][i] for i in train]
    assert x_test[1] == [1] + [w + 3 for w in TEST[test[1]]]
    assert y_test.tolist() == [[1, 0][i] for i in test]


def test_imdb_num_words_skip_top_maxlen_oov(tmp_path):
    write_imdb(tmp_path / "imdb.npz")
    (x_train, _), (x_test, _) = imdb.load_data(
        path=str(tmp_path / "imdb.npz"), num_words=12, skip_top=2, maxlen=5, oov_char=2
    )
    kept = [x for x in x_train] + [x for x in x_test]
    # maxlen=5 drops the 5-word (6 with start) and the 4-word (5 with start) sequences
    assert len(x_train) == 3 and len(x_test) == 1
    for sequence in kept:
        assert sequence[0] == 2  # start_char 1 < skip_top 2 → oov
        assert all(w == 2 or 2 <= w < 12 for w in sequence)
    (x_train, _), _ = imdb.load_data(path=str(tmp_path / "imdb.npz"), num_words=10, oov_char=None)
    assert all(all(w < 10 for w in x) for x in x_train)


def test_imdb_maxlen_too_small(tmp_path):
    write_imdb(tmp_path / "imdb.npz")
    with pytest.raises(ValueError, match="Increase maxlen"):
        imdb.load_data(path=str(tmp_path / "imdb.npz"), maxlen=2)


def test_reuters_split_and_seed(tmp_path):
    xs = [[i + 4] * (1 + i % 3) for i in range(10)]
    np.savez(tmp_path / "r.npz", x=object_array(xs), y=np.arange(10))
    (x_train, y_train), (x_test, y_test) = reuters.load_data(path=str(tmp_path / "r.npz"), test_split=0.3)
    indices = np.arange(10)
    np.random.RandomState(113).shuffle(indices)
    assert y_train.tolist() == indices[:7].tolist() and y_test.tolist() == indices[7:].tolist()
    assert x_test[0] == [1] + [w + 3 for w in xs[indices[7]]]
    assert x_train.shape == (7,) and x_train.dtype == object


class Canary:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def npz_with_member(path, name, payload_bytes):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "|O", "fortran_order": False, "shape": (1,)})
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}.npy", header.getvalue() + payload_bytes)
        archive.writestr("y.npy", _npy(np.array([0])))


def _npy(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "payload",
    [
        lambda canary: pickle.dumps(Canary(canary)),
        lambda canary: pickle.dumps(object_array([Canary(canary)])),
        lambda canary: (
            b"cbuiltins\neval\n(V__import__('os').system('touch " + str(canary).encode() + b"')\ntR."
        ),
        lambda canary: b"cnumpy\nload\n(V" + str(canary).encode() + b"\ntR.",
    ],
)
def test_malicious_pickle_is_refused_without_running(tmp_path, payload):
    canary = tmp_path / "canary"
    npz_with_member(tmp_path / "r.npz", "x", payload(canary))
    with pytest.raises(DatasetFileError, match="refused to read 'x'"):
        reuters.load_data(path=str(tmp_path / "r.npz"))
    assert not canary.exists()


@pytest.mark.parametrize(
    "bad",
    [object_array([[1, 2], "text"]), object_array([[1, -2]]), object_array([[1.5]]), object_array([[True]])],
)
def test_object_arrays_must_hold_int_lists(tmp_path, bad):
    np.savez(tmp_path / "r.npz", x=bad, y=np.zeros(len(bad), int))
    with pytest.raises(DatasetFileError, match="must be a list of non-negative ints"):
        reuters.load_data(path=str(tmp_path / "r.npz"))


def test_word_index_json(tmp_path):
    (tmp_path / "wi.json").write_text('{"the": 1, "a": 2}')
    assert imdb.get_word_index(path=str(tmp_path / "wi.json")) == {"the": 1, "a": 2}
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(DatasetFileError, match="word"):
        reuters.get_word_index(path=str(tmp_path / "bad.json"))


def test_numpy1_module_names_are_accepted(tmp_path):
    # NumPy 1.x writes the reconstruct function as numpy.core.multiarray._reconstruct
    payload = pickle.dumps(object_array([[4, 5], [6]]), protocol=3)
    payload = payload.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    assert b"numpy.core.multiarray" in payload
    npz_with_member(tmp_path / "r.npz", "x", payload)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        with pytest.raises(DatasetFileError, match="shape"):
            # the member header says shape (1,), the payload has 2 rows: refused as inconsistent
            reuters.load_data(path=str(tmp_path / "r.npz"))


def test_numpy1_pickle_loads(tmp_path):
    payload = pickle.dumps(object_array([[4, 5]]), protocol=3).replace(b"numpy._core", b"numpy.core")
    npz_with_member(tmp_path / "r.npz", "x", payload)
    (x_train, _), (x_test, _) = reuters.load_data(path=str(tmp_path / "r.npz"), test_split=0.0)
    # Keras quirk kept: with num_words=None, num_words = the largest index (8), and 8 < 8 fails → oov 2
    assert x_train.tolist() == [[1, 7, 2]] and len(x_test) == 0
