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
    # Drawflow loads on first use: a server busy compiling a program may be slow to send it.
    expect(page.get_by_test_id("gnode-x")).to_be_visible(timeout=40_000)
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


# --- the canvas a class sees: fitted, lines that show, the diagram, the state, class rules, the link ---

NODES_INSIDE = """() => {
  const c = document.querySelector('[data-testid=graph-canvas]').getBoundingClientRect();
  const lines = [...document.querySelectorAll('[data-testid=graph-canvas] svg.connection')]
    .map((svg) => [svg.getAttribute('class'), svg.querySelector('.main-path').getBoundingClientRect()]);
  return [...document.querySelectorAll('[data-testid=graph-canvas] .drawflow-node')]
    .map((n) => [n.querySelector('.gnode').dataset.name, n.getBoundingClientRect()])
    .concat(lines)
    .filter(([, r]) => r.left < c.left || r.right > c.right || r.top < c.top || r.bottom > c.bottom)
    .map(([name]) => name);
}"""

# Each line of the canvas sampled every 3 px: the points that lie under a node other than its two ends.
LINES_UNDER_NODES = """() => {
  const nodes = [...document.querySelectorAll('[data-testid=graph-canvas] .drawflow-node')];
  const under = [];
  for (const svg of document.querySelectorAll('[data-testid=graph-canvas] svg.connection')) {
    const ends = [...svg.classList].filter((c) => /^node_(in|out)_node-/.test(c))
      .map((c) => c.replace(/^node_(in|out)_/, ''));
    const path = svg.querySelector('path.main-path');
    const m = path.getScreenCTM();
    const length = path.getTotalLength();
    for (let l = 0; l <= length; l += 3) {
      const p = new DOMPoint(path.getPointAtLength(l).x, path.getPointAtLength(l).y).matrixTransform(m);
      for (const n of nodes) {
        if (ends.includes(n.id)) continue;
        const r = n.getBoundingClientRect();
        const inside = p.x > r.left + 3 && p.x < r.right - 3 && p.y > r.top + 3 && p.y < r.bottom - 3;
        if (inside) under.push(`${ends.join('→')} under ${n.id}`);
      }
    }
  }
  return [...new Set(under)];
}"""


def open_residual_lesson(page: Page) -> None:
    """The lesson's graph in the editor; NODES_INSIDE also names the lines (by their classes) out of the canvas."""
    expect(page.get_by_test_id("graph-editor")).to_be_visible()
    expect(page.get_by_test_id("gnode-x")).to_be_visible(timeout=40_000)  # Drawflow loads on first use
    for name in ("x", "d1", "d2", "d3", "skip1", "d4", "d5", "skip2", "out"):
        expect(page.get_by_test_id(f"gnode-{name}")).to_be_visible()
    settled(page)
    page.get_by_test_id("graph-editor").scroll_into_view_if_needed()


def test_the_residual_lesson_fits_the_canvas_readably_at_both_projector_sizes(open_page) -> None:
    page: Page = open_page("?lesson=graph-residual-spiral")
    for width, height in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)  # the canvas's size follows the window: the view is fitted again
        open_residual_lesson(page)
        page.wait_for_function(f"() => ({NODES_INSIDE})().length === 0", timeout=5_000)
        # Large enough to read from the back of the room: the long graph wraps rather than shrinking.
        zoom = float(page.get_by_test_id("graph-canvas").get_attribute("data-zoom") or 0)
        assert zoom >= 0.7, zoom
        name_px = page.get_by_test_id("gnode-d1").locator(".gnode-name").bounding_box()
        assert name_px and name_px["height"] >= 12, name_px
        page.get_by_test_id("graph-editor").screenshot(path=str(ARTIFACTS / f"page-graph-residual-lesson-{width}.png"))
        shot(page, f"graph-residual-lesson-{width}-page")


