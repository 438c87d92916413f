"""The graph editor (Keras's functional API): a residual block built with the mouse and with the
keyboard, the spec the page posts, training it, a chain going back to the stack, and the server's
message about a bad edge shown at its node."""

import json

from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, shot
from tests.browser.helpers import wait_epoch_above


def posted_models(page: Page) -> list[dict]:
    """Every model the page sends (summaries and runs), as the server gets them."""
    models: list[dict] = []

    def on_request(request) -> None:
        if request.method == "POST" and ("/api/models/summary" in request.url or request.url.endswith("/api/runs")):
            models.append(json.loads(request.post_data or "{}").get("model"))

    page.on("request", on_request)
    return models


def settled(page: Page) -> None:
    """The canvas is redrawn from the store a moment after each edit: wait for it."""
    expect(page.locator("[data-testid=graph-canvas][data-pending]")).to_have_count(0)


def open_graph(page: Page) -> None:
    page.get_by_test_id("graph-open").click()
    expect(page.get_by_test_id("graph-editor")).to_be_visible()
    expect(page.get_by_test_id("layer-stack")).to_be_hidden()
    # The default stack as a chain: x → dense_1 → dense_2 → dense_3.
    for name in ("x", "dense_1", "dense_2", "dense_3"):
        expect(page.get_by_test_id(f"gnode-{name}")).to_be_visible()


def widen(page: Page, name: str) -> None:
    """dense_2 of 4 units like dense_1, so that Add can join them (the server says so otherwise)."""
    page.get_by_test_id(f"gnode-{name}").focus()
    units = page.get_by_test_id("graph-inspector").locator("[data-param=units] input")
    units.fill("4")
    units.press("Tab")
    expect(page.get_by_test_id(f"gnode-{name}")).to_contain_text("4 · tanh")


def residual_by_keyboard(page: Page) -> None:
    """dense_2 → add_1 → dense_3, and dense_1 → add_1: a skip connection round dense_2."""
    widen(page, "dense_2")
    page.get_by_test_id("gnode-dense_2").focus()
    page.get_by_test_id("graph-palette-Add").focus()
    page.keyboard.press("Enter")  # a merge after the selected node, between it and what it fed
    expect(page.get_by_test_id("gnode-add_1")).to_be_visible()
    expect(page.get_by_test_id("gnode-add_1")).to_be_focused()
    page.keyboard.press("ArrowLeft")  # arrows walk the graph: add_1 takes dense_2
    expect(page.get_by_test_id("gnode-dense_2")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_test_id("gnode-dense_1")).to_be_focused()
    page.keyboard.press("Enter")  # into the inspector
    target = page.get_by_test_id("graph-connect-target")
    target.focus()
    target.select_option("add_1")
    page.get_by_test_id("graph-connect").focus()
    page.keyboard.press("Enter")


def residual_spec(model: dict) -> dict:
    graph = model["graph"]
    return {node["name"]: (node["layer"]["type"], node["inputs"]) for node in graph["nodes"]}


EXPECTED = {
    "dense_1": ("Dense", ["x"]),  # 4 units, as dense_2
    "dense_2": ("Dense", ["dense_1"]),
    "add_1": ("Add", ["dense_2", "dense_1"]),
    "dense_3": ("Dense", ["add_1"]),
}


