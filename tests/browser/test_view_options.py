"""The output's view options follow the store: the check boxes change the drawing at once, are
kept in the address, and come back checked from it."""

from playwright.sync_api import Page, expect

from tests.browser.helpers import canvas_data


def test_view_options_redraw_and_come_back_from_the_address(open_page) -> None:
    page: Page = open_page()
    canvas = "#boundary-canvas"
    # The untrained model's frame is drawn first (its paused preview run).
    page.wait_for_function("() => window.__lastDrawMs !== undefined", timeout=120_000)
    before = canvas_data(page, canvas)
    page.get_by_test_id("discretize").check()
    page.wait_for_function("(b) => document.querySelector('#boundary-canvas').toDataURL() !== b", arg=before)
    page.get_by_test_id("log-scale").check()
    page.get_by_test_id("show-test").check()
    page.wait_for_function("() => location.search.includes('discretize')")
    again = open_page("?" + page.url.split("?", 1)[1])
    for box in ("discretize", "log-scale", "show-test"):
        expect(again.get_by_test_id(box)).to_be_checked()
