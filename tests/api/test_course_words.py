"""The lessons speak the course's own Korean, and a lesson called logistic has a sigmoid output
while a softmax network is called softmax (issue 13's vocabulary list), read from GET /api/presets
and the page's Korean data-set words."""

import json

import httpx
import pytest

from tests.server import ROOT

# Lesson id → words of the course its Korean text must use.
WORDS = {
    "linear-study-hours": ["학습시간", "성적", "경사 하강법"],
    "linear-study-hours-noisy": ["오차가 있는 데이터"],
    "linear-hours-score": ["피쳐", "학습시간", "성적"],
    "multi-feature-hours-attendance": ["피쳐"],
    "multi-output-exam-scores": ["피쳐"],
    "logistic-diabetes": ["로지스틱", "크로스 엔트로피"],
    "softmax-diabetes": ["소프트맥스", "크로스 엔트로피"],
    "softmax-grades": ["다중 분류", "소프트맥스", "원-핫 인코딩", "크로스 엔트로피"],
    "optimizer-sgd": ["미니배치 경사 하강법"],
    "activation-sigmoid-deep": ["경사도 소멸", "활성화 함수"],
    "activation-relu-deep": ["활성화 함수"],
    "overfitting-dropout-l2": ["규제화"],
}


@pytest.fixture(scope="module")
def lessons(server) -> dict[str, dict]:  # noqa: ANN001
    with httpx.Client(base_url=server.url, timeout=60) as client:
        return {p["id"]: p for p in client.get("/api/presets").json()}


@pytest.mark.parametrize("lesson_id", sorted(WORDS))
def test_the_korean_text_uses_the_courses_words(lessons: dict[str, dict], lesson_id: str) -> None:
    preset = lessons[lesson_id]
    text = preset["title"]["ko"] + " " + preset["description"]["ko"]
    assert [w for w in WORDS[lesson_id] if w not in text] == []


def test_batches_of_ten_are_mini_batch_not_stochastic(lessons: dict[str, dict]) -> None:
    """확률적 경사 하강법 is one sample at a time in the course: no lesson training in batches says it."""
    for preset in lessons.values():
        if preset["spec"]["fit"]["batch_size"] > 1:
            assert "확률적" not in preset["description"]["ko"], preset["id"]


def test_logistic_lessons_end_in_a_sigmoid_and_softmax_ones_are_named_so(lessons: dict[str, dict]) -> None:
    for preset in lessons.values():
        model = preset["spec"]["model"]
        layers = model.get("layers") or [node["layer"] for node in model["graph"]["nodes"]]
        last = next((layer.get("activation") for layer in reversed(layers) if layer.get("activation")), None)
        title = preset["title"]["en"].lower()
        if "logistic" in title:
            assert last == "sigmoid", preset["id"]
        if last == "softmax" and layers[-1].get("units", 1) > 1:
            assert "softmax" in title or "cnn" in title, preset["id"]
            assert "소프트맥스" in preset["title"]["ko"] or "CNN" in preset["title"]["ko"], preset["id"]


def test_the_course_tables_korean_names_are_the_courses() -> None:
    ko = json.loads((ROOT / "static" / "locales" / "ko.json").read_text())
    texts = json.dumps(ko["descriptions"]["datasets"], ensure_ascii=False) + json.dumps(
        ko["datasetNames"], ensure_ascii=False
    )
    assert "공부 시간" not in texts  # the course says 학습시간
    assert "학습시간" in ko["descriptions"]["datasets"]["study_hours"]
    assert "오차가 있는 데이터" in ko["descriptions"]["datasets"]["study_hours_noisy"]