def test_residual_by_keyboard_posts_the_graph_and_trains(open_page, console) -> None:
    console.expect(r"status of 422")  # a merge of one branch, while the block is being built
    page: Page = open_page()
    models = posted_models(page)
    open_graph(page)
    residual_by_keyboard(page)
    expect(page.get_by_test_id("gnode-add_1").locator(".gnode-out")).to_have_count(0)
    expect(page.get_by_test_id("gnode-dense_3").locator(".gnode-out")).to_have_count(1)
    # The summary is asked for the graph, and says what each layer is connected to.
    expect(page.get_by_test_id("model-summary")).to_contain_text("Connected to", timeout=15_000)
    expect(page.get_by_test_id("model-summary").locator("tbody tr", has_text="add_1 (Add)")).to_contain_text(
        "dense_2[0][0]"
    )
    graphs = [m for m in models if m and "graph" in m]
    assert graphs, models
    assert residual_spec(graphs[-1]) == EXPECTED
    assert graphs[-1]["graph"]["outputs"] == ["dense_3"]
    assert graphs[-1]["graph"]["inputs"] == [{"name": "x"}]

    # The diagram draws it: columns by depth, the merge as a merge node, a skip line round dense_2.
    diagram = page.get_by_test_id("network-diagram")
    expect(diagram.get_by_test_id("merge-add_1")).to_be_visible()
    expect(diagram.locator("path.link.edge-skip")).not_to_have_count(0)

    page.get_by_test_id("train-button").click()
    wait_epoch_above(page, 3, timeout=60_000)
    run_graphs = [m for m in models if m and "graph" in m]
    assert residual_spec(run_graphs[-1]) == EXPECTED
    expect(page.get_by_test_id("loss-readout")).not_to_have_text("", timeout=30_000)
    # Frames name their layers: the hidden Dense nodes' unit maps are painted.
    page.wait_for_function(
        "() => { const c = document.querySelector('[data-testid=unit-dense_1-0] canvas'); return c && c.width > 1; }",
        timeout=30_000,
    )
    page.get_by_test_id("train-button").click()  # pause
    page.set_viewport_size({"width": 1366, "height": 768})
    shot(page, "graph-residual-1366")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.get_by_test_id("graph-editor").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "page-graph-residual-1920-view.png"))
    shot(page, "graph-residual-1920")


def test_residual_by_mouse(open_page, console) -> None:
    console.expect(r"status of 422")  # a merge of one branch, while the block is being built
    page: Page = open_page()
    models = posted_models(page)
    open_graph(page)
    widen(page, "dense_2")
    canvas = page.get_by_test_id("graph-canvas")
    box = canvas.bounding_box()
    assert box
    # Drag an Add onto the canvas, below the chain.
    page.get_by_test_id("graph-palette-Add").drag_to(canvas, target_position={"x": box["width"] * 0.55, "y": 300})
    expect(page.get_by_test_id("gnode-add_1")).to_be_visible()

    def port(name: str, kind: str):
        return (
            page.locator(".drawflow-node", has=page.get_by_test_id(f"gnode-{name}")).locator(f".{kind}s .{kind}").first
        )

    def drawflow_id(name: str) -> str:
        return page.locator(".drawflow-node", has=page.get_by_test_id(f"gnode-{name}")).get_attribute("id") or ""

    def wire(a: str, b: str) -> None:
        src = port(a, "output").bounding_box()
        assert src
        page.mouse.move(src["x"] + src["width"] / 2, src["y"] + src["height"] / 2)
        page.mouse.down()
        page.mouse.move(src["x"] - 20, src["y"] + 40, steps=4)
        dst = port(b, "input").bounding_box()  # measured now: a message elsewhere may have moved the page
        assert dst
        page.mouse.move(dst["x"] + dst["width"] / 2, dst["y"] + dst["height"] / 2, steps=6)
        page.mouse.up()
        page.wait_for_timeout(50)
        settled(page)
        expect(page.locator(f"svg.connection.node_out_{drawflow_id(a)}.node_in_{drawflow_id(b)}")).to_have_count(1)

    # Cut dense_2 → dense_3 (select the line, press Delete), then wire the block.
    out2, in3 = port("dense_2", "output").bounding_box(), port("dense_3", "input").bounding_box()
    assert out2 and in3
    page.mouse.click(
        (out2["x"] + out2["width"] + in3["x"]) / 2, (out2["y"] + in3["y"] + in3["height"]) / 2
    )  # on the line
    page.keyboard.press("Delete")
    settled(page)
    page.get_by_test_id("gnode-dense_3").click()
    expect(page.get_by_test_id("graph-inputs")).to_contain_text("nothing yet")
    wire("dense_2", "add_1")
    wire("dense_1", "add_1")
    wire("add_1", "dense_3")
    expect(page.get_by_test_id("gnode-dense_3").locator(".gnode-out")).to_have_count(1)
    page.wait_for_timeout(600)
    graphs = [m for m in models if m and "graph" in m]
    assert graphs, models
    assert residual_spec(graphs[-1]) == EXPECTED
    shot(page, "graph-mouse")


