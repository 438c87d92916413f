"""notebook.ipynb: the run's code, data and results as notebook cells that run top to bottom offline
(in Jupyter or Colab with TensorFlow 2, Keras 3 and scikit-learn), as the course's notebooks do."""

import math
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from app.datasets.registry import DATASETS
from app.exports import code
from app.schemas.runs import RunCreate

# What each part of the script is, said before its cell.
INTRO = {
    "imports": "## Keras, with the run's seed",
    "initial weights": "The playground draws each weight from its layer's own initializer, seeded from the run's "
    "seed: this function does the same, so training here starts where the playground's run started.",
    "data": "## The data\nThe run's own rows, split and scaled as the playground did.",
    "labels": "The labels as the loss wants them.",
    "model": "## The model",
    "summary": "`model.summary()`: each layer's output shape and parameter count.",
    "compile": "## Compile and train",
    "fit": "",
    "results": "## Results",
}


def _results(history: dict[str, list[float | None]], epoch: int, status: str) -> str:
    last = {k: v[-1] for k, v in history.items() if v}
    lines = [
        "## The playground's run",
        f"The playground trained this model for {epoch} epoch(s) (status: {status}). Its last epoch:",
        "",
        "| | value |",
        "| --- | --- |",
        *(f"| `{k}` | {v:.6g} |" for k, v in sorted(last.items()) if isinstance(v, float)),
        "",
        "The next cell holds its whole history (Keras's `history.history`), to compare with the one trained here.",
    ]
    return "\n".join(lines)


def notebook(
    spec: RunCreate,
    encoding: str,
    epochs: int,
    history: dict[str, list[float | None]],
    status: str,
    title: str,
) -> str:
    """The notebook as JSON text (nbformat 4), validated."""
    info = DATASETS[spec.dataset.name]
    parts = code.sections(spec, encoding, epochs, "sequential", title)
    cells: list[Any] = [
        new_markdown_cell(
            f"# {title}\n\nA run from the neural-network playground, rebuilt with plain Keras: the data set "
            f"'{spec.dataset.name}' ({info.description}), the network `{spec.model.describe()}`, "
            f"{epochs} epochs. Run the cells from top to bottom; nothing is downloaded."
        )
    ]
    for name, source in parts:
        if name == "header":
            continue
        if INTRO.get(name):
            cells.append(new_markdown_cell(INTRO[name]))
        cells.append(new_code_cell(source))
    cells.append(new_markdown_cell(_results(history, epochs, status)))
    finite = {k: [v if v is not None and math.isfinite(v) else None for v in values] for k, values in history.items()}
    cells.append(new_code_cell(f"playground_history = {finite!r}"))
    cells.append(
        new_code_cell(
            "for key, values in playground_history.items():\n"
            "    here = history.history.get(key)\n"
            "    if values and here and values[-1] is not None:\n"
            '        print(f"{key}: playground {values[-1]:.4f}, here {here[-1]:.4f}")\n'
            "try:  # a chart where matplotlib is installed (Jupyter, Colab)\n"
            "    import matplotlib.pyplot as plt\n"
            "except ImportError:\n"
            "    plt = None\n"
            "if plt is not None:\n"
            '    plt.plot(playground_history["loss"], label="playground")\n'
            '    plt.plot(history.history["loss"], label="here")\n'
            '    plt.xlabel("epoch")\n'
            '    plt.ylabel("loss")\n'
            "    plt.legend()\n"
            "    plt.show()"
        )
    )
    book = new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.metadata["language_info"] = {"name": "python"}
    nbformat.validate(book)
    return nbformat.writes(book)
