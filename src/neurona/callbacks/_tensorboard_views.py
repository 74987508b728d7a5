"""The views of the model that the `TensorBoard` callback computes on validation samples: weight,
activation and gradient histograms, dead ReLU fractions, gradient norms, PR curves and projector
embeddings. `ModelViews` is mixed into `TensorBoard`, whose writer helpers (`_writer`, `_scalar`,
`_histogram`, `_check_array`) it uses."""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np

from . import _tensorboard_model as model_info
from . import _tensorboard_projector as projector
from . import _tensorboard_summaries as summaries

PR_THRESHOLDS = 127  # tensorboardX's (and torch's) number of PR-curve thresholds, its maximum


def weight_tag(weight: Any) -> str:
    """Keras's tag stem for a weight: its path with ':' replaced by '_' (`dense/kernel`)."""
    return str(getattr(weight, "path", None) or weight.name).replace(":", "_")


class ModelViews:
    """Histograms, PR curves and embeddings (see the module docstring)."""

    model: Any
    log_dir: str
    histogram_freq: int
    embeddings_freq: int

    def _prepare_samples(self) -> None:
        """Fix the validation samples for activations/gradients and for the projector."""
        state = getattr(self.model, "_training_state", None)
        self._val = getattr(state, "validation", None)
        self._sample = None
        self._embedding = None
        self._warned_outputs = False
        needs = []
        if self.histogram_freq:
            needs.append("histograms of activations and gradients")
        if self.embeddings_freq:
            needs.append("embeddings")
        if self._val is None:
            if needs:
                warnings.warn(
                    f"TensorBoard: no {' and no '.join(needs)}: they are computed on validation samples, "
                    "and fit has no validation arrays. Pass validation_data=(x_val, y_val) or "
                    "validation_split=0.2 to fit.",
                    stacklevel=3,
                )
            return
        xs, ys, sw = self._val
        n_val = len(xs[0])
        if self.histogram_freq:
            index = model_info.sample_indices(n_val, self.activation_samples, self.seed)
            self._sample = ([x[index] for x in xs], [y[index] for y in ys], None if sw is None else sw[index])
        if self.embeddings_freq:
            layer = self._embedding_layer()
            index = model_info.sample_indices(n_val, self.embeddings_samples, self.seed)
            path = projector.resolve_metadata_path(self.embeddings_metadata, layer, self.log_dir)
            if path is None:
                header, labels = None, model_info.target_labels(ys[0][index])
            else:
                header, labels = projector.select_metadata(path, index, n_val)
            self._embedding = (layer, [x[index] for x in xs], header, labels)

    def _embedding_layer(self) -> str:
        layers = self.model.layers
        names = [layer.name for layer in layers]
        if isinstance(self.embeddings_metadata, dict):
            unknown = sorted(set(self.embeddings_metadata) - set(names))
            if unknown:
                raise ValueError(
                    f"`embeddings_metadata` names layers that are not in the model: {unknown}. "
                    f"Layers: {names}."
                )
        choice = self.embeddings_layer
        if choice is None:  # the last hidden layer with weights (not a Dropout after it), else the output
            hidden = [layer for layer in layers if type(layer).__name__ != "InputLayer"][:-1]
            with_weights = [layer for layer in hidden if layer.weights]
            return (with_weights or hidden or layers)[-1].name
        if isinstance(choice, str):
            if choice not in names:
                raise ValueError(
                    f"`embeddings_layer`={choice!r} is not a layer of the model. Layers: {names}."
                )
            return choice
        if not -len(layers) <= choice < len(layers):
            raise ValueError(
                f"`embeddings_layer`={choice} is out of range: the model has {len(layers)} layers {names}."
            )
        return layers[choice].name

    def _write_histograms(self, epoch: int) -> None:
        seen: set[int] = set()
        for layer in self.model.layers:
            for weight in layer.weights:
                if id(weight) in seen:
                    continue
                seen.add(id(weight))
                tag = weight_tag(weight)
                self._histogram(f"{tag}/histogram", weight.data, epoch)
                image = summaries.weight_image(weight.data) if self.write_images else None
                if image is not None:
                    self._writer("train").image(f"{tag}/image", image, epoch)
        if self._sample is None:
            return
        xs, ys, sw = self._sample
        where = f"epoch {epoch} (validation sample)"
        outputs = self._layer_outputs(xs)
        for name, output in outputs.items():
            self._check_array("activation", name, output, where)
            self._histogram(f"activations/{name}", output, epoch)
        for layer in self.model.layers:
            if layer.name in outputs and model_info.is_relu_layer(layer):
                fraction = model_info.dead_fraction(outputs[layer.name])
                self._scalar("train", f"dead_relu_fraction/{layer.name}", fraction, epoch)
        for weight, grad in model_info.loss_gradients(self.model, xs, ys, sw):
            tag = weight_tag(weight)
            self._check_array("gradient", tag, grad, where)
            self._histogram(f"gradients/{tag}", grad, epoch)
            with np.errstate(all="ignore"):
                norm = float(np.sqrt(np.sum(np.square(grad, dtype=np.float64))))
            self._scalar("train", f"gradient_norm/{tag}", norm, epoch)

    def _layer_outputs(self, xs: list[np.ndarray], names: list[str] | None = None) -> dict[str, np.ndarray]:
        """Layer outputs on `xs` (float ones only); {} with a warning once for models without a graph."""
        if names is None:
            names = [layer.name for layer in self.model.layers if type(layer).__name__ != "InputLayer"]
        try:
            found = self.model.layer_outputs(model_info.model_input(xs), layers=names)
        except (AttributeError, ValueError) as error:
            if not self._warned_outputs:
                self._warned_outputs = True
                warnings.warn(f"TensorBoard: no layer activations or embeddings: {error}", stacklevel=3)
            return {}
        return {name: value for name, value in found.items() if np.asarray(value).dtype.kind == "f"}

    def _write_pr_curves(self, epoch: int) -> None:
        self._pr_epoch = epoch
        if self._val is None or len(self._val[1]) != 1:
            return
        xs, ys, _ = self._val
        predictions = self.model.predict(model_info.model_input(xs), verbose=0)
        if isinstance(predictions, dict):
            predictions = next(iter(predictions.values()))
        predictions = np.asarray(predictions[0] if isinstance(predictions, list) else predictions)
        width = predictions.reshape(len(predictions), -1).shape[1]
        targets = model_info.classification_targets(ys[0], width)
        if targets is None or not np.isfinite(predictions).all():
            return
        probabilities = model_info.class_probabilities(
            predictions, targets, model_info.loss_from_logits(self.model)
        )
        validation = self._writer("validation")
        for k in range(width):
            tag = "pr_curve" if width == 1 else f"pr_curve/class_{k}"
            validation.pr_curve(tag, targets[:, k], probabilities[:, k], epoch, PR_THRESHOLDS)

    def _write_embedding(self, epoch: int) -> None:
        layer, xs, header, labels = self._embedding
        outputs = self._layer_outputs(xs, [layer])
        if not outputs:
            return
        vectors = next(iter(outputs.values()))
        vectors = vectors.reshape(len(vectors), -1)
        if not np.isfinite(vectors).all():
            self._check_array("embedding", layer, vectors, f"epoch {epoch}")
            return
        projector.write_embedding(os.path.join(self.log_dir, "train"), layer, epoch, vectors, labels, header)
