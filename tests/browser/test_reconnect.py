"""The page's stream comes back by itself: the server killed while a run trains (a teacher's
container restarted, the web process behind a balancer gone), the page says it lost the link,
reconnects when the server is back, shows the run restored from its checkpoint, and ▶ goes on."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Console, shot
from tests.browser.helpers import epoch, wait_epoch_above
from tests.server import Server


@pytest.fixture
def own_server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.close()


def test_the_page_reconnects_when_the_server_comes_back(browser: Browser, own_server: Server, console: Console) -> None:
    srv = own_server
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page: Page = context.new_page()
    page.on("console", console.on_message)
    page.on("pageerror", lambda exc: console.errors.append(f"uncaught: {exc}"))
    # While the server is down the browser logs its refused connections.
    console.expect("WebSocket connection to .* failed|Failed to load resource|ERR_CONNECTION_REFUSED")
    page.goto(f"{srv.url}/?epochs=100000")
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.get_by_test_id("train-button").click()
    wait_epoch_above(page, 50)
    page.wait_for_timeout(1500)  # past a checkpoint
    port = srv.port
    srv.proc.kill()  # SIGKILL: what was trained since the last checkpoint is gone
    srv.proc.wait(10)
    srv.log.close()
    reached = epoch(page)
    expect(page.get_by_test_id("run-queue")).to_have_text("Connection lost: reconnecting…")
    shot(page, "reconnecting")

    srv.start(port)  # back on the same address: the page's next try gets through
    button = page.get_by_test_id("train-button")
    expect(button).to_have_attribute("data-status", "interrupted", timeout=30_000)
    expect(page.get_by_test_id("run-queue")).to_be_hidden()
    restored = epoch(page)
    assert 0 < restored <= reached  # the run as its checkpoint had it
    button.click()  # resume: its frames come on the new socket
    wait_epoch_above(page, reached + 20)
    expect(button).to_have_attribute("data-status", "running")
    context.close()
    assert console.unexpected() == [], "the page logged errors"
