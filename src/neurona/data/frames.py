"""pandas DataFrames and Series at the boundary of `fit`, `evaluate` and `predict`.

neurona does not import pandas: a DataFrame is recognised by its attributes. Columns must be numeric
(booleans from `pd.get_dummies` count as numbers); text, `object` and `category` columns and missing
values (NaN, `pd.NA`, None) are refused with the column names, the rows and the usual fix. The column
order seen by `fit` is remembered by the model; a later DataFrame with the same columns in another order
is reordered to it, and one with missing or extra columns is refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_MAX_LISTED = 5


def is_dataframe(value: Any) -> bool:
    return hasattr(value, "dtypes") and hasattr(value, "columns") and hasattr(value, "to_numpy")


def is_series(value: Any) -> bool:
    return (
        hasattr(value, "dtype")
        and hasattr(value, "to_numpy")
        and hasattr(value, "index")
        and not is_dataframe(value)
    )


def _listed(items: list[Any]) -> str:
    shown = ", ".join(repr(item) for item in items[:_MAX_LISTED])
    more = len(items) - _MAX_LISTED
    return f"[{shown}{f', … and {more} more' if more > 0 else ''}]"


def _numeric_kind(dtype: Any) -> bool:
    return getattr(dtype, "kind", "O") in "biuf" and str(dtype) != "category"


def check_missing(frame: Any, name: str) -> None:
    """Raise naming the rows (index labels) and columns that hold NaN, pd.NA or None."""
    missing = frame.isna()
    if is_series(frame):
        rows = list(frame.index[missing.to_numpy()])
        columns: list[Any] = [frame.name] if frame.name is not None else []
    else:
        mask = missing.to_numpy()
        rows = list(frame.index[mask.any(axis=1)])
        columns = list(frame.columns[mask.any(axis=0)])
    if not rows:
        return
    where = f"in column(s) {_listed(columns)} " if columns else ""
    raise ValueError(
        f"`{name}` has missing values (NaN, pd.NA or None) {where}at {len(rows)} row(s) {_listed(rows)} "
        "(index labels). neurona cannot train on missing values: drop those rows (df.dropna()) or fill them, "
        "e.g. with sklearn.impute.SimpleImputer in a Pipeline in front of the model."
    )


def frame_to_array(frame: Any, name: str) -> np.ndarray:
    """The DataFrame's values as one numeric ndarray (columns in their order)."""
    check_missing(frame, name)
    bad = [column for column, dtype in zip(frame.columns, frame.dtypes) if not _numeric_kind(dtype)]
    if bad:
        kinds = sorted({str(frame[column].dtype) for column in bad})
        raise TypeError(
            f"`{name}` has non-numeric columns {_listed(bad)} (dtype {', '.join(kinds)}). neurona trains on "
            "numbers: one-hot encode categorical columns first, e.g. pd.get_dummies(df, columns=[...]), or "
            "map them to integer indices with a lookup layer (StringLookup / IntegerLookup) in front of an "
            "Embedding."
        )
    dtypes = [
        np.dtype("float32") if dtype.kind == "b" else np.dtype(getattr(dtype, "numpy_dtype", dtype))
        for dtype in frame.dtypes
    ]
    return frame.to_numpy(dtype=np.result_type(*dtypes))


def series_to_array(series: Any, name: str) -> np.ndarray:
    check_missing(series, name)
    if not _numeric_kind(series.dtype):
        raise TypeError(
            f"`{name}` (a pandas Series) has non-numeric dtype {series.dtype}. Encode it as numbers first "
            "(e.g. series.astype('category').cat.codes for class labels)."
        )
    dtype = series.dtype
    numpy_dtype = np.dtype("float32") if dtype.kind == "b" else np.dtype(getattr(dtype, "numpy_dtype", dtype))
    return series.to_numpy(dtype=numpy_dtype)


def column_names(frame: Any) -> list[str]:
    return [str(column) for column in frame.columns]


def align_columns(frame: Any, expected: list[str], name: str = "x") -> Any:
    """`frame` with its columns in the `expected` (fit-time) order; raise on missing or extra columns."""
    received = column_names(frame)
    if received == expected:
        return frame
    missing = [column for column in expected if column not in received]
    extra = [column for column in received if column not in expected]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing columns {_listed(missing)}")
        if extra:
            parts.append(f"extra columns {_listed(extra)}")
        raise ValueError(
            f"The DataFrame `{name}` does not have the columns the model was trained on: {' and '.join(parts)}. "
            f"Expected the columns {_listed(expected)} (the order given to fit). Pass a DataFrame with exactly "
            "those columns (df[expected_columns]), or a NumPy array in that column order."
        )
    if len(set(received)) != len(received):
        raise ValueError(f"The DataFrame `{name}` has duplicated column names: {received}.")
    positions = [received.index(column) for column in expected]
    return frame.iloc[:, positions]
