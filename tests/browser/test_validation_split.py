"""The validation-split field in the settings (Keras's fit(validation_split=…)) in both languages,
kept in the address; and the two-output H(X) = XW lesson answered per target in Ask the model."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.test_ask_the_model import page_api, run_id
from tests.browser.test_lessons import load_preset, set_epochs, train_to_the_end


def test_the_validation_split_field_is_kept_in_the_address(open_page) -> None:
    page: Page = open_page()
    field = page.get_by_test_id("validation-split")
    expect(field).to_be_visible()
    expect(page.locator("label[for=validation-split]")).to_have_text("Validation split")
    assert "validation_split" in (field.get_attribute("title") or "")
    expect(field).to_have_value("0")
    assert "valSplit" not in page.url  # the default stays out of the address
    field.fill("0.25")
    field.press("Enter")
    page.wait_for_function("location.search.includes('valSplit=0.25')")
    field.fill("1.5")  # Keras needs a share below 1: the field goes back to the last good value
    field.press("Enter")
    expect(field).to_have_value("0.25")
    box = field.bounding_box()
    assert box and box["y"] + box["height"] <= 768  # in the first screen, with the other settings
    shot(page, "validation-split-en")


def test_the_field_speaks_korean_opens_from_a_link_and_hides(open_page) -> None:
    page: Page = open_page("?valSplit=0.2&lang=ko", locale="ko-KR")
    expect(page.locator("label[for=validation-split]")).to_have_text("검증 데이터 비율")
    expect(page.get_by_test_id("validation-split")).to_have_value("0.2")
    assert "검증 데이터" in (page.get_by_test_id("validation-split").get_attribute("title") or "")
    shot(page, "validation-split-ko")
    load_preset(page, "xor-hidden-3")  # a lesson's setup says 0 (the schema's default)
    expect(page.get_by_test_id("validation-split")).to_have_value("0")
    hidden = open_page("?hide=validation-split")
    expect(hidden.get_by_test_id("validation-split")).to_be_hidden()


def test_the_two_output_lesson_answers_per_target(open_page, page_server) -> None:
    page: Page = open_page()
    load_preset(page, "multi-output-exam-scores")
    expect(page.get_by_test_id("preset-explanation")).to_contain_text("[3, 2]")
    set_epochs(page, 300)
    train_to_the_end(page)
    for k, value in enumerate(["90", "90", "90"]):
        page.get_by_test_id(f"predict-input-{k}").fill(value)
    with page_api(page, page_server) as api:
        oracle = api.post(f"/api/runs/{run_id(page)}/predict", json={"inputs": [[90, 90, 90]]}).json()["outputs"][0]
    # The box asks again after every field: its last answer is the API's for all three values.
    for k, test_id in enumerate(["predict-value", "predict-value-1"]):
        expect(page.get_by_test_id(test_id)).to_have_attribute("data-value", repr(oracle[k]), timeout=10_000)
    expect(page.get_by_test_id("predict-value")).to_contain_text("final:")
    expect(page.get_by_test_id("predict-value-1")).to_contain_text("total:")
    assert abs(oracle[1] - 270) < 10
    # The lesson's own questions are answered with both targets too.
    expect(page.get_by_test_id("lesson-output-0")).to_contain_text(re.compile(r"final [0-9.]+, total 2[0-9.]+"))
    shot(page, "two-outputs-predict")


def test_a_two_target_set_gets_one_output_per_target(open_page) -> None:
    page: Page = open_page("?data=exam_scores_two")
    expect(page.get_by_test_id("layer-stack").locator("> li").last).to_contain_text("2 · linear")
    expect(page.get_by_test_id("model-summary")).to_contain_text("(None, 2)")


def test_a_run_trains_with_the_split_and_names_its_curve(open_page, page_server) -> None:
    page: Page = open_page("?valSplit=0.25")
    set_epochs(page, 30)
    train_to_the_end(page)
    with page_api(page, page_server) as api:
        run = api.get(f"/api/runs/{run_id(page)}").json()
    assert run["spec"]["fit"]["validation_split"] == 0.25  # Keras's validation_split, sent with the run
    assert len(run["history"]["val_loss"]) == 30
    expect(page.get_by_test_id("loss-readout")).to_contain_text("validation loss")
    expect(page.get_by_test_id("loss-readout")).not_to_contain_text("test loss")
    page.get_by_test_id("validation-split").fill("0")
    page.get_by_test_id("validation-split").press("Enter")
    expect(page.get_by_test_id("loss-readout")).to_contain_text("test loss")  # val_* on the test data again
