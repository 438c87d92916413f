"""GET /api/runs/{id}/notebook.ipynb: a valid nbformat-4 notebook with the run's code, data and
results; its code cells run top to bottom offline (slow: in a subprocess with the project's python)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import nbformat
import pytest

from app.presets import presets
from tests.helpers import finished, wait_for


def _run(client: httpx.Client, preset_id: str, epochs: int) -> dict:
    preset = next(p for p in presets() if p["id"] == preset_id)
    spec = {**preset["spec"], "fit": {**preset["spec"]["fit"], "epochs": epochs}}
    return wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished, timeout=300)


def _notebook(client: httpx.Client, run: dict) -> nbformat.NotebookNode:
    response = client.get(f"/api/runs/{run['id']}/notebook.ipynb")
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    book = nbformat.reads(response.text, as_version=4)
    nbformat.validate(book)
    return book


def test_the_notebook_holds_the_runs_code_data_and_results(client: httpx.Client) -> None:
    run = _run(client, "xor-hidden-3", 20)
    book = _notebook(client, run)
    kinds = [cell.cell_type for cell in book.cells]
    assert kinds[0] == "markdown" and "code" in kinds
    sources = "\n".join(cell.source for cell in book.cells)
    assert "keras.Sequential(" in sources and "model.fit(" in sources and "playground_initial_weights" in sources
    namespace: dict = {}
    history_cell = next(c.source for c in book.cells if c.source.startswith("playground_history = "))
    exec(history_cell, namespace)  # noqa: S102
    assert namespace["playground_history"] == run["history"]
    with httpx.Client(base_url=str(client.base_url)) as stranger:
        assert stranger.get(f"/api/runs/{run['id']}/notebook.ipynb").status_code == 404


@pytest.mark.slow
@pytest.mark.parametrize("preset_id", ["xor-hidden-3", "softmax-iris", "cnn-digits", "multi-output-exam-scores"])
def test_the_notebooks_cells_run_top_to_bottom(client: httpx.Client, tmp_path: Path, preset_id: str) -> None:
    run = _run(client, preset_id, 10)
    book = _notebook(client, run)
    (tmp_path / "cells.py").write_text("\n\n".join(c.source for c in book.cells if c.cell_type == "code"))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, "cells.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    match = re.search(r"final training loss: (\S+)", done.stdout)
    assert match, done.stdout[-2000:]
    final = float(match.group(1))
    ours = run["history"]["loss"][-1]
    assert 0.33 * ours < final < 3 * ours + 0.05, (final, ours)
    assert re.search(r"loss: playground [0-9.]+, here [0-9.]+", done.stdout)
