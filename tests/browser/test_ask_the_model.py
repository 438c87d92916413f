"""The predict box (typed values, or a digit drawn on 8 × 8 pixels) and the scikit-learn baseline
in the page; the API answers for the same run are the oracle."""

import re

import httpx
import numpy as np
from playwright.sync_api import Page, expect
from sklearn.preprocessing import MinMaxScaler

from tests.browser.conftest import shot
from tests.browser.test_lessons import load_preset, set_epochs, train_to_the_end
from tests.server import Server


def page_api(page: Page, server: Server) -> httpx.Client:
    """An API client in the page's own session (runs belong to their session)."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return httpx.Client(base_url=server.url, cookies=cookies, timeout=60)


def run_id(page: Page) -> str:
    href = page.get_by_test_id("export-model").get_attribute("href") or ""
    match = re.search(r"/api/runs/([^/]+)/", href)
    assert match, href
    return match.group(1)


def test_typing_15_into_x_plus_2_gives_about_17(open_page, page_server) -> None:
    page: Page = open_page()
    load_preset(page, "keras-x-plus-2")
    box = page.get_by_test_id("predict-box")
    expect(box).to_be_visible()
    expect(box.locator("label")).to_have_count(1)
    train_to_the_end(page)
    field = page.get_by_test_id("predict-input-0")
    field.fill("15")
    value = page.get_by_test_id("predict-value")
    page.wait_for_function("document.querySelector('[data-testid=predict-value]')?.dataset.value", timeout=10_000)
    expect(value).to_contain_text("17")
    shown = float(value.get_attribute("data-value") or "nan")
    with page_api(page, page_server) as api:
        oracle = api.post(f"/api/runs/{run_id(page)}/predict", json={"inputs": [[15]]}).json()["outputs"][0][0]
    assert shown == oracle and abs(shown - 17) < 0.5
    shot(page, "predict-x-plus-2")


def test_a_digit_drawn_on_the_grid_gets_ten_probabilities(open_page, page_server) -> None:
    page: Page = open_page()
    load_preset(page, "cnn-digits")
    set_epochs(page, 8)
    train_to_the_end(page)
    grid = page.get_by_test_id("predict-grid")
    expect(grid).to_be_visible()
    # The report above it (confusion matrix, sample pictures) fills in after training: let it settle.
    expect(page.get_by_test_id("confusion-matrix")).to_be_visible()
    expect(page.get_by_test_id("digit-samples")).not_to_contain_text("—")
    expect(page.get_by_test_id("predict-input-0")).to_have_count(0)  # a grid, not 64 fields
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()  # in the viewport, where the mouse moves
    assert box
    cell = box["width"] / 8
    # A "1": one stroke down column 4, rows 1 to 6.
    page.mouse.move(box["x"] + 4.5 * cell, box["y"] + 1.5 * cell)
    page.mouse.down()
    page.mouse.move(box["x"] + 4.5 * cell, box["y"] + 6.5 * cell, steps=12)
    page.mouse.up()
    probs = page.get_by_test_id("predict-output").locator("[data-testid^=predict-prob-]")
    expect(probs).to_have_count(10)
    page.wait_for_timeout(500)  # the answer to the last pixel
    shown = np.array([float(probs.nth(k).get_attribute("data-value") or "nan") for k in range(10)])
    assert abs(shown.sum() - 1) < 1e-4

    pixels = np.array([float(v) for v in (grid.get_attribute("data-pixels") or "").split(",")])
    painted = {int(i) for i in np.flatnonzero(pixels)}
    assert set(pixels) == {0, 16} and len(painted) >= 5 and painted <= {row * 8 + 4 for row in range(8)}, painted
    with page_api(page, page_server) as api:
        raw = api.get("/api/datasets/digits", params={"scaling": "none"}).json()
        scaler = MinMaxScaler().fit(np.asarray(raw["x_train"], dtype=np.float32).reshape(-1, 64))
        row = scaler.transform(pixels[None, :].astype(np.float32))
        answer = api.post(f"/api/runs/{run_id(page)}/predict", json={"inputs": row.tolist(), "scaled": True})
        oracle = answer.json()["outputs"][0]
    assert np.allclose(shown, oracle, atol=1e-5)
    shot(page, "predict-digits")


def test_the_baseline_shows_both_scores_side_by_side(open_page, page_server) -> None:
    page: Page = open_page("?data=iris&scaling=standard")
    button = page.get_by_test_id("baseline-button")
    expect(button).to_be_disabled()
    set_epochs(page, 40)
    train_to_the_end(page)
    button.click()
    sklearn_score = page.get_by_test_id("baseline-sklearn-score")
    expect(sklearn_score).to_be_visible(timeout=30_000)
    keras_score = page.get_by_test_id("baseline-keras-score")
    with page_api(page, page_server) as api:
        oracle = api.post(f"/api/runs/{run_id(page)}/baseline").json()
    assert float(sklearn_score.get_attribute("data-value") or "nan") == oracle["test_score"]
    assert float(keras_score.get_attribute("data-value") or "nan") == oracle["keras_test_score"]
    expect(page.get_by_test_id("baseline-result")).to_contain_text("MLPClassifier")
    shot(page, "baseline-iris")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("baseline-result")).to_contain_text("테스트 데이터의 정확도")
