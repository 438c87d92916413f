"""The projector view (?run=<id>&view=projector) at 1920 x 1080: every text at least 24 px, what
is shown named on top, the output as large as the screen's height allows."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS
from tests.server import Server

SPEC = {
    "dataset": {"name": "spiral", "noise": 0},
    "model": {
        "layers": [
            {"type": "Dense", "units": 8, "activation": "tanh"},
            {"type": "Dense", "units": 1, "activation": "sigmoid"},
        ]
    },
    "compile": {
        "loss": "binary_crossentropy",
        "optimizer": {"type": "Adam", "learning_rate": 0.01},
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 60, "batch_size": 10},
}

SMALL_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !el.checkVisibility() || el.closest('.sr-only, .u-legend')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 24) small.push(`${size}px ${el.tagName}.${el.className} "${node.textContent.trim().slice(0, 30)}"`);
  }
  return small;
}"""


@contextmanager
def on_projector(
    browser: Browser, server: Server, console: Any, spec: dict[str, Any]
) -> Iterator[tuple[Page, dict[str, Any], httpx.Client]]:
    """A run made through the API in a session of its own, opened on the projector view at
    1920 × 1080: (the page, the run, that session's API client)."""
    with httpx.Client(base_url=server.url) as api:
        run = api.post("/api/runs", json=spec).json()
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        context.add_cookies([{"name": k, "value": v, "url": server.url} for k, v in api.cookies.items()])
        page: Page = context.new_page()
        page.on("console", console.on_message)
        try:
            page.goto(f"{server.url}/?run={run['id']}&view=projector")
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            yield page, run, api
        finally:
            context.close()


def test_projector_layout_is_readable_from_the_back(browser: Browser, page_server: Server, console) -> None:
    with on_projector(browser, page_server, console, SPEC) as (page, _run, _api):
        expect(page.get_by_test_id("epoch-counter")).to_have_text("60", timeout=60_000)
        expect(page.get_by_test_id("projector-challenge")).to_contain_text("spiral")
        expect(page.get_by_test_id("projector-challenge")).to_contain_text("Dense 8 tanh")
        expect(page.get_by_test_id("loss-readout")).to_contain_text("test loss")
        assert page.evaluate(SMALL_TEXT) == []
        box = page.get_by_test_id("boundary-canvas").bounding_box()
        assert box is not None and box["width"] >= 800 and box["y"] + box["height"] <= 1080, box
        assert page.evaluate("() => document.documentElement.scrollHeight") <= 1080  # one screen, no scrolling
        page.screenshot(path=str(ARTIFACTS / "page-projector-1920.png"))
    assert console.unexpected() == []
