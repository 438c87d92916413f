"""The classroom in the browser: a teacher's view of a class, a student joining it with the code,
the live table, the projector view, a challenge's leaderboard, and a student's runs kept."""

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import ARTIFACTS, VIEWPORT, Console
from tests.server import Server


@pytest.fixture
def classroom_server() -> Iterator[Server]:
    """A fresh server (its own database) with a short checkpoint interval."""
    srv = Server(env={"PLAYGROUND_CHECKPOINT_SECONDS": "0.5"})
    yield srv
    srv.close()


@pytest.fixture
def contexts(browser: Browser, console: Console) -> Iterator:
    """contexts(locale) → a new browser context (its own cookies: its own session)."""
    opened: list[BrowserContext] = []

    def _new(locale: str = "en-US") -> BrowserContext:
        context = browser.new_context(viewport=VIEWPORT, locale=locale)
        context.on("page", lambda page: watch(page, console))
        opened.append(context)
        return context

    yield _new
    for context in opened:
        context.close()
    assert console.unexpected() == [], "a page logged errors"


def watch(page: Page, console: Console) -> None:
    page.on("console", console.on_message)
    page.on("pageerror", lambda exc: console.errors.append(f"uncaught: {exc}"))


def open_at(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    return page


def screenshot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"teacher-{name}.png"))


def unlock_and_create_class(page: Page, key: str, name: str) -> str:
    page.get_by_test_id("teacher-key").fill("not the key")
    page.get_by_test_id("teacher-unlock").click()
    expect(page.get_by_test_id("teacher-error")).to_contain_text("teacher key")
    page.get_by_test_id("teacher-key").fill(key)
    page.get_by_test_id("teacher-unlock").click()
    page.get_by_test_id("class-name").fill(name)
    page.get_by_test_id("rule-hide-code").check()
    page.get_by_test_id("rule-max-epochs").fill("400")
    page.get_by_test_id("class-create").click()
    code = page.get_by_test_id("join-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4,16}$"))
    expect(page.get_by_test_id("class-title")).to_have_text(name)
    return code.inner_text()


def join(page: Page, code: str, name: str) -> None:
    page.get_by_test_id("class-summary").click()
    page.get_by_test_id("join-code-input").fill(code.lower())  # codes are case-insensitive
    page.get_by_test_id("join-name").fill(name)
    page.get_by_test_id("join-button").click()


def test_teacher_watches_a_student_and_a_leaderboard(classroom_server: Server, contexts, console: Console) -> None:
    srv = classroom_server
    console.expect(r"status of 40[34]")  # the wrong key and the wrong code, on purpose
    teacher = contexts().new_page()  # ready only once unlocked
    teacher.goto(f"{srv.url}/teacher")
    code = unlock_and_create_class(teacher, srv.teacher_key, "Period 3")
    expect(teacher.get_by_test_id("join-address")).to_have_text(srv.url)
    big = teacher.get_by_test_id("join-code").evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert big >= 64, "the join code must be readable from the back of the room"

    teacher.get_by_test_id("new-challenge").locator("summary").click()
    teacher.get_by_test_id("challenge-title").fill("XOR race")
    teacher.get_by_test_id("challenge-dataset").select_option("xor")
    teacher.get_by_test_id("challenge-create").click()
    expect(teacher.get_by_role("tab", name="XOR race")).to_have_attribute("aria-selected", "true")

    student = open_at(contexts(), f"{srv.url}/")
    join(student, "nope42", "Mina")
    expect(student.get_by_test_id("join-error")).not_to_be_empty()
    student.get_by_test_id("join-code-input").fill(code.lower())
    student.get_by_test_id("join-button").click()
    expect(student.get_by_test_id("class-summary")).to_have_text("Period 3 · Mina")
    # The class's rules: the code view is hidden and epochs are at most 400.
    expect(student.get_by_test_id("code-view")).to_be_hidden()
    expect(student.get_by_test_id("epochs")).to_have_value("400")
    expect(student.get_by_test_id("epochs")).to_have_attribute("max", "400")
    student.get_by_test_id("challenge-pick").click()
    challenge_set = student.locator("[data-testid^='dataset-challenge_']")
    expect(challenge_set).to_have_attribute("aria-checked", "true")
    expect(challenge_set).to_contain_text("XOR race")
    student.get_by_test_id("train-button").click()

    row = teacher.locator("[data-testid^='run-row-']").first
    expect(row.locator(".student")).to_have_text("Mina", timeout=10_000)
    expect(row).to_contain_text("XOR race")
    first = int(row.get_by_test_id("run-epoch").inner_text().split("/")[0])
    teacher.wait_for_function(
        "(n) => Number(document.querySelector('[data-testid=run-epoch]').textContent.split('/')[0]) > n",
        arg=first,
        timeout=20_000,
    )
    with teacher.context.expect_page() as opened:
        row.get_by_test_id("run-open").click()
    projector = opened.value
    projector.wait_for_selector("body[data-ready=true]", timeout=30_000)
    expect(projector.locator("body")).to_have_class(re.compile("projector"))
    projector.wait_for_function("window.__lastDrawMs !== undefined", timeout=20_000)  # a frame was drawn
    expect(projector.get_by_test_id("train-button")).to_be_hidden()
    expect(projector.get_by_test_id("projector-student")).to_have_text("Mina")  # who and what, on the projector
    expect(projector.get_by_test_id("projector-challenge")).to_have_text("XOR race")
    expect(projector.get_by_test_id("epoch-counter")).not_to_have_text("0")

    # The run ends and is scored on the hidden rows: the student and the teacher's board show it.
    expect(student.get_by_test_id("run-status")).to_have_text("finished", timeout=60_000)
    expect(student.get_by_test_id("run-score")).to_contain_text("score")
    board = teacher.get_by_test_id("leaderboard").locator("tbody tr")
    expect(board).to_have_count(1, timeout=10_000)
    expect(board.first).to_contain_text("Mina")
    with httpx.Client(base_url=srv.url, headers={"X-Teacher-Key": srv.teacher_key}) as api:
        class_id = api.get("/api/classes").json()[0]["id"]
        challenge = api.get(f"/api/classes/{class_id}/challenges").json()[0]
        score = api.get(f"/api/challenges/{challenge['id']}/leaderboard").json()["leaderboard"][0]["score"]
    expect(board.first).to_contain_text(f"{100 * score:.1f}%")
    expect(projector.get_by_test_id("epoch-counter")).to_have_text("400")

    projector.close()
    teacher.wait_for_timeout(1200)  # one more poll of the table
    screenshot(teacher, "class")
    student.get_by_test_id("class-summary").click()
    expect(student.get_by_test_id("class-leaderboard")).to_contain_text("Mina")
    screenshot(student, "student")
    teacher.get_by_test_id("lang-switch").click()
    expect(teacher.locator("h1")).to_have_text("교사 화면")
    screenshot(teacher, "class-ko")


