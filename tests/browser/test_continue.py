"""A finished run trains further from the page: "+" continues it, its curve goes on."""

from playwright.sync_api import Page, expect

from tests.browser.helpers import epoch, wait_epoch_above


def test_a_done_run_trains_as_many_epochs_again(open_page) -> None:
    page: Page = open_page("?epochs=30")
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("epoch-counter")).to_have_text("30", timeout=60_000)
    button = page.get_by_test_id("continue-button")
    expect(button).to_be_visible()
    button.click()
    wait_epoch_above(page, 30, timeout=60_000)
    expect(page.get_by_test_id("epoch-counter")).to_have_text("60", timeout=60_000)
    assert epoch(page) == 60
    expect(button).to_be_visible()  # done again
