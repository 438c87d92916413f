"""Gradients per layer in the page: the vanishing-gradient lesson opens the panel, and while the
deep sigmoid stack trains it shows each layer's gradient at the weights now, smallest at the input."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.test_lessons import load_preset


def kernels(page: Page) -> list[float]:
    text = page.get_by_test_id("gradients-chart").get_attribute("data-kernels") or ""
    return [float(v) for v in text.split(",") if v]


def test_the_vanishing_gradient_lesson_shows_each_layers_gradient_live(open_page) -> None:
    page: Page = open_page()
    panel = page.get_by_test_id("gradients-panel")
    expect(panel).not_to_have_attribute("open", "")  # closed unless a lesson opens it
    load_preset(page, "activation-sigmoid-deep")
    expect(panel).to_have_attribute("open", "")
    page.get_by_test_id("train-button").click()
    chart = page.get_by_test_id("gradients-chart")
    expect(chart).to_have_attribute("data-epoch", re.compile(r"^[1-9]\d*$"), timeout=60_000)
    first = int(chart.get_attribute("data-epoch") or 0)
    page.wait_for_function(
        "(e) => Number(document.querySelector('[data-testid=gradients-chart]').dataset.epoch) > e",
        arg=first,
        timeout=60_000,
    )  # asked again as it trains (or once it ends)
    values = kernels(page)
    assert len(values) == 6 and values[0] < values[-1], values  # it vanishes towards the input
    expect(chart.locator("svg")).to_be_visible()
    shot(page, "gradients-sigmoid-deep")
    page.get_by_test_id("lang-switch").click()
    expect(panel.locator("summary")).to_have_text("층별 경사도")