def test_chain_goes_back_to_the_stack_and_a_branch_says_why_not(open_page, console) -> None:
    console.expect(r"status of 422")  # a merge of one branch, while the block is being built
    page: Page = open_page()
    open_graph(page)
    # A layer added after dense_1 in the graph stays a chain: back in the stack, in its place.
    page.get_by_test_id("gnode-dense_1").focus()
    page.get_by_test_id("graph-palette-Dropout").click()
    expect(page.get_by_test_id("gnode-dropout_1")).to_be_visible()
    page.get_by_test_id("graph-to-stack").click()
    expect(page.get_by_test_id("layer-stack")).to_be_visible()
    expect(page.get_by_test_id("layer-stack").locator("> li")).to_have_count(4)
    expect(page.get_by_test_id("layer-1")).to_have_attribute("data-type", "Dropout")

    # A residual graph cannot: the page says why, in the student's language too.
    open_graph(page)
    expect(page.get_by_test_id("gnode-dropout_1")).to_be_visible()
    residual_by_keyboard_on(page, "dense_2", "dense_1")
    page.get_by_test_id("graph-to-stack").click()
    expect(page.get_by_test_id("graph-why")).to_be_visible()
    expect(page.get_by_test_id("graph-why")).to_contain_text("merge")
    expect(page.get_by_test_id("graph-editor")).to_be_visible()


def residual_by_keyboard_on(page: Page, after: str, skip: str) -> None:
    page.get_by_test_id(f"gnode-{after}").focus()
    page.get_by_test_id("graph-palette-Add").click()
    page.get_by_test_id(f"gnode-{skip}").focus()
    page.get_by_test_id("graph-connect-target").select_option("add_1")
    page.get_by_test_id("graph-connect").click()


def test_bad_edge_shows_the_servers_message_at_its_node(open_page, console) -> None:
    console.expect(r"status of 422")  # the browser logs the server's refusal; that is the point here
    page: Page = open_page("?lang=ko")
    open_graph(page)
    # A second input into a Dense: the server refuses, naming model.graph.nodes[2].inputs.
    page.get_by_test_id("gnode-x").focus()
    page.get_by_test_id("graph-connect-target").select_option("dense_3")
    page.get_by_test_id("graph-connect").click()
    node = page.get_by_test_id("gnode-dense_3")
    expect(node.get_by_test_id("error-message")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("gnode-dense_1").locator(".message")).to_have_count(0)
    shot(page, "graph-bad-edge-ko")
    # Taking the edge away again clears it.
    page.get_by_test_id("gnode-dense_3").focus()
    page.get_by_test_id("graph-disconnect-x").click()
    expect(node.locator(".message")).to_have_count(0, timeout=15_000)
    # Delete removes a node from the keyboard; its neighbours join up again.
    page.get_by_test_id("gnode-dense_2").focus()
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("gnode-dense_2")).to_have_count(0)
    page.get_by_test_id("gnode-dense_3").focus()
    expect(page.get_by_test_id("graph-inputs")).to_contain_text("dense_1")