def test_zoom_and_fit_from_the_keyboard_and_a_focused_node_comes_into_view(open_page) -> None:
    page: Page = open_page("?lesson=graph-residual-spiral")
    open_residual_lesson(page)
    zoom_in = page.get_by_test_id("graph-zoom-in")
    zoom_in.focus()
    for _ in range(4):
        page.keyboard.press("Enter")
    assert page.evaluate(NODES_INSIDE), "zoomed in, some nodes are out of the canvas"
    # Arrows walk the graph; each focused node is panned into the canvas.
    page.get_by_test_id("gnode-d5").focus()
    for name in ("skip2", "out"):
        page.keyboard.press("ArrowRight")
        expect(page.get_by_test_id(f"gnode-{name}")).to_be_focused()
        assert name not in page.evaluate(NODES_INSIDE), name
    fit = page.get_by_test_id("graph-fit")
    expect(fit).to_have_text("Fit")
    fit.focus()
    page.keyboard.press("Enter")
    assert page.evaluate(NODES_INSIDE) == []
    fitted = float(page.get_by_test_id("graph-canvas").get_attribute("data-zoom") or 0)
    page.get_by_test_id("graph-zoom-out").click()
    assert float(page.get_by_test_id("graph-canvas").get_attribute("data-zoom") or 0) < fitted * 0.9


def test_lines_are_thick_dark_and_never_under_a_node(open_page) -> None:
    page: Page = open_page("?lesson=graph-residual-spiral")
    open_residual_lesson(page)
    assert page.evaluate(LINES_UNDER_NODES) == []
    style = page.evaluate(
        "() => { const p = document.querySelector('[data-testid=graph-canvas] .connection .main-path');"
        " const s = getComputedStyle(p); return [s.stroke, s.strokeWidth]; }"
    )
    stroke, width = style
    assert float(width.removesuffix("px")) >= 4, style
    rgb = [int(v) for v in stroke.removeprefix("rgb(").removesuffix(")").split(",")[:3]]

    def luminance(c: list[int]) -> float:
        lin = [(v / 255 / 12.92) if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    canvas = luminance([0xF8, 0xFA, 0xFC])
    assert (canvas + 0.05) / (luminance(rgb) + 0.05) >= 4.5, stroke


def test_the_diagram_draws_weight_lines_after_a_merge(open_page) -> None:
    page: Page = open_page("?lesson=graph-residual-spiral")
    diagram = page.get_by_test_id("network-diagram")
    # Add: unit i of each input makes unit i of the merge; the Dense after it has a weight per row.
    expect(diagram.locator("path[data-from='d1:3'][data-to='skip1:3']")).to_have_count(1)
    expect(diagram.locator("path[data-from='d3:3'][data-to='skip1:3']")).to_have_count(1)
    expect(diagram.locator("path[data-from='d1:3'][data-to='skip1:2']")).to_have_count(0)
    expect(diagram.locator("path.weight[data-to^='d4:']")).to_have_count(64)
    expect(diagram.locator("path.weight[data-from='skip1:5'][data-to='d4:2']")).to_have_count(1)
    expect(diagram.locator("path.weight[data-to^='out:']")).to_have_count(8)
    # The untrained model's frame: the lines after a merge take their kernel's weights, the merge its maps.
    page.wait_for_function(
        "() => { const c = document.querySelector('[data-testid=unit-skip1-0] canvas'); return c && c.width > 1; }",
        timeout=60_000,
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"path.weight[data-to^='d4:']\")].every((p) => p.style.stroke)",
        timeout=10_000,
    )
    diagram.screenshot(path=str(ARTIFACTS / "page-graph-residual-diagram.png"))


def test_the_diagram_follows_concatenate_order(open_page) -> None:
    page: Page = open_page("?lesson=graph-two-inputs-hours-attendance")
    diagram = page.get_by_test_id("network-diagram")
    expect(diagram.get_by_test_id("merge-joined")).to_be_visible()
    # Concatenate: hours then attendance, so the merge's unit 1 (the kernel's row 1) is attendance.
    expect(diagram.locator("path[data-from='hours:0'][data-to='joined:0']")).to_have_count(1)
    expect(diagram.locator("path[data-from='attendance:0'][data-to='joined:1']")).to_have_count(1)
    expect(diagram.locator("path.weight[data-to^='score:']")).to_have_count(2)
    expect(diagram.locator("path.weight[data-from='joined:1'][data-to='score:0']")).to_have_count(1)


def test_a_stack_lesson_after_a_graph_one_starts_the_graph_from_its_stack(open_page) -> None:
    from tests.browser.test_lessons import load_preset

    page: Page = open_page("?lesson=graph-residual-spiral")
    open_residual_lesson(page)
    load_preset(page, "xor-hidden-3")
    expect(page.get_by_test_id("layer-stack")).to_be_visible()
    expect(page.get_by_test_id("graph-editor")).to_be_hidden()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('graph')")
    expect(page.get_by_test_id("network-diagram").locator("[data-testid^=merge-]")).to_have_count(0)
    page.get_by_test_id("graph-open").click()
    expect(page.get_by_test_id("graph-editor")).to_be_visible()
    settled(page)
    expect(page.get_by_test_id("gnode-skip1")).to_have_count(0)
    stack = page.get_by_test_id("layer-stack").locator("> li").count()
    expect(page.get_by_test_id("graph-canvas").locator(".drawflow-node")).to_have_count(stack + 1)
    assert page.evaluate(NODES_INSIDE) == []


def test_the_class_layer_rules_limit_the_graph_palette(open_page, page_server) -> None:
    import httpx

    from tests.browser.test_teacher import join

    with httpx.Client(base_url=page_server.url, headers={"X-Teacher-Key": page_server.teacher_key}) as api:
        made = api.post("/api/classes", json={"name": "Only Dense and Add", "settings": {"layers": ["Dense", "Add"]}})
        code = made.json()["join_code"]
    page: Page = open_page()
    join(page, code, "Minji")
    expect(page.get_by_test_id("palette-Dropout")).to_be_hidden()
    open_graph(page)
    expect(page.get_by_test_id("graph-palette-Dense")).to_be_visible()
    expect(page.get_by_test_id("graph-palette-Add")).to_be_visible()
    for kept_out in ("Dropout", "Activation", "Concatenate", "Multiply"):
        expect(page.get_by_test_id(f"graph-palette-{kept_out}")).to_be_hidden()
    # The palette is drawn again in another language: the rules still hold.
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("graph-fit")).to_have_text("전체 보기")
    expect(page.get_by_test_id("graph-palette-Dropout")).to_be_hidden()
    expect(page.get_by_test_id("graph-palette-Add")).to_be_visible()


