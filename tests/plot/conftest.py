"""Helpers for looking at rendered figures: RGBA pixels, colours at data coordinates, blankness."""

import numpy as np
import pytest


class Images:
    @staticmethod
    def render(fig) -> np.ndarray:
        """The figure as an (height, width, 4) uint8 array, as the Agg canvas draws it."""
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()

    @staticmethod
    def at(fig, ax, x: float, y: float) -> np.ndarray:
        """The RGB colour (floats in [0, 1]) of the pixel where the data point (x, y) of `ax` lands."""
        image = Images.render(fig)
        column, row_from_bottom = ax.transData.transform((x, y))
        row = image.shape[0] - 1 - int(row_from_bottom)
        return image[row, int(column), :3] / 255.0

    @staticmethod
    def assert_not_blank(fig, min_colors: int = 20, min_ink: float = 0.03) -> None:
        image = Images.render(fig)[..., :3].reshape(-1, 3)
        colors = len(np.unique(image, axis=0))
        ink = float(np.mean(np.any(image < 245, axis=1)))  # share of pixels that are not (near) white
        assert colors >= min_colors, f"only {colors} distinct colours"
        assert ink >= min_ink, f"only {ink:.1%} of the pixels are not white"


@pytest.fixture
def images():
    return Images