RESIDUAL = {
    "inputs": [{"name": "x"}],
    "nodes": [
        {"name": "h1", "layer": {"type": "Dense", "units": 8, "activation": "relu"}, "inputs": ["x"]},
        {"name": "h2", "layer": {"type": "Dense", "units": 8, "activation": "relu"}, "inputs": ["h1"]},
        {"name": "skip", "layer": {"type": "Add"}, "inputs": ["h1", "h2"]},
        {"name": "out", "layer": {"type": "Dense", "units": 1, "activation": "sigmoid"}, "inputs": ["skip"]},
    ],
    "outputs": ["out"],
}


def test_a_graph_in_the_address_opens_in_the_graph_view(open_page) -> None:
    from urllib.parse import quote

    page: Page = open_page(f"?graph={quote(json.dumps(RESIDUAL))}&model=graph&lang=ko")
    expect(page.get_by_test_id("graph-editor")).to_be_visible()
    expect(page.get_by_test_id("layer-stack")).to_be_hidden()
    expect(page.get_by_test_id("graph-canvas").locator(".drawflow")).to_have_count(1)
    for name in ("x", "h1", "h2", "skip", "out"):
        expect(page.get_by_test_id(f"gnode-{name}")).to_be_visible()
    expect(page.get_by_test_id("gnode-out").locator(".gnode-out")).to_have_text("출력")
    diagram = page.get_by_test_id("network-diagram")
    expect(diagram.get_by_test_id("merge-skip")).to_have_text("+")
    expect(diagram.locator("[data-testid^=unit-h1-]")).to_have_count(8)
    expect(page.get_by_test_id("model-summary")).to_contain_text("연결된 층", timeout=15_000)
    expect(page.get_by_test_id("summary-total")).to_contain_text("105")  # 24 + 72 + 0 + 9
    page.get_by_test_id("graph-to-stack").click()
    expect(page.get_by_test_id("graph-why")).to_contain_text("합치는")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.get_by_test_id("graph-editor").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "page-graph-address-ko-1920-view.png"))


def test_a_broken_graph_in_the_address_leaves_the_stack(open_page) -> None:
    page: Page = open_page('?graph={"nodes":1}&model=graph')
    expect(page.get_by_test_id("layer-stack")).to_be_visible()
    expect(page.get_by_test_id("graph-editor")).to_be_hidden()
    expect(page.get_by_test_id("graph-open")).to_be_visible()


def test_two_inputs_joined_by_concatenate(open_page, console) -> None:
    console.expect(r"status of 422")  # an input no node takes yet, while the graph is being built
    page: Page = open_page()
    models = posted_models(page)
    open_graph(page)
    page.get_by_test_id("graph-add-input").click()  # input_1 takes x2, x keeps x1
    expect(page.get_by_test_id("gnode-input_1")).to_contain_text("x2")
    expect(page.get_by_test_id("gnode-x")).to_contain_text("x1")
    page.get_by_test_id("gnode-x").focus()
    page.get_by_test_id("graph-palette-Concatenate").click()
    page.get_by_test_id("gnode-input_1").focus()
    page.get_by_test_id("graph-connect-target").select_option("concatenate_1")
    page.get_by_test_id("graph-connect").click()
    expect(page.get_by_test_id("model-summary")).to_contain_text("concatenate_1 (Concatenate)", timeout=15_000)
    expect(page.get_by_test_id("summary-total")).to_contain_text("25")  # two features again, as in the stack
    graph = [m for m in models if m and "graph" in m][-1]["graph"]
    assert graph["inputs"] == [{"name": "x", "features": ["x1"]}, {"name": "input_1", "features": ["x2"]}]
    assert {"name": "concatenate_1", "layer": {"type": "Concatenate"}, "inputs": ["x", "input_1"]} in graph["nodes"]
    diagram = page.get_by_test_id("network-diagram")
    expect(diagram.get_by_test_id("merge-concatenate_1")).to_be_visible()
    # The features an input takes are check boxes in its panel.
    page.get_by_test_id("gnode-input_1").focus()
    expect(page.get_by_test_id("graph-input-features").locator("input:checked")).to_have_count(1)
    shot(page, "graph-two-inputs")
