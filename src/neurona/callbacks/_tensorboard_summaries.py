"""How `TensorBoard` writes: `EventWriter` (below) and the summary protos that tensorboardX has no
writer method for, or names differently, built from tensorboardX's own proto classes (tensorboardX is
imported only when these run):

* plain text under an exact tag (tensorboardX's `add_text` appends `/text_summary` to the tag);
* the Keras model JSON (plugin `graph_keras_model`), which the Graph dashboard draws as a conceptual
  graph of layers without TensorFlow;
* the HParams plugin's `session_start_info`, `experiment` and `session_end_info`;

and the array conversions the callback needs before handing values to a writer: the finite part of an
array for a histogram, a weight as a greyscale image.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

HPARAMS_PLUGIN = "hparams"
SESSION_START_TAG = "_hparams_/session_start_info"
SESSION_END_TAG = "_hparams_/session_end_info"
EXPERIMENT_TAG = "_hparams_/experiment"


def _string_tensor(text: str) -> Any:
    """A scalar string tensor (shape []): the Text dashboard renders it as Markdown, where a shape-[1]
    tensor (tensorboardX's `add_text`) would be drawn as a one-cell table."""
    from tensorboardX.proto.tensor_pb2 import TensorProto
    from tensorboardX.proto.tensor_shape_pb2 import TensorShapeProto

    return TensorProto(dtype="DT_STRING", string_val=[text.encode("utf-8")], tensor_shape=TensorShapeProto())


def _summary(tag: str, plugin_name: str, content: bytes, tensor: Any = None) -> Any:
    from tensorboardX.proto.summary_pb2 import Summary, SummaryMetadata

    metadata = SummaryMetadata(
        plugin_data=SummaryMetadata.PluginData(plugin_name=plugin_name, content=content)
    )
    value = Summary.Value(tag=tag, metadata=metadata)
    if tensor is not None:
        value.tensor.CopyFrom(tensor)
    return Summary(value=[value])


def text_summary(tag: str, text: str) -> Any:
    """A Text-dashboard entry under exactly `tag` (rendered as Markdown)."""
    from tensorboardX.proto.plugin_text_pb2 import TextPluginData

    content = TextPluginData(version=0).SerializeToString()
    return _summary(tag, "text", content, _string_tensor(text))


def keras_model_summary(tag: str, model_json: str) -> Any:
    """The model's JSON config as Keras's `keras_model_summary` writes it (plugin `graph_keras_model`,
    content `b"1"`): TensorBoard's Graph dashboard turns it into a graph of layers."""
    return _summary(tag, "graph_keras_model", b"1", _string_tensor(model_json))


def _hparams_summary(tag: str, **oneof: Any) -> Any:
    from tensorboardX.proto.plugin_hparams_pb2 import HParamsPluginData

    content = HParamsPluginData(version=0, **oneof).SerializeToString()
    return _summary(tag, HPARAMS_PLUGIN, content)


def session_start_summary(hparams: dict[str, Any], start_time: float | None = None) -> Any:
    """`session_start_info` with one value per hyper-parameter (bool, number or string)."""
    from tensorboardX.proto.plugin_hparams_pb2 import SessionStartInfo

    info = SessionStartInfo(start_time_secs=time.time() if start_time is None else start_time)
    for name, value in hparams.items():
        if isinstance(value, (bool, np.bool_)):
            info.hparams[name].bool_value = bool(value)
        elif isinstance(value, (int, float, np.integer, np.floating)):
            info.hparams[name].number_value = float(value)
        else:
            info.hparams[name].string_value = str(value)
    return _hparams_summary(SESSION_START_TAG, session_start_info=info)


def experiment_summary(hparams: dict[str, Any], metrics: list[tuple[str, str]]) -> Any:
    """`experiment`: the hyper-parameters' names and types, and the metrics as (tag, display name) of
    scalars in the session's own run (group ""); a display name starting with `val_` is marked as a
    validation metric, the others as training metrics."""
    from tensorboardX.proto.api_pb2 import (
        DatasetType,
        DataType,
        Experiment,
        HParamInfo,
        MetricInfo,
        MetricName,
    )

    infos = []
    for name, value in hparams.items():
        if isinstance(value, (bool, np.bool_)):
            kind = "DATA_TYPE_BOOL"
        elif isinstance(value, (int, float, np.integer, np.floating)):
            kind = "DATA_TYPE_FLOAT64"
        else:
            kind = "DATA_TYPE_STRING"
        infos.append(HParamInfo(name=name, type=DataType.Value(kind)))
    metric_infos = [
        MetricInfo(
            name=MetricName(group="", tag=tag),
            display_name=display,
            dataset_type=DatasetType.Value(
                "DATASET_VALIDATION" if display.startswith("val_") else "DATASET_TRAINING"
            ),
        )
        for tag, display in metrics
    ]
    experiment = Experiment(hparam_infos=infos, metric_infos=metric_infos)
    return _hparams_summary(EXPERIMENT_TAG, experiment=experiment)


def session_end_summary(success: bool, end_time: float | None = None) -> Any:
    """`session_end_info` with STATUS_SUCCESS, or STATUS_FAILURE (the run ended on NaN/inf)."""
    from tensorboardX.proto.api_pb2 import Status
    from tensorboardX.proto.plugin_hparams_pb2 import SessionEndInfo

    status = Status.Value("STATUS_SUCCESS" if success else "STATUS_FAILURE")
    info = SessionEndInfo(status=status, end_time_secs=time.time() if end_time is None else end_time)
    return _hparams_summary(SESSION_END_TAG, session_end_info=info)


def finite_part(array: np.ndarray) -> tuple[np.ndarray, int, int]:
    """The finite entries of `array` as float64 (histograms cannot hold NaN/inf), with the number of
    NaN and of ±inf entries left out."""
    values = np.asarray(array, dtype=np.float64).reshape(-1)
    finite = np.isfinite(values)
    if finite.all():
        return values, 0, 0
    n_nan = int(np.isnan(values).sum())
    return values[finite], n_nan, int(values.size - finite.sum() - n_nan)


def weight_image(array: np.ndarray) -> np.ndarray | None:
    """A weight as a greyscale uint8 image, as Keras lays it out: a vector is one row (1 × n), a matrix is
    shown with its longer side horizontal (transposed when it has more rows than columns).

    Formula: pixel = round(255 · (w − min w) / (max w − min w)), 0 everywhere for a constant weight
    (Keras hands raw weights to an image summary, which clips them to [0, 1]; min-max scaling shows the
    pattern of any range). Returns None for other ranks or non-finite weights.
    """
    w = np.squeeze(np.asarray(array, dtype=np.float64))
    if w.ndim == 1:
        w = w[None, :]
    elif w.ndim == 2:
        if w.shape[0] > w.shape[1]:
            w = w.T
    else:
        return None
    if not np.isfinite(w).all():
        return None
    low, high = float(w.min()), float(w.max())
    if high == low:
        return np.zeros(w.shape, dtype=np.uint8)
    return np.round(255.0 * (w - low) / (high - low)).astype(np.uint8)


class EventWriter:
    """Append summaries to a new event file in `logdir` (created if needed), synchronously, with
    tensorboardX's record writer (the TFRecord framing and CRCs) and its summary builders.

    Why not tensorboardX's `SummaryWriter`: it queues events for a background thread, and its `flush()`
    does not wait for that queue, so "flushed at epoch end" would not hold; and it names files by the
    second and host only, so two writers opened in the same second in one folder truncate each other's
    file. Here every event is appended at once, `flush()` pushes the file to disk, and file names carry
    the process id and a nanosecond clock, like TensorFlow's `...{time}.{host}.{pid}.{uid}`.
    Files are only ever appended to, never rewritten, so a crash leaves whole records plus at most one
    truncated last record, which TensorBoard reads as "not written yet".
    """

    def __init__(self, logdir: str) -> None:
        from tensorboardX.event_file_writer import EventsWriter

        os.makedirs(logdir, exist_ok=True)
        self.logdir = logdir
        suffix = f".{os.getpid()}.{time.time_ns()}"
        self._events: Any = EventsWriter(os.path.join(logdir, "events"), filename_suffix=suffix)

    def summary(self, summary: Any, step: int) -> None:
        """Write one `Summary` proto as an event at `step`."""
        from tensorboardX.proto.event_pb2 import Event

        self._events.write_event(Event(wall_time=time.time(), step=int(step), summary=summary))

    def scalar(self, tag: str, value: float, step: int) -> None:
        from tensorboardX import summary as tbx

        self.summary(tbx.scalar(tag, float(value)), step)

    def histogram(self, tag: str, values: np.ndarray, step: int, bins: int) -> None:
        """A histogram of `values` (finite, not empty) in `bins` equal-width buckets."""
        from tensorboardX import summary as tbx

        with np.errstate(all="ignore"):
            self.summary(tbx.histogram(tag, values, bins), step)

    def image(self, tag: str, pixels: np.ndarray, step: int) -> None:
        """A greyscale image from a (height, width) uint8 array."""
        from tensorboardX import summary as tbx

        self.summary(tbx.image(tag, pixels, dataformats="HW"), step)

    def pr_curve(
        self, tag: str, labels: np.ndarray, probabilities: np.ndarray, step: int, thresholds: int
    ) -> None:
        """A PR curve of 0/1 `labels` against `probabilities` in [0, 1] (tensorboardX's counting)."""
        from tensorboardX import summary as tbx

        self.summary(tbx.pr_curve(tag, np.asarray(labels), np.asarray(probabilities), thresholds), step)

    def flush(self) -> None:
        self._events.flush()

    def close(self) -> None:
        self._events.close()
