"""Tables with two inputs are drawn on a plane with the model's boundary, and a lesson's own
link loads its whole setup."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.helpers import wait_epoch_above
from tests.browser.test_glance import boundary_colours


def pixel(page: Page, fx: float, fy: float) -> list[int]:
    """The heatmap's colour at a fraction (fx, fy) of its width and height."""
    return page.evaluate(
        """([fx, fy]) => { const c = document.querySelector('[data-testid=boundary-canvas]');
        const d = c.getContext('2d').getImageData(Math.floor(fx * c.width), Math.floor(fy * c.height), 1, 1).data;
        return [d[0], d[1], d[2]]; }""",
        [fx, fy],
    )


def test_a_lesson_link_loads_the_lesson_and_draws_xor_on_the_plane(open_page) -> None:
    page: Page = open_page("?lesson=xor-hidden-3")
    expect(page.get_by_test_id("preset-explanation")).to_contain_text("XOR")
    expect(page.get_by_test_id("dataset-xor_table")).to_have_attribute("aria-checked", "true")
    expect(page.get_by_test_id("layer-0")).to_contain_text("3 · sigmoid")
    expect(page.get_by_test_id("plane-axes")).to_contain_text("x1")
    expect(page.get_by_test_id("boundary-canvas")).to_be_visible()
    page.get_by_test_id("train-button").click()
    wait_epoch_above(page, 450, timeout=60_000)
    expect(page.get_by_test_id("run-status")).to_have_text("finished", timeout=60_000)
    page.wait_for_timeout(1500)  # the last predictions over the plane
    assert boundary_colours(page) > 20
    # The hidden layer bent the boundary: the XOR corners (0,0) and (1,1) are one class, (0,1)
    # and (1,0) the other. The extent is padded by a quarter: the corners sit at 1/6 and 5/6.
    lo, hi = 1 / 6 + 0.02, 5 / 6 - 0.02
    a, b = pixel(page, lo, hi), pixel(page, hi, lo)  # (0, 0) and (1, 1)
    c, d = pixel(page, lo, lo), pixel(page, hi, hi)  # (0, 1) and (1, 0)
    blue = [p[2] > p[0] for p in (a, b, c, d)]
    assert blue[0] == blue[1] and blue[2] == blue[3] and blue[0] != blue[2], (a, b, c, d)
    shot(page, "xor-table-plane")


def test_two_feature_tables_are_on_the_plane_and_others_are_not(open_page) -> None:
    page: Page = open_page("?data=grades&epochs=300")
    expect(page.get_by_test_id("plane-axes")).to_contain_text("across: hours · up: attendance")
    expect(page.get_by_test_id("boundary-canvas")).to_be_visible()
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("finished", timeout=60_000)
    page.wait_for_timeout(1500)
    assert boundary_colours(page) > 5  # three grades' regions over the plane
    expect(page.get_by_test_id("confusion-matrix")).to_be_visible()  # the table's own view stays
    page.get_by_test_id("dataset-exam_scores").click()  # its group is open: grades is in it  # three inputs: no plane
    expect(page.get_by_test_id("plane-axes")).to_be_hidden()
    expect(page.get_by_test_id("boundary-canvas")).to_be_hidden()
