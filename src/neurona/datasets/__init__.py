"""`neurona.datasets`: data sets with Keras's `load_data()` shapes. For now, `digits`: scikit-learn's
bundled 8×8 handwritten digits (1 797 images, no download needed)."""

from . import digits

__all__ = ["digits"]
