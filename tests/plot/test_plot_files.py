"""`save`, `figure` and `path=`: PNG/SVG/PDF by extension, the exact pixel size, atomic writes."""

import struct
import xml.etree.ElementTree as ET

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from neurona import plot  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    # the IHDR chunk comes first: 8 signature bytes, 4 length, 4 type, then width and height (big-endian)
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def small_figure(path=None):
    return plot.confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], figsize=(4, 3), dpi=50, path=path)


def test_png_has_the_signature_and_figsize_times_dpi_pixels(tmp_path, images):
    target = tmp_path / "cm.png"
    fig = small_figure(target)
    assert png_size(target.read_bytes()) == (200, 150)  # 4 in × 50 dpi, 3 in × 50 dpi
    images.assert_not_blank(fig)


def test_save_with_another_dpi_scales_the_pixels(tmp_path):
    target = plot.save(small_figure(), tmp_path / "cm.png", dpi=80)
    assert png_size(target.read_bytes()) == (320, 240)


def test_svg_is_xml_with_an_svg_root(tmp_path):
    target = tmp_path / "sub" / "cm.svg"  # missing folders are created
    small_figure(target)
    root = ET.parse(target).getroot()
    assert root.tag.endswith("svg")
    assert root.get("width").startswith("288") and root.get("height").startswith("216")  # 4 in, 3 in in pt


def test_pdf_by_extension(tmp_path):
    target = plot.save(small_figure(), tmp_path / "cm.PDF")
    assert target.read_bytes()[:5] == b"%PDF-"


def test_unknown_extension_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf.*cm\.jpg"):
        small_figure(tmp_path / "cm.jpg")
    assert list(tmp_path.iterdir()) == []


def test_writes_are_atomic_a_failed_save_keeps_the_old_file(tmp_path):
    target = tmp_path / "cm.png"
    small_figure(target)
    before = target.read_bytes()
    fig = small_figure()

    def broken_savefig(*args, **kwargs):
        raise RuntimeError("disk full")

    fig.savefig = broken_savefig
    with pytest.raises(RuntimeError, match="disk full"):
        plot.save(fig, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["cm.png"]  # no temporary file left behind


def test_figure_is_headless_and_validates_its_size(images):
    fig = plot.figure(figsize=(2, 1), dpi=40)
    fig.add_subplot().plot([0, 1], [0, 1])
    assert images.render(fig).shape == (40, 80, 4)
    with pytest.raises(ValueError, match="figsize"):
        plot.figure(figsize=(0, 3))
    with pytest.raises(ValueError, match="dpi"):
        plot.figure(dpi=-1)


def test_every_function_returns_a_new_figure_without_pyplot_state():
    first, second = small_figure(), small_figure()
    assert first is not second
    assert type(first).__name__ == "Figure"
    assert type(first.canvas).__name__ == "FigureCanvasAgg"
    assert np.array_equal(
        np.asarray(first.axes[0].images[0].get_array()), second.axes[0].images[0].get_array()
    )
