"""Compare mode says what each setup is doing: its own name, epoch and state; the network shows
every layer (Dropout too) and many layers' headings do not run into each other."""

import json
import re
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.test_lessons import load_preset


def test_each_setup_shows_its_name_epoch_and_state(open_page) -> None:
    page: Page = open_page()
    load_preset(page, "optimizer-sgd")
    page.get_by_test_id("lesson-compare").click()
    bar = page.get_by_test_id("compare-bar")
    expect(bar).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("lesson-setup")).to_contain_text("B: tanh, Adam 0.01")
    expect(bar).to_contain_text("A: tanh, SGD 0.03")
    expect(bar).to_contain_text("B: tanh, Adam 0.01")
    expect(bar).not_to_contain_text("press ▶", timeout=30_000)  # B trains: the text follows
    b_trains = re.compile(r"B: tanh, Adam 0\.01: (epoch [1-9]\d*, training|finished at epoch \d+)")
    expect(bar).to_contain_text(b_trains, timeout=60_000)
    page.get_by_test_id("train-button").click()  # pause B: the bar and the readout follow
    expect(bar).to_contain_text(re.compile(r"B: tanh, Adam 0\.01: (epoch \d+, paused|finished at epoch \d+)"))
    page.wait_for_timeout(1000)
    epoch = page.get_by_test_id("epoch-counter").inner_text()
    expect(page.get_by_test_id("loss-readout").locator(".readout-epoch")).to_contain_text(f"B {epoch}")
    shot(page, "compare-states")


def test_dropout_is_drawn_and_many_headings_stay_apart(open_page) -> None:
    layers = [{"type": "Dense", "units": 3, "activation": "relu"}, {"type": "Dropout", "rate": 0.3}] * 5
    layers.append({"type": "Dense", "units": 1, "activation": "sigmoid"})
    page: Page = open_page(f"?layers={quote(json.dumps(layers))}")
    heads = page.locator("#diagram .column-head")
    expect(heads).to_have_count(7)
    expect(heads.nth(1)).to_contain_text("Dropout 0.3")
    boxes = [heads.nth(i).bounding_box() for i in range(7)]
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left and right and left["x"] + left["width"] <= right["x"] + 1, (left, right)
    shot(page, "diagram-five-hidden")
