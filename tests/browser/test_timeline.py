"""Training as a film: the timeline under the charts keeps moments of the run and draws any of them
again (the boundary, the unit maps, the weight lines, a mark on the loss chart), for a finished run
and while a run trains; its right end follows the run."""

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS, shot
from tests.browser.helpers import epoch, wait_epoch_above
from tests.browser.test_lessons import train_to_the_end
from tests.browser.test_projector import SMALL_TEXT, SPEC, on_projector
from tests.server import Server

# The boundary's pixels kept in the page, and how many differ from them now.
KEEP_PIXELS = """(name) => { const c = document.querySelector('[data-testid=boundary-canvas]');
  window[name] = Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); }"""
DIFFERENT_PIXELS = """(name) => { const c = document.querySelector('[data-testid=boundary-canvas]');
  const now = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const kept = window[name];
  if (!kept || kept.length !== now.length) return -1;
  let n = 0; for (let i = 0; i < now.length; i += 4)
    if (now[i] !== kept[i] || now[i + 1] !== kept[i + 1] || now[i + 2] !== kept[i + 2]) n++;
  return n; }"""


def shown(page: Page) -> int:
    """The epoch the timeline says it shows."""
    return int(page.get_by_test_id("timeline-epoch").get_attribute("data-epoch") or -1)


def scrub_to(page: Page, index: int) -> None:
    page.get_by_test_id("timeline-range").fill(str(index))


def to_the_end(page: Page) -> None:
    """Drag to the right end (the range keeps it at its max however many moments there are by then)."""
    page.get_by_test_id("timeline-range").fill("100000")


def last_index(page: Page) -> int:
    return int(page.get_by_test_id("timeline-range").get_attribute("max") or 0)


def test_scrub_a_finished_run_back_and_to_the_end(open_page) -> None:
    page: Page = open_page()
    train_to_the_end(page, timeout=240_000)
    final = epoch(page)
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_be_visible()
    expect(page.get_by_test_id("timeline-epoch")).to_have_text(f"epoch {final} · now")
    # Log-spaced moments, bounded; how many depends on how many frames came (a fast run sends few).
    assert 3 <= last_index(page) <= 120
    page.evaluate(KEEP_PIXELS, "finalPixels")

    scrub_to(page, 1)  # the first trained moment
    early = shown(page)
    assert 0 < early < final / 2, early
    expect(page.get_by_test_id("timeline-epoch")).to_have_text(f"epoch {early}")
    expect(timeline).to_have_attribute("data-live", "false")
    expect(page.get_by_test_id("loss-chart")).to_have_attribute("data-marker", str(early))
    assert page.evaluate(DIFFERENT_PIXELS, "finalPixels") > 500  # the early boundary, not the final one
    expect(page.get_by_test_id("epoch-counter")).to_have_text(str(final))  # the run itself is where it was
    shot(page, "timeline-scrubbed")

    scrub_to(page, 0)
    assert shown(page) == 0  # the untrained model's moment (the preview ▶ trained)

    to_the_end(page)
    expect(page.get_by_test_id("timeline-epoch")).to_have_text(f"epoch {final} · now")
    expect(timeline).to_have_attribute("data-live", "true")
    expect(page.get_by_test_id("loss-chart")).to_have_attribute("data-marker", "")
    assert page.evaluate(DIFFERENT_PIXELS, "finalPixels") == 0  # the final boundary again

    # ▶ plays the kept moments forward from the start, and ends following the run again.
    scrub_to(page, 1)
    page.get_by_test_id("timeline-play").click()
    expect(page.get_by_test_id("timeline-play")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => Number(document.querySelector('[data-testid=timeline-epoch]').dataset.epoch) > 100")
    expect(timeline).to_have_attribute("data-live", "true", timeout=30_000)
    expect(page.get_by_test_id("timeline-play")).to_have_attribute("aria-pressed", "false")
    assert shown(page) == final


def test_scrub_back_while_the_run_trains(open_page) -> None:
    page: Page = open_page("?epochs=100000")
    page.get_by_test_id("train-button").click()
    wait_epoch_above(page, 300, timeout=120_000)
    timeline = page.get_by_test_id("timeline")
    page.wait_for_function("() => Number(document.querySelector('[data-testid=timeline-range]').max) >= 8")
    scrub_to(page, 4)
    past = shown(page)
    expect(timeline).to_have_attribute("data-live", "false")
    expect(page.get_by_test_id("timeline-epoch")).to_have_text(f"epoch {past}")
    page.evaluate(KEEP_PIXELS, "pastPixels")
    # The run goes on while the past stays on screen.
    now = epoch(page)
    wait_epoch_above(page, now + 200, timeout=120_000)
    expect(page.get_by_test_id("run-status")).to_have_text("training")
    assert shown(page) == past
    assert page.evaluate(DIFFERENT_PIXELS, "pastPixels") == 0
    shot(page, "timeline-live-scrubbed")
    page.set_viewport_size({"width": 1920, "height": 1080})
    shot(page, "timeline-live-scrubbed-1920")
    # The right end follows the run again: newer moments than the one shown.
    to_the_end(page)
    expect(timeline).to_have_attribute("data-live", "true")
    page.wait_for_function(
        "(e) => Number(document.querySelector('[data-testid=timeline-epoch]').dataset.epoch) > e", arg=now + 200
    )
    assert page.evaluate(DIFFERENT_PIXELS, "pastPixels") > 0
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("paused")


def test_the_teacher_scrubs_a_live_run_on_the_projector(browser: Browser, page_server: Server, console) -> None:
    spec = {**SPEC, "fit": {"epochs": 100_000, "batch_size": 10}}
    with on_projector(browser, page_server, console, spec) as (page, run, api):
        try:
            timeline = page.get_by_test_id("timeline")
            expect(timeline).to_be_visible(timeout=60_000)
            page.wait_for_function("() => Number(document.querySelector('[data-testid=timeline-range]').max) >= 6")
            scrub_to(page, 2)
            past = shown(page)
            expect(timeline).to_have_attribute("data-live", "false")
            expect(page.get_by_test_id("timeline-epoch")).to_have_text(f"epoch {past}")
            expect(page.get_by_test_id("loss-chart")).to_have_attribute("data-marker", str(past))
            assert page.evaluate(SMALL_TEXT) == []  # the timeline's words too, at 24 px or more
            assert page.evaluate("() => document.documentElement.scrollHeight") <= 1080  # still one screen
            page.screenshot(path=str(ARTIFACTS / "page-timeline-projector-1920.png"))
            to_the_end(page)
            expect(timeline).to_have_attribute("data-live", "true")
        finally:
            api.post(f"/api/runs/{run['id']}/stop")
    assert console.unexpected() == []
