"""What stays in view and what stays fast: the losses and a small curve next to the output in
the first screen, and charts whose points stay bounded however long a run grows."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, shot
from tests.browser.helpers import wait_epoch_above


def in_first_screen(page: Page, test_id: str) -> None:
    box = page.get_by_test_id(test_id).bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"{test_id} is below the fold: {box}"
    assert box["x"] + box["width"] <= viewport["width"]


def test_losses_and_curve_next_to_the_output_in_the_first_screen(open_page) -> None:
    page: Page = open_page("?epochs=100000")
    page.get_by_test_id("train-button").click()
    wait_epoch_above(page, 30)
    readout = page.get_by_test_id("loss-readout")
    expect(readout).to_contain_text("training loss")
    expect(readout).to_contain_text("test loss")
    expect(page.get_by_test_id("metric-readout")).to_contain_text("test accuracy")
    values = readout.locator(".readout-item b")
    assert all(float(v) >= 0 for v in values.all_inner_texts()), values.all_inner_texts()
    for test_id in ("loss-readout", "metric-readout", "loss-spark", "boundary-canvas", "train-button"):
        in_first_screen(page, test_id)
    # The small curve is drawn (not a blank canvas).
    drawn = page.evaluate(
        """() => { const c = document.querySelector('[data-testid=loss-spark]');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"""
    )
    assert drawn > 20
    page.get_by_test_id("train-button").click()
    shot(page, "glance-1366")


def test_chart_points_stay_bounded(open_page) -> None:
    """The history's buckets keep each stretch's min and max, at most 2 x capacity points."""
    page: Page = open_page()
    result = page.evaluate(
        """async () => {
          const { History, points, CAPACITY } = await import('/static/js/series.js');
          const h = new History();
          const sizes = [];
          let epoch = 0;
          for (let chunk = 0; chunk < 200; chunk++) {
            const loss = [], val = [];
            for (let i = 0; i < 5000; i++, epoch++) {
              loss.push(1 / (1 + epoch) + (epoch === 123457 ? 5 : 0));
              val.push(epoch === 777777 ? -3 : 2);
            }
            h.append({ loss, val_loss: val });
            sizes.push(points([[h, 'loss'], [h, 'val_loss']]).x.length);
          }
          const p = points([[h, 'loss'], [h, 'val_loss']]);
          return { CAPACITY, sizes, max: Math.max(...p.series[0]), min: Math.min(...p.series[1]),
                   last: h.last('loss'), length: h.length, first: p.x[0], end: p.x[p.x.length - 1] };
        }"""
    )
    assert result["length"] == 1_000_000
    assert max(result["sizes"]) <= 2 * result["CAPACITY"]
    assert result["max"] == 5 + 1 / 123458  # a one-epoch spike survives the buckets
    assert result["min"] == -3
    assert result["last"] == 1 / 1_000_000
    assert result["first"] == 1 and result["end"] <= 1_000_000


def test_a_long_run_draws_a_bounded_chart(open_page) -> None:
    page: Page = open_page("?epochs=100000&batch=64")
    page.get_by_test_id("train-button").click()
    wait_epoch_above(page, 2500, timeout=90_000)
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("paused")
    page.wait_for_timeout(1000)  # the last frame sent before the pause reached the server
    points = int(page.get_by_test_id("loss-chart").get_attribute("data-points") or 0)
    assert 0 < points <= 2048
    epoch = int(page.get_by_test_id("epoch-counter").inner_text())
    expect(page.get_by_test_id("loss-readout")).to_contain_text(f"epoch {epoch}")


COLOURS_JS = """() => { const c = document.querySelector('[data-testid=boundary-canvas]');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set(); for (let i = 0; i < d.length; i += 4) seen.add(d[i] << 16 | d[i + 1] << 8 | d[i + 2]);
        return seen.size; }"""


def boundary_colours(page: Page) -> int:
    """How many different colours the output heatmap has (1: a blank plane)."""
    return page.evaluate(COLOURS_JS)


def test_the_untrained_model_is_drawn_before_play(open_page) -> None:
    page: Page = open_page("?epochs=100000")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=loss-readout] .readout-item').length > 0")
    # The untrained model's boundary, not a blank plane (drawn in an animation frame of its own,
    # which on a loaded machine comes after the readout: in CI the plane was still blank then).
    page.wait_for_function(f"() => ({COLOURS_JS})() > 20")
    expect(page.get_by_test_id("run-status")).to_have_text("paused")
    expect(page.get_by_test_id("epoch-counter")).to_have_text("0")
    expect(page.get_by_test_id("loss-readout")).to_contain_text("epoch 0")
    start = page.get_by_test_id("loss-readout").locator("[data-series='test loss'] b").inner_text()
    assert 0.3 < float(start) < 1.5, start  # the starting test loss of a tanh net on two classes
    first = page.evaluate("() => document.querySelector('[data-testid=boundary-canvas]').toDataURL()")
    # A change of the setup draws the new untrained model at once.
    page.get_by_test_id("dataset-xor").click()
    page.wait_for_function(
        "(before) => document.querySelector('[data-testid=boundary-canvas]').toDataURL() !== before", arg=first
    )
    expect(page.get_by_test_id("run-status")).to_have_text("paused")
    shot(page, "untrained-xor")
    # ▶ trains that very run.
    page.get_by_test_id("train-button").click()
    wait_epoch_above(page, 5)
    expect(page.get_by_test_id("run-status")).to_have_text("training")


def test_on_a_phone_play_the_output_and_the_network_stay_together(browser, page_server, console) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.on("console", console.on_message)
    try:
        page.goto(f"{page_server.url}/")
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        order = page.evaluate(
            """() => ['.panel.output', '.panel.network', '.panel.data']
                .map((s) => document.querySelector(s).getBoundingClientRect().top + scrollY)"""
        )
        assert order[0] < order[1] < order[2], order  # the output, then the network, then the data
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing runs off the side
        for y in (0, int(order[0]), int(order[1])):
            page.evaluate("(y) => scrollTo(0, y)", y)
            box = page.get_by_test_id("train-button").bounding_box()
            assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 844, (y, box)  # ▶ at hand
        page.screenshot(path=str(ARTIFACTS / "page-phone-390.png"))
    finally:
        context.close()
    assert console.unexpected() == []
