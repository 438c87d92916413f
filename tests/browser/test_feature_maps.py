"""The CNN lesson shows an image model as images: a picked test picture, each Conv2D filter and its
maps after Conv2D and after pooling, asked of the server at the run's weights now (they appear for
the untrained model and change while it trains), and a ten-class confusion matrix that fits."""

import json
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.test_lessons import load_preset, set_epochs

PICTURES = "#feature-grid canvas"


def pictures(page: Page) -> list[str]:
    return page.evaluate("(s) => [...document.querySelectorAll(s)].map((c) => c.toDataURL())", PICTURES)


def shown_epoch(page: Page) -> int:
    return int(page.get_by_test_id("feature-maps").get_attribute("data-epoch") or -1)


def wait_epoch_after(page: Page, epoch: int) -> None:
    page.wait_for_function(
        "(e) => Number(document.querySelector('[data-testid=feature-maps]').dataset.epoch ?? -1) > e",
        arg=epoch,
        timeout=120_000,
    )


def test_the_cnn_lesson_shows_filters_and_feature_maps_live(open_page) -> None:
    page: Page = open_page()
    load_preset(page, "cnn-digits")
    set_epochs(page, 3000)
    panel = page.get_by_test_id("feature-maps")
    expect(panel).to_be_visible(timeout=60_000)  # once the digits' rows are in (slow on a busy machine)
    expect(panel.locator("[data-testid^=feature-sample-]")).to_have_count(8)
    # Before ▶: the untrained model's filters and maps (its epoch-0 preview run).
    expect(panel).to_have_attribute("data-epoch", "0", timeout=120_000)
    expect(page.get_by_test_id("feature-filters").locator("canvas")).to_have_count(8)
    conv = page.get_by_test_id("feature-row-conv2d").locator("canvas")
    expect(conv).to_have_count(8)
    expect(page.get_by_test_id("feature-row-max_pooling2d").locator("canvas")).to_have_count(8)
    widths = "(s) => [...document.querySelectorAll(s)].map((c) => c.width)"
    assert page.evaluate(widths, "[data-testid=feature-filters] canvas") == [3] * 8  # 3 × 3 filters
    assert page.evaluate(widths, "[data-testid=feature-row-conv2d] canvas") == [6] * 8  # 8 × 8 → 6 × 6
    # The diagram's nodes show them too: the picture, each Conv2D map (6 × 6) and each pooled one (3 × 3).
    node = "(s) => document.querySelector(`[data-testid=${s}] canvas`).width"
    assert [page.evaluate(node, unit) for unit in ("unit-0-0", "unit-1-7")] == [6, 3]
    untrained = pictures(page)

    page.get_by_test_id("train-button").click()
    wait_epoch_after(page, 0)
    first_epoch, first = shown_epoch(page), pictures(page)
    wait_epoch_after(page, first_epoch)  # asked again while it trains
    later = pictures(page)
    assert first != untrained and later != first, "the filters and maps follow the weights as they train"
    shot(page, "cnn-feature-maps-1366")

    # Another picture: its own maps.
    picture = page.get_by_test_id("feature-picture")
    before = picture.evaluate("(c) => c.toDataURL()")
    page.get_by_test_id("feature-sample-3").click()
    expect(page.get_by_test_id("feature-sample-3")).to_have_attribute("aria-pressed", "true")
    expect(panel).to_have_attribute("data-sample", "3", timeout=60_000)
    assert page.get_by_test_id("feature-picture").evaluate("(c) => c.toDataURL()") != before
    page.get_by_test_id("train-button").click()  # pause: the 3000 epochs need not run out
    expect(page.get_by_test_id("train-button")).to_have_attribute("data-status", "paused", timeout=30_000)

    # Ten classes fit the output column: every row and the precision row, nothing scrolled away.
    matrix = page.get_by_test_id("confusion-matrix")
    expect(matrix).to_be_visible(timeout=60_000)
    expect(matrix.locator("tbody tr")).to_have_count(11)
    fits = "(t) => t.getBoundingClientRect().right <= t.closest('.panel').getBoundingClientRect().right"
    assert matrix.evaluate(fits)
    # The sample pictures are asked about in the scale the model trained on: a trained CNN reads most.
    expect(page.locator("#samples .right").first).to_be_visible(timeout=60_000)
    assert page.locator("#samples .right").count() >= 5
    page.get_by_test_id("lang-switch").click()
    expect(panel.locator("h3")).to_have_text("필터가 보는 것")
    page.set_viewport_size({"width": 1920, "height": 1080})
    shot(page, "cnn-feature-maps-1920-ko")


def test_image_data_without_a_conv2d_says_what_to_add(open_page) -> None:
    layers = json.dumps([{"type": "Flatten"}, {"type": "Dense", "units": 10, "activation": "softmax"}])
    page: Page = open_page(f"?data=digits&layers={quote(layers)}")
    panel = page.get_by_test_id("feature-maps")
    expect(panel).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("feature-note")).to_contain_text("Add a Conv2D layer")
    expect(page.get_by_test_id("feature-grid").locator("canvas")).to_have_count(0)
