"""Small page helpers shared by the browser tests."""

from playwright.sync_api import Page


def epoch(page: Page) -> int:
    return int(page.get_by_test_id("epoch-counter").inner_text())


def canvas_data(page: Page, selector: str) -> str:
    return page.evaluate("(s) => document.querySelector(s).toDataURL()", selector)


def summary_total(page: Page) -> str:
    return page.get_by_test_id("summary-total").inner_text()


def wait_epoch_above(page: Page, n: int, timeout: float = 30_000) -> None:
    page.wait_for_function(
        "(n) => Number(document.querySelector('[data-testid=epoch-counter]').textContent) > n", arg=n, timeout=timeout
    )
