"""`neurona.data.frames`: DataFrame dtypes, missing values and column alignment."""

import numpy as np
import pytest

from neurona.data import adapter, frames

pd = pytest.importorskip("pandas")


def test_category_and_string_columns_are_named():
    df = pd.DataFrame({"a": [1.0, 2.0], "color": pd.Categorical(["red", "blue"]), "city": ["x", "y"]})
    with pytest.raises(TypeError, match=r"\['color', 'city'\]") as info:
        adapter.standardize_inputs(df, 1, "x")
    message = str(info.value)
    assert "category" in message and "pd.get_dummies" in message and "StringLookup" in message


def test_get_dummies_booleans_are_numbers():
    df = pd.get_dummies(
        pd.DataFrame({"a": [1.0, 2.0, 3.0], "color": ["red", "blue", "red"]}), columns=["color"]
    )
    array = adapter.standardize_inputs(df, 1, "x")
    assert array.dtype == np.float32
    assert array.tolist() == [[1.0, 0.0, 1.0], [2.0, 1.0, 0.0], [3.0, 0.0, 1.0]]


@pytest.mark.parametrize(
    "column",
    [
        [1.0, np.nan, 3.0, np.nan],
        pd.array([1, None, 3, None], dtype="Int64"),  # pd.NA in a nullable integer column
        [1, None, 3, None],  # None in an object column
    ],
    ids=["nan", "pd.NA", "None"],
)
def test_missing_values_name_rows_and_columns(column):
    df = pd.DataFrame({"ok": [1.0, 2.0, 3.0, 4.0], "gap": column}, index=[10, 11, 12, 13])
    with pytest.raises(ValueError, match="missing values") as info:
        adapter.standardize_inputs(df, 1, "x")
    message = str(info.value)
    assert "['gap']" in message and "[11, 13]" in message and "SimpleImputer" in message


def test_missing_values_in_a_series_target():
    with pytest.raises(ValueError, match=r"missing values .* \[1\]"):
        adapter.standardize_inputs(pd.Series([0.0, None, 1.0], name="label"), 1, "y", features=False)


def test_align_columns_reorders_and_names_differences():
    df = pd.DataFrame({"b": [2.0], "a": [1.0]})
    aligned = frames.align_columns(df, ["a", "b"])
    assert list(aligned.columns) == ["a", "b"]
    assert frames.align_columns(aligned, ["a", "b"]) is aligned
    with pytest.raises(ValueError, match=r"missing columns \['c'\] and extra columns \['b'\]"):
        frames.align_columns(df, ["a", "c"])
