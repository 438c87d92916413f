"""The teacher's table shows every member: a run refused over the limit (and why), a student
with no run yet; Korean names and words are not broken one syllable per line."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.test_teacher import contexts, screenshot  # noqa: F401
from tests.classroom.conftest import Person
from tests.helpers import circle_spec
from tests.server import Server


@pytest.fixture
def classroom_server() -> Iterator[Server]:
    srv = Server(env={"PLAYGROUND_MAX_RUNS_PER_CLIENT": "1", "PLAYGROUND_PREWARM": "false"})
    yield srv
    srv.close()


def test_every_member_is_listed_with_refused_runs(classroom_server: Server, contexts, console) -> None:  # noqa: F811
    srv = classroom_server
    teacher = contexts("ko-KR").new_page()
    teacher.goto(f"{srv.url}/teacher?lang=ko")
    teacher.get_by_test_id("teacher-key").fill(srv.teacher_key)
    teacher.get_by_test_id("teacher-unlock").click()
    teacher.get_by_test_id("class-name").fill("3반")
    teacher.get_by_test_id("class-create").click()
    expect(teacher.get_by_test_id("join-code")).to_have_text(re.compile(r"^[A-Z0-9]{4,16}$"))
    code = teacher.get_by_test_id("join-code").inner_text()
    mina, jiho, ara = Person(srv), Person(srv), Person(srv)
    for person, name in ((mina, "Mina"), (jiho, "김지연"), (ara, "박순위")):
        assert person.post("/api/join", json={"code": code, "name": name}).status_code == 200
    held = {**circle_spec(epochs=100), "paused": True}
    assert mina.post("/api/runs", json=held).status_code == 201
    assert mina.post("/api/runs", json=held).status_code == 429  # over the limit of one
    assert ara.post("/api/runs", json=circle_spec(epochs=100)).status_code == 201

    refused = teacher.get_by_test_id("member-row-Mina")
    expect(refused).to_have_attribute("data-status", "refused", timeout=15_000)
    expect(refused).to_contain_text("1")  # the limit, in the reason
    expect(teacher.locator("[data-testid^='run-row-']")).to_have_count(2)
    waiting = teacher.get_by_test_id("member-row-김지연")
    expect(waiting).to_have_attribute("data-status", "none")
    expect(waiting).to_contain_text("아직 실행이 없습니다")
    # Every member appears: 3 students, 3 names in the table.
    names = teacher.locator("#runs-body .student").all_inner_texts()
    assert {"Mina", "김지연", "박순위"} <= set(names), names
    screenshot(teacher, "roster-ko")
    # A Korean name stays on one line (one line box for its text, not one per syllable).
    for name in ("김지연", "박순위"):
        cell = teacher.locator("#runs-body .student", has_text=name).first
        lines = cell.evaluate(
            "(el) => { const r = document.createRange(); r.selectNodeContents(el);"
            " return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; }"
        )
        assert lines == 1, (name, lines)
