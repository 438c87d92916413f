"""Two setups side by side on one loss chart: keep run A, change the setup, train B; lessons that
compare two setups train both at once. The runs' histories from the API are the oracle."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.test_ask_the_model import page_api, run_id
from tests.browser.test_lessons import load_preset, set_epochs, train_to_the_end


def readout(page: Page) -> dict[str, float]:
    """The loss chart's key: each series' name and its latest value."""
    items = page.get_by_test_id("loss-readout").locator(".readout-item")
    return {
        items.nth(k).get_attribute("data-series") or "": float(
            items.nth(k).locator("b").get_attribute("data-value") or "nan"
        )
        for k in range(items.count())
    }


def set_activation(page: Page, index: int, activation: str) -> None:
    card = page.get_by_test_id(f"layer-{index}")
    card.locator(".layer-head").click()
    card.locator("[data-param=activation] select").select_option(activation)


def test_keep_a_change_the_activation_train_b(open_page, page_server) -> None:
    page: Page = open_page()
    set_epochs(page, 40)
    keep = page.get_by_test_id("compare-keep")
    expect(keep).to_be_disabled()
    train_to_the_end(page)
    keep.click()
    bar = page.get_by_test_id("compare-bar")
    expect(bar).to_be_visible()
    a_id = bar.get_attribute("data-run-id")
    assert a_id
    expect(page.get_by_test_id("train-button")).to_have_attribute("data-status", "idle")

    set_activation(page, 0, "relu")
    set_activation(page, 1, "relu")
    train_to_the_end(page)
    a_name, b_name = "A: tanh, SGD 0.03", "B: relu, SGD 0.03"
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('[data-testid=loss-readout] .readout-item')]"
        ".filter((el) => el.dataset.series === n).length === 1",
        arg=b_name,
    )
    shown = readout(page)
    assert set(shown) == {a_name, f"{a_name} (test)", b_name, f"{b_name} (test)"}, shown
    with page_api(page, page_server) as api:
        a = api.get(f"/api/runs/{a_id}").json()["history"]
        b = api.get(f"/api/runs/{run_id(page)}").json()["history"]
    assert len(a["loss"]) == len(b["loss"]) == 40
    assert shown[a_name] == a["loss"][-1] and shown[f"{a_name} (test)"] == a["val_loss"][-1]
    assert shown[b_name] == b["loss"][-1] and shown[f"{b_name} (test)"] == b["val_loss"][-1]
    assert a["loss"][-1] != b["loss"][-1]
    shot(page, "compare-activation")

    # Ending the comparison goes back to one run's two curves.
    page.get_by_test_id("compare-end").click()
    expect(bar).to_be_hidden()
    assert set(readout(page)) == {"training loss", "test loss"}


def test_a_lesson_that_compares_trains_both_setups(open_page, page_server) -> None:
    page: Page = open_page()
    load_preset(page, "optimizer-sgd")
    button = page.get_by_test_id("lesson-compare")
    expect(button).to_be_visible()
    button.click()
    bar = page.get_by_test_id("compare-bar")
    expect(bar).to_be_visible()
    expect(page.get_by_test_id("optimizer-select")).to_have_value("Adam")
    page.wait_for_function(
        "document.querySelector('[data-testid=train-button]').dataset.status === 'done'", timeout=90_000
    )
    a_id = bar.get_attribute("data-run-id")
    with page_api(page, page_server) as api:
        # The bar says A's own state: it finished (the words since the compare states, not "kept.").
        expect(bar).to_contain_text("A: tanh, SGD 0.03: finished at epoch", timeout=90_000)
        a = api.get(f"/api/runs/{a_id}").json()
        b = api.get(f"/api/runs/{run_id(page)}").json()
    assert a["spec"]["compile"]["optimizer"]["type"] == "SGD" and b["spec"]["compile"]["optimizer"]["type"] == "Adam"
    shown = readout(page)
    a_name, b_name = "A: tanh, SGD 0.03", "B: tanh, Adam 0.01"
    assert shown[a_name] == a["history"]["loss"][-1] and shown[b_name] == b["history"]["loss"][-1], shown
    shot(page, "compare-lesson-optimizers")
