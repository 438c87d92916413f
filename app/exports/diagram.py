"""An SVG diagram of a model: one box per layer with its type, name and output shape.

Like `keras.utils.plot_model(show_shapes=True)`, but drawn here, so no Graphviz is needed.
"""

from html import escape

from app.engine.tf_setup import keras

WIDTH, BOX_H, GAP = 360, 46, 22


def _shape(shape: tuple[int | None, ...] | list[int | None]) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _box(parts: list[str], x: float, y: float, width: float, kind: str, name: str, shape: str, fill: str) -> None:
    parts.append(f'<rect x="{x}" y="{y}" width="{width}" height="{BOX_H}" rx="6" fill="{fill}" stroke="#4a6fa5"/>')
    parts.append(f'<text x="{x + 12}" y="{y + 19}" font-weight="bold">{escape(kind)}</text>')
    parts.append(f'<text x="{x + 12}" y="{y + 37}" fill="#444">{escape(name)}</text>')
    parts.append(
        f'<text x="{x + width - 12}" y="{y + 28}" text-anchor="end" font-family="monospace">{escape(shape)}</text>'
    )


def graph_svg(model: keras.Model) -> str:
    """A functional model: its layers in rows by depth (each below the layers it takes), one arrow per edge."""
    from app.engine.summary import connections

    layers = model.layers
    sources = {layer.name: [link["layer"] for link in connections(model, layer)] for layer in layers}
    depth: dict[str, int] = {}
    for layer in layers:  # model.layers is in topological order
        depth[layer.name] = 1 + max((depth[s] for s in sources[layer.name] if s in depth), default=-1)
    rows: dict[int, list[keras.layers.Layer]] = {}
    for layer in layers:
        rows.setdefault(depth[layer.name], []).append(layer)
    widest = max(len(row) for row in rows.values())
    box_w = 240
    width = max(WIDTH, widest * (box_w + GAP) + GAP)
    height = len(rows) * (BOX_H + GAP) + GAP
    where: dict[str, tuple[float, float]] = {}
    boxes: list[str] = []
    for d, row in sorted(rows.items()):
        y = GAP + d * (BOX_H + GAP)
        left = (width - (len(row) * (box_w + GAP) - GAP)) / 2
        for k, layer in enumerate(row):
            x = left + k * (box_w + GAP)
            where[layer.name] = (x + box_w / 2, y)
            kind = type(layer).__name__
            fill = "#f3f3f3" if kind == "InputLayer" else "#eef5ff"
            _box(boxes, x, y, box_w, kind, layer.name, _shape(tuple(layer.output.shape)), fill)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    for layer in layers:
        x2, y2 = where[layer.name]
        for source in sources[layer.name]:
            x1, y1 = where[source]
            parts.append(
                f'<line x1="{x1}" y1="{y1 + BOX_H}" x2="{x2}" y2="{y2 - 3}" stroke="#555" marker-end="url(#arrow)">'
                f"<title>{escape(source)} → {escape(layer.name)}</title></line>"
            )
    parts += boxes
    parts.append("</svg>")
    return "\n".join(parts)


def svg(model: keras.Model) -> str:
    if not isinstance(model, keras.Sequential):
        return graph_svg(model)
    boxes = [("InputLayer", "input", _shape(tuple(model.inputs[0].shape)))]
    boxes += [(type(layer).__name__, layer.name, _shape(tuple(layer.output.shape))) for layer in model.layers]
    height = len(boxes) * (BOX_H + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="13">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    for i, (kind, name, shape) in enumerate(boxes):
        y = GAP + i * (BOX_H + GAP)
        fill = "#eef5ff" if i else "#f3f3f3"
        parts.append(
            f'<rect x="20" y="{y}" width="{WIDTH - 40}" height="{BOX_H}" rx="6" fill="{fill}" stroke="#4a6fa5"/>'
        )
        parts.append(f'<text x="32" y="{y + 19}" font-weight="bold">{escape(kind)}</text>')
        parts.append(f'<text x="32" y="{y + 37}" fill="#444">{escape(name)}</text>')
        parts.append(
            f'<text x="{WIDTH - 32}" y="{y + 28}" text-anchor="end" font-family="monospace">{escape(shape)}</text>'
        )
        if i:
            parts.append(
                f'<line x1="{WIDTH / 2}" y1="{y - GAP}" x2="{WIDTH / 2}" y2="{y - 3}" '
                'stroke="#555" marker-end="url(#arrow)"/>'
            )
    parts.append("</svg>")
    return "\n".join(parts)
