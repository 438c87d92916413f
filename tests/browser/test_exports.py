"""Taking work home from the page: the run's files, PNG pictures, the code view, opening files."""

import json
import re
import struct
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import APIResponse, Page, expect

from tests.browser.conftest import ARTIFACTS, shot
from tests.browser.helpers import epoch, wait_epoch_above

# testid → (file, content type the server answers with)
FILES = {
    "export-model": ("model.keras", "application/octet-stream"),
    "export-weights": ("weights.weights.h5", "application/x-hdf5"),
    "export-code": ("code.py", "text/x-python"),
    "export-history-csv": ("history.csv", "text/csv"),
    "export-history-json": ("history.json", "application/json"),
    "export-experiment": ("experiment.json", "application/json"),
}
XOR_SETUP = (
    "?data=xor&epochs=30&lr=0.1&batch=5&seed=3"
    '&layers=[{"type":"Dense","units":6,"activation":"relu"},{"type":"Dense","units":1,"activation":"sigmoid"}]'
)


def trained(open_page, query: str = "?epochs=40", locale: str = "en-US") -> Page:
    """A page whose run has trained to the end."""
    page: Page = open_page(query, locale)
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text(re.compile("finished|완료"), timeout=60_000)
    return page


def run_url(page: Page) -> str:
    """The current run's base address, from the model link."""
    href = page.get_by_test_id("export-model").get_attribute("href")
    assert href and href.endswith("/model.keras")
    return href.removesuffix("/model.keras")


def fetch(page: Page, path: str) -> APIResponse:
    """GET a path of the page's server in the page's session."""
    return page.request.get(urljoin(page.url, path))


def require(page: Page, path: str) -> None:
    """Skip while the server does not offer `path` yet (404), rather than fail."""
    response = fetch(page, path)
    if response.status == 404:
        pytest.skip(f"the server does not answer {path} yet")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_downloads_are_enabled_by_a_run_and_answer_with_their_types(open_page) -> None:
    page: Page = open_page("?epochs=40")
    for testid in FILES:
        expect(page.get_by_test_id(testid)).to_have_attribute("aria-disabled", "true")
    expect(page.get_by_test_id("save-chart-png")).to_be_disabled()
    expect(page.get_by_test_id("save-heatmap-png")).to_be_disabled()

    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("finished", timeout=60_000)
    base = run_url(page)
    require(page, f"{base}/model.keras")
    for testid, (name, kind) in FILES.items():
        href = page.get_by_test_id(testid).get_attribute("href")
        assert href == f"{base}/{name}"
        response = fetch(page, href)
        assert response.status == 200, f"{name}: {response.status}"
        assert response.headers["content-type"].startswith(kind), f"{name}: {response.headers['content-type']}"
    experiment = fetch(page, f"{base}/experiment.json").json()
    assert experiment["format"] == "nn-playground-experiment"
    assert experiment["spec"]["fit"]["epochs"] == 40
    history = fetch(page, f"{base}/history.json").json()
    assert len(history["loss"]) == 40

    # A real download through the link: a zip archive, as model.save writes it.
    with page.expect_download() as download:
        page.get_by_test_id("export-model").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".keras")
    assert Path(path).read_bytes()[:2] == b"PK"
    shot(page, "exports")


def test_loss_chart_and_output_save_as_png(open_page) -> None:
    page = trained(open_page)
    for testid, name in [("save-chart-png", "loss"), ("save-heatmap-png", "output")]:
        with page.expect_download() as download:
            page.get_by_test_id(testid).click()
        assert download.value.suggested_filename.startswith(name)
        assert download.value.suggested_filename.endswith(".png")
        data = Path(download.value.path()).read_bytes()
        width, height = png_size(data)
        assert width > 250 and height > 200
        (ARTIFACTS / f"page-export-{name}.png").write_bytes(data)


