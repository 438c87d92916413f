"""Classroom needs: English and Korean, the setup in the address, hidden controls, laptop screens."""

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import shot

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_0-9]{2,}")
# Names that are code in Keras (and so the same in both languages), or usual abbreviations.
ALLOWED = {"English", "None", "MAE", "MSE", "RMSE", "AUC", "XOR", "NaN", "Keras", "CSV"}  # names of formats
ALLOWED |= {"sin", "beta", "gamma", "alpha", "rho", "ReLU", "AMSGrad"}
ALLOWED |= {"API"}  # Keras's "functional API" reads 함수형 API in Korean too


def identifiers(base_url: str) -> set[str]:
    catalog = httpx.get(f"{base_url}/api/catalog").json()
    names = {entry["name"] for family in catalog.values() for entry in family}
    return names | {f"dense_{i}" for i in range(20)} | {"dense"}


def latin_words(page: Page) -> set[str]:
    return set(LATIN_WORD.findall(page.locator("body").inner_text()))


def test_korean_and_back(open_page, page_server) -> None:
    page: Page = open_page()
    expect(page.locator("h1")).to_have_text("Neural-network playground")
    # The untouched preview (the untrained model, paused) is no paused run to the student: ▶ trains.
    expect(page.get_by_test_id("run-status")).to_have_text("paused")
    expect(page.get_by_test_id("train-button")).to_have_attribute("aria-label", "Train")
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("h1")).to_have_text("신경망 놀이터")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_test_id("train-button")).to_have_attribute("aria-label", "학습")
    leftovers = latin_words(page) - identifiers(page_server.url) - ALLOWED
    assert leftovers == set(), f"English words on the Korean screen: {sorted(leftovers)}"
    shot(page, "korean")

    page.get_by_test_id("lang-switch").click()
    expect(page.locator("h1")).to_have_text("Neural-network playground")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("train-button")).to_have_attribute("aria-label", "Train")
    assert not re.search(r"[\uac00-\ud7a3]", page.locator("body").inner_text().replace("한국어", ""))


def test_language_follows_the_browser(open_page) -> None:
    page: Page = open_page(locale="ko-KR")
    expect(page.locator("h1")).to_have_text("신경망 놀이터")
    expect(page.get_by_test_id("lang-switch")).to_have_text("English")


def test_share_link_restores_the_setup(open_page) -> None:
    page: Page = open_page()
    page.get_by_test_id("dataset-xor").click()
    page.get_by_test_id("palette-Dense").click()
    page.get_by_test_id("optimizer-select").select_option("Adam")
    lr = page.get_by_test_id("learning-rate")
    lr.fill("0.1")
    lr.press("Enter")
    page.get_by_test_id("feature-x1*x2").click()
    page.get_by_test_id("noise").fill("20")
    page.get_by_test_id("noise").dispatch_event("change")
    page.get_by_test_id("show-test").check()
    page.get_by_test_id("loss-select").select_option("hinge")
    expect(page.get_by_test_id("layer-stack").locator("> li")).to_have_count(4)
    link = page.url

    other: Page = open_page(link[link.index("?") :])
    expect(other.get_by_test_id("dataset-xor")).to_have_attribute("aria-checked", "true")
    expect(other.get_by_test_id("layer-stack").locator("> li")).to_have_count(4)
    expect(other.get_by_test_id("optimizer-select")).to_have_value("Adam")
    expect(other.get_by_test_id("learning-rate")).to_have_value("0.1")
    expect(other.get_by_test_id("loss-select")).to_have_value("hinge")
    expect(other.get_by_test_id("feature-x1*x2")).to_have_attribute("aria-checked", "true")
    expect(other.get_by_test_id("noise")).to_have_value("20")
    expect(other.get_by_test_id("show-test")).to_be_checked()
    total = page.get_by_test_id("summary-total").text_content() or ""
    expect(other.get_by_test_id("summary-total")).to_have_text(total)
    expect(other.get_by_test_id("summary-total")).to_contain_text("43")  # three inputs: x1, x2, x1·x2
    assert other.url == link


def test_url_flags_hide_controls(open_page) -> None:
    page: Page = open_page("?hide=optimizer,loss,palette")
    expect(page.get_by_test_id("optimizer-select")).to_be_hidden()
    expect(page.get_by_test_id("loss-select")).to_be_hidden()
    expect(page.get_by_test_id("palette-Dense")).to_be_hidden()
    expect(page.get_by_test_id("learning-rate")).to_be_visible()
    expect(page.get_by_test_id("train-button")).to_be_visible()
    shot(page, "hidden-controls")


def test_fits_a_laptop_screen_without_horizontal_scrolling(open_page, page_server) -> None:
    page: Page = open_page()
    page.get_by_test_id("train-button").click()
    page.get_by_test_id("lang-switch").click()
    page.wait_for_function("Number(document.querySelector('[data-testid=epoch-counter]').textContent) > 10")
    leftovers = latin_words(page) - identifiers(page_server.url) - ALLOWED
    assert leftovers == set(), f"English words on the Korean screen while training: {sorted(leftovers)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366
    page.screenshot(path="artifacts/page-1366x768-viewport.png")
    # The essentials are on the first screen.
    for testid in ("train-button", "epoch-counter", "boundary-canvas", "layer-stack"):
        box = page.get_by_test_id(testid).bounding_box()
        assert box is not None and box["y"] < 768, testid