def test_node_positions_are_kept_in_the_link(open_page) -> None:
    from urllib.parse import quote

    layout = {"x": [16, 200], "h1": [190, 40], "h2": [190, 300], "skip": [380, 170], "out": [560, 170]}
    page: Page = open_page(f"?graph={quote(json.dumps(RESIDUAL))}&model=graph&graphPos={quote(json.dumps(layout))}")
    expect(page.get_by_test_id("gnode-out")).to_be_visible()
    settled(page)

    def where(p: Page, name: str) -> list[float]:
        return p.evaluate(
            "(n) => { const d = document.querySelector(`[data-testid=gnode-${n}]`).closest('.drawflow-node');"
            " return [parseFloat(d.style.left), parseFloat(d.style.top)]; }",
            name,
        )

    for name, at in layout.items():
        assert where(page, name) == at, name
    # Moved with the mouse: the address keeps the new place, and the link opens with it.
    zoom = float(page.get_by_test_id("graph-canvas").get_attribute("data-zoom") or 1)
    page.get_by_test_id("graph-canvas").scroll_into_view_if_needed()
    box = page.get_by_test_id("gnode-h2").locator(".gnode-name").bounding_box()
    assert box
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 45, box["y"] + 25, steps=5)
    page.mouse.move(box["x"] + 85, box["y"] + 45, steps=5)
    page.mouse.up()
    moved = where(page, "h2")
    # Drawflow starts dragging a few pixels after the press: about 80 px right and 40 px down, in the canvas's zoom.
    assert abs(moved[0] - (190 + 80 / zoom)) < 8 and abs(moved[1] - (300 + 40 / zoom)) < 8, moved
    page.wait_for_function("() => new URLSearchParams(location.search).has('graphPos')")
    kept = json.loads(page.evaluate("() => new URLSearchParams(location.search).get('graphPos')"))
    assert kept["h2"] == [round(moved[0]), round(moved[1])], kept
    again = open_page("?" + page.url.split("?", 1)[1])
    expect(again.get_by_test_id("gnode-h2")).to_be_visible()
    settled(again)
    assert where(again, "h2") == [round(moved[0]), round(moved[1])]
    assert where(again, "h1") == layout["h1"]