def test_code_view_shows_highlighted_python_summary_and_diagram(open_page) -> None:
    page = trained(open_page)
    require(page, f"{run_url(page)}/code.py")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    view = page.get_by_test_id("code-view")
    view.locator("summary").click()
    code = page.get_by_test_id("code-text")
    expect(code).to_contain_text("keras.Sequential", timeout=15_000)
    expect(code.locator(".hljs-keyword").first).to_be_visible()
    assert code.locator("[class^=hljs-]").count() > 20
    expect(page.get_by_test_id("summary-text")).to_contain_text("Total params")
    expect(page.get_by_test_id("summary-text")).to_contain_text("┏")
    diagram = page.get_by_test_id("model-svg")
    expect(diagram).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-testid=model-svg]').naturalWidth > 0")

    page.get_by_test_id("copy-code").click()
    expect(page.locator("#copy-status")).to_have_text("Copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(code.inner_text()[:40])
    view.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # no sideways scrolling
    shot(page, "code-view")

    view.get_by_text("Functional API").click()  # the code view's own switch (the graph editor says it too)
    expect(code).to_contain_text("keras.Input")
    expect(code).not_to_contain_text("keras.Sequential(")


def test_importing_an_experiment_restores_its_setup_and_run(open_page) -> None:
    source = trained(open_page, XOR_SETUP)
    base = run_url(source)
    require(source, f"{base}/experiment.json")
    experiment = fetch(source, f"{base}/experiment.json").body()
    first_losses = fetch(source, f"{base}/history.json").json()["loss"]

    page: Page = open_page("?epochs=500")
    page.get_by_test_id("import-experiment").set_input_files(
        files=[{"name": "xor.json", "mimeType": "application/json", "buffer": experiment}]
    )
    expect(page.get_by_test_id("import-status")).to_contain_text("Opened xor.json")
    expect(page.get_by_test_id("epochs")).to_have_value("30")
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.1")
    expect(page.get_by_test_id("batch-size")).to_have_value("5")
    expect(page.get_by_test_id("layer-stack").locator("li")).to_have_count(2)
    assert "data=xor" in page.url and "seed=3" in page.url
    expect(page.get_by_test_id("run-status")).to_have_text("finished", timeout=60_000)
    again = fetch(page, f"{run_url(page)}/history.json").json()["loss"]
    assert again == pytest.approx(first_losses, rel=1e-3)
    shot(page, "imported-experiment")


def test_importing_a_keras_model_follows_it_paused(open_page) -> None:
    source = trained(open_page)
    base = run_url(source)
    require(source, f"{base}/model.keras")
    model = fetch(source, f"{base}/model.keras").body()

    page: Page = open_page("?data=circle")
    page.get_by_test_id("import-model").set_input_files(
        files=[{"name": "circle.keras", "mimeType": "application/octet-stream", "buffer": model}]
    )
    expect(page.get_by_test_id("import-status")).to_contain_text("Opened circle.keras", timeout=30_000)
    expect(page.get_by_test_id("run-status")).to_have_text("paused")
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.03")  # not float32's 0.0299999…
    expect(page.get_by_test_id("export-model")).not_to_have_attribute("aria-disabled", "true")
    expect(page.get_by_test_id("summary-total")).to_contain_text("25")
    shot(page, "imported-model")
    page.get_by_test_id("train-button").click()
    wait_epoch_above(page, 0)
    assert epoch(page) > 0


def test_import_errors_speak_the_page_language(open_page, console) -> None:
    console.expect(r"status of 4\d\d")
    page: Page = open_page("", "ko-KR")
    require(page, "/api/models/import")  # 405 when it exists (GET), 404 when not
    page.get_by_test_id("import-model").set_input_files(
        files=[{"name": "broken.keras", "mimeType": "application/octet-stream", "buffer": b"not a zip archive"}]
    )
    message = page.get_by_test_id("error-message")
    expect(message).to_contain_text(".keras 파일이 아닙니다")
    shot(page, "import-error-ko")

    page.get_by_test_id("import-experiment").set_input_files(
        files=[{"name": "notes.json", "mimeType": "application/json", "buffer": b"{not json"}]
    )
    expect(message).to_have_text("notes.json은(는) JSON 파일이 아닙니다.")
    page.get_by_test_id("lang-switch").click()
    expect(message).to_have_text("notes.json is not a JSON file.")

    wrong = json.dumps({"format": "nn-playground-experiment", "version": 1, "spec": {"model": {"layers": []}}})
    page.get_by_test_id("import-experiment").set_input_files(
        files=[{"name": "empty.json", "mimeType": "application/json", "buffer": wrong.encode()}]
    )
    expect(message).to_be_visible()
    expect(message).not_to_contain_text("notes.json")
