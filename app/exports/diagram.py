"""An SVG diagram of a model: one box per layer with its type, name and output shape.

Like `keras.utils.plot_model(show_shapes=True)`, but drawn here, so no Graphviz is needed.
"""

from html import escape

from app.engine.tf_setup import keras

WIDTH, BOX_H, GAP = 360, 46, 22


def _shape(shape: tuple[int | None, ...] | list[int | None]) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def svg(model: keras.Model) -> str:
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
