"""A theory lesson opens from the Lessons menu: the cost(W) figure with the server's numbers, one step
taken by hand; the softmax table in Korean."""

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import shot


def test_the_cost_lesson_steps_down_the_parabola(open_page, page_server) -> None:  # noqa: ANN001
    page: Page = open_page()
    page.get_by_test_id("preset-menu").click()
    page.get_by_test_id("theory-cost").click()
    view = page.get_by_test_id("theory-view")
    expect(view).to_be_visible()
    expect(page.get_by_test_id("theory-title")).to_have_text("cost(W) and one step of gradient descent")
    formula = page.get_by_test_id("theory-formula")
    oracle = httpx.get(f"{page_server.url}/api/theory/cost", params={"w": 0, "alpha": 0.01}).json()
    expect(formula).to_contain_text(oracle["update"])
    expect(view.locator("svg")).to_have_count(2)
    page.get_by_test_id("theory-step").click()
    expect(page.get_by_test_id("theory-w")).to_have_value("15.4")
    after = httpx.get(f"{page_server.url}/api/theory/cost", params={"w": 15.4, "alpha": 0.01}).json()
    expect(formula).to_contain_text(after["update"])
    shot(page, "theory-cost")
    page.get_by_test_id("theory-close").click()
    expect(view).to_be_hidden()


def test_the_softmax_lesson_in_korean(open_page) -> None:  # noqa: ANN001
    page: Page = open_page(locale="ko-KR")
    page.get_by_test_id("preset-menu").click()
    page.get_by_test_id("theory-softmax").click()
    expect(page.get_by_test_id("theory-title")).to_have_text("소프트맥스, 원-핫 인코딩과 크로스 엔트로피")
    figure = page.get_by_test_id("theory-figure")
    expect(figure).to_contain_text("원-핫 y")
    expect(figure).to_contain_text("0.659")  # softmax(2.0, 1.0, 0.1)[0]
    shot(page, "theory-softmax-ko")
