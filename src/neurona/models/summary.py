"""`model.summary()`: a table of layers, output shapes and parameter counts, with the totals the
course asks for ("how many weights and biases in total?")."""

from __future__ import annotations

from typing import Any, Callable


def _format_size(count: int, itemsize: int = 4) -> str:
    size = float(count * itemsize)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} GB"


def _shape_text(shape: Any) -> str:
    if shape is None:
        return "?"
    if isinstance(shape, list):
        return ", ".join(_shape_text(s) for s in shape)
    return (
        "("
        + ", ".join("None" if d is None else str(d) for d in shape)
        + ("," if len(shape) == 1 else "")
        + ")"
    )


def _rows(model: Any) -> list[tuple[str, str, str, str]]:
    shapes = model._layer_output_shapes()
    graph = model._graph
    connections: dict[int, str] = {}
    if graph is not None and type(model).__name__ != "Sequential":
        for node in graph.nodes:
            parents = [t.node.layer.name for t in node.parent_tensors]
            connections[id(node.layer)] = ", ".join(parents)
    layers = list(model.layers)
    rows = []
    for layer in layers:
        params = layer.count_params() if layer.built else 0
        rows.append(
            (
                f"{layer.name} ({type(layer).__name__})",
                _shape_text(shapes.get(id(layer))),
                f"{params:,}",
                connections.get(id(layer), ""),
            )
        )
    return rows


def print_summary(
    model: Any,
    line_length: int | None = None,
    print_fn: Callable[[str], Any] | None = None,
    show_trainable: bool = False,
) -> None:
    """Print (or pass to `print_fn`, line by line) the summary of `model`."""
    print_fn = print_fn or print
    rows = _rows(model)
    with_connections = any(row[3] for row in rows)
    headers = ("Layer (type)", "Output Shape", "Param #") + (("Connected to",) if with_connections else ())
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in rows)) + 3 if rows else len(headers[i]) + 3
        for i in range(len(headers))
    ]
    total_width = line_length or sum(widths)

    def line(cells: tuple[str, ...]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            parts.append(cell.rjust(widths[i] - 3) + "   " if i == 2 else cell.ljust(widths[i]))
        return " " + "".join(parts).rstrip()

    print_fn(f'Model: "{model.name}"')
    print_fn("_" * total_width)
    print_fn(line(headers))
    print_fn("=" * total_width)
    for row in rows:
        print_fn(line(row[: len(headers)]))
    print_fn("=" * total_width)
    trainable = sum(w.size for w in model.trainable_weights)
    non_trainable = sum(w.size for w in model.non_trainable_weights)
    total = trainable + non_trainable
    print_fn(f" Total params: {total:,} ({_format_size(total)})")
    print_fn(f" Trainable params: {trainable:,} ({_format_size(trainable)})")
    print_fn(f" Non-trainable params: {non_trainable:,} ({_format_size(non_trainable)})")
    print_fn("_" * total_width)
