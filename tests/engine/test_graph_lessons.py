"""The graph lessons: valid specs in English and Korean with the course's words, and their claims
hold when trained (in-process, on the per-run engine)."""

from typing import Any

import numpy as np
import pytest

from app.config import Settings
from app.engine.builder import build_model
from app.engine.experiment import load_data
from app.engine.program import Program
from app.presets import presets
from app.schemas.runs import RunCreate

LESSONS = {p["id"]: p for p in presets() if p["id"].startswith("graph-")}
WORDS = {
    "graph-residual-spiral": ["잔차 블록", "스킵 연결", "경사도", "함수형 API"],
    "graph-residual-spiral-plain": ["스킵 연결", "경사도 소멸"],
    "graph-two-inputs-hours-attendance": ["입력 두 개", "학습시간", "출석", "피쳐", "함수형 API"],
    "graph-sequential-vs-functional": ["함수형 API", "Sequential", "파라미터"],
}


def test_the_lessons_are_there_in_both_languages() -> None:
    assert sorted(LESSONS) == sorted(WORDS)
    for lesson_id, preset in LESSONS.items():
        assert preset["title"]["en"] and preset["description"]["en"]
        text = preset["title"]["ko"] + " " + preset["description"]["ko"]
        assert [w for w in WORDS[lesson_id] if w not in text] == [], lesson_id
        assert "graph" in preset["spec"]["model"], lesson_id


def _trained(spec: dict[str, Any], epochs: int) -> list[dict[str, float]]:
    run = RunCreate.model_validate({**spec, "fit": {**spec["fit"], "epochs": epochs}})
    data = load_data(run.dataset, run.seed)
    program = Program(run, data, Settings())
    inputs = program.inputs_for(data)
    program.compile_graph(inputs)
    state, logs = program.initial_state(run.seed), []
    for start in range(0, epochs, 250):  # a call trains 256 epochs at most
        logs += program.train(state, inputs, run.seed, start, min(250, epochs - start))
    return logs


def test_the_skip_connections_train_the_spiral_where_the_plain_chain_stalls() -> None:
    preset = LESSONS["graph-residual-spiral"]
    skip = _trained(preset["spec"], 250)
    plain = _trained(preset["compare"], 250)
    assert skip[-1]["loss"] < 0.9 * plain[-1]["loss"]
    assert plain[-1]["loss"] > 0.95 * plain[0]["loss"]  # vanishing gradients: barely moved


def test_sequential_and_functional_are_the_same_model() -> None:
    preset = LESSONS["graph-sequential-vs-functional"]
    functional, sequential = (RunCreate.model_validate(preset[k]) for k in ("spec", "compare"))
    assert functional.model.is_graph and not sequential.model.is_graph
    a = build_model(functional.model, (2,), 0, Settings())
    b = build_model(sequential.model, (2,), 0, Settings())
    assert a.count_params() == b.count_params() == 25
    assert [layer.name for layer in a.layers[1:]] == [layer.name for layer in b.layers]
    data = load_data(functional.dataset, functional.seed)
    pa, pb = Program(functional, data, Settings()), Program(sequential, data, Settings())
    for x, y in zip(pa.initial_state(0).variables, pb.initial_state(0).variables, strict=True):
        np.testing.assert_array_equal(x, y)
    # The same weights and the same batches: the same curve.
    ours, theirs = _trained(preset["spec"], 20), _trained(preset["compare"], 20)
    assert np.allclose([e["loss"] for e in ours], [e["loss"] for e in theirs], rtol=1e-5)


@pytest.mark.parametrize("lesson_id", ["graph-two-inputs-hours-attendance"])
def test_two_inputs_fit_the_table(lesson_id: str) -> None:
    logs = _trained(LESSONS[lesson_id]["spec"], 1000)
    assert logs[-1]["loss"] < 0.2 * logs[0]["loss"]
