"""Beginner first: the few layers, metrics and words a first lesson needs in view, the rest one
click away; friendly names with the Keras name beside them; Lessons and Join class named apart
in Korean."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot


def test_palette_shows_the_basic_layers_and_the_rest_one_click_away(open_page) -> None:
    page: Page = open_page()
    for name in ("Dense", "Activation", "Dropout"):
        expect(page.get_by_test_id(f"palette-{name}")).to_be_visible()
    for name in ("Conv2D", "BatchNormalization", "GlobalAveragePooling2D"):
        expect(page.get_by_test_id(f"palette-{name}")).to_be_hidden()
    more = page.get_by_test_id("palette-more")
    expect(more).to_have_attribute("aria-expanded", "false")
    more.click()
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id("palette-Conv2D")).to_be_visible()
    page.get_by_test_id("palette-BatchNormalization").click()  # still adds a layer
    expect(page.get_by_test_id("layer-2")).to_contain_text("BatchNormalization")


def test_image_data_opens_the_advanced_layers(open_page) -> None:
    # The default Dense stack does not fit 8 × 8 pictures: the page puts a Flatten before it, so the
    # untrained model's run is one the server takes (no 422), and its report comes back.
    page: Page = open_page("?data=digits")
    expect(page.get_by_test_id("palette-Conv2D")).to_be_visible()
    expect(page.get_by_test_id("layer-0")).to_contain_text("Flatten")
    expect(page.get_by_test_id("layer-stack").locator("> li")).to_have_count(4)
    expect(page.get_by_test_id("confusion-matrix")).to_be_visible(timeout=120_000)  # the preview run's
    expect(page.get_by_test_id("error-message")).to_have_count(0)
    page.get_by_test_id("palette-Conv2D").click()  # a layer of pictures goes before the Flatten
    expect(page.get_by_test_id("layer-0")).to_contain_text("Conv2D")
    expect(page.get_by_test_id("layer-1")).to_contain_text("Flatten")
    expect(page.locator(".column-head").first).to_have_text("Input image")  # not "Input features"
    expect(page.get_by_test_id("model-summary")).to_contain_text("Conv2D", timeout=60_000)  # the server built it
    expect(page.get_by_test_id("error-message")).to_have_count(0)
    # Chosen in the data panel too: digits after circle gets its Flatten.
    page.goto(page.url.split("?")[0])
    page.wait_for_selector("body[data-ready=true]")
    page.get_by_test_id("dataset-group-real").locator("summary").click()
    page.get_by_test_id("dataset-digits").click()
    expect(page.get_by_test_id("layer-0")).to_contain_text("Flatten")
    expect(page.get_by_test_id("layer-3")).to_contain_text("10")


def test_metrics_fit_the_task(open_page) -> None:
    page: Page = open_page()  # circle: two classes
    for name in ("accuracy", "auc", "precision", "recall"):
        expect(page.get_by_test_id(f"metric-{name}")).to_be_visible()
    for name in ("mae", "mse", "root_mean_squared_error", "r2_score"):
        expect(page.get_by_test_id(f"metric-{name}")).to_have_count(0)
    page.get_by_test_id("dataset-blobs").click()  # three classes: no two-class metrics
    expect(page.get_by_test_id("metric-accuracy")).to_be_visible()
    expect(page.get_by_test_id("metric-auc")).to_have_count(0)
    page.get_by_test_id("dataset-plane").click()  # numbers
    expect(page.get_by_test_id("metric-mae")).to_be_visible()
    expect(page.get_by_test_id("metric-accuracy")).to_have_count(0)


def test_friendly_names_with_the_keras_name(open_page) -> None:
    page: Page = open_page()
    chosen = page.get_by_test_id("loss-select").locator("option:checked")
    expect(chosen).to_have_text("Cross-entropy, two classes (binary_crossentropy)")
    expect(page.get_by_test_id("optimizer-select").locator("option:checked")).to_have_text("Gradient descent (SGD)")
    page.get_by_test_id("lang-switch").click()
    expect(chosen).to_have_text("교차 엔트로피 (두 클래스) (binary_crossentropy)")
    lessons = page.get_by_test_id("preset-menu").locator("summary").inner_text().strip(" ▾")
    join = page.get_by_test_id("class-summary").inner_text().strip(" ▾")
    assert lessons != join and "수업" not in lessons + join, (lessons, join)
    shot(page, "beginner-ko")


def test_data_sets_grouped_and_folded(open_page) -> None:
    page: Page = open_page()
    expect(page.get_by_test_id("dataset-circle")).to_be_visible()
    expect(page.get_by_test_id("dataset-iris")).to_be_hidden()  # the real sets are folded away
    expect(page.get_by_test_id("dataset-xor_table")).to_be_hidden()
    box = page.get_by_test_id("noise").bounding_box()
    assert box is not None and box["y"] < 1000, box  # noise is no longer pushed to y = 1,400
    page.get_by_test_id("dataset-group-real").locator("summary").click()
    page.get_by_test_id("dataset-iris").click()
    expect(page.get_by_test_id("dataset-iris")).to_have_attribute("aria-checked", "true")
    # A lesson on a table opens its group.
    page.get_by_test_id("preset-menu").locator("summary").click()
    page.get_by_test_id("preset-xor-hidden-3").click()
    expect(page.get_by_test_id("dataset-xor_table")).to_be_visible()
