"""`neurona.datasets`: data sets with Keras's `load_data()` signatures, shapes and dtypes.

* `playground`: the TensorFlow Playground's six synthetic sets (circle, xor, gauss, spiral, plane,
  multi_gaussian), seeded.
* `toy.load(name)` / `load_toy(name)`: scikit-learn's bundled digits, wine, iris, breast_cancer,
  diabetes (no download); `digits.load_data()` gives the 8×8 digits MNIST-style.
* Keras's downloadable sets: `mnist`, `fashion_mnist`, `cifar10`, `cifar100`, `imdb`, `reuters`,
  `boston_housing`, `california_housing`. Files are cached in `$NEURONA_HOME/datasets` (default
  `~/.neurona/datasets`), checked against their published hash, and read without pickle.
"""

from . import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    digits,
    fashion_mnist,
    imdb,
    mnist,
    playground,
    reuters,
    toy,
)
from ._files import DatasetFileError, cache_dir
from .toy import load_toy

__all__ = [
    "DatasetFileError",
    "boston_housing",
    "cache_dir",
    "california_housing",
    "cifar10",
    "cifar100",
    "digits",
    "fashion_mnist",
    "imdb",
    "load_toy",
    "mnist",
    "playground",
    "reuters",
    "toy",
]