def test_my_runs_survive_a_reload_and_a_restart(classroom_server: Server, contexts) -> None:
    srv = classroom_server
    context = contexts()
    page = open_at(context, f"{srv.url}/?epochs=60")
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("finished", timeout=60_000)

    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.get_by_test_id("my-runs").locator("summary").click()
    items = page.get_by_test_id("my-runs-list").locator("li")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("60 / 60")
    items.first.get_by_test_id("my-run-open").click()
    expect(page.get_by_test_id("epoch-counter")).to_have_text("60")
    expect(page.get_by_test_id("loss-readout")).to_contain_text("60")

    # A long run, the server killed while it trains: it comes back interrupted, and resumes.
    page.get_by_test_id("epochs").fill("100000")
    page.get_by_test_id("epochs").press("Enter")
    page.get_by_test_id("train-button").click()
    page.wait_for_function("Number(document.querySelector('[data-testid=epoch-counter]').textContent) > 50")
    page.wait_for_timeout(1500)  # past a checkpoint
    page.close()
    srv.restart(kill=True)
    page = open_at(context, f"{srv.url}/")  # the same session: cookies do not depend on the port
    page.get_by_test_id("my-runs").locator("summary").click()
    items = page.get_by_test_id("my-runs-list").locator("li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("interrupted")
    saved = int(items.first.inner_text().split(" / ")[0].split()[-1])
    items.first.get_by_test_id("my-run-open").click()
    page.wait_for_function(
        "(n) => Number(document.querySelector('[data-testid=epoch-counter]').textContent) > n + 20", arg=saved
    )
    screenshot(page, "resumed")


@pytest.fixture
def one_slot_server() -> Iterator[Server]:
    """A server that trains one run at a time: the next one waits in the queue."""
    srv = Server(env={"PLAYGROUND_MAX_TRAINING_RUNS": "1"})
    yield srv
    srv.close()


def test_a_queued_run_says_its_place(one_slot_server: Server, contexts) -> None:
    srv = one_slot_server
    first = open_at(contexts(), f"{srv.url}/?epochs=100000")
    first.get_by_test_id("train-button").click()
    first.wait_for_function("Number(document.querySelector('[data-testid=epoch-counter]').textContent) > 0")
    second = open_at(contexts(), f"{srv.url}/?epochs=50")
    second.get_by_test_id("train-button").click()
    expect(second.get_by_test_id("run-queue")).to_have_text("Waiting for a free slot: position 1")
    expect(second.get_by_test_id("epoch-counter")).to_have_text("0")
    first.get_by_test_id("train-button").click()  # pause: the slot is free
    expect(second.get_by_test_id("run-queue")).to_be_hidden(timeout=20_000)
    expect(second.get_by_test_id("run-status")).to_have_text("finished", timeout=60_000)
